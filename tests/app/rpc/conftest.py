"""A journal gRPC server on loopback, against the real PostgreSQL, with real token checks."""

from __future__ import annotations

from collections.abc import Callable, Iterator
from typing import Any
from uuid import UUID

import grpc
import pytest

from app.db.session import Pool
from app.rpc.journal.v1 import journal_pb2_grpc
from app.rpc.server import RpcSettings, build_server
from tests.app.identity import Identity, running_identity


@pytest.fixture(scope="session")
def identity() -> Iterator[Identity]:
    with running_identity() as running:
        yield running


@pytest.fixture(scope="session")
def grpc_target(pool: Pool, identity: Identity) -> Iterator[str]:
    settings = RpcSettings(port=0, max_message_bytes=64 * 1024)
    server, port = build_server(pool, identity.verifier(), settings, workers=4)
    server.start()
    yield f"127.0.0.1:{port}"
    server.stop(grace=None)


@pytest.fixture(scope="session")
def channel(grpc_target: str) -> Iterator[grpc.Channel]:
    with grpc.insecure_channel(grpc_target) as opened:
        yield opened


class Client:
    """The three stubs, calling as one user (metadata carries that user's token)."""

    def __init__(self, channel: grpc.Channel, token: str) -> None:
        self.metadata = (("authorization", f"Bearer {token}"),)
        self.journal = journal_pb2_grpc.JournalStub(channel)  # type: ignore[no-untyped-call]
        self.catalog = journal_pb2_grpc.CatalogStub(channel)  # type: ignore[no-untyped-call]
        self.settings = journal_pb2_grpc.SettingsStub(channel)  # type: ignore[no-untyped-call]

    def call(self, service: str, method: str, request: object) -> Any:
        stub = getattr(self, service)
        return getattr(stub, method)(request, metadata=self.metadata, timeout=10)


@pytest.fixture
def client_for(channel: grpc.Channel, identity: Identity) -> Callable[[UUID], Client]:
    return lambda user: Client(channel, identity.token(user))
