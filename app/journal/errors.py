"""Domain errors: what went wrong, in words a person can act on."""

from __future__ import annotations

from collections.abc import Mapping


class DomainError(Exception):
    """Base class: the transports map these to 404/422/409 (or gRPC codes)."""

    def __init__(self, message: str) -> None:
        super().__init__(message)
        self.message = message


class NotFound(DomainError):
    """The thing does not exist for this user (another user's id looks the same)."""

    def __init__(self, kind: str, ident: object) -> None:
        super().__init__(f"No {kind} with id {ident} in your journal; it may have been deleted.")
        self.kind = kind
        self.ident = ident


class Invalid(DomainError):
    """The input breaks a rule; `fields` maps each field (dotted path) to what to fix."""

    def __init__(self, fields: Mapping[str, str]) -> None:
        self.fields = dict(fields)
        details = "; ".join(f"{name}: {problem}" for name, problem in self.fields.items())
        super().__init__(f"Please correct: {details}")


class Conflict(DomainError):
    """The input clashes with what is already stored."""
