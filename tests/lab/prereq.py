"""Checks that this machine has what the lab needs, and says how to get it."""

from __future__ import annotations

import os
import shutil

from tests.lab.shell import LabError

# command -> Debian package that provides it
REQUIRED_COMMANDS = {
    "debootstrap": "debootstrap",
    "systemd-nspawn": "systemd-container",
    "apt-cacher-ng": "apt-cacher-ng",
    "ip": "iproute2",
    "ssh": "openssh-client",
    "ssh-keygen": "openssh-client",
    "runuser": "util-linux",
}


def missing_packages() -> list[str]:
    missing = {
        pkg
        for cmd, pkg in REQUIRED_COMMANDS.items()
        if shutil.which(cmd) is None and not os.path.exists(f"/usr/sbin/{cmd}")
    }
    return sorted(missing)


def require() -> None:
    if os.geteuid() != 0:
        raise LabError(
            "the lab needs root (it creates a network bridge and boots containers): run it as root"
        )
    missing = missing_packages()
    if missing:
        raise LabError(
            "this machine lacks what the lab needs: "
            + ", ".join(missing)
            + f"\ninstall with: apt-get install -y {' '.join(missing)}   (or run `make lab`)"
        )
