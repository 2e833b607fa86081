"""Frozen versions and what changed between two of them."""

from __future__ import annotations

from flask import abort, flash, redirect, render_template, request, url_for
from flask_login import current_user

from pia.formkit import parse_int
from pia.models import Questionnaire
from pia.services import questionnaires, review
from pia.views.assessments import get_assessment
from pia.views.review import bp

# -- versions and the diff ----------------------------------------------------------------------


@bp.get("/versies")
def versions(assessment_id: int):
    """The frozen versions, and a form to compare two of them."""
    assessment = get_assessment(assessment_id)
    return render_template(
        "review/versions.html", assessment=assessment, versions=review.versions(assessment)
    )


@bp.get("/versies/<int:number>")
def show_version(assessment_id: int, number: int):
    """One frozen version to read, section by section (what the FG was asked to review)."""
    assessment = get_assessment(assessment_id)
    frozen = review.version(assessment, number)
    if frozen is None or not assessment.has_dpia:
        abort(404)
    definition = questionnaires.definition_for(assessment, Questionnaire.DPIA)
    return render_template(
        "review/version.html",
        assessment=assessment,
        version=frozen,
        definition=definition,
        answers=frozen.dpia or {},
        may_read_comments=review.may_read_comments(current_user, assessment),
        open_counts=review.open_comment_counts(assessment),
    )


@bp.get("/versies/vergelijken")
def compare(assessment_id: int):
    """What changed between two versions (default: the last two), field by field."""
    assessment = get_assessment(assessment_id)
    all_versions = review.versions(assessment)
    if len(all_versions) < 2 or not assessment.has_dpia:
        flash("Er zijn nog geen twee versies om te vergelijken.", "info")
        return redirect(url_for(".versions", assessment_id=assessment.id))
    new_n = parse_int(request.args.get("naar")) or all_versions[-1].number
    old_n = parse_int(request.args.get("van")) or max(1, new_n - 1)
    old, new = review.version(assessment, old_n), review.version(assessment, new_n)
    if old is None or new is None:
        abort(404)
    return render_template(
        "review/compare.html",
        assessment=assessment,
        versions=all_versions,
        old=old,
        new=new,
        diff=review.compare(assessment, old, new),
        prescan_diff=review.compare_prescan(assessment, old, new),
    )
