"""Structured JSON logs for the API processes: one object per line, on stderr (journald).

What goes in: request id, transport, route (the template or RPC name, never the path's
query string), status, duration, user-agent-free. What never goes in: journal content,
search queries, tokens, exception messages (a database error can quote row values).
"""

from __future__ import annotations

import json
import logging
import re
import secrets
import sys
import traceback
from datetime import UTC, datetime
from typing import Any

ACCESS_LOG = "bia.api"
# Accept a caller's request id (for correlation) only if it is short and plain.
_SAFE_REQUEST_ID = re.compile(r"[A-Za-z0-9._-]{8,64}")


class JsonFormatter(logging.Formatter):
    def format(self, record: logging.LogRecord) -> str:
        entry: dict[str, Any] = {
            "time": datetime.fromtimestamp(record.created, UTC).isoformat(timespec="milliseconds"),
            "level": record.levelname.lower(),
            "logger": record.name,
            "message": record.getMessage(),
        }
        fields = getattr(record, "fields", None)
        if isinstance(fields, dict):
            entry.update(fields)
        return json.dumps(entry, default=str)


def configure(level: int = logging.INFO) -> None:
    """Give the "bia" loggers one JSON handler on stderr (idempotent; call at start-up).

    Only the "bia" hierarchy: uvicorn keeps its own logging, and records still propagate
    to the root logger for whoever listens there (pytest's capture, for one).
    """
    logger = logging.getLogger("bia")
    logger.setLevel(level)
    if not any(isinstance(h.formatter, JsonFormatter) for h in logger.handlers):
        handler = logging.StreamHandler(sys.stderr)
        handler.setFormatter(JsonFormatter())
        logger.addHandler(handler)


def request_id(offered: str | None = None) -> str:
    if offered and _SAFE_REQUEST_ID.fullmatch(offered):
        return offered
    return secrets.token_hex(8)


def log_request(
    *, transport: str, request_id: str, route: str, status: int | str, duration_ms: float
) -> None:
    logging.getLogger(ACCESS_LOG).info(
        "request",
        extra={
            "fields": {
                "transport": transport,
                "request_id": request_id,
                "route": route,
                "status": status,
                "duration_ms": round(duration_ms, 2),
            }
        },
    )


def log_crash(request_id: str, route: str, error: BaseException) -> None:
    """An unexpected exception: its type and stack frames, but not its message."""
    frames = traceback.format_tb(error.__traceback__)
    logging.getLogger(ACCESS_LOG).error(
        "unhandled error",
        extra={
            "fields": {
                "request_id": request_id,
                "route": route,
                "error": type(error).__name__,
                "stack": "".join(frames),
            }
        },
    )
