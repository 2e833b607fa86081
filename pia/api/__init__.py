"""The REST API, /api/v1 (NL GOV API Design Rules): bearer tokens, problem+json errors,
an OpenAPI 3.1 document generated from the code (flask-smorest)."""

from flask import Flask, request
from flask_smorest import Api as SmorestApi
from werkzeug.exceptions import HTTPException, InternalServerError

from pia.api import problems, tokens

API_VERSION = "1.0.0"
PREFIX = "/api/"


class Api(SmorestApi):
    """flask-smorest's Api without its app-wide error handlers: the pages keep their Dutch
    HTML errors; the API's problems are answered by pia.api.problems."""

    DEFAULT_ERROR_RESPONSE_NAME = None

    def _register_error_handlers(self):
        pass

    def _openapi_json(self):
        from flask import jsonify

        from pia.api.openapi import finish

        return jsonify(finish(self.spec.to_dict()))


def is_api_request() -> bool:
    return request.path.startswith(PREFIX)


def _headers(response):
    if is_api_request():
        response.headers["API-Version"] = API_VERSION
        response.headers["Cache-Control"] = "no-store"
        response.headers.pop("Set-Cookie", None)
    return response


def init_app(app: Flask) -> None:
    """Register the API blueprint (CSRF-exempt: tokens, never cookies) and its problems."""
    from pia import errors
    from pia.api import procedure, record, resources, sections  # noqa: F401 - registers the operations
    from pia.extensions import csrf

    app.config.setdefault("API_TITLE", "PIA Rijk API")
    app.config.setdefault("API_VERSION", API_VERSION)
    app.config.setdefault("OPENAPI_VERSION", "3.1.0")
    app.config.setdefault("OPENAPI_URL_PREFIX", "/api/v1")
    app.config.setdefault("OPENAPI_JSON_PATH", "openapi.json")
    app.config.setdefault("API_RATE_PER_MINUTE", tokens.DEFAULT_RATE_PER_MINUTE)
    api = Api(app)
    csrf.exempt(resources.bp)
    api.register_blueprint(resources.bp)
    app.extensions["pia_api"] = api
    from pia.api import docs_page

    app.register_blueprint(docs_page.bp)
    app.after_request(_headers)

    def on_http(exc: HTTPException):
        return problems.handle_http(exc) if is_api_request() else errors.handle_http(exc)

    def on_error(exc: Exception):
        return problems.handle_exception(exc) if is_api_request() else errors.handle_500(exc)

    app.register_error_handler(problems.Problem, problems.handle_problem)
    app.register_error_handler(HTTPException, on_http)
    app.register_error_handler(InternalServerError, on_error)
    app.register_error_handler(Exception, on_error)
