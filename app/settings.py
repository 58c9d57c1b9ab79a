"""All backend configuration, from BIA_* environment variables and systemd credentials."""

from __future__ import annotations

import os
from functools import lru_cache
from pathlib import Path
from typing import Literal

from psycopg.conninfo import make_conninfo
from pydantic import SecretStr, model_validator
from pydantic_settings import BaseSettings, SettingsConfigDict

PLACEHOLDER_SECRETS = {"", "changeme", "change-me", "password", "secret", "development"}


class Settings(BaseSettings):
    model_config = SettingsConfigDict(env_prefix="BIA_", frozen=True)

    environment: Literal["development", "production"] = "production"
    database_host: str = "/var/run/postgresql"
    database_port: int = 5432
    database_name: str = "bia"
    database_user: str = "bia_app"
    # Outside development the password comes from the systemd credential "db-password"
    # ($CREDENTIALS_DIRECTORY/db-password), never from the environment.
    database_password: SecretStr = SecretStr("")
    database_pool_max: int = 10
    # Access tokens: Keycloak's issuer (the appliance URL + /realms/bia) and, on loopback,
    # its JWKS. Empty issuer: authenticated endpoints answer 503 (not configured).
    oidc_issuer: str = ""
    oidc_jwks_url: str = "http://127.0.0.1:8080/realms/bia/protocol/openid-connect/certs"
    oidc_client_id: str = "bia-backend"

    @model_validator(mode="after")
    def _credentials(self) -> Settings:
        directory = os.environ.get("CREDENTIALS_DIRECTORY")
        if directory and (Path(directory) / "db-password").is_file():
            password = (Path(directory) / "db-password").read_text().strip()
            object.__setattr__(self, "database_password", SecretStr(password))
        if (
            self.environment == "production"
            and self.database_password.get_secret_value().lower() in PLACEHOLDER_SECRETS
        ):
            raise ValueError(
                "no real database password: in production it must come from the systemd "
                "credential db-password (LoadCredential=); set BIA_ENVIRONMENT=development "
                "only on a developer machine"
            )
        return self

    @property
    def database_conninfo(self) -> str:
        return make_conninfo(
            host=self.database_host,
            port=self.database_port,
            dbname=self.database_name,
            user=self.database_user,
            password=self.database_password.get_secret_value(),
            application_name="bia-backend",
            connect_timeout=5,
        )


@lru_cache
def get_settings() -> Settings:
    return Settings()
