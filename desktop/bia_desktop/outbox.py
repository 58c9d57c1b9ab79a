"""Writes that have not reached the appliance yet, kept on disk until they do.

Every write goes in here first (write-ahead), then is sent; it leaves only when the
appliance has it. A network failure keeps it for the next retry with the same
idempotency key, so the server stores it once however often it is sent. A write
the appliance refuses for good is kept too, marked, for the user to see and
discard: nothing is lost silently.

A write the appliance answers but fails on (ServerFault: gRPC INTERNAL or UNKNOWN) is
"not now" for its first SERVER_FAULT_ATTEMPTS - 1 failures, like a network failure;
at the SERVER_FAULT_ATTEMPTS-th it is taken as a refusal (kept, marked, for the user
to discard), so one write the appliance always fails on cannot hold back the rest.

The file is JSON, mode 0600, replaced atomically (temp file, fsync, rename), so a
crash leaves the old or the new list, never half of one. One client per user runs
at a time; within it, a lock serialises changes.
"""

from __future__ import annotations

import json
import os
import tempfile
import threading
import uuid
from collections.abc import Callable
from dataclasses import asdict, dataclass, field, replace
from datetime import UTC, datetime
from functools import partial
from pathlib import Path
from typing import Any, Final

from bia_desktop.transport import TransportUnavailable, Write, WriteRejected

FORMAT: Final = 1
SERVER_FAULT_ATTEMPTS: Final = 3


class ServerFault(TransportUnavailable):
    """The appliance answered, but failed on this request (gRPC INTERNAL or UNKNOWN):
    not now; a write it keeps failing on is refused after SERVER_FAULT_ATTEMPTS."""


@dataclass
class PendingWrite:
    write: Write
    queued_at: str
    attempts: int = 0
    last_error: str = ""
    rejected: bool = False
    server_faults: int = 0  # of the attempts, those the appliance failed on

    def public(self) -> dict[str, Any]:
        """What the page may see: the entry, not how it is sent."""
        return {
            "key": self.write.idempotency_key,
            "operation": self.write.operation,
            "kind": self.write.kind,
            "entry_id": self.write.entry_id,
            "payload": self.write.payload,
            "queued_at": self.queued_at,
            "attempts": self.attempts,
            "last_error": self.last_error,
            "rejected": self.rejected,
        }


@dataclass
class FlushResult:
    sent: list[str] = field(default_factory=list)
    rejected: list[str] = field(default_factory=list)
    remaining: int = 0
    offline_reason: str = ""
    renamed: dict[str, str] = field(default_factory=dict)  # local id -> the appliance's


def _now() -> str:
    return datetime.now(UTC).isoformat(timespec="seconds")


def _decode(item: dict[str, Any]) -> PendingWrite:
    return PendingWrite(
        write=Write(**item["write"]),
        queued_at=str(item["queued_at"]),
        attempts=int(item["attempts"]),
        last_error=str(item["last_error"]),
        rejected=bool(item["rejected"]),
        server_faults=int(item.get("server_faults", 0)),
    )


class Outbox:
    def __init__(self, path: Path) -> None:
        self._path = path
        self._lock = threading.RLock()
        self._flush_lock = threading.Lock()
        self._items: list[PendingWrite] = self._load()

    @property
    def path(self) -> Path:
        return self._path

    def _load(self) -> list[PendingWrite]:
        try:
            raw = self._path.read_text(encoding="utf-8")
        except FileNotFoundError:
            return []
        data = json.loads(raw)
        if data.get("format") != FORMAT:
            raise ValueError(f"{self._path}: unknown outbox format {data.get('format')!r}")
        return [_decode(item) for item in data["writes"]]

    def _save(self) -> None:
        self._path.parent.mkdir(mode=0o700, parents=True, exist_ok=True)
        body = json.dumps(
            {"format": FORMAT, "writes": [asdict(item) for item in self._items]}, indent=1
        )
        fd, tmp = tempfile.mkstemp(prefix=".outbox-", dir=self._path.parent)  # mode 0600
        try:
            with os.fdopen(fd, "w", encoding="utf-8") as f:
                f.write(body)
                f.flush()
                os.fsync(f.fileno())
            os.replace(tmp, self._path)
        except BaseException:
            Path(tmp).unlink(missing_ok=True)
            raise
        dir_fd = os.open(self._path.parent, os.O_RDONLY | os.O_DIRECTORY)
        try:
            os.fsync(dir_fd)
        finally:
            os.close(dir_fd)

    def add(self, operation: str, kind: str, entry_id: str, payload: dict[str, Any]) -> Write:
        write = Write(
            idempotency_key=str(uuid.uuid4()),
            operation=operation,
            kind=kind,
            entry_id=entry_id,
            payload=payload,
        )
        with self._lock:
            self._items.append(PendingWrite(write=write, queued_at=_now()))
            self._save()
        return write

    def pending(self) -> list[PendingWrite]:
        with self._lock:
            return list(self._items)

    def discard(self, key: str) -> bool:
        """The user's explicit choice to drop a write (e.g. one the appliance refused)."""
        with self._lock:
            before = len(self._items)
            self._items = [i for i in self._items if i.write.idempotency_key != key]
            if len(self._items) == before:
                return False
            self._save()
            return True

    def send_again(self, key: str) -> bool:
        """The user's explicit choice to try a refused write once more (the appliance may
        have been fixed): it goes back in the queue, in its place, with a fresh count."""
        with self._lock:
            for item in self._items:
                if item.write.idempotency_key == key and item.rejected:
                    item.rejected = False
                    item.server_faults = 0
                    self._save()
                    return True
            return False

    def _update(self, key: str, change: Callable[[PendingWrite], None] | None) -> None:
        with self._lock:
            if change is None:
                self._items = [i for i in self._items if i.write.idempotency_key != key]
            else:
                for item in self._items:
                    if item.write.idempotency_key == key:
                        change(item)
            self._save()

    def _adopt_server_id(self, local_id: str, server_id: str) -> None:
        """The appliance names a created entry itself; writes queued after the create
        (an edit, a delete made offline) must name it the same way."""
        with self._lock:
            for item in self._items:
                if item.write.entry_id == local_id:
                    item.write = replace(item.write, entry_id=server_id)
            self._save()

    def flush(self, send: Callable[[Write], object]) -> FlushResult:
        """Send pending writes in order; stop at the first network failure (order matters:
        an update must not overtake its create). `send` may answer a create with the
        entry as stored, {"id": ...}: later writes then use that id."""
        result = FlushResult()
        with self._flush_lock:
            for item in self.pending():
                if item.rejected:
                    continue
                key = item.write.idempotency_key
                try:
                    answer = send(item.write)
                except ServerFault as exc:
                    if item.server_faults + 1 < SERVER_FAULT_ATTEMPTS:
                        self._update(key, partial(_failed, error=str(exc), server_fault=True))
                        result.offline_reason = str(exc)
                        break
                    error = (
                        f"{exc}. It failed {SERVER_FAULT_ATTEMPTS} times and is no longer "
                        "sent by itself; it is kept here: send it again once the appliance "
                        "is fixed, or discard it."
                    )
                    self._update(key, partial(_failed, error=error, server_fault=True))
                    result.rejected.append(key)
                    continue
                except TransportUnavailable as exc:
                    self._update(key, partial(_failed, error=str(exc)))
                    result.offline_reason = str(exc)
                    break
                except WriteRejected as exc:
                    self._update(key, partial(_failed, error=str(exc), rejected=True))
                    result.rejected.append(key)
                    continue
                self._update(key, None)
                result.sent.append(key)
                server_id = answer.get("id") if isinstance(answer, dict) else None
                if (
                    item.write.operation == "create"
                    and server_id
                    and server_id != item.write.entry_id
                ):
                    self._adopt_server_id(item.write.entry_id, str(server_id))
                    result.renamed[item.write.entry_id] = str(server_id)
        result.remaining = sum(1 for i in self.pending() if not i.rejected)
        return result


def _failed(
    item: PendingWrite, error: str, *, rejected: bool = False, server_fault: bool = False
) -> None:
    item.attempts += 1
    item.last_error = error
    if server_fault:
        item.server_faults += 1
        rejected = item.server_faults >= SERVER_FAULT_ATTEMPTS
    item.rejected = rejected
