"""Helpers for the API tests: a token for a user, and its Authorization header."""

from pia.extensions import db
from pia.models.api_tokens import SCOPES
from pia.services import api_tokens


def token_for(user, scopes=SCOPES, days: int = 30, name: str = "test") -> str:
    _, secret = api_tokens.create_token(user, name, list(scopes), days)
    db.session.commit()
    return secret


def bearer(secret: str) -> dict[str, str]:
    return {"Authorization": f"Bearer {secret}"}
