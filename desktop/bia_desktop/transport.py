"""What the client needs from the appliance, as an interface.

The real implementation is gRPC (Auth: issue 4, Journal: issue 5), with TLS pinned
to the appliance's CA; it plugs in here. Until then the app runs with
OfflineTransport, which says so honestly, and tests use an in-memory fake.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date
from typing import Any, Protocol

from bia_desktop.secret import Secret


class TransportUnavailable(Exception):
    """The appliance could not be reached (network, TLS, timeout): retry later."""


class WriteRejected(Exception):
    """The appliance refused a write for good (invalid, conflicting): retrying will not help."""


class NotAuthenticated(Exception):
    """The access token is missing or expired: refresh, or sign in again."""


@dataclass(frozen=True)
class Tokens:
    access_token: Secret
    refresh_token: Secret
    expires_in: int = field(default=300)


@dataclass(frozen=True)
class LoginStart:
    transaction: str
    authorization_url: str


@dataclass(frozen=True)
class Write:
    """One journal change. The idempotency key makes a retried write land once."""

    idempotency_key: str
    operation: str  # "create" | "update" | "delete"
    kind: str  # "meal" | "symptom" | "bowel_movement" | "dose" | "context" | "note"
    entry_id: str
    payload: dict[str, Any]


class Transport(Protocol):
    # Auth (issue 4): server-mediated OIDC, tokens streamed over gRPC.
    def begin_login(self, secret_hash: bytes) -> LoginStart: ...
    def await_tokens(self, transaction: str, secret: bytes) -> Tokens: ...
    def refresh(self, refresh_token: Secret) -> Tokens: ...
    def logout(self, refresh_token: Secret) -> None: ...

    # Journal (issue 5).
    def write(self, access_token: Secret, write: Write) -> dict[str, Any]: ...
    def timeline(self, access_token: Secret, start: date, end: date) -> list[dict[str, Any]]: ...
    def search_foods(
        self, access_token: Secret, query: str, limit: int
    ) -> list[dict[str, Any]]: ...
    def recent_foods(self, access_token: Secret, limit: int) -> list[dict[str, Any]]: ...


class OfflineTransport:
    """No gRPC client yet: every call is 'unavailable', so writes wait in the outbox."""

    REASON = "the appliance connection (gRPC, issues 4 and 5) is not built into this client yet"

    def begin_login(self, secret_hash: bytes) -> LoginStart:
        raise TransportUnavailable(self.REASON)

    def await_tokens(self, transaction: str, secret: bytes) -> Tokens:
        raise TransportUnavailable(self.REASON)

    def refresh(self, refresh_token: Secret) -> Tokens:
        raise TransportUnavailable(self.REASON)

    def logout(self, refresh_token: Secret) -> None:
        raise TransportUnavailable(self.REASON)

    def write(self, access_token: Secret, write: Write) -> dict[str, Any]:
        raise TransportUnavailable(self.REASON)

    def timeline(self, access_token: Secret, start: date, end: date) -> list[dict[str, Any]]:
        raise TransportUnavailable(self.REASON)

    def search_foods(self, access_token: Secret, query: str, limit: int) -> list[dict[str, Any]]:
        raise TransportUnavailable(self.REASON)

    def recent_foods(self, access_token: Secret, limit: int) -> list[dict[str, Any]]:
        raise TransportUnavailable(self.REASON)
