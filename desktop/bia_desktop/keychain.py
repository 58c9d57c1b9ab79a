"""The refresh token in the OS keychain, and a refusal to use an insecure keychain.

keyring picks a backend by priority and, with keyrings.alt installed and no D-Bus,
quietly falls back to a file that holds the secret in base64. So the backend is
checked by its concrete type against an allow-list, and a chainer is checked member
by member (a chainer writes to the next backend when the first one fails).
"""

from __future__ import annotations

import contextlib
import threading
from typing import Final, NoReturn, Protocol

import keyring
import keyring.backend
import keyring.errors
from keyring.backends.chainer import ChainerBackend

from bia_desktop.secret import Secret

SERVICE: Final = "bia"
_REFRESH_TOKEN: Final = "refresh-token"  # noqa: S105 (an account name, not a secret)

# Keychains that keep secrets encrypted by the OS, unlocked with the user's session.
SECURE_BACKENDS: Final = frozenset(
    {
        "keyring.backends.SecretService.Keyring",
        "keyring.backends.libsecret.Keyring",
        "keyring.backends.kwallet.DBusKeyring",
        "keyring.backends.macOS.Keyring",
        "keyring.backends.Windows.WinVaultKeyring",
    }
)

HOW_TO_FIX: Final = (
    "Bia keeps your sign-in in the desktop's keychain (the Secret Service) and will not "
    "store it anywhere less safe. Install and start one: on Debian or Ubuntu run "
    "'sudo apt install gnome-keyring' (GNOME, most desktops) and log out and in again, or "
    "enable KeePassXC's Secret Service integration (Tools > Settings > Secret Service "
    "Integration). If you set PYTHON_KEYRING_BACKEND or a keyringrc.cfg, remove it."
)


class RefreshTokenStore(Protocol):
    """Where the refresh token lives: the Keychain below, or an in-memory one in tests."""

    def store_refresh_token(self, token: Secret) -> None: ...
    def load_refresh_token(self) -> Secret | None: ...
    def forget_refresh_token(self) -> None: ...


class InsecureKeychainError(RuntimeError):
    """The keychain keyring chose would not protect the refresh token; Bia refuses to start."""


def backend_name(backend: keyring.backend.KeyringBackend) -> str:
    cls = type(backend)
    return f"{cls.__module__}.{cls.__qualname__}"


def _insecure_reason(backend: keyring.backend.KeyringBackend) -> str | None:
    name = backend_name(backend)
    if name in SECURE_BACKENDS:
        return None
    if name.startswith("keyrings.alt."):
        return f"{name} keeps secrets in a file in your home directory, not in a keychain"
    if name == "keyring.backends.null.Keyring":
        return f"{name} stores nothing (keyring was told to use no keychain)"
    if name == "keyring.backends.fail.Keyring":
        return f"{name} means keyring found no usable keychain (no Secret Service on D-Bus?)"
    return f"{name} is not a keychain Bia knows to be safe"


def secure_backend(backend: keyring.backend.KeyringBackend) -> keyring.backend.KeyringBackend:
    """The backend to use, or InsecureKeychainError saying why there is none.

    A chainer (what keyring picks when several backends are viable, e.g. the Secret
    Service plus keyrings.alt's file) writes to the next backend when the first one
    fails: a refused prompt would quietly put the token in a file. So the chain's
    first choice is used on its own if it is secure, and refused if it is not.
    """
    if isinstance(backend, ChainerBackend):
        members = list(backend.backends)
        if not members:
            _refuse("keyring found no keychain at all (an empty chain)")
        first: keyring.backend.KeyringBackend = members[0]
        reason = _insecure_reason(first)
        if reason is not None:
            _refuse(f"keyring's first choice is unsafe: {reason}")
        return first
    reason = _insecure_reason(backend)
    if reason is not None:
        _refuse(reason)
    return backend


def _refuse(reason: str) -> NoReturn:
    raise InsecureKeychainError(f"Bia will not start: {reason}.\n{HOW_TO_FIX}")


class Keychain:
    """The refresh token, kept in the OS keychain under service 'bia' and one account.

    The account names the appliance, so two appliances never share a token.
    """

    def __init__(self, account: str, backend: keyring.backend.KeyringBackend | None = None) -> None:
        self._backend = secure_backend(backend if backend is not None else keyring.get_keyring())
        self._account = account
        self._lock = threading.Lock()

    @property
    def backend(self) -> str:
        return backend_name(self._backend)

    def _key(self) -> str:
        return f"{self._account}/{_REFRESH_TOKEN}"

    def store_refresh_token(self, token: Secret) -> None:
        with self._lock:
            self._backend.set_password(SERVICE, self._key(), token.reveal())

    def load_refresh_token(self) -> Secret | None:
        with self._lock:
            value = self._backend.get_password(SERVICE, self._key())
        return Secret(value) if value else None

    def forget_refresh_token(self) -> None:
        # Nothing stored means already forgotten.
        with self._lock, contextlib.suppress(keyring.errors.PasswordDeleteError):
            self._backend.delete_password(SERVICE, self._key())
