"""The wheel: reproducible, small, pure Python, baked and signed for one appliance, and
once installed into a clean venv it starts to an interactive window on Debian's own
Python (python3-gi, WebKit2GTK) under Xvfb."""

import base64
import hashlib
import html
import http.server
import json
import ssl
import subprocess
import threading
import time
import zipfile
from collections.abc import Iterator
from functools import partial
from pathlib import Path

import pytest

from roles.client import client_build
from tests.desktop.session import (
    DBUS_RUN_SESSION,
    KEYRING_PASSWORD,
    client_env,
    have,
    process_group,
)
from tests.e2e.desktop_session import blocks, shell

pytestmark = pytest.mark.desktop
pytest.importorskip("webview")
pytest.importorskip("keyring")

ROOT = Path(__file__).resolve().parents[2]
SYSTEM_PYTHON = "/usr/bin/python3"


@pytest.fixture(scope="module")
def package(tmp_path_factory: pytest.TempPathFactory) -> Path:
    wheel: Path = client_build().build(tmp_path_factory.mktemp("build"))
    return wheel


def test_the_build_is_reproducible(package: Path, tmp_path: Path) -> None:
    again = client_build().build(tmp_path)
    assert again.read_bytes() == package.read_bytes()


def test_the_package_is_small_and_holds_only_pure_python_for_linux(package: Path) -> None:
    assert package.stat().st_size < 5 * 1024 * 1024
    names = zipfile.ZipFile(package).namelist()
    assert "bia_desktop/assets/index.html" in names
    assert "bia_desktop/_vendor/webview/platforms/gtk.py" in names
    assert "bia_desktop/_vendor/keyring/backends/SecretService.py" in names
    assert "bia_desktop/_vendor/grpclib/client.py" in names
    assert names[-1].endswith(".dist-info/RECORD")
    assert not [n for n in names if n.endswith((".dll", ".jar", ".exe", ".so"))]
    assert not [n for n in names if "keyrings/alt" in n]  # no file-based keyring inside
    assert "bia_desktop/appliance.json" not in names  # only a bake adds an appliance


def test_every_file_is_in_the_record_with_its_hash(package: Path) -> None:
    with zipfile.ZipFile(package) as zf:
        record_name = next(n for n in zf.namelist() if n.endswith(".dist-info/RECORD"))
        record = {
            line.split(",")[0]: line.split(",")[1]
            for line in zf.read(record_name).decode().splitlines()
        }
        for name in zf.namelist():
            if name == record_name:
                continue
            digest = hashlib.sha256(zf.read(name)).digest()
            expected = "sha256=" + base64.urlsafe_b64encode(digest).rstrip(b"=").decode()
            assert record[name] == expected, name


@pytest.fixture(scope="module")
def baked(package: Path, tmp_path_factory: pytest.TempPathFactory) -> Path:
    """A bake with a throwaway CA and signing key, as the appliance does it."""
    work = tmp_path_factory.mktemp("bake")
    subprocess.run(
        ["openssl", "req", "-x509", "-new", "-newkey", "ec", "-pkeyopt",
         "ec_paramgen_curve:P-256", "-nodes", "-keyout", "ca.key", "-out", "ca.crt",
         "-days", "2", "-subj", "/CN=Bia test CA"],
        cwd=work, check=True, capture_output=True,
    )  # fmt: skip
    subprocess.run(
        ["openssl", "genpkey", "-algorithm", "ed25519", "-out", "sign.key"], cwd=work, check=True
    )
    assert bake(package, work) == 0
    return work / "out" / "current"


def bake(package: Path, work: Path, *extra: str) -> int:
    return int(
        client_build().main(
            ["bake", "--wheel", str(package), "--name", "bia.test", "--host", "bia.test",
             "--ca", str(work / "ca.crt"), "--key", str(work / "sign.key"),
             "--out", str(work / "out"), *extra]
        )
    )  # fmt: skip


def test_a_bake_pins_the_appliance_and_signs_the_result(baked: Path) -> None:
    wheel = next(baked.glob("*.whl"))
    names = zipfile.ZipFile(wheel).namelist()
    appliance = json.loads(zipfile.ZipFile(wheel).read("bia_desktop/appliance.json"))
    ca_pem = (baked / "bia-ca.crt").read_text()
    assert appliance["host"] == "bia.test" and appliance["ca_pem"] == ca_pem
    der = ssl.PEM_cert_to_DER_cert(ca_pem)
    assert appliance["ca_sha256"] == hashlib.sha256(der).hexdigest()
    assert names[-1].endswith(".dist-info/RECORD")
    digest = hashlib.sha256(wheel.read_bytes()).hexdigest()
    assert (baked / f"{wheel.name}.sha256").read_text() == f"{digest}  {wheel.name}\n"
    verify = subprocess.run(
        ["openssl", "pkeyutl", "-verify", "-pubin", "-inkey", "bia-signing.pub", "-rawin",
         "-in", wheel.name, "-sigfile", f"{wheel.name}.sig"],
        cwd=baked, capture_output=True, text=True,
    )  # fmt: skip
    assert verify.returncode == 0, verify.stderr
    page = (baked / "index.html").read_text()
    assert digest in page and "<script" not in page
    fingerprint = ":".join(f"{b:02X}" for b in hashlib.sha256(der).digest())
    assert fingerprint not in page  # patients compare it with the clinic's, not the page's
    assert (baked / "bia-signing.pub").read_text() in html.unescape(page)


def test_the_signing_key_fingerprint_is_what_the_page_command_prints(baked: Path) -> None:
    der = subprocess.run(
        ["openssl", "pkey", "-pubin", "-in", "bia-signing.pub", "-outform", "DER"],
        cwd=baked, capture_output=True, check=True,
    ).stdout  # fmt: skip
    printed = hashlib.sha256(der).hexdigest()
    pem = (baked / "bia-signing.pub").read_text()
    assert client_build().signing_key_fingerprint(pem) == printed


def test_a_ca_file_with_a_second_certificate_is_refused(
    package: Path, baked: Path, tmp_path: Path
) -> None:
    work = baked.parent.parent
    doubled = tmp_path / "two.crt"
    doubled.write_text((work / "ca.crt").read_text() * 2)
    with pytest.raises(SystemExit, match="exactly one certificate"):
        client_build().main(
            ["bake", "--wheel", str(package), "--name", "bia.test", "--host", "bia.test",
             "--ca", str(doubled), "--key", str(work / "sign.key"), "--out", str(tmp_path / "o")]
        )  # fmt: skip


def test_an_ipv6_appliance_gets_bracketed_urls() -> None:
    page = client_build().download_page("v6", "fd00::5", 443, "w.whl", "0" * 64, "PEM")
    assert "https://[fd00::5]/download/w.whl" in page
    assert "https://fd00::5" not in page


def test_a_bake_reports_current_until_an_input_changes(
    package: Path, baked: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    work = baked.parent.parent
    capsys.readouterr()
    assert bake(package, work, "--check") == 0
    assert capsys.readouterr().out.strip() == "current"
    live = (work / "out" / "current").resolve()
    inode = live.stat().st_ino
    assert bake(package, work) == 0  # the same inputs again: the live release stays put
    assert (work / "out" / "current").resolve() == live and live.stat().st_ino == inode
    assert "is current" in capsys.readouterr().out
    subprocess.run(
        ["openssl", "genpkey", "-algorithm", "ed25519", "-out", "other.key"], cwd=work, check=True
    )
    other = client_build().main(
        ["bake", "--check", "--wheel", str(package), "--name", "bia.test", "--host", "bia.test",
         "--ca", str(work / "ca.crt"), "--key", str(work / "other.key"), "--out", str(work / "out")]
    )  # fmt: skip
    assert other == 0 and capsys.readouterr().out.strip() == "stale"


@pytest.mark.skipif(
    not (
        have("xvfb-run", "dbus-run-session", "gnome-keyring-daemon")
        and Path(SYSTEM_PYTHON).exists()
    ),
    reason="needs xvfb, dbus, gnome-keyring and Debian's python3",
)
def test_it_installs_into_a_clean_venv_and_starts_to_an_interactive_window(
    package: Path, tmp_path: Path
) -> None:
    venv = tmp_path / "venv"
    subprocess.run([SYSTEM_PYTHON, "-m", "venv", "--system-site-packages", str(venv)], check=True)
    subprocess.run(
        [venv / "bin" / "pip", "install", "-q", "--no-index", "--no-deps", str(package)],
        check=True,
    )
    ready = tmp_path / "ready.json"
    script = (
        f"printf %s {KEYRING_PASSWORD} | gnome-keyring-daemon --unlock --components=secrets"
        ' >/dev/null && exec "$0" --report-ready "$1"'
    )
    env = client_env(tmp_path)
    del env["PYTHONPATH"]  # nothing from this checkout: only what is in the package
    command = [
        "xvfb-run", "-a", *DBUS_RUN_SESSION, "bash", "-c", script, str(venv / "bin" / "bia"),
        str(ready),
    ]  # fmt: skip
    started = time.time()
    with process_group(command, env=env, stdout=subprocess.DEVNULL, stderr=subprocess.PIPE) as app:
        deadline = time.monotonic() + 60
        while not ready.exists() or not ready.read_text():
            assert app.poll() is None, app.stderr.read() if app.stderr else ""
            assert time.monotonic() < deadline, "no interactive window within 60 s"
            time.sleep(0.05)
        report = json.loads(ready.read_text())
    seconds = report["ready_at"] - started
    print(f"\ninteractive after {seconds:.2f} s; Python process RSS {report['python_rss_kib']} KiB")
    assert seconds < 20  # a loose bound for a busy CI machine; the figure is what matters


def _openssl(*args: str, cwd: Path) -> None:
    subprocess.run(["openssl", *args], cwd=cwd, check=True, capture_output=True)


@pytest.fixture
def man_in_the_middle(baked: Path, tmp_path: Path) -> Iterator[tuple[int, Path]]:
    """Someone between the patient and the appliance, on the first download: a TLS
    server with a certificate from their own CA, serving a bia-ca.crt that holds the
    real appliance CA (so its fingerprint matches the clinic's) with theirs appended,
    and their own signing key. Yields (port, the folder it serves)."""
    _openssl("req", "-x509", "-new", "-newkey", "ec", "-pkeyopt", "ec_paramgen_curve:P-256",
             "-nodes", "-keyout", "evil-ca.key", "-out", "evil-ca.crt", "-days", "2",
             "-subj", "/CN=Not the appliance", cwd=tmp_path)  # fmt: skip
    _openssl("req", "-new", "-newkey", "ec", "-pkeyopt", "ec_paramgen_curve:P-256", "-nodes",
             "-keyout", "server.key", "-out", "server.csr", "-subj", "/CN=127.0.0.1",
             cwd=tmp_path)  # fmt: skip
    (tmp_path / "server.ext").write_text("subjectAltName=IP:127.0.0.1\n")
    _openssl("x509", "-req", "-in", "server.csr", "-CA", "evil-ca.crt", "-CAkey", "evil-ca.key",
             "-CAcreateserial", "-out", "server.crt", "-days", "2", "-extfile", "server.ext",
             cwd=tmp_path)  # fmt: skip
    _openssl("genpkey", "-algorithm", "ed25519", "-out", "evil-sign.key", cwd=tmp_path)
    served = tmp_path / "www" / "download"
    served.mkdir(parents=True)
    real_ca = (baked / "bia-ca.crt").read_text()
    (served / "bia-ca.crt").write_text(real_ca + (tmp_path / "evil-ca.crt").read_text())
    _openssl("pkey", "-in", str(tmp_path / "evil-sign.key"), "-pubout",
             "-out", str(served / "bia-signing.pub"), cwd=tmp_path)  # fmt: skip
    for name in ("w.whl", "w.whl.sha256", "w.whl.sig"):
        (served / name).write_text("attacker's\n")
    context = ssl.SSLContext(ssl.PROTOCOL_TLS_SERVER)
    context.load_cert_chain(tmp_path / "server.crt", tmp_path / "server.key")
    handler = partial(http.server.SimpleHTTPRequestHandler, directory=str(tmp_path / "www"))
    server = http.server.ThreadingHTTPServer(("127.0.0.1", 0), handler)
    server.socket = context.wrap_socket(server.socket, server_side=True)
    threading.Thread(target=server.serve_forever, daemon=True).start()
    try:
        yield server.server_address[1], served
    finally:
        server.shutdown()


def test_an_appended_ca_does_not_ride_along_with_the_fingerprinted_one(
    man_in_the_middle: tuple[int, Path], baked: Path, tmp_path: Path
) -> None:
    port, _served = man_in_the_middle
    page = client_build().download_page("mitm", "127.0.0.1", port, "w.whl", "0" * 64, "PEM")
    step = blocks(page)["download"]
    real_der = ssl.PEM_cert_to_DER_cert((baked / "bia-ca.crt").read_text())
    real = ":".join(f"{b:02X}" for b in hashlib.sha256(real_der).digest())

    # Without the page's `openssl x509`, the attack works: the fingerprint shown is the
    # real one, and every later download trusts the attacker's CA too.
    naive_home = tmp_path / "naive"
    naive_home.mkdir()
    naive = shell(step.replace("| openssl x509 -out new-ca.crt", "> new-ca.crt"), naive_home)
    assert f"Authority:   {real}" in naive.stdout and naive.returncode == 0
    assert (naive_home / "bia-download" / "w.whl").read_text() == "attacker's\n"

    # The page's step keeps only the fingerprinted certificate: nothing else downloads.
    home = tmp_path / "patient"
    home.mkdir()
    run = shell(step, home)
    assert run.returncode != 0
    folder = home / "bia-download"
    assert (folder / "bia-ca.crt").read_text().count("BEGIN CERTIFICATE") == 1
    assert ssl.PEM_cert_to_DER_cert((folder / "bia-ca.crt").read_text()) == real_der
    assert not (folder / "bia-signing.pub").exists() and not (folder / "w.whl").exists()
