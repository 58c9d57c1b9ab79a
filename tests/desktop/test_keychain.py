import subprocess
import sys
from pathlib import Path

import pytest

pytestmark = pytest.mark.desktop
keyring = pytest.importorskip("keyring")
file_backends = pytest.importorskip("keyrings.alt.file")

from bia_desktop.keychain import InsecureKeychainError, Keychain, secure_backend  # noqa: E402
from keyring.backend import KeyringBackend  # noqa: E402
from keyring.backends import SecretService, chainer, fail, null  # noqa: E402

from tests.desktop.session import client_env, have, run_with_keyring  # noqa: E402


@pytest.mark.parametrize(
    ("backend", "says"),
    [
        (file_backends.PlaintextKeyring(), "keeps secrets in a file"),
        (null.Keyring(), "stores nothing"),  # type: ignore[no-untyped-call]
        (fail.Keyring(), "found no usable keychain"),  # type: ignore[no-untyped-call]
    ],
    ids=["plaintext", "null", "fail"],
)
def test_an_insecure_backend_is_refused_with_what_to_do(backend: object, says: str) -> None:
    keyring.set_keyring(backend)
    try:
        with pytest.raises(InsecureKeychainError) as refused:
            Keychain("appliance")
    finally:
        keyring.core._keyring_backend = None  # let the next test resolve afresh
    message = str(refused.value)
    assert says in message
    assert type(backend).__name__ in message
    assert "gnome-keyring" in message and "KeePassXC" in message


def chained(*backends: object) -> KeyringBackend:
    """A ChainerBackend over the given backends, in this order (what keyring builds when
    several backends are viable, highest priority first)."""
    chain: KeyringBackend = type("Chain", (chainer.ChainerBackend,), {"backends": list(backends)})()
    return chain


def test_a_chain_whose_first_choice_is_a_file_is_refused() -> None:
    chain = chained(file_backends.PlaintextKeyring(), SecretService.Keyring())  # type: ignore[no-untyped-call]
    with pytest.raises(InsecureKeychainError, match="first choice is unsafe"):
        secure_backend(chain)


def test_a_chain_led_by_the_secret_service_uses_it_alone_never_the_file_fallback() -> None:
    secret_service = SecretService.Keyring()  # type: ignore[no-untyped-call]

    chain = chained(secret_service, file_backends.PlaintextKeyring())
    assert secure_backend(chain) is secret_service


def test_the_client_refuses_to_start_with_a_forced_plaintext_backend(tmp_path: Path) -> None:
    env = client_env(tmp_path, PYTHON_KEYRING_BACKEND="keyrings.alt.file.PlaintextKeyring")
    started = subprocess.run(
        [sys.executable, "-m", "bia_desktop"],
        env=env,
        capture_output=True,
        text=True,
        timeout=60,
        check=False,
    )
    assert started.returncode == 2, started.stderr
    assert "Bia will not start" in started.stderr
    assert "PlaintextKeyring" in started.stderr
    assert "sudo apt install gnome-keyring" in started.stderr
    assert not (tmp_path / "state" / "bia").exists()  # refused before touching anything


@pytest.mark.skipif(not have("dbus-run-session", "gnome-keyring-daemon"), reason="no D-Bus")
def test_the_refresh_token_round_trips_through_the_secret_service(tmp_path: Path) -> None:
    code = (
        "from bia_desktop.keychain import Keychain\n"
        "from bia_desktop.secret import Secret\n"
        "k = Keychain('lab.example')\n"
        "print(k.backend)\n"
        "k.store_refresh_token(Secret('rt-123'))\n"
        "print(Keychain('lab.example').load_refresh_token().reveal())\n"
        "print(Keychain('other.example').load_refresh_token())\n"
        "k.forget_refresh_token(); k.forget_refresh_token()\n"
        "print(k.load_refresh_token())\n"
    )
    result = run_with_keyring(code, tmp_path)
    assert result.returncode == 0, result.stderr
    assert result.stdout.split() == [
        "keyring.backends.SecretService.Keyring",
        "rt-123",
        "None",  # another appliance's account sees nothing
        "None",
    ]
    # and nothing landed in keyrings.alt's plaintext file
    assert not list(tmp_path.rglob("keyring_pass.cfg"))
