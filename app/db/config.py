"""Database settings for the data layer (the owner DSN is only for migrations)."""

from __future__ import annotations

import os
from pathlib import Path

from psycopg.conninfo import conninfo_to_dict, make_conninfo
from pydantic import model_validator
from pydantic_settings import BaseSettings, SettingsConfigDict

OWNER_URL_ENV = "BIA_DATABASE_OWNER_URL"

# Must match the roles the appliance deploy creates (roles/postgres).
OWNER_ROLE = "bia_owner"
APP_ROLE = "bia_app"
STATS_ROLE = "bia_stats"
SCHEMA = "bia"
USER_SETTING = "bia.user_id"


class MigrationSettings(BaseSettings):
    """`BIA_DATABASE_OWNER_URL`: a libpq conninfo or URI that logs in as `bia_owner`.

    The password may instead come from libpq itself (PGPASSFILE, PGPASSWORD), so the
    DSN can be as short as `host=/run/postgresql dbname=bia user=bia_owner`.
    """

    model_config = SettingsConfigDict(env_prefix="BIA_", extra="ignore")

    database_owner_url: str | None = None

    @model_validator(mode="after")
    def _password_from_credential(self) -> MigrationSettings:
        """On the appliance the owner's password is the systemd credential "db-password"."""
        directory = os.environ.get("CREDENTIALS_DIRECTORY")
        credential = Path(directory) / "db-password" if directory else None
        if self.database_owner_url and credential and credential.is_file():
            params = conninfo_to_dict(self.database_owner_url)
            if "password" not in params:
                params["password"] = credential.read_text().strip()
                object.__setattr__(self, "database_owner_url", make_conninfo("", **params))
        return self
