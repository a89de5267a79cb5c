"""The OpenAPI 3.1 document, built from the same pydantic models that validate requests."""

from __future__ import annotations

from functools import cache
from typing import Any

from pydantic import BaseModel

from service.schemas import CommentIn, CommentList, CommentOut, ErrorOut, Health, PendingOut

_MODELS: tuple[type[BaseModel], ...] = (
    CommentIn, CommentOut, PendingOut, CommentList, ErrorOut, Health,
)


def _ref(model: type[BaseModel]) -> dict[str, str]:
    return {"$ref": f"#/components/schemas/{model.__name__}"}


def _json(model: type[BaseModel], description: str) -> dict[str, Any]:
    return {"description": description, "content": {"application/json": {"schema": _ref(model)}}}


def _error(description: str) -> dict[str, Any]:
    return _json(ErrorOut, description)


@cache
def openapi_document() -> dict[str, Any]:
    schemas: dict[str, Any] = {}
    for model in _MODELS:
        schema = model.model_json_schema(ref_template="#/components/schemas/{model}")
        schemas.update(schema.pop("$defs", {}))
        schemas[model.__name__] = schema
    return {
        "openapi": "3.1.0",
        "info": {"title": "Moderato API", "version": "1"},
        "paths": {
            "/api/v1/comments": {
                "get": {
                    "operationId": "list_comments",
                    "summary": "Published comments of a post, in thread order",
                    "parameters": [{"name": "post", "in": "query", "required": True,
                                    "description": "The post URL", "schema": {"type": "string"}}],
                    "responses": {"200": _json(CommentList, "The thread"),
                                  "400": _error("The post parameter is missing")},
                },
                "post": {
                    "operationId": "create_comment",
                    "summary": "Post a comment",
                    "requestBody": {"required": True,
                                    "content": {"application/json": {"schema": _ref(CommentIn)}}},
                    "responses": {
                        "201": _json(CommentOut, "Published"),
                        "202": _json(PendingOut, "Accepted and held for moderation"),
                        "400": _error("The body is not a JSON object"),
                        "413": _error("The request is too large"),
                        "415": _error("The body is not JSON"),
                        "422": _error("A field is invalid; `field` names it"),
                        "429": _error("Too many comments from this address"),
                    },
                },
            },
            "/api/v1/openapi.json": {
                "get": {"operationId": "get_openapi", "summary": "This document",
                        "responses": {"200": {"description": "OpenAPI 3.1 document"}}},
            },
            "/healthz": {
                "get": {"operationId": "health", "summary": "Database and model status",
                        "responses": {"200": _json(Health, "Serving (status may be degraded)"),
                                      "503": _json(Health, "The database is unreachable")}},
            },
        },
        "components": {"schemas": schemas},
    }
