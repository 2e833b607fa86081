"""The database models, one module per noun."""

from pia.models.audit import AuditEvent
from pia.models.organisations import Organisation
from pia.models.sessions import LoginAttempt, UserSession
from pia.models.users import User, UserRole

__all__ = ["AuditEvent", "LoginAttempt", "Organisation", "User", "UserRole", "UserSession"]
