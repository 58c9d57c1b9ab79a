"""testinfra smoke checks of the deployed lab appliance, plus what an outsider can reach."""

from __future__ import annotations

import ipaddress
import socket
import ssl
import subprocess
from pathlib import Path

import httpx
import pytest
import testinfra

from tests.lab.host import LabHost

pytestmark = pytest.mark.lab

SERVICES = ["ssh", "postgresql", "nginx", "bia-backend"]
PUBLIC_PORTS = {22, 80, 443}


@pytest.mark.parametrize("service", SERVICES)
def test_service_enabled_and_running(appliance: testinfra.host.Host, service: str) -> None:
    unit = appliance.service(service)
    assert unit.is_enabled
    assert unit.is_running


def _listeners(appliance: testinfra.host.Host) -> list[tuple[str, int]]:
    found = []
    for spec in appliance.socket.get_listening_sockets():
        if not spec.startswith(("tcp://", "udp://")):
            continue
        address, _, port = spec.split("://", 1)[1].rpartition(":")
        found.append((address.strip("[]"), int(port)))
    return found


def _is_loopback(address: str) -> bool:
    """127.0.0.0/8 and ::1, and also ::ffff:127.x (how grpcio binds 127.0.0.1 on a dual
    stack socket; Python 3.11 does not call that loopback)."""
    ip = ipaddress.ip_address(address)
    mapped = ip.ipv4_mapped if isinstance(ip, ipaddress.IPv6Address) else None
    return ip.is_loopback or (mapped is not None and mapped.is_loopback)


def test_only_22_80_443_listen_beyond_loopback(appliance: testinfra.host.Host) -> None:
    exposed = {(a, p) for a, p in _listeners(appliance) if not _is_loopback(a)}
    assert {p for _a, p in exposed} <= PUBLIC_PORTS, exposed


def test_postgres_listens_on_its_socket_and_loopback_only(appliance: testinfra.host.Host) -> None:
    pg = [a for a, p in _listeners(appliance) if p == 5432]
    assert pg, "PostgreSQL is not listening on TCP at all"
    assert all(_is_loopback(a) for a in pg), pg
    assert appliance.socket("unix:///var/run/postgresql/.s.PGSQL.5432").is_listening


def test_pg_hba_has_no_trust_and_uses_scram(appliance: testinfra.host.Host) -> None:
    rules = [
        line.split()
        for line in appliance.file(
            "/etc/postgresql/17/main/pg_hba.conf"
        ).content_string.splitlines()
        if line.strip() and not line.startswith("#")
    ]
    assert rules
    assert all(rule[-1] in {"scram-sha-256", "peer"} for rule in rules), rules
    assert all(rule[-1] == "scram-sha-256" for rule in rules if rule[2] != "postgres")


@pytest.mark.parametrize("role", ["bia_owner", "bia_app", "bia_stats"])
def test_database_passwords_are_root_only(appliance: testinfra.host.Host, role: str) -> None:
    secret = appliance.file(f"/etc/bia/credentials/db-{role}")
    assert secret.user == "root"
    assert secret.mode == 0o600
    assert len(secret.content_string.strip()) >= 32


def test_backend_runs_unprivileged_with_its_password_as_a_credential(
    appliance: testinfra.host.Host,
) -> None:
    assert "User=bia" in appliance.check_output("systemctl show bia-backend -p User")
    unit = appliance.check_output("systemctl cat bia-backend")
    assert "LoadCredential=db-password:/etc/bia/credentials/db-bia_app" in unit
    workers = appliance.process.filter(user="bia")
    assert workers, "no backend process runs as bia"
    assert not appliance.process.filter(user="root", comm="uvicorn")
    # The password is a credential, not an environment variable.
    secret = appliance.file("/etc/bia/credentials/db-bia_app").content_string.strip()
    for proc in workers:
        environ = appliance.file(f"/proc/{proc.pid}/environ").content_string
        assert secret not in environ


def test_healthz_over_tls_verifies_against_the_appliance_ca(lab: LabHost, ca_file: Path) -> None:
    trust = ssl.create_default_context(cafile=str(ca_file))
    response = httpx.get(f"https://{lab.address}/healthz", verify=trust, timeout=10)
    assert response.status_code == 200
    assert response.json()["database"]["status"] == "ok"
    hsts = response.headers["strict-transport-security"]
    assert "max-age=63072000" in hsts
    assert response.headers["x-content-type-options"] == "nosniff"


def test_healthz_fails_to_verify_without_the_ca(lab: LabHost) -> None:
    with pytest.raises(httpx.ConnectError, match="CERTIFICATE_VERIFY_FAILED"):
        httpx.get(f"https://{lab.address}/healthz", timeout=10)


def test_tls_below_1_3_is_refused(lab: LabHost, ca_file: Path) -> None:
    context = ssl.create_default_context(cafile=str(ca_file))
    context.maximum_version = ssl.TLSVersion.TLSv1_2
    with (
        socket.create_connection((lab.address, 443), timeout=10) as raw,
        pytest.raises(ssl.SSLError),
    ):
        context.wrap_socket(raw, server_hostname=lab.address)


def test_port_80_only_redirects_to_https(lab: LabHost) -> None:
    response = httpx.get(
        f"http://{lab.address}/healthz", headers={"Host": "evil.example"}, timeout=10
    )
    assert response.status_code == 308
    assert response.headers["location"] == f"https://{lab.address}/healthz"


def test_backend_port_is_not_reachable_from_outside(lab: LabHost) -> None:
    with pytest.raises(OSError):
        socket.create_connection((lab.address, 8000), timeout=3).close()


def test_the_lab_host_has_no_way_out_but_the_apt_proxy(lab: LabHost) -> None:
    routes = subprocess.run(
        [*lab.ssh_args(), "ip route"], capture_output=True, text=True, check=True
    ).stdout
    assert "default" not in routes
    direct = subprocess.run(
        [*lab.ssh_args(), "curl --noproxy '*' -sS -m 5 -o /dev/null http://deb.debian.org/"],
        capture_output=True,
        text=True,
        check=False,
    )
    assert direct.returncode != 0
    proxied = subprocess.run(
        [
            *lab.ssh_args(),
            "apt-get -q --print-uris download base-files >/dev/null && "
            "curl -sS -m 20 -o /dev/null -w '%{http_code}' -x http://10.88.0.1:3142 "
            "http://deb.debian.org/debian/dists/trixie/Release",
        ],
        capture_output=True,
        text=True,
        check=False,
    )
    assert proxied.stdout.strip() == "200", proxied.stderr
