"""The Keycloak role's generated files and the realm sync's comparison (no Keycloak needed)."""

from __future__ import annotations

import json

from roles import keycloak
from roles.edge import nginx_site
from roles.lib.keycloak_realm import differences
from roles.lib.ops import HEADER
from roles.lib.settings import parse

SETTINGS = parse({"domain": "bia.example.org"})


def test_keycloak_listens_on_loopback_only_and_trusts_only_the_local_edge() -> None:
    conf = keycloak.config(SETTINGS)
    assert conf.startswith(f"# {HEADER}")
    lines = set(conf.splitlines())
    assert "http-host=127.0.0.1" in lines
    assert "proxy-trusted-addresses=127.0.0.1" in lines
    assert "proxy-headers=xforwarded" in lines
    assert "hostname=https://bia.example.org" in lines
    assert "cache=local" in lines  # no JGroups cluster ports


def test_the_unit_relaxes_only_memory_deny_write_execute_for_the_jit() -> None:
    unit = keycloak.unit(SETTINGS)
    assert "MemoryDenyWriteExecute=no" in unit
    assert "MemoryDenyWriteExecute=yes" not in unit
    assert "IPAddressAllow=localhost" in unit
    assert "-Xmx512m" in unit
    assert "KC_DB_PASSWORD" not in unit  # secrets arrive as credentials, not in the unit


def test_the_edge_proxies_only_keycloaks_public_paths_of_the_bia_realm() -> None:
    site = nginx_site(SETTINGS)
    locations = [line.split()[1] for line in site.splitlines() if "location " in line]
    assert sorted(locations) == [
        "/",
        "/",
        "/bia.auth.v1.Auth/",
        "/bia.journal.v1.Catalog/",
        "/bia.journal.v1.Journal/",
        "/bia.journal.v1.Settings/",
        "/download/",  # static files: the desktop client and its page (roles/client.py)
        "/realms/bia/",
        "/resources/",
        "=",
        "=",
    ]


def test_the_realm_policy_is_rendered_for_this_appliance() -> None:
    policy = json.loads(keycloak.realm_policy(SETTINGS))
    backend = next(c for c in policy["clients"] if c["clientId"] == "bia-backend")
    assert backend["redirectUris"] == ["https://bia.example.org/auth/callback"]
    assert backend["attributes"]["pkce.code.challenge.method"] == "S256"
    assert backend["publicClient"] is False
    realm = policy["realm"]
    assert realm["revokeRefreshToken"] is True and realm["refreshTokenMaxReuse"] == 0
    assert realm["bruteForceProtected"] is True
    assert realm["registrationAllowed"] is False
    assert "length(12)" in realm["passwordPolicy"]
    assert policy["users"][0]["username"] == "operator"
    assert "${" not in json.dumps(policy)


def test_differences_ignore_keycloak_defaults_but_not_changed_values() -> None:
    wanted = {"a": 1, "attributes": {"x": "1"}, "uris": ["u", "v"]}
    same = {"a": 1, "b": 2, "attributes": {"x": "1", "y": "2"}, "uris": ["v", "u"]}
    assert differences(wanted, same) == []
    assert differences(wanted, {**same, "a": 2}) == ["a: want 1, found 2"]
    assert differences(wanted, {**same, "uris": ["u"]}) != []
    assert differences(wanted, {**same, "attributes": {"x": "0"}}) == [
        "attributes.x: want '1', found '0'"
    ]
