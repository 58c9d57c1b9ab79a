"""The ``bia.hardening`` settings: SSH access, extra ports and waivers of controls.

Anything that would weaken a control must name it in ``waivers`` with a justification;
the settings are refused otherwise, and the error names the control.
"""

from __future__ import annotations

import ipaddress
import re

from pydantic import BaseModel, ConfigDict, Field, field_validator, model_validator

from hardening.controls import policy

FIREWALL_CONTROL = "fw-06"  # "only TCP 22, 80 and 443 are open"
MIN_JUSTIFICATION = 20


class HardeningSettings(BaseModel):
    model_config = ConfigDict(extra="forbid", frozen=True)

    # Networks (CIDR) that may reach SSH; empty: any. 80 and 443 stay open to all.
    ssh_allowed_networks: tuple[str, ...] = ()
    # Accounts allowed to log in over SSH besides the deploy's own ssh_user (always allowed).
    ssh_users: tuple[str, ...] = ()
    # More TCP ports open to the world: each needs a waiver of control fw-06.
    extra_tcp_ports: tuple[int, ...] = ()
    # {control ID: justification}. A waived control is not applied, and every compliance
    # report lists it with the justification. Some controls cannot be waived.
    waivers: dict[str, str] = Field(default_factory=dict)

    @field_validator("ssh_allowed_networks")
    @classmethod
    def _networks(cls, value: tuple[str, ...]) -> tuple[str, ...]:
        for network in value:
            try:
                ipaddress.ip_network(network, strict=True)
            except ValueError:
                raise ValueError(
                    f"{network!r} is not a network in CIDR form such as 192.0.2.0/24"
                ) from None
        return value

    @field_validator("ssh_users")
    @classmethod
    def _users(cls, value: tuple[str, ...]) -> tuple[str, ...]:
        for user in value:
            if not re.fullmatch(r"[a-z_][a-z0-9_-]{0,31}", user) or user == "root":
                raise ValueError(f"{user!r} is not a valid operator account (and never root)")
        return value

    @field_validator("extra_tcp_ports")
    @classmethod
    def _ports(cls, value: tuple[int, ...]) -> tuple[int, ...]:
        for port in value:
            if not 1 <= port <= 65535 or port in (22, 80, 443):
                raise ValueError(f"{port} is not an extra port (1-65535, not 22, 80 or 443)")
        return value

    @field_validator("waivers")
    @classmethod
    def _waivers(cls, value: dict[str, str]) -> dict[str, str]:
        known = policy().by_id()
        for control_id, justification in value.items():
            if control_id in policy().retired:
                raise ValueError(f"control {control_id} is retired: remove its waiver")
            if control_id not in known:
                raise ValueError(f"control {control_id} does not exist (policies/controls.toml)")
            if not known[control_id].waivable:
                raise ValueError(
                    f"control {control_id} ({known[control_id].title}) cannot be waived"
                )
            if len(justification.strip()) < MIN_JUSTIFICATION:
                raise ValueError(
                    f"the waiver of control {control_id} needs a justification "
                    f"(at least {MIN_JUSTIFICATION} characters)"
                )
        return value

    @model_validator(mode="after")
    def _weakening_needs_a_waiver(self) -> HardeningSettings:
        if self.extra_tcp_ports and FIREWALL_CONTROL not in self.waivers:
            raise ValueError(
                f"extra_tcp_ports {list(self.extra_tcp_ports)} opens ports to the world and "
                f"weakens control {FIREWALL_CONTROL} ({policy().by_id()[FIREWALL_CONTROL].title}): "
                f"add a waiver for {FIREWALL_CONTROL} with its justification to "
                "bia.hardening.waivers"
            )
        return self

    def waived(self, control_id: str) -> bool:
        return control_id in self.waivers
