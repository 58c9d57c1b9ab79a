"""firewall: nftables, default-deny input and forward; only 22, 80 and 443 open (fw-*).

The ruleset lives in its own table (``inet bia``), replaced atomically by one
``nft -f``; it is checked with ``nft -c`` first. Established connections, the deploy's
own SSH session among them, are accepted before anything is dropped. Outgoing traffic
(apt through its proxy, NTP) is not filtered.
"""

from __future__ import annotations

import ipaddress

from pyinfra.api import deploy
from pyinfra.operations import apt, systemd

from hardening.lib import op_name
from roles.lib.context import settings
from roles.lib.ops import HEADER, validated_file
from roles.lib.settings import ApplianceSettings

PUBLIC_TCP = (80, 443)
SSH_PORT = 22
ICMP = (
    "icmp type { echo-request, destination-unreachable, time-exceeded, parameter-problem } "
    "limit rate 10/second accept"
)


def ruleset(s: ApplianceSettings) -> str:
    h = s.hardening
    v4 = [n for n in h.ssh_allowed_networks if ipaddress.ip_network(n).version == 4]
    v6 = [n for n in h.ssh_allowed_networks if ipaddress.ip_network(n).version == 6]
    if h.ssh_allowed_networks:
        ssh_rules = []
        if v4:
            ssh_rules.append(f"ip saddr {{ {', '.join(v4)} }} tcp dport {SSH_PORT} accept")
        if v6:
            ssh_rules.append(f"ip6 saddr {{ {', '.join(v6)} }} tcp dport {SSH_PORT} accept")
    else:
        ssh_rules = [f"tcp dport {SSH_PORT} accept"]
    public = ", ".join(str(p) for p in (*PUBLIC_TCP, *h.extra_tcp_ports))
    rules = "\n        ".join(ssh_rules)
    return f"""#!/usr/sbin/nft -f
# {HEADER}
# Controls fw-02 to fw-06 (policies/controls.toml). Replaces only the table inet bia.
table inet bia
delete table inet bia

table inet bia {{
    chain input {{
        type filter hook input priority filter; policy drop;
        ct state established,related accept
        ct state invalid drop
        iif "lo" accept
        meta l4proto ipv6-icmp accept
        {ICMP}
        {rules}
        tcp dport {{ {public} }} accept
    }}

    chain forward {{
        type filter hook forward priority filter; policy drop;
    }}

    chain output {{
        type filter hook output priority filter; policy accept;
    }}
}}
"""


@deploy("firewall")
def firewall() -> None:
    s = settings()
    apt.packages(
        name=op_name("Install nftables", "fw-01"), packages=["nftables"], no_recommends=True
    )
    validated_file(
        name=op_name("Default-deny firewall, SSH/HTTP/HTTPS only", "fw-02", "fw-03", "fw-06"),
        content=ruleset(s),
        dest="/etc/nftables.conf",
        mode="700",
        validate="nft -c -f /etc/nftables.conf",
        reload="nft -f /etc/nftables.conf",
    )
    systemd.service(
        name=op_name("nftables enabled at boot", "fw-01"),
        service="nftables",
        enabled=True,
    )
