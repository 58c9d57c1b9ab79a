"""Errors as JSON a client can act on: 401/404/409/413/422/503, never a stack trace.

422 bodies: {"detail": "...", "fields": {"eaten_at": "what to fix", ...}}. Validation
errors never echo the input back (it is journal content).
"""

from __future__ import annotations

from typing import Any

from fastapi import FastAPI, Request
from fastapi.exceptions import RequestValidationError
from fastapi.responses import JSONResponse
from pydantic import BaseModel

from app.journal.errors import Conflict, DomainError, Invalid, NotFound


class ErrorPublic(BaseModel):
    detail: str


class InvalidPublic(BaseModel):
    detail: str
    fields: dict[str, str]


def _error(description: str, model: type[BaseModel] = ErrorPublic) -> dict[str, Any]:
    return {"description": description, "model": model}


# Documented on every journal route (the OpenAPI document is a contract: schemathesis).
ERROR_RESPONSES: dict[int | str, dict[str, Any]] = {
    401: _error("No valid access token: sign in again."),
    413: _error("The request body is over the size bound."),
    422: _error("Invalid input; `fields` says what to fix, field by field.", InvalidPublic),
    503: _error("The journal database or the identity service is unavailable; retry shortly."),
}
NOT_FOUND_RESPONSES: dict[int | str, dict[str, Any]] = {
    404: _error("No such item in your journal (another user's id looks the same).")
}
CONFLICT_RESPONSES: dict[int | str, dict[str, Any]] = {
    409: _error("Clashes with what is stored (e.g. a second note for the same day).")
}


def _invalid(fields: dict[str, str]) -> JSONResponse:
    details = "; ".join(f"{name}: {problem}" for name, problem in fields.items())
    return JSONResponse({"detail": f"Please correct: {details}", "fields": fields}, 422)


def _location(loc: tuple[Any, ...]) -> str:
    parts = [str(part) for part in loc]
    if parts and parts[0] == "body":
        parts = parts[1:]
    return ".".join(parts) or "body"


async def _validation_error(request: Request, error: Exception) -> JSONResponse:
    assert isinstance(error, RequestValidationError)
    fields: dict[str, str] = {}
    for item in error.errors():
        fields.setdefault(_location(tuple(item.get("loc", ()))), str(item.get("msg", "invalid")))
    return _invalid(fields)


async def _domain_error(request: Request, error: Exception) -> JSONResponse:
    if isinstance(error, Invalid):
        return _invalid(error.fields)
    if isinstance(error, NotFound):
        return JSONResponse({"detail": error.message}, 404)
    if isinstance(error, Conflict):
        return JSONResponse({"detail": error.message}, 409)
    assert isinstance(error, DomainError)
    return JSONResponse({"detail": error.message}, 400)


def install(app: FastAPI) -> None:
    app.add_exception_handler(RequestValidationError, _validation_error)
    app.add_exception_handler(DomainError, _domain_error)
