"""Independent scanners, run against the audited host from the control machine.

Each is a Debian package installed on the control machine (Makefile HOST_PACKAGES):
lynis (copied to the host for the audit, removed afterwards), ssh-audit and testssl.sh
(both scan over the network).
"""

from __future__ import annotations

import json
import re
import subprocess
from dataclasses import dataclass
from pathlib import Path

REPO = Path(__file__).resolve().parents[3]
LYNIS_CONTAINER_PROFILE = REPO / "policies" / "lynis-container.prf"
SSH_AUDIT_POLICY = REPO / "policies" / "ssh-audit-policy.txt"
WORK = "/tmp/bia-lynis"  # on the audited host; removed after the run


@dataclass(frozen=True)
class LynisResult:
    hardening_index: int
    tests_done: int
    warnings: list[str]
    skipped_for_container: list[str]
    report: str


def lynis(ssh: list[str], container: bool) -> LynisResult:
    """``lynis audit system --quick`` on the host, with the container profile if it is one."""
    bundle = subprocess.run(
        ["tar", "-C", "/", "-cz", "usr/sbin/lynis", "usr/share/lynis", "etc/lynis"],
        capture_output=True,
        check=True,
    ).stdout
    profile = LYNIS_CONTAINER_PROFILE.read_text() if container else ""
    skipped = re.findall(r"^skip-test=(\S+)", profile, re.MULTILINE)
    script = (
        f"set -e; rm -rf {WORK}; mkdir -p {WORK}; tar -xz -C {WORK}; "
        f"cd {WORK}/usr/share/lynis; cp ../../sbin/lynis ./lynis; "
        "cp -r ../../../etc/lynis/plugins ./plugins; cp ../../../etc/lynis/default.prf .; "
        + (
            "printf '%s\\n' "
            + " ".join(f"'skip-test={test}'" for test in skipped)
            + " > custom.prf; "
            if profile
            else ""
        )
        + f"./lynis audit system --quick --no-colors --report-file {WORK}/report.dat "
        f"--log-file {WORK}/lynis.log > {WORK}/out.txt 2>&1 || true; "
        f"cat {WORK}/report.dat; rm -rf {WORK}"
    )
    result = subprocess.run(
        [*ssh, f"sudo sh -c {_quote(script)}"],
        input=bundle,
        capture_output=True,
        check=False,
        timeout=600,
    )
    report = result.stdout.decode(errors="replace")
    index = re.search(r"^hardening_index=(\d+)", report, re.MULTILINE)
    if not index:
        raise AssertionError(f"lynis produced no hardening index: {result.stderr.decode()[-2000:]}")
    done = re.search(r"^lynis_tests_done=(\d+)", report, re.MULTILINE)
    return LynisResult(
        hardening_index=int(index.group(1)),
        tests_done=int(done.group(1)) if done else 0,
        warnings=re.findall(r"^warning\[\]=([^|]+\|[^|]+)", report, re.MULTILINE),
        skipped_for_container=skipped,
        report=report,
    )


def _quote(text: str) -> str:
    return "'" + text.replace("'", "'\"'\"'") + "'"


@dataclass(frozen=True)
class SshAuditResult:
    failures: list[str]
    warnings: list[str]
    cves: list[str]
    policy_passed: bool
    policy_output: str


def ssh_audit(address: str, port: int = 22) -> SshAuditResult:
    """ssh-audit's findings (its text output: the 2.5 JSON carries no verdicts) and its
    policy audit against policies/ssh-audit-policy.txt."""
    scan = subprocess.run(
        ["ssh-audit", "-n", "-l", "warn", "-p", str(port), address],
        capture_output=True,
        text=True,
        check=False,
        timeout=120,
    )
    failures: list[str] = []
    warnings: list[str] = []
    cves: list[str] = []
    for line in scan.stdout.splitlines():
        found = re.match(r"^\((kex|key|enc|mac|fin|gen)\) (\S+)\s+-- \[(fail|warn)\] (.*)", line)
        if found:
            section, name, level, note = found.groups()
            (failures if level == "fail" else warnings).append(f"{section} {name}: {note}")
        cve = re.match(r"^\(cve\) (CVE-\d{4}-\d+)", line)
        if cve:
            cves.append(cve.group(1))
    if not scan.stdout.strip():
        failures.append(f"ssh-audit printed nothing: {scan.stderr[-500:]}")
    policy = subprocess.run(
        ["ssh-audit", "-n", "-p", str(port), "-P", str(SSH_AUDIT_POLICY), address],
        capture_output=True,
        text=True,
        check=False,
        timeout=120,
    )
    passed = policy.returncode == 0 and "Result: ✔ Passed" in policy.stdout
    return SshAuditResult(failures, warnings, cves, passed, policy.stdout)


@dataclass(frozen=True)
class TestsslResult:
    offered_protocols: list[str]
    vulnerable: list[str]
    findings: int


PROTOCOL_IDS = ("SSLv2", "SSLv3", "TLS1", "TLS1_1", "TLS1_2", "TLS1_3")
SEVERE = ("MEDIUM", "HIGH", "CRITICAL")


def testssl(address: str, ca_file: Path, json_file: Path) -> TestsslResult:
    """testssl.sh: protocols (-p) and vulnerabilities (-U), trusting the appliance's CA."""
    json_file.unlink(missing_ok=True)
    subprocess.run(
        [
            "testssl",
            "--quiet",
            "--color",
            "0",
            "--warnings",
            "off",
            "--add-ca",
            str(ca_file),
            "-p",
            "-U",
            "--jsonfile",
            str(json_file),
            f"{address}:443",
        ],
        capture_output=True,
        text=True,
        check=False,
        timeout=600,
    )
    findings = json.loads(json_file.read_text())
    offered = [
        f["id"] for f in findings if f["id"] in PROTOCOL_IDS and f["finding"].startswith("offered")
    ]
    vulnerable = [
        f"{f['id']}: {f['finding']}"
        for f in findings
        if f["id"] not in PROTOCOL_IDS and f.get("severity") in SEVERE
    ]
    return TestsslResult(offered, vulnerable, len(findings))
