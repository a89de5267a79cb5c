"""The OpenAPI 3.1 document, built from the same pydantic models that validate requests."""

from __future__ import annotations

from functools import cache
from typing import Any

from pydantic import BaseModel

from service.schemas import (
    BodyIn,
    CommentIn,
    CommentList,
    CommentOut,
    CountsOut,
    CountsQuery,
    CreatedOut,
    ErrorOut,
    FormTokenOut,
    Health,
    HeldOut,
    ListQuery,
    PendingOut,
    PreviewOut,
)

_MODELS: tuple[type[BaseModel], ...] = (
    CommentIn,
    BodyIn,
    CommentOut,
    CreatedOut,
    PendingOut,
    HeldOut,
    CommentList,
    CountsOut,
    FormTokenOut,
    PreviewOut,
    ErrorOut,
    Health,
)
EDIT_TOKEN = {
    "name": "Moderato-Edit-Token",
    "in": "header",
    "required": True,
    "description": "The edit_token returned when the comment was created.",
    "schema": {"type": "string"},
}
COMMENT_ID = {"name": "comment_id", "in": "path", "required": True, "schema": {"type": "integer"}}


def _ref(model: type[BaseModel]) -> dict[str, str]:
    return {"$ref": f"#/components/schemas/{model.__name__}"}


def _json(model: type[BaseModel], description: str) -> dict[str, Any]:
    return {"description": description, "content": {"application/json": {"schema": _ref(model)}}}


def _error(description: str) -> dict[str, Any]:
    return _json(ErrorOut, description)


def _body(model: type[BaseModel]) -> dict[str, Any]:
    return {"required": True, "content": {"application/json": {"schema": _ref(model)}}}


def _query(model: type[BaseModel]) -> list[dict[str, Any]]:
    """Query parameters from the model that validates them; list fields repeat (?a=1&a=2)."""
    schema = model.model_json_schema(ref_template="#/components/schemas/{model}")
    required = set(schema.get("required", []))
    params = []
    for name, prop in schema["properties"].items():
        param = {
            "name": name,
            "in": "query",
            "required": name in required,
            "description": prop.pop("description", ""),
            "schema": prop,
        }
        if prop.get("type") == "array":
            param.update(style="form", explode=True)
        params.append(param)
    return params


REFUSED = {
    "403": _error("The Origin is not allowed for this site, or the post is closed"),
    "404": _error("Unknown site"),
    "409": _error("The same comment was just posted on this post"),
    "413": _error("The request is too large"),
    "415": _error("The body is not JSON"),
    "422": _error("A field is invalid (also: too many links); `field` names it"),
    "429": _error(
        "Too many comments from this address or on this post, or posted faster "
        "than a person could (`too_fast`, with Retry-After)"
    ),
}


@cache
def openapi_document() -> dict[str, Any]:
    schemas: dict[str, Any] = {}
    for model in _MODELS:
        schema = model.model_json_schema(ref_template="#/components/schemas/{model}")
        schemas.update(schema.pop("$defs", {}))
        schemas[model.__name__] = schema
    own = {"parameters": [COMMENT_ID, EDIT_TOKEN]}
    owner_errors = {
        "403": _error("Wrong edit token, edit window over, or Origin not allowed"),
        "404": _error("No such comment"),
        "409": _error("A moderator has already rejected it"),
        "429": _error("Too many edits from this address"),
    }
    return {
        "openapi": "3.1.0",
        "info": {"title": "Moderato API", "version": "1"},
        "paths": {
            "/api/v1/comments": {
                "get": {
                    "operationId": "list_comments",
                    "summary": "Published comments of a post, threaded",
                    "description": "Answers with ETag and Cache-Control; If-None-Match gets 304.",
                    "parameters": _query(ListQuery),
                    "responses": {
                        "200": _json(CommentList, "The thread"),
                        "304": {"description": "The copy you have is current"},
                        "400": _error("The post parameter is missing"),
                        "404": _error("Unknown site"),
                        "422": _error("A parameter is invalid"),
                    },
                },
                "post": {
                    "operationId": "create_comment",
                    "summary": "Post a comment",
                    "requestBody": _body(CommentIn),
                    "responses": {
                        "201": _json(CreatedOut, "Published"),
                        "202": _json(HeldOut, "Accepted and held for moderation"),
                        "400": _error(
                            "Not a JSON object; honeypot filled; form token missing, "
                            "forged or expired"
                        ),
                        **REFUSED,
                    },
                },
            },
            "/api/v1/comments/{comment_id}": {
                "put": {
                    "operationId": "update_comment",
                    "summary": "Edit one's own comment within the site's edit window",
                    **own,
                    "requestBody": _body(BodyIn),
                    "responses": {
                        "200": _json(CommentOut, "Edited and still published"),
                        "202": _json(PendingOut, "Edited and held for moderation"),
                        "422": _error("The body is invalid"),
                        **owner_errors,
                    },
                },
                "delete": {
                    "operationId": "delete_comment",
                    "summary": "Delete one's own comment within the site's edit window",
                    **own,
                    "responses": {
                        "204": {"description": "Deleted (kept as 'deleted' if it has replies)"},
                        **owner_errors,
                    },
                },
            },
            "/api/v1/form-token": {
                "get": {
                    "operationId": "get_form_token",
                    "summary": "A signed, timed token to send with a new comment",
                    "parameters": [p for p in _query(ListQuery) if p["name"] != "sort"],
                    "responses": {
                        "200": _json(FormTokenOut, "The token"),
                        "404": _error("Unknown site"),
                    },
                },
            },
            "/api/v1/preview": {
                "post": {
                    "operationId": "preview_comment",
                    "summary": "Render a body as it would be shown; nothing is stored",
                    "requestBody": _body(BodyIn),
                    "responses": {
                        "200": _json(PreviewOut, "The sanitized HTML"),
                        "422": _error("The body is invalid"),
                        "429": _error("Too many previews from this address"),
                    },
                },
            },
            "/api/v1/counts": {
                "get": {
                    "operationId": "count_comments",
                    "summary": "Published comment counts of several posts",
                    "parameters": _query(CountsQuery),
                    "responses": {
                        "200": _json(CountsOut, "Counts by post URL"),
                        "404": _error("Unknown site"),
                        "422": _error("No post, or more than 100"),
                    },
                },
            },
            "/api/v1/feed": {
                "get": {
                    "operationId": "get_feed",
                    "summary": "Atom feed of a post's published comments, newest first",
                    "parameters": [p for p in _query(ListQuery) if p["name"] != "sort"],
                    "responses": {
                        "200": {"description": "Atom 1.0", "content": {"application/atom+xml": {}}},
                        "404": _error("Unknown site or post"),
                    },
                },
            },
            "/api/v1/openapi.json": {
                "get": {
                    "operationId": "get_openapi",
                    "summary": "This document",
                    "responses": {"200": {"description": "OpenAPI 3.1 document"}},
                },
            },
            "/healthz": {
                "get": {
                    "operationId": "health",
                    "summary": "Database and model status",
                    "responses": {
                        "200": _json(Health, "Serving (status may be degraded)"),
                        "503": _json(Health, "The database is unreachable"),
                    },
                },
            },
        },
        "components": {"schemas": schemas},
    }
