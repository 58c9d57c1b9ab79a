"""backend: the FastAPI service under uvicorn, unprivileged and sandboxed, on loopback.

Dependencies arrive as a hash-checked wheelhouse built on the control machine; the code as
a copy of app/; the database password as a systemd credential.
"""

from __future__ import annotations

from pathlib import Path

from pyinfra.api import deploy
from pyinfra.operations import files

from roles import postgres
from roles.base import SERVICE_USER
from roles.lib import wheelhouse
from roles.lib.context import settings
from roles.lib.ops import (
    HEADER,
    migrate,
    python_venv,
    tree_archive,
    unpacked_tree,
    validated_file,
)
from roles.lib.sandbox import sandbox
from roles.lib.services import sandboxed_service
from roles.lib.settings import ApplianceSettings

PREFIX = "/opt/bia"
UNIT = "bia-backend"
MIGRATE_UNIT = "bia-migrate"
REPO = Path(__file__).resolve().parents[1]

# Sandboxing shared by every Bia Python service (roles/lib/sandbox.py).
SANDBOX = sandbox()


def unit(s: ApplianceSettings) -> str:
    return f"""# {HEADER}
[Unit]
Description=Bia backend (REST API)
Documentation=file://{PREFIX}/app/README
After=network.target postgresql.service
Wants=postgresql.service

[Service]
Type=exec
User={SERVICE_USER}
Group={SERVICE_USER}
LoadCredential=db-password:{postgres.credential_path("bia_app")}
Environment=BIA_ENVIRONMENT=production PYTHONDONTWRITEBYTECODE=1
Environment=BIA_OIDC_ISSUER={s.url}/realms/bia
WorkingDirectory={PREFIX}/app
ExecStart={PREFIX}/venv/bin/uvicorn --factory app.main:create_app \\
    --host 127.0.0.1 --port {s.backend.port} --workers {s.backend.workers} \\
    --proxy-headers --forwarded-allow-ips 127.0.0.1 --no-server-header --no-access-log
Restart=on-failure
RestartSec=2s
{SANDBOX}
[Install]
WantedBy=multi-user.target
"""


def migration_head() -> str:
    from alembic.script import ScriptDirectory

    head = ScriptDirectory(str(REPO / "app" / "db" / "migrations")).get_current_head()
    if head is None:
        raise SystemExit("app/db/migrations has no head revision")
    return head


def migrate_unit() -> str:
    return f"""# {HEADER}
[Unit]
Description=Bia schema migrations (as the owner role)
After=postgresql.service
Requires=postgresql.service

[Service]
Type=oneshot
User={SERVICE_USER}
Group={SERVICE_USER}
LoadCredential=db-password:{postgres.credential_path("bia_owner")}
Environment="BIA_DATABASE_OWNER_URL=host=/run/postgresql dbname=bia user=bia_owner"
Environment=PYTHONDONTWRITEBYTECODE=1
WorkingDirectory={PREFIX}/app
ExecStart={PREFIX}/venv/bin/python -m app.db.migrate upgrade head
{SANDBOX}"""


@deploy("backend")
def backend() -> None:
    s = settings()
    wheels = wheelhouse.ensure()
    files.directory(name="Install prefix", path=PREFIX, mode="755")
    # Whole trees travel as one deterministic archive, compared by one digest: a no-op
    # deploy costs one round trip per tree instead of one per file.
    synced_wheels = unpacked_tree(
        name="Upload the wheelhouse",
        archive=tree_archive({".": wheels}, exclude_names={".complete"}),
        dest=f"{PREFIX}/wheelhouse",
    )
    venv = python_venv(
        name="Python environment from the wheelhouse (hashes checked)",
        path=f"{PREFIX}/venv",
        wheelhouse=f"{PREFIX}/wheelhouse",
        lock_digest=wheelhouse.lock_digest(),
    )
    code = unpacked_tree(
        name="Backend code and policies (RLS SQL)",
        archive=tree_archive({"app": REPO / "app", "policies": REPO / "policies"}),
        dest=f"{PREFIX}/app",
    )
    validated_file(
        name="Migration unit (one-shot, owner role)",
        content=migrate_unit(),
        dest=f"/etc/systemd/system/{MIGRATE_UNIT}.service",
        validate=f"systemd-analyze verify /etc/systemd/system/{MIGRATE_UNIT}.service",
        reload="systemctl daemon-reload",
    )
    migrate(
        name="Schema migrations to head (as bia_owner)",
        database="bia",
        head=migration_head(),
        unit=MIGRATE_UNIT,
    )
    sandboxed_service(
        "Backend",
        UNIT,
        unit(s),
        up=f"curl -fs -o /dev/null http://127.0.0.1:{s.backend.port}/healthz",
        restart_when=[synced_wheels, venv, code],
    )
