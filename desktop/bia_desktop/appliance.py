"""Which appliance this client talks to, and the one CA it trusts for it.

The package is built for one appliance: the build writes bia_desktop/appliance.json
(name, host, port, the CA certificate and its SHA-256) into it. The CA is the only
one the client trusts: not the system's, so no public CA (or a CA a user was talked
into installing) can vouch for a look-alike appliance. A development checkout has no
such file; `bia --appliance-config PATH` names one.
"""

from __future__ import annotations

import hashlib
import hmac
import ipaddress
import json
import ssl
from dataclasses import dataclass
from importlib import resources
from pathlib import Path
from typing import Any

BAKED_NAME = "appliance.json"  # next to this module: bia_desktop/appliance.json
KEYS = ("name", "host", "port", "ca_pem", "ca_sha256")


class ApplianceConfigError(ValueError):
    """The appliance description is missing a field or does not hold together."""


@dataclass(frozen=True)
class Appliance:
    name: str  # the keychain account the refresh token is kept under
    host: str  # where to connect
    port: int
    server_name: str  # what the certificate must name: a DNS name or an IP address
    ca_pem: str
    ca_sha256: str  # hex, of the CA certificate's DER

    @property
    def address(self) -> str:
        host = f"[{self.host}]" if _is_ipv6(self.host) else self.host
        return host if self.port == 443 else f"{host}:{self.port}"


def _is_ipv6(host: str) -> bool:
    try:
        return ipaddress.ip_address(host).version == 6
    except ValueError:
        return False


def ca_fingerprint(ca_pem: str) -> str:
    """SHA-256 of the certificate's DER, lower-case hex (what `openssl x509 -fingerprint
    -sha256` prints, without the colons). Exactly one certificate: the TLS context
    trusts every certificate in ca_pem, so a second one would be trusted unpinned."""
    if ca_pem.count("-----BEGIN CERTIFICATE-----") > 1:
        raise ApplianceConfigError(
            "the CA must be exactly one certificate (the appliance's own); this one holds "
            f"{ca_pem.count('-----BEGIN CERTIFICATE-----')}. Get the client again from your "
            "appliance's download page."
        )
    try:
        der = ssl.PEM_cert_to_DER_cert(ca_pem.strip() + "\n")
    except ValueError as exc:
        raise ApplianceConfigError(f"the CA certificate is not a PEM certificate: {exc}") from None
    return hashlib.sha256(der).hexdigest()


def _normalised_fingerprint(value: str) -> str:
    return value.replace(":", "").strip().lower()


def from_dict(data: dict[str, Any], source: str = "appliance config") -> Appliance:
    missing = [key for key in KEYS if key not in data]
    if missing:
        raise ApplianceConfigError(f"{source}: missing {', '.join(missing)} (needs {KEYS})")
    name, host, ca_pem, ca_sha256 = (data[k] for k in ("name", "host", "ca_pem", "ca_sha256"))
    port = data["port"]
    if not all(isinstance(v, str) and v.strip() for v in (name, host, ca_pem, ca_sha256)):
        raise ApplianceConfigError(f"{source}: name, host, ca_pem and ca_sha256 must be text")
    if isinstance(port, bool) or not isinstance(port, int) or not 0 < port < 65536:
        raise ApplianceConfigError(f"{source}: port must be a number from 1 to 65535")
    expected = _normalised_fingerprint(ca_sha256)
    actual = ca_fingerprint(ca_pem)
    if not hmac.compare_digest(expected, actual):
        raise ApplianceConfigError(
            f"{source}: the CA certificate's SHA-256 is {actual}, not the expected {expected}: "
            "this client will not trust it. Get the client (or the CA) again from your "
            "appliance, and compare the fingerprint with the one it shows."
        )
    return Appliance(
        name=name.strip(),
        host=host.strip(),
        port=port,
        # The appliance's certificate names the address clients use (its IP or DNS name).
        server_name=str(data.get("server_name") or host).strip(),
        ca_pem=ca_pem,
        ca_sha256=actual,
    )


def _parse(text: str, source: str) -> Appliance:
    try:
        data = json.loads(text)
    except ValueError as exc:
        raise ApplianceConfigError(f"{source}: not valid JSON: {exc}") from None
    if not isinstance(data, dict):
        raise ApplianceConfigError(f"{source}: expected a JSON object with {KEYS}")
    return from_dict(data, source)


def load(path: Path) -> Appliance:
    """Read and check an appliance description (JSON with the keys in KEYS)."""
    try:
        text = Path(path).read_text(encoding="utf-8")
    except FileNotFoundError:
        raise ApplianceConfigError(f"{path}: no such file") from None
    except (OSError, ValueError) as exc:
        raise ApplianceConfigError(f"{path}: cannot be read: {exc}") from None
    return _parse(text, str(path))


def baked() -> Appliance | None:
    """The appliance this package was built for, or None in a development checkout.

    Read through importlib.resources, which also reads it from inside the zipapp (where
    Path(__file__).parent is a path into the archive, not a directory).
    """
    resource = resources.files(__package__ or "bia_desktop").joinpath(BAKED_NAME)
    if not resource.is_file():
        return None
    return _parse(resource.read_text(encoding="utf-8"), f"the built-in {BAKED_NAME}")
