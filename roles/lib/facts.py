"""Facts that tolerate software that is not installed yet.

On a fresh host, facts are first read before apt has installed anything: these answer
"nothing there yet" instead of failing, and are read again when the operation runs.
"""

from __future__ import annotations

from typing import Any

from pyinfra.api import FactBase


class PostgresRoleNames(FactBase[list[str]]):
    """Login roles in the local PostgreSQL, or [] where PostgreSQL is not running yet."""

    default = list

    def command(self) -> str:
        return (
            "if command -v psql >/dev/null && runuser -u postgres -- psql -tAqc 'select 1' "
            ">/dev/null 2>&1; then runuser -u postgres -- psql -tAqc "
            "'select rolname from pg_roles order by 1'; fi"
        )

    def process(self, output: list[str]) -> list[str]:
        return [line.strip() for line in output if line.strip()]


class PostgresDatabases(FactBase[dict[str, tuple[str, str]]]):
    """{database: (owner, acl)} in the local PostgreSQL, or {} where it is not running yet."""

    default = dict

    def command(self) -> str:
        return (
            "if command -v psql >/dev/null && runuser -u postgres -- psql -tAqc 'select 1' "
            ">/dev/null 2>&1; then runuser -u postgres -- psql -tAqc "
            "\"select datname || '|' || pg_get_userbyid(datdba) || '|' || "
            "coalesce(array_to_string(datacl, ','), '') from pg_database\"; fi"
        )

    def process(self, output: list[str]) -> dict[str, tuple[str, str]]:
        rows = (line.strip().split("|", 2) for line in output if line.count("|") == 2)
        return {name: (owner, acl) for name, owner, acl in rows}


class Command(FactBase[str]):
    """The output of a read-only command, '' if it fails."""

    default = str

    def command(self, command: str) -> str:
        return f"( {command} ) 2>/dev/null || true"

    def process(self, output: list[str]) -> Any:
        return "\n".join(output).strip()


class AlembicRevision(FactBase[str]):
    """The schema revision of a local database, '' if it has none (or no PostgreSQL yet)."""

    default = str

    def command(self, database: str) -> str:
        return (
            "runuser -u postgres -- psql -X -tAq -d "
            + database
            + " -c 'select version_num from alembic_version' 2>/dev/null || true"
        )

    def process(self, output: list[str]) -> str:
        return "\n".join(output).strip()
