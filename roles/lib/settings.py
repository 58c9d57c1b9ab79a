"""The appliance settings, read from the inventory's ``bia`` host data and checked up front.

A deploy with missing or malformed settings stops before it touches the host, and the
error names the field (for example ``bia.tls.mode``). Defaults are documented here and
in inventory/example.py.
"""

from __future__ import annotations

import ipaddress
import re
import zoneinfo
from typing import Any, Literal

from pydantic import (
    BaseModel,
    ConfigDict,
    Field,
    ValidationError,
    field_validator,
    model_validator,
)

from hardening.settings import HardeningSettings

HOSTNAME = re.compile(
    r"^(?=.{1,253}$)([a-z0-9]([a-z0-9-]{0,61}[a-z0-9])?)(\.[a-z0-9]([a-z0-9-]{0,61}[a-z0-9])?)*$"
)


class _Strict(BaseModel):
    model_config = ConfigDict(extra="forbid", frozen=True)


class TlsSettings(_Strict):
    # local-ca: the appliance's own CA signs its certificate (works on a LAN, no domain needed).
    mode: Literal["local-ca"] = "local-ca"
    # How long browsers must insist on HTTPS (Mozilla "modern": two years).
    hsts_max_age: int = Field(default=63_072_000, ge=31_536_000)
    # Days the edge certificate is valid (the CA itself is valid for ten years).
    certificate_days: int = Field(default=397, ge=1, le=825)


class PostgresSettings(_Strict):
    # Debian 13 ships PostgreSQL 17; the role configures /etc/postgresql/<version>/main.
    version: Literal["17"] = "17"


class BackendSettings(_Strict):
    # The REST service listens on 127.0.0.1:<port>; only the TLS edge reaches it.
    port: int = Field(default=8000, ge=1024, le=65535)
    workers: int = Field(default=2, ge=1, le=16)


KEYCLOAK_VERSION = "26.5.6"
# SHA-256 of org.keycloak:keycloak-quarkus-dist:26.5.6:zip on Maven Central.
KEYCLOAK_SHA256 = "490189d9dff05272432d51f71a069462eeca97f2920a694d539a1e6c26a5a347"


class KeycloakSettings(_Strict):
    # Keycloak 26.x; the archive must match ``sha256`` or the deploy stops.
    version: str = Field(default=KEYCLOAK_VERSION, pattern=r"^26\.\d+\.\d+$")
    sha256: str = Field(default=KEYCLOAK_SHA256, pattern=r"^[0-9a-f]{64}$")
    # Where the archive comes from:
    #   maven: fetched on the control machine with `mvn dependency:copy` (cached under
    #          /var/cache/bia-keycloak/<version>) and uploaded by the deploy;
    #   url:   downloaded by the appliance itself from ``url``;
    #   file:  a local archive (``file``, on the control machine) uploaded by the deploy.
    source: Literal["maven", "url", "file"] = "maven"
    url: str | None = None
    file: str | None = None
    # JVM heap in MiB. 512 is enough for a household or a small practice on a 2 GiB VPS.
    heap_mb: int = Field(default=512, ge=256, le=16384)
    # Loopback ports: HTTP (behind the edge) and the management interface (health, metrics).
    port: int = Field(default=8080, ge=1024, le=65535)
    management_port: int = Field(default=9000, ge=1024, le=65535)
    # The first operator account (realm role bia-admin, one-time password).
    operator: str = Field(default="operator", pattern=r"^[a-z][a-z0-9._-]{2,63}$")

    @model_validator(mode="after")
    def _source(self) -> KeycloakSettings:
        if self.source == "url" and not (self.url and self.url.startswith("https://")):
            raise ValueError("source 'url' needs url = an https:// address of the archive")
        if self.source == "file" and not self.file:
            raise ValueError("source 'file' needs file = the archive's path on this machine")
        if self.port == self.management_port:
            raise ValueError("port and management_port must differ")
        return self


class ApplianceSettings(_Strict):
    # The name (or IP address) clients use: the appliance answers on https://<domain>/.
    domain: str
    # Extra IP addresses to put in the TLS certificate (the domain, if an IP, is added).
    extra_addresses: tuple[str, ...] = ()
    timezone: str = "UTC"
    locale: str = "en_US.UTF-8"
    tls: TlsSettings = TlsSettings()
    postgres: PostgresSettings = PostgresSettings()
    backend: BackendSettings = BackendSettings()
    hardening: HardeningSettings = HardeningSettings()
    keycloak: KeycloakSettings = KeycloakSettings()

    @field_validator("domain")
    @classmethod
    def _domain(cls, value: str) -> str:
        value = value.strip().lower()
        if _is_ip(value) or HOSTNAME.match(value):
            return value
        raise ValueError(
            "must be a DNS name like bia.example.org or an IP address, without scheme or path"
        )

    @field_validator("extra_addresses")
    @classmethod
    def _addresses(cls, value: tuple[str, ...]) -> tuple[str, ...]:
        for address in value:
            if not _is_ip(address):
                raise ValueError(f"{address!r} is not an IP address")
        return value

    @field_validator("timezone")
    @classmethod
    def _timezone(cls, value: str) -> str:
        if value not in zoneinfo.available_timezones():
            raise ValueError(f"{value!r} is not a time zone name such as Europe/Berlin or UTC")
        return value

    @field_validator("locale")
    @classmethod
    def _locale(cls, value: str) -> str:
        if not re.fullmatch(r"[a-z]{2,3}_[A-Z]{2}\.UTF-8", value):
            raise ValueError("must look like en_US.UTF-8 (a UTF-8 locale)")
        return value

    @property
    def url(self) -> str:
        host = f"[{self.domain}]" if ":" in self.domain else self.domain
        return f"https://{host}"

    @property
    def certificate_names(self) -> tuple[list[str], list[str]]:
        """(DNS names, IP addresses) that the edge certificate covers."""
        dns = [] if _is_ip(self.domain) else [self.domain]
        ips = [self.domain] if _is_ip(self.domain) else []
        ips += [a for a in self.extra_addresses if a not in ips]
        return dns, ips


def _is_ip(value: str) -> bool:
    try:
        ipaddress.ip_address(value)
    except ValueError:
        return False
    return True


class SettingsError(Exception):
    """The inventory's settings are missing or malformed; nothing was changed on the host."""


def parse(raw: Any, host_name: str = "host") -> ApplianceSettings:
    if raw is None:
        raise SettingsError(
            f"{host_name}: the inventory has no 'bia' settings; see inventory/example.py"
        )
    try:
        return ApplianceSettings.model_validate(raw)
    except ValidationError as exc:
        problems = []
        for error in exc.errors():
            field = ".".join(["bia", *(str(p) for p in error["loc"])])
            problems.append(f"  {field}: {error['msg']}")
        raise SettingsError(
            f"{host_name}: the inventory's settings are not valid, nothing was changed:\n"
            + "\n".join(problems)
        ) from None
