"""Compliance checks against a deployed appliance: the lab by default, or any inventory host
with BIA_COMPLIANCE_INVENTORY=inventory/x.py (`make compliance INVENTORY=...`).

Every run writes artifacts/compliance/report.{json,md}.
"""

from __future__ import annotations

import os
import runpy
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
import testinfra

from roles.lib.settings import parse
from tests.e2e.compliance.checks import Target
from tests.e2e.compliance.report import Report

REPO = Path(__file__).resolve().parents[3]
REPORT = Report()


def _inventory_host(path: str, env: dict[str, str]) -> tuple[str, dict[str, Any]]:
    saved = dict(os.environ)
    os.environ.update(env)
    try:
        hosts = runpy.run_path(str(REPO / path))["hosts"]
    finally:
        os.environ.clear()
        os.environ.update(saved)
    if len(hosts) != 1:
        raise pytest.UsageError(f"{path}: the compliance run audits one host, found {len(hosts)}")
    return hosts[0][0], hosts[0][1]


@pytest.fixture(scope="session")
def target(request: pytest.FixtureRequest) -> Iterator[Target]:
    inventory = os.environ.get("BIA_COMPLIANCE_INVENTORY")
    if inventory:
        address, data = _inventory_host(inventory, {})
        name = address
    else:
        lab = request.getfixturevalue("lab")  # a freshly deployed lab host
        address, data = _inventory_host("inventory/lab.py", {"BIA_LAB": lab.name})
        name = f"lab host {lab.name}"
    extra = []
    if data.get("ssh_known_hosts_file"):
        extra.append(f"-o UserKnownHostsFile={data['ssh_known_hosts_file']}")
    extra.append("-o StrictHostKeyChecking=yes")
    host = testinfra.get_host(
        f"ssh://{data.get('ssh_user', 'debian')}@{address}",
        ssh_identity_file=data.get("ssh_key"),
        ssh_extra_args=" ".join(extra),
        sudo=True,
    )
    settings = parse(data.get("bia"), address)
    virt = host.run("systemd-detect-virt --container").stdout.strip()
    container = "" if virt in ("", "none") else virt
    REPORT.host = name
    REPORT.environment = f"a container ({container})" if container else "a VM or bare metal"
    REPORT.waivers = dict(settings.hardening.waivers)
    ssh = ["ssh", "-o", "BatchMode=yes", "-o", "StrictHostKeyChecking=yes"]
    if data.get("ssh_key"):
        ssh += ["-i", str(data["ssh_key"]), "-o", "IdentitiesOnly=yes"]
    if data.get("ssh_known_hosts_file"):
        ssh += ["-o", f"UserKnownHostsFile={data['ssh_known_hosts_file']}"]
    ssh.append(f"{data.get('ssh_user', 'debian')}@{address}")
    yield Target(name, address, host, container, dict(settings.hardening.waivers), ssh)


@pytest.fixture(scope="session")
def report() -> Report:
    return REPORT


def pytest_runtest_logreport(report: pytest.TestReport) -> None:
    props = dict(report.user_properties)
    control_id = props.get("control")
    if control_id is None or report.when not in ("setup", "call"):
        return
    if report.when == "setup" and report.passed:
        return
    if report.failed:
        status = "fail" if report.when == "call" else "error"
    elif report.skipped:
        status = str(props.get("status", "not applicable"))
    else:
        status = "pass"
    REPORT.record(
        str(control_id),
        status,
        observed=str(props.get("observed", "")),
        reason=str(props.get("reason", "")),
    )


def pytest_sessionfinish(session: pytest.Session) -> None:
    directory = REPORT.write()
    if directory is not None:
        print(f"\ncompliance report: {directory}/report.md and report.json")
