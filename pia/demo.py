"""The demo: the ministries and one account per role. Running it twice changes nothing."""

from importlib import resources

import yaml
from sqlalchemy import select

from pia.extensions import db
from pia.models import Organisation, User
from pia.roles import Role
from pia.services import accounts, organisations

DEMO_PASSWORD = "demo-wachtwoord-pia-2026"  # noqa: S105 - public demo accounts, see README

# (e-mail, name, function, organisation, roles)
DEMO_USERS: list[tuple[str, str, str, str, set[Role]]] = [
    ("beheerder@pia.test", "Bea Beheer", "Functioneel beheerder", "BZK", {Role.BEHEERDER}),
    ("projectleider@pia.test", "Pieter de Leeuw", "Projectleider", "BZK", {Role.PROJECTLEIDER}),
    ("collega@pia.test", "Carla Collega", "Privacy officer", "BZK", {Role.PROJECTLEIDER}),
    ("fg.bzk@pia.test", "Fatima Gerritsen", "FG BZK", "BZK", {Role.FG}),
    ("fg2.bzk@pia.test", "Frank Goossens", "FG BZK (uitvoering)", "BZK", {Role.FG}),
    ("fg.jenv@pia.test", "Joost Verbeek", "FG JenV", "JenV", {Role.FG}),
    ("projectleider.jenv@pia.test", "Jasmijn Vos", "Projectleider", "JenV", {Role.PROJECTLEIDER}),
    ("par@pia.test", "Paula Adriaans", "PAR-coördinator CIO Rijk", "BZK", {Role.PAR_COORDINATOR}),
    ("secretariaat@pia.test", "Sem Terpstra", "Secretaris ICBR", "BZK", {Role.SECRETARIAAT}),
    ("auditor@pia.test", "Aukje Dijkstra", "Auditor", "Fin", {Role.AUDITOR}),
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
    from pia.services import assessments, questionnaires

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
        added += 1
    return added


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
    return {"organisations": orgs, "users": users, "assessments": seed_assessments()}
