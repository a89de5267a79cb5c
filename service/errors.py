"""One error handler for the whole app: JSON under /api/, a readable page elsewhere."""

from __future__ import annotations

import logging

from flask import Flask, Response, jsonify, render_template, request
from pydantic import ValidationError
from werkzeug.exceptions import HTTPException, InternalServerError

from service.extensions import db
from service.schemas import ErrorOut, FieldError

log = logging.getLogger(__name__)


class APIError(Exception):
    """A client error with a machine-readable code, a readable message and the field at fault."""

    def __init__(self, status: int, error: str, message: str, field: str | None = None) -> None:
        super().__init__(message)
        self.status, self.error, self.message, self.field = status, error, message, field

    def to_response(self) -> tuple[Response, int]:
        errors = [FieldError(field=self.field, message=self.message)] if self.field else []
        body = ErrorOut(error=self.error, message=self.message, field=self.field, errors=errors)
        return jsonify(body.model_dump()), self.status


def validation_response(exc: ValidationError) -> tuple[Response, int]:
    """422 naming every field at fault, in the order the reader filled them."""
    errors = []
    for item in exc.errors(include_url=False):
        field = ".".join(str(part) for part in item["loc"]) or None
        message = item["msg"].removeprefix("Value error, ")
        if item["type"] == "extra_forbidden":
            message = "unknown field"
        elif item["type"] == "missing":
            message = "is required"
        errors.append(FieldError(field=field, message=message))
    first = errors[0]
    body = ErrorOut(
        error="invalid_field",
        message=f"{first.field}: {first.message}" if first.field else first.message,
        field=first.field,
        errors=errors,
    )
    return jsonify(body.model_dump()), 422


def _wants_json() -> bool:
    return request.path.startswith("/api/") or request.path == "/healthz"


def handle_http(exc: HTTPException) -> tuple[Response | str, int]:
    status = exc.code or 500
    if _wants_json():
        message = exc.description or exc.name
        return APIError(status, exc.name.lower().replace(" ", "_"), message).to_response()
    return render_template(
        "error.html", status=status, title=exc.name, message=exc.description
    ), status


def handle_unexpected(exc: Exception) -> tuple[Response | str, int]:
    db.session.rollback()
    log.exception("unhandled error on %s %s", request.method, request.path)
    return handle_http(InternalServerError())


def init_app(app: Flask) -> None:
    app.register_error_handler(APIError, lambda exc: exc.to_response())
    app.register_error_handler(ValidationError, validation_response)
    app.register_error_handler(HTTPException, handle_http)
    app.register_error_handler(Exception, handle_unexpected)
