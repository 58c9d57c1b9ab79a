"""The one object exposed to JavaScript (pywebview js_api), and its namespaces.

pywebview calls `window.pywebview.api.<dotted.path>` by walking getattr() from this
object, and that walk does not skip names starting with "_" (webview.util,
js_bridge_call). A page that misbehaved could otherwise reach
`session.status.__self__._client.tokens` and read a token. So every exposed object
refuses private and dunder attributes (Exposed), keeps its Client somewhere no
attribute leads to (a closure cell), and every method returns plain dicts.
"""

from __future__ import annotations

import logging
from collections.abc import Callable
from datetime import date, timedelta
from typing import Any, Final

from bia_desktop.client import Client, Locked
from bia_desktop.entries import PORTION_UNITS, SYMPTOM_TYPES, EntryError
from bia_desktop.transport import NotAuthenticated, TransportUnavailable

log = logging.getLogger(__name__)

# What Python and pywebview look up on an exposed object; nothing here leads to data.
_ALLOWED_DUNDERS: Final = frozenset({"__class__", "__module__", "__doc__"})

Result = dict[str, Any]


class Exposed:
    """Base of everything JavaScript can reach: public methods only."""

    def __getattribute__(self, name: str) -> Any:
        if name.startswith("_") and name not in _ALLOWED_DUNDERS:
            raise AttributeError(f"{name!r} is not part of Bia's API")
        return object.__getattribute__(self, name)

    def __dir__(self) -> list[str]:
        names = set(dir(type(self))) | set(object.__getattribute__(self, "__dict__"))
        return sorted(n for n in names if not n.startswith("_"))


def _guarded(call: Callable[[], Result]) -> Result:
    """Turn the exceptions a person can act on into plain answers for the page."""
    try:
        return call()
    except Locked as exc:
        return {"ok": False, "locked": True, "error": str(exc)}
    except EntryError as exc:
        return {"ok": False, "error": str(exc)}
    except NotAuthenticated:
        return {"ok": False, "signed_out": True, "error": "You are signed out: sign in again."}
    except TransportUnavailable as exc:
        return {"ok": False, "offline": True, "error": f"The appliance is unreachable: {exc}"}


def _client_cell(client: Client) -> Callable[[], Client]:
    return lambda: client


class SessionApi(Exposed):
    def __init__(self, get: Callable[[], Client]) -> None:
        object.__setattr__(self, "_get", get)

    def status(self) -> Result:
        client: Client = object.__getattribute__(self, "_get")()
        return {"ok": True, **client.status()}

    def begin_login(self) -> Result:
        client: Client = object.__getattribute__(self, "_get")()

        def run() -> Result:
            client.begin_login()
            return {"ok": True, "waiting": True}

        return _guarded(run)

    def lock(self) -> Result:
        client: Client = object.__getattribute__(self, "_get")()
        client.guard.lock("user")
        return {"ok": True, "locked": True}

    def unlock(self, password: str) -> Result:
        client: Client = object.__getattribute__(self, "_get")()
        if not isinstance(password, str):
            return {"ok": False, "error": "The password must be text."}
        return client.unlock(password)

    def activity(self) -> Result:
        client: Client = object.__getattribute__(self, "_get")()
        client.guard.touch()
        return {"ok": True}

    def logout(self) -> Result:
        client: Client = object.__getattribute__(self, "_get")()

        def run() -> Result:
            client.logout()
            return {"ok": True}

        return _guarded(run)


class JournalApi(Exposed):
    def __init__(self, get: Callable[[], Client]) -> None:
        object.__setattr__(self, "_get", get)

    def options(self) -> Result:
        return {"ok": True, "symptom_types": list(SYMPTOM_TYPES), "units": list(PORTION_UNITS)}

    def save(self, kind: str, entry: dict[str, Any], entry_id: str | None = None) -> Result:
        client: Client = object.__getattribute__(self, "_get")()
        return _guarded(lambda: client.save(str(kind), entry, entry_id or None))

    def delete(self, kind: str, entry_id: str) -> Result:
        client: Client = object.__getattribute__(self, "_get")()
        return _guarded(lambda: client.delete(str(kind), str(entry_id)))

    def day(self, day: str) -> Result:
        client: Client = object.__getattribute__(self, "_get")()

        def run() -> Result:
            start = _parse_day(day)
            return {**client.timeline(start, start), "start": start.isoformat()}

        return _guarded(run)

    def week(self, day: str) -> Result:
        """The Monday-to-Sunday week that contains `day`."""
        client: Client = object.__getattribute__(self, "_get")()

        def run() -> Result:
            start = _parse_day(day)
            start -= timedelta(days=start.weekday())
            end = start + timedelta(days=6)
            return {
                **client.timeline(start, end),
                "start": start.isoformat(),
                "end": end.isoformat(),
            }

        return _guarded(run)


class CatalogApi(Exposed):
    def __init__(self, get: Callable[[], Client]) -> None:
        object.__setattr__(self, "_get", get)

    def search(self, query: str, limit: int = 12) -> Result:
        client: Client = object.__getattribute__(self, "_get")()

        def run() -> Result:
            client.require_unlocked()
            text = str(query).strip()[:100]
            if not text:
                return {"ok": True, "foods": []}
            n = max(1, min(int(limit), 50))
            foods = client.call(lambda token: client.transport.search_foods(token, text, n))
            return {"ok": True, "foods": foods}

        return _guarded(run)

    def recent(self, limit: int = 12) -> Result:
        client: Client = object.__getattribute__(self, "_get")()

        def run() -> Result:
            client.require_unlocked()
            n = max(1, min(int(limit), 50))
            foods = client.call(lambda token: client.transport.recent_foods(token, n))
            return {"ok": True, "foods": foods}

        return _guarded(run)


class OutboxApi(Exposed):
    def __init__(self, get: Callable[[], Client]) -> None:
        object.__setattr__(self, "_get", get)

    def list(self) -> Result:
        client: Client = object.__getattribute__(self, "_get")()

        def run() -> Result:
            client.require_unlocked()
            return {"ok": True, "writes": [p.public() for p in client.outbox.pending()]}

        return _guarded(run)

    def retry(self) -> Result:
        client: Client = object.__getattribute__(self, "_get")()

        def run() -> Result:
            client.require_unlocked()
            result = client.flush()
            return {
                "ok": True,
                "sent": len(result.sent),
                "remaining": result.remaining,
                "offline_reason": result.offline_reason,
            }

        return _guarded(run)

    def discard(self, key: str) -> Result:
        client: Client = object.__getattribute__(self, "_get")()

        def run() -> Result:
            client.require_unlocked()
            return {"ok": client.outbox.discard(str(key))}

        return _guarded(run)

    def send_again(self, key: str) -> Result:
        client: Client = object.__getattribute__(self, "_get")()

        def run() -> Result:
            client.require_unlocked()
            if not client.outbox.send_again(str(key)):
                return {"ok": False, "error": "That write is no longer waiting."}
            result = client.flush()
            return {"ok": True, "sent": str(key) in result.sent}

        return _guarded(run)


class Api(Exposed):
    """`window.pywebview.api`: session, journal, catalog, outbox."""

    def __init__(self, client: Client) -> None:
        get = _client_cell(client)
        object.__setattr__(self, "session", SessionApi(get))
        object.__setattr__(self, "journal", JournalApi(get))
        object.__setattr__(self, "catalog", CatalogApi(get))
        object.__setattr__(self, "outbox", OutboxApi(get))

    def __setattr__(self, name: str, value: object) -> None:
        raise AttributeError("Bia's API is read-only")


def _parse_day(value: str) -> date:
    try:
        return date.fromisoformat(str(value))
    except ValueError:
        raise EntryError(f"not a day: {value!r} (expected YYYY-MM-DD)") from None
