"""The OpenAPI 3.1 document of /api/v1: flask-smorest collects the operations from the code;
this module adds what is the same for every operation (the bearer token, the API-Version
header, problem+json for every error) so no operation can forget it."""

from copy import deepcopy

from pia.api.problems import PROBLEM_JSON, TITLES

PROBLEM_SCHEMA = {
    "type": "object",
    "required": ["type", "title", "status"],
    "properties": {
        "type": {"type": "string"},
        "title": {"type": "string"},
        "status": {"type": "integer"},
        "detail": {"type": "string"},
        "instance": {"type": "string"},
        "huidigeVersie": {"type": "integer"},
        "invalidParams": {
            "type": "array",
            "items": {
                "type": "object",
                "required": ["name", "reason"],
                "properties": {
                    "name": {"type": "string"},
                    "code": {"type": "string"},
                    "reason": {"type": "string"},
                },
            },
        },
    },
}

# Every operation can answer these (no or a bad token, no right, a bad parameter, too many).
COMMON_ERRORS = ("400", "401", "403", "405", "429")


def errors(*codes: int) -> dict:
    """For @bp.doc(responses=...): the operation's own error statuses (content added here)."""
    return {str(code): {"description": TITLES[code]} for code in codes}


def ok(description: str, status: int = 200, content: dict | None = None) -> dict:
    return {
        str(status): {
            "description": description,
            "content": content or {"application/json": {"schema": {"type": "object"}}},
        }
    }


def parameter(name: str, where: str, schema: dict, description: str, required=False) -> dict:
    return {
        "name": name,
        "in": where,
        "schema": schema,
        "description": description,
        "required": required,
    }


def finish(spec: dict) -> dict:
    """The document as served: the shared components, and on every operation the security,
    the version header on every response and problem+json on every error response."""
    spec = deepcopy(spec)
    components = spec.setdefault("components", {})
    components.setdefault("schemas", {})["Problem"] = PROBLEM_SCHEMA
    components["securitySchemes"] = {
        "persoonlijkToken": {
            "type": "http",
            "scheme": "bearer",
            "description": "Een persoonlijk API-token (pia_…), aan te maken onder Account.",
        }
    }
    components["headers"] = {
        "API-Version": {
            "description": "De volledige versie van de API.",
            "schema": {"type": "string", "example": "1.0.0"},
        }
    }
    spec["security"] = [{"persoonlijkToken": []}]
    for path in spec.get("paths", {}).values():
        for method, operation in path.items():
            if method not in ("get", "put", "post", "delete", "patch"):
                continue
            responses = operation.setdefault("responses", {})
            for code in COMMON_ERRORS:
                responses.setdefault(code, {"description": TITLES[int(code)]})
            if "{" in str(operation.get("parameters", "")) or any(
                p.get("in") == "path" for p in path.get("parameters", [])
            ):
                responses.setdefault("404", {"description": TITLES[404]})
            for code, response in responses.items():
                response.setdefault("headers", {})["API-Version"] = {
                    "$ref": "#/components/headers/API-Version"
                }
                if code[0] in "45":
                    response["content"] = {
                        PROBLEM_JSON: {"schema": {"$ref": "#/components/schemas/Problem"}}
                    }
    return spec
