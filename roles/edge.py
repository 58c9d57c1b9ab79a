"""edge: nginx terminates TLS 1.3 on 443 with the appliance's own local CA; 80 only redirects.

nginx rather than Caddy: see docs/decisions/0002-edge-nginx-local-ca.md.
"""

from __future__ import annotations

from pyinfra.api import deploy
from pyinfra.operations import apt, files, systemd

from roles.auth import CALLBACK_PORT, GRPC_PORT
from roles.client import DOWNLOAD_DIR
from roles.journal_rpc import GRPC_PORT as JOURNAL_GRPC_PORT
from roles.journal_rpc import GRPC_SERVICES as JOURNAL_GRPC_SERVICES
from roles.lib.context import settings
from roles.lib.ops import HEADER, TLS_DIR, local_ca, server_certificate, validated_file
from roles.lib.settings import ApplianceSettings

CSP = "default-src 'none'; frame-ancestors 'none'; base-uri 'none'; form-action 'self'"
DOWNLOAD_CSP = "default-src 'none'; style-src 'self'; frame-ancestors 'none'; base-uri 'none'"


def nginx_site(s: ApplianceSettings) -> str:
    host = f"[{s.domain}]" if ":" in s.domain else s.domain
    backend = f"http://127.0.0.1:{s.backend.port}"
    keycloak = f"http://127.0.0.1:{s.keycloak.port}"
    hsts = f"max-age={s.tls.hsts_max_age}; includeSubDomains"
    keycloak_proxy = f"""\
        proxy_http_version 1.1;
        proxy_set_header Host $host;
        proxy_set_header X-Forwarded-For $remote_addr;
        proxy_set_header X-Forwarded-Proto https;
        proxy_set_header X-Forwarded-Host $host;
        proxy_set_header X-Forwarded-Port 443;
        proxy_set_header Connection "";
        proxy_buffer_size 64k;
        proxy_buffers 8 64k;
        add_header Strict-Transport-Security "{hsts}" always;
        add_header X-Content-Type-Options "nosniff" always;"""
    # The journal API over gRPC (HTTP/2), for the desktop client.
    journal_grpc = "\n".join(
        f"""    location /{service}/ {{
        grpc_pass grpc://127.0.0.1:{JOURNAL_GRPC_PORT};
        grpc_set_header X-Forwarded-For $remote_addr;
    }}"""
        for service in JOURNAL_GRPC_SERVICES
    )
    return f"""# {HEADER}
server {{
    listen 80 default_server;
    listen [::]:80 default_server;
    server_tokens off;
    # Only a redirect, to the configured name (never to a client-chosen Host header).
    location / {{ return 308 https://{host}$request_uri; }}
}}

server {{
    listen 443 ssl default_server;
    listen [::]:443 ssl default_server;
    http2 on;
    server_tokens off;

    ssl_certificate {TLS_DIR}/server.crt;
    ssl_certificate_key {TLS_DIR}/server.key;
    ssl_protocols TLSv1.3;
    ssl_ecdh_curve X25519:prime256v1:secp384r1;
    ssl_session_timeout 1d;
    ssl_session_cache shared:BiaTLS:10m;
    ssl_session_tickets off;

    add_header Strict-Transport-Security "max-age={s.tls.hsts_max_age}; includeSubDomains" always;
    add_header X-Content-Type-Options "nosniff" always;
    add_header Referrer-Policy "no-referrer" always;
    add_header X-Frame-Options "DENY" always;
    add_header Content-Security-Policy "{CSP}" always;
    add_header Cross-Origin-Opener-Policy "same-origin" always;

    client_max_body_size 1m;

    # Keycloak: only its public paths, and only the bia realm; /admin/, /metrics, /health
    # and the master realm are never proxied. Keycloak sets its own CSP and frame rules
    # for its pages, so these locations repeat only HSTS and nosniff from the server level.
    location /realms/bia/ {{
        proxy_pass {keycloak};
{keycloak_proxy}
    }}
    location /resources/ {{
        proxy_pass {keycloak};
{keycloak_proxy}
    }}

    # The login pipeline: gRPC (HTTP/2) to the login service, and its OIDC callback.
    location /bia.auth.v1.Auth/ {{
        grpc_pass grpc://127.0.0.1:{GRPC_PORT};
        grpc_set_header X-Forwarded-For $remote_addr;
        # AwaitTokens stays open while the user signs in (transactions last 5 minutes).
        grpc_read_timeout 600s;
        grpc_send_timeout 600s;
    }}
{journal_grpc}
    # The desktop client, built and signed by this appliance (roles/client.py): static
    # files only, and a page without scripts.
    location = /download {{ return 308 /download/; }}
    location /download/ {{
        alias {DOWNLOAD_DIR}/current/;
        default_type application/octet-stream;
        add_header Strict-Transport-Security "{hsts}" always;
        add_header X-Content-Type-Options "nosniff" always;
        add_header Referrer-Policy "no-referrer" always;
        add_header X-Frame-Options "DENY" always;
        add_header Content-Security-Policy "{DOWNLOAD_CSP}" always;
        add_header Cache-Control "no-cache" always;
    }}

    location = /auth/callback {{
        access_log off;  # the query string holds an authorization code
        proxy_pass http://127.0.0.1:{CALLBACK_PORT};
        proxy_http_version 1.1;
        proxy_set_header Host $host;
        proxy_set_header X-Forwarded-For $remote_addr;
        proxy_set_header X-Forwarded-Proto https;
        proxy_set_header Connection "";
    }}

    location / {{
        proxy_pass {backend};
        proxy_http_version 1.1;
        proxy_set_header Host $host;
        proxy_set_header X-Forwarded-For $remote_addr;
        proxy_set_header X-Forwarded-Proto https;
        proxy_set_header Connection "";
        proxy_read_timeout 60s;
    }}
}}
"""


def certificate_extensions(s: ApplianceSettings) -> str:
    dns, ips = s.certificate_names
    names = [f"DNS:{d}" for d in dns] + [f"IP:{i}" for i in ips]
    return (
        f"# {HEADER}\n[bia]\nbasicConstraints = critical,CA:FALSE\n"
        "keyUsage = critical,digitalSignature\nextendedKeyUsage = serverAuth\n"
        f"subjectAltName = {','.join(names)}\n"
    )


def ca_permitted_names(s: ApplianceSettings) -> list[str]:
    dns, ips = s.certificate_names
    netmask = {4: "255.255.255.255", 6: "FFFF:" * 7 + "FFFF"}
    return [f"DNS:{d}" for d in dns] + [f"IP:{i}/{netmask[6 if ':' in i else 4]}" for i in ips]


@deploy("edge")
def edge() -> None:
    s = settings()
    apt.packages(name="Install nginx", packages=["nginx"], no_recommends=True)
    files.directory(name="TLS directory", path=TLS_DIR, mode="755")
    local_ca(
        name="Local certificate authority",
        common_name=f"Bia appliance CA ({s.domain})",
        permitted=ca_permitted_names(s),
    )
    cert = server_certificate(
        name="Edge certificate from the local CA",
        extensions=certificate_extensions(s),
        common_name=s.domain,
        days=s.tls.certificate_days,
    )
    files.link(name="No default nginx site", path="/etc/nginx/sites-enabled/default", present=False)
    site = validated_file(
        name="nginx site: TLS 1.3, HSTS, security headers, backend route",
        content=nginx_site(s),
        dest="/etc/nginx/sites-enabled/bia.conf",
        validate="nginx -t -q",
    )
    systemd.service(name="nginx enabled and running", service="nginx", running=True, enabled=True)
    systemd.service(
        name="Reload nginx for new configuration or certificate",
        service="nginx",
        reloaded=True,
        _if=lambda: cert.did_change() or site.did_change(),
    )
