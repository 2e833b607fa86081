"""Benchmark: the DPIA report and processor agreements for a large DPIA, on a temporary SQLite.

    .venv/bin/python scripts/bench_documents.py [--runs 5]

Builds a DPIA with 50 personal-data items, 20 processing operations, 40 risks and
40 measures, then times in one run (a) the app's whole report generation (load
answers, build the context and heat maps, sandboxed render, store and audit) and
(b) a bare docxtpl render of the same template with the same context, and prints
both, their ratio, and the time per processor agreement. No network.
"""

from __future__ import annotations

import argparse
import io
import logging
import statistics
import sys
import tempfile
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

ITEMS, OPERATIONS, RISKS, MEASURES = 50, 20, 40, 40
LEVELS = ("laag", "midden", "hoog")


def rid(prefix: str, n: int) -> str:
    return f"{prefix}{n:04d}".ljust(8, "x")[:8]


def large_dpia() -> dict:
    """The answers of a large, complete DPIA."""
    items = [
        {
            "_id": rid("item", n),
            "persoonsgegeven": f"Gegeven {n}",
            "categorie_betrokkene": f"Groep {n % 5}",
            "categorie_persoonsgegevens": "Contact",
            "type": "nationaal_identificatienummer" if n == 0 else "gewoon",
            "doeleinde": "Aanvraag",
            "via_partij": False,
        }
        for n in range(ITEMS)
    ]
    ops = [
        {
            "_id": rid("oper", n),
            "naam": f"Verwerking {n}",
            "beschrijving": "Beschrijving " * 20,
            "persoonsgegevens": [items[(n + k) % ITEMS]["_id"] for k in range(10)],
        }
        for n in range(OPERATIONS)
    ]
    answers: dict = {"1": "Voorstel. " * 300, "2": items, "3": ops, "4.1": "Techniek " * 50}
    for qid in ("4.2", "4.3", "4.4", "4.5", "4.6"):
        answers[qid] = False
    per = {"5": {}, "6": {}, "8": {}, "9": {}, "10": {}, "11": {}, "13": {}}
    for n, op in enumerate(ops):
        o = op["_id"]
        purpose = rid("doel", n)
        per["5"][o] = {"5.1": [{"_id": purpose, "doel": f"Doel van verwerking {n}"}]}
        per["6"][o] = {
            "6.1": [
                {
                    "_id": rid("ctrl", n),
                    "naam": "Ministerie",
                    "rol": ["verwerkingsverantwoordelijke"],
                    "functies": "Behandelaars",
                    "persoonsgegevens": op["persoonsgegevens"],
                    "betrokkenen": [items[0]["_id"]],
                },
                {
                    "_id": rid("proc", n % 5),
                    "naam": f"Verwerker {n % 5} B.V.",
                    "rol": ["verwerker"],
                    "functies": "Beheer",
                    "persoonsgegevens": op["persoonsgegevens"][:5],
                    "betrokkenen": [items[0]["_id"]],
                },
                {
                    "_id": rid("subp", n),
                    "naam": f"Subverwerker {n}",
                    "rol": ["subverwerker"],
                    "functies": "Hosting",
                    "persoonsgegevens": op["persoonsgegevens"][:2],
                    "betrokkenen": [items[0]["_id"]],
                },
            ]
        }
        per["8"][o] = {
            "8.1": [{"_id": rid("loca", n), "locatie": "Nederland", "buiten_eer": False}]
        }
        per["9"][o] = {"9.1": [{"_id": rid("wett", n), "regeling": "Wet", "artikelen": "1"}]}
        per["10"][o] = {
            "10.1": [
                {
                    "_id": rid("bewa", n),
                    "doeleinde": purpose,
                    "betrokkenen": [items[0]["_id"]],
                    "persoonsgegevens": op["persoonsgegevens"],
                    "termijn": "aantal_jaren",
                    "motivatie": "Zeven jaar.",
                }
            ]
        }
        per["11"][o] = {
            "11.1": [
                {
                    "_id": rid("gron", n),
                    "rechtsgrond": "algemeen_belang",
                    "toelichting": "Wettelijke taak.",
                }
            ]
        }
        per["13"][o] = {"13.1": [{"_id": rid("verd", n), "beoordeling": "niet_van_toepassing"}]}
    answers.update(per)
    answers["16"] = [
        {
            "_id": rid("risk", n),
            "beschrijving": f"Risico {n}: " + "uitleg " * 20,
            "oorsprong": "Oorzaak",
            "kans": LEVELS[n % 3],
            "kans_motivatie": "Motivatie",
            "impact": LEVELS[(n // 3) % 3],
            "impact_motivatie": "Motivatie",
            "risiconiveau_motivatie": "Volgens de matrix.",
        }
        for n in range(RISKS)
    ]
    answers["17.1"] = [
        {
            "_id": rid("maat", n),
            "risicos": [rid("risk", n), rid("risk", (n + 1) % RISKS)],
            "oorsprong": "Oorzaak",
            "maatregel": f"Maatregel {n}",
            "soort": "technisch",
            "resterend_risico": "laag",
            "beheerder": "CISO",
        }
        for n in range(MEASURES)
    ]
    answers.update(
        {
            "12.1.1": False,
            "12.2.1": False,
            "12.3.1": False,
            "14.1": "Ja " * 100,
            "14.2": "Ja " * 100,
            "17.2": "Aanvaardbaar.",
            "18": "Samenvatting " * 80,
        }
    )
    for n in range(1, 9):
        answers.update({f"15.{n}.1": True, f"15.{n}.2": "Procedure.", f"15.{n}.3": "nvt"})
    return answers


def timed(action, runs: int) -> tuple[float, object]:
    times, result = [], None
    for _ in range(runs):
        start = time.perf_counter()
        result = action()
        times.append(time.perf_counter() - start)
    return statistics.median(times), result


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--runs", type=int, default=5, help="runs per measurement (median)")
    args = parser.parse_args()
    logging.disable(logging.WARNING)

    from docx.shared import Mm
    from docxtpl import DocxTemplate, InlineImage
    from flask_migrate import upgrade

    from pia import create_app
    from pia.documents.rendering import clean
    from pia.extensions import db
    from pia.models import DocumentKind, Organisation, Questionnaire, User
    from pia.roles import Role
    from pia.services import agreements, documents
    from pia.services.assessments import create_assessment, store_answers
    from pia.services.questionnaires import start_dpia

    with tempfile.TemporaryDirectory(prefix="pia-bench-") as work:
        app = create_app(
            {
                "TESTING": True,
                "SECRET_KEY": "x" * 40,
                "DATABASE_URL": f"sqlite:///{work}/bench.sqlite3",
            }
        )
        with app.app_context():
            upgrade()
            org = Organisation(name="Ministerie van Voorbeeldzaken", abbreviation="VZ")
            user = User(email="bench@pia.test", name="Bench", organisation=org, password_hash="-")  # noqa: S106
            user.roles = {Role.PROJECTLEIDER}
            db.session.add_all([org, user])
            assessment = create_assessment(
                title="Grote DPIA",
                description="Benchmark",
                organisation=org,
                government_wide=False,
                owner=user,
            )
            start_dpia(assessment, actor=user)
            store_answers(assessment, Questionnaire.DPIA, large_dpia(), actor=user)
            db.session.commit()

            whole, record = timed(
                lambda: documents.generate_report(assessment, actor=user), args.runs
            )
            size_kib = record.size / 1024
            context, images = documents.report_inputs(assessment, user, 1)
            template = documents.template_in_use(DocumentKind.DPIA_REPORT).content
            values = clean(context)

            def bare() -> bytes:
                tpl = DocxTemplate(io.BytesIO(template))
                ctx = dict(values)
                for name, (png, width) in images.items():
                    ctx[name] = InlineImage(tpl, io.BytesIO(png), width=Mm(width))
                tpl.render(ctx, autoescape=True)
                out = io.BytesIO()
                tpl.save(out)
                return out.getvalue()

            bare_time, _ = timed(bare, args.runs)
            processors = agreements.processors_of(assessment)
            drafts = [
                agreements.start_agreement(assessment, p.party_id, actor=user) for p in processors
            ]
            start = time.perf_counter()
            for draft in drafts:
                agreements.generate_agreement(draft, actor=user)
            per_agreement = (time.perf_counter() - start) / len(drafts)
            db.session.commit()
            db.engine.dispose()

    print(
        f"DPIA: {ITEMS} persoonsgegevens, {OPERATIONS} verwerkingen, {RISKS} risico's, "
        f"{MEASURES} maatregelen; report {size_kib:.0f} KiB; median of {args.runs}"
    )
    print(f"(a) whole report generation in the app: {whole:.3f} s")
    print(f"(b) bare docxtpl render, same template and context: {bare_time:.3f} s")
    print(f"ratio (a)/(b): {whole / bare_time:.2f}")
    print(f"per processor agreement ({len(drafts)} made): {per_agreement:.3f} s")


if __name__ == "__main__":
    main()
