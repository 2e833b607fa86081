"""The second factor of a local (password) account: TOTP (RFC 6238) with single-use
recovery codes. Required for the roles in MFA_REQUIRED_ROLES, optional for everyone else.

A code is accepted once: the time step it belongs to is remembered, and an earlier or equal
step is refused. Checks are throttled like passwords (the same table and limits, under
their own key), and every outcome is audited.
"""

import hashlib
import hmac
import secrets
import time
from dataclasses import dataclass
from datetime import datetime

import pyotp
import segno
from flask import current_app
from markupsafe import Markup
from sqlalchemy import delete, select

from pia.extensions import db
from pia.models import LoginAttempt, RecoveryCode, SecondFactor, User
from pia.models.types import utcnow
from pia.roles import Role
from pia.services import audit, auth, notify

ISSUER_NAME = "PIA Rijk"
STEP_SECONDS = 30
RECOVERY_CODES = 10
_ALPHABET = "abcdefghjkmnpqrstuvwxyz23456789"  # no 0/o, 1/l/i


class CodeRefused(ValueError):
    """A wrong, reused or throttled code; `str()` is the message for the user (Dutch)."""

    def __init__(self, message: str, until: datetime | None = None) -> None:
        super().__init__(message)
        self.until = until


@dataclass(frozen=True)
class Enrolment:
    secret: str
    uri: str

    @property
    def grouped_secret(self) -> str:
        return " ".join(self.secret[i : i + 4] for i in range(0, len(self.secret), 4))

    def qr_svg(self) -> Markup:
        """The provisioning URI as an inline SVG QR code (made here, no outside service)."""
        svg = segno.make(self.uri, error="m").svg_inline(
            scale=5, border=2, dark="#000", light="#fff", omitsize=False
        )
        return Markup(svg)  # noqa: S704 - segno's own markup; the URI is escaped by it


def required_roles() -> set[Role]:
    raw = current_app.config.get("MFA_REQUIRED_ROLES") or ""
    names = [str(r) for r in raw] if isinstance(raw, list | tuple | set) else str(raw).split(",")
    return {Role(n.strip()) for n in names if n.strip() in Role._value2member_map_}


def is_required(user: User) -> bool:
    """Whether this user's password sign-in needs a second factor (by role)."""
    roles = required_roles()
    return bool(roles) and user.has_role(*roles)


def confirmed(user: User) -> SecondFactor | None:
    factor = db.session.get(SecondFactor, user.id)
    return factor if factor is not None and factor.confirmed_at is not None else None


def enrolment(user: User) -> Enrolment:
    """The authenticator to set up: a new secret, kept until confirmed (or replaced)."""
    factor = db.session.get(SecondFactor, user.id)
    if factor is None:
        factor = SecondFactor(user_id=user.id, secret=pyotp.random_base32(32))
        db.session.add(factor)
    elif factor.confirmed_at is not None:
        raise CodeRefused("Tweestapsverificatie is al ingesteld voor uw account.")
    uri = pyotp.TOTP(factor.secret).provisioning_uri(name=user.email, issuer_name=ISSUER_NAME)
    return Enrolment(factor.secret, uri)


def _key(user: User) -> str:
    secret = str(current_app.config["SECRET_KEY"]).encode()
    return hmac.new(secret, f"totp:{user.id}".encode(), hashlib.sha256).hexdigest()


def _hash_code(code: str) -> str:
    return hashlib.sha256(code.encode()).hexdigest()


def _normalised(code: str) -> str:
    return "".join(c for c in (code or "").lower() if c.isalnum())[:40]


def _match_totp(factor: SecondFactor, code: str) -> str:
    """ "ok" (and the step is remembered), "reused" or "wrong"."""
    totp = pyotp.TOTP(factor.secret)
    now = int(time.time()) // STEP_SECONDS
    for step in (now - 1, now, now + 1):
        if hmac.compare_digest(totp.generate_otp(step), code):
            if step <= factor.last_step:
                return "reused"
            factor.last_step = step
            return "ok"
    return "wrong"


def _match_recovery(user: User, code: str) -> bool:
    row = db.session.scalar(
        select(RecoveryCode).where(
            RecoveryCode.user_id == user.id,
            RecoveryCode.code_hash == _hash_code(code),
            RecoveryCode.used_at.is_(None),
        )
    )
    if row is None:
        return False
    row.used_at = utcnow()
    return True


def _throttled_message(until: datetime) -> str:
    minutes = max(1, round((until - utcnow()).total_seconds() / 60))
    return (
        "Er zijn te veel onjuiste codes ingevuld. Om uw account te beschermen kunt u het over "
        f"{minutes} {'minuut' if minutes == 1 else 'minuten'} opnieuw proberen."
    )


def check_code(user: User, code: str, factor: SecondFactor, purpose: str) -> str:
    """Check a TOTP or recovery code (throttled, audited); "totp" or "recovery", else
    CodeRefused. The caller commits either way."""
    key, address = _key(user), audit.client_address()
    auth._lock(key, address)
    until = auth.throttled_until(key, address)
    if until is not None:
        audit.record(
            "second_factor.throttled",
            actor=user,
            object_type="user",
            object_id=user.id,
            summary=f"Code van {user.name} geweigerd (te veel pogingen)",
            details={"purpose": purpose},
        )
        raise CodeRefused(_throttled_message(until), until)
    cleaned = _normalised(code)
    outcome, kind = "wrong", ""
    if cleaned.isdigit() and len(cleaned) == 6:
        outcome = _match_totp(factor, cleaned)
        kind = "totp"
    elif len(cleaned) == 16 and factor.confirmed_at is not None:
        outcome = "ok" if _match_recovery(user, cleaned) else "wrong"
        kind = "recovery"
    ok = outcome == "ok"
    db.session.add(LoginAttempt(account_key=key, ip_address=address, succeeded=ok))
    if not ok:
        audit.record(
            "second_factor.failed",
            actor=user,
            object_type="user",
            object_id=user.id,
            summary=f"Onjuiste code van {user.name}",
            details={"purpose": purpose, "reason": outcome},
        )
        if outcome == "reused":
            raise CodeRefused(
                "Deze code is al gebruikt. Wacht tot uw app een nieuwe code laat zien en vul "
                "die in."
            )
        raise CodeRefused(
            "Deze code klopt niet. Vul de zes cijfers in die uw app nu laat zien, of een "
            "van uw herstelcodes."
        )
    return kind


def _new_recovery_codes(user: User) -> list[str]:
    db.session.execute(delete(RecoveryCode).where(RecoveryCode.user_id == user.id))
    codes = []
    for _ in range(RECOVERY_CODES):
        raw = "".join(secrets.choice(_ALPHABET) for _ in range(16))
        codes.append("-".join(raw[i : i + 4] for i in range(0, 16, 4)))
        db.session.add(RecoveryCode(user_id=user.id, code_hash=_hash_code(raw)))
    return codes


def confirm(user: User, code: str) -> list[str]:
    """Finish setting up: the first code proves the app works. Returns the recovery codes
    (shown once; only their hashes are kept)."""
    factor = db.session.get(SecondFactor, user.id)
    if factor is None or factor.confirmed_at is not None:
        raise CodeRefused("Begin opnieuw met het instellen van tweestapsverificatie.")
    check_code(user, code, factor, "enrolment")
    factor.confirmed_at = utcnow()
    audit.record(
        "second_factor.enrolled",
        actor=user,
        object_type="user",
        object_id=user.id,
        summary=f"{user.name} heeft tweestapsverificatie ingesteld",
    )
    return _new_recovery_codes(user)


def replace_recovery_codes(user: User, code: str) -> list[str]:
    """New recovery codes (the old ones stop working), after a current code."""
    factor = confirmed(user)
    if factor is None:
        raise CodeRefused("Tweestapsverificatie is niet ingesteld.")
    check_code(user, code, factor, "recovery_codes")
    audit.record(
        "second_factor.recovery_codes_replaced",
        actor=user,
        object_type="user",
        object_id=user.id,
        summary=f"{user.name} heeft nieuwe herstelcodes gemaakt",
    )
    return _new_recovery_codes(user)


def remaining_recovery_codes(user: User) -> int:
    return len(
        db.session.scalars(
            select(RecoveryCode.id).where(
                RecoveryCode.user_id == user.id, RecoveryCode.used_at.is_(None)
            )
        ).all()
    )


def _remove(user: User) -> None:
    db.session.execute(delete(RecoveryCode).where(RecoveryCode.user_id == user.id))
    db.session.execute(delete(SecondFactor).where(SecondFactor.user_id == user.id))


def switch_off(user: User, code: str) -> None:
    """A user for whose roles it is optional switches it off, after a current code."""
    factor = confirmed(user)
    if factor is None:
        raise CodeRefused("Tweestapsverificatie is niet ingesteld.")
    if is_required(user):
        raise CodeRefused(
            "Met uw rol is tweestapsverificatie verplicht; u kunt het niet uitzetten."
        )
    check_code(user, code, factor, "switch_off")
    _remove(user)
    audit.record(
        "second_factor.switched_off",
        actor=user,
        object_type="user",
        object_id=user.id,
        summary=f"{user.name} heeft tweestapsverificatie uitgezet",
    )


def reset(user: User, *, actor: User) -> None:
    """A beheerder removes a user's second factor (a lost phone): the user's sessions end,
    and the user is told by mail; a required role sets it up again at the next login."""
    if db.session.get(SecondFactor, user.id) is None:
        raise CodeRefused(f"{user.name} heeft geen tweestapsverificatie ingesteld.")
    _remove(user)
    auth.end_all_sessions(user, "second_factor_reset")
    audit.record(
        "second_factor.reset",
        actor=actor,
        object_type="user",
        object_id=user.id,
        summary=f"Tweestapsverificatie van {user.name} gewist door {actor.name}",
    )
    notify.queue_account_mail(
        user,
        "[pia] Uw tweestapsverificatie is gewist",
        f"{actor.name} (beheerder) heeft de tweestapsverificatie van uw account in pia "
        "gewist. Uw herstelcodes werken niet meer en u bent overal uitgelogd. Bij de "
        "volgende keer inloggen stelt u tweestapsverificatie opnieuw in"
        + (" (verplicht voor uw rol)." if is_required(user) else ", als u dat wilt.")
        + "\n\nHeeft u hier niet om gevraagd? Neem dan meteen contact op met de beheerder.",
    )
