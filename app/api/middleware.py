"""ASGI middleware for the REST app: an access log line per request (request id, route
template, status, duration; never the query string, body or headers), a bound on request
bodies, and a last-resort 500/503 that never carries a stack trace or exception text."""

from __future__ import annotations

import json
import time
from typing import Any

import psycopg
import psycopg_pool
from starlette.exceptions import HTTPException
from starlette.types import ASGIApp, Message, Receive, Scope, Send

from app import logs

MAX_BODY_BYTES = 256 * 1024


class BodyTooLarge(HTTPException):
    """An HTTPException, so FastAPI's body parsing passes it on (other errors become 400)."""

    def __init__(self, limit: int) -> None:
        super().__init__(413, f"request body over {limit} bytes")


async def _json(send: Send, status: int, body: dict[str, Any], request_id: str) -> None:
    data = json.dumps(body).encode()
    await send(
        {
            "type": "http.response.start",
            "status": status,
            "headers": [
                (b"content-type", b"application/json"),
                (b"content-length", str(len(data)).encode()),
                (b"x-request-id", request_id.encode()),
            ],
        }
    )
    await send({"type": "http.response.body", "body": data})


class AccessLog:
    def __init__(self, app: ASGIApp, max_body_bytes: int = MAX_BODY_BYTES) -> None:
        self.app = app
        self.max_body_bytes = max_body_bytes

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http":
            await self.app(scope, receive, send)
            return
        started = time.perf_counter()
        headers = dict(scope.get("headers") or [])
        offered = headers.get(b"x-request-id", b"").decode("latin-1")
        request_id = logs.request_id(offered)
        status = 0
        limit = self.max_body_bytes
        received = 0

        async def bounded_receive() -> Message:
            nonlocal received
            message = await receive()
            if message["type"] == "http.request":
                received += len(message.get("body", b""))
                if received > limit:
                    raise BodyTooLarge(limit)
            return message

        async def tagged_send(message: Message) -> None:
            nonlocal status
            if message["type"] == "http.response.start":
                status = message["status"]
                tag = (b"x-request-id", request_id.encode())
                message["headers"] = [*message.get("headers", []), tag]
            await send(message)

        try:
            declared = int(headers.get(b"content-length", b"0") or 0)
        except ValueError:
            declared = 0
        try:
            if declared > limit:
                raise BodyTooLarge(limit)
            await self.app(scope, bounded_receive, tagged_send)
        except BodyTooLarge as refusal:
            if not status:
                status = 413
                await _json(send, 413, {"detail": refusal.detail}, request_id)
        except (psycopg.OperationalError, psycopg_pool.PoolTimeout):
            if not status:
                status = 503
                detail = "the journal database is unavailable; retry shortly"
                await _json(send, 503, {"detail": detail}, request_id)
        except Exception as error:
            logs.log_crash(request_id, _route(scope), error)
            if not status:
                status = 500
                detail = f"internal error (request id {request_id})"
                await _json(send, 500, {"detail": detail}, request_id)
        finally:
            logs.log_request(
                transport="http",
                request_id=request_id,
                route=f"{scope.get('method', '')} {_route(scope)}",
                status=status,
                duration_ms=(time.perf_counter() - started) * 1000,
            )


def _route(scope: Scope) -> str:
    route = scope.get("route")
    path = getattr(route, "path", None)
    return path if isinstance(path, str) else "(unmatched)"
