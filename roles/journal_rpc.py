"""journal_rpc: the journal's gRPC services (Journal, Catalog, Settings), sandboxed, on
loopback; the edge forwards /bia.journal.v1.*/ to it over HTTP/2 (grpc_pass).

Same code, environment and sandbox as the REST backend (roles/backend.py installs both);
its own unit so that a gRPC overload cannot starve the REST workers and vice versa. It is
PartOf the backend unit: new code or dependencies restart both.
"""

from __future__ import annotations

from pyinfra.api import deploy

from roles import postgres
from roles.backend import PREFIX, SANDBOX
from roles.backend import UNIT as BACKEND_UNIT
from roles.base import SERVICE_USER
from roles.lib.context import settings
from roles.lib.ops import HEADER
from roles.lib.services import listening, sandboxed_service
from roles.lib.settings import ApplianceSettings

UNIT = "bia-journal-grpc"
GRPC_PORT = 50052
GRPC_SERVICES = ("bia.journal.v1.Journal", "bia.journal.v1.Catalog", "bia.journal.v1.Settings")


def unit(s: ApplianceSettings) -> str:
    jwks = f"http://127.0.0.1:{s.keycloak.port}/realms/bia/protocol/openid-connect/certs"
    return f"""# {HEADER}
[Unit]
Description=Bia journal API (gRPC: Journal, Catalog, Settings)
After=network.target postgresql.service {BACKEND_UNIT}.service
Wants=postgresql.service
PartOf={BACKEND_UNIT}.service

[Service]
Type=exec
User={SERVICE_USER}
Group={SERVICE_USER}
LoadCredential=db-password:{postgres.credential_path("bia_app")}
Environment=BIA_ENVIRONMENT=production PYTHONDONTWRITEBYTECODE=1
Environment=BIA_OIDC_ISSUER={s.url}/realms/bia
Environment=BIA_OIDC_JWKS_URL={jwks}
Environment=BIA_JOURNAL_GRPC_HOST=127.0.0.1 BIA_JOURNAL_GRPC_PORT={GRPC_PORT}
WorkingDirectory={PREFIX}/app
ExecStart={PREFIX}/venv/bin/python -m app.rpc.server
Restart=on-failure
RestartSec=2s
{SANDBOX}
[Install]
WantedBy=multi-user.target {BACKEND_UNIT}.service
"""


@deploy("journal_rpc")
def journal_rpc() -> None:
    sandboxed_service("Journal gRPC service", UNIT, unit(settings()), up=listening(GRPC_PORT))
