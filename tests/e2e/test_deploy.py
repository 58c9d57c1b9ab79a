"""The deploy itself: idempotent by pyinfra's own report, safe with bad input, resumable."""

from __future__ import annotations

import os
import signal
import subprocess
from pathlib import Path

import pytest

from tests.lab import deploy, host
from tests.lab.host import LabHost

pytestmark = pytest.mark.lab


def test_a_second_deploy_changes_nothing(lab: LabHost) -> None:
    result = deploy.run(lab.name)
    assert result.returncode == 0, result.output[-4000:]
    assert result.report, "pyinfra printed no results table"
    assert result.changed == [], f"a no-op re-deploy changed: {result.changed}"
    # Migrations are checked on every deploy, and run only when the schema is behind.
    migrations = subprocess.run(
        [*lab.ssh_args(), "sudo journalctl -u bia-migrate.service --no-pager -o cat"],
        capture_output=True,
        text=True,
        check=True,
    ).stdout
    assert migrations.count("Finished bia-migrate.service") == 1, migrations


def test_bad_inventory_stops_before_touching_the_host(lab: LabHost, tmp_path: Path) -> None:
    inventory = tmp_path / "bad.py"
    inventory.write_text(
        f"hosts = [({lab.address!r}, {{'ssh_user': {lab.ssh_user!r}, "
        f"'ssh_key': {lab.ssh_key!r}, 'ssh_known_hosts_file': {lab.known_hosts!r}, "
        "'_sudo': True, 'bia': {'domain': 'https://bia.example.org/', "
        "'tls': {'mode': 'self-signed'}}})]\n"
    )
    result = deploy.run(lab.name, inventory=str(inventory))
    assert result.returncode != 0
    assert "bia.domain" in result.output
    assert "bia.tls.mode" in result.output
    assert "nothing was changed" in result.output
    assert "Starting operation" not in result.output


def test_an_interrupted_deploy_is_completed_by_a_rerun(lab: LabHost) -> None:
    """Kill the deploy of a second lab host midway; the next deploy must finish the job.

    It also shows two lab hosts running side by side.
    """
    second = host.up(f"{lab.name}b")
    try:
        assert second.address != lab.address
        assert host.is_running(lab) and host.is_running(second)
        proc = subprocess.Popen(
            deploy.command(),
            cwd=deploy.REPO,
            env={**os.environ, "BIA_LAB": second.name},
            stdout=subprocess.PIPE,
            stderr=subprocess.STDOUT,
            text=True,
            start_new_session=True,
        )
        assert proc.stdout is not None
        seen = []
        for line in proc.stdout:
            seen.append(line)
            if "Starting operation: backend | Upload the wheelhouse" in line:
                os.killpg(proc.pid, signal.SIGKILL)
                break
        proc.wait()
        assert proc.returncode == -signal.SIGKILL, "".join(seen)[-3000:]

        rerun = deploy.run(second.name)
        assert rerun.returncode == 0, rerun.output[-4000:]
        health = subprocess.run(
            [
                *second.ssh_args(),
                f"curl -fsS --cacert /etc/bia/tls/ca.crt https://{second.address}/healthz",
            ],
            capture_output=True,
            text=True,
            check=False,
        )
        assert health.returncode == 0, health.stderr
        assert '"status":"ok"' in health.stdout
    finally:
        host.down(second.name)
