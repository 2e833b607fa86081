"""The register of processing activities: records equal what the adopted DPIAs say."""

import pytest
from sqlalchemy import select

from pia import demo_content as content
from pia.demo import seed_demo
from pia.extensions import db
from pia.models import Assessment, RegisterRecord
from pia.services import register

ADOPTED = ("Samenwerkingsplatform beleidsdirecties", "Declaratiesysteem reiskosten")


@pytest.fixture
def demo(app):
    seed_demo()
    db.session.commit()


def _records(title):
    assessment = db.session.scalar(select(Assessment).where(Assessment.title == title))
    return assessment, db.session.scalars(
        select(RegisterRecord)
        .where(RegisterRecord.assessment_id == assessment.id)
        .order_by(RegisterRecord.version_number, RegisterRecord.position)
    ).all()


# What §2/§3/§5/§6/§8/§10/§17 of the demo DPIA say, written out by hand per operation
# (the demo's version 2 renamed IBAN, see pia.demo._revise).
EXPECTED = {
    content.OP_AANVRAAG: {
        "name": "Aanvraag beoordelen",
        "description": "Aanvraag ontvangen, eigendom controleren in BRK en BRP, beoordelen.",
        "controllers": "Ministerie van Binnenlandse Zaken en Koninkrijksrelaties\n"
        "Uitvoeringsorganisatie subsidies",
        "purposes": "Vaststellen of de aanvrager recht heeft op subsidie.",
        "data_subjects": "Aanvragers\nMedewerkers",
        "data_categories": "Contactgegevens: Naam, Adres, Naam behandelaar\n"
        "Identificatie: BSN (nationaal identificatienummer)\n"
        "Woninggegevens: Kadastrale gegevens woning",
        "recipients": "Leverancier zaaksysteem B.V. (verwerker)",
        "third_country": False,
        "transfers": "Geen doorgifte buiten de EER",
        "retention": "Een aantal jaren — Zeven jaar, voor controle en bezwaar. — doel: "
        "Vaststellen of de aanvrager recht heeft op subsidie.",
    },
    content.OP_BETALING: {
        "name": "Subsidie uitbetalen",
        "description": "Toegekende subsidie overmaken naar de rekening van de aanvrager.",
        "controllers": "Ministerie van Binnenlandse Zaken en Koninkrijksrelaties",
        "purposes": "De toegekende subsidie betalen.",
        "data_subjects": "Aanvragers",
        "data_categories": "Contactgegevens: Naam\n"
        "Financiële gegevens: IBAN (pas na toekenning gevraagd) (gevoelig)",
        "recipients": "Financiële administratie (ontvanger)",
        "third_country": False,
        "transfers": "Geen doorgifte buiten de EER",
        "retention": "Een aantal jaren — Fiscale bewaarplicht van zeven jaar. — doel: "
        "De toegekende subsidie betalen.",
    },
}
SECURITY = (
    "Aanvrager ziet de BRK-gegevens en kan ze corrigeren. (organisatorisch)\n"
    "DigiD op niveau substantieel, versleuteling, verwerkersovereenkomst met auditrecht. "
    "(technisch)"
)


@pytest.mark.demo
def test_every_adopted_demo_dpia_has_one_record_per_operation_with_the_art_30_fields(app, demo):
    for title in ADOPTED:
        assessment, records = _records(title)
        assert [r.operation_id for r in records] == [content.OP_AANVRAAG, content.OP_BETALING]
        for record in records:
            expected = EXPECTED[record.operation_id]
            for name, value in expected.items():
                assert getattr(record, name) == value, (title, record.operation_id, name)
            assert record.security == SECURITY
            assert record.controller_contact == (
                "Dirkje Dekker, Directeur-generaal, directeur@pia.test"
            )
            assert record.fg_contact == "Fatima Gerritsen, FG BZK, fg.bzk@pia.test"
            assert record.current is True
            assert record.version_number == 3  # submitted, resubmitted, processed
            assert record.organisation_id == assessment.organisation_id


@pytest.mark.demo
def test_dpias_not_adopted_have_no_records(app, demo):
    with_records = set(db.session.scalars(select(RegisterRecord.assessment_id).distinct()))
    titles = set(
        db.session.scalars(select(Assessment.title).where(Assessment.id.in_(with_records)))
    )
    assert titles == set(ADOPTED)


@pytest.mark.demo
def test_the_recompute_gives_the_stored_records(app, demo):
    assessment, before = _records(ADOPTED[0])
    fields = [name for name, _ in register.FIELDS] + ["current", "version_number", "adopted_on"]
    stored = [[getattr(r, f) for f in fields] for r in before]
    computed = [[getattr(r, f) for f in fields] for r in register.compute(assessment)]
    assert computed == stored
    register.refresh_all()
    _, after = _records(ADOPTED[0])
    assert [[getattr(r, f) for f in fields] for r in after] == stored


def _user(email):
    from pia.models import User

    return db.session.scalar(select(User).where(User.email == email))


@pytest.mark.demo
def test_a_reassessment_replaces_the_records_and_keeps_the_old_ones_as_history(app, demo):
    from pia.models import Questionnaire
    from pia.services import assessments, review

    owner, fg, boss = (
        _user("projectleider@pia.test"),
        _user("fg.bzk@pia.test"),
        _user("directeur@pia.test"),
    )
    assessment, before = _records(ADOPTED[0])
    with app.test_request_context():
        review.start_reassessment(assessment, owner)
        operations = [
            dict(row) for row in assessments.load_answers(assessment, Questionnaire.DPIA)["3"]
        ]
        operations[1]["naam"] = "Subsidie uitbetalen en terugvorderen"
        assessments.store_answers(assessment, Questionnaire.DPIA, {"3": operations}, actor=owner)
        db.session.commit()
        # While the re-assessment runs, the adopted version still counts.
        _, during = _records(ADOPTED[0])
        assert [r.current for r in during] == [True, True]
        review.submit(assessment, owner)
        review.claim(assessment, fg)
        review.give_advice(
            assessment, fg, review.AdviceInput("positive", "In orde.", {}, ["Blijf evalueren."])
        )
        advice = review.current_advice(assessment)
        review.record_responses(assessment, owner, {advice.recommendations[0].id: ("adopted", "")})
        review.offer_for_adoption(assessment, owner, None)
        review.sign(
            assessment, boss, "Directeur-generaal", "", review.latest_version(assessment).number
        )
        db.session.commit()
    _, after = _records(ADOPTED[0])
    old = [r for r in after if r.version_number == 3]
    new = [r for r in after if r.version_number > 3]
    assert [r.current for r in old] == [False, False]
    assert [r.name for r in old] == ["Aanvraag beoordelen", "Subsidie uitbetalen"]
    assert [r.current for r in new] == [True, True]
    assert [r.name for r in new] == ["Aanvraag beoordelen", "Subsidie uitbetalen en terugvorderen"]
    assert {r.round for r in new} == {2}
    with app.test_request_context():
        review.withdraw(assessment, boss, "De regeling stopt.")
        db.session.commit()
    _, withdrawn = _records(ADOPTED[0])
    assert len(withdrawn) == 4 and not any(r.current for r in withdrawn)


def test_a_transfer_outside_the_eea_a_joint_controller_and_special_data_in_words(app):
    """§8 rows outside the EEA with their mechanism and measures, §6 roles, §2 kinds."""
    import copy

    from forms.loader import get_definition

    definition = get_definition("dpia", "3.0")
    answers = copy.deepcopy(content.DPIA)
    answers["8"][content.OP_BETALING]["8.1"].append(
        {
            "_id": "locus001",
            "locatie": "Verenigde Staten",
            "buiten_eer": True,
            "doorgiftemechanisme": "scc",
            "aanvullende_maatregelen": "Versleuteling met eigen sleutels.",
        }
    )
    answers["6"][content.OP_BETALING]["6.1"].append(
        {
            "_id": "partyjnt",
            "naam": "Belastingdienst",
            "rol": ["gezamenlijk_verwerkingsverantwoordelijke", "ontvanger"],
            "functies": "Controle",
            "persoonsgegevens": [content.P_IBAN],
            "betrokkenen": [content.P_NAAM],
        }
    )
    records = register.operation_records(
        definition,
        answers,
        organisation="Ministerie van Test",
        controller_contact="Iemand",
        fg_contact="De FG",
    )
    payout = records[1]
    assert payout["third_country"] is True
    assert payout["transfers"] == (
        "Verenigde Staten: Standaardcontractbepalingen (SCC); aanvullende maatregelen: "
        "Versleuteling met eigen sleutels."
    )
    assert payout["controllers"] == "Ministerie van Test\nBelastingdienst"
    assert payout["recipients"] == (
        "Financiële administratie (ontvanger)\nBelastingdienst (ontvanger)"
    )
    assert records[0]["third_country"] is False
    assert records[0]["data_categories"].splitlines()[1] == (
        "Identificatie: BSN (nationaal identificatienummer)"
    )
