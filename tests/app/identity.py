"""A stand-in identity provider for API tests: a real RSA key, its JWKS served over HTTP
on loopback, and access tokens signed with it. Verification is the real TokenVerifier."""

from __future__ import annotations

import json
import threading
import time
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from typing import Any
from uuid import UUID

import jwt
from cryptography.hazmat.primitives.asymmetric import rsa
from jwt.algorithms import RSAAlgorithm

from app.auth.tokens import TokenVerifier

ISSUER = "https://bia.test/realms/bia"
CLIENT_ID = "bia-backend"


def _key() -> rsa.RSAPrivateKey:
    return rsa.generate_private_key(public_exponent=65537, key_size=2048)


@dataclass
class Identity:
    jwks_url: str
    key: rsa.RSAPrivateKey
    kid: str = "test-key"

    def verifier(self) -> TokenVerifier:
        return TokenVerifier(self.jwks_url, ISSUER, CLIENT_ID)

    def token(self, subject: UUID | str, **overrides: Any) -> str:
        now = int(time.time())
        claims: dict[str, Any] = {
            "iss": ISSUER,
            "sub": str(subject),
            "azp": CLIENT_ID,
            "typ": "Bearer",
            "iat": now,
            "exp": now + 300,
            **overrides,
        }
        return jwt.encode(claims, self.key, algorithm="RS256", headers={"kid": self.kid})

    def foreign_token(self, subject: UUID) -> str:
        """Well-formed and unexpired, but signed by a key the JWKS does not hold."""
        return jwt.encode(
            {"iss": ISSUER, "sub": str(subject), "azp": CLIENT_ID, "iat": int(time.time()),
             "exp": int(time.time()) + 300},
            _key(), algorithm="RS256", headers={"kid": self.kid},
        )  # fmt: skip


@contextmanager
def running_identity() -> Iterator[Identity]:
    key = _key()
    jwk = json.loads(RSAAlgorithm.to_jwk(key.public_key()))
    jwk.update({"kid": "test-key", "use": "sig", "alg": "RS256"})
    body = json.dumps({"keys": [jwk]}).encode()

    class Handler(BaseHTTPRequestHandler):
        def do_GET(self) -> None:
            self.send_response(200)
            self.send_header("Content-Type", "application/json")
            self.send_header("Content-Length", str(len(body)))
            self.end_headers()
            self.wfile.write(body)

        def log_message(self, *args: Any) -> None:
            pass

    server = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    try:
        yield Identity(f"http://127.0.0.1:{server.server_address[1]}/certs", key)
    finally:
        server.shutdown()
        server.server_close()
