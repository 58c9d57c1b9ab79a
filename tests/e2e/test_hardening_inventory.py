"""An inventory that would weaken a hardening control stops the deploy and names the control."""

from __future__ import annotations

from pathlib import Path

import pytest

from tests.lab import deploy
from tests.lab.host import LabHost

pytestmark = pytest.mark.lab


def _inventory(lab: LabHost, tmp_path: Path, hardening: str) -> str:
    path = tmp_path / "weakened.py"
    path.write_text(
        f"hosts = [({lab.address!r}, {{'ssh_user': {lab.ssh_user!r}, "
        f"'ssh_key': {lab.ssh_key!r}, 'ssh_known_hosts_file': {lab.known_hosts!r}, "
        f"'_sudo': True, 'bia': {{'domain': {lab.address!r}, 'hardening': {hardening}}}}})]\n"
    )
    return str(path)


def test_opening_a_port_without_a_waiver_names_the_control(lab: LabHost, tmp_path: Path) -> None:
    result = deploy.run(
        lab.name, inventory=_inventory(lab, tmp_path, "{'extra_tcp_ports': [8443]}")
    )
    assert result.returncode != 0
    assert "bia.hardening" in result.output
    assert "fw-06" in result.output
    assert "nothing was changed" in result.output
    assert "Starting operation" not in result.output


def test_a_core_control_cannot_be_waived(lab: LabHost, tmp_path: Path) -> None:
    waiver = "{'waivers': {'ssh-02': 'the operator prefers passwords to keys here'}}"
    result = deploy.run(lab.name, inventory=_inventory(lab, tmp_path, waiver))
    assert result.returncode != 0
    assert "ssh-02" in result.output and "cannot be waived" in result.output
    assert "Starting operation" not in result.output
