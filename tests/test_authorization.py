"""Deny by default: every route, every method, anonymous and each role, against a written table.

The table is the specification. A route without a row makes the test fail, so a new
route cannot go live without someone deciding who may use it.
"""

from pia.roles import Role
from tests.conftest import log_in, make_org, make_user

ANONYMOUS = "anonymous"
NO_ROLE = "no role"
COLUMNS = [
    ANONYMOUS,
    NO_ROLE,
    Role.PROJECTLEIDER,
    Role.FG,
    Role.PAR_COORDINATOR,
    Role.SECRETARIAAT,
    Role.BEHEERDER,
    Role.AUDITOR,
    Role.CPO,
    Role.CPO_RIJK,
]
USERS = COLUMNS[1:]

# Methods Flask answers by itself: HEAD is GET without a body, OPTIONS lists the methods.
AUTOMATIC_METHODS = {"HEAD", "OPTIONS"}


def public(status_for_users: int = 200) -> dict:
    return {ANONYMOUS: 200, **dict.fromkeys(USERS, status_for_users)}


def logged_in(status: int) -> dict:
    return {ANONYMOUS: 302, **dict.fromkeys(USERS, status)}


def only(status: int, *roles: Role) -> dict:
    return {ANONYMOUS: 302, **{u: status if u in roles else 403 for u in USERS}}


def nobody() -> dict:
    return {ANONYMOUS: 302, **dict.fromkeys(USERS, 403)}


def api_only() -> dict:
    """The API ignores the session cookie: without a bearer token everyone gets 401."""
    return dict.fromkeys(COLUMNS, 401)


# (endpoint, method) -> expected status per column. POSTs carry a valid CSRF token and an
# empty form: 200 = the form comes back with its errors, 400 = refused as incomplete,
# 302 = done or sent on (an edit form without fields keeps the stored values, so it
# saves). Anonymous 302 always means: to the login page.
EXPECTED = {
    ("static", "GET"): public(),
    ("public.health", "GET"): public(),
    ("public.accessibility", "GET"): public(),
    ("public.privacy", "GET"): public(),
    ("public.security_txt", "GET"): public(),
    ("auth.login", "GET"): public(302),  # logged in: on to the dashboard
    ("auth.login", "POST"): public(302),
    ("auth.logout", "POST"): logged_in(302),
    # A one-time link from a mail: whoever holds it may choose that account's password. An
    # empty form comes back with its errors (the link stays usable).
    ("auth.set_password", "GET"): public(),
    ("auth.set_password", "POST"): public(),
    ("auth.change_password", "GET"): logged_in(200),
    ("auth.change_password", "POST"): logged_in(200),
    # Single sign-on: starting and finishing are public; a provider that is not configured
    # (as here) is not found. The flow itself: tests/test_sign_in_oidc.py.
    ("sso.start", "POST"): dict.fromkeys(COLUMNS, 404),
    ("sso.callback", "GET"): dict.fromkeys(COLUMNS, 404),
    # The code step of a password login: without a password just checked, back to login.
    ("second_factor.verify", "GET"): dict.fromkeys(COLUMNS, 302),
    ("second_factor.verify", "POST"): dict.fromkeys(COLUMNS, 302),
    # One's own second factor (an empty code: the form comes back, or a message).
    ("second_factor.index", "GET"): logged_in(200),
    ("second_factor.enrol", "GET"): logged_in(200),
    ("second_factor.enrol", "POST"): logged_in(200),
    ("second_factor.recovery_codes", "POST"): logged_in(302),
    ("second_factor.switch_off", "POST"): logged_in(302),
    ("dashboard.index", "GET"): logged_in(200),
    ("admin_users.index", "GET"): only(200, Role.BEHEERDER),
    ("admin_users.create", "GET"): only(200, Role.BEHEERDER),
    ("admin_users.create", "POST"): only(200, Role.BEHEERDER),
    ("admin_users.edit", "GET"): only(200, Role.BEHEERDER),
    ("admin_users.edit", "POST"): only(302, Role.BEHEERDER),
    ("admin_users.reset_password", "POST"): only(302, Role.BEHEERDER),  # mails the user a link
    ("admin_users.toggle_active", "POST"): only(302, Role.BEHEERDER),
    # Wipe a user's second factor (audited, mailed); the test's user has none: a message.
    ("admin_users.reset_second_factor", "POST"): only(302, Role.BEHEERDER),
    ("admin_organisations.index", "GET"): only(200, Role.BEHEERDER),
    ("admin_organisations.create", "GET"): only(200, Role.BEHEERDER),
    ("admin_organisations.create", "POST"): only(200, Role.BEHEERDER),
    ("admin_organisations.edit", "GET"): only(200, Role.BEHEERDER),
    ("admin_organisations.edit", "POST"): only(302, Role.BEHEERDER),
    ("admin_organisations.toggle_active", "POST"): only(302, Role.BEHEERDER),
    # The interdepartmental bodies (data), managed like the organisations.
    ("admin_par_bodies.index", "GET"): only(200, Role.BEHEERDER),
    ("admin_par_bodies.create", "GET"): only(200, Role.BEHEERDER),
    ("admin_par_bodies.create", "POST"): only(200, Role.BEHEERDER),
    ("admin_par_bodies.edit", "GET"): only(200, Role.BEHEERDER),
    ("admin_par_bodies.edit", "POST"): only(302, Role.BEHEERDER),
    ("admin_par_bodies.toggle_active", "POST"): only(302, Role.BEHEERDER),
    ("audit_log.index", "GET"): only(200, Role.BEHEERDER, Role.AUDITOR),
    # Assessments: none of the columns is a member of the test's assessment (its owner is
    # another projectleider). Without membership, only an auditor reads it, and nobody
    # changes it; what members may do is tested in test_assessment_sharing.
    ("assessments.index", "GET"): logged_in(200),
    ("assessments.create", "GET"): only(200, Role.PROJECTLEIDER),
    ("assessments.create", "POST"): only(200, Role.PROJECTLEIDER),
    ("assessments.import_file", "GET"): only(200, Role.PROJECTLEIDER),
    ("assessments.import_file", "POST"): only(400, Role.PROJECTLEIDER),
    ("assessments.overview", "GET"): only(200, Role.AUDITOR),
    ("assessments.export", "GET"): only(200, Role.AUDITOR),
    # The Invulhulpen: an import's notes and images are read like the assessment; the
    # export for their tool is downloaded by whoever may download our own export.
    ("invulhulp.result", "GET"): only(200, Role.AUDITOR),
    ("invulhulp.image", "GET"): only(200, Role.AUDITOR),
    ("invulhulp.export_page", "GET"): only(200, Role.AUDITOR),
    ("invulhulp.download", "GET"): only(200, Role.AUDITOR),
    ("assessments.sharing", "GET"): only(200, Role.AUDITOR),
    ("assessments.sharing", "POST"): nobody(),
    ("assessments.revoke", "POST"): nobody(),
    ("questionnaires.edit_section", "GET"): only(200, Role.AUDITOR),
    ("questionnaires.edit_section", "POST"): nobody(),
    ("questionnaires.full_view", "GET"): only(200, Role.AUDITOR),
    ("questionnaires.start_dpia", "POST"): nobody(),
    ("documents.index", "GET"): only(200, Role.AUDITOR),
    ("documents.generate_report", "POST"): nobody(),
    ("documents.start_agreement", "POST"): nobody(),
    ("documents.agreement", "GET"): nobody(),
    ("documents.agreement", "POST"): nobody(),
    ("documents.download", "GET"): only(200, Role.AUDITOR),
    ("documents.download_pdf", "GET"): only(200, Role.AUDITOR),
    ("admin_templates.index", "GET"): only(200, Role.BEHEERDER),
    ("admin_templates.index", "POST"): only(400, Role.BEHEERDER),
    ("admin_templates.activate", "POST"): only(302, Role.BEHEERDER),
    ("admin_templates.download", "GET"): only(200, Role.BEHEERDER),
    ("documents.advice", "POST"): nobody(),
    # Notifications are one's own: someone else's is not found.
    ("notifications.index", "GET"): logged_in(200),
    ("notifications.open_one", "POST"): logged_in(404),
    ("notifications.mark_all_read", "POST"): logged_in(302),
    ("notifications.set_digest", "POST"): logged_in(302),
    ("notifications.mail_queue", "GET"): only(200, Role.BEHEERDER),
    ("notifications.retry_mail", "POST"): only(302, Role.BEHEERDER),
    # The review procedure. The test's assessment has FG advice (state advice_given) from
    # an FG of its own organisation; the FG column is of another organisation, so it is
    # refused like everyone else; the auditor reads the record and changes nothing.
    ("review.index", "GET"): only(200, Role.AUDITOR),
    ("review.act", "POST"): nobody(),
    ("review.request_changes", "GET"): nobody(),
    ("review.request_changes", "POST"): nobody(),
    ("review.give_advice", "GET"): nobody(),
    ("review.give_advice", "POST"): nobody(),
    ("review.follow_up", "GET"): nobody(),
    ("review.follow_up", "POST"): nobody(),
    ("review.offer", "GET"): nobody(),
    ("review.offer", "POST"): nobody(),
    ("review.ap", "GET"): nobody(),
    ("review.ap", "POST"): nobody(),
    ("review.sign", "GET"): nobody(),
    ("review.sign", "POST"): nobody(),
    ("review.return_to_drafters", "GET"): nobody(),
    ("review.return_to_drafters", "POST"): nobody(),
    ("review.withdraw", "GET"): nobody(),
    ("review.withdraw", "POST"): nobody(),
    ("review.set_review_date", "POST"): nobody(),
    ("review.controllers", "GET"): only(200, Role.AUDITOR),
    ("review.controllers", "POST"): nobody(),
    ("review.undesignate", "POST"): nobody(),
    ("review.versions", "GET"): only(200, Role.AUDITOR),
    ("review.compare", "GET"): only(200, Role.AUDITOR),
    ("review.show_version", "GET"): only(200, Role.AUDITOR),
    ("review.all_comments", "GET"): only(200, Role.AUDITOR),
    ("review.comments", "GET"): only(200, Role.AUDITOR),
    ("review.comments", "POST"): nobody(),
    ("review.resolve", "POST"): nobody(),
    ("review.history", "GET"): only(200, Role.AUDITOR),
    ("review.history_csv", "GET"): only(200, Role.AUDITOR),
    # API tokens: one's own page; someone else's token is not found (the beheerder column is
    # of another organisation than the token's user).
    # The PAR procedure (rijksbreed privacyadvies): the table's assessment is departmental,
    # so its PAR pages are closed to everyone, the auditor too. Who may do what on a
    # government-wide assessment: tests/test_par_pages.py.
    ("par.index", "GET"): nobody(),
    ("par.matrix", "GET"): nobody(),
    ("par.position", "GET"): nobody(),
    ("par.position", "POST"): nobody(),
    ("par.employee_data", "GET"): nobody(),
    ("par.employee_data", "POST"): nobody(),
    ("par.act", "POST"): nobody(),
    ("par.send", "GET"): nobody(),
    ("par.send", "POST"): nobody(),
    ("par.request_changes", "GET"): nobody(),
    ("par.request_changes", "POST"): nobody(),
    ("par.advice", "GET"): nobody(),
    ("par.advice", "POST"): nobody(),
    ("par.decision", "GET"): nobody(),
    ("par.decision", "POST"): nobody(),
    ("par.withdraw", "GET"): nobody(),
    ("par.withdraw", "POST"): nobody(),
    ("par.set_route", "POST"): nobody(),
    ("par.conditions", "GET"): nobody(),
    ("par.conditions", "POST"): nobody(),
    ("documents.par_advice", "POST"): nobody(),
    ("par_dashboard.dashboard", "GET"): only(
        200, Role.PAR_COORDINATOR, Role.SECRETARIAAT, Role.AUDITOR
    ),
    ("par_register.index", "GET"): only(200, Role.PAR_COORDINATOR, Role.SECRETARIAAT, Role.AUDITOR),
    ("par_register.export_csv", "GET"): only(
        200, Role.PAR_COORDINATOR, Role.SECRETARIAAT, Role.AUDITOR
    ),
    ("api_tokens.index", "GET"): logged_in(200),
    ("api_tokens.index", "POST"): logged_in(200),
    ("api_tokens.organisation", "GET"): only(200, Role.BEHEERDER),
    ("api_tokens.revoke", "POST"): logged_in(404),
    # The API: bearer tokens only (tested in tests/test_api_*.py); its description is public.
    ("api-docs.openapi_json", "GET"): public(),
    ("api_docs.page", "GET"): public(),
    ("api_v1.me", "GET"): api_only(),
    ("api_v1.assessments", "GET"): api_only(),
    ("api_v1.assessment", "GET"): api_only(),
    ("api_v1.export", "GET"): api_only(),
    ("api_v1.section", "GET"): api_only(),
    ("api_v1.save_section", "PUT"): api_only(),
    ("api_v1.actions", "GET"): api_only(),
    ("api_v1.act", "POST"): api_only(),
    ("api_v1.generate_report", "POST"): api_only(),
    ("api_v1.report", "GET"): api_only(),
    ("api_v1.import_assessment", "POST"): api_only(),
    ("api_v1.versions", "GET"): api_only(),
    ("api_v1.version", "GET"): api_only(),
    ("api_v1.version_changes", "GET"): api_only(),
    ("api_v1.comments", "GET"): api_only(),
    ("api_v1.add_comment", "POST"): api_only(),
    # The register of processing activities: the FG and the CPO of an organisation see its
    # records, the CPO Rijk and the auditor every organisation's (pia.permissions).
    ("register.index", "GET"): only(200, Role.FG, Role.CPO, Role.CPO_RIJK, Role.AUDITOR),
    ("register.export_csv", "GET"): only(200, Role.FG, Role.CPO, Role.CPO_RIJK, Role.AUDITOR),
    ("register.export_xlsx", "GET"): only(200, Role.FG, Role.CPO, Role.CPO_RIJK, Role.AUDITOR),
    # The portfolio (figures on every DPIA): the CPO of an organisation, the CPO Rijk and
    # the auditor across all.
    ("portfolio.index", "GET"): only(200, Role.CPO, Role.CPO_RIJK, Role.AUDITOR),
    ("portfolio.export_xlsx", "GET"): only(200, Role.CPO, Role.CPO_RIJK, Role.AUDITOR),
}


def routes(app) -> dict[tuple[str, str], object]:
    """Every (endpoint, method) the app serves, with its rule."""
    found = {}
    for rule in app.url_map.iter_rules():
        for method in sorted(rule.methods - AUTOMATIC_METHODS):
            found[(rule.endpoint, method)] = rule
    return found


def test_every_route_has_a_row_in_the_table(app):
    served = routes(app)
    missing = sorted(set(served) - set(EXPECTED))
    stale = sorted(set(EXPECTED) - set(served))
    assert not missing, (
        "Routes without a row in EXPECTED (decide who may use them, then add a row): "
        + ", ".join(f"{m} {e} ({served[(e, m)].rule})" for e, m in missing)
    )
    assert not stale, f"Rows for routes that no longer exist: {stale}"
    for row, expected in EXPECTED.items():
        assert set(expected) == set(COLUMNS), f"{row}: one status per column"


def seeded(app):
    """An assessment of another organisation through the review procedure up to FG advice,
    with a stored report, a draft agreement, a comment and a designated controller; and the
    arguments that build every route's URL for it."""
    from pia import demo_content
    from pia.extensions import db
    from pia.models import ParBody, Questionnaire
    from pia.services import agreements, documents
    from pia.services.questionnaires import definition_for
    from tests.factories_assessments import make_assessment

    target_org = make_org("TGT", "Doelorganisatie")
    target = make_user(Role.PROJECTLEIDER, org="TGT", name="Doel Gebruiker")
    assessment = make_assessment(
        target, org="TGT", prescan=demo_content.PRESCAN, dpia=demo_content.DPIA
    )
    document = documents.generate_report(assessment, actor=target)
    from pia.services import api_tokens

    api_token, _ = api_tokens.create_token(target, "koppeling", ["lezen"], 30)
    agreement = agreements.start_agreement(assessment, demo_content.PARTY_CLOUD, actor=target)
    db.session.commit()
    # Through the review procedure: two versions, a comment, FG advice, a controller.
    from pia.services import review

    target_fg = make_user(Role.FG, org="TGT")
    boss = make_user(org="TGT")
    with app.test_request_context():
        review.designate(assessment, boss.email, "Directeur", target)
        review.submit(assessment, target)
        review.claim(assessment, target_fg)
        comment = review.add_comment(assessment, target_fg, "2", None, "Graag toelichten.")
        review.request_changes(assessment, target_fg, "Zie de opmerking.")
        review.submit(assessment, target)  # stays with target_fg, who handled round one
        advice = review.give_advice(
            assessment, target_fg, review.AdviceInput("conditional", "Goed.", {}, ["Doe dit."])
        )
        db.session.commit()
    from sqlalchemy import select

    from pia.models import Notification

    notification = db.session.scalars(
        select(Notification).where(Notification.user_id == target.id)
    ).first()
    from pia.services import password_links
    from tests.conftest import password_link_token

    with app.test_request_context():
        password_links.send_link(boss, "reset", actor=None)
        db.session.commit()
    token = password_link_token(boss)
    from pia.models import ImportImage, ImportRecord

    record = ImportRecord(
        assessment=assessment, created_by=target, forms="urn:nl:dpia:3.0", notes=[]
    )
    record.images.append(
        ImportImage(question="1.2.1", mimetype="image/png", size=8, content=b"\x89PNG\r\n\x1a\n")
    )
    db.session.add(record)
    db.session.commit()
    arguments = {
        "record_id": record.id,
        "image_id": record.images[0].id,
        "form_name": "dpia",
        "user_id": target.id,
        "org_id": target_org.id,
        "body_id": db.session.scalars(select(ParBody.id)).first(),
        "filename": "css/pia.css",
        "assessment_id": assessment.id,
        "member_id": assessment.members[0].id,
        "questionnaire_name": Questionnaire.PRESCAN.value,
        "section_id": definition_for(assessment, Questionnaire.PRESCAN).user_sections[0].id,
        "document_id": document.id,
        "agreement_id": agreement.id,
        "kind_name": "dpia-rapport",
        "version": 0,
        "number": 1,
        "advice_id": advice.id,
        "comment_id": comment.id,
        "controller_id": review.controllers(assessment)[0].id,
        "notification_id": notification.id,
        "action": "claim",
        "token": token,
        "token_id": api_token.id,
        "provider_id": "test",
    }
    return target, assessment, arguments


def test_every_route_answers_as_the_table_says(app):
    target, assessment, arguments = seeded(app)
    clients = {ANONYMOUS: app.test_client()}
    for column in USERS:
        clients[column] = app.test_client()
        user = make_user(*([] if column == NO_ROLE else [column]), org="BZK")
        log_in(clients[column], user)

    adapter = app.url_map.bind("localhost")
    # Routes without a row are reported by the test above. Logging out goes last: it
    # ends the session the other requests use.
    order = sorted(
        (item for item in routes(app).items() if item[0] in EXPECTED),
        key=lambda item: (item[0][0] == "auth.logout", item[0]),
    )
    wrong = []
    for (endpoint, method), rule in order:
        unknown = set(rule.arguments) - set(arguments)
        assert not unknown, f"{endpoint}: give the test a real object for {unknown}"
        url = adapter.build(endpoint, {name: arguments[name] for name in rule.arguments})
        for column in COLUMNS:
            client = clients[column]
            if method == "GET":
                response = client.get(url)
            else:
                response = client.open(url, method=method, data={"csrf_token": client.csrf_token()})
            response.close()
            expected = EXPECTED[(endpoint, method)][column]
            if response.status_code != expected:
                wrong.append(f"{method} {url} as {column}: {response.status_code}, not {expected}")
            elif column == ANONYMOUS and expected == 302:
                location = response.headers["Location"]
                if not location.startswith("/inloggen"):
                    wrong.append(f"{method} {url} as anonymous: sent to {location}, not login")
    assert not wrong, "\n".join(wrong)


def test_a_new_route_without_any_decorator_requires_login(app, make_app):
    fresh = make_app()

    @fresh.get("/nieuw-en-vergeten")
    def forgotten():
        return "geheim"

    anonymous = fresh.test_client().get("/nieuw-en-vergeten")
    assert anonymous.status_code == 302
    assert anonymous.headers["Location"].startswith("/inloggen")
    client = fresh.test_client()
    log_in(client, make_user(Role.FG))
    assert client.get("/nieuw-en-vergeten").get_data(as_text=True) == "geheim"


def test_missing_objects_are_404_for_beheerders_and_403_first_for_others(client, app):
    beheerder = app.test_client()
    log_in(beheerder, make_user(Role.BEHEERDER))
    fg = app.test_client()
    log_in(fg, make_user(Role.FG))
    for url in (
        "/beheer/gebruikers/999999",
        "/beheer/organisaties/999999",
        "/beheer/overleggen/999999",
    ):
        assert beheerder.get(url).status_code == 404, url
        # Others learn nothing about which ids exist.
        assert fg.get(url).status_code == 403, url


# POSTs that are about one's own account, which every logged-in user has: they change only
# the user's own session, password or notifications (someone else's notification is 404).
OWN_ACCOUNT_POSTS = {
    "auth.login",
    "auth.logout",
    "auth.change_password",
    "notifications.open_one",
    "notifications.mark_all_read",
    "notifications.set_digest",
    # the holder of a one-time link sets their own password (a made-up link changes nothing)
    "auth.set_password",
    # one's own API tokens (a read-only user may read through the API too); someone else's
    # token is not found (tested in tests/test_api_tokens.py)
    "api_tokens.index",
    "api_tokens.revoke",
    # signing in through a provider, the code step of a login, one's own second factor
    "sso.start",
    "second_factor.verify",
    "second_factor.enrol",
    "second_factor.recovery_codes",
    "second_factor.switch_off",
}
# A projectleider starts (or imports) a new assessment of their own: not a change to any
# existing one. With the walk's empty form nothing is made (the snapshot proves it).
NEW_ASSESSMENT_POSTS = {"assessments.create", "assessments.import_file"}
# Tables a request may touch without changing anything: login throttling, session activity.
REQUEST_BOOKKEEPING = {"login_attempts", "user_sessions"}


def snapshot() -> dict[str, list[tuple]]:
    """Every row of every table (but request bookkeeping), to compare before and after."""
    from sqlalchemy import select

    from pia.extensions import db

    db.session.expire_all()
    return {
        table.name: sorted(tuple(map(repr, row)) for row in db.session.execute(select(table)))
        for table in db.metadata.sorted_tables
        if table.name not in REQUEST_BOOKKEEPING
    }


def test_read_only_roles_change_nothing_through_any_post_route(app):
    """The auditor ("kan alles inzien, maar niets wijzigen") and a reader (viewer member)
    get 403 from every POST route, on a draft and on an assessment with FG advice."""
    from pia import demo_content
    from pia.extensions import db
    from pia.models import AssessmentRole
    from pia.services import agreements, documents, review
    from tests.factories_assessments import add_member, make_assessment

    target, advised, arguments = seeded(app)
    draft = make_assessment(target, org="TGT", prescan=demo_content.PRESCAN, dpia=demo_content.DPIA)
    draft_document = documents.generate_report(draft, actor=target)
    draft_agreement = agreements.start_agreement(draft, demo_content.PARTY_CLOUD, actor=target)
    auditor = make_user(Role.AUDITOR, org="BZK")
    viewer = make_user(Role.PROJECTLEIDER, org="TGT")
    for assessment in (advised, draft):
        add_member(assessment, viewer, AssessmentRole.VIEWER)
    db.session.commit()
    on_draft = {
        **arguments,
        "assessment_id": draft.id,
        "member_id": draft.members[0].id,
        "document_id": draft_document.id,
        "agreement_id": draft_agreement.id,
    }
    variants = []
    for base in (arguments, on_draft):
        for questionnaire in ("prescan", "dpia"):
            for action in sorted(review.SIMPLE_ACTIONS):
                section = "1" if questionnaire == "dpia" else base["section_id"]
                variants.append(
                    {**base, "questionnaire_name": questionnaire, "section_id": section}
                    | {"action": action}
                )

    served = routes(app)
    assert {endpoint for endpoint, method in served if method == "POST"} >= OWN_ACCOUNT_POSTS
    posts = sorted(
        (endpoint, rule)
        for (endpoint, method), rule in served.items()
        if method == "POST"
        and endpoint not in OWN_ACCOUNT_POSTS
        # the API ignores the session (401 without a bearer token); its own table is in
        # tests/test_api_core.py
        and not rule.rule.startswith("/api/")
    )
    adapter = app.url_map.bind("localhost")
    readers = {}
    for user in (auditor, viewer):
        readers[user] = app.test_client()
        log_in(readers[user], user)
    before = snapshot()  # after logging in, which is recorded
    wrong = []
    for user, client in readers.items():
        urls = {
            (adapter.build(endpoint, {name: values[name] for name in rule.arguments}), endpoint)
            for endpoint, rule in posts
            for values in variants
        }
        for url, endpoint in sorted(urls):
            response = client.post(url, data={"csrf_token": client.csrf_token(), "generate": "1"})
            response.close()
            own_new = endpoint in NEW_ASSESSMENT_POSTS and user.has_role(Role.PROJECTLEIDER)
            expected = (200, 400) if own_new else (403,)
            if response.status_code not in expected:
                wrong.append(f"POST {url} as {user.email}: {response.status_code}, not {expected}")
    assert not wrong, "\n".join(wrong)
    after = snapshot()
    changed = [name for name in before if before[name] != after[name]]
    assert not changed, f"tables changed by read-only users: {changed}"
