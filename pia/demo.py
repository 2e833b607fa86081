"""The demo: the ministries and one account per role. Running it twice changes nothing."""

from importlib import resources

import yaml
from flask import current_app
from sqlalchemy import select

from pia.extensions import db
from pia.models import Organisation, User
from pia.roles import Role
from pia.services import accounts, organisations
from pia.services.review.record import local_date

DEMO_PASSWORD = "demo-wachtwoord-pia-2026"  # noqa: S105 - public demo accounts, see README

# (e-mail, name, function, organisation, roles)
DEMO_USERS: list[tuple[str, str, str, str, set[Role]]] = [
    ("beheerder@pia.test", "Bea Beheer", "Functioneel beheerder", "BZK", {Role.BEHEERDER}),
    ("projectleider@pia.test", "Pieter de Leeuw", "Projectleider", "BZK", {Role.PROJECTLEIDER}),
    ("collega@pia.test", "Carla Collega", "Privacy officer", "BZK", {Role.PROJECTLEIDER}),
    ("fg.bzk@pia.test", "Fatima Gerritsen", "FG BZK", "BZK", {Role.FG}),
    ("fg2.bzk@pia.test", "Frank Goossens", "FG BZK (uitvoering)", "BZK", {Role.FG}),
    ("fg.jenv@pia.test", "Joost Verbeek", "FG JenV", "JenV", {Role.FG}),
    ("fg.fin@pia.test", "Femke Bakker", "FG Financiën", "Fin", {Role.FG}),
    ("projectleider.jenv@pia.test", "Jasmijn Vos", "Projectleider", "JenV", {Role.PROJECTLEIDER}),
    ("par@pia.test", "Paula Adriaans", "PAR-coördinator CIO Rijk", "BZK", {Role.PAR_COORDINATOR}),
    ("secretariaat@pia.test", "Sem Terpstra", "Secretaris ICBR", "BZK", {Role.SECRETARIAAT}),
    ("auditor@pia.test", "Aukje Dijkstra", "Auditor", "Fin", {Role.AUDITOR}),
    ("cpo.bzk@pia.test", "Charlotte Postma", "CPO BZK", "BZK", {Role.CPO}),
    ("cpo@pia.test", "Cornelis Prins", "CPO Rijk", "BZK", {Role.CPO_RIJK}),
    # No organisation-wide role: the owner designates her per assessment as controller.
    ("directeur@pia.test", "Dirkje Dekker", "Directeur-generaal", "BZK", set()),
]


def ministries() -> list[dict[str, str]]:
    """The seed list of ministries."""
    text = resources.files("pia").joinpath("data/ministries.yaml").read_text("utf-8")
    return yaml.safe_load(text)


def seed_organisations() -> int:
    """Add missing ministries; return how many were added."""
    added = 0
    for item in ministries():
        exists = db.session.scalar(
            select(Organisation.id).where(Organisation.abbreviation == item["abbreviation"])
        )
        if not exists:
            organisations.create_organisation(
                name=item["name"], abbreviation=item["abbreviation"], is_ministry=True, actor=None
            )
            added += 1
    return added


def seed_assessments() -> int:
    """Example assessments: a complete DPIA and a pre-scan in progress; return how many added."""
    from pia import demo_content as content
    from pia.models import Assessment, AssessmentRole, Questionnaire
    from pia.services import assessments, questionnaires, review

    def user(email: str) -> User:
        return db.session.scalar(select(User).where(User.email == email))

    added = 0
    examples = [
        (
            content.TITLE,
            content.DESCRIPTION,
            "BZK",
            "projectleider@pia.test",
            content.PRESCAN,
            content.DPIA,
            [("collega@pia.test", AssessmentRole.EDITOR)],
        ),
        (
            content.SECOND_TITLE,
            content.SECOND_DESCRIPTION,
            "JenV",
            "projectleider.jenv@pia.test",
            content.SECOND_PRESCAN,
            None,
            [],
        ),
    ]
    for title, description, org_abbr, owner_email, prescan, dpia, shares in examples:
        if db.session.scalar(select(Assessment.id).where(Assessment.title == title)):
            continue
        owner = user(owner_email)
        org = db.session.scalar(select(Organisation).where(Organisation.abbreviation == org_abbr))
        assessment = assessments.create_assessment(
            title=title,
            description=description,
            organisation=org,
            government_wide=False,
            owner=owner,
        )
        assessments.store_answers(assessment, Questionnaire.PRESCAN, prescan, actor=owner)
        if dpia is not None:
            questionnaires.start_dpia(assessment, actor=owner)
            assessments.store_answers(assessment, Questionnaire.DPIA, dpia, actor=owner)
        for email, role in shares:
            assessments.share(assessment, email, role, actor=owner)
        if dpia is not None:
            review.designate(assessment, "directeur@pia.test", "Directeur-generaal", owner)
        added += 1
    from pia.demo_par import seed_par_examples
    from pia.demo_par_history import seed_par_history

    return added + seed_procedure_examples() + seed_par_examples() + seed_par_history()


# (title, the state it is brought to)
PROCEDURE_EXAMPLES = [
    ("Subsidieregeling verduurzaming maatschappelijk vastgoed", "submitted"),
    ("Portaal aanvragen monumentenvergunning", "in_review"),
    ("Klantcontactsysteem huurtoeslagvragen", "changes_requested"),
    ("Registratie deelnemers leiderschapsprogramma", "advice_given"),
    ("Cameratoezicht en toegangspassen rijkskantoren", "ap_consultation"),
    ("Zaaksysteem bezwaarschriften", "awaiting_adoption"),
    ("Samenwerkingsplatform beleidsdirecties", "adopted"),
    ("Declaratiesysteem reiskosten", "in_use"),
    ("Proef spraakherkenning telefoonnotities", "withdrawn"),
]


def seed_procedure_examples() -> int:
    """One example assessment in every state of the review procedure; return how many added."""
    from datetime import timedelta

    from pia import demo_content as content
    from pia.models import Assessment, Questionnaire
    from pia.services import assessments, questionnaires, review

    def user(email: str) -> User:
        return db.session.scalar(select(User).where(User.email == email))

    owner, fg, fg2 = (
        user("projectleider@pia.test"),
        user("fg.bzk@pia.test"),
        user("fg2.bzk@pia.test"),
    )
    boss = user("directeur@pia.test")
    org = db.session.scalar(select(Organisation).where(Organisation.abbreviation == "BZK"))
    added = 0
    for title, target in PROCEDURE_EXAMPLES:
        if db.session.scalar(select(Assessment.id).where(Assessment.title == title)):
            continue
        a = assessments.create_assessment(
            title=title,
            description=f"Voorbeeld in de status ‘{target}’: {content.DESCRIPTION}",
            organisation=org,
            government_wide=False,
            owner=owner,
        )
        assessments.store_answers(a, Questionnaire.PRESCAN, content.PRESCAN, actor=owner)
        questionnaires.start_dpia(a, actor=owner)
        dpia = dict(content.DPIA)
        if target == "ap_consultation":
            measures = [dict(m) for m in dpia["17.1"]]
            measures[0]["resterend_risico"] = "hoog"
            dpia["17.1"] = measures
            dpia["17.2"] = "Eén restrisico blijft hoog: de AP wordt vooraf geraadpleegd."
        assessments.store_answers(a, Questionnaire.DPIA, dpia, actor=owner)
        review.designate(a, boss.email, "Directeur-generaal", owner)
        _bring_to(a, target, owner, fg, fg2, boss)
        if target == "submitted":
            # Submitted five weeks ago: shows an overdue FG term.
            item = review.current_review(a)
            item.submitted_at -= timedelta(weeks=5)
            item.due_on = review.due_on(local_date(item.submitted_at))
            db.session.add(item)
        db.session.flush()
        added += 1
    return added


def _revise(a, owner: User) -> None:
    """What the drafters change after the FG's remarks, so versions 1 and 2 differ."""
    from pia.models import Questionnaire
    from pia.services.assessments import load_answers, store_answers

    answers = load_answers(a, Questionnaire.DPIA)
    rows = [dict(row) for row in answers.get("2", [])]
    iban = next((row for row in rows if row.get("persoonsgegeven") == "IBAN"), None)
    if iban is not None:
        iban["persoonsgegeven"] = "IBAN (pas na toekenning gevraagd)"
    store_answers(
        a,
        Questionnaire.DPIA,
        {
            "2": rows,
            "1.aanvullend": "Na het advies van de FG vragen we het IBAN pas op bij toekenning.",
        },
        actor=owner,
    )


def _bring_to(a, target: str, owner: User, fg: User, fg2: User, boss: User) -> None:
    """Walk the procedure with the real services up to `target`."""
    from pia.services import review

    review.submit(a, owner)
    if target == "submitted":
        return
    if target == "withdrawn":
        review.withdraw(a, owner, "Het project is gestopt; de verwerking gaat niet door.")
        return
    review.claim(a, fg2 if target == "in_review" else fg)
    if target == "in_review":
        return
    review.add_comment(
        a, fg, "2", "2", "Is het IBAN nodig voor alle aanvragers, of alleen bij toekenning?"
    )
    review.add_comment(a, fg, "9", None, "Onderbouw de bewaartermijn per categorie gegevens.")
    review.request_changes(a, fg, "Graag de bewaartermijnen en het IBAN nader onderbouwen.")
    if target == "changes_requested":
        return
    _revise(a, owner)
    for c in review.comments(a):
        review.add_comment(a, owner, c.section_id, None, "Aangepast in de nieuwe versie.", c)
        review.set_resolved(a, owner, c, True)
    review.submit(a, owner)  # stays with fg, who handled the first round
    review.give_advice(
        a,
        fg,
        review.AdviceInput(
            conclusion="conditional",
            reasoning="De verwerking is noodzakelijk en de risico's zijn in beeld. Onder de "
            "voorwaarden hieronder is de verwerking verantwoord.",
            findings={"9": "De bewaartermijnen zijn nu per categorie onderbouwd."},
            recommendations=[
                "Vraag het IBAN pas op bij toekenning van de subsidie.",
                "Evalueer de bewaartermijnen na het eerste jaar.",
            ],
        ),
    )
    if target == "advice_given":
        return
    advice = review.current_advice(a)
    review.record_responses(
        a,
        owner,
        {
            advice.recommendations[0].id: ("adopted", "Het IBAN wordt pas na toekenning gevraagd."),
            advice.recommendations[1].id: ("adopted", ""),
        },
    )
    if target == "ap_consultation":
        review.request_ap_consultation(a, owner, review.today(), "AP-2026-0815")
        return
    review.offer_for_adoption(a, owner, None)
    if target == "awaiting_adoption":
        return
    review.sign(a, boss, "Directeur-generaal", "", review.latest_version(a).number)
    if target == "in_use":
        review.put_in_use(a, owner)


def seed_demo() -> dict[str, int]:
    """Seed organisations, demo users and example assessments; existing rows are left alone."""
    orgs = seed_organisations()
    users = 0
    for email, name, function, org_abbr, roles in DEMO_USERS:
        if db.session.scalar(select(User.id).where(User.email == email)):
            continue
        org = db.session.scalar(select(Organisation).where(Organisation.abbreviation == org_abbr))
        accounts.create_user(
            email=email,
            name=name,
            function=function,
            organisation=org,
            roles=roles,
            password=DEMO_PASSWORD,
            must_change_password=False,
        )
        users += 1
    db.session.flush()
    # The services link notifications to pages, so they need a request context.
    # Demo notifications stay in the app: no mail for what happened before anyone logged in.
    backend = current_app.config["MAIL_BACKEND"]
    current_app.config["MAIL_BACKEND"] = "none"
    try:
        with current_app.test_request_context(base_url=current_app.config["BASE_URL"]):
            examples = seed_assessments()
    finally:
        current_app.config["MAIL_BACKEND"] = backend
    if examples:
        settle_notifications()
    return {"organisations": orgs, "users": users, "assessments": examples}


KEEP_UNREAD = 3
"""What each demo user finds new when first logging in; the seed's history is read."""


def settle_notifications() -> None:
    """Mark the notices the seed produced read, except each user's newest few."""
    from sqlalchemy import update

    from pia.models import Notification
    from pia.models.types import utcnow

    for user_id in db.session.scalars(select(User.id)):
        keep = db.session.scalars(
            select(Notification.id)
            .where(Notification.user_id == user_id)
            .order_by(Notification.id.desc())
            .limit(KEEP_UNREAD)
        ).all()
        db.session.execute(
            update(Notification)
            .where(
                Notification.user_id == user_id,
                Notification.read_at.is_(None),
                Notification.id.not_in(keep or [0]),
            )
            .values(read_at=utcnow())
        )
