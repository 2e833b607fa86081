"""Users and their organisation-wide roles."""

from datetime import datetime

from flask_login import UserMixin
from sqlalchemy import CheckConstraint, ForeignKey, String
from sqlalchemy import false as sa_false
from sqlalchemy.orm import Mapped, mapped_column, relationship
from sqlalchemy.sql import false

from pia.extensions import db
from pia.models.organisations import Organisation
from pia.models.types import UTCDateTime, utcnow
from pia.roles import Role

ROLE_VALUES = ", ".join(f"'{r.value}'" for r in Role)


class UserRole(db.Model):
    __tablename__ = "user_roles"
    __table_args__ = (CheckConstraint(f"role IN ({ROLE_VALUES})", name="known_role"),)

    user_id: Mapped[int] = mapped_column(ForeignKey("users.id"), primary_key=True)
    role: Mapped[str] = mapped_column(String(40), primary_key=True)


class User(UserMixin, db.Model):
    __tablename__ = "users"

    id: Mapped[int] = mapped_column(primary_key=True)
    # Always stored in lower case; see services.accounts.normalise_email().
    email: Mapped[str] = mapped_column(String(254), unique=True)
    name: Mapped[str] = mapped_column(String(200))
    function: Mapped[str] = mapped_column(String(200), default="")
    organisation_id: Mapped[int] = mapped_column(ForeignKey("organisations.id"), index=True)
    password_hash: Mapped[str] = mapped_column(String(255))
    must_change_password: Mapped[bool] = mapped_column(default=False)
    active: Mapped[bool] = mapped_column(default=True)
    # Made by a first OpenID sign-in: inactive and without roles until a beheerder approves.
    pending_approval: Mapped[bool] = mapped_column(default=False, server_default=false())
    created_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)
    password_changed_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)
    # Notifications by e-mail once a day (`flask send-digest`) instead of one by one.
    mail_digest: Mapped[bool] = mapped_column(default=False, server_default=sa_false())
    digest_sent_at: Mapped[datetime | None] = mapped_column(UTCDateTime)

    organisation: Mapped[Organisation] = relationship(lazy="joined")
    # Loaded when asked: most users on a page (who submitted, who signed) need no roles;
    # lists of users load them in one query (selectinload).
    role_rows: Mapped[list[UserRole]] = relationship(
        cascade="all, delete-orphan", lazy="select", order_by=UserRole.role
    )

    @property
    def roles(self) -> set[Role]:
        return {Role(r.role) for r in self.role_rows}

    @roles.setter
    def roles(self, new_roles: set[Role]) -> None:
        keep = [r for r in self.role_rows if r.role in new_roles]
        have = {r.role for r in keep}
        self.role_rows = keep + [UserRole(role=r.value) for r in sorted(new_roles) if r not in have]

    def has_role(self, *roles: Role) -> bool:
        return bool(self.roles.intersection(roles))

    @property
    def is_active(self) -> bool:  # Flask-Login: deactivated users cannot log in
        return self.active

    def __str__(self) -> str:
        return self.name
