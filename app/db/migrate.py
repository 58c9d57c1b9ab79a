"""Run the schema migrations as the owner role.

    BIA_DATABASE_OWNER_URL='host=/run/postgresql dbname=bia user=bia_owner' \\
        python -m app.db.migrate upgrade head
    python -m app.db.migrate --dsn '...' downgrade base
    python -m app.db.migrate current

The roles bia_owner, bia_app and bia_stats and the database (owned by
bia_owner) must exist first: the deploy creates them, migrations only GRANT.
"""

from __future__ import annotations

import argparse
import sys
from pathlib import Path

from alembic import command
from alembic.config import Config

from app.db.config import OWNER_URL_ENV, MigrationSettings

MIGRATIONS_DIR = Path(__file__).resolve().parent / "migrations"


def alembic_config(owner_dsn: str) -> Config:
    config = Config()
    config.set_main_option("script_location", str(MIGRATIONS_DIR))
    # Passed as an attribute, not an option: configparser would mangle '%' in passwords.
    config.attributes["owner_dsn"] = owner_dsn
    return config


def upgrade(owner_dsn: str, revision: str = "head") -> None:
    command.upgrade(alembic_config(owner_dsn), revision)


def downgrade(owner_dsn: str, revision: str) -> None:
    command.downgrade(alembic_config(owner_dsn), revision)


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(
        prog="python -m app.db.migrate",
        description=__doc__,
        formatter_class=argparse.RawDescriptionHelpFormatter,
    )
    parser.add_argument("--dsn", help=f"owner DSN (default: ${OWNER_URL_ENV})")
    sub = parser.add_subparsers(dest="action", required=True)
    sub.add_parser("upgrade").add_argument("revision", nargs="?", default="head")
    sub.add_parser("downgrade").add_argument("revision")
    sub.add_parser("current")
    sub.add_parser("history")
    args = parser.parse_args(argv)

    dsn = args.dsn or MigrationSettings().database_owner_url
    if not dsn and args.action != "history":
        parser.error(
            f"no database: set {OWNER_URL_ENV} or pass --dsn (it must log in as bia_owner)"
        )
    config = alembic_config(dsn or "")
    if args.action == "upgrade":
        command.upgrade(config, args.revision)
    elif args.action == "downgrade":
        command.downgrade(config, args.revision)
    elif args.action == "current":
        command.current(config, verbose=True)
    else:
        command.history(config)
    return 0


if __name__ == "__main__":
    sys.exit(main())
