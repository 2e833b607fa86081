"""The database models, one module per noun."""

from pia.models.api_tokens import ApiToken
from pia.models.assessments import (
    Answer,
    Assessment,
    AssessmentAuthor,
    AssessmentMember,
    AssessmentRole,
    Questionnaire,
    SectionVersion,
)
from pia.models.audit import AuditAnchor, AuditEvent
from pia.models.documents import (
    DocumentKind,
    DocumentTemplate,
    GeneratedDocument,
    ProcessorAgreement,
)
from pia.models.figures import AssessmentFigures
from pia.models.imports import ImportImage, ImportRecord
from pia.models.organisations import Organisation
from pia.models.par import (
    DecisionKind,
    ParDecision,
    ParParticipant,
    ParPosition,
    ParRound,
    ParTrajectory,
    RoundOutcome,
)
from pia.models.par_bodies import ParBody
from pia.models.password_links import PasswordLink
from pia.models.register import RegisterRecord
from pia.models.review import (
    Advice,
    ApConsultation,
    AssessmentVersion,
    Comment,
    Conclusion,
    Controller,
    Notification,
    OutgoingMail,
    Recommendation,
    Response,
    Review,
    ReviewOutcome,
    Signature,
    VersionReason,
)
from pia.models.sessions import LoginAttempt, UserSession
from pia.models.sign_in import RecoveryCode, SecondFactor, SignInRequest, UserIdentity
from pia.models.users import User, UserRole

__all__ = [
    "ApiToken",
    "Advice",
    "ApConsultation",
    "AssessmentVersion",
    "Comment",
    "Conclusion",
    "Controller",
    "Notification",
    "OutgoingMail",
    "Recommendation",
    "RegisterRecord",
    "Response",
    "Review",
    "ReviewOutcome",
    "Signature",
    "VersionReason",
    "Answer",
    "Assessment",
    "AssessmentAuthor",
    "AssessmentMember",
    "AssessmentRole",
    "Questionnaire",
    "SectionVersion",
    "AuditAnchor",
    "AuditEvent",
    "AssessmentFigures",
    "ImportImage",
    "ImportRecord",
    "DocumentKind",
    "DocumentTemplate",
    "GeneratedDocument",
    "ProcessorAgreement",
    "LoginAttempt",
    "Organisation",
    "PasswordLink",
    "DecisionKind",
    "ParBody",
    "ParDecision",
    "ParParticipant",
    "ParPosition",
    "ParRound",
    "ParTrajectory",
    "RoundOutcome",
    "RecoveryCode",
    "SecondFactor",
    "SignInRequest",
    "UserIdentity",
    "User",
    "UserRole",
    "UserSession",
]
