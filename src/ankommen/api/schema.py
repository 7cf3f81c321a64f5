"""OpenAPI schema additions: every operation documents its RFC 9457 problem responses."""

from __future__ import annotations

from typing import Any

PROBLEM_MEDIA_TYPE = "application/problem+json"

PROBLEM_SCHEMA: dict[str, Any] = {
    "type": "object",
    "description": "Fehler nach RFC 9457 (problem details).",
    "required": ["type", "title", "status", "detail"],
    "properties": {
        "type": {"type": "string"},
        "title": {"type": "string"},
        "status": {"type": "integer"},
        "detail": {"type": "string"},
        "errors": {
            "type": "array",
            "description": "Bei 400: jede ungültige Angabe mit Feld und Grund.",
            "items": {
                "type": "object",
                "required": ["field", "message"],
                "properties": {"field": {"type": "string"}, "message": {"type": "string"}},
            },
        },
    },
}


RECORD_QUERY_PARAMETERS = frozenset({"county", "scenario"})


def add_problem_responses(
    result: dict[str, Any], generator: Any, request: Any, public: bool
) -> dict[str, Any]:
    """drf-spectacular post-processing hook: add 400/401/403/404 problem responses."""
    # The serializers may already define "Problem" (ProblemSerializer); keep theirs then.
    result.setdefault("components", {}).setdefault("schemas", {}).setdefault(
        "Problem", PROBLEM_SCHEMA
    )
    problem = {PROBLEM_MEDIA_TYPE: {"schema": {"$ref": "#/components/schemas/Problem"}}}
    for path, operations in result.get("paths", {}).items():
        for operation in operations.values():
            codes = {"401": "Anmeldung erforderlich", "403": "Keine Berechtigung"}
            query = any(p.get("in") == "query" for p in operation.get("parameters", []))
            if query or "requestBody" in operation:
                codes["400"] = "Ungültige Anfrage"
            # A record named in the path, or a county or scenario named in the query, can be
            # missing or out of reach.
            named = {
                p.get("name") for p in operation.get("parameters", []) if p.get("in") == "query"
            }
            if "{" in path or named & RECORD_QUERY_PARAMETERS:
                codes["404"] = "Nicht vorhanden oder für Sie nicht sichtbar"
            for code, description in codes.items():
                operation["responses"].setdefault(
                    code, {"description": description, "content": problem}
                )
            for code, response in operation["responses"].items():
                # An error a view declares without a body (409: the bed was just taken) is a
                # problem response like every other.
                if code.startswith("4") and "content" not in response:
                    response["content"] = problem
    return result
