"""The desktop client, end to end on the lab appliance, the way a patient gets it.

The download page's own command blocks are run as written: fetch the appliance CA and
compare its fingerprint, download the package over TLS checked against that CA, verify
its SHA-256 and the appliance's Ed25519 signature, install it into a clean virtual
environment. Then the installed client runs under Xvfb with a private D-Bus session and
an unlocked gnome-keyring; the patient signs in through the real Keycloak (Chromium
plays the system browser), logs a meal, a symptom and a bowel movement by typing and
clicking in the page, and the screen lock empties the window. The appliance is then
asked, as that user, what it holds. A tampered package never gets as far as pip.
"""

from __future__ import annotations

import hashlib
import json
import os
import shlex
import shutil
import subprocess
import zipfile
from collections.abc import Iterator
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

import httpx
import pytest
import testinfra
from playwright.sync_api import Browser
from playwright.sync_api import Error as PlaywrightError

from app.cli.login import LoginClient
from app.rpc.journal.v1 import journal_pb2 as pb
from app.rpc.journal.v1 import journal_pb2_grpc
from tests.desktop.session import unix_user
from tests.e2e import test_login as login_tests
from tests.e2e.desktop_session import ROOT, VENV, blocks, install, run_session, shell
from tests.e2e.test_journal_api import _sign_in
from tests.e2e.test_login import CHROMIUM, CHROMIUM_ARGS, new_user
from tests.lab.host import LabHost
from tests.lab.welcome import fingerprint_handout

pytestmark = pytest.mark.lab
browser = login_tests.browser
page = login_tests.page
client = login_tests.client

ARTIFACTS = ROOT / "artifacts" / "desktop-e2e"


@pytest.fixture(scope="module")
def download_page(lab: LabHost, ca_file: Path) -> httpx.Response:
    response = httpx.get(f"https://{lab.address}/download/", verify=str(ca_file), timeout=15)
    assert response.status_code == 200, response.text[:500]
    return response


@pytest.fixture(scope="module")
def steps(download_page: httpx.Response) -> dict[str, str]:
    found = blocks(download_page.text)
    assert {"requirements", "download", "browser", "install", "start", "signing-key"} <= set(found)
    return found


@pytest.fixture(scope="module")
def handout(lab: LabHost, ca_file: Path) -> list[str]:
    """The two fingerprint lines the operator hands patients (as `make lab` prints them)."""
    return fingerprint_handout(lab, str(ca_file))


@pytest.fixture(scope="module")
def downloaded(
    steps: dict[str, str], handout: list[str], tmp_path_factory: pytest.TempPathFactory
) -> Path:
    """A home folder after step 2 of the page. Returns the home folder."""
    home = tmp_path_factory.mktemp("patient")
    run = shell(steps["download"], home)
    assert run.returncode == 0, run.stderr
    # What the patient compares with the fingerprints their clinic gave them.
    authority, signing_key = handout
    assert f"{authority}\n" in run.stdout
    assert f"{signing_key}\n" in run.stdout
    # Exactly the certificate that was fingerprinted is kept (a second one appended by
    # someone in the middle would otherwise be trusted by every later curl --cacert).
    saved = (home / "bia-download" / "bia-ca.crt").read_text()
    assert saved.count("BEGIN CERTIFICATE") == 1
    return home


def test_the_page_offers_the_package_with_its_checksum_signature_and_key(
    lab: LabHost, download_page: httpx.Response, steps: dict[str, str], downloaded: Path
) -> None:
    folder = downloaded / "bia-download"
    wheel = next(folder.glob("bia_desktop-*.whl"))
    digest = hashlib.sha256(wheel.read_bytes()).hexdigest()
    assert f'<code id="sha256">{digest}</code>' in download_page.text
    assert steps["signing-key"] == (folder / "bia-signing.pub").read_text()
    assert "<script" not in download_page.text
    csp = download_page.headers["content-security-policy"]
    assert "default-src 'none'" in csp and "script-src" not in csp
    assert download_page.headers["strict-transport-security"].startswith("max-age=")
    assert wheel.stat().st_size < 5 * 1024 * 1024
    # Only over TLS that checks out: plain HTTP redirects, and an unknown CA is refused.
    plain = httpx.get(f"http://{lab.address}/download/", timeout=15)
    assert plain.status_code == 308
    assert plain.headers["location"] == f"https://{lab.address}/download/"
    with pytest.raises(httpx.ConnectError, match="CERTIFICATE_VERIFY_FAILED"):
        httpx.get(f"https://{lab.address}/download/", timeout=15)


def test_the_signing_key_stays_on_the_appliance_and_only_its_public_half_is_served(
    appliance: testinfra.host.Host, lab: LabHost, ca_file: Path, downloaded: Path
) -> None:
    key = appliance.file("/etc/bia/signing/client-ed25519.key")
    assert (key.user, key.group, key.mode) == ("root", "root", 0o600)
    assert appliance.file("/etc/bia/signing").mode == 0o700
    public = appliance.check_output("openssl pkey -in /etc/bia/signing/client-ed25519.key -pubout")
    served = (downloaded / "bia-download" / "bia-signing.pub").read_text()
    assert served.strip() == public.strip()
    served_files = appliance.check_output("ls -A /var/lib/bia/download/current").split()
    wheels = [name for name in served_files if name.endswith(".whl")]
    assert len(wheels) == 1
    wheel = wheels[0]
    public = ["bia-ca.crt", "bia-signing.pub", "download.css", "index.html"]
    assert sorted(served_files) == sorted([*public, wheel, f"{wheel}.sha256", f"{wheel}.sig"])
    for path in ("..%2f..%2f..%2f..%2fetc/bia/signing/client-ed25519.key", "%2e%2e/", ".."):
        raw = httpx.get(f"https://{lab.address}/download/{path}", verify=str(ca_file), timeout=15)
        assert raw.status_code in (400, 403, 404), (path, raw.status_code)
        assert "PRIVATE KEY" not in raw.text


def test_the_package_also_installs_and_loads_on_debian_13s_python(
    appliance: testinfra.host.Host, lab: LabHost
) -> None:
    """The same wheel on another Python (the lab host's 3.13; this machine's is 3.11):
    its code and vendored dependencies load, with protobuf in pure Python. (No GTK there:
    the window itself is tested on this machine.)"""
    check = (
        "import sys, bia_desktop.grpc_transport, bia_desktop.appliance as a, keyring, webview\n"
        "from google.protobuf.internal import api_implementation as impl\n"
        "print(sys.version_info[:2], impl.Type(), a.baked().host)\n"
    )
    out = appliance.check_output(
        "set -e; d=$(mktemp -d); python3 -m venv $d/venv; "
        "$d/venv/bin/pip install -q --no-index --no-deps /var/lib/bia/download/current/*.whl; "
        f"$d/venv/bin/python -c {shlex.quote(check)}; rm -rf $d"
    )
    assert out.endswith(f"(3, 13) python {lab.address}"), out


def test_the_browser_step_makes_chromium_trust_the_appliance_and_nothing_else(
    lab: LabHost, steps: dict[str, str], downloaded: Path, browser: Browser, tmp_path: Path
) -> None:
    home = tmp_path / "home"
    shutil.copytree(downloaded, home)
    url = f"https://{lab.address}/download/"

    def visit() -> str:
        chromium = browser.browser_type.launch(
            executable_path=CHROMIUM, args=CHROMIUM_ARGS, env={**os.environ, "HOME": str(home)}
        )
        try:
            tab = chromium.new_page()
            tab.goto(url)
            return tab.title()
        finally:
            chromium.close()

    with pytest.raises(PlaywrightError, match="ERR_CERT_AUTHORITY_INVALID"):
        visit()
    trusted = shell(steps["browser"], home)
    assert trusted.returncode == 0, trusted.stderr
    assert visit().startswith("Bia for your desktop")
    listed = subprocess.run(  # one authority added, this appliance's
        ["certutil", "-d", f"sql:{home}/.pki/nssdb", "-L"],
        capture_output=True,
        text=True,
        check=True,
    )
    assert listed.stdout.count("Bia appliance") == 1


def _rezip_with(wheel: Path, name: str, data: bytes) -> None:
    with zipfile.ZipFile(wheel) as zf:
        entries = {n: zf.read(n) for n in zf.namelist()}
    entries[name] = data
    with zipfile.ZipFile(wheel, "w", compression=zipfile.ZIP_DEFLATED) as zf:
        for entry, content in entries.items():
            zf.writestr(entry, content)


@pytest.mark.parametrize("tamper", ["package", "package-and-checksum", "signature"])
def test_a_tampered_package_fails_verification_and_nothing_from_it_runs(
    steps: dict[str, str], downloaded: Path, tmp_path: Path, tamper: str
) -> None:
    home = tmp_path / "home"
    shutil.copytree(downloaded, home)
    folder = home / "bia-download"
    wheel = next(folder.glob("bia_desktop-*.whl"))
    marker = home / "ran"
    if tamper.startswith("package"):
        # What an attacker wants: the client code changed (here, to leave a mark on start).
        with zipfile.ZipFile(wheel) as zf:
            init = zf.read("bia_desktop/__init__.py")
        payload = f"open({str(marker)!r}, 'w').write('ran')\n".encode()
        _rezip_with(wheel, "bia_desktop/__init__.py", init + payload)
    if tamper == "package-and-checksum":
        digest = hashlib.sha256(wheel.read_bytes()).hexdigest()
        (folder / f"{wheel.name}.sha256").write_text(f"{digest}  {wheel.name}\n")
    if tamper == "signature":
        sig = folder / f"{wheel.name}.sig"
        raw = bytearray(sig.read_bytes())
        raw[10] ^= 0x01
        sig.write_bytes(bytes(raw))
    run = shell(steps["install"], home)  # it verifies first, then installs
    assert run.returncode != 0
    expected = "FAILED" if tamper == "package" else "Signature Verification Failure"
    assert expected in run.stdout + run.stderr
    assert not (home / VENV).exists()  # the install step never started
    assert not marker.exists()


def test_an_update_is_checked_against_the_key_saved_at_first_install(
    steps: dict[str, str], downloaded: Path, tmp_path: Path
) -> None:
    """Step 2 again (an update) keeps the authority and key saved the first time: had
    the appliance's key been swapped since, the new package would not verify."""
    home = tmp_path / "home"
    shutil.copytree(downloaded, home)
    folder = home / "bia-download"
    subprocess.run(
        ["openssl", "genpkey", "-algorithm", "ed25519", "-out", tmp_path / "other.key"], check=True
    )
    other = subprocess.run(
        ["openssl", "pkey", "-in", tmp_path / "other.key", "-pubout"],
        capture_output=True, text=True, check=True,
    ).stdout  # fmt: skip
    (folder / "bia-signing.pub").write_text(other)  # what the patient trusted first
    again = shell(steps["download"], home)
    assert again.returncode == 0, again.stderr
    assert (folder / "bia-signing.pub").read_text() == other  # not fetched again
    run = shell(steps["install"], home)
    assert run.returncode != 0 and "Signature Verification Failure" in run.stdout + run.stderr
    assert not (home / VENV).exists()


@pytest.fixture(scope="module")
def installed(steps: dict[str, str], downloaded: Path) -> Path:
    """Steps 3 and 4 of the page (step 5 starts the app: the test's driver does that)."""
    venv, output = install(steps, downloaded)
    assert ": OK" in output and "Signature Verified Successfully" in output
    assert (venv / "bin" / "bia").exists()
    return venv


def test_the_installed_client_pins_this_appliance(
    installed: Path, lab: LabHost, ca_file: Path
) -> None:
    found = list(installed.glob("lib/python3*/site-packages/bia_desktop/appliance.json"))
    assert len(found) == 1
    appliance = json.loads(found[0].read_text())
    assert (appliance["host"], appliance["port"]) == (lab.address, 443)
    assert appliance["ca_pem"].strip() == ca_file.read_text().strip()


@pytest.fixture(scope="module")
def computer_user() -> Iterator[tuple[str, str]]:
    """The computer's user, whose password unlocks the client (checked by PAM)."""
    if os.geteuid() != 0:
        pytest.skip("making a test user needs root")
    with unix_user("biae2e") as made:
        yield made


@pytest.fixture(scope="module")
def session(
    installed: Path,
    downloaded: Path,
    lab: LabHost,
    browser: Browser,
    computer_user: tuple[str, str],
) -> dict[str, Any]:
    username, password, _sub = new_user(lab)
    shutil.rmtree(ARTIFACTS, ignore_errors=True)
    report = run_session(
        installed, downloaded, browser.browser_type, (username, password), computer_user, ARTIFACTS
    )
    report["keycloak_user"] = (username, password)
    return report


def test_a_patient_signs_in_and_logs_through_the_installed_client(
    session: dict[str, Any], lab: LabHost, installed: Path
) -> None:
    assert session["package"].startswith(str(installed))  # the installed copy ran
    assert session["login_url"].startswith(f"https://{lab.address}/realms/bia/")
    assert session["pending_after_writes"] == 0
    assert "day shows three entries" in session["steps"]


def test_the_appliance_holds_what_was_logged_for_that_user(
    session: dict[str, Any], client: LoginClient, page: Any
) -> None:
    username, password = session["keycloak_user"]
    token = _sign_in(client, page, username, password)
    journal = journal_pb2_grpc.JournalStub(client.channel)  # type: ignore[no-untyped-call]
    day = journal.GetTimeline(
        pb.TimelineRequest(day=datetime.now(UTC).date().isoformat()),
        metadata=(("authorization", f"Bearer {token}"),),
        timeout=15,
    )
    by_kind = {e.kind: e for e in day.entries}
    assert sorted(by_kind) == ["bowel_movement", "meal", "symptom"]
    items = [(i.food_name, i.amount, i.unit) for i in by_kind["meal"].meal.items]
    assert items == [("oats, rolled", 60.0, "g"), ("banana, firm", 1.0, "serving")]
    assert by_kind["symptom"].symptom.kind == "bloating"
    assert by_kind["symptom"].symptom.severity == 7
    assert by_kind["bowel_movement"].bowel_movement.bristol == 4


def test_the_os_lock_empties_the_window_and_drops_the_token(session: dict[str, Any]) -> None:
    assert session["lock_reason"] == "os-screensaver"  # ActiveChanged on the session bus
    assert session["lock_seconds"] < 1.0
    assert session["token_in_memory_when_locked"] is False
    assert session["entries_in_page_when_locked"] == 0
    assert session["locked_after_wrong"] is True  # the wrong OS password, through PAM
    assert session["token_in_memory_after_unlock"] is True  # refreshed from the keychain


def test_no_token_reaches_the_page_and_the_refresh_token_is_only_in_the_keychain(
    session: dict[str, Any],
) -> None:
    # Access and refresh tokens from before and after the refresh on unlock.
    assert session["tokens_seen"] >= 3
    assert session["scripts_sent_to_page"] > 50  # every Api answer went through the recorder
    assert session["token_sent_to_page"] is False
    assert session["token_in_page_html"] is False
    assert session["refresh_token_in_keychain"] is True
    assert session["token_files"] == []


def test_screenshots_of_the_main_views(session: dict[str, Any]) -> None:
    expected = ["00-signed-out", "01-meal", "02-symptom", "03-bowel-movement", "04-day"]
    expected += ["05-week", "06-locked"]
    assert session["screenshots"] == [f"{name}.png" for name in expected]
    for name in session["screenshots"]:
        assert (ARTIFACTS / name).stat().st_size > 10_000
