"""The appliance's real gRPC services over TLS on loopback, for the desktop client's tests.

What the edge does in production (TLS with the appliance's name-constrained local CA,
HTTP/2) is done here by grpcio's own TLS port; behind it are the real services: the
journal (app/rpc/server.py, on a real PostgreSQL, real token checks) and Auth
(app/auth/service.py, with its real transaction store and callback). Only Keycloak is
stood in for, by an in-process fake speaking its token endpoint.
"""

from __future__ import annotations

import asyncio
import ipaddress
import threading
import urllib.parse
import uuid
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from datetime import UTC, datetime, timedelta
from typing import Any

import grpc
import httpx
import pytest
from bia_desktop.appliance import Appliance, ca_fingerprint
from cryptography import x509
from cryptography.hazmat.primitives import hashes, serialization
from cryptography.hazmat.primitives.asymmetric import ec
from cryptography.x509.oid import NameOID
from pydantic import SecretStr

from app.auth.callback import create_callback_app
from app.auth.config import AuthSettings
from app.auth.oidc import Oidc
from app.auth.service import AuthService
from app.auth.transactions import TransactionStore
from app.db import migrate
from app.db.session import Pool, create_pool
from app.rpc.auth.v1 import auth_pb2_grpc
from app.rpc.server import RpcSettings, build_server
from tests.app.identity import CLIENT_ID, Identity, running_identity
from tests.pg import ThrowawayPostgres, drop_database, provision_bia

LOOPBACK = "127.0.0.1"


@dataclass(frozen=True)
class Ca:
    """A CA like the appliance's: name-constrained to the appliance's IP address."""

    cert_pem: str
    key: ec.EllipticCurvePrivateKey
    cert: x509.Certificate

    def appliance(self, port: int, name: str = "test-appliance") -> Appliance:
        return Appliance(
            name=name,
            host=LOOPBACK,
            port=port,
            server_name=LOOPBACK,
            ca_pem=self.cert_pem,
            ca_sha256=ca_fingerprint(self.cert_pem),
        )

    def server_credentials(self) -> grpc.ServerCredentials:
        key = ec.generate_private_key(ec.SECP256R1())
        now = datetime.now(UTC)
        cert = (
            x509.CertificateBuilder()
            .subject_name(x509.Name([x509.NameAttribute(NameOID.COMMON_NAME, "bia appliance")]))
            .issuer_name(self.cert.subject)
            .public_key(key.public_key())
            .serial_number(x509.random_serial_number())
            .not_valid_before(now - timedelta(minutes=5))
            .not_valid_after(now + timedelta(days=1))
            .add_extension(
                x509.SubjectAlternativeName([x509.IPAddress(ipaddress.ip_address(LOOPBACK))]),
                critical=False,
            )
            .add_extension(x509.BasicConstraints(ca=False, path_length=None), critical=True)
            .sign(self.key, hashes.SHA256())
        )
        key_pem = key.private_bytes(
            serialization.Encoding.PEM,
            serialization.PrivateFormat.PKCS8,
            serialization.NoEncryption(),
        )
        return grpc.ssl_server_credentials(
            [(key_pem, cert.public_bytes(serialization.Encoding.PEM))]
        )


def make_ca(common_name: str = "Bia appliance CA (test)") -> Ca:
    key = ec.generate_private_key(ec.SECP256R1())
    name = x509.Name([x509.NameAttribute(NameOID.COMMON_NAME, common_name)])
    now = datetime.now(UTC)
    cert = (
        x509.CertificateBuilder()
        .subject_name(name)
        .issuer_name(name)
        .public_key(key.public_key())
        .serial_number(x509.random_serial_number())
        .not_valid_before(now - timedelta(minutes=5))
        .not_valid_after(now + timedelta(days=1))
        .add_extension(x509.BasicConstraints(ca=True, path_length=0), critical=True)
        .add_extension(
            x509.KeyUsage(
                digital_signature=False,
                content_commitment=False,
                key_encipherment=False,
                data_encipherment=False,
                key_agreement=False,
                key_cert_sign=True,
                crl_sign=True,
                encipher_only=False,
                decipher_only=False,
            ),
            critical=True,
        )
        # The point of the exercise: OpenSSL honours iPAddress constraints, BoringSSL not.
        .add_extension(
            x509.NameConstraints(
                permitted_subtrees=[x509.IPAddress(ipaddress.ip_network(f"{LOOPBACK}/32"))],
                excluded_subtrees=None,
            ),
            critical=True,
        )
        .sign(key, hashes.SHA256())
    )
    return Ca(cert.public_bytes(serialization.Encoding.PEM).decode(), key, cert)


@contextmanager
def journal_over_tls(pool: Pool, identity: Identity, ca: Ca) -> Iterator[int]:
    """app/rpc/server.py's server, with a TLS port; yields that port."""
    server, _ = build_server(
        pool, identity.verifier(), RpcSettings(port=0, max_message_bytes=64 * 1024), workers=4
    )
    port = server.add_secure_port(f"{LOOPBACK}:0", ca.server_credentials())
    server.start()
    try:
        yield port
    finally:
        server.stop(grace=None)


@dataclass
class FakeKeycloak:
    """Keycloak's token and logout endpoints, as the Auth service's httpx client sees
    them. Tokens are real JWTs from the test identity, so the real checks apply."""

    identity: Identity
    subject: str
    nonces: dict[str, str] = field(default_factory=dict)  # code -> nonce
    refresh_tokens: set[str] = field(default_factory=set)
    counter: int = 0

    def _issue(self, nonce: str | None = None) -> dict[str, Any]:
        self.counter += 1
        refresh = f"refresh-{self.counter}"
        self.refresh_tokens.add(refresh)
        body = {
            "access_token": self.identity.token(self.subject),
            "refresh_token": refresh,
            "expires_in": 300,
        }
        if nonce is not None:
            body["id_token"] = self.identity.token(self.subject, aud=CLIENT_ID, nonce=nonce)
        return body

    def handle(self, request: httpx.Request) -> httpx.Response:
        path = request.url.path
        if path.endswith("/.well-known/openid-configuration"):
            return httpx.Response(200, json={"issuer": "test"})
        form = dict(urllib.parse.parse_qsl(request.content.decode()))
        if path.endswith("/token") and form.get("grant_type") == "authorization_code":
            nonce = self.nonces.pop(form.get("code", ""), None)
            if nonce is None:
                return httpx.Response(400, json={"error": "invalid_grant"})
            return httpx.Response(200, json=self._issue(nonce))
        if path.endswith("/token") and form.get("grant_type") == "refresh_token":
            if form.get("refresh_token") not in self.refresh_tokens:
                return httpx.Response(400, json={"error": "invalid_grant"})
            self.refresh_tokens.discard(form["refresh_token"])  # rotation
            return httpx.Response(200, json=self._issue())
        if path.endswith("/logout"):
            if form.get("refresh_token") not in self.refresh_tokens:
                return httpx.Response(400, json={"error": "invalid_grant"})
            self.refresh_tokens.discard(form["refresh_token"])
            return httpx.Response(204)
        return httpx.Response(404)


@dataclass
class AuthStack:
    port: int
    keycloak: FakeKeycloak
    loop: asyncio.AbstractEventLoop
    callback: httpx.AsyncClient

    def browser_signs_in(self, authorization_url: str, code: str = "the-code") -> int:
        """What the user's browser does: Keycloak redirects back to /auth/callback."""
        query = dict(urllib.parse.parse_qsl(urllib.parse.urlsplit(authorization_url).query))
        self.keycloak.nonces[code] = query["nonce"]
        url = f"/auth/callback?{urllib.parse.urlencode({'state': query['state'], 'code': code})}"
        done = asyncio.run_coroutine_threadsafe(self.callback.get(url), self.loop)
        return done.result(10).status_code


@contextmanager
def auth_over_tls(identity: Identity, ca: Ca, subject: str) -> Iterator[AuthStack]:
    """app/auth/service.py's Auth service and its callback app, on one event loop."""
    settings = AuthSettings(public_url="https://bia.test", client_secret=SecretStr("test-secret"))
    keycloak = FakeKeycloak(identity, subject)
    loop = asyncio.new_event_loop()
    thread = threading.Thread(target=loop.run_forever, daemon=True)
    thread.start()

    async def start() -> tuple[grpc.aio.Server, int, httpx.AsyncClient]:
        store = TransactionStore(60)
        oidc = Oidc(settings, httpx.AsyncClient(transport=httpx.MockTransport(keycloak.handle)))
        verifier = identity.verifier()
        server = grpc.aio.server()
        auth_pb2_grpc.add_AuthServicer_to_server(AuthService(store, oidc, verifier), server)  # type: ignore[no-untyped-call]
        port = server.add_secure_port(f"{LOOPBACK}:0", ca.server_credentials())
        await server.start()
        app = create_callback_app(store, oidc, verifier)
        callback = httpx.AsyncClient(
            transport=httpx.ASGITransport(app=app), base_url="https://bia.test"
        )
        return server, port, callback

    server, port, callback = asyncio.run_coroutine_threadsafe(start(), loop).result(10)
    try:
        yield AuthStack(port, keycloak, loop, callback)
    finally:
        asyncio.run_coroutine_threadsafe(server.stop(None), loop).result(10)
        loop.call_soon_threadsafe(loop.stop)
        thread.join(5)


# Fixtures shared by the test modules that import them (tests/desktop/conftest.py is
# for the desktop stack; these need PostgreSQL and the appliance's code).


@pytest.fixture(scope="module")
def desktop_pool(postgres: ThrowawayPostgres) -> Iterator[Pool]:
    """A migrated `bia` database of this module's own, and an app-role pool on it."""
    database = provision_bia(postgres, f"bia_desktop_{uuid.uuid4().hex[:8]}")
    migrate.upgrade(database.owner_dsn, "head")
    pool = create_pool(database.app_dsn, min_size=1, max_size=4)
    pool.wait()
    yield pool
    pool.close()
    drop_database(postgres, database.dbname)


@pytest.fixture(scope="module")
def identity() -> Iterator[Identity]:
    with running_identity() as running:
        yield running


@pytest.fixture(scope="module")
def ca() -> Ca:
    return make_ca()
