"""The journal gRPC unit and its edge route, as text."""

from __future__ import annotations

from roles.backend import SANDBOX
from roles.edge import nginx_site
from roles.journal_rpc import GRPC_PORT, GRPC_SERVICES, unit
from roles.lib.settings import parse


def test_the_unit_is_sandboxed_on_loopback_with_the_db_credential() -> None:
    text = unit(parse({"domain": "bia.example.org"}))
    assert SANDBOX in text
    assert "ExecStart=/opt/bia/venv/bin/python -m app.rpc.server" in text
    assert f"BIA_JOURNAL_GRPC_HOST=127.0.0.1 BIA_JOURNAL_GRPC_PORT={GRPC_PORT}" in text
    assert "LoadCredential=db-password:" in text
    assert "BIA_OIDC_ISSUER=https://bia.example.org/realms/bia" in text
    assert "PartOf=bia-backend.service" in text


def test_the_edge_forwards_each_journal_service_over_http2() -> None:
    site = nginx_site(parse({"domain": "bia.example.org"}))
    assert "http2 on;" in site
    for service in GRPC_SERVICES:
        assert f"location /{service}/ {{\n        grpc_pass grpc://127.0.0.1:{GRPC_PORT};" in site
