"""Inventory settings that weaken a control need a waiver naming it."""

from __future__ import annotations

from typing import Any

import pytest

from roles.lib.settings import SettingsError, parse

JUSTIFIED = "needed by the practice's legacy backup agent until 2027"


def _settings(hardening: dict[str, Any]) -> dict[str, Any]:
    return {"domain": "bia.example.org", "hardening": hardening}


def test_defaults_have_no_waivers() -> None:
    assert parse({"domain": "bia.example.org"}).hardening.waivers == {}


def test_opening_a_port_without_a_waiver_names_the_control() -> None:
    with pytest.raises(SettingsError) as error:
        parse(_settings({"extra_tcp_ports": [8443]}))
    assert "fw-06" in str(error.value)
    assert "bia.hardening" in str(error.value)


def test_opening_a_port_with_a_waiver_is_accepted() -> None:
    s = parse(_settings({"extra_tcp_ports": [8443], "waivers": {"fw-06": JUSTIFIED}}))
    assert s.hardening.extra_tcp_ports == (8443,)
    assert s.hardening.waived("fw-06")


def test_a_waiver_needs_a_justification() -> None:
    with pytest.raises(
        SettingsError, match=r"bia.hardening.waivers: .*ssh-11 needs a justification"
    ):
        parse(_settings({"waivers": {"ssh-11": "because"}}))


def test_a_waiver_of_an_unknown_control_is_refused() -> None:
    with pytest.raises(SettingsError, match="control ssh-99 does not exist"):
        parse(_settings({"waivers": {"ssh-99": JUSTIFIED}}))


@pytest.mark.parametrize("control_id", ["ssh-01", "ssh-02", "fw-02", "pg-01", "tls-02"])
def test_core_controls_cannot_be_waived(control_id: str) -> None:
    with pytest.raises(SettingsError, match=f"control {control_id} .* cannot be waived"):
        parse(_settings({"waivers": {control_id: JUSTIFIED}}))


def test_ssh_networks_must_be_cidr() -> None:
    with pytest.raises(SettingsError, match=r"bia\.hardening\.ssh_allowed_networks"):
        parse(_settings({"ssh_allowed_networks": ["10.0.0.1/8"]}))


def test_root_is_never_an_ssh_user() -> None:
    with pytest.raises(SettingsError, match=r"bia\.hardening\.ssh_users"):
        parse(_settings({"ssh_users": ["root"]}))
