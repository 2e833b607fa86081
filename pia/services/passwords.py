"""Password hashing (argon2id) and the password rules, with Dutch messages."""

from contextlib import suppress
from functools import cache
from importlib import resources

from argon2 import PasswordHasher
from argon2.exceptions import InvalidHashError, VerificationError
from flask import current_app

MIN_LENGTH = 12
MAX_LENGTH = 256


def _hasher() -> PasswordHasher:
    ext = current_app.extensions
    if "pia_hasher" not in ext:
        cfg = current_app.config
        ext["pia_hasher"] = PasswordHasher(
            time_cost=int(cfg["ARGON2_TIME_COST"]),
            memory_cost=int(cfg["ARGON2_MEMORY_COST"]),
            parallelism=int(cfg["ARGON2_PARALLELISM"]),
        )
    return ext["pia_hasher"]


def hash_password(password: str) -> str:
    """Hash a password with argon2id."""
    return _hasher().hash(password)


def verify_password(password_hash: str | None, password: str) -> bool:
    """Check a password; with no hash, spend the same time and return False."""
    hasher = _hasher()
    if not password_hash:  # no account, or one that signs in only through its provider
        password_hash = _dummy_hash()
        with suppress(VerificationError):
            hasher.verify(password_hash, password + "\x00")
        return False
    try:
        return hasher.verify(password_hash, password)
    except (VerificationError, InvalidHashError):
        return False


def needs_rehash(password_hash: str) -> bool:
    """Whether a hash was made with other argon2 parameters than the configured ones."""
    try:
        return _hasher().check_needs_rehash(password_hash)
    except (InvalidHashError, ValueError):
        return True


def _dummy_hash() -> str:
    ext = current_app.extensions
    if "pia_dummy_hash" not in ext:
        ext["pia_dummy_hash"] = _hasher().hash("dummy password for timing")
    return ext["pia_dummy_hash"]


@cache
def common_passwords() -> frozenset[str]:
    """The list of common passwords, lower case."""
    text = resources.files("pia").joinpath("data/common-passwords.txt").read_text("utf-8")
    return frozenset(
        line.strip().lower() for line in text.splitlines() if line.strip() and line[0] != "#"
    )


def _is_trivial(password: str) -> bool:
    """One repeated character, or a run like 1234... / abcd... / qwerty..."""
    lowered = password.lower()
    if len(set(lowered)) <= 2:
        return True
    for run in ("0123456789" * 3, "abcdefghijklmnopqrstuvwxyz" * 2, "qwertyuiopasdfghjklzxcvbnm"):
        if lowered in run or lowered in run[::-1]:
            return True
    return False


def password_problems(password: str, email: str = "", name: str = "") -> list[str]:
    """Why this password may not be used, in Dutch; empty when it is fine."""
    problems = []
    if len(password) < MIN_LENGTH:
        problems.append(f"Het wachtwoord moet minstens {MIN_LENGTH} tekens lang zijn.")
    if len(password) > MAX_LENGTH:
        problems.append(f"Het wachtwoord mag hoogstens {MAX_LENGTH} tekens lang zijn.")
    lowered = password.strip().lower()
    if email and lowered in {email.strip().lower(), email.strip().lower().split("@")[0]}:
        problems.append("Het wachtwoord mag niet gelijk zijn aan uw e-mailadres.")
    if name and lowered == name.strip().lower():
        problems.append("Het wachtwoord mag niet gelijk zijn aan uw naam.")
    if lowered in common_passwords() or _is_trivial(password):
        problems.append(
            "Dit wachtwoord is te voorspelbaar: het komt voor in lijsten van veelgebruikte "
            "wachtwoorden. Kies een langere zin of een combinatie van losse woorden."
        )
    return problems
