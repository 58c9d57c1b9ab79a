"""What the hardening roles generate from the controls, and how the checks read a host."""

from __future__ import annotations

from hardening.controls import controls
from hardening.firewall import ruleset
from hardening.kernel import modprobe_conf, sysctl_conf
from hardening.ssh import ssh_users, sshd_config
from roles.lib.ops import HEADER
from roles.lib.settings import parse
from tests.e2e.compliance.checks import exposure, open_tcp_ports, public_listeners

WAIVER = {"fw-06": "a monitoring agent the operator runs on 9100, reviewed"}


def test_sshd_config_sets_every_sshd_control_and_keeps_the_deploy_user() -> None:
    text = sshd_config(controls("sshd"), ["debian"])
    assert text.startswith(f"# {HEADER}")
    for control in controls("sshd"):
        assert f"# {control.id}:" in text
    assert "\nAllowUsers debian\n" in text
    assert "Include" not in text  # drop-ins (e.g. a cloud image's) cannot undo the policy
    assert "Subsystem sftp" in text  # pyinfra uploads files over SFTP


def test_the_deploy_user_is_always_allowed() -> None:
    s = parse({"domain": "a.example", "hardening": {"ssh_users": ["alice", "debian"]}})
    assert ssh_users(s, "debian") == ["debian", "alice"]


def test_firewall_opens_only_ssh_http_https_by_default() -> None:
    rules = ruleset(parse({"domain": "a.example"}))
    assert "policy drop" in rules
    assert open_tcp_ports(rules) == {22, 80, 443}


def test_firewall_limits_ssh_to_the_configured_networks() -> None:
    s = parse(
        {
            "domain": "a.example",
            "hardening": {"ssh_allowed_networks": ["192.0.2.0/24", "2001:db8::/32"]},
        }
    )
    rules = ruleset(s)
    assert "ip saddr { 192.0.2.0/24 } tcp dport 22 accept" in rules
    assert "ip6 saddr { 2001:db8::/32 } tcp dport 22 accept" in rules
    assert "\n        tcp dport 22 accept" not in rules


def test_a_waived_extra_port_is_opened() -> None:
    s = parse({"domain": "a.example", "hardening": {"extra_tcp_ports": [9100], "waivers": WAIVER}})
    assert open_tcp_ports(ruleset(s)) == {22, 80, 443, 9100}


def test_sysctl_and_modprobe_files_name_their_controls() -> None:
    sysctl = sysctl_conf(controls("sysctl"))
    assert "net.ipv4.tcp_syncookies = 1" in sysctl
    assert "kernel.unprivileged_bpf_disabled = 1" in sysctl
    modprobe = modprobe_conf(controls("module"))
    assert "install usb-storage /bin/false" in modprobe
    assert "# mod-07:" in modprobe


def test_public_listeners_ignore_loopback() -> None:
    ss = (
        "LISTEN 0 4096 127.0.0.1:5432 0.0.0.0:*\n"
        "LISTEN 0 4096 [::1]:8000 [::]:*\n"
        "LISTEN 0 128 0.0.0.0:22 0.0.0.0:*\n"
        "LISTEN 0 511 [::]:443 [::]:*\n"
        "LISTEN 0 128 [::ffff:127.0.0.1]:50051 *:*\n"
        "LISTEN 0 511 *:9999 *:*\n"
    )
    assert public_listeners(ss) == {22, 443, 9999}


def test_exposure_score_is_read_from_systemd_analyze() -> None:
    out = "...\n→ Overall exposure level for nginx.service: 1.9 OK :-)\n"
    assert exposure(out) == 1.9
    assert exposure("Unit nginx.service not found.") is None
