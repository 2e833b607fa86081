"""The demo's sign-in examples: the demo beheerder and FGs have a second factor with a
documented secret (README), and one account made by a first OpenID sign-in waits for approval."""

from sqlalchemy import select

from pia.extensions import db
from pia.models import Organisation, SecondFactor, User, UserIdentity
from pia.models.types import utcnow
from pia.roles import Role

# Public, like the demo password: add it to an authenticator app, or print the current code
# with `python -c "import pyotp; print(pyotp.TOTP('<secret>').now())"`.
DEMO_TOTP_SECRET = "PIADEMOTOTPVOORBEHEERENFGRIJKABC"  # noqa: S105 - public demo secret

PENDING_EMAIL = "nieuw.sso@pia.test"


def enrol_demo_second_factors() -> int:
    """Give the demo's beheerders and FGs a confirmed TOTP factor; return how many."""
    added = 0
    users = db.session.scalars(select(User).where(User.email.like("%@pia.test"))).all()
    for user in users:
        if not user.has_role(Role.BEHEERDER, Role.FG) or db.session.get(SecondFactor, user.id):
            continue
        db.session.add(
            SecondFactor(user_id=user.id, secret=DEMO_TOTP_SECRET, confirmed_at=utcnow())
        )
        added += 1
    return added


def seed_pending_account() -> int:
    """An account made by a first sign-in through an (example) provider, awaiting approval."""
    if db.session.scalar(select(User.id).where(User.email == PENDING_EMAIL)):
        return 0
    org = db.session.scalar(select(Organisation).where(Organisation.abbreviation == "BZK"))
    user = User(
        email=PENDING_EMAIL,
        name="Noor Nieuwkomer",
        organisation=org,
        password_hash="",
        active=False,
        pending_approval=True,
    )
    db.session.add(user)
    db.session.add(
        UserIdentity(
            user=user,
            issuer="https://sso.voorbeeld.rijksoverheid.invalid/realms/rijk",
            subject="voorbeeld-3f2a",
            linked_by="created",
        )
    )
    return 1
