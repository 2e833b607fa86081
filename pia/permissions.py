"""Who may do what. Every view asks here; nothing is allowed by default."""

from collections.abc import Callable
from dataclasses import dataclass
from functools import wraps

from flask import abort, g, has_request_context
from flask_login import current_user
from sqlalchemy import false, select, true

from pia.models import Assessment, AssessmentMember, AssessmentRole, Organisation, User
from pia.roles import Role
from workflows import departmental, par
from workflows import roles as wf_roles

# Endpoints reachable without logging in. Everything else requires a login.
PUBLIC_ENDPOINTS = frozenset(
    {
        "auth.login",
        "auth.set_password",
        "sso.start",
        "sso.callback",
        "second_factor.verify",
        "static",
        "public.health",
        "public.accessibility",
        "public.privacy",
        "public.security_txt",
        "api_docs.page",
    }
)

# The API (pia.api): no login session; every operation requires a bearer token instead.
API_ENDPOINT_PREFIXES = ("api_v1.", "api-docs.")

# Endpoints a user who must change their password may still use.
PASSWORD_CHANGE_ENDPOINTS = frozenset({"auth.change_password", "auth.logout"})

# Endpoints a user whose role requires a second factor may use before setting it up.
SECOND_FACTOR_SETUP_ENDPOINTS = frozenset(
    {"second_factor.index", "second_factor.enrol", "auth.logout"}
)


def requires_role(*roles: Role) -> Callable:
    """View decorator: 403 unless the current user holds one of these roles."""

    def decorator(view: Callable) -> Callable:
        @wraps(view)
        def wrapped(*args, **kwargs):
            if not current_user.is_authenticated or not current_user.has_role(*roles):
                abort(403)
            return view(*args, **kwargs)

        wrapped.required_roles = frozenset(roles)  # type: ignore[attr-defined]
        return wrapped

    return decorator


def can_manage_accounts(user: User) -> bool:
    """Beheerders manage organisations and users."""
    return user.has_role(Role.BEHEERDER)


def can_view_audit_log(user: User) -> bool:
    """The system-wide audit log is for beheerders and auditors."""
    return user.has_role(Role.BEHEERDER, Role.AUDITOR)


def can_edit_user(actor: User, target: User) -> bool:
    """Beheerders edit users (the services stop them from locking themselves out)."""
    return can_manage_accounts(actor)


def can_edit_organisation(actor: User, organisation: Organisation) -> bool:
    """Beheerders edit organisations."""
    return can_manage_accounts(actor)


def can_manage_par_bodies(actor: User) -> bool:
    """Beheerders manage the interdepartmental bodies (data, like the organisations)."""
    return can_manage_accounts(actor)


# --- assessments -------------------------------------------------------------------


def can_create_assessment(user: User) -> bool:
    """Projectleiders start assessments."""
    return user.has_role(Role.PROJECTLEIDER)


@dataclass(frozen=True)
class Access:
    """What one user may do with one assessment: their workflow roles on it and the facts
    the rules need, computed once per request (access()), and every answer derived from
    them. Views, services, templates and the procedure page all ask this object."""

    user_id: int
    assessment_id: int
    state: str
    roles: frozenset[str]
    took_part: bool = False
    submitted: bool = False
    has_current_advice: bool = False
    # PAR (government-wide): the route, and whether the user's ministry is consulted now.
    government_wide: bool = False
    in_current_round: bool = False
    par_submitted: bool = False

    # -- who this user is here -------------------------------------------------------------

    @property
    def is_owner(self) -> bool:
        return wf_roles.OWNER in self.roles

    @property
    def is_author(self) -> bool:
        return bool(departmental.AUTHORS & self.roles)

    @property
    def is_fg(self) -> bool:
        return wf_roles.FG in self.roles

    @property
    def is_claiming_fg(self) -> bool:
        return wf_roles.CLAIMED_FG in self.roles

    @property
    def is_controller(self) -> bool:
        return wf_roles.CONTROLLER in self.roles

    @property
    def is_coordinator(self) -> bool:
        return wf_roles.COORDINATOR in self.roles

    @property
    def is_secretariat(self) -> bool:
        return wf_roles.SECRETARIAT in self.roles

    # -- what they may do ------------------------------------------------------------------

    @property
    def may_view(self) -> bool:
        """Members, the organisation's FGs once submitted, controllers, auditors."""
        return bool(self.roles)

    @property
    def may_edit(self) -> bool:
        """Owner and editors change answers while the assessment is a draft."""
        route = par if self.government_wide else departmental
        return route.can_edit_answers(self.state, self.roles & departmental.AUTHORS)

    @property
    def may_share(self) -> bool:
        """Only the owner shares (and revokes)."""
        return self.is_owner

    @property
    def may_export(self) -> bool:
        """Everyone who may read an assessment may take it away as JSON."""
        return self.may_view

    @property
    def may_download(self) -> bool:
        """Stored documents are for everyone who may read the assessment."""
        return self.may_view

    @property
    def may_generate_documents(self) -> bool:
        """The DPIA report (a new stored document) is made by the owner and editors only;
        readers (viewers, auditors, controllers) download the documents already made."""
        return self.is_author

    @property
    def may_generate_advice_document(self) -> bool:
        """The FG advice as a Word file: the drafters, and the FG of the assessment."""
        return self.is_author or self.is_fg

    @property
    def may_read_comments(self) -> bool:
        """Owner, editors and the FG; controllers and auditors read along (not viewers)."""
        readers = {wf_roles.OWNER, wf_roles.EDITOR, wf_roles.FG, wf_roles.CONTROLLER}
        return bool((readers | {wf_roles.AUDITOR, wf_roles.COORDINATOR}) & self.roles)

    @property
    def may_comment(self) -> bool:
        """Owner, editors and the FG (PAR: and the coordinator) comment, until withdrawn."""
        writers = {wf_roles.OWNER, wf_roles.EDITOR, wf_roles.FG, wf_roles.COORDINATOR}
        return self.state != departmental.WITHDRAWN.value and bool(writers & self.roles)

    @property
    def may_view_history(self) -> bool:
        """The history is for the owner, the FG, the PAR coordinator and the auditor."""
        return bool(
            {wf_roles.OWNER, wf_roles.FG, wf_roles.AUDITOR, wf_roles.COORDINATOR} & self.roles
        )

    @property
    def may_process(self) -> bool:
        """Authors record the follow-up of the advice while it is being processed."""
        return (
            self.is_author
            and self.state == departmental.ADVICE_GIVEN.value
            and self.has_current_advice
        )

    @property
    def may_designate(self) -> bool:
        """The owner designates the controllers until the DPIA is adopted."""
        closed = departmental.FINAL.values | departmental.CLOSED.values
        return self.is_owner and self.state not in closed

    @property
    def may_sign(self) -> bool:
        """A designated controller signs while the DPIA is offered for adoption."""
        return self.is_controller and self.state == departmental.AWAITING_ADOPTION.value

    @property
    def may_set_review_date(self) -> bool:
        """Owner and controllers move the re-assessment date (not of a withdrawn DPIA)."""
        owners = {wf_roles.OWNER, wf_roles.CONTROLLER}
        return bool(owners & self.roles) and self.state != departmental.WITHDRAWN.value

    @property
    def may_review(self) -> bool:
        """The FG of the organisation reads the submitted versions and their diff."""
        return self.is_fg

    def could_ever(self, action: str) -> bool:
        """Whether these roles may fire this action from some state of the procedure."""
        route = par if self.government_wide else departmental
        return any(t.roles & self.roles for t in route.WORKFLOW.transitions if t.name == action)

    # -- the PAR procedure (government-wide) -----------------------------------------------

    @property
    def par_roles(self) -> frozenset[str]:
        """The roles the PAR machine knows (workflows.par.ROLES)."""
        return self.roles & par.ROLES if self.government_wide else frozenset()

    @property
    def may_view_par(self) -> bool:
        """The PAR page: whoever may read a government-wide assessment."""
        return self.government_wide and self.may_view

    @property
    def may_give_position(self) -> bool:
        """An FG of a ministry consulted in the open round, who did not write the DPIA."""
        return (
            self.government_wide
            and self.is_fg
            and self.in_current_round
            and self.state == par.FG_CONSULTATION.value
        )

    @property
    def may_see_positions(self) -> bool:
        """The matrix of positions: coordinator, secretariat, participating FGs, authors,
        auditors."""
        return self.government_wide and bool(
            {
                wf_roles.COORDINATOR,
                wf_roles.SECRETARIAT,
                wf_roles.FG,
                wf_roles.OWNER,
                wf_roles.EDITOR,
                wf_roles.AUDITOR,
            }
            & self.roles
        )

    @property
    def may_coordinate(self) -> bool:
        """The PAR coordinator sends, consolidates, drafts the advice, offers it."""
        return self.government_wide and self.is_coordinator

    @property
    def may_record_decisions(self) -> bool:
        """The secretariat records the bodies' decisions and the GOR Rijk's consent."""
        return self.government_wide and self.is_secretariat and self.state in par.DECISION

    @property
    def may_change_route(self) -> bool:
        """The owner marks a concept as government-wide (or not) before any submission."""
        return (
            self.is_owner
            and self.state == departmental.CONCEPT.value
            and not self.submitted
            and not self.par_submitted
        )

    @property
    def may_process_par_conditions(self) -> bool:
        """The initiator's authors record what they did with each condition of the
        established advice, before it is offered to the controllers."""
        return self.government_wide and self.is_author and self.state == par.ESTABLISHED.value

    @property
    def may_download_par_advice(self) -> bool:
        """The rijksbreed privacyadvies as a Word file: the coordinator once it is being
        drafted, every reader of the trajectory once it was offered for approval (and
        after, also when withdrawn: nothing is deleted)."""
        if not self.may_view_par:
            return False
        if self.is_coordinator and self.state == par.CONSOLIDATION.value:
            return True
        shown = par.DECISION.values | par.FINAL.values | par.CLOSED.values
        return self.state in shown

    @property
    def may_correct_employee_data(self) -> bool:
        """The initiator corrects "employees' data is processed" until the advice is final."""
        closed = par.FINAL.values | par.CLOSED.values
        return self.government_wide and self.is_owner and self.state not in closed


NO_ACCESS_ROLES: frozenset[str] = frozenset()


def access(user: User, assessment: Assessment) -> Access:
    """The access object of this user on this assessment, computed once per request
    (and again when the assessment changed state or was saved in between)."""
    if not getattr(user, "is_authenticated", False) or not user.active:
        return Access(0, assessment.id, assessment.state, NO_ACCESS_ROLES)
    cache = g.setdefault("pia_access", {}) if has_request_context() else {}
    key = (user.id, assessment.id, assessment.state, assessment.updated_at)
    found = cache.get(key)
    if found is None:
        found = cache[key] = _compute_access(user, assessment)
    return found


def _compute_access(user: User, assessment: Assessment) -> Access:
    from pia.services.review import record

    found: set[str] = set()
    member = assessment.role_of(user)
    if member is not None:
        found.add(member.value)
    took_part = record.took_part(user, assessment)
    submitted = record.was_submitted(assessment)
    par_facts = _par_facts(user, assessment, took_part, found)
    if (
        not assessment.government_wide
        and user.has_role(Role.FG)
        and user.organisation_id == assessment.organisation_id
        and not took_part
        and submitted
    ):
        found.add(wf_roles.FG)
        review = record.current_review(assessment)
        if review is not None and review.is_open and review.claimed_by_id == user.id:
            found.add(wf_roles.CLAIMED_FG)
    if record.is_controller(user, assessment):
        found.add(wf_roles.CONTROLLER)
    if user.has_role(Role.AUDITOR):
        found.add(wf_roles.AUDITOR)
    advice = (
        record.current_advice(assessment)
        if assessment.state == departmental.ADVICE_GIVEN.value
        else None
    )
    return Access(
        user_id=user.id,
        assessment_id=assessment.id,
        state=assessment.state,
        roles=frozenset(found),
        took_part=took_part,
        submitted=submitted,
        has_current_advice=advice is not None,
        government_wide=assessment.government_wide,
        in_current_round=par_facts,
        par_submitted=assessment.government_wide and _par_submitted(assessment),
    )


def _par_submitted(assessment: Assessment) -> bool:
    from pia.services.par import record as par_record

    return bool(par_record.rounds(assessment))


def _par_facts(user: User, assessment: Assessment, took_part: bool, found: set[str]) -> bool:
    """Add the PAR roles to `found`; whether the user's ministry is in the current round.

    FGs of a ministry consulted in some round (never an author), the PAR coordinators once
    it was submitted to them, the secretariat once the advice was offered for approval."""
    if not assessment.government_wide:
        return False
    from pia.services.par import record as par_record

    rounds = par_record.rounds(assessment)
    if not rounds:
        return False
    if user.has_role(Role.PAR_COORDINATOR):
        found.add(wf_roles.COORDINATOR)
    trajectory = par_record.trajectory(assessment)
    if user.has_role(Role.SECRETARIAAT) and trajectory is not None and trajectory.offer > 0:
        found.add(wf_roles.SECRETARIAT)
    if not user.has_role(Role.FG) or took_part:
        return False
    sent = [r for r in rounds if r.sent_at is not None]
    if any(user.organisation_id in r.organisation_ids for r in sent):
        found.add(wf_roles.FG)
    current = rounds[-1]
    return current.sent_at is not None and user.organisation_id in current.organisation_ids


def can_view_assessment(user: User, assessment: Assessment) -> bool:
    """Members see their assessments; auditors see everything; the FGs of the organisation
    see it once it was submitted to them; designated controllers see what they sign."""
    return access(user, assessment).may_view


def can_edit_assessment(user: User, assessment: Assessment) -> bool:
    """Owner and editors change answers while the assessment is a draft."""
    return access(user, assessment).may_edit


def can_share_assessment(user: User, assessment: Assessment) -> bool:
    """Only the owner shares (and revokes)."""
    return access(user, assessment).may_share


def can_export_assessment(user: User, assessment: Assessment) -> bool:
    """Everyone who may read an assessment may take it away as JSON."""
    return access(user, assessment).may_export


# --- documents ---------------------------------------------------------------------


def can_generate_documents(user: User, assessment: Assessment) -> bool:
    """The DPIA report is made (a new stored document) by the owner and editors only;
    readers (viewers, auditors, controllers) download the documents already made."""
    return access(user, assessment).may_generate_documents


def can_generate_advice_document(user: User, assessment: Assessment) -> bool:
    """The FG advice as a Word file: the drafters, and the FG who reviews the assessment."""
    return access(user, assessment).may_generate_advice_document


# --- lists: the same rule as a query -----------------------------------------------------


def visible_assessments(user: User):
    """A SQL condition on Assessment: exactly the assessments can_view_assessment() opens
    for this user (members, designated controllers, the organisation's FGs once it was
    submitted and when they took no part in writing it; auditors everything)."""
    from pia.models import Controller

    if not user.is_authenticated or not user.active:
        return false()
    if user.has_role(Role.AUDITOR):
        return true()
    member = select(AssessmentMember.assessment_id).where(AssessmentMember.user_id == user.id)
    controller = select(Controller.assessment_id).where(Controller.user_id == user.id)
    visible = Assessment.id.in_(member) | Assessment.id.in_(controller)
    if user.has_role(Role.FG):
        visible |= fg_assessments(user)
    if user.has_role(Role.PAR_COORDINATOR):
        visible |= par_coordinated_assessments(user)
    if user.has_role(Role.SECRETARIAAT):
        visible |= par_decision_assessments(user)
    return visible


def fg_assessments(user: User):
    """A SQL condition on Assessment: those this user reviews as FG (review.is_fg_for):
    of their organisation, submitted at least once, and not written by them (an author now,
    or anyone who ever saved answers in it)."""
    from pia.models import AssessmentAuthor, Review

    if not user.is_authenticated or not user.active or not user.has_role(Role.FG):
        return false()
    authors = select(AssessmentMember.assessment_id).where(
        AssessmentMember.user_id == user.id,
        AssessmentMember.role.in_([AssessmentRole.OWNER.value, AssessmentRole.EDITOR.value]),
    )
    wrote = select(AssessmentAuthor.assessment_id).where(AssessmentAuthor.user_id == user.id)
    departmental_review = (
        ~Assessment.government_wide
        & (Assessment.organisation_id == user.organisation_id)
        & Assessment.id.in_(select(Review.assessment_id))
    )
    return (
        (departmental_review | par_consulted(user))
        & Assessment.id.not_in(authors)
        & Assessment.id.not_in(wrote)
    )


# --- the register of processing activities and the portfolio ------------------------------

REGISTER_ROLES = (Role.FG, Role.CPO, Role.CPO_RIJK, Role.AUDITOR)
PORTFOLIO_ROLES = (Role.CPO, Role.CPO_RIJK, Role.AUDITOR)


def sees_every_organisation(user: User) -> bool:
    """The CPO Rijk and the auditor look across all organisations."""
    return user.has_role(Role.CPO_RIJK, Role.AUDITOR)


def can_view_register(user: User) -> bool:
    """The register: the FGs and the CPO of an organisation, the CPO Rijk and auditors."""
    return bool(user.is_authenticated and user.active and user.has_role(*REGISTER_ROLES))


def visible_register(user: User):
    """A SQL condition on RegisterRecord: the records this user's register page shows (their
    own organisation's; every organisation's for the CPO Rijk and auditors)."""
    from pia.models import RegisterRecord

    if not can_view_register(user):
        return false()
    if sees_every_organisation(user):
        return true()
    return RegisterRecord.organisation_id == user.organisation_id


def can_view_portfolio(user: User) -> bool:
    """The portfolio (figures on all DPIAs): the CPO, the CPO Rijk and auditors."""
    return bool(user.is_authenticated and user.active and user.has_role(*PORTFOLIO_ROLES))


def portfolio_assessments(user: User):
    """A SQL condition on Assessment: what this user's portfolio counts (their own
    organisation's assessments; all for the CPO Rijk and auditors). Counting is not opening:
    links to an assessment still follow visible_assessments()."""
    if not can_view_portfolio(user):
        return false()
    if sees_every_organisation(user):
        return true()
    return Assessment.organisation_id == user.organisation_id


PAR_REGISTER_ROLES = (Role.PAR_COORDINATOR, Role.SECRETARIAAT, Role.AUDITOR)


def can_view_par_register(user: User) -> bool:
    """The PAR register (every government-wide trajectory, its dates and lead times): the
    PAR coordinator, the secretariat and auditors."""
    return bool(user.is_authenticated and user.active and user.has_role(*PAR_REGISTER_ROLES))


def par_register_assessments(user: User):
    """A SQL condition on Assessment: the trajectories the PAR register lists (every
    government-wide assessment submitted to the coordination). Listing is not opening:
    a link to the trajectory still follows visible_assessments()."""
    from pia.models import ParRound

    if not can_view_par_register(user):
        return false()
    return Assessment.government_wide & Assessment.id.in_(select(ParRound.assessment_id))


def par_consulted(user: User):
    """A SQL condition on Assessment: government-wide ones sent to the FGs of the user's
    ministry in some round (fg_assessments adds "not written by them")."""
    from pia.models import ParParticipant, ParRound

    consulted = (
        select(ParRound.assessment_id)
        .join(ParParticipant, ParParticipant.round_id == ParRound.id)
        .where(
            ParRound.sent_at.is_not(None),
            ParParticipant.organisation_id == user.organisation_id,
        )
    )
    return Assessment.government_wide & Assessment.id.in_(consulted)


def par_coordinated_assessments(user: User):
    """A SQL condition on Assessment: government-wide ones submitted to the PAR coordination."""
    from pia.models import ParRound

    if not user.is_authenticated or not user.active or not user.has_role(Role.PAR_COORDINATOR):
        return false()
    return Assessment.government_wide & Assessment.id.in_(select(ParRound.assessment_id))


def par_decision_assessments(user: User):
    """A SQL condition on Assessment: government-wide advices offered for approval."""
    from pia.models import ParTrajectory

    if not user.is_authenticated or not user.active or not user.has_role(Role.SECRETARIAAT):
        return false()
    offered = select(ParTrajectory.assessment_id).where(ParTrajectory.offer > 0)
    return Assessment.government_wide & Assessment.id.in_(offered)
