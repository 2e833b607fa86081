"""User text is data, never template code; downloads check permission every time and are logged."""

import copy
import io
import re
import zipfile

import pytest
from markupsafe import Markup

from pia import demo_content
from pia.documents import rendering
from pia.documents.rendering import (
    Picture,
    TemplateProblem,
    clean_text,
    render_docx,
    sandbox,
    template_values,
    try_template,
)
from pia.documents.samples import sample
from pia.documents.sandbox import Budget
from pia.models import AssessmentRole, DocumentKind, DocumentTemplate
from pia.roles import Role
from pia.services.documents import builtin_path
from tests.conftest import audit_events, count, make_user, text_of
from tests.documents_helpers import (
    DOCX,
    all_text,
    demo_assessment,
    latest_document,
    open_docx,
)
from tests.factories_assessments import add_member

NASTY = (
    "{{ 7*7 }} {% if true %}ja{% endif %} {# c #} {{ config }} {%p for x in y %} "
    "<w:t>vet</w:t></w:r> & &amp; < > \" ' “quotes” 😀🇳🇱 {_{ }_} {_% %_} "
    "tab\there\nnieuwe regel\x00\x07\x0b\x0c\x1b\ufffe einde"
)
VISIBLE = (
    NASTY.replace("\x00", "")
    .replace("\x07", "")
    .replace("\x0b", "")
    .replace("\x0c", "")
    .replace("\x1b", "")
    .replace("\ufffe", "")
)


def test_clean_text_strips_what_xml_forbids():
    assert clean_text("a\x00b\x08c\x0bd\x1fe\ud800f\uffffg\r\nh") == "abcdefg\nh"
    assert clean_text("tab\tok 😀") == "tab\tok 😀"


def _nasty_dpia() -> dict:
    answers = copy.deepcopy(demo_content.DPIA)
    answers["1"] = NASTY
    answers["2"][0]["persoonsgegeven"] = "Naam {{ x }} & <w:t>"
    answers["6"][demo_content.OP_AANVRAAG]["6.1"][1]["naam"] = "Leverancier {% raw %} & <Co>"
    return answers


def _paragraph_text(doc) -> str:
    # A newline typed by the user becomes a line break in Word: python-docx reads it as \n.
    return "\n".join(p.text for p in doc.paragraphs)


def test_user_text_appears_literally_in_the_report(client, login):
    owner = make_user(Role.PROJECTLEIDER)
    assessment = demo_assessment(owner, dpia=_nasty_dpia())
    login(owner)
    client.post_form(f"/assessments/{assessment.id}/documenten/dpia-rapport")
    doc = open_docx(latest_document().content)
    assert VISIBLE in _paragraph_text(doc)
    item_cards = [t for t in doc.tables if t.rows[0].cells[0].text == "Persoonsgegeven"]
    assert "Naam {{ x }} & <w:t>" in [t.rows[0].cells[1].text for t in item_cards]
    assert "49" not in re.findall(r"\b49\b", _paragraph_text(doc))


def test_user_text_appears_literally_in_the_agreement(client, login):
    from tests.test_documents_agreement import COMPLETE, start, submit

    owner = make_user(Role.PROJECTLEIDER)
    assessment = demo_assessment(owner, dpia=_nasty_dpia())
    login(owner)
    url = start(client, assessment)
    response = submit(
        client, url, {**COMPLETE, "meldpunt": "{{ 7*7 }} <w:br/> & 😀"}, press="generate"
    )
    assert response.status_code == 302
    text = all_text(open_docx(latest_document().content))
    assert "Leverancier {% raw %} & <Co>" in text
    assert "{{ 7*7 }} <w:br/> & 😀" in text


def test_downloads_check_permission_every_time_and_are_logged(client, login, app):
    owner, viewer = make_user(Role.PROJECTLEIDER), make_user(Role.PROJECTLEIDER)
    outsider, auditor = make_user(Role.PROJECTLEIDER), make_user(Role.AUDITOR)
    assessment = demo_assessment(owner, title="Rapport: “ÿ” / ../../etc & <script>")
    add_member(assessment, viewer, AssessmentRole.VIEWER)
    login(owner)
    client.post_form(f"/assessments/{assessment.id}/documenten/dpia-rapport")
    record = latest_document()
    url = f"/assessments/{assessment.id}/documenten/{record.id}.docx"
    response = client.get(url)
    assert response.status_code == 200 and response.mimetype == DOCX
    disposition = response.headers["Content-Disposition"]
    assert disposition.startswith("attachment;")
    assert re.fullmatch(r"attachment; filename=[a-z0-9-]+\.docx", disposition), disposition
    assert record.filename == "dpia-rapport-rapport-y-etc-script-v1.docx"
    assert response.headers["Cache-Control"] == "no-store"

    other = app.test_client()
    for user, status in ((outsider, 403), (viewer, 200), (auditor, 200)):
        other.post_form("/uitloggen")
        from tests.conftest import log_in

        log_in(other, user)
        assert other.get(url).status_code == status
    # access taken away: the next download is refused, even with the link
    from pia.services.assessments import revoke

    member = next(m for m in assessment.members if m.user_id == viewer.id)
    revoke(assessment, member, actor=owner)
    from pia.extensions import db

    db.session.commit()
    other.post_form("/uitloggen")
    from tests.conftest import log_in

    log_in(other, viewer)
    assert other.get(url).status_code == 403
    # a document of another assessment is not reachable through this one
    elsewhere = demo_assessment(outsider)
    assert client.get(f"/assessments/{elsewhere.id}/documenten/{record.id}.docx").status_code in (
        403,
        404,
    )
    downloads = audit_events("document.downloaded")
    assert [e.actor_id for e in downloads] == [owner.id, viewer.id, auditor.id]
    assert all(e.details["document_id"] == record.id for e in downloads)


@pytest.mark.parametrize("path", ["/documenten/", "/documenten/dpia-rapport"])
def test_outsiders_see_nothing(client, login, path):
    owner, outsider = make_user(Role.PROJECTLEIDER), make_user(Role.PROJECTLEIDER)
    assessment = demo_assessment(owner)
    login(outsider)
    url = f"/assessments/{assessment.id}{path}"
    response = client.post_form(url) if path.endswith("rapport") else client.get(url)
    assert response.status_code == 403


# --- the sandbox: what a template can reach, and how much work it may do ------------------

PLAIN = (dict, list, str, Markup, int, float, bool, type(None))


def _reachable(value, path="context"):
    """Every value inside a template's context, with where it is."""
    yield path, value
    if isinstance(value, dict):
        for key, item in value.items():
            yield from _reachable(item, f"{path}[{key!r}]")
    elif isinstance(value, list | tuple):
        for index, item in enumerate(value):
            yield from _reachable(item, f"{path}[{index}]")


def assert_plain(values) -> int:
    """Every reachable value is plain data or a Picture; the sandbox lets a template reach
    no attribute of a Picture, and of plain values only built-in methods of those values."""
    env = sandbox()
    pictures = 0
    for path, value in _reachable(values):
        assert type(value) in (*PLAIN, Picture), f"{path}: {type(value).__name__}"
        if isinstance(value, Picture):
            pictures += 1
            assert not [name for name in dir(value) if not name.startswith("_")], path
        for name in dir(value):
            if env.is_safe_attribute(value, name, getattr(value, name)):
                assert not isinstance(value, Picture), f"{path}.{name}"
                attribute = getattr(value, name)
                assert type(attribute).__name__ == "builtin_function_or_method", f"{path}.{name}"
                assert attribute.__self__ is value, f"{path}.{name}"
    return pictures


@pytest.mark.parametrize("kind", list(DocumentKind))
def test_every_value_a_sample_template_can_reach_is_plain_data(kind):
    pictures = assert_plain(template_values(*sample(kind)))
    assert pictures == (2 if kind is DocumentKind.DPIA_REPORT else 0)


def test_every_value_a_real_document_gets_is_plain_data(client, login, app, monkeypatch):
    from tests.test_documents_agreement import COMPLETE, start, submit

    given = []
    original = rendering._Document.render

    def recording(self, context, *args, **kwargs):
        given.append(context)
        return original(self, context, *args, **kwargs)

    monkeypatch.setattr(rendering._Document, "render", recording)
    owner, fg = make_user(Role.PROJECTLEIDER), make_user(Role.FG)
    assessment = demo_assessment(owner)
    login(owner)
    assert client.post_form(f"/assessments/{assessment.id}/documenten/dpia-rapport").status_code
    url = start(client, assessment)
    assert submit(client, url, COMPLETE, press="generate").status_code == 302
    advice = _advice_given(app, assessment, owner, fg)
    client.post_form(f"/assessments/{assessment.id}/documenten/fg-advies/{advice.id}")
    client.post_form(f"/assessments/{assessment.id}/documenten/dpia-rapport")  # with the advice
    assert len(given) == 4
    assert [assert_plain(values) for values in given] == [2, 0, 0, 2]


def _advice_given(app, assessment, owner, fg):
    from pia.extensions import db
    from pia.services import review

    with app.test_request_context():
        review.submit(assessment, owner)
        review.claim(assessment, fg)
        advice = review.give_advice(
            assessment, fg, review.AdviceInput("conditional", "Goed.", {"2": "Zie"}, ["Doe dit."])
        )
        db.session.commit()
    return advice


def _template(*paragraphs: str) -> bytes:
    from tests.test_documents_templates import docx_with

    return docx_with(*paragraphs)


def _files_under(path) -> set[str]:
    return {str(p) for p in path.rglob("*")}


def _attacks(tmp_path) -> list[str]:
    secret, written = tmp_path / "secret.txt", tmp_path / "written.docx"
    return [
        # the image, the docxtpl template behind it, python-docx behind that
        "{{ heatmap_voor.tpl }}",
        f"{{{{ heatmap_voor.tpl.replace_pic('x.png', '{secret}') }}}}",
        f"{{{{ heatmap_voor.tpl.docx.save('{written}') }}}}",
        f"{{{{ heatmap_voor.tpl.save('{written}') }}}}",
        "{{ heatmap_voor._png }}",
        "{{ heatmap_voor['_png'] }}",
        "{{ heatmap_voor|attr('_png') }}",
        "{{ heatmap_voor.__html__() }}",
        "{{ heatmap_voor.__class__.__init__.__globals__ }}",
        "{{ heatmap_voor.__reduce_ex__(2) }}",
        # classes, globals, getattr tricks on plain values
        "{{ titel.__class__ }}",
        "{{ titel|attr('__class__') }}",
        "{{ titel['__class__'] }}",
        "{{ (titel|attr('format'))('{0.__class__}') }}",
        "{{ '{0.__class__.__mro__}'.format(titel) }}",
        "{{ titel.format_map(dict(a=1)) }}",
        "{{ titel.encode('utf-8') }}",
        "{{ dict.mro() }}",
        "{{ dict.fromkeys(range(10)) }}",
        "{{ range.__globals__ }}",
        "{{ namespace.__init__.__globals__ }}",
        "{% set ns = namespace() %}{{ ns.__class__ }}",
        "{% for k, v in {'a': titel}.items() %}{{ v.__class__ }}{% endfor %}",
        "{% for x in [1] %}{{ loop.__class__ }}{% endfor %}",
        "{{ self.__dict__ }}",
        "{{ self._TemplateReference__context }}",
        "{{ self.blocks }}",
        "{{ cycler.__init__.__globals__.os.popen('id').read() }}",
        "{{ joiner() }}",
        "{{ lipsum(n=100000) }}",
        "{{ titel|tojson }}",
        "{{ titel|pprint }}",
        "{{ titel|format(1) }}",
        # changing the context
        "{{ [1].append(2) }}",
        "{% set l = [] %}{% for x in range(3) %}{{ l.append(x) }}{% endfor %}",
        "{% set d = {} %}{{ d.update(a=1) }}",
        # too much work: loops, calls, recursion, output, sizes, numbers
        "{% for a in range(10000) %}{% for b in range(10000) %}x{% endfor %}{% endfor %}",
        "{% for a in range(10000) %}{% for b in range(10000) if b < 0 %}{% endfor %}{% endfor %}",
        "{% for a in range(10000) %}{% for b in range(100) %}{{ titel }}{% endfor %}{% endfor %}",
        "{{ range(100000)|list|length }}",
        "{% macro m(n) %}{{ m(n) }}{{ m(n) }}{% endmacro %}{{ m(1) }}",
        "{% for i in range(10000) %}{{ 'x' * 999999 }}{% endfor %}",
        "{% set a = 'x' * 999999 %}{% set a = a ~ a %}{{ a|length }}",
        "{% set a = 'x' * 999999 %}{% set b = a + a %}",
        "{{ ('x' * 999999)|replace('x', 'yy')|length }}",
        "{{ (['x' * 999999] * 999)|join|length }}",
        "{{ ['x'] * 999999|join('x' * 999999) }}",
        "{{ 'x'|center(999999999) }}",
        "{{ '%999999999d' % 1 }}",
        "{{ '{:>999999999}'.format(1) }}",
        "{% set n = 2 ** 64 %}{% set n = n ** 64 %}{% set n = n ** 64 %}",
        "{% set ns = namespace(n=3) %}{% for i in range(30) %}{% set ns.n = ns.n * ns.n %}"
        "{% endfor %}{{ ns.n }}",
        "{% set big = 'x' * 999999 %}{% for i in range(100) %}{{ big }}{% endfor %}",
        "{{ 'x' * 100000000 }}",
        "{{ 9 ** 99999999 }}",
    ]


@pytest.mark.parametrize("kind", list(DocumentKind))
def test_attack_templates_are_refused_for_every_kind_and_touch_no_file(kind, tmp_path):
    secret = tmp_path / "secret.txt"
    secret.write_text("GEHEIM-UIT-HET-BESTANDSSYSTEEM")
    before = _files_under(tmp_path)
    context, images = sample(kind)
    accepted = []
    for attack in _attacks(tmp_path):
        try:
            try_template(_template("Rapport {{ titel }}", attack), context, images)
        except TemplateProblem as refused:
            assert str(refused).startswith("Het sjabloon is geweigerd: "), attack
        else:
            accepted.append(attack)
    assert not accepted, "accepted: " + "\n".join(accepted)
    assert _files_under(tmp_path) == before  # nothing written
    # and nothing read into a later document
    rendered = render_docx(builtin_path(kind).read_bytes(), context, images)
    with zipfile.ZipFile(io.BytesIO(rendered)) as package:
        assert all(b"GEHEIM" not in package.read(name) for name in package.namelist())


def test_too_much_work_is_refused_in_dutch():
    context, images = sample(DocumentKind.DPIA_REPORT)
    loops = "{% for a in range(10000) %}{% for b in range(10000) %}x{% endfor %}{% endfor %}"
    with pytest.raises(TemplateProblem, match="te veel werk.*herhalingen"):
        try_template(_template(loops), context, images)
    with pytest.raises(TemplateProblem, match="te veel werk.*groter dan"):
        try_template(
            _template("{% set big = 'x' * 999999 %}{% for i in range(100) %}{{ big }}{% endfor %}"),
            context,
            images,
        )
    with pytest.raises(TemplateProblem, match="te veel werk.*langer dan 0 seconden"):
        render_docx(
            builtin_path(DocumentKind.DPIA_REPORT).read_bytes(), context, images, budget=Budget(0)
        )


def test_pictures_still_become_images_and_only_in_the_document():
    context, images = sample(DocumentKind.DPIA_REPORT)
    twice = _template("{{ heatmap_voor }}", "{{ heatmap_na }}", "{{ heatmap_voor }}")
    document = open_docx(render_docx(twice, context, images))
    assert len(document.inline_shapes) == 3
    assert repr(template_values(context, images)["heatmap_voor"]) == "<afbeelding>"


def test_an_attack_upload_is_refused_with_the_reason_and_writes_nothing(client, login, tmp_path):
    from tests.test_documents_templates import upload

    written = tmp_path / "written.docx"
    login(make_user(Role.BEHEERDER))
    for attack, reason in (
        (f"{{{{ heatmap_voor.tpl.docx.save('{written}') }}}}", "no attribute 'tpl'"),
        ("{% for a in range(10000) %}{% for b in range(10000) %}{% endfor %}{% endfor %}", "werk"),
    ):
        response = upload(client, DocumentKind.DPIA_REPORT, _template(attack))
        assert response.status_code == 400
        assert reason in text_of(response) and "Het sjabloon is niet in gebruik genomen" in (
            text_of(response)
        )
    assert not written.exists()
    assert count(DocumentTemplate) == 0
    assert len(audit_events("document_template.refused")) == 2


def test_a_template_that_fails_on_real_data_gives_a_clear_error_when_generating(client, login, app):
    from pia.extensions import db

    owner, fg = make_user(Role.PROJECTLEIDER), make_user(Role.FG)
    assessment = demo_assessment(owner)
    heavy = "{% for a in range(10000) %}{% for b in range(10000) %}{% endfor %}{% endfor %}"
    for kind in (DocumentKind.DPIA_REPORT, DocumentKind.FG_ADVICE):
        db.session.add(  # as if an earlier, more lenient version had let it in
            DocumentTemplate(
                kind=kind.value,
                version=1,
                filename="zwaar.docx",
                content=_template(heavy),
                sha256="0" * 64,
                active=True,
                uploaded_by=owner,
            )
        )
    db.session.commit()
    advice = _advice_given(app, assessment, owner, fg)
    login(owner)
    report = client.post_form(
        f"/assessments/{assessment.id}/documenten/dpia-rapport", follow_redirects=True
    )
    assert report.status_code == 200
    assert "kon niet worden gemaakt met het sjabloon (versie 1)" in text_of(report)
    assert "te veel werk" in text_of(report)
    made = client.post_form(
        f"/assessments/{assessment.id}/documenten/fg-advies/{advice.id}", follow_redirects=True
    )
    assert "kon niet worden gemaakt" in text_of(made)
    assert latest_document() is None


def test_the_fg_and_the_drafters_make_the_advice_document_readers_download_it(app):
    from tests.conftest import log_in

    owner, fg = make_user(Role.PROJECTLEIDER), make_user(Role.FG)
    auditor, viewer = make_user(Role.AUDITOR), make_user(Role.PROJECTLEIDER)
    assessment = demo_assessment(owner)
    add_member(assessment, viewer, AssessmentRole.VIEWER)
    advice = _advice_given(app, assessment, owner, fg)
    action = f"/assessments/{assessment.id}/documenten/fg-advies/{advice.id}"
    clients = {}
    for user in (owner, fg, auditor, viewer):
        clients[user] = app.test_client()
        log_in(clients[user], user)
    for user in (fg, owner):
        page = clients[user].get(f"/assessments/{assessment.id}/beoordeling")
        assert f'action="{action}"' in page.get_data(as_text=True)
        assert clients[user].post_form(action).status_code == 302
    made = latest_document()
    for user in (auditor, viewer):
        page = clients[user].get(f"/assessments/{assessment.id}/beoordeling")
        assert page.status_code == 200 and f'action="{action}"' not in page.get_data(as_text=True)
        assert clients[user].post_form(action).status_code == 403
        listed = clients[user].get(f"/assessments/{assessment.id}/documenten/")
        assert f"/documenten/{made.id}.docx" in listed.get_data(as_text=True)
        download = clients[user].get(f"/assessments/{assessment.id}/documenten/{made.id}.docx")
        assert download.status_code == 200 and download.mimetype == DOCX
    assert latest_document().id == made.id
