"""postgres: Debian's PostgreSQL on its socket and loopback only, scram-sha-256, no trust.

Databases and roles are created idempotently; each role's password is generated on the
appliance at first deploy (never committed, never sent back) and handed to services as a
systemd credential.
"""

from __future__ import annotations

from pyinfra.api import deploy
from pyinfra.operations import apt, systemd

from roles.lib.context import settings
from roles.lib.ops import HEADER, postgres_database, postgres_role, secret, validated_file

CREDENTIALS = "/etc/bia/credentials"
# owner: runs migrations and owns the schema; app: what the backend connects as (owns
# nothing, cannot bypass row level security); stats: aggregate counts only.
ROLES = ("bia_owner", "bia_app", "bia_stats")
# database -> (owner, roles that may connect)
DATABASES = {"bia": ("bia_owner", ("bia_app", "bia_stats"))}


def credential_path(role: str) -> str:
    return f"{CREDENTIALS}/db-{role}"


def _conf(version: str) -> str:
    return f"""# {HEADER}
listen_addresses = 'localhost'
password_encryption = 'scram-sha-256'
ssl = off  # loopback and the Unix socket only; the TLS edge faces the network
log_connections = on
log_disconnections = on
log_line_prefix = '%m [%p] %q%u@%d '
cluster_name = '{version}/main'
"""


HBA = f"""# {HEADER}
# TYPE  DATABASE  USER      ADDRESS        METHOD
local   all       postgres                 peer
local   all       all                      scram-sha-256
host    all       all       127.0.0.1/32   scram-sha-256
host    all       all       ::1/128        scram-sha-256
"""


@deploy("postgres")
def postgres() -> None:
    version = settings().postgres.version
    etc = f"/etc/postgresql/{version}/main"
    apt.packages(name="Install PostgreSQL", packages=["postgresql"], no_recommends=True)
    check_conf = (
        f"runuser -u postgres -- /usr/lib/postgresql/{version}/bin/postgres -C listen_addresses "
        f"-D /var/lib/postgresql/{version}/main -c config_file={etc}/postgresql.conf >/dev/null"
    )
    conf = validated_file(
        name="Listen on loopback only, scram-sha-256, log connections",
        content=_conf(version),
        dest=f"{etc}/conf.d/bia.conf",
        validate=check_conf,
        user="postgres",
        group="postgres",
    )
    validated_file(
        name="Client authentication: peer for postgres, scram-sha-256 for all else, no trust",
        content=HBA,
        dest=f"{etc}/pg_hba.conf",
        mode="640",
        user="postgres",
        group="postgres",
        validate="runuser -u postgres -- psql -X -tAqc "
        "'select count(*) from pg_hba_file_rules where error is not null' | grep -qx 0",
        reload="runuser -u postgres -- psql -X -qc 'select pg_reload_conf()'",
    )
    systemd.service(
        name="PostgreSQL enabled and running", service="postgresql", running=True, enabled=True
    )
    systemd.service(
        name="Restart PostgreSQL for listen_addresses",
        service="postgresql",
        restarted=True,
        _if=conf.did_change,
    )
    for role in ROLES:
        secret(name=f"Password for {role}", path=credential_path(role))
        postgres_role(name=f"Role {role}", role=role, secret_path=credential_path(role))
    for database, (owner, connect) in DATABASES.items():
        postgres_database(
            name=f"Database {database}", database=database, owner=owner, connect=connect
        )
