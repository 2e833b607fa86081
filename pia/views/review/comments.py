"""Remarks per section and question: read beside the answers, reply, resolve."""

from __future__ import annotations

from flask import abort, flash, redirect, render_template, request, url_for
from flask_login import current_user
from wtforms.fields.choices import SelectChoice

from pia.extensions import db
from pia.formkit import parse_int
from pia.models import (
    Comment,
    Questionnaire,
)
from pia.questionnaire_view import question_words
from pia.services import questionnaires, review
from pia.services.assessments import AssessmentError, load_answers
from pia.views.assessments import get_assessment
from pia.views.review import bp, dpia_sections
from pia.views.review.forms import ActionForm, CommentForm, ReplyForm

# -- comments ---------------------------------------------------------------------------------


def _comment_choices(assessment, section_id: str) -> list[SelectChoice]:
    definition = questionnaires.definition_for(assessment, Questionnaire.DPIA)
    section = definition.section(section_id)
    choices = [SelectChoice("", f"Het hele onderdeel {section.id}. {section.title}")]
    for q in section.questions:
        words = question_words(definition, q.id, section.id)
        choices.append(SelectChoice(q.id, words[0].upper() + words[1:]))
    return choices


@bp.get("/opmerkingen")
def all_comments(assessment_id: int):
    """Every thread of the DPIA, per section."""
    assessment = get_assessment(assessment_id)
    if not review.may_read_comments(current_user, assessment) or not assessment.has_dpia:
        abort(403)
    threads = review.comments(assessment)
    titles = dict(dpia_sections(assessment))
    return render_template(
        "review/all_comments.html",
        definition=questionnaires.definition_for(assessment, Questionnaire.DPIA),
        assessment=assessment,
        threads=threads,
        titles=titles,
        show_resolved=request.args.get("afgehandeld") == "1",
    )


@bp.route("/opmerkingen/<section_id>", methods=["GET", "POST"])
def comments(assessment_id: int, section_id: str):
    """The threads of one section, beside its answers; new remarks and replies."""
    assessment = get_assessment(assessment_id)
    if not review.may_read_comments(current_user, assessment) or not assessment.has_dpia:
        abort(403)
    definition = questionnaires.definition_for(assessment, Questionnaire.DPIA)
    try:
        section = definition.section(section_id)
    except KeyError:
        abort(404)
    if section.is_workflow:
        abort(404)
    may_comment = review.may_comment(current_user, assessment)
    form = CommentForm(prefix="new")
    form.question_id.choices = _comment_choices(assessment, section_id)
    if request.method == "GET" and request.args.get("vraag"):
        form.question_id.data = request.args["vraag"]
    reply = ReplyForm(prefix="reply")
    status_code = 200
    if request.method == "POST":
        if not may_comment:
            abort(403)
        target = form if "new-body" in request.form else reply
        if target.validate_on_submit():
            parent = None
            if target is reply:
                parent_id = parse_int(reply.parent_id.data)
                if parent_id is None:
                    abort(404)
                parent = db.session.get(Comment, parent_id)
                if parent is None or parent.assessment_id != assessment.id:
                    abort(404)
            try:
                comment = review.add_comment(
                    assessment,
                    current_user,
                    section_id,
                    form.question_id.data if target is form else None,
                    target.body.data,
                    parent,
                )
            except AssessmentError as exc:
                db.session.rollback()
                target.add_error(exc.field, str(exc))
                status_code = 400
            else:
                db.session.commit()
                flash("Uw opmerking is geplaatst.", "success")
                return redirect(
                    _back_to(assessment.id, section_id, comment.parent_id or comment.id)
                )
        else:
            status_code = 400
    return render_template(
        "review/comments.html",
        assessment=assessment,
        definition=definition,
        section=section,
        answers=load_answers(assessment, Questionnaire.DPIA),
        threads=review.comments(assessment, section_id),
        form=form,
        reply=reply,
        reply_to=parse_int(request.form.get("reply-parent_id")) if status_code == 400 else None,
        may_comment=may_comment,
        action_form=ActionForm(),
        sections=dpia_sections(assessment),
        open_counts=review.open_comment_counts(assessment),
    ), status_code


@bp.post("/opmerkingen/<int:comment_id>/afhandelen")
def resolve(assessment_id: int, comment_id: int):
    """Mark a thread resolved, or open it again."""
    assessment = get_assessment(assessment_id)
    if not review.may_comment(current_user, assessment):
        abort(403)
    comment = db.get_or_404(Comment, comment_id)
    if comment.assessment_id != assessment.id:
        abort(404)
    if not ActionForm().validate_on_submit():
        abort(400)
    resolved = request.form.get("resolved") == "1"
    try:
        review.set_resolved(assessment, current_user, comment, resolved)
    except AssessmentError as exc:
        db.session.rollback()
        flash(str(exc), "error")
    else:
        db.session.commit()
        flash(
            "De opmerking is afgehandeld." if resolved else "De opmerking is heropend.", "success"
        )
    return redirect(_back_to(assessment.id, comment.section_id, comment.id))


def _back_to(assessment_id: int, section_id: str, comment_id: int) -> str:
    """Where the remark was answered: the drafters' section page, or the comments page."""
    if request.form.get("terug") == "onderdeel":
        return url_for(
            "questionnaires.edit_section",
            assessment_id=assessment_id,
            questionnaire_name=Questionnaire.DPIA.value,
            section_id=section_id,
            _anchor=f"c{comment_id}",
        )
    return url_for(
        ".comments", assessment_id=assessment_id, section_id=section_id, _anchor=f"c{comment_id}"
    )
