"""client: the appliance builds the desktop client for itself and offers it for download.

The generic wheel (our code and the client's pinned pure-Python dependencies) is built
here, on the control machine, from the project venv: reproducible, so an unchanged
client is not sent again. On the appliance, desktop/build.py `bake` adds the
appliance's address and CA (with its fingerprint), signs the wheel with the appliance's
own Ed25519 key (made there once, root-only; it never leaves) and writes the download
page; nginx serves the result under /download/ (roles/edge.py). A bake happens only
when one of its inputs changed.
"""

from __future__ import annotations

import importlib.util
import shlex
from collections.abc import Generator
from pathlib import Path
from types import ModuleType

from pyinfra import host
from pyinfra.api import deploy, operation
from pyinfra.facts.files import File
from pyinfra.operations import apt, files

from roles.lib.context import settings
from roles.lib.facts import Command
from roles.lib.ops import TLS_DIR

REPO = Path(__file__).resolve().parents[1]
KIT = "/opt/bia/client-kit"
DOWNLOAD_DIR = "/var/lib/bia/download"
SIGNING_KEY = "/etc/bia/signing/client-ed25519.key"
KIT_WHEEL = f"{KIT}/bia_desktop-generic.whl"
BUILD_DIR = REPO / "build" / "client"


def client_build() -> ModuleType:
    """desktop/build.py as a module: a script, since the appliance runs it on its own."""
    spec = importlib.util.spec_from_file_location("bia_client_build", REPO / "desktop/build.py")
    if spec is None or spec.loader is None:
        raise RuntimeError("desktop/build.py is missing")
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


def generic_wheel() -> Path:
    """Build the generic client wheel locally (about a second; same inputs, same bytes)."""
    return Path(client_build().build(BUILD_DIR))


@operation()
def signing_key(path: str) -> Generator[str, None, None]:
    """The appliance's Ed25519 key for signing what it distributes; made once, root-only."""
    if host.get_fact(File, path=path):
        host.noop(f"signing key {path} exists")
        return
    quoted = shlex.quote(path)
    yield (
        f"set -e; umask 077; mkdir -p {shlex.quote(path.rsplit('/', 1)[0])}; "
        f"openssl genpkey -algorithm ed25519 -out {quoted}.new; mv {quoted}.new {quoted}"
    )


@operation()
def baked_client(command: str) -> Generator[str, None, None]:
    """Bake, sign and publish the client unless the published release has these inputs."""
    if host.get_fact(Command, command=f"{command} --check") == "current":
        host.noop("the published client is current")
        return
    yield command


@deploy("client")
def client() -> None:
    s = settings()
    wheel = generic_wheel()
    apt.packages(name="openssl and python3 for the client bake", packages=["openssl", "python3"])
    files.directory(name="client kit directory", path=KIT, user="root", group="root", mode="755")
    files.directory(
        name="download directory", path=DOWNLOAD_DIR, user="root", group="root", mode="755"
    )
    files.put(
        name="client bake script",
        src=str(REPO / "desktop" / "build.py"),
        dest=f"{KIT}/build.py",
        mode="644",
    )
    files.put(
        name="generic client wheel",
        src=str(wheel),
        dest=KIT_WHEEL,  # one fixed name: the bake reads the version from inside
        mode="644",
    )
    signing_key(name="client signing key (Ed25519)", path=SIGNING_KEY)
    host_name = s.domain
    baked_client(
        name="bake, sign and publish the desktop client",
        command=" ".join(
            shlex.quote(part)
            for part in (
                "python3", f"{KIT}/build.py", "bake",
                "--wheel", KIT_WHEEL,
                "--name", host_name,
                "--host", host_name,
                "--port", "443",
                "--ca", f"{TLS_DIR}/ca.crt",
                "--key", SIGNING_KEY,
                "--out", DOWNLOAD_DIR,
            )
        ),
    )  # fmt: skip
