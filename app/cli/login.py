"""bia-login: the reference login client. It runs the whole pipeline against an appliance:

    bia-login --url https://bia.example.org --ca-file ca.crt

1. makes a random binding secret and calls Auth.BeginLogin with its SHA-256;
2. opens the authorization URL in the system browser (or prints it: --no-browser);
3. holds Auth.AwaitTokens open, showing progress, until the tokens arrive;
4. calls GET /api/me with the access token, then (with --logout) logs out again.

Tokens are kept in memory and never printed. The LoginClient class is what the end-to-end
tests drive too.
"""

from __future__ import annotations

import argparse
import hashlib
import secrets
import ssl
import sys
import time
import urllib.parse
import webbrowser
from collections.abc import Callable, Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import grpc
import httpx

from app.cli.tlsbridge import TlsBridge
from app.rpc.auth.v1 import auth_pb2, auth_pb2_grpc


@dataclass(frozen=True)
class PendingLogin:
    transaction_id: str
    authorization_url: str
    binding_secret: bytes


class LoginClient:
    def __init__(self, url: str, ca_file: Path | None = None) -> None:
        self.url = url.rstrip("/")
        parsed = urllib.parse.urlsplit(self.url)
        self.tls = ssl.create_default_context(cafile=str(ca_file) if ca_file else None)
        # TLS by OpenSSL, not by grpcio's BoringSSL: see app/cli/tlsbridge.py.
        self.bridge = TlsBridge(
            parsed.hostname or "",
            parsed.port or 443,
            ssl.create_default_context(cafile=str(ca_file) if ca_file else None),
        )
        self.bridge.check()
        self.channel = grpc.insecure_channel(self.bridge.address)
        self.stub: Any = auth_pb2_grpc.AuthStub(self.channel)  # type: ignore[no-untyped-call]

    def close(self) -> None:
        self.channel.close()
        self.bridge.close()

    def begin(self) -> PendingLogin:
        secret = secrets.token_bytes(32)
        response = self.stub.BeginLogin(
            auth_pb2.BeginLoginRequest(binding_secret_sha256=hashlib.sha256(secret).digest()),
            timeout=15,
        )
        return PendingLogin(response.transaction_id, response.authorization_url, secret)

    def events(
        self, transaction_id: str, binding_secret: bytes, timeout: float = 600
    ) -> Iterator[auth_pb2.LoginEvent]:
        request = auth_pb2.AwaitTokensRequest(
            transaction_id=transaction_id, binding_secret=binding_secret
        )
        yield from self.stub.AwaitTokens(request, timeout=timeout)

    def await_tokens(
        self,
        login: PendingLogin,
        progress: Callable[[auth_pb2.LoginEvent], None] | None = None,
        timeout: float = 600,
    ) -> auth_pb2.Tokens:
        for event in self.events(login.transaction_id, login.binding_secret, timeout):
            if progress:
                progress(event)
            if event.stage == auth_pb2.LoginEvent.Stage.DELIVERED:
                tokens: auth_pb2.Tokens = event.tokens
                return tokens
        raise RuntimeError("the token stream ended without tokens")

    def refresh(self, refresh_token: str) -> auth_pb2.Tokens:
        tokens: auth_pb2.Tokens = self.stub.Refresh(
            auth_pb2.RefreshRequest(refresh_token=refresh_token), timeout=15
        )
        return tokens

    def logout(self, refresh_token: str) -> None:
        self.stub.Logout(auth_pb2.LogoutRequest(refresh_token=refresh_token), timeout=15)

    def me(self, access_token: str) -> httpx.Response:
        return httpx.get(
            f"{self.url}/api/me",
            headers={"Authorization": f"Bearer {access_token}"},
            verify=self.tls,
            timeout=15,
        )


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="bia-login", description=__doc__.split("\n\n")[0])
    parser.add_argument("--url", required=True, help="the appliance, e.g. https://10.88.0.10")
    parser.add_argument("--ca-file", type=Path, help="the appliance CA (/etc/bia/tls/ca.crt)")
    parser.add_argument("--no-browser", action="store_true", help="print the URL only")
    parser.add_argument("--logout", action="store_true", help="log out again at the end")
    args = parser.parse_args(argv)
    client = LoginClient(args.url, args.ca_file)
    try:
        started = time.monotonic()
        login = client.begin()
        print(f"Sign in here:\n  {login.authorization_url}", flush=True)
        if not args.no_browser:
            webbrowser.open(login.authorization_url)
        tokens = client.await_tokens(
            login, lambda e: print(f"  {auth_pb2.LoginEvent.Stage.Name(e.stage)}", flush=True)
        )
        print(f"Signed in as {tokens.subject} in {time.monotonic() - started:.1f} s")
        me = client.me(tokens.access_token)
        print(f"GET /api/me: {me.status_code} {me.text}")
        if args.logout:
            client.logout(tokens.refresh_token)
            print("Logged out; the refresh token is revoked.")
    except grpc.RpcError as exc:
        print(f"bia-login: {exc.code().name}: {exc.details()}", file=sys.stderr)
        return 1
    finally:
        client.close()
    return 0


if __name__ == "__main__":
    sys.exit(main())
