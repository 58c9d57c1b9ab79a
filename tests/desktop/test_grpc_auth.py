"""GrpcTransport's sign-in against the real Auth gRPC service (app/auth/service.py) and its
callback, over TLS; Keycloak's token endpoint is the one fake (tests/desktop/grpc_stack.py).
The tokens it ends with are then accepted by the real journal service."""

from __future__ import annotations

import hashlib
import secrets
import threading
from collections.abc import Iterator
from datetime import date
from typing import Any
from uuid import uuid4

import pytest
from bia_desktop.grpc_transport import GrpcTransport
from bia_desktop.secret import Secret
from bia_desktop.transport import NotAuthenticated, Tokens

from app.db.session import Pool
from tests.app.identity import Identity
from tests.desktop import grpc_stack
from tests.desktop.grpc_stack import AuthStack, Ca, auth_over_tls, journal_over_tls

pytestmark = pytest.mark.integration

# Shared with test_grpc_transport.py (tests/desktop/conftest.py serves the desktop stack).
ca = grpc_stack.ca
desktop_pool = grpc_stack.desktop_pool
identity = grpc_stack.identity
SUBJECT = str(uuid4())


@pytest.fixture(scope="module")
def auth(identity: Identity, ca: Ca) -> Iterator[AuthStack]:
    with auth_over_tls(identity, ca, SUBJECT) as stack:
        yield stack


@pytest.fixture(scope="module")
def transport(ca: Ca, auth: AuthStack) -> Iterator[GrpcTransport]:
    opened = GrpcTransport(ca.appliance(auth.port))
    yield opened
    opened.close()


def sign_in(transport: GrpcTransport, auth: AuthStack) -> Tokens:
    secret = secrets.token_bytes(32)
    start = transport.begin_login(hashlib.sha256(secret).digest())
    result: dict[str, Any] = {}

    def wait() -> None:
        try:
            result["tokens"] = transport.await_tokens(start.transaction, secret)
        except Exception as exc:
            result["error"] = exc

    waiter = threading.Thread(target=wait)
    waiter.start()
    assert auth.browser_signs_in(start.authorization_url) == 200
    waiter.join(20)
    assert "error" not in result, result.get("error")
    tokens: Tokens = result["tokens"]
    return tokens


def test_begin_login_gives_a_url_at_the_identity_provider(
    transport: GrpcTransport,
) -> None:
    start = transport.begin_login(hashlib.sha256(b"s" * 32).digest())
    assert start.transaction
    assert start.authorization_url.startswith(
        "https://bia.test/realms/bia/protocol/openid-connect/auth?"
    )
    assert "code_challenge_method=S256" in start.authorization_url


def test_the_whole_sign_in_then_refresh_then_logout(
    transport: GrpcTransport, auth: AuthStack
) -> None:
    tokens = sign_in(transport, auth)
    assert isinstance(tokens.access_token, Secret) and tokens.expires_in == 300
    assert "refresh-" in tokens.refresh_token.reveal()

    renewed = transport.refresh(tokens.refresh_token)
    assert renewed.refresh_token != tokens.refresh_token
    with pytest.raises(NotAuthenticated, match="refresh refused"):
        transport.refresh(tokens.refresh_token)  # rotated: the old one is spent

    transport.logout(renewed.refresh_token)
    with pytest.raises(NotAuthenticated):
        transport.refresh(renewed.refresh_token)
    transport.logout(renewed.refresh_token)  # already over: nothing to do


def test_the_tokens_open_the_journal(
    transport: GrpcTransport,
    auth: AuthStack,
    desktop_pool: Pool,
    identity: Identity,
    ca: Ca,
) -> None:
    tokens = sign_in(transport, auth)
    with journal_over_tls(desktop_pool, identity, ca) as port:
        journal = GrpcTransport(ca.appliance(port))
        try:
            assert journal.timeline(tokens.access_token, date.today(), date.today()) == []
        finally:
            journal.close()


def test_a_wrong_binding_secret_gets_no_tokens(transport: GrpcTransport) -> None:
    secret = secrets.token_bytes(32)
    start = transport.begin_login(hashlib.sha256(secret).digest())
    with pytest.raises(NotAuthenticated, match="binding secret"):
        transport.await_tokens(start.transaction, secrets.token_bytes(32))


def test_an_unknown_transaction_gets_no_tokens(transport: GrpcTransport) -> None:
    with pytest.raises(NotAuthenticated, match="sign in again"):
        transport.await_tokens("no-such-transaction", secrets.token_bytes(32))


def test_a_failed_sign_in_ends_the_wait(transport: GrpcTransport, auth: AuthStack) -> None:
    secret = secrets.token_bytes(32)
    start = transport.begin_login(hashlib.sha256(secret).digest())
    result: dict[str, Any] = {}

    def wait() -> None:
        try:
            transport.await_tokens(start.transaction, secret)
        except NotAuthenticated as exc:
            result["error"] = str(exc)

    waiter = threading.Thread(target=wait)
    waiter.start()
    # Keycloak hands out a code the token endpoint does not know: the exchange fails.
    assert auth.browser_signs_in(start.authorization_url, code="") == 400
    waiter.join(20)
    assert "error" in result
