"""kernel: sysctls (net-*, kern-*) and blocked kernel modules and file systems (mod-*).

In a container only the network sysctls are written: the container has its own network
namespace, but kernel-wide settings belong to the host (writing them would fail at boot).
The module block list is harmless there and is written anyway, so a VM made from the same
image is covered.
"""

from __future__ import annotations

from pyinfra.api import deploy
from pyinfra.operations import files, server

from hardening.controls import Control, controls
from hardening.lib import active, op_name
from roles.lib.context import settings
from roles.lib.ops import HEADER, text, validated_file

SYSCTL_FILE = "/etc/sysctl.d/90-bia.conf"
MODPROBE_FILE = "/etc/modprobe.d/bia-blocklist.conf"


def sysctl_conf(applied: list[Control]) -> str:
    lines = [f"# {HEADER}"]
    for control in applied:
        value = control.expect.strip("[]")[0]  # "[12]" means 1 or 2: write the first
        lines += [f"# {control.id}: {control.title}", f"{control.key} = {value}"]
    return "\n".join(lines) + "\n"


def modprobe_conf(blocked: list[Control]) -> str:
    lines = [f"# {HEADER}"]
    for control in blocked:
        lines += [
            f"# {control.id}: {control.title}",
            f"install {control.key} /bin/false",
            f"blacklist {control.key}",
        ]
    return "\n".join(lines) + "\n"


@deploy("kernel")
def kernel() -> None:
    applied = active("sysctl")
    sysctls = validated_file(
        name=op_name("Kernel and network sysctls", *(c.id for c in applied)),
        content=sysctl_conf(applied),
        dest=SYSCTL_FILE,
        validate="true",
    )
    server.shell(
        name=op_name("Apply the sysctls now", *(c.id for c in applied)),
        commands=[f"sysctl -q -p {SYSCTL_FILE}"],
        _if=sysctls.did_change,
    )
    # Written for VMs built from this host; in a container only the host kernel decides.
    waivers = settings().hardening.waivers
    waived_free = [c for c in controls("module") if c.id not in waivers]
    files.put(
        name=op_name("Block unused kernel modules", *(c.id for c in waived_free)),
        src=text(modprobe_conf(waived_free)),
        dest=MODPROBE_FILE,
        mode="644",
    )
