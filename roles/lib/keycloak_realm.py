"""Bring a Keycloak realm to the state that policies/keycloak/realm.json describes.

This file runs ON the appliance, as root, with the system Python (standard library only):

    python3 keycloak-realm.py check POLICY   # prints each difference; exit 0 if none, 3 if any
    python3 keycloak-realm.py apply POLICY   # changes only what differs

It talks to Keycloak's admin API on loopback as the master realm's admin, whose password
is read from a root-only file. The deploy runs ``check`` as a fact and ``apply`` only when
``check`` found a difference, so a second deploy changes nothing.

Users are created once (with a one-time password that must be changed at first login)
and never reset by a deploy; client secrets come from root-only files.
"""

from __future__ import annotations

import json
import os
import sys
import urllib.error
import urllib.parse
import urllib.request
from pathlib import Path
from typing import Any

ADMIN_USER = "admin"
ADMIN_PASSWORD_FILE = "/etc/bia/credentials/keycloak-admin"  # noqa: S105 (a path)
KEYCLOAK = os.environ.get("BIA_KEYCLOAK_URL", "http://127.0.0.1:8080")
IN_SYNC = "realm in sync"


def differences(wanted: Any, actual: Any, path: str = "") -> list[str]:
    """What in ``wanted`` differs from ``actual``; keys ``actual`` has beyond ``wanted`` are
    fine (Keycloak fills in defaults), lists must be equal as sets of their items."""
    if isinstance(wanted, dict):
        if not isinstance(actual, dict):
            return [f"{path or '.'}: expected an object, found {actual!r}"]
        found: list[str] = []
        for key, value in wanted.items():
            found += differences(value, actual.get(key), f"{path}.{key}" if path else key)
        return found
    if isinstance(wanted, list):
        if not isinstance(actual, list) or sorted(map(json.dumps, wanted)) != sorted(
            map(json.dumps, actual)
        ):
            return [f"{path}: want {wanted!r}, found {actual!r}"]
        return []
    if wanted != actual:
        return [f"{path}: want {wanted!r}, found {actual!r}"]
    return []


def client_representation(client: dict[str, Any]) -> dict[str, Any]:
    """The policy's client without our own keys (those starting with a lower-case word
    Keycloak does not know: secretFile)."""
    return {k: v for k, v in client.items() if k != "secretFile"}


class Admin:
    """A minimal Keycloak admin API client (only what the realm sync needs)."""

    def __init__(self, base: str, password: str) -> None:
        self.base = base
        form = urllib.parse.urlencode(
            {
                "grant_type": "password",
                "client_id": "admin-cli",
                "username": ADMIN_USER,
                "password": password,
            }
        ).encode()
        token = self._send("POST", "/realms/master/protocol/openid-connect/token", form, None)
        self.token = str(token["access_token"])

    def _send(self, method: str, path: str, body: bytes | None, content_type: str | None) -> Any:
        request = urllib.request.Request(self.base + path, data=body, method=method)  # noqa: S310
        if content_type:
            request.add_header("Content-Type", content_type)
        if getattr(self, "token", None):
            request.add_header("Authorization", f"Bearer {self.token}")
        with urllib.request.urlopen(request, timeout=30) as response:  # noqa: S310
            payload = response.read()
        return json.loads(payload) if payload else None

    def get(self, path: str) -> Any:
        """The resource, or None where Keycloak answers 404."""
        try:
            return self._send("GET", path, None, None)
        except urllib.error.HTTPError as exc:
            if exc.code == 404:
                return None
            raise

    def write(self, method: str, path: str, body: Any) -> Any:
        return self._send(method, path, json.dumps(body).encode(), "application/json")


def _realm_path(policy: dict[str, Any]) -> str:
    return "/admin/realms/" + urllib.parse.quote(policy["realm"]["realm"], safe="")


def _client(admin: Admin, base: str, client_id: str) -> dict[str, Any] | None:
    found = admin.get(f"{base}/clients?clientId={urllib.parse.quote(client_id)}")
    return found[0] if found else None


def _user(admin: Admin, base: str, username: str) -> dict[str, Any] | None:
    found = admin.get(f"{base}/users?exact=true&username={urllib.parse.quote(username)}")
    return found[0] if found else None


def check(admin: Admin, policy: dict[str, Any]) -> list[str]:
    base = _realm_path(policy)
    realm = admin.get(base)
    if realm is None:
        return [f"realm {policy['realm']['realm']} does not exist"]
    found = differences(policy["realm"], realm, "realm")
    for role in policy["roles"]:
        actual = admin.get(f"{base}/roles/{urllib.parse.quote(role['name'])}")
        found += differences(role, actual, f"role {role['name']}")
    for wanted in policy["clients"]:
        client = _client(admin, base, wanted["clientId"])
        if client is None:
            found.append(f"client {wanted['clientId']} does not exist")
            continue
        found += differences(client_representation(wanted), client, f"client {client['clientId']}")
        secret = admin.get(f"{base}/clients/{client['id']}/client-secret")
        if (secret or {}).get("value") != _read(wanted["secretFile"]):
            found.append(f"client {wanted['clientId']}: secret differs from its file")
    for alias, enabled in policy["requiredActions"].items():
        action = admin.get(f"{base}/authentication/required-actions/{alias}")
        if action is None or action.get("enabled") != enabled:
            found.append(f"required action {alias}: want enabled={enabled}")
    for wanted_user in policy["users"]:
        user = _user(admin, base, wanted_user["username"])
        if user is None:
            found.append(f"user {wanted_user['username']} does not exist")
            continue
        roles = admin.get(f"{base}/users/{user['id']}/role-mappings/realm") or []
        missing = set(wanted_user["realmRoles"]) - {r["name"] for r in roles}
        if missing:
            found.append(f"user {wanted_user['username']}: missing realm roles {sorted(missing)}")
    return found


def apply(admin: Admin, policy: dict[str, Any]) -> list[str]:
    """Make every difference go away; returns what was done."""
    done: list[str] = []
    base = _realm_path(policy)
    realm = admin.get(base)
    if realm is None:
        admin.write("POST", "/admin/realms", policy["realm"])
        done.append("created the realm")
    elif differences(policy["realm"], realm):
        admin.write("PUT", base, policy["realm"])
        done.append("updated the realm settings")
    for role in policy["roles"]:
        path = f"{base}/roles/{urllib.parse.quote(role['name'])}"
        actual = admin.get(path)
        if actual is None:
            admin.write("POST", f"{base}/roles", role)
            done.append(f"created role {role['name']}")
        elif differences(role, actual):
            admin.write("PUT", path, {**actual, **role})
            done.append(f"updated role {role['name']}")
    for wanted in policy["clients"]:
        rep = {**client_representation(wanted), "secret": _read(wanted["secretFile"])}
        client = _client(admin, base, wanted["clientId"])
        if client is None:
            admin.write("POST", f"{base}/clients", rep)
            done.append(f"created client {wanted['clientId']}")
            continue
        secret = admin.get(f"{base}/clients/{client['id']}/client-secret")
        if (
            differences(client_representation(wanted), client)
            or (secret or {}).get("value") != rep["secret"]
        ):
            merged = {**client, **rep, "attributes": {**client["attributes"], **rep["attributes"]}}
            admin.write("PUT", f"{base}/clients/{client['id']}", merged)
            done.append(f"updated client {wanted['clientId']}")
    for alias, enabled in policy["requiredActions"].items():
        path = f"{base}/authentication/required-actions/{alias}"
        action = admin.get(path)
        if action is None:
            raise SystemExit(f"Keycloak has no required action {alias!r}: check the policy")
        if action.get("enabled") != enabled:
            admin.write("PUT", path, {**action, "enabled": enabled})
            done.append(f"required action {alias} enabled={enabled}")
    for wanted_user in policy["users"]:
        done += _ensure_user(admin, base, wanted_user)
    return done


def _ensure_user(admin: Admin, base: str, wanted: dict[str, Any]) -> list[str]:
    done = []
    user = _user(admin, base, wanted["username"])
    if user is None:
        admin.write(
            "POST",
            f"{base}/users",
            {
                "username": wanted["username"],
                "enabled": wanted["enabled"],
                "requiredActions": ["UPDATE_PASSWORD"],
                "credentials": [
                    {
                        "type": "password",
                        "value": _read(wanted["initialPasswordFile"]),
                        "temporary": True,
                    }
                ],
            },
        )
        done.append(f"created user {wanted['username']} with a one-time password")
        user = _user(admin, base, wanted["username"])
        assert user is not None
    mapped = admin.get(f"{base}/users/{user['id']}/role-mappings/realm") or []
    missing = set(wanted["realmRoles"]) - {r["name"] for r in mapped}
    if missing:
        roles = [admin.get(f"{base}/roles/{urllib.parse.quote(name)}") for name in missing]
        admin.write("POST", f"{base}/users/{user['id']}/role-mappings/realm", roles)
        done.append(f"gave {wanted['username']} the realm roles {sorted(missing)}")
    return done


def _read(path: str) -> str:
    return Path(path).read_text().strip()


def main(argv: list[str]) -> int:
    if len(argv) != 3 or argv[1] not in ("check", "apply"):
        print("usage: keycloak-realm.py check|apply POLICY.json", file=sys.stderr)
        return 2
    policy = json.loads(Path(argv[2]).read_text())
    try:
        admin = Admin(KEYCLOAK, _read(ADMIN_PASSWORD_FILE))
    except (urllib.error.URLError, OSError) as exc:
        print(f"cannot reach Keycloak's admin API at {KEYCLOAK}: {exc}", file=sys.stderr)
        return 1
    if argv[1] == "check":
        found = check(admin, policy)
        print("\n".join(found) if found else IN_SYNC)
        return 3 if found else 0
    for line in apply(admin, policy) or ["nothing to do"]:
        print(line)
    left = check(admin, policy)
    if left:
        print("still different after apply:\n" + "\n".join(left), file=sys.stderr)
        return 1
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv))
