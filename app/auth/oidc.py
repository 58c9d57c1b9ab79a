"""Keycloak's OIDC endpoints, as the confidential client bia-backend (back channel on
loopback). Errors that mean "Keycloak is down" become IdentityUnavailable."""

from __future__ import annotations

import base64
import hashlib
import urllib.parse
from typing import Any

import httpx

from app.auth.config import AuthSettings


class IdentityUnavailable(Exception):
    """Keycloak cannot be reached."""

    def __init__(self) -> None:
        super().__init__(
            "identity service unavailable: Keycloak does not answer "
            "(on the appliance: systemctl status keycloak)"
        )


class OidcRefused(Exception):
    """Keycloak refused the request (its OAuth error code, never a token)."""


def code_challenge(verifier: str) -> str:
    digest = hashlib.sha256(verifier.encode()).digest()
    return base64.urlsafe_b64encode(digest).rstrip(b"=").decode()


class Oidc:
    def __init__(self, settings: AuthSettings, client: httpx.AsyncClient | None = None) -> None:
        self.s = settings
        self.http = client or httpx.AsyncClient(timeout=10)

    def authorization_url(self, state: str, nonce: str, verifier: str) -> str:
        query = urllib.parse.urlencode(
            {
                "response_type": "code",
                "client_id": self.s.client_id,
                "redirect_uri": self.s.redirect_uri,
                "scope": "openid",
                "state": state,
                "nonce": nonce,
                "code_challenge": code_challenge(verifier),
                "code_challenge_method": "S256",
            }
        )
        return f"{self.s.issuer}/protocol/openid-connect/auth?{query}"

    async def probe(self) -> None:
        """Fail fast, before a user is sent to a login page that cannot work."""
        try:
            response = await self.http.get(self.s.internal("/.well-known/openid-configuration"))
        except httpx.HTTPError as exc:
            raise IdentityUnavailable() from exc
        if response.status_code != 200:
            raise IdentityUnavailable()

    async def _token(self, form: dict[str, str]) -> dict[str, Any]:
        body = await self._post("/protocol/openid-connect/token", form)
        return body

    async def _post(self, path: str, form: dict[str, str]) -> dict[str, Any]:
        auth = (self.s.client_id, self.s.client_secret.get_secret_value())
        try:
            response = await self.http.post(self.s.internal(path), data=form, auth=auth)
        except httpx.HTTPError as exc:
            raise IdentityUnavailable() from exc
        if response.status_code >= 500:
            raise IdentityUnavailable()
        body: dict[str, Any] = response.json() if response.content else {}
        if response.status_code >= 400:
            raise OidcRefused(str(body.get("error", f"HTTP {response.status_code}")))
        return body

    async def exchange(self, code: str, verifier: str) -> dict[str, Any]:
        return await self._token(
            {
                "grant_type": "authorization_code",
                "code": code,
                "redirect_uri": self.s.redirect_uri,
                "code_verifier": verifier,
            }
        )

    async def refresh(self, refresh_token: str) -> dict[str, Any]:
        return await self._token({"grant_type": "refresh_token", "refresh_token": refresh_token})

    async def logout(self, refresh_token: str) -> None:
        """End the Keycloak session; its refresh tokens stop working."""
        await self._post("/protocol/openid-connect/logout", {"refresh_token": refresh_token})
