"""auth: the login service (gRPC Auth + the HTTPS callback), sandboxed, on loopback.

It runs the backend's code and environment (roles/backend.py installs both) as its own
unit, so that login transactions live in one process's memory only. It is PartOf the
backend unit: new code or dependencies restart both. The Keycloak client secret arrives
as the systemd credential oidc-client-secret.
"""

from __future__ import annotations

from pyinfra.api import deploy

from roles.backend import PREFIX
from roles.backend import UNIT as BACKEND_UNIT
from roles.base import SERVICE_USER
from roles.lib.context import settings
from roles.lib.ops import HEADER
from roles.lib.sandbox import sandbox
from roles.lib.services import listening, sandboxed_service
from roles.lib.settings import ApplianceSettings

UNIT = "bia-auth"
# Everything it talks to is on 127.0.0.1. Without AF_INET6, grpcio binds a plain IPv4
# socket instead of a dual-stack one that shows up as [::ffff:127.0.0.1].
SANDBOX_IPV4 = sandbox(RestrictAddressFamilies="AF_UNIX AF_INET")
GRPC_PORT = 50051
CALLBACK_PORT = 8001
CLIENT_SECRET = "/etc/bia/credentials/keycloak-client-bia-backend"  # noqa: S105 (a path)


def unit(s: ApplianceSettings) -> str:
    return f"""# {HEADER}
[Unit]
Description=Bia login service (gRPC Auth, OIDC callback)
After=network.target keycloak.service {BACKEND_UNIT}.service
Wants=keycloak.service
PartOf={BACKEND_UNIT}.service

[Service]
Type=exec
User={SERVICE_USER}
Group={SERVICE_USER}
LoadCredential=oidc-client-secret:{CLIENT_SECRET}
Environment=PYTHONDONTWRITEBYTECODE=1 BIA_PUBLIC_URL={s.url}
Environment=BIA_KEYCLOAK_INTERNAL_URL=http://127.0.0.1:{s.keycloak.port}
Environment=BIA_GRPC_PORT={GRPC_PORT} BIA_CALLBACK_PORT={CALLBACK_PORT}
WorkingDirectory={PREFIX}/app
ExecStart={PREFIX}/venv/bin/python -m app.auth.server
Restart=on-failure
RestartSec=2s
{SANDBOX_IPV4}
[Install]
WantedBy=multi-user.target {BACKEND_UNIT}.service
"""


@deploy("auth")
def auth() -> None:
    sandboxed_service(
        "Login service", UNIT, unit(settings()), up=listening(GRPC_PORT, CALLBACK_PORT)
    )
