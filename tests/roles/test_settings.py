"""Inventory settings: bad input stops the deploy before it touches a host, naming the field."""

from __future__ import annotations

import pytest

from roles.lib.settings import SettingsError, parse


def test_minimal_settings_take_documented_defaults() -> None:
    s = parse({"domain": "Bia.Example.org"})
    assert s.domain == "bia.example.org"
    assert s.url == "https://bia.example.org"
    assert s.tls.mode == "local-ca"
    assert s.tls.hsts_max_age == 63_072_000
    assert s.backend.port == 8000
    assert s.certificate_names == (["bia.example.org"], [])


def test_an_ip_domain_goes_into_the_certificate_as_an_ip() -> None:
    s = parse({"domain": "10.88.0.10", "extra_addresses": ["192.0.2.7"]})
    assert s.certificate_names == ([], ["10.88.0.10", "192.0.2.7"])


def test_missing_settings_point_to_the_example() -> None:
    with pytest.raises(SettingsError, match=r"inventory/example\.py"):
        parse(None, "vm1")


@pytest.mark.parametrize(
    ("raw", "field"),
    [
        ({}, "bia.domain"),
        ({"domain": "https://bia.example.org/"}, "bia.domain"),
        ({"domain": "bia.example.org", "timezone": "Mars/Olympus"}, "bia.timezone"),
        ({"domain": "bia.example.org", "tls": {"mode": "self-signed"}}, "bia.tls.mode"),
        ({"domain": "bia.example.org", "tls": {"hsts_max_age": 60}}, "bia.tls.hsts_max_age"),
        ({"domain": "bia.example.org", "backend": {"port": 80}}, "bia.backend.port"),
        ({"domain": "bia.example.org", "extra_addresses": ["nope"]}, "bia.extra_addresses"),
        ({"domain": "bia.example.org", "typo_field": 1}, "bia.typo_field"),
    ],
)
def test_bad_settings_name_the_field(raw: dict[str, object], field: str) -> None:
    with pytest.raises(SettingsError) as caught:
        parse(raw, "vm1")
    assert field in str(caught.value)
    assert "nothing was changed" in str(caught.value)


def test_keycloak_defaults_pin_a_26_archive_from_maven() -> None:
    kc = parse({"domain": "bia.example.org"}).keycloak
    assert kc.version.startswith("26.")
    assert len(kc.sha256) == 64
    assert kc.source == "maven"
    assert kc.port != kc.management_port


@pytest.mark.parametrize(
    ("keycloak", "message"),
    [
        ({"version": "25.0.1"}, "bia.keycloak.version"),
        ({"sha256": "abc"}, "bia.keycloak.sha256"),
        ({"source": "url"}, "needs url"),
        ({"source": "url", "url": "http://example.org/kc.zip"}, "needs url"),
        ({"source": "file"}, "needs file"),
        ({"port": 9000}, "must differ"),
        ({"heap_mb": 64}, "bia.keycloak.heap_mb"),
    ],
)
def test_bad_keycloak_settings_are_named(keycloak: dict[str, object], message: str) -> None:
    with pytest.raises(SettingsError, match=message):
        parse({"domain": "bia.example.org", "keycloak": keycloak})
