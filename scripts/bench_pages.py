"""Benchmark: the app's pages at scale, under gunicorn, against a Flask hello-world.

    PYTHONPATH=. .venv/bin/python scripts/bench_pages.py --sizes 100,10000 \\
        --max-requests 30 --max-seconds 20

Per size N: a temporary directory with a fresh SQLite database (migrations, the demo
seed) and N extra assessments cloned in bulk from the demo's eleven example
assessments (every state of the procedure, spread over the fifteen ministries, about
20% open submissions to the BZK FGs). The app and a hello-world app each run under
gunicorn (2 sync workers, --timeout 120, 127.0.0.1 on a free port); the script logs
in as six demo roles and times each page sequentially (one request at a time) until
--max-requests requests or --max-seconds seconds (a page is left after a request
that exceeds --timeout; the script then waits until the workers are idle again), and
prints requests/s, p50 and p95, the status codes and the ratio to hello-world.
Then it adds one large DPIA through the services (500 personal-data rows, 500
operations, 500 risks, 500 measures; owner projectleider@, submitted to the BZK FGs)
and times its pages and the lists it appears on; added only now, so that it does not
dominate the lists of the first part. Last, the workers' peak RSS (VmRSS, sampled
twice a second). No network beyond 127.0.0.1.

The clones are the demo's own rows (answers, members, frozen versions, reviews,
comments, advice, recommendations, controllers, signatures, AP consultations,
notifications, audit events with a valid hash chain), copied with SQLAlchemy core
inserts under new ids, titles, owners, FGs and controllers.
"""

from __future__ import annotations

import argparse
import atexit
import contextlib
import json
import logging
import os
import random
import re
import secrets
import signal
import socket
import subprocess
import sys
import tempfile
import threading
import time
from dataclasses import dataclass, field
from html.parser import HTMLParser
from http.client import HTTPConnection
from pathlib import Path
from types import SimpleNamespace
from urllib.parse import urlencode

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

PASSWORD = "demo-wachtwoord-pia-2026"  # noqa: S105 - the public demo password (README)
ROLES = {
    "projectleider": "projectleider@pia.test",
    "fg.bzk": "fg.bzk@pia.test",
    "auditor": "auditor@pia.test",
    "beheerder": "beheerder@pia.test",
    "directeur": "directeur@pia.test",
    "par": "par@pia.test",
}
LARGE_ROWS = 500  # forms.answers.MAX_ROWS: the most a table may hold today
LARGE_TITLE = "Benchmark: grote DPIA met 500 regels per tabel"
PROJECTLEADERS_PER_MINISTRY = 20
# The 80% outside the open BZK submissions: demo example (by state) → weight.
STATE_WEIGHTS = {
    "concept": 25,
    "prescan": 10,
    "submitted": 8,
    "in_review": 7,
    "changes_requested": 8,
    "advice_given": 8,
    "ap_consultation": 4,
    "awaiting_adoption": 6,
    "adopted": 10,
    "in_use": 10,
    "withdrawn": 4,
}
OPEN_BZK_SHARE = 0.20  # open submissions to the BZK FGs (half unclaimed, half claimed)
OWNED_BY_DEMO_LEAD = 0.05  # clones owned by projectleider@ (in BZK)

log = logging.getLogger("bench_pages")


def say(message: str) -> None:
    print(message, file=sys.stderr, flush=True)


# --- the large DPIA ------------------------------------------------------------------------


def rid(prefix: str, n: int) -> str:
    """A row id: 8 lowercase letters and digits."""
    return f"{prefix}{n:04d}"


def large_dpia(rows: int = LARGE_ROWS) -> dict:
    """A complete DPIA with `rows` rows in §2, §3, §16 and §17 (the demo's answers, scaled)."""
    from pia import demo_content as c

    base = c.DPIA
    items = [dict(base["2"][n]) for n in range(len(base["2"]))]
    for n in range(len(items), rows):
        items.append(
            {
                "_id": rid("item", n),
                "persoonsgegeven": f"Gegeven {n}",
                "categorie_betrokkene": f"Groep {n % 7}",
                "categorie_persoonsgegevens": f"Categorie {n % 11}",
                "type": "gevoelig" if n % 5 == 1 else "gewoon",
                "doeleinde": f"Doeleinde {n % 13}",
                "via_partij": False,
            }
        )
    ids = [i["_id"] for i in items]
    ops = [dict(o) for o in base["3"]]
    for n in range(len(ops), rows):
        ops.append(
            {
                "_id": rid("oper", n),
                "naam": f"Verwerking {n}",
                "beschrijving": f"Verwerking {n}: gegevens ontvangen, controleren en vastleggen.",
                "persoonsgegevens": [ids[(n * 7 + k) % rows] for k in range(5)],
            }
        )
    answers = dict(base)
    answers["2"], answers["3"] = items, ops
    first, second = c.OP_AANVRAAG, c.OP_BETALING
    for section in ("5", "6", "8", "9", "10", "11", "13"):
        per = dict(base[section])
        for n, op in enumerate(ops[2:], start=2):
            model = json.loads(json.dumps(base[section][first if n % 2 else second]))
            for table in model.values():
                for k, row in enumerate(table):
                    row["_id"] = rid(f"s{section.zfill(2)}{k}", n)
                    if "persoonsgegevens" in row:
                        row["persoonsgegevens"] = op["persoonsgegevens"][:3]
            per[op["_id"]] = model
        answers[section] = per
    # §10 names a §5 purpose of its own operation.
    for op in ops[2:]:
        purpose = answers["5"][op["_id"]]["5.1"][0]["_id"]
        for row in answers["10"][op["_id"]]["10.1"]:
            row["doeleinde"] = purpose
    levels = ("laag", "midden", "hoog")
    risks = [dict(r) for r in base["16"]]
    for n in range(len(risks), rows):
        risks.append(
            {
                "_id": rid("risk", n),
                "beschrijving": f"Risico {n}: onbevoegde toegang tot gegevens van groep {n % 7}.",
                "oorsprong": "Beveiligingsincident",
                "kans": levels[n % 3],
                "kans_motivatie": "Ingeschat door de CISO.",
                "impact": levels[(n // 3) % 3],
                "impact_motivatie": "Gevolgen voor betrokkenen.",
                "risiconiveau_motivatie": "Volgens de matrix.",
            }
        )
    risk_ids = [r["_id"] for r in risks]
    measures = [dict(m) for m in base["17.1"]]
    for n in range(len(measures), rows):
        measures.append(
            {
                "_id": rid("maat", n),
                "risicos": [risk_ids[n % rows], risk_ids[(n + 1) % rows]],
                "oorsprong": "Beveiliging",
                "maatregel": f"Maatregel {n}: toegang op basis van rollen, logging en controle.",
                "soort": ("technisch", "organisatorisch")[n % 2],
                "resterend_risico": "laag",
                "toezicht_land": "Nederland",
                "beheerder": "CISO",
            }
        )
    answers["16"], answers["17.1"] = risks, measures
    return answers


# --- seeding -------------------------------------------------------------------------------


@dataclass
class Seeded:
    """What the page runs need to know about the seeded database."""

    n: int
    seconds: float
    clone_seconds: float
    ids: dict[str, int]
    counts: dict[str, int] = field(default_factory=dict)
    large_seconds: float = 0.0


def seed(url: str, secret: str, n: int) -> Seeded:
    """Migrate, seed the demo and add `n` assessments cloned from its examples."""
    from flask_migrate import upgrade
    from sqlalchemy import func, select, text

    from pia import create_app
    from pia import demo as demo_module
    from pia import demo_content as content
    from pia.extensions import db
    from pia.models import Assessment

    start = time.perf_counter()
    app = create_app(
        {
            "ENV": "production",
            "SECRET_KEY": secret,
            "DATABASE_URL": url,
            "MAIL_BACKEND": "none",
            # plain http on 127.0.0.1: production refuses that unless told to start anyway
            "ALLOW_UNSAFE_SETTINGS": True,
        }
    )
    with app.app_context():
        upgrade()
        demo_module.seed_demo()
        db.session.commit()
        titles = {content.TITLE: "concept", content.SECOND_TITLE: "prescan"}
        titles.update({t: s for t, s in demo_module.PROCEDURE_EXAMPLES})
        templates = {
            titles[title]: aid
            for aid, title in db.session.execute(select(Assessment.id, Assessment.title))
            if title in titles
        }
        assert len(templates) == 11, templates

        clone_start = time.perf_counter()
        conn = db.session.connection()
        conn.execute(text("PRAGMA synchronous=OFF"))
        Cloner(conn, templates).run(n)
        db.session.commit()
        clone_seconds = time.perf_counter() - clone_start
        counts = {
            t: db.session.scalar(select(func.count()).select_from(db.metadata.tables[t]))
            for t in ("assessments", "answers", "assessment_versions", "reviews", "audit_events")
        }
        db.session.remove()
        db.engine.dispose()
    return Seeded(n, time.perf_counter() - start, clone_seconds, templates, counts)


def add_large(url: str, secret: str) -> tuple[int, float]:
    """Add the large DPIA through the services (owner projectleider@, submitted to the
    BZK FGs); return its id and the seconds it took."""
    from sqlalchemy import select

    from pia import create_app
    from pia import demo_content as content
    from pia.extensions import db
    from pia.models import Organisation, Questionnaire, User
    from pia.services import assessments, questionnaires, review

    app = create_app(
        {
            "ENV": "production",
            "SECRET_KEY": secret,
            "DATABASE_URL": url,
            "MAIL_BACKEND": "none",
            # plain http on 127.0.0.1: production refuses that unless told to start anyway
            "ALLOW_UNSAFE_SETTINGS": True,
        }
    )
    with app.app_context():
        large_start = time.perf_counter()
        with app.test_request_context(base_url=app.config["BASE_URL"]):
            owner = db.session.scalar(select(User).where(User.email == ROLES["projectleider"]))
            bzk = db.session.scalar(select(Organisation).where(Organisation.abbreviation == "BZK"))
            big = assessments.create_assessment(
                title=LARGE_TITLE,
                description="Eén DPIA met zoveel regels als de tabellen toestaan.",
                organisation=bzk,
                government_wide=False,
                owner=owner,
            )
            assessments.store_answers(big, Questionnaire.PRESCAN, content.PRESCAN, actor=owner)
            questionnaires.start_dpia(big, actor=owner)
            assessments.store_answers(big, Questionnaire.DPIA, large_dpia(), actor=owner)
            review.designate(big, ROLES["directeur"], "Directeur-generaal", owner)
            st = questionnaires.status(big)
            if not (st.dpia_progress and st.dpia_progress.complete):
                missing = st.dpia_progress.missing if st.dpia_progress else ()
                raise SystemExit(f"the large DPIA is not complete: {missing[:3]}")
            review.submit(big, owner)
            db.session.commit()
            large_id = big.id
        large_seconds = time.perf_counter() - large_start
        db.session.remove()
        db.engine.dispose()
    return large_id, large_seconds


# Which template user a user column of a demo row stands for.
DEMO_USER_KEYS = {
    "projectleider@pia.test": "owner",
    "projectleider.jenv@pia.test": "owner",
    "collega@pia.test": "editor",
    "fg.bzk@pia.test": "fg",
    "fg.jenv@pia.test": "fg",
    "fg2.bzk@pia.test": "fg2",
    "directeur@pia.test": "boss",
}
USER_COLUMNS = {
    "created_by_id",
    "updated_by_id",
    "user_id",
    "submitted_by_id",
    "claimed_by_id",
    "closed_by_id",
    "author_id",
    "resolved_by_id",
    "fg_id",
    "responded_by_id",
    "added_by_id",
    "recorded_by_id",
    "actor_id",
}
# Tables copied per assessment, in foreign-key order; (table, own id column or None).
PER_ASSESSMENT = [
    ("assessments", "id"),
    ("assessment_members", "id"),
    ("answers", "id"),
    ("section_versions", None),
    ("assessment_versions", "id"),
    ("reviews", "id"),
    ("review_comments", "id"),
    ("fg_advices", "id"),
    ("fg_recommendations", "id"),
    ("assessment_controllers", "id"),
    ("signatures", "id"),
    ("ap_consultations", "id"),
    ("notifications", "id"),
    ("audit_events", "id"),
    ("assessment_figures", None),
    ("assessment_authors", None),
]
# Foreign keys to rows copied along: column → the table whose new ids it takes.
LINKS = {
    "version_id": "assessment_versions",
    "processed_version_id": "assessment_versions",
    "review_id": "reviews",
    "advice_id": "fg_advices",
    "parent_id": "review_comments",
}


class Cloner:
    """Copies the demo's example assessments N times with core inserts."""

    BATCH = 500

    def __init__(self, conn, templates: dict[str, int]) -> None:
        from pia.extensions import db

        self.conn, self.templates, self.tables = conn, templates, db.metadata.tables
        self.rng = random.Random(20261202)  # noqa: S311 - reproducible data, not security
        self.rows = {key: self._template_rows(aid) for key, aid in templates.items()}
        self.next_id = {}
        for name, column in PER_ASSESSMENT:
            if column:
                table = self.tables[name]
                top = conn.execute(
                    table.select()
                    .with_only_columns(table.c.id)
                    .order_by(table.c.id.desc())
                    .limit(1)
                ).scalar()
                self.next_id[name] = (top or 0) + 1
        self.prev_hash = conn.execute(
            self.tables["audit_events"]
            .select()
            .with_only_columns(self.tables["audit_events"].c.hash)
            .order_by(self.tables["audit_events"].c.id.desc())
            .limit(1)
        ).scalar()

    def _template_rows(self, aid: int) -> dict[str, list[dict]]:
        t = self.tables
        rows: dict[str, list[dict]] = {}
        for name, _ in PER_ASSESSMENT:
            table = t[name]
            if name == "assessments":
                query = table.select().where(table.c.id == aid)
            elif name == "fg_recommendations":
                advices = t["fg_advices"].select().with_only_columns(t["fg_advices"].c.id)
                query = table.select().where(
                    table.c.advice_id.in_(advices.where(t["fg_advices"].c.assessment_id == aid))
                )
            elif name == "audit_events":
                query = table.select().where(
                    table.c.object_type == "assessment", table.c.object_id == str(aid)
                )
            else:
                query = table.select().where(table.c.assessment_id == aid)
            if "id" in table.c:
                query = query.order_by(table.c.id)
            rows[name] = [dict(r) for r in self.conn.execute(query).mappings()]
        return rows

    # -- people --

    def _users(self) -> None:
        """The demo users by key, and per ministry: two FGs, a director, projectleaders."""
        from datetime import UTC, datetime

        t = self.tables
        users, roles = t["users"], t["user_roles"]
        demo = {
            r.email: r
            for r in self.conn.execute(
                users.select().with_only_columns(users.c.id, users.c.email, users.c.name)
            )
        }
        self.demo_ids = {demo[e].id: key for e, key in DEMO_USER_KEYS.items()}
        password = self.conn.execute(
            users.select()
            .with_only_columns(users.c.password_hash)
            .where(users.c.email == ROLES["projectleider"])
        ).scalar()
        orgs = list(
            self.conn.execute(
                t["organisations"]
                .select()
                .with_only_columns(t["organisations"].c.id, t["organisations"].c.abbreviation)
                .order_by(t["organisations"].c.id)
            )
        )
        top = self.conn.execute(
            users.select().with_only_columns(users.c.id).order_by(users.c.id.desc()).limit(1)
        ).scalar()
        now = datetime.now(UTC)
        new_users, new_roles = [], []
        self.people: dict[int, dict[str, list]] = {}

        def person(email: str, name: str, function: str, org_id: int, role: str | None):
            nonlocal top
            if email in demo:
                r = demo[email]
                return SimpleNamespace(id=r.id, email=r.email, name=r.name)
            top += 1
            new_users.append(
                {
                    "id": top,
                    "email": email,
                    "name": name,
                    "function": function,
                    "organisation_id": org_id,
                    "password_hash": password,
                    "must_change_password": False,
                    "active": True,
                    "created_at": now,
                    "password_changed_at": now,
                }
            )
            if role:
                new_roles.append({"user_id": top, "role": role})
            return SimpleNamespace(id=top, email=email, name=name)

        for org in orgs:
            a = org.abbreviation.lower()
            self.people[org.id] = {
                "fg": person(f"fg.{a}@pia.test", f"FG {org.abbreviation}", "FG", org.id, "fg"),
                "fg2": person(
                    f"fg2.{a}@pia.test", f"Tweede FG {org.abbreviation}", "FG", org.id, "fg"
                ),
                "boss": person(
                    f"dg.{a}@bench.test", f"Directeur {org.abbreviation}", "DG", org.id, None
                ),
                "leads": [
                    person(
                        f"pl{k:02d}.{a}@bench.test",
                        f"Projectleider {k} {org.abbreviation}",
                        "Projectleider",
                        org.id,
                        "projectleider",
                    )
                    for k in range(PROJECTLEADERS_PER_MINISTRY)
                ],
            }
        if new_users:
            self.conn.execute(users.insert(), new_users)
            self.conn.execute(roles.insert(), new_roles)
        self.bzk = next(o.id for o in orgs if o.abbreviation == "BZK")
        self.org_ids = [o.id for o in orgs]
        self.demo_people = {
            key: SimpleNamespace(id=demo[e].id, email=e, name=demo[e].name)
            for e, key in DEMO_USER_KEYS.items()
            if e.endswith("bzk@pia.test") or e in ("collega@pia.test", "directeur@pia.test")
        }
        self.demo_people["owner"] = SimpleNamespace(
            id=demo[ROLES["projectleider"]].id,
            email=ROLES["projectleider"],
            name=demo[ROLES["projectleider"]].name,
        )

    # -- one clone --

    def _plan(self, k: int, n: int) -> tuple[str, int, dict[str, SimpleNamespace]]:
        """Template key, organisation and the people standing in for the demo users."""
        rng = self.rng
        if k < round(n * OPEN_BZK_SHARE):
            key, org = ("submitted", "in_review")[k % 2], self.bzk
        else:
            key = rng.choices(list(STATE_WEIGHTS), weights=list(STATE_WEIGHTS.values()))[0]
            org = self.org_ids[k % len(self.org_ids)]
        staff = self.people[org]
        leads = staff["leads"]
        owner, editor = rng.sample(leads, 2)
        cast = {"owner": owner, "editor": editor, "fg": staff["fg"], "fg2": staff["fg2"]}
        cast["boss"] = staff["boss"]
        if rng.random() < OWNED_BY_DEMO_LEAD:
            org = self.bzk
            staff = self.people[org]
            cast = {
                "owner": self.demo_people["owner"],
                "editor": self.demo_people["editor"],
                "fg": staff["fg"],
                "fg2": staff["fg2"],
                "boss": self.demo_people["boss"],
            }
        if org == self.bzk and key == "in_review" and k % 4 == 1:
            cast["fg"], cast["fg2"] = cast["fg2"], cast["fg"]  # fg.bzk@ claimed this one
        return key, org, cast

    def _clone(self, k: int, n: int, out: dict[str, list[dict]]) -> None:
        from pia.services.audit import _digest

        key, org, cast = self._plan(k, n)
        src = self.rows[key]
        old_aid = self.templates[key]
        old_title = src["assessments"][0]["title"]
        title = f"{old_title} ({k + 1})"
        users = {uid: cast[role] for uid, role in self.demo_ids.items()}
        renames = [(old_title, title)]
        names = self._names()
        renames += [(names[uid], users[uid].name) for uid in users if names.get(uid)]
        renames.append((f"/assessments/{old_aid}/", "/assessments/{aid}/"))
        ids: dict[str, dict[int, int]] = {name: {} for name, _ in PER_ASSESSMENT}

        def text(value: str, aid: int) -> str:
            for old, new in renames:
                if old in value:
                    value = value.replace(old, new.replace("{aid}", str(aid)))
            return value

        aid = None
        for name, column in PER_ASSESSMENT:
            for row in src[name]:
                new = dict(row)
                if column:
                    new[column] = self.next_id[name]
                    ids[name][row[column]] = self.next_id[name]
                    self.next_id[name] += 1
                if name == "assessments":
                    aid = new["id"]
                    new["title"], new["organisation_id"] = title, org
                else:
                    if "assessment_id" in new:
                        new["assessment_id"] = aid
                for col, target in LINKS.items():
                    if new.get(col) is not None:
                        new[col] = ids[target][new[col]]
                for col in USER_COLUMNS.intersection(new):
                    if new[col] in users:
                        new[col] = users[new[col]].id
                if name == "fg_advices":
                    new["fg_name"] = users.get(
                        row["fg_id"], SimpleNamespace(name=row["fg_name"])
                    ).name
                elif name == "signatures":
                    new["name"] = users.get(row["user_id"], SimpleNamespace(name=row["name"])).name
                elif name == "notifications":
                    new["message"], new["link"] = text(new["message"], aid), text(new["link"], aid)
                elif name == "audit_events":
                    new["object_id"] = str(aid)
                    new["summary"] = text(new["summary"], aid)
                    actor = users.get(row["actor_id"])
                    if actor is not None:
                        new["actor_label"] = f"{actor.name} <{actor.email}>"
                    details = dict(new["details"] or {})
                    if details.get("user_id") in users:
                        details["user_id"] = users[details["user_id"]].id
                    new["details"] = details
                    new["prev_hash"] = self.prev_hash
                    new["hash"] = _digest(SimpleNamespace(**new))
                    self.prev_hash = new["hash"]
                out[name].append(new)

    def _names(self) -> dict[int, str]:
        if not hasattr(self, "_name_cache"):
            users = self.tables["users"]
            self._name_cache = {
                r.id: r.name
                for r in self.conn.execute(
                    users.select().with_only_columns(users.c.id, users.c.name)
                )
            }
        return self._name_cache

    def run(self, n: int) -> None:
        self._users()
        out: dict[str, list[dict]] = {name: [] for name, _ in PER_ASSESSMENT}
        for k in range(n):
            self._clone(k, n, out)
            if (k + 1) % self.BATCH == 0 or k == n - 1:
                for name, _ in PER_ASSESSMENT:
                    if out[name]:
                        self.conn.execute(self.tables[name].insert(), out[name])
                        out[name].clear()


# --- servers -------------------------------------------------------------------------------

HELLO = """from flask import Flask

app = Flask(__name__)


@app.get("/")
def index():
    return "Hello, World!"
"""

RUNNING: list[subprocess.Popen] = []


def stop_all() -> None:
    """Stop every gunicorn this script started (its process group), then reap it."""
    while RUNNING:
        proc = RUNNING.pop()
        if proc.poll() is None:
            try:
                os.killpg(proc.pid, signal.SIGTERM)
                proc.wait(timeout=15)
            except (ProcessLookupError, subprocess.TimeoutExpired):
                with contextlib.suppress(ProcessLookupError):
                    os.killpg(proc.pid, signal.SIGKILL)
                proc.wait()


atexit.register(stop_all)


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def gunicorn(app: str, env: dict[str, str], work: Path, name: str) -> tuple[int, subprocess.Popen]:
    """Start gunicorn (2 sync workers, --timeout 120) on a free loopback port."""
    port = free_port()
    binary = Path(sys.executable).with_name("gunicorn")
    command = [
        str(binary),
        "--workers",
        "2",
        "--worker-class",
        "sync",
        "--timeout",
        "120",
        "--bind",
        f"127.0.0.1:{port}",
        app,
    ]
    errors = open(work / f"{name}.log", "wb")  # noqa: SIM115 - kept open for the child
    proc = subprocess.Popen(  # noqa: S603 - fixed command
        command, cwd=ROOT, env=env, stdout=errors, stderr=errors, start_new_session=True
    )
    RUNNING.append(proc)
    return port, proc


def wait_ready(port: int, path: str, proc: subprocess.Popen, seconds: float = 90) -> None:
    deadline = time.monotonic() + seconds
    while time.monotonic() < deadline:
        if proc.poll() is not None:
            raise SystemExit(f"gunicorn on port {port} stopped (exit {proc.returncode})")
        try:
            status, _, _ = Client(port, timeout=5).request("GET", path)
            if status == 200:
                return
        except OSError:
            pass
        time.sleep(0.3)
    raise SystemExit(f"gunicorn on port {port} did not answer {path} within {seconds:.0f} s")


def workers(master: int) -> list[int]:
    """The worker processes of a gunicorn master."""
    found = []
    for entry in os.listdir("/proc"):
        if entry.isdigit():
            try:
                stat = Path(f"/proc/{entry}/stat").read_text()
            except OSError:
                continue
            if int(stat.rsplit(")", 1)[1].split()[1]) == master:
                found.append(int(entry))
    return found


def rss_kib(pid: int) -> int:
    try:
        status = Path(f"/proc/{pid}/status").read_text()
    except OSError:
        return 0
    match = re.search(r"^VmRSS:\s+(\d+) kB", status, re.M)
    return int(match.group(1)) if match else 0


def cpu_ticks(pids: list[int]) -> int:
    total = 0
    for pid in pids:
        try:
            fields = Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()
        except OSError:
            continue
        total += int(fields[11]) + int(fields[12])
    return total


class RssSampler(threading.Thread):
    """The peak VmRSS of each worker of one gunicorn master, sampled twice a second."""

    def __init__(self, master: int) -> None:
        super().__init__(daemon=True)
        self.master, self.peak, self.done = master, {}, threading.Event()

    def run(self) -> None:
        while not self.done.wait(0.5):
            for pid in workers(self.master):
                self.peak[pid] = max(self.peak.get(pid, 0), rss_kib(pid))


def wait_idle(master: int, seconds: float = 130) -> None:
    """After a timed-out request: wait until the workers stop using CPU (or are replaced)."""
    deadline = time.monotonic() + seconds
    last = -1
    while time.monotonic() < deadline:
        now = cpu_ticks(workers(master))
        if now == last:
            return
        last = now
        time.sleep(1.0)


# --- the client ----------------------------------------------------------------------------


class Client:
    """A minimal HTTP client with a cookie jar for 127.0.0.1 (gunicorn sync: no keep-alive)."""

    def __init__(self, port: int, timeout: float) -> None:
        self.port, self.timeout, self.cookies = port, timeout, {}

    def request(self, method: str, path: str, form=None, headers=None) -> tuple[int, str, dict]:
        conn = HTTPConnection("127.0.0.1", self.port, timeout=self.timeout)
        try:
            head = dict(headers or {})
            body = None
            if form is not None:
                body = urlencode(form, doseq=True)
                head["Content-Type"] = "application/x-www-form-urlencoded"
            if self.cookies:
                head["Cookie"] = "; ".join(f"{k}={v}" for k, v in self.cookies.items())
            conn.request(method, path, body=body, headers=head)
            response = conn.getresponse()
            data = response.read().decode("utf-8", "replace")
            for value in response.headers.get_all("Set-Cookie") or []:
                pair = value.split(";", 1)[0]
                if "=" in pair:
                    k, v = pair.split("=", 1)
                    self.cookies[k.strip()] = v.strip()
            return response.status, data, dict(response.headers)
        finally:
            conn.close()


class FormParser(HTMLParser):
    """The controls of each form on a page, as a browser would send them."""

    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.forms: list[dict] = []
        self._form = self._textarea = self._select = None

    def handle_starttag(self, tag, attrs):
        a = dict(attrs)
        if tag == "form":
            self._form = {"attrs": a, "fields": []}
            self.forms.append(self._form)
        if self._form is None:
            return
        fields = self._form["fields"]
        if tag == "input" and a.get("name"):
            kind = a.get("type", "text")
            if kind in ("checkbox", "radio"):
                if "checked" in a:
                    fields.append([a["name"], a.get("value", "on")])
            elif kind not in ("submit", "file", "button"):
                fields.append([a["name"], a.get("value", "")])
        elif tag == "textarea":
            self._textarea = a.get("name")
            fields.append([self._textarea, ""])
        elif tag == "select":
            self._select = a.get("name")
        elif tag == "option" and self._select and "selected" in a:
            fields.append([self._select, a.get("value", "")])

    def handle_data(self, data):
        if self._textarea is not None and self._form is not None:
            self._form["fields"][-1][1] += data

    def handle_endtag(self, tag):
        if tag == "form":
            self._form = None
        elif tag == "textarea" and self._textarea is not None and self._form is not None:
            self._form["fields"][-1][1] = re.sub(r"^\r?\n", "", self._form["fields"][-1][1])
            self._textarea = None
        elif tag == "select":
            self._select = None


def forms_of(html: str) -> list[dict]:
    parser = FormParser()
    parser.feed(html)
    return parser.forms


def login(port: int, email: str, timeout: float) -> Client:
    client = Client(port, timeout)
    status, html, _ = client.request("GET", "/inloggen")
    token = next(v for f in forms_of(html) for k, v in f["fields"] if k == "csrf_token")
    status, _, headers = client.request(
        "POST", "/inloggen", {"csrf_token": token, "email": email, "password": PASSWORD}
    )
    if status != 302:
        raise SystemExit(f"login as {email} failed: HTTP {status}")
    return client


# --- measuring -----------------------------------------------------------------------------


@dataclass
class Result:
    page: str
    who: str
    times: list[float] = field(default_factory=list)
    statuses: dict[str, int] = field(default_factory=dict)
    wall: float = 0.0

    @property
    def rps(self) -> float | None:
        return len(self.times) / self.wall if self.times and self.wall else None

    def pct(self, p: float) -> float | None:
        if not self.times:
            return None
        ordered = sorted(self.times)
        return ordered[min(len(ordered) - 1, max(0, round(p * len(ordered) + 0.5) - 1))]

    @property
    def status(self) -> str:
        if list(self.statuses) == ["200"]:
            return "200"
        return ", ".join(f"{s}×{c}" for s, c in sorted(self.statuses.items()))

    @property
    def timed_out(self) -> bool:
        return "timeout" in self.statuses


def measure(page: str, who: str, send, args, master: int | None) -> Result:
    """Time `send()` (→ status) sequentially until max requests or max seconds."""
    result = Result(page, who)
    started = time.perf_counter()
    while (
        len(result.times) < args.max_requests and time.perf_counter() - started < args.max_seconds
    ):
        t0 = time.perf_counter()
        try:
            status = str(send())
        except TimeoutError:
            status = "timeout"
        except OSError as exc:
            status = f"error ({type(exc).__name__})"
        elapsed = time.perf_counter() - t0
        result.statuses[status] = result.statuses.get(status, 0) + 1
        if status == "timeout" or status.startswith("error"):
            if master is not None:
                wait_idle(master)
            break
        result.times.append(elapsed)
        result.wall += elapsed
    say(
        f"  {page:<34} {who:<14} {result.status:<10} n={len(result.times):<3} "
        f"p50={ms(result.pct(0.5))} ms"
    )
    return result


def ms(seconds: float | None) -> str:
    return "–" if seconds is None else f"{seconds * 1000:.0f}"


def num(value: float | None, digits: int = 1) -> str:
    return "–" if value is None else f"{value:.{digits}f}"


def run_pages(ids: dict, clients: dict, master: int, hello_port: int, args) -> dict:
    """Time the pages of the N-assessment database (without the large DPIA)."""
    hello = Client(hello_port, args.timeout)

    def get(client: Client, path: str):
        return lambda: client.request("GET", path)[0]

    lead, fg = clients["projectleider"], clients["fg.bzk"]
    concept = ids["concept"]
    # Warm up both workers (definitions, templates) before anything is timed.
    for path in ("/", f"/assessments/{concept}", f"/assessments/{concept}/dpia/2") * 2:
        lead.request("GET", path)

    # The section save: the autosave endpoint of §1 of the demo's concept DPIA.
    save_path = f"/assessments/{concept}/dpia/1"
    _, html, _ = lead.request("GET", save_path)
    form = next(f for f in forms_of(html) if "questionnaire-form" in f["attrs"].get("class", ""))
    fields = [list(x) for x in form["fields"]]
    text_field = next(x for x in fields if x[0] not in ("csrf_token", "base_version"))
    original = text_field[1]
    counter = {"n": 0}

    def save():
        counter["n"] += 1
        text_field[1] = f"{original} (benchmark-opslag {counter['n']})"
        status, body, _ = lead.request(
            "POST", save_path, [tuple(x) for x in fields], {"X-Autosave": "1"}
        )
        if status == 200:
            version = json.loads(body)["version"]
            for x in fields:
                if x[0] == "base_version":
                    x[1] = str(version)
        return status

    pages: list[tuple[str, str, object]] = [("hello-world /", "–", get(hello, "/"))]
    for role, client in clients.items():
        pages.append(("dashboard /", role, get(client, "/")))
    for role, client in clients.items():
        pages.append(("list /assessments/", role, get(client, "/assessments/")))
    pages += [
        ("DPIA section §2 (demo)", "projectleider", get(lead, f"/assessments/{concept}/dpia/2")),
        ("overview (demo)", "projectleider", get(lead, f"/assessments/{concept}")),
        (
            "procedure page (demo, submitted)",
            "fg.bzk",
            get(fg, f"/assessments/{ids['submitted']}/beoordeling"),
        ),
        (
            "history (demo, advice given)",
            "projectleider",
            get(lead, f"/assessments/{ids['advice_given']}/historie"),
        ),
        ("section save §1 (autosave POST)", "projectleider", save),
    ]
    results = {}
    for page, who, send in pages:
        master_pid = None if page.startswith("hello") else master
        results[(page, who)] = measure(page, who, send, args, master_pid)
    return results


LARGE_PAGES = [
    ("overview", "projectleider", "/assessments/{id}"),
    ("section §2", "projectleider", "/assessments/{id}/dpia/2"),
    ("section §16", "projectleider", "/assessments/{id}/dpia/16"),
    ("procedure page", "fg.bzk", "/assessments/{id}/beoordeling"),
    ("the owner's list /assessments/", "projectleider", "/assessments/"),
    ("the auditor's list /assessments/", "auditor", "/assessments/"),
]


def run_large(large: int, clients: dict, master: int, args) -> dict:
    """Time the large DPIA's pages, and the lists it is on."""
    results = {}
    for page, who, path in LARGE_PAGES:
        client = clients[who]
        url = path.format(id=large)
        results[(page, who)] = measure(
            f"large: {page}", who, lambda c=client, u=url: c.request("GET", u)[0], args, master
        )
    return results


# --- reporting -----------------------------------------------------------------------------


def size_table(n: int, results: dict) -> str:
    hello = results[("hello-world /", "–")].rps
    lines = [
        label(n),
        "",
        "| page | user | status | requests | rps | p50 ms | p95 ms | × hello-world rps |",
        "|---|---|---|---|---|---|---|---|",
    ]
    for (page, who), r in results.items():
        ratio = r.rps / hello if r.rps and hello else None
        lines.append(
            f"| {page} | {who} | {r.status} | {len(r.times)} | {num(r.rps)} | "
            f"{ms(r.pct(0.5))} | {ms(r.pct(0.95))} | {num(ratio, 3)} |"
        )
    return "\n".join(lines)


def final_table(small: int, big: int, runs: dict, timeout: float) -> str:
    a, b = runs[small]["results"], runs[big]["results"]
    hello = b[("hello-world /", "–")].rps
    lines = [
        f"| page | user | {label(small)} rps | p50 ms | p95 ms | {label(big)} rps | p50 ms "
        f"| p95 ms | status at {label(big)} | cost {label(big)}/{label(small)} (p50) "
        f"| × hello-world at {label(big)} |",
        "|---|---|---|---|---|---|---|---|---|---|---|",
    ]
    for key, r in b.items():
        s = a.get(key)
        cost = r.pct(0.5) / s.pct(0.5) if s and s.pct(0.5) and r.pct(0.5) else None
        ratio = r.rps / hello if r.rps and hello else None
        if r.timed_out and not r.times:
            cost_text = f"> {timeout / s.pct(0.5):.0f}" if s and s.pct(0.5) else "–"
        else:
            cost_text = num(cost, 2)
        lines.append(
            f"| {key[0]} | {key[1]} | {num(s.rps) if s else '–'} | {ms(s.pct(0.5)) if s else '–'} "
            f"| {ms(s.pct(0.95)) if s else '–'} | {num(r.rps)} | {ms(r.pct(0.5))} "
            f"| {ms(r.pct(0.95))} | {r.status} | {cost_text} | {num(ratio, 3)} |"
        )
    return "\n".join(lines)


def label(n: int) -> str:
    return f"N={n:,}"


def large_table(sizes: list[int], runs: dict) -> str:
    head = " | ".join(f"{label(n)} p50 ms | {label(n)} requests" for n in sizes)
    lines = [
        f"| page (500-row DPIA) | user | {head} | status | under 1 s |",
        "|---|---|" + "---|---|" * len(sizes) + "---|---|",
    ]
    for page, who, _ in LARGE_PAGES:
        got = [runs[n]["large"][(page, who)] for n in sizes]
        cells = " | ".join(f"{ms(r.pct(0.5))} | {len(r.times)}" for r in got)
        statuses = "; ".join(r.status for r in got)
        fast = "yes" if all(r.times and r.pct(0.5) < 1 and not r.timed_out for r in got) else "no"
        lines.append(f"| {page} | {who} | {cells} | {statuses} | {fast} |")
    return "\n".join(lines)


def rss_table(sizes: list[int], runs: dict) -> str:
    def mb(peaks: dict[int, int]) -> str:
        return ", ".join(f"{v / 1024:.0f}" for v in sorted(peaks.values(), reverse=True)) or "–"

    lines = [
        "| N | pia workers, N pages: peak VmRSS MB | pia workers, with the large DPIA's pages "
        "| hello-world workers |",
        "|---|---|---|---|",
    ]
    for n in sizes:
        r = runs[n]
        lines.append(
            f"| {label(n)} | {mb(r['rss_pages'])} | {mb(r['rss'])} | {mb(r['hello_rss'])} |"
        )
    return "\n".join(lines)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--sizes", default="100,10000", help="numbers of extra assessments")
    parser.add_argument("--max-requests", type=int, default=30, help="requests per page at most")
    parser.add_argument("--max-seconds", type=float, default=20, help="seconds per page at most")
    parser.add_argument("--timeout", type=float, default=60, help="seconds per request at most")
    args = parser.parse_args()
    sizes = [int(s) for s in args.sizes.split(",") if s.strip()]
    logging.disable(logging.WARNING)
    signal.signal(signal.SIGTERM, lambda *_: sys.exit(143))
    begin = time.perf_counter()
    runs: dict[int, dict] = {}
    try:
        for n in sizes:
            with tempfile.TemporaryDirectory(prefix="pia-bench-pages-") as tmp:
                work = Path(tmp)
                secret = secrets.token_urlsafe(48)
                url = f"sqlite:///{work}/bench.sqlite3"
                say(f"N={n}: seeding {url}")
                seeded = seed(url, secret, n)
                say(
                    f"N={n}: seeded in {seeded.seconds:.1f} s (of which the bulk clones "
                    f"{seeded.clone_seconds:.1f} s); {seeded.counts}"
                )
                (work / "hello_app.py").write_text(HELLO)
                env = {
                    k: v
                    for k, v in os.environ.items()
                    if not k.startswith(("PIA_", "DATABASE_URL"))
                }
                env.update(
                    PYTHONPATH=str(ROOT),
                    PIA_ENV="production",
                    PIA_SECRET_KEY=secret,
                    PIA_DATABASE_URL=url,
                    PIA_MAIL_BACKEND="none",
                    PIA_LOG_LEVEL="WARNING",
                    PIA_IDLE_TIMEOUT_MINUTES="600",
                    PIA_ALLOW_UNSAFE_SETTINGS="true",  # plain http on 127.0.0.1 only
                )
                port, proc = gunicorn("pia:create_app()", env, work, "pia")
                hello_env = dict(env, PYTHONPATH=f"{work}{os.pathsep}{ROOT}")
                hello_port, hello_proc = gunicorn("hello_app:app", hello_env, work, "hello")
                wait_ready(port, "/health", proc)
                wait_ready(hello_port, "/", hello_proc)
                pia_rss, hello_rss = RssSampler(proc.pid), RssSampler(hello_proc.pid)
                pia_rss.start()
                hello_rss.start()
                run_start = time.perf_counter()
                clients = {r: login(port, email, args.timeout) for r, email in ROLES.items()}
                results = run_pages(seeded.ids, clients, proc.pid, hello_port, args)
                rss_pages = dict(pia_rss.peak)
                say(f"N={n}: adding the large DPIA")
                large_id, seeded.large_seconds = add_large(url, secret)
                say(f"N={n}: large DPIA added in {seeded.large_seconds:.1f} s")
                large = run_large(large_id, clients, proc.pid, args)
                pia_rss.done.set()
                hello_rss.done.set()
                runs[n] = {
                    "results": results,
                    "large": large,
                    "seeded": seeded,
                    "rss_pages": rss_pages,
                    "rss": pia_rss.peak,
                    "hello_rss": hello_rss.peak,
                    "pages_seconds": time.perf_counter() - run_start - seeded.large_seconds,
                }
                stop_all()
                print(size_table(n, results), "\n", flush=True)
    finally:
        stop_all()
    print("## Summary\n")
    for n in sizes:
        s = runs[n]["seeded"]
        print(
            f"- N={n}: seeding {s.seconds:.1f} s (bulk clones {s.clone_seconds:.1f} s, "
            f"large DPIA {s.large_seconds:.1f} s), pages {runs[n]['pages_seconds']:.0f} s; "
            f"rows: {s.counts}"
        )
    print(
        f"- whole run {time.perf_counter() - begin:.0f} s; sequential requests, at most "
        f"{args.max_requests} or {args.max_seconds:.0f} s per page, "
        f"{args.timeout:.0f} s per request\n"
    )
    if len(sizes) > 1:
        print(final_table(sizes[0], sizes[-1], runs, args.timeout), "\n")
    print(large_table(sizes, runs), "\n")
    print(rss_table(sizes, runs))


if __name__ == "__main__":
    main()
