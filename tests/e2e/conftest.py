"""The lab appliance for end-to-end tests: a fresh Debian 13 host, deployed once per session.

Set BIA_KEEP_LAB=1 to leave it running afterwards (for poking at it), BIA_E2E_REUSE=1 to
re-deploy a lab host that is already up instead of making a fresh one (a quicker loop
while working on one test; the cold-deploy tests then say nothing new), and BIA_E2E_LAB to
use another lab host name (so that two test runs on one machine do not collide; the
interrupted-deploy test uses that name plus "b").
"""

from __future__ import annotations

import os
import subprocess
from collections.abc import Iterator
from pathlib import Path

import pytest
import testinfra

from tests.lab import deploy, host
from tests.lab.host import LabHost

LAB = os.environ.get("BIA_E2E_LAB", "e2e")


@pytest.fixture(scope="session")
def lab() -> Iterator[LabHost]:
    reuse = os.environ.get("BIA_E2E_REUSE") and host.load(LAB) is not None
    if not reuse:
        host.down(LAB)  # a fresh host: the first deploy is a cold one
    lab_host = host.up(LAB)
    result = deploy.run(LAB)
    if result.returncode != 0:
        pytest.fail(f"the cold deploy failed:\n{result.output[-6000:]}")
    print(f"\ncold deploy: {result.seconds:.1f} s")
    yield lab_host
    if not os.environ.get("BIA_KEEP_LAB") and not reuse:
        host.down(LAB)


@pytest.fixture(scope="session")
def appliance(lab: LabHost) -> testinfra.host.Host:
    """testinfra's view of the deployed lab host, over the same pinned SSH as pyinfra."""
    return testinfra.get_host(
        f"ssh://{lab.ssh_user}@{lab.address}",
        ssh_identity_file=lab.ssh_key,
        ssh_extra_args=f"-o UserKnownHostsFile={lab.known_hosts} -o StrictHostKeyChecking=yes",
        sudo=True,
    )


@pytest.fixture(scope="session")
def ca_file(lab: LabHost, tmp_path_factory: pytest.TempPathFactory) -> Path:
    """The appliance CA certificate, fetched as an operator would (over SSH)."""
    pem = subprocess.run(
        [*lab.ssh_args(), "cat /etc/bia/tls/ca.crt"], capture_output=True, text=True, check=True
    ).stdout
    path = tmp_path_factory.mktemp("ca") / "ca.crt"
    path.write_text(pem)
    return path
