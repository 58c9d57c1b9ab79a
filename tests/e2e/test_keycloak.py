"""Keycloak on the lab appliance: loopback only, private paths unreachable through the edge,
the realm exactly as policies/keycloak/realm.json says, secrets root-only."""

from __future__ import annotations

import ssl
from pathlib import Path

import httpx
import pytest
import testinfra

from tests.lab.host import LabHost

pytestmark = pytest.mark.lab


@pytest.mark.parametrize("service", ["keycloak", "bia-auth"])
def test_service_enabled_and_running(appliance: testinfra.host.Host, service: str) -> None:
    unit = appliance.service(service)
    assert unit.is_enabled
    assert unit.is_running


def test_keycloak_listens_on_loopback_only(appliance: testinfra.host.Host) -> None:
    pid = appliance.check_output("systemctl show -p MainPID --value keycloak")
    java = appliance.check_output(f"pgrep -P {pid} java || echo {pid}")
    listeners = appliance.check_output(f"ss -Hltnp | grep 'pid={java},' || true").splitlines()
    addresses = {line.split()[3].rsplit(":", 1)[0] for line in listeners}
    ports = {int(line.split()[3].rsplit(":", 1)[1]) for line in listeners}
    assert {8080, 9000} <= ports
    assert addresses == {"127.0.0.1"}, listeners


@pytest.mark.parametrize(
    "path",
    [
        "/admin/",
        "/admin/master/console/",
        "/metrics",
        "/health",
        "/health/ready",
        "/realms/master/protocol/openid-connect/token",
        "/realms/master/.well-known/openid-configuration",
    ],
)
def test_private_keycloak_paths_are_not_reachable_through_the_edge(
    lab: LabHost, ca_file: Path, path: str
) -> None:
    response = httpx.get(
        f"https://{lab.address}{path}",
        verify=ssl.create_default_context(cafile=str(ca_file)),
        timeout=15,
    )
    assert response.status_code == 404
    assert "keycloak" not in response.text.lower()


def test_the_public_realm_is_served_with_the_appliance_as_issuer(
    lab: LabHost, ca_file: Path
) -> None:
    response = httpx.get(
        f"https://{lab.address}/realms/bia/.well-known/openid-configuration",
        verify=ssl.create_default_context(cafile=str(ca_file)),
        timeout=15,
    )
    assert response.status_code == 200
    config = response.json()
    assert config["issuer"] == f"https://{lab.address}/realms/bia"
    assert "S256" in config["code_challenge_methods_supported"]


def test_the_realm_is_what_the_policy_says(appliance: testinfra.host.Host) -> None:
    # `check` compares every setting of the policy with what Keycloak's admin API reports.
    out = appliance.run(
        "python3 /usr/local/lib/bia/keycloak-realm.py check /etc/bia/keycloak/realm.json"
    )
    assert out.rc == 0, out.stdout + out.stderr
    assert out.stdout.strip() == "realm in sync"


@pytest.mark.parametrize(
    "path",
    [
        "/etc/bia/credentials/keycloak-admin",
        "/etc/bia/credentials/keycloak-client-bia-backend",
        "/etc/bia/credentials/keycloak-operator-initial-password",
        "/etc/bia/credentials/db-keycloak",
    ],
)
def test_keycloak_secrets_are_root_only(appliance: testinfra.host.Host, path: str) -> None:
    secret = appliance.file(path)
    assert secret.exists and secret.user == "root" and secret.mode == 0o600
    assert secret.size >= 20
