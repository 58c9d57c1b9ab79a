"""The client's core: session, sync and journal calls, behind the exposed Api.

Nothing here is reachable from JavaScript (see api.py): it holds the tokens.
"""

from __future__ import annotations

import hashlib
import hmac
import logging
import secrets
import threading
import uuid
import webbrowser
from collections.abc import Callable
from datetime import date
from typing import Any

from bia_desktop.entries import validate
from bia_desktop.guard import SessionGuard
from bia_desktop.keychain import RefreshTokenStore
from bia_desktop.outbox import FlushResult, Outbox
from bia_desktop.secret import AccessTokenHolder, Secret
from bia_desktop.transport import (
    NotAuthenticated,
    Tokens,
    Transport,
    TransportUnavailable,
    Write,
)

log = logging.getLogger(__name__)


class Locked(Exception):
    """Refused because the session is locked."""


class Client:
    def __init__(
        self,
        *,
        transport: Transport,
        keychain: RefreshTokenStore,
        guard: SessionGuard,
        outbox: Outbox,
        open_browser: Callable[[str], object] = webbrowser.open,
    ) -> None:
        self.transport = transport
        self.keychain = keychain
        self.guard = guard
        self.outbox = outbox
        self.tokens = AccessTokenHolder()
        self._open_browser = open_browser
        self._login_lock = threading.Lock()
        self._login_state = "idle"
        self._login_error = ""
        self._login_transaction = ""
        guard.add_lock_listener(lambda _reason: self.tokens.drop())

    # --- session -------------------------------------------------------------------

    def require_unlocked(self) -> None:
        if self.guard.locked:
            raise Locked("Bia is locked: unlock it with your computer password")
        self.guard.touch()

    def status(self) -> dict[str, Any]:
        with self._login_lock:
            login_state, login_error = self._login_state, self._login_error
        pending = self.outbox.pending()
        return {
            "locked": self.guard.locked,
            "lock_reason": self.guard.lock_reason,
            "username": self.guard.username,
            "signed_in": self.tokens.present,
            "login": login_state,
            "login_error": login_error,
            "pending": sum(1 for p in pending if not p.rejected),
            "rejected": sum(1 for p in pending if p.rejected),
        }

    def _accept_tokens(self, tokens: Tokens) -> None:
        self.keychain.store_refresh_token(tokens.refresh_token)
        if not self.guard.locked:  # tokens that arrive while locked are not kept in memory
            self.tokens.set(tokens.access_token)

    def begin_login(self) -> None:
        self.require_unlocked()
        secret = secrets.token_bytes(32)
        start = self.transport.begin_login(hashlib.sha256(secret).digest())
        with self._login_lock:
            self._login_state, self._login_error = "waiting", ""
            self._login_transaction = start.transaction
        self._open_browser(start.authorization_url)
        threading.Thread(
            target=self._await_tokens, args=(start.transaction, secret), daemon=True
        ).start()

    def _await_tokens(self, transaction: str, secret: bytes) -> None:
        try:
            tokens = self.transport.await_tokens(transaction, secret)
            with self._login_lock:
                current = hmac.compare_digest(transaction, self._login_transaction)
            if not current:
                return  # a newer login replaced this one
            self._accept_tokens(tokens)
            with self._login_lock:
                self._login_state = "signed-in"
            self.flush()
        except Exception as exc:
            log.warning("login failed: %s", type(exc).__name__)
            with self._login_lock:
                self._login_state, self._login_error = "failed", str(exc)

    def refresh(self) -> bool:
        """New tokens from the refresh token in the keychain; False if there is none."""
        refresh_token = self.keychain.load_refresh_token()
        if refresh_token is None:
            return False
        self._accept_tokens(self.transport.refresh(refresh_token))
        return True

    def unlock(self, password: str) -> dict[str, Any]:
        if not self.guard.unlock(password):
            return {"ok": False, "error": "That password did not unlock Bia. Try again."}
        online = True
        try:
            self.refresh()
        except (TransportUnavailable, NotAuthenticated) as exc:
            online = False
            log.info("unlocked offline: %s", exc)
        return {"ok": True, "online": online}

    def logout(self) -> None:
        self.require_unlocked()
        refresh_token = self.keychain.load_refresh_token()
        self.tokens.drop()
        self.keychain.forget_refresh_token()
        if refresh_token is not None:
            try:
                self.transport.logout(refresh_token)
            except TransportUnavailable:
                log.warning("could not revoke the session at the appliance (offline)")
        with self._login_lock:
            self._login_state = "idle"

    # --- authenticated calls ----------------------------------------------------------

    def _token(self) -> Secret:
        token = self.tokens.get()
        if token is None:
            if self.guard.locked or not self.refresh():
                raise NotAuthenticated("not signed in")
            token = self.tokens.get()
            if token is None:
                raise NotAuthenticated("not signed in")
        return token

    def call(self, fn: Callable[[Secret], Any]) -> Any:
        """Call the appliance, refreshing the access token once if it has expired."""
        try:
            return fn(self._token())
        except NotAuthenticated:
            self.tokens.drop()
            return fn(self._token())

    def _send(self, write: Write) -> object:
        if self.guard.locked:
            raise TransportUnavailable("locked: kept until you unlock")
        try:
            return self.call(lambda token: self.transport.write(token, write))
        except NotAuthenticated as exc:
            raise TransportUnavailable(f"not signed in: kept until you sign in ({exc})") from exc

    def flush(self) -> FlushResult:
        return self.outbox.flush(self._send)

    # --- journal -------------------------------------------------------------------

    def save(self, kind: str, entry: object, entry_id: str | None = None) -> dict[str, Any]:
        self.require_unlocked()
        payload = validate(kind, entry)
        operation = "create" if entry_id is None else "update"
        write = self.outbox.add(operation, kind, entry_id or str(uuid.uuid4()), payload)
        result = self.flush()
        pending = write.idempotency_key not in result.sent
        entry_id = result.renamed.get(write.entry_id, write.entry_id)
        return {"ok": True, "entry_id": entry_id, "pending": pending}

    def delete(self, kind: str, entry_id: str) -> dict[str, Any]:
        self.require_unlocked()
        write = self.outbox.add("delete", kind, entry_id, {})
        result = self.flush()
        return {"ok": True, "pending": write.idempotency_key not in result.sent}

    def timeline(self, start: date, end: date) -> dict[str, Any]:
        self.require_unlocked()
        online, offline_reason = True, ""
        entries: list[dict[str, Any]] = []
        try:
            entries = self.call(lambda token: self.transport.timeline(token, start, end))
        except TransportUnavailable:
            online, offline_reason = False, "unreachable"
        except NotAuthenticated:
            online, offline_reason = False, "signed-out"
        # Writes still on their way show in place, marked pending.
        by_id = {e.get("entry_id"): e for e in entries}
        for item in self.outbox.pending():
            w = item.write
            if w.operation != "delete" and not start <= _day_of(w.payload) <= end:
                continue
            if w.operation == "delete":
                by_id.pop(w.entry_id, None)
            else:
                by_id[w.entry_id] = {
                    "entry_id": w.entry_id,
                    "kind": w.kind,
                    **w.payload,
                    "pending": True,
                }
        return {
            "ok": True,
            "online": online,
            "offline_reason": offline_reason,
            "entries": list(by_id.values()),
        }


def _day_of(payload: dict[str, Any]) -> date:
    when = payload.get("time") or payload.get("onset") or payload.get("date") or ""
    return date.fromisoformat(str(when)[:10])
