"""Guards, walks and edit rights of the departmental route."""

from dataclasses import replace
from datetime import date

import pytest

from workflows import departmental as d
from workflows.errors import Refusal, TransitionNotAllowed, WorkflowError
from workflows.outcome import Verdict

WF = d.WORKFLOW
OWNER, FG, CLAIMED, CONTROLLER = {"owner"}, {"fg"}, {"fg", "claimed_fg"}, {"controller"}

READY = d.Context(
    is_complete=True,
    advice_given=True,
    advice_conclusion=Verdict.POSITIVE,
    advice_has_reasoning=True,
    has_review_remarks=True,
    recommendations_processed=True,
    review_date=date(2028, 6, 1),
    today=date(2025, 6, 1),
    withdrawal_reason="Het project is gestopt.",
)


def refusal(state: str, action: str, roles: set[str], ctx: d.Context) -> TransitionNotAllowed:
    """Fire, expecting a refusal; return it."""
    with pytest.raises(TransitionNotAllowed) as info:
        WF.fire(state, action, roles, ctx)
    return info.value


def test_submit_only_when_complete() -> None:
    err = refusal("concept", "submit", OWNER, replace(READY, is_complete=False))
    assert err.kind == Refusal.GUARD
    assert err.reasons == ("Niet alle verplichte vragen zijn beantwoord.",)
    assert str(err) == (
        "'Indienen voor FG-advies' is nu niet mogelijk: "
        "Niet alle verplichte vragen zijn beantwoord."
    )
    assert WF.fire("concept", "submit", OWNER, READY) == d.SUBMITTED


def test_offer_for_adoption_needs_processed_recommendations() -> None:
    ctx = replace(READY, recommendations_processed=False)
    err = refusal("advice_given", "offer_for_adoption", OWNER, ctx)
    assert err.reasons == ("Leg bij iedere aanbeveling van de FG vast wat ermee is gedaan.",)


@pytest.mark.parametrize(
    ("state", "action", "roles"),
    [
        ("advice_given", "offer_for_adoption", OWNER),
        ("awaiting_adoption", "sign", CONTROLLER),
        ("awaiting_adoption", "adopt", CONTROLLER),
    ],
)
def test_adopt_only_after_fg_advice(state: str, action: str, roles: set[str]) -> None:
    err = refusal(state, action, roles, replace(READY, advice_given=False))
    assert err.kind == Refusal.GUARD
    assert "Er is nog geen advies van de FG." in err.reasons


@pytest.mark.parametrize(
    ("state", "action", "roles"),
    [
        ("advice_given", "offer_for_adoption", OWNER),
        ("awaiting_adoption", "sign", CONTROLLER),
        ("awaiting_adoption", "adopt", CONTROLLER),
    ],
)
def test_high_residual_risk_needs_the_ap_answer(state: str, action: str, roles: set[str]) -> None:
    high = replace(
        READY, has_high_residual_risk=True, ap_request_sent=True, all_controllers_signed=True
    )
    err = refusal(state, action, roles, high)
    assert err.reasons == ("Er blijft een hoog restrisico; leg eerst het antwoord van de AP vast.",)
    answered = replace(high, ap_answer_recorded=True)
    assert WF.check(state, action, roles, answered) is None


def test_ap_consultation_only_with_high_risk_and_a_sent_request() -> None:
    err = refusal(
        "advice_given", "request_ap_consultation", OWNER, replace(READY, ap_request_sent=True)
    )
    assert err.reasons == (
        "Er is geen hoog restrisico; voorafgaande raadpleging van de AP is niet nodig.",
    )
    high = replace(READY, has_high_residual_risk=True)
    err = refusal("advice_given", "request_ap_consultation", OWNER, high)
    assert err.reasons == ("Leg eerst vast wanneer het verzoek aan de AP is verstuurd.",)
    sent = replace(high, ap_request_sent=True)
    assert WF.fire("advice_given", "request_ap_consultation", OWNER, sent) == d.AP_CONSULTATION
    err = refusal("ap_consultation", "record_ap_answer", CONTROLLER, sent)
    assert err.reasons == ("Leg eerst het antwoord van de AP vast.",)


@pytest.mark.parametrize("action", ["sign", "adopt"])
@pytest.mark.parametrize(
    ("conclusion", "deviates"),
    [(Verdict.NEGATIVE, False), (Verdict.POSITIVE, True), (Verdict.CONDITIONAL, True)],
)
def test_deviation_from_the_advice_needs_a_reason(
    action: str, conclusion: Verdict, deviates: bool
) -> None:
    ctx = replace(
        READY,
        advice_conclusion=conclusion,
        deviates_from_advice=deviates,
        all_controllers_signed=True,
    )
    for reason in ("", "   "):
        err = refusal(
            "awaiting_adoption", action, CONTROLLER, replace(ctx, deviation_reason=reason)
        )
        assert err.reasons == ("U wijkt af van het advies van de FG; leg vast waarom.",)
    explained = replace(ctx, deviation_reason="Het risico is aanvaardbaar omdat …")
    assert WF.check("awaiting_adoption", action, CONTROLLER, explained) is None


def test_following_a_positive_advice_needs_no_reason() -> None:
    for conclusion in (Verdict.POSITIVE, Verdict.CONDITIONAL):
        ctx = replace(READY, advice_conclusion=conclusion)
        assert WF.check("awaiting_adoption", "sign", CONTROLLER, ctx) is None


@pytest.mark.parametrize(
    ("state", "action", "roles"),
    [
        ("submitted", "claim", {"fg"}),
        ("submitted", "claim", {"owner", "fg"}),
        ("in_review", "give_advice", {"fg", "claimed_fg"}),
        ("in_review", "give_advice", {"editor", "fg", "claimed_fg"}),
        ("in_review", "request_changes", {"fg", "claimed_fg"}),
        ("in_review", "release", {"fg", "claimed_fg"}),
    ],
)
def test_an_author_who_is_also_fg_cannot_review(state: str, action: str, roles: set[str]) -> None:
    err = refusal(state, action, roles, replace(READY, actor_is_author=True))
    assert err.kind == Refusal.GUARD
    assert err.reasons[0] == (
        "U bent opsteller van deze DPIA en kunt haar daarom niet als FG beoordelen."
    )


def test_owner_without_fg_role_cannot_give_advice() -> None:
    err = refusal("in_review", "give_advice", OWNER, READY)
    assert err.kind == Refusal.WRONG_ROLE
    assert str(err) == (
        "U mag 'Advies geven' niet uitvoeren; "
        "dat mag alleen de FG die de beoordeling in behandeling heeft."
    )


def test_an_fg_who_has_not_claimed_cannot_give_advice() -> None:
    assert refusal("in_review", "give_advice", FG, READY).kind == Refusal.WRONG_ROLE


def test_advice_needs_a_conclusion_and_a_reasoning() -> None:
    err = refusal("in_review", "give_advice", CLAIMED, replace(READY, advice_conclusion=None))
    assert err.reasons == (
        "Kies de conclusie van het advies: positief, positief met voorwaarden of negatief.",
    )
    err = refusal("in_review", "give_advice", CLAIMED, replace(READY, advice_has_reasoning=False))
    assert err.reasons == ("Onderbouw het advies.",)


def test_request_changes_needs_a_remark() -> None:
    err = refusal("in_review", "request_changes", CLAIMED, replace(READY, has_review_remarks=False))
    assert err.reasons == ("Geef in een opmerking aan wat er moet veranderen.",)


def test_each_controller_signs_once_and_adoption_needs_all() -> None:
    err = refusal("awaiting_adoption", "sign", CONTROLLER, replace(READY, actor_has_signed=True))
    assert err.reasons == ("U hebt deze DPIA al ondertekend.",)
    err = refusal("awaiting_adoption", "adopt", CONTROLLER, READY)
    assert err.reasons == ("Nog niet alle verwerkingsverantwoordelijken hebben ondertekend.",)


@pytest.mark.parametrize(
    ("review_date", "reason"),
    [
        (None, "Leg de datum voor herbeoordeling vast."),
        (date(2025, 6, 1), "De datum voor herbeoordeling moet in de toekomst liggen."),
    ],
)
def test_adoption_and_use_need_a_future_review_date(review_date: date | None, reason: str) -> None:
    ctx = replace(READY, review_date=review_date, all_controllers_signed=True)
    assert refusal("awaiting_adoption", "adopt", CONTROLLER, ctx).reasons == (reason,)
    assert refusal("adopted", "put_in_use", OWNER, ctx).reasons == (reason,)


def test_withdrawal_needs_a_reason() -> None:
    err = refusal("concept", "withdraw", OWNER, replace(READY, withdrawal_reason=" "))
    assert err.reasons == ("Geef de reden van intrekking.",)


def test_all_failing_guards_are_reported_together() -> None:
    ctx = d.Context(has_high_residual_risk=True)
    err = refusal("advice_given", "offer_for_adoption", OWNER, ctx)
    assert len(err.reasons) == 4
    assert all(reason in str(err) for reason in err.reasons)


def test_available_shows_why_an_option_is_not_yet_possible() -> None:
    options = WF.available("concept", OWNER, replace(READY, is_complete=False))
    by_name = {o.name: o for o in options}
    assert set(by_name) == {"submit", "withdraw"}
    assert not by_name["submit"].enabled
    assert by_name["submit"].label == "Indienen voor FG-advies"
    assert by_name["submit"].reasons == ("Niet alle verplichte vragen zijn beantwoord.",)
    assert by_name["withdraw"].enabled


def walk(steps: list[tuple[str, set[str], d.Context]]) -> list[str]:
    """Fire the steps from the initial state; return the states passed through."""
    state, seen = WF.initial, [WF.initial.value]
    for action, roles, ctx in steps:
        state = WF.fire(state, action, roles, ctx)
        seen.append(state.value)
    return seen


def test_walk_without_high_risk_with_two_controllers() -> None:
    second = replace(READY, actor_has_signed=False)
    last = replace(READY, all_controllers_signed=True)
    assert walk(
        [
            ("submit", OWNER, READY),
            ("claim", FG, READY),
            ("request_changes", CLAIMED, READY),
            ("submit", OWNER, READY),
            ("claim", FG, READY),
            ("give_advice", CLAIMED, READY),
            ("offer_for_adoption", OWNER, READY),
            ("sign", CONTROLLER, READY),
            ("sign", CONTROLLER, second),
            ("adopt", CONTROLLER, last),
            ("put_in_use", OWNER, last),
            ("start_reassessment", OWNER, last),
        ]
    ) == [
        "concept",
        "submitted",
        "in_review",
        "changes_requested",
        "submitted",
        "in_review",
        "advice_given",
        "awaiting_adoption",
        "awaiting_adoption",
        "awaiting_adoption",
        "adopted",
        "in_use",
        "concept",
    ]


def test_walk_with_high_risk_through_the_ap() -> None:
    high = replace(READY, has_high_residual_risk=True, ap_request_sent=True)
    answered = replace(high, ap_answer_recorded=True, all_controllers_signed=True)
    assert walk(
        [
            ("submit", OWNER, high),
            ("claim", FG, high),
            ("give_advice", CLAIMED, high),
            ("request_ap_consultation", CONTROLLER, high),
            ("record_ap_answer", OWNER, answered),
            ("sign", CONTROLLER, answered),
            ("adopt", CONTROLLER, answered),
        ]
    )[-3:] == ["awaiting_adoption", "awaiting_adoption", "adopted"]


def test_retract_and_release_send_the_dpia_back() -> None:
    assert WF.fire("submitted", "retract", OWNER, READY) == d.CONCEPT
    assert WF.fire("in_review", "release", CLAIMED, READY) == d.SUBMITTED


@pytest.mark.parametrize("state", WF.state_values)
@pytest.mark.parametrize(
    "roles",
    [{"owner"}, {"editor"}, {"viewer"}, {"fg"}, {"fg", "claimed_fg"}, {"controller"}, {"auditor"}],
)
def test_only_authors_edit_and_only_in_editable_states(state: str, roles: set[str]) -> None:
    editable = state in {"concept", "changes_requested", "advice_given"}
    authors = bool(roles & {"owner", "editor"})
    assert d.can_edit_answers(state, roles) is (editable and authors)


def test_groups() -> None:
    assert d.EDITABLE.values == {"concept", "changes_requested", "advice_given"}
    assert d.UNDER_REVIEW.values == {"submitted", "in_review"}
    assert d.FINAL.values == {"adopted", "in_use"}
    assert WF.group("editable") is d.EDITABLE
    assert "submitted" in d.UNDER_REVIEW and d.IN_REVIEW in d.UNDER_REVIEW
    assert "withdrawn" not in d.IN_PROGRESS


def test_every_label_is_dutch_text_and_every_value_stable_ascii() -> None:
    for state in WF.states:
        assert state.value.isascii() and state.label and state.description
    for transition in WF.transitions:
        assert transition.name.isascii() and transition.label


def test_unknown_state_and_role_are_errors_of_the_caller() -> None:
    with pytest.raises(WorkflowError, match="Onbekende status 'draft'"):
        WF.fire("draft", "submit", OWNER, READY)
    with pytest.raises(WorkflowError, match="Onbekende rol"):
        WF.fire("concept", "submit", {"coordinator"}, READY)


def test_another_fg_takes_over_only_when_the_claimant_is_gone() -> None:
    present = d.Context(claimant_available=True)
    refusal = d.WORKFLOW.check("in_review", "take_over", {"fg"}, present)
    assert refusal is not None and refusal.kind is Refusal.GUARD
    assert "Een andere FG heeft deze beoordeling in behandeling." in refusal.reasons
    gone = d.Context(claimant_available=False)
    assert d.WORKFLOW.fire("in_review", "take_over", {"fg"}, gone).value == "in_review"
    # An author never takes over, gone claimant or not.
    author = d.Context(claimant_available=False, actor_is_author=True)
    assert d.WORKFLOW.check("in_review", "take_over", {"fg"}, author) is not None
