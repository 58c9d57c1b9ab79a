"""Token checks with real RS256 signatures: the attacks on the ID and access tokens.

The JWKS is served over HTTP by a throwaway local server, so PyJWT's real key fetching and
caching run; the keys are generated here (another key = an attacker's key)."""

from __future__ import annotations

import json
import threading
import time
from collections.abc import Iterator
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from typing import Any

import jwt
import pytest
from cryptography.hazmat.primitives.asymmetric import rsa
from jwt.algorithms import RSAAlgorithm

from app.auth.tokens import KeySourceUnavailable, TokenError, TokenVerifier

ISSUER = "https://bia.test/realms/bia"
CLIENT = "bia-backend"
KEY = rsa.generate_private_key(public_exponent=65537, key_size=2048)
OTHER_KEY = rsa.generate_private_key(public_exponent=65537, key_size=2048)


@pytest.fixture(scope="module")
def jwks_url() -> Iterator[str]:
    jwk = json.loads(RSAAlgorithm.to_jwk(KEY.public_key()))
    body = json.dumps({"keys": [{**jwk, "kid": "k1", "use": "sig", "alg": "RS256"}]}).encode()

    class Handler(BaseHTTPRequestHandler):
        def do_GET(self) -> None:
            self.send_response(200)
            self.send_header("Content-Type", "application/json")
            self.end_headers()
            self.wfile.write(body)

        def log_message(self, *args: Any) -> None:
            pass

    server = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
    threading.Thread(target=server.serve_forever, daemon=True).start()
    yield f"http://127.0.0.1:{server.server_port}/certs"
    server.shutdown()


def token(key: Any = KEY, kid: str = "k1", **overrides: Any) -> str:
    now = int(time.time())
    claims = {
        "iss": ISSUER,
        "sub": "5c1f2a7e-0c8a-4a65-9d5f-2f8e6f1b7a10",
        "aud": CLIENT,
        "azp": CLIENT,
        "iat": now,
        "exp": now + 300,
        "nonce": "n-123",
        "typ": "Bearer",
        **overrides,
    }
    return jwt.encode(claims, key, algorithm="RS256", headers={"kid": kid})


@pytest.fixture
def verifier(jwks_url: str) -> TokenVerifier:
    return TokenVerifier(jwks_url, ISSUER, CLIENT)


def test_a_good_id_token_and_access_token_pass(verifier: TokenVerifier) -> None:
    assert verifier.id_token(token(typ="ID"), "n-123").subject.startswith("5c1f")
    assert verifier.access_token(token()).subject.startswith("5c1f")


@pytest.mark.parametrize(
    ("make", "reason"),
    [
        (lambda: token(key=OTHER_KEY), "signature"),
        (lambda: token(key=OTHER_KEY, kid="attacker"), "no trusted key"),
        (lambda: token(exp=int(time.time()) - 120), "expired"),
        (lambda: token(iss="https://bia.test/realms/master"), "another issuer"),
        (lambda: token(aud="bia-admin-panel", azp="bia-admin-panel"), "another audience"),
        (lambda: token(typ="ID", nonce="n-other"), "nonce"),
        (lambda: "not.a.jwt", "well-formed"),
    ],
    ids=["other-key", "unknown-kid", "expired", "other-realm", "other-audience", "nonce", "junk"],
)
def test_bad_id_tokens_are_refused_with_a_reason(
    verifier: TokenVerifier, make: Any, reason: str
) -> None:
    with pytest.raises(TokenError, match=reason):
        verifier.id_token(make(), "n-123")


def test_an_access_token_for_another_client_is_refused(verifier: TokenVerifier) -> None:
    with pytest.raises(TokenError, match="another audience"):
        verifier.access_token(token(aud="account", azp="bia-admin-panel"))


def test_a_refresh_token_is_not_an_access_token(verifier: TokenVerifier) -> None:
    with pytest.raises(TokenError, match="not an access token"):
        verifier.access_token(token(typ="Refresh"))


def test_an_unreachable_key_source_is_reported_as_such() -> None:
    verifier = TokenVerifier("http://127.0.0.1:9/certs", ISSUER, CLIENT)
    with pytest.raises(KeySourceUnavailable, match="cannot be fetched"):
        verifier.access_token(token())
