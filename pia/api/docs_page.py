"""The API's documentation for people: every operation of the OpenAPI document, on a page."""

from flask import Blueprint, current_app, render_template

from pia.api.openapi import finish

bp = Blueprint("api_docs", __name__)

METHODS = ("get", "post", "put", "patch", "delete")


@bp.get("/api/v1/documentatie")
def page():
    """Public: what the API offers, how to get a token, the operations and their answers."""
    spec = finish(current_app.extensions["pia_api"].spec.to_dict())
    operations = [
        (method.upper(), path, operation)
        for path, item in spec["paths"].items()
        for method, operation in item.items()
        if method in METHODS
    ]
    return render_template("api/documentation.html", spec=spec, operations=operations)
