"""Per-user settings: time zone, the insights lag window, units."""

from __future__ import annotations

from typing import Annotated, Literal
from zoneinfo import ZoneInfo, ZoneInfoNotFoundError

from pydantic import AfterValidator, Field

from app.db.session import DbConnection
from app.journal import _db
from app.journal.errors import Invalid
from app.journal.fields import PublicModel, UpdateModel

USER_SETTINGS = _db.Table("user_settings", "settings")
DEFAULTS = {"time_zone": "UTC", "lag_min_hours": 2, "lag_max_hours": 24, "units": "metric"}


def _time_zone(name: str) -> str:
    try:
        ZoneInfo(name)
    except (ZoneInfoNotFoundError, ValueError, OSError):
        raise ValueError("is not a known IANA time zone, e.g. Europe/Dublin") from None
    return name


TimeZone = Annotated[str, Field(min_length=1, max_length=64), AfterValidator(_time_zone)]


class UserSettingsUpdate(UpdateModel):
    NOT_NULL = frozenset({"time_zone", "lag_min_hours", "lag_max_hours", "units"})
    time_zone: TimeZone | None = None
    lag_min_hours: int | None = Field(default=None, ge=0, le=72)
    lag_max_hours: int | None = Field(default=None, ge=1, le=96)
    units: Literal["metric", "imperial"] | None = None


class UserSettingsPublic(PublicModel):
    time_zone: str
    lag_min_hours: int
    lag_max_hours: int
    units: str

    @property
    def zone(self) -> ZoneInfo:
        return ZoneInfo(self.time_zone)


def get_settings(conn: DbConnection) -> UserSettingsPublic:
    """The user's settings, or the defaults if they never changed any."""
    row = conn.execute("SELECT * FROM bia.user_settings").fetchone()
    return UserSettingsPublic.model_validate(row if row is not None else DEFAULTS)


def update_settings(conn: DbConnection, data: UserSettingsUpdate) -> UserSettingsPublic:
    merged = {**get_settings(conn).model_dump(), **data.changes()}
    if merged["lag_min_hours"] >= merged["lag_max_hours"]:
        raise Invalid({"lag_min_hours": "must be less than lag_max_hours"})
    with _db.mutation(conn, USER_SETTINGS):
        row = conn.execute(
            "INSERT INTO bia.user_settings (time_zone, lag_min_hours, lag_max_hours, units)"
            " VALUES (%(time_zone)s, %(lag_min_hours)s, %(lag_max_hours)s, %(units)s)"
            " ON CONFLICT (user_id) DO UPDATE SET time_zone = EXCLUDED.time_zone,"
            " lag_min_hours = EXCLUDED.lag_min_hours, lag_max_hours = EXCLUDED.lag_max_hours,"
            " units = EXCLUDED.units RETURNING *",
            merged,
        ).fetchone()
    return UserSettingsPublic.model_validate(row)
