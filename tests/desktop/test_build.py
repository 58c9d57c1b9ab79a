"""The zipapp: reproducible, small, free of other platforms' parts, and it starts to an
interactive window on Debian's own Python (python3-gi, WebKit2GTK) under Xvfb."""

import hashlib
import importlib.util
import json
import subprocess
import time
import zipfile
from pathlib import Path
from typing import Any

import pytest

from tests.desktop.session import (
    DBUS_RUN_SESSION,
    KEYRING_PASSWORD,
    client_env,
    have,
    process_group,
)

pytestmark = pytest.mark.desktop
pytest.importorskip("webview")
pytest.importorskip("keyring")

ROOT = Path(__file__).resolve().parents[2]
SYSTEM_PYTHON = "/usr/bin/python3"


def load_build() -> Any:  # desktop/build.py is a script, not part of the package
    spec = importlib.util.spec_from_file_location("bia_build", ROOT / "desktop" / "build.py")
    assert spec and spec.loader
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


@pytest.fixture(scope="module")
def package(tmp_path_factory: pytest.TempPathFactory) -> Path:
    out = tmp_path_factory.mktemp("build") / "bia.pyz"
    digest = load_build().build(out)
    assert digest == hashlib.sha256(out.read_bytes()).hexdigest()
    return out


def test_the_build_is_reproducible(package: Path, tmp_path: Path) -> None:
    again = tmp_path / "bia.pyz"
    load_build().build(again)
    assert again.read_bytes() == package.read_bytes()


def test_the_package_is_small_and_holds_only_what_linux_needs(package: Path) -> None:
    assert package.stat().st_size < 5 * 1024 * 1024
    names = zipfile.ZipFile(package).namelist()
    assert "__main__.py" in names
    assert "lib/bia_desktop/assets/index.html" in names
    assert "lib/webview/platforms/gtk.py" in names
    assert "lib/keyring/backends/SecretService.py" in names
    assert not [n for n in names if n.endswith((".dll", ".jar", ".exe"))]
    assert not [n for n in names if "keyrings/alt" in n]  # no file-based keyring inside


@pytest.mark.skipif(
    not (
        have("xvfb-run", "dbus-run-session", "gnome-keyring-daemon")
        and Path(SYSTEM_PYTHON).exists()
    ),
    reason="needs xvfb, dbus, gnome-keyring and Debian's python3",
)
def test_it_starts_to_an_interactive_window_on_debians_python(
    package: Path, tmp_path: Path
) -> None:
    ready = tmp_path / "ready.json"
    script = (
        f"printf %s {KEYRING_PASSWORD} | gnome-keyring-daemon --unlock --components=secrets"
        ' >/dev/null && exec "$0" "$1" --report-ready "$2"'
    )
    env = client_env(tmp_path)
    del env["PYTHONPATH"]  # nothing from this checkout: only what is in the package
    command = [
        "xvfb-run", "-a", *DBUS_RUN_SESSION, "bash", "-c", script, SYSTEM_PYTHON,
        str(package), str(ready),
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
    assert (tmp_path / ".cache" / "bia").is_dir()  # unpacked into the user's private cache
