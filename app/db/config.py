"""Database settings for the data layer (the owner DSN is only for migrations)."""

from __future__ import annotations

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
