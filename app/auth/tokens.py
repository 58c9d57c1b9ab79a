"""Checking Keycloak's JWTs: signature against the realm's JWKS (cached, refetched when a
new key id appears, so key rotation just works), issuer, audience or authorized party,
expiry, and for ID tokens the nonce."""

from __future__ import annotations

import hmac
from dataclasses import dataclass
from typing import Any

import jwt

ALGORITHMS = ["RS256", "ES256", "PS256"]
LEEWAY_SECONDS = 10


class TokenError(Exception):
    """The token must not be trusted; the message says why (never the token itself)."""


class KeySourceUnavailable(TokenError):
    """The JWKS could not be fetched and no cached key matches."""


@dataclass(frozen=True)
class Claims:
    subject: str
    raw: dict[str, Any]


class TokenVerifier:
    def __init__(self, jwks_url: str, issuer: str, client_id: str) -> None:
        self.issuer = issuer
        self.client_id = client_id
        # Keys are cached for 10 minutes; an unknown "kid" triggers one refetch.
        self._jwks = jwt.PyJWKClient(jwks_url, cache_jwk_set=True, lifespan=600, timeout=5)

    def prefetch(self) -> bool:
        """Load the keys now (at start-up), so tokens keep verifying during a short
        identity-service outage even in a worker that has not seen a request yet."""
        try:
            self._jwks.get_signing_keys()
        except jwt.PyJWKClientError:
            return False
        return True

    def _key(self, token: str) -> Any:
        try:
            return self._jwks.get_signing_key_from_jwt(token).key
        except jwt.PyJWKClientConnectionError as exc:
            raise KeySourceUnavailable("the identity service's keys cannot be fetched") from exc
        except jwt.PyJWKClientError as exc:
            raise TokenError(f"no trusted key signed this token ({exc})") from exc
        except jwt.DecodeError as exc:
            raise TokenError("not a well-formed JWT") from exc

    def _decode(self, token: str, audience: str | None) -> dict[str, Any]:
        try:
            claims: dict[str, Any] = jwt.decode(
                token,
                self._key(token),
                algorithms=ALGORITHMS,
                issuer=self.issuer,
                audience=audience,
                leeway=LEEWAY_SECONDS,
                options={
                    "require": ["exp", "iat", "iss", "sub"],
                    "verify_aud": audience is not None,
                },
            )
        except jwt.ExpiredSignatureError as exc:
            raise TokenError("the token has expired") from exc
        except jwt.InvalidIssuerError as exc:
            raise TokenError("the token comes from another issuer (realm)") from exc
        except jwt.InvalidAudienceError as exc:
            raise TokenError("the token is meant for another audience") from exc
        except jwt.InvalidSignatureError as exc:
            raise TokenError("the token's signature is not valid") from exc
        except jwt.PyJWTError as exc:
            raise TokenError(f"the token is not valid: {exc}") from exc
        return claims

    def id_token(self, token: str, nonce: str) -> Claims:
        """An ID token for our client, bound to this login by its nonce."""
        claims = self._decode(token, audience=self.client_id)
        if not hmac.compare_digest(str(claims.get("nonce", "")), nonce):
            raise TokenError("the ID token's nonce does not match this login")
        return Claims(str(claims["sub"]), claims)

    def access_token(self, token: str) -> Claims:
        """An access token issued to our client (Keycloak names it in ``azp``)."""
        claims = self._decode(token, audience=None)
        if claims.get("typ") not in (None, "Bearer"):
            raise TokenError("not an access token")
        if claims.get("azp") != self.client_id:
            raise TokenError("the token is meant for another audience")
        return Claims(str(claims["sub"]), claims)
