"""Running one journal RPC: authenticate, bind the user (RLS), call the domain, map errors,
log. No stack trace, exception message or journal content ever reaches the client or logs."""

from __future__ import annotations

import json
import time
from collections.abc import Callable
from typing import Any, NoReturn
from uuid import UUID

import grpc
import psycopg
import psycopg_pool
from google.protobuf.message import DecodeError, Message

from app import logs
from app.auth.tokens import KeySourceUnavailable, TokenError, TokenVerifier
from app.db.session import Pool, user_transaction
from app.journal.errors import Conflict, DomainError, Invalid, NotFound
from app.rpc.journal.methods import Runner
from app.rpc.journal.verified import VerifiedTokens

FIELD_ERRORS_KEY = "bia-field-errors"
REQUEST_ID_KEY = "x-request-id"


class Refused(Exception):
    """End the call with this status (and optional trailing metadata)."""

    def __init__(
        self, code: grpc.StatusCode, details: str, trailers: tuple[tuple[str, str], ...] = ()
    ) -> None:
        super().__init__(details)
        self.code = code
        self.details = details
        self.trailers = trailers


class Malformed:
    """Stands in for a request whose bytes are not a valid message of its type."""


def lenient_deserializer(message_type: type[Message]) -> Callable[[bytes], Message | Malformed]:
    # grpc answers INTERNAL when a deserializer raises; we want INVALID_ARGUMENT instead.
    def deserialize(data: bytes) -> Message | Malformed:
        try:
            return message_type.FromString(data)
        except (DecodeError, ValueError, RuntimeError):
            return Malformed()

    return deserialize


def _domain_refusal(error: DomainError) -> Refused:
    if isinstance(error, Invalid):
        fields = json.dumps(error.fields, ensure_ascii=True)
        return Refused(
            grpc.StatusCode.INVALID_ARGUMENT, error.message, ((FIELD_ERRORS_KEY, fields),)
        )
    if isinstance(error, NotFound):
        return Refused(grpc.StatusCode.NOT_FOUND, error.message)
    if isinstance(error, Conflict):
        return Refused(grpc.StatusCode.FAILED_PRECONDITION, error.message)
    return Refused(grpc.StatusCode.INVALID_ARGUMENT, error.message)


class JournalRpc:
    def __init__(self, pool: Pool, verifier: TokenVerifier | None) -> None:
        self.pool = pool
        self.verifier = verifier
        self.tokens = VerifiedTokens(verifier) if verifier is not None else None

    def _user(self, context: grpc.ServicerContext) -> UUID:
        if self.tokens is None:
            raise Refused(
                grpc.StatusCode.UNAVAILABLE,
                "sign-in is not configured on this appliance (BIA_OIDC_ISSUER)",
            )
        header = ""
        for key, value in context.invocation_metadata() or ():
            if key == "authorization" and isinstance(value, str):
                header = value
        scheme, _, token = header.partition(" ")
        if scheme.lower() != "bearer" or not token:
            raise Refused(
                grpc.StatusCode.UNAUTHENTICATED,
                "an access token is required: metadata 'authorization: Bearer <token>'",
            )
        try:
            return self.tokens.subject(token.strip())
        except KeySourceUnavailable:
            raise Refused(
                grpc.StatusCode.UNAVAILABLE, "identity service unavailable: try again shortly"
            ) from None
        except (TokenError, ValueError) as exc:
            raise Refused(
                grpc.StatusCode.UNAUTHENTICATED, f"access token refused: {exc}; sign in again"
            ) from None

    def _run(self, runner: Runner, request: Any, context: grpc.ServicerContext) -> Message:
        if isinstance(request, Malformed):
            raise Refused(
                grpc.StatusCode.INVALID_ARGUMENT, "the request is not a valid protobuf message"
            )
        user = self._user(context)
        try:
            with user_transaction(self.pool, user) as conn:
                return runner(conn, request)
        except DomainError as error:
            raise _domain_refusal(error) from None
        except (psycopg.OperationalError, psycopg_pool.PoolTimeout):
            raise Refused(
                grpc.StatusCode.UNAVAILABLE, "the journal database is unavailable; retry shortly"
            ) from None

    def handle(
        self, route: str, runner: Runner, request: Any, context: grpc.ServicerContext
    ) -> Message:
        started = time.perf_counter()
        offered = dict(context.invocation_metadata() or ()).get(REQUEST_ID_KEY)
        request_id = logs.request_id(offered if isinstance(offered, str) else None)
        status = grpc.StatusCode.OK
        try:
            response = self._run(runner, request, context)
            context.set_trailing_metadata(((REQUEST_ID_KEY, request_id),))
            return response
        except Refused as refusal:
            status = refusal.code
            self._abort(context, refusal, request_id)
        except Exception as error:
            status = grpc.StatusCode.INTERNAL
            logs.log_crash(request_id, route, error)
            crash = Refused(grpc.StatusCode.INTERNAL, f"internal error (request id {request_id})")
            self._abort(context, crash, request_id)
        finally:
            logs.log_request(
                transport="grpc",
                request_id=request_id,
                route=route,
                status=status.name,
                duration_ms=(time.perf_counter() - started) * 1000,
            )

    @staticmethod
    def _abort(context: grpc.ServicerContext, refusal: Refused, request_id: str) -> NoReturn:
        context.set_trailing_metadata(((REQUEST_ID_KEY, request_id), *refusal.trailers))
        context.abort(refusal.code, refusal.details)
        raise AssertionError("unreachable: abort raises")
