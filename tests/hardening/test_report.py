"""The compliance report: every status counted apart, waivers listed, both files written."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from tests.e2e.compliance.report import Report


def test_report_counts_statuses_apart_and_lists_waivers(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("BIA_COMPLIANCE_REPORT_DIR", str(tmp_path))
    report = Report(host="lab host x", environment="a container (systemd-nspawn)")
    report.waivers = {"ssh-11": "X11 for a legacy tool, reviewed by the operator"}
    report.record("ssh-01", "pass", observed="no")
    report.record("kern-02", "not applicable", reason="host kernel")
    report.record("ssh-11", "waived", reason=report.waivers["ssh-11"])
    report.record("fw-06", "fail", observed="22,80,443,8080")
    report.scanners["lynis"] = {"status": "pass", "detail": "hardening index 80"}
    assert report.write() == tmp_path

    data = json.loads((tmp_path / "report.json").read_text())
    assert data["summary"] == {
        "pass": 1,
        "fail": 1,
        "not applicable": 1,
        "waived": 1,
        "error": 0,
    }
    assert [c["id"] for c in data["controls"]] == ["fw-06", "kern-02", "ssh-01", "ssh-11"]
    markdown = (tmp_path / "report.md").read_text()
    assert "| ssh-11 | X11 for a legacy tool, reviewed by the operator |" in markdown
    assert "| kern-02 |" in markdown and "**not applicable**" in markdown
    assert "| lynis | pass | hardening index 80 |" in markdown


def test_an_empty_run_writes_no_report(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("BIA_COMPLIANCE_REPORT_DIR", str(tmp_path))
    assert Report().write() is None
    assert not list(tmp_path.iterdir())
