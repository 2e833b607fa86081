"""Factories for the PAR tests: a complete government-wide DPIA and the people around it."""

from datetime import timedelta

from pia import demo_content
from pia.extensions import db
from pia.roles import Role
from tests.conftest import make_org, make_user
from tests.factories_assessments import make_assessment


def par_assessment(owner=None, *, title: str = "Rijksbrede werkplekdienst"):
    """A complete DPIA of BZK, marked government-wide (staff data in the pre-scan)."""
    owner = owner or make_user(Role.PROJECTLEIDER, org="BZK")
    assessment = make_assessment(
        owner,
        title=title,
        org="BZK",
        prescan=demo_content.PRESCAN,
        dpia=demo_content.DPIA,
    )
    assessment.government_wide = True
    db.session.commit()
    return assessment


def people():
    """Coordinator, secretariat and an FG of three ministries (BZK, JenV, Fin)."""
    for abbreviation in ("BZK", "JenV", "Fin"):
        make_org(abbreviation)
    return {
        "par": make_user(Role.PAR_COORDINATOR, org="BZK", name="Paula Coördinator"),
        "sec": make_user(Role.SECRETARIAAT, org="BZK", name="Sem Secretaris"),
        "bzk": make_user(Role.FG, org="BZK", name="Fatima FG BZK"),
        "jenv": make_user(Role.FG, org="JenV", name="Joost FG JenV"),
        "fin": make_user(Role.FG, org="Fin", name="Frits FG Fin"),
    }


def orgs(*abbreviations):
    return tuple(make_org(a).id for a in abbreviations)


def send(app, assessment, coordinator, *abbreviations, weeks: int = 4):
    from pia.services import par, review

    with app.test_request_context():
        choice = par.Consultation(orgs(*abbreviations), review.today() + timedelta(weeks=weeks))
        par.send_to_fgs(assessment, coordinator, choice)
        db.session.commit()
