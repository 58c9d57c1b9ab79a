"""The Transport over gRPC: the appliance's Auth and Journal services, with grpclib.

grpclib is pure Python (asyncio over h2) and uses Python's own TLS, so one package runs
on any Python 3.11+, and OpenSSL checks the appliance's local CA with its iPAddress name
constraints (grpcio's BoringSSL refuses that CA: see app/cli/tlsbridge.py). The only CA
trusted is the one built into this client (appliance.py), never the system's.

The client's callers are threads (pywebview's workers, the retry loop, the login
waiter); grpclib is asyncio. So one event loop runs in a daemon thread, owns the
channel, and each method submits a coroutine to it and waits with a deadline.

The page's entries (entries.py) are simpler than the journal's records; how one becomes
the other, with its few deliberate choices, is journal_map.py.
"""

from __future__ import annotations

import asyncio
import concurrent.futures
import json
import logging
import ssl
import threading
from collections.abc import Awaitable, Callable, Coroutine
from datetime import UTC, date, datetime, time, timedelta
from typing import Any, Final, TypeVar

from grpclib.client import Channel
from grpclib.config import Configuration
from grpclib.const import Status
from grpclib.exceptions import GRPCError, ProtocolError, StreamTerminatedError

from bia_desktop.appliance import Appliance
from bia_desktop.journal_map import (
    MENSTRUATION_YES,
    URGENT,
    context_entry,
    is_urgent,
    meal_items,
    meal_type,
    menstruating,
    note_entry,
    page_entry,
    page_food,
    page_item,
    set_or_clear,
    symptom_kind,
)
from bia_desktop.outbox import ServerFault
from bia_desktop.rpc.auth.v1 import auth_grpc, auth_pb2
from bia_desktop.rpc.journal.v1 import journal_grpc
from bia_desktop.rpc.journal.v1 import journal_pb2 as pb
from bia_desktop.secret import Secret
from bia_desktop.transport import (
    LoginStart,
    NotAuthenticated,
    Tokens,
    TransportUnavailable,
    Write,
    WriteRejected,
)

log = logging.getLogger(__name__)
T = TypeVar("T")

CALL_SECONDS: Final = 15.0
# The edge holds AwaitTokens open for up to 600 s (a login transaction's lifetime).
LOGIN_SECONDS: Final = 600.0
FIELD_ERRORS_KEY: Final = "bia-field-errors"
RECENT_DAYS: Final = 30
# Statuses that mean "not now": the write stays in the outbox and is sent again later.
_RETRY_LATER: Final = {
    Status.UNAVAILABLE,
    Status.DEADLINE_EXCEEDED,
    Status.RESOURCE_EXHAUSTED,
    Status.CANCELLED,
    Status.ABORTED,
}
# The appliance answered but failed: "not now" for a few attempts, then a refusal
# (ServerFault: the rule is the outbox's), so one write it always fails on cannot
# hold back every later one.
_SERVER_FAULT: Final = {Status.INTERNAL, Status.UNKNOWN}
# OpenSSL's verify codes for a certificate that does not name the host asked for.
_NAME_MISMATCH: Final = {62, 63, 64}  # X509_V_ERR_{HOSTNAME,EMAIL,IP_ADDRESS}_MISMATCH


class _NotFound(Exception):
    """NOT_FOUND: for a delete that was retried, the first attempt went through."""


class _Clash(WriteRejected):
    """FAILED_PRECONDITION: e.g. a second context record for one day."""


def tls_context(appliance: Appliance) -> ssl.SSLContext:
    """TLS 1.3, HTTP/2, and only the appliance's own CA: no system CAs are loaded."""
    context = ssl.SSLContext(ssl.PROTOCOL_TLS_CLIENT)  # verifies the chain and the name
    context.minimum_version = ssl.TLSVersion.TLSv1_3
    context.load_verify_locations(cadata=appliance.ca_pem)
    context.set_alpn_protocols(["h2"])
    return context


class GrpcTransport:
    def __init__(self, appliance: Appliance, *, call_seconds: float = CALL_SECONDS) -> None:
        self.appliance = appliance
        self.call_seconds = call_seconds
        self._loop = asyncio.new_event_loop()
        self._thread = threading.Thread(target=self._loop.run_forever, name="bia-grpc", daemon=True)
        self._thread.start()
        self._channel: Channel = self._run(self._open(), self.call_seconds)
        self._auth = auth_grpc.AuthStub(self._channel)
        self._journal = journal_grpc.JournalStub(self._channel)
        self._catalog = journal_grpc.CatalogStub(self._channel)

    async def _open(self) -> Channel:
        # Created on the loop's own thread: a channel belongs to the loop it was made in.
        return Channel(
            self.appliance.host,
            self.appliance.port,
            ssl=tls_context(self.appliance),
            config=Configuration(ssl_target_name_override=self.appliance.server_name),
        )

    def close(self) -> None:
        if self._loop.is_closed():
            return

        async def shut() -> None:
            self._channel.close()

        try:
            self._run(shut(), 5)
        finally:
            self._loop.call_soon_threadsafe(self._loop.stop)
            self._thread.join(5)
            if not self._thread.is_alive():
                self._loop.close()

    # --- calls ---------------------------------------------------------------------

    def _run(self, coroutine: Coroutine[Any, Any, T], seconds: float) -> T:
        future = asyncio.run_coroutine_threadsafe(coroutine, self._loop)
        try:
            # grpclib enforces the call's own deadline; this is the backstop behind it.
            return future.result(seconds + 5)
        except concurrent.futures.TimeoutError:
            future.cancel()
            raise self._unreachable("no answer in time") from None

    def _unreachable(self, reason: str) -> TransportUnavailable:
        return TransportUnavailable(
            f"cannot reach the appliance at {self.appliance.address}: {reason}"
        )

    def _connection_error(self, exc: BaseException) -> TransportUnavailable:
        if isinstance(exc, ssl.SSLCertVerificationError) and (
            exc.verify_code in _NAME_MISMATCH or "mismatch" in (exc.verify_message or "")
        ):
            return self._unreachable(
                f"the appliance's certificate no longer names {self.appliance.server_name} "
                f"({exc.verify_message}). Get the client again from the appliance's "
                "download page."
            )
        if isinstance(exc, ssl.SSLCertVerificationError):
            return self._unreachable(
                "its certificate does not match the CA built into this client "
                f"({exc.verify_message}). If the appliance was set up again, get the "
                "client again from it."
            )
        if isinstance(exc, TimeoutError):
            return self._unreachable("no answer in time")
        return self._unreachable(str(exc) or type(exc).__name__)

    async def _call(
        self,
        method: Any,
        request: Any,
        *,
        token: Secret | None = None,
        seconds: float | None = None,
    ) -> Any:
        """One unary call, its failures as the Transport's exceptions."""
        metadata = {"authorization": f"Bearer {token.reveal()}"} if token is not None else None
        stream = None
        try:
            async with method.open(
                timeout=seconds or self.call_seconds, metadata=metadata
            ) as stream:
                await stream.send_message(request, end=True)
                return await stream.recv_message()
        except GRPCError as exc:
            trailers = stream.trailing_metadata if stream is not None else None
            raise self._refusal(exc, trailers) from None
        except (OSError, TimeoutError, StreamTerminatedError, ProtocolError) as exc:
            raise self._connection_error(exc) from None

    def _refusal(self, exc: GRPCError, trailers: Any) -> Exception:
        message = exc.message or exc.status.name
        if exc.status in _RETRY_LATER:
            return self._unreachable(f"{message} ({exc.status.name})")
        if exc.status in _SERVER_FAULT:
            return ServerFault(
                f"the appliance failed on this request: {message} ({exc.status.name})"
            )
        if exc.status in (Status.UNAUTHENTICATED, Status.PERMISSION_DENIED):
            return NotAuthenticated(message)
        if exc.status is Status.NOT_FOUND:
            return _NotFound(message)
        fields = _field_errors(trailers)
        if fields:
            message = "; ".join(f"{name}: {text}" for name, text in fields.items())
        refused = (_Clash if exc.status is Status.FAILED_PRECONDITION else WriteRejected)(
            f"the appliance refused this entry: {message}"
        )
        refused.fields = fields  # type: ignore[attr-defined]
        return refused

    def _sync(self, coroutine: Coroutine[Any, Any, T], seconds: float | None = None) -> T:
        return self._run(coroutine, seconds or self.call_seconds)

    # --- auth ----------------------------------------------------------------------

    def begin_login(self, secret_hash: bytes) -> LoginStart:
        request = auth_pb2.BeginLoginRequest(binding_secret_sha256=secret_hash)
        answer = self._sync(self._call(self._auth.BeginLogin, request))
        return LoginStart(answer.transaction_id, answer.authorization_url)

    def await_tokens(self, transaction: str, secret: bytes) -> Tokens:
        return self._sync(self._await_tokens(transaction, secret), LOGIN_SECONDS)

    async def _await_tokens(self, transaction: str, secret: bytes) -> Tokens:
        request = auth_pb2.AwaitTokensRequest(transaction_id=transaction, binding_secret=secret)
        stream = None
        try:
            async with self._auth.AwaitTokens.open(timeout=LOGIN_SECONDS) as stream:
                await stream.send_message(request, end=True)
                async for event in stream:
                    if event.stage == auth_pb2.LoginEvent.Stage.DELIVERED:
                        return _tokens(event.tokens)
        except GRPCError as exc:
            if exc.status is Status.DEADLINE_EXCEEDED and exc.message:
                raise NotAuthenticated(
                    f"the sign-in was not finished in time: {exc.message}"
                ) from None
            if exc.status is Status.NOT_FOUND:
                raise NotAuthenticated(
                    "the appliance no longer knows this sign-in (it may have restarted): "
                    "sign in again"
                ) from None
            raise self._refusal(exc, stream.trailing_metadata if stream else None) from None
        except (OSError, TimeoutError, StreamTerminatedError, ProtocolError) as exc:
            raise self._connection_error(exc) from None
        raise self._unreachable("the sign-in ended without tokens; sign in again")

    def refresh(self, refresh_token: Secret) -> Tokens:
        request = auth_pb2.RefreshRequest(refresh_token=refresh_token.reveal())
        answer = self._sync(self._call(self._auth.Refresh, request))
        return _tokens(answer, keep=refresh_token)

    def logout(self, refresh_token: Secret) -> None:
        request = auth_pb2.LogoutRequest(refresh_token=refresh_token.reveal())
        try:
            self._sync(self._call(self._auth.Logout, request))
        except NotAuthenticated:
            log.info("the appliance had already ended this session")

    # --- journal -------------------------------------------------------------------

    def write(self, access_token: Secret, write: Write) -> dict[str, Any]:
        return self._sync(_Writer(self, access_token, write).run(), self.call_seconds * 4)

    def timeline(self, access_token: Secret, start: date, end: date) -> list[dict[str, Any]]:
        return self._sync(self._timeline(access_token, start, end), self.call_seconds * 3)

    async def _timeline(self, token: Secret, start: date, end: date) -> list[dict[str, Any]]:
        # [start, end] are days on this computer's calendar, as the page shows them.
        period = pb.TimeRange(start=_local_midnight(start), end=_local_midnight(end, 1))
        answer = await self._call(
            self._journal.GetTimeline, pb.TimelineRequest(range=period), token=token
        )
        kinds = {entry.kind for entry in answer.entries}
        names: dict[str, str] = {}
        if any(
            e.symptom.HasField("symptom_type_id") for e in answer.entries if e.kind == "symptom"
        ):
            listed = await self._call(self._journal.ListSymptomTypes, pb.ListRequest(), token=token)
            names.update({t.id: t.name for t in listed.symptom_types})
        if "dose" in kinds:
            listed = await self._call(self._journal.ListMedications, pb.ListRequest(), token=token)
            names.update({m.id: m.name for m in listed.medications})
        out = [page_entry(e, names) for e in answer.entries]
        out += [context_entry(c) for c in answer.context_days]
        out += [note_entry(n) for n in answer.daily_notes]
        return out

    def search_foods(self, access_token: Secret, query: str, limit: int) -> list[dict[str, Any]]:
        text = query.strip()[:100]
        if not text:
            return []
        request = pb.SearchFoodsRequest(query=text, limit=max(1, min(limit, 50)))
        answer = self._sync(self._call(self._catalog.SearchFoods, request, token=access_token))
        return [page_food(match) for match in answer.foods]

    def recent_foods(self, access_token: Secret, limit: int) -> list[dict[str, Any]]:
        """The foods of the last 30 days' meals, most often eaten first, with the portion
        last used (there is no RPC for this: one ListMeals, counted here)."""
        now = datetime.now(UTC)
        period = pb.TimeRange(
            start=(now - timedelta(days=RECENT_DAYS)).isoformat(),
            end=(now + timedelta(days=1)).isoformat(),
        )
        answer = self._sync(self._call(self._journal.ListMeals, period, token=access_token))
        counts: dict[str, int] = {}
        latest: dict[str, tuple[str, dict[str, Any]]] = {}
        for meal in answer.meals:
            for item in meal.items:
                food = page_item(item)
                key = food["food_id"]
                counts[key] = counts.get(key, 0) + 1
                if key not in latest or _seconds(meal.eaten_at) > _seconds(latest[key][0]):
                    latest[key] = (meal.eaten_at, food)
        ranked = sorted(counts, key=lambda k: (-counts[k], -_seconds(latest[k][0])))
        return [{**latest[k][1], "fodmap": [], "favourite": True} for k in ranked[:limit]]


def _seconds(stamp: str) -> float:
    return datetime.fromisoformat(stamp).timestamp()


def _tokens(message: auth_pb2.Tokens, keep: Secret | None = None) -> Tokens:
    if not message.access_token:
        raise NotAuthenticated("the appliance sent no access token: sign in again")
    refresh = message.refresh_token
    if not refresh and keep is None:
        raise NotAuthenticated("the appliance sent no refresh token: sign in again")
    return Tokens(
        access_token=Secret(message.access_token),
        refresh_token=Secret(refresh) if refresh else keep,  # type: ignore[arg-type]
        expires_in=message.expires_in_seconds or 300,
    )


def _field_errors(trailers: Any) -> dict[str, str]:
    # grpclib's metadata is a MultiDict (iterating it gives keys only).
    for key, value in trailers.items() if trailers is not None else ():
        if key == FIELD_ERRORS_KEY:
            try:
                fields = json.loads(value)
            except ValueError:
                return {}
            return {str(k): str(v) for k, v in fields.items()} if isinstance(fields, dict) else {}
    return {}


def _local_midnight(day: date, plus_days: int = 0) -> str:
    moment = datetime.combine(day + timedelta(days=plus_days), time.min).astimezone()
    return moment.isoformat()


class _Writer:
    """One Write as the journal's Create*/Update*/Delete* calls."""

    def __init__(self, transport: GrpcTransport, token: Secret, write: Write) -> None:
        self.t = transport
        self.token = token
        self.write = write
        self.update = write.operation == "update"
        self.clear: list[str] = []
        # A create merged into the day's record: what it sets is set, nothing is cleared.
        self.merge = False
        self.current: Any = None  # that day's record, as stored

    def call(self, method: Any, request: Any) -> Awaitable[Any]:
        return self.t._call(method, request, token=self.token)

    async def run(self) -> dict[str, Any]:
        kind, operation = self.write.kind, self.write.operation
        if kind not in _METHODS:
            raise WriteRejected(f"unknown kind of entry {kind!r}")
        if operation not in ("create", "update", "delete"):
            raise WriteRejected(f"unknown operation {operation!r}")
        create, update, delete, field, build = _METHODS[kind]
        journal = self.t._journal
        try:
            if operation == "delete":
                request = pb.DeleteRequest(id=self.write.entry_id, idempotency_key=self.key())
                await self.call(getattr(journal, delete), request)
                return {"id": self.write.entry_id, "deleted": True}
            message = await build(self)
            if operation == "create":
                args = {"idempotency_key": self.key(), field: message}
                try:
                    answer = await self.call(getattr(journal, create), _request(create, args))
                except _Clash as clash:
                    answer = await self._update_the_days_entry(kind, message, clash)
            else:
                args = {"id": self.write.entry_id, "idempotency_key": self.key(), field: message}
                answer = await self.call(getattr(journal, update), _request(update, args))
        except _NotFound as exc:
            if operation == "delete":
                return {"id": self.write.entry_id, "deleted": True}  # a retry: already gone
            raise WriteRejected(f"this entry is no longer on the appliance ({exc})") from None
        return {"id": answer.id}

    async def _update_the_days_entry(self, kind: str, message: Any, clash: _Clash) -> Any:
        """Context and notes are one per day: a create for a day that has one updates it."""
        if kind not in _DAY_LISTINGS:
            raise clash
        listing, listed = _DAY_LISTINGS[kind]
        days = pb.DayRange(first=message.day, last=message.day)
        existing = list(getattr(await self.call(getattr(self.t._journal, listing), days), listed))
        if not existing:
            raise clash
        _, update, _, field, build = _METHODS[kind]
        self.update, self.merge, self.clear, self.current = True, True, [], existing[0]
        patch = await build(self)
        args = {"id": existing[0].id, "idempotency_key": self.key(), field: patch}
        return await self.call(getattr(self.t._journal, update), _request(update, args))

    def key(self, purpose: str = "") -> str:
        return f"{self.write.idempotency_key}:{purpose}" if purpose else self.write.idempotency_key

    def fields(self, values: dict[str, Any]) -> dict[str, Any]:
        return set_or_clear(values, self.clear, self.update and not self.merge)

    async def meal(self) -> Any:
        p = self.write.payload
        fields = self.fields({"eaten_at": p["time"], "notes": p.get("note")})
        if self.update:
            return pb.MealPatch(**fields, replace_items=True, items=meal_items(p), clear=self.clear)
        return pb.MealInput(**fields, meal_type=meal_type(p["time"]), items=meal_items(p))

    async def symptom(self) -> Any:
        p = self.write.payload
        name = p["type"]
        kind = symptom_kind(name)
        if kind is not None:
            which = {"kind": kind, "symptom_type_id": None}
        else:
            which = {"kind": None, "symptom_type_id": await self.symptom_type(name)}
        fields = self.fields(
            {
                **which,
                "severity": p["severity"],
                "onset_at": p["onset"],
                "duration_minutes": p.get("duration_minutes"),
                "notes": p.get("note"),
            }
        )
        return pb.SymptomInput(**fields, clear=self.clear)

    async def symptom_type(self, name: str) -> str:
        listed = await self.call(self.t._journal.ListSymptomTypes, pb.ListRequest())
        for known in listed.symptom_types:
            if known.name.casefold() == name.casefold():
                return str(known.id)
        request = pb.CreateSymptomTypeRequest(
            idempotency_key=self.key("symptom-type"), symptom_type=pb.SymptomTypeInput(name=name)
        )
        return str((await self.call(self.t._journal.CreateSymptomType, request)).id)

    async def bowel_movement(self) -> Any:
        p = self.write.payload
        urgent = bool(p.get("urgency"))
        values: dict[str, Any] = {
            "occurred_at": p["time"],
            "bristol": p["bristol"],
            "blood": bool(p.get("blood")),
            "mucus": bool(p.get("mucus")),
        }
        if self.update:
            stored = await self.call(
                self.t._journal.GetBowelMovement, pb.GetRequest(id=self.write.entry_id)
            )
            if is_urgent(stored.urgency) == urgent:
                return pb.BowelMovementInput(**values)  # yes/no as it was: keep the 0-10
        return pb.BowelMovementInput(**values, urgency=URGENT if urgent else 0)

    async def dose(self) -> Any:
        p = self.write.payload
        amount_text = str(p.get("amount") or "").strip()
        try:
            amount: float | None = float(amount_text) if amount_text else None
        except ValueError:
            amount = None
        values: dict[str, Any] = {
            "medication_id": await self.medication(p["medication"]),
            "dose_at": p["time"],
            "status": p["status"],
            "amount": amount,
        }
        # The page's field showed the amount if there was one, else the notes: it edits
        # that. Notes behind an amount are kept unless text replaces the amount.
        stored = await self.stored_dose() if self.update else None
        showed_notes = stored is not None and not stored.HasField("amount")
        if amount is None and amount_text:
            values["notes"] = amount_text
        elif showed_notes:
            values["notes"] = None
        fields = self.fields(values)
        return pb.DoseInput(**fields, clear=self.clear)

    async def stored_dose(self) -> Any:
        """The dose as stored, if it is within a day of the page's time (there is no
        GetDose); None if not (the page moved it further: its notes are then kept)."""
        moment = datetime.fromisoformat(self.write.payload["time"])
        period = pb.TimeRange(
            start=(moment - timedelta(days=1)).isoformat(),
            end=(moment + timedelta(days=1)).isoformat(),
        )
        listed = await self.call(self.t._journal.ListDoses, period)
        return next((d for d in listed.doses if d.id == self.write.entry_id), None)

    async def medication(self, name: str) -> str:
        listed = await self.call(self.t._journal.ListMedications, pb.ListRequest())
        for known in listed.medications:
            if known.name.casefold() == name.casefold():
                return str(known.id)
        request = pb.CreateMedicationRequest(
            idempotency_key=self.key("medication"), medication=pb.MedicationInput(name=name)
        )
        return str((await self.call(self.t._journal.CreateMedication, request)).id)

    async def context(self) -> Any:
        p = self.write.payload
        values: dict[str, Any] = {
            "day": p["date"],
            "stress": p.get("stress"),
            "sleep_hours": p.get("sleep_hours"),
            "exercise_minutes": p.get("exercise_minutes"),
        }
        wanted = bool(p.get("menstruation"))
        stored = self.current
        if stored is None and self.update:
            days = pb.DayRange(first=p["date"], last=p["date"])
            listed = await self.call(self.t._journal.ListContextDays, days)
            stored = next((c for c in listed.context_days if c.id == self.write.entry_id), None)
        level = (
            stored.menstruation if stored is not None and stored.HasField("menstruation") else None
        )
        if stored is None or menstruating(level) != wanted:
            values["menstruation"] = MENSTRUATION_YES if wanted else None
        # else yes/no as it was: the journal's level (heavy, light, ...) is kept
        fields = self.fields(values)
        return pb.ContextDayInput(**fields, clear=self.clear)

    async def note(self) -> Any:
        p = self.write.payload
        body = p["text"]
        if self.merge and self.current is not None:
            # A note for a day that has one (from another device): add to it. A retry
            # finds its text already there and changes nothing.
            stored = self.current.body
            body = stored if stored.endswith(body) else f"{stored}\n\n{body}" if stored else body
        return pb.DailyNoteInput(day=p["date"], body=body)


_DAY_LISTINGS: Final = {
    "context": ("ListContextDays", "context_days"),
    "note": ("ListDailyNotes", "daily_notes"),
}


def _request(method: str, args: dict[str, Any]) -> Any:
    return getattr(pb, f"{method}Request")(**args)


Build = Callable[[_Writer], Awaitable[Any]]
# kind -> (create, update, delete, the request's entry field, how to build the message)
_METHODS: Final[dict[str, tuple[str, str, str, str, Build]]] = {
    "meal": ("CreateMeal", "UpdateMeal", "DeleteMeal", "meal", _Writer.meal),
    "symptom": ("CreateSymptom", "UpdateSymptom", "DeleteSymptom", "symptom", _Writer.symptom),
    "bowel_movement": (
        "CreateBowelMovement",
        "UpdateBowelMovement",
        "DeleteBowelMovement",
        "bowel_movement",
        _Writer.bowel_movement,
    ),
    "dose": ("CreateDose", "UpdateDose", "DeleteDose", "dose", _Writer.dose),
    "context": (
        "CreateContextDay",
        "UpdateContextDay",
        "DeleteContextDay",
        "context_day",
        _Writer.context,
    ),
    "note": ("CreateDailyNote", "UpdateDailyNote", "DeleteDailyNote", "daily_note", _Writer.note),
}
