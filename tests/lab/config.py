"""Where the lab keeps things, and the fixed facts it is built from."""

from __future__ import annotations

import ipaddress
import re
from pathlib import Path

CACHE_DIR = Path("/var/cache/bia-lab")
APT_CACHE_DIR = Path("/var/cache/bia-apt")
STATE_DIR = Path("/var/lib/bia-lab")
HOSTS_DIR = STATE_DIR / "hosts"

SUITE = "trixie"  # Debian 13
BRIDGE = "bia-br0"
NETWORK = ipaddress.IPv4Network("10.88.0.0/24")
BRIDGE_ADDRESS = ipaddress.IPv4Address("10.88.0.1")
FIRST_HOST_OCTET = 10
LAST_HOST_OCTET = 250
PROXY_PORT = 3142
OPERATOR = "debian"  # as on Debian cloud images: the sudo-capable SSH user of a fresh VM

# Packages a fresh Debian 13 "VM" has before Bia's deploy touches it: an init,
# an SSH server, sudo and the networking to reach it. Nothing Bia-specific.
ROOTFS_PACKAGES = (
    "systemd",
    "systemd-sysv",
    "dbus",
    "openssh-server",
    "sudo",
    "iproute2",
    "ca-certificates",
    "python3",
)

# Host names become interface names ("vb-bia-" + name, at most 15 characters).
NAME_PATTERN = re.compile(r"^[a-z][a-z0-9]{0,7}$")
DEFAULT_NAME = "lab"


def validate_name(name: str) -> str:
    if not NAME_PATTERN.match(name):
        raise SystemExit(
            f"lab host name {name!r} is not valid: use 1-8 lower-case letters or digits, "
            "starting with a letter (it becomes part of a network interface name)"
        )
    return name


def machine_name(name: str) -> str:
    return f"bia-{name}"


def host_dir(name: str) -> Path:
    return HOSTS_DIR / name
