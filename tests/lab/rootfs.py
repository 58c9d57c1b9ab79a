"""The cached Debian 13 root file system that every lab host starts from."""

from __future__ import annotations

import hashlib
import re
import shutil
import tempfile
from pathlib import Path

from tests.lab import config
from tests.lab.shell import LabError, progress, run

RECIPE_VERSION = "3"  # bump when the steps below change what the root file system holds


def host_debian_mirror() -> str:
    """The Debian mirror this machine's own apt uses (the lab needs no other way out)."""
    candidates: list[str] = []
    sources = [Path("/etc/apt/sources.list"), *sorted(Path("/etc/apt/sources.list.d").glob("*"))]
    for path in sources:
        if not path.is_file():
            continue
        text = path.read_text(errors="replace")
        candidates += re.findall(r"^\s*URIs:\s*(\S+)", text, flags=re.MULTILINE)
        candidates += re.findall(r"^\s*deb\s+(?:\[[^\]]*\]\s+)?(\S+)", text, flags=re.MULTILINE)
    for uri in candidates:
        if uri.startswith("http") and uri.rstrip("/").endswith("/debian"):
            return uri.rstrip("/") + "/"
    raise LabError(
        "found no Debian mirror in /etc/apt/sources.list*: the lab mirrors the host's own "
        "Debian archive; add one (e.g. 'deb http://deb.debian.org/debian bookworm main')"
    )


def cache_key(mirror: str) -> str:
    material = "\n".join([RECIPE_VERSION, config.SUITE, mirror, *config.ROOTFS_PACKAGES])
    return hashlib.sha256(material.encode()).hexdigest()[:16]


def cached_rootfs() -> Path:
    """Return the cached root file system, building it first if needed."""
    mirror = host_debian_mirror()
    target = config.CACHE_DIR / f"rootfs-{config.SUITE}-{cache_key(mirror)}"
    if (target / ".bia-complete").exists():
        return target
    config.CACHE_DIR.mkdir(parents=True, exist_ok=True)
    progress(f"building the Debian 13 root file system from {mirror} (about a minute, once)")
    work = Path(tempfile.mkdtemp(prefix="rootfs-build-", dir=config.CACHE_DIR))
    work.chmod(0o755)  # it becomes "/" of every lab host; mkdtemp makes it 0700
    try:
        run(
            [
                "debootstrap",
                "--variant=minbase",
                f"--include={','.join(config.ROOTFS_PACKAGES)}",
                config.SUITE,
                str(work),
                mirror,
            ]
        )
        _prepare(work)
        (work / ".bia-complete").write_text(cache_key(mirror) + "\n")
        if target.exists():
            shutil.rmtree(target)
        work.rename(target)
    finally:
        if work.exists():
            shutil.rmtree(work)
    progress(f"root file system cached at {target}")
    return target


def _prepare(root: Path) -> None:
    """Make the fresh system generic: no host keys, no machine id, an operator account."""
    for key in (root / "etc/ssh").glob("ssh_host_*"):
        key.unlink()
    (root / "etc/machine-id").write_text("")
    run(
        [
            "chroot",
            str(root),
            "useradd",
            "--create-home",
            "--shell",
            "/bin/bash",
            "--groups",
            "sudo",
            config.OPERATOR,
        ]
    )
    sudoers = root / "etc/sudoers.d/90-bia-lab-operator"
    sudoers.write_text(f"# managed by Bia lab\n{config.OPERATOR} ALL=(ALL:ALL) NOPASSWD: ALL\n")
    sudoers.chmod(0o440)
    run(["chroot", str(root), "systemctl", "enable", "systemd-networkd"])
    # Packages come only through the host's caching proxy on the lab bridge.
    (root / "etc/apt/apt.conf.d/01bia-lab-proxy").write_text(
        "# managed by Bia lab: the lab host's only way out\n"
        f'Acquire::http::Proxy "http://{config.BRIDGE_ADDRESS}:{config.PROXY_PORT}";\n'
    )
    (root / "etc/apt/sources.list").unlink(missing_ok=True)
    (root / "etc/apt/sources.list.d/debian.sources").write_text(
        "Types: deb\n"
        "URIs: http://deb.debian.org/debian\n"
        f"Suites: {config.SUITE} {config.SUITE}-updates\n"
        "Components: main\n"
        "Signed-By: /usr/share/keyrings/debian-archive-keyring.gpg\n\n"
        "Types: deb\n"
        "URIs: http://deb.debian.org/debian-security\n"
        f"Suites: {config.SUITE}-security\n"
        "Components: main\n"
        "Signed-By: /usr/share/keyrings/debian-archive-keyring.gpg\n"
    )
    run(["chroot", str(root), "apt-get", "clean"])
