"""The login pipeline against the real Keycloak on the lab appliance, driven through
Keycloak's real login page in headless Chromium (Debian's /usr/bin/chromium), and attacked.
"""

from __future__ import annotations

import secrets
import subprocess
import threading
import time
import urllib.parse
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import grpc
import httpx
import pytest
from playwright.sync_api import Browser, Page, sync_playwright

from app.cli.login import LoginClient, PendingLogin
from app.rpc.auth.v1 import auth_pb2
from tests.lab.host import LabHost

pytestmark = pytest.mark.lab

CHROMIUM = "/usr/bin/chromium"
CHROMIUM_ARGS = ["--no-sandbox", "--disable-gpu", "--disable-background-networking"]
# Runs on the appliance as root: the realm sync script's admin client creates a user.
CREATE_USER = """
import importlib.util, sys
spec = importlib.util.spec_from_file_location("kr", "/usr/local/lib/bia/keycloak-realm.py")
kr = importlib.util.module_from_spec(spec); spec.loader.exec_module(kr)
admin = kr.Admin(kr.KEYCLOAK, kr._read(kr.ADMIN_PASSWORD_FILE))
username, password = sys.argv[1], sys.argv[2]
admin.write("POST", "/admin/realms/bia/users", {"username": username, "enabled": True,
    "email": username + "@example.org", "emailVerified": True,
    "firstName": "E2E", "lastName": "Test",
    "credentials": [{"type": "password", "value": password, "temporary": False}]})
user = admin.get("/admin/realms/bia/users?exact=true&username=" + username)[0]
if sys.argv[3] == "lockout":
    print(admin.get("/admin/realms/bia/attack-detection/brute-force/users/" + user["id"]))
else:
    print(user["id"])
"""
BRUTE_FORCE_STATUS = (
    CREATE_USER.split("username, password")[0]
    + """
user = admin.get("/admin/realms/bia/users?exact=true&username=" + sys.argv[1])[0]
print(admin.get("/admin/realms/bia/attack-detection/brute-force/users/" + user["id"])["disabled"])
"""
)


def on_appliance(lab: LabHost, command: str, stdin: str = "") -> str:
    result = subprocess.run(
        [*lab.ssh_args(), command], input=stdin, capture_output=True, text=True, check=False
    )
    assert result.returncode == 0, result.stderr[-2000:]
    return result.stdout.strip()


def new_user(lab: LabHost) -> tuple[str, str, str]:
    username = f"e2e{secrets.token_hex(4)}"
    password = secrets.token_urlsafe(18)
    sub = on_appliance(lab, f"sudo python3 - {username} {password} create", CREATE_USER)
    return username, password, sub


@pytest.fixture(scope="module")
def user(lab: LabHost) -> tuple[str, str, str]:
    return new_user(lab)


@pytest.fixture(scope="module")
def browser() -> Iterator[Browser]:
    with sync_playwright() as playwright:
        chromium = playwright.chromium.launch(executable_path=CHROMIUM, args=CHROMIUM_ARGS)
        yield chromium
        chromium.close()


@pytest.fixture
def page(browser: Browser, ca_file: Path) -> Iterator[Page]:
    # The lab CA is not in Chromium's store; the TLS checks themselves are tested with
    # OpenSSL elsewhere (test_smoke). A fresh context = a fresh browser with no session.
    context = browser.new_context(ignore_https_errors=True)
    yield context.new_page()
    context.close()


@pytest.fixture
def client(lab: LabHost, ca_file: Path) -> Iterator[LoginClient]:
    login_client = LoginClient(f"https://{lab.address}", ca_file)
    yield login_client
    login_client.close()


def sign_in(page: Page, url: str, username: str, password: str) -> None:
    page.goto(url)
    page.fill("#username", username)
    page.fill("#password", password)
    page.click("#kc-login")
    page.wait_for_load_state()


def await_in_background(client: LoginClient, login: PendingLogin) -> dict[str, Any]:
    """Hold AwaitTokens open in a thread, as the desktop client does while the user signs in."""
    result: dict[str, Any] = {"events": []}

    def run() -> None:
        try:
            result["tokens"] = client.await_tokens(login, result["events"].append, timeout=120)
        except grpc.RpcError as exc:
            result["error"] = exc

    result["thread"] = threading.Thread(target=run, daemon=True)
    result["thread"].start()
    return result


def finish(result: dict[str, Any]) -> auth_pb2.Tokens:
    result["thread"].join(60)
    assert "error" not in result, result.get("error")
    tokens: auth_pb2.Tokens = result["tokens"]
    return tokens


def rpc_error(call: Any) -> grpc.RpcError:
    with pytest.raises(grpc.RpcError) as info:
        call()
    return info.value


def test_a_user_signs_in_calls_the_api_refreshes_and_logs_out(
    client: LoginClient, page: Page, user: tuple[str, str, str]
) -> None:
    username, password, sub = user
    started = time.monotonic()
    login = client.begin()
    assert "code_challenge_method=S256" in login.authorization_url
    pending = await_in_background(client, login)
    sign_in(page, login.authorization_url, username, password)
    assert "Signed in" in page.content()
    tokens = finish(pending)
    print(f"\nwhole login (BeginLogin to tokens): {time.monotonic() - started:.2f} s")
    stages = [e.stage for e in pending["events"]]
    assert stages[0] == auth_pb2.LoginEvent.Stage.WAITING_FOR_BROWSER
    assert stages[-1] == auth_pb2.LoginEvent.Stage.DELIVERED
    assert tokens.subject == sub and tokens.access_token and tokens.refresh_token

    me = client.me(tokens.access_token)
    assert me.status_code == 200, me.text
    assert me.json() == {"subject": sub, "database_user": sub}

    refreshed = client.refresh(tokens.refresh_token)
    assert refreshed.subject == sub and refreshed.refresh_token != tokens.refresh_token
    assert client.me(refreshed.access_token).status_code == 200
    # Rotation: the old refresh token worked once and is now refused.
    reused = rpc_error(lambda: client.refresh(tokens.refresh_token))
    assert reused.code() == grpc.StatusCode.UNAUTHENTICATED

    client.logout(refreshed.refresh_token)
    after = rpc_error(lambda: client.refresh(refreshed.refresh_token))
    assert after.code() == grpc.StatusCode.UNAUTHENTICATED
    assert "sign in again" in (after.details() or "")


def test_a_stolen_authorization_url_delivers_nothing_without_the_secret(
    client: LoginClient, lab: LabHost, ca_file: Path, page: Page, user: tuple[str, str, str]
) -> None:
    username, password, _ = user
    victim_login = client.begin()
    # The attacker has the URL (so its state), not the client's transaction id or secret.
    state = urllib.parse.parse_qs(urllib.parse.urlsplit(victim_login.authorization_url).query)[
        "state"
    ][0]
    sign_in(page, victim_login.authorization_url, username, password)
    callback = page.url
    assert "Signed in" in page.content()
    attacker = LoginClient(f"https://{lab.address}", ca_file)
    try:
        by_state = rpc_error(lambda: attacker.await_tokens(PendingLogin(state, "", b"x" * 32)))
        assert by_state.code() == grpc.StatusCode.NOT_FOUND
        wrong = rpc_error(
            lambda: attacker.await_tokens(
                PendingLogin(victim_login.transaction_id, "", secrets.token_bytes(32))
            )
        )
        assert wrong.code() == grpc.StatusCode.PERMISSION_DENIED
        assert "binding secret" in (wrong.details() or "")
    finally:
        attacker.close()
    # The tokens still wait for their rightful client, once.
    assert client.await_tokens(victim_login).access_token
    again = rpc_error(lambda: client.await_tokens(victim_login))
    assert again.code() == grpc.StatusCode.NOT_FOUND
    # A replayed callback (state used already) is refused.
    replay = httpx.get(callback, verify=client.tls, timeout=15)
    assert replay.status_code == 400
    assert "already used" in replay.text


def test_a_made_up_state_and_a_bad_binding_hash_are_refused(
    client: LoginClient, lab: LabHost, ca_file: Path
) -> None:
    response = httpx.get(
        f"https://{lab.address}/auth/callback?state=forged&code=x", verify=client.tls, timeout=15
    )
    assert response.status_code == 400
    bad = rpc_error(
        lambda: client.stub.BeginLogin(
            auth_pb2.BeginLoginRequest(binding_secret_sha256=b"short"), timeout=15
        )
    )
    assert bad.code() == grpc.StatusCode.INVALID_ARGUMENT


def test_tokens_from_outside_the_realm_are_refused(client: LoginClient) -> None:
    forged = (
        "eyJhbGciOiJSUzI1NiIsImtpZCI6ImZvcmdlZCJ9."
        "eyJpc3MiOiJodHRwczovL2V2aWwvcmVhbG1zL2JpYSIsInN1YiI6IngifQ.c2ln"
    )
    assert client.me(forged).status_code == 401
    anonymous = httpx.get(f"{client.url}/api/me", verify=client.tls, timeout=15)
    assert anonymous.status_code == 401


def test_repeated_wrong_passwords_lock_the_account(
    lab: LabHost, browser: Browser, client: LoginClient
) -> None:
    username, password, _ = new_user(lab)
    context = browser.new_context(ignore_https_errors=True)
    page = context.new_page()
    try:
        login = client.begin()
        for _ in range(5):  # the realm's failureFactor
            sign_in(page, login.authorization_url, username, "wrong-" + password)
            assert "Invalid username or password" in page.content()
        locked = on_appliance(lab, f"sudo python3 - {username}", BRUTE_FORCE_STATUS)
        assert locked == "True"
        # Even the right password does not get in while the lockout lasts.
        sign_in(page, login.authorization_url, username, password)
        assert "Signed in" not in page.content()
    finally:
        context.close()


def test_keycloak_down_login_fails_clearly_and_issued_tokens_keep_working(
    client: LoginClient, lab: LabHost, page: Page, user: tuple[str, str, str]
) -> None:
    username, password, sub = user
    login = client.begin()
    pending = await_in_background(client, login)
    sign_in(page, login.authorization_url, username, password)
    tokens = finish(pending)
    for _ in range(6):  # every backend worker has the keys by now (prefetched at start)
        assert client.me(tokens.access_token).status_code == 200
    on_appliance(lab, "sudo systemctl stop keycloak")
    try:
        down = rpc_error(client.begin)
        assert down.code() == grpc.StatusCode.UNAVAILABLE
        assert "identity service unavailable" in (down.details() or "")
        for _ in range(6):
            me = client.me(tokens.access_token)
            assert me.status_code == 200 and me.json()["subject"] == sub
    finally:
        on_appliance(
            lab,
            "sudo systemctl start keycloak && for i in $(seq 120); do "
            "curl -fs http://127.0.0.1:9000/health/ready >/dev/null && exit 0; sleep 1; done; "
            "exit 1",
        )


def test_the_first_operator_must_replace_the_one_time_password(
    client: LoginClient, lab: LabHost, page: Page
) -> None:
    one_time = on_appliance(lab, "sudo cat /etc/bia/credentials/keycloak-operator-initial-password")
    login = client.begin()
    pending = await_in_background(client, login)
    sign_in(page, login.authorization_url, "operator", one_time)
    assert page.locator("#password-new").count() == 1, "no 'update password' step"
    page.fill("#password-new", "short")
    page.fill("#password-confirm", "short")
    page.click("[type=submit]")
    page.wait_for_load_state()
    assert "Signed in" not in page.content()  # the password policy refused it
    new_password = secrets.token_urlsafe(18)
    page.fill("#password-new", new_password)
    page.fill("#password-confirm", new_password)
    page.click("[type=submit]")
    page.wait_for_load_state()
    assert "Signed in" in page.content()
    tokens = finish(pending)
    assert client.me(tokens.access_token).status_code == 200
