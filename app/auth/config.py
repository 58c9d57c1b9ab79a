"""Settings of the login service (bia-auth), from BIA_* variables and systemd credentials."""

from __future__ import annotations

import os
from functools import lru_cache
from pathlib import Path

from pydantic import SecretStr, model_validator
from pydantic_settings import BaseSettings, SettingsConfigDict


class AuthSettings(BaseSettings):
    model_config = SettingsConfigDict(env_prefix="BIA_", frozen=True, extra="ignore")

    # The appliance URL users see (Keycloak's hostname, the callback's origin).
    public_url: str = "https://localhost"
    # Keycloak on loopback, for the back channel (token, JWKS, logout).
    keycloak_internal_url: str = "http://127.0.0.1:8080"
    realm: str = "bia"
    client_id: str = "bia-backend"
    # From the systemd credential "oidc-client-secret" in production.
    client_secret: SecretStr = SecretStr("")
    grpc_port: int = 50051
    callback_port: int = 8001
    transaction_ttl_seconds: int = 300

    @model_validator(mode="after")
    def _credential(self) -> AuthSettings:
        directory = os.environ.get("CREDENTIALS_DIRECTORY")
        if directory and (Path(directory) / "oidc-client-secret").is_file():
            value = (Path(directory) / "oidc-client-secret").read_text().strip()
            object.__setattr__(self, "client_secret", SecretStr(value))
        if not self.client_secret.get_secret_value():
            raise ValueError(
                "no OIDC client secret: it comes from the systemd credential "
                "oidc-client-secret (LoadCredential=) or BIA_CLIENT_SECRET on a developer machine"
            )
        return self

    @property
    def issuer(self) -> str:
        return f"{self.public_url.rstrip('/')}/realms/{self.realm}"

    @property
    def redirect_uri(self) -> str:
        return f"{self.public_url.rstrip('/')}/auth/callback"

    def internal(self, path: str) -> str:
        """A Keycloak endpoint of the realm, reached on loopback."""
        return f"{self.keycloak_internal_url.rstrip('/')}/realms/{self.realm}{path}"


@lru_cache
def get_auth_settings() -> AuthSettings:
    return AuthSettings()
