"""base: the packages, clock, locale and service users every Bia appliance has."""

from __future__ import annotations

from pyinfra.api import deploy
from pyinfra.operations import apt, files, server, systemd

from roles.lib.context import in_container, settings
from roles.lib.ops import HEADER, finish_interrupted_dpkg, text

PACKAGES = [
    "ca-certificates",
    "curl",
    "locales",
    "openssl",
    "python3",
    "python3-venv",
    "systemd-timesyncd",
]
SERVICE_USER = "bia"


@deploy("base")
def base() -> None:
    s = settings()
    # A deploy interrupted during apt must not wedge the next one: wait for the dpkg lock
    # instead of failing, and finish any half-configured packages first.
    files.put(
        name="apt waits for the dpkg lock",
        dest="/etc/apt/apt.conf.d/50bia-lock",
        src=text(f'// {HEADER}\nDPkg::Lock::Timeout "300";\n'),
    )
    finish_interrupted_dpkg(name="Finish packages an interrupted run left half-configured")
    apt.update(name="Refresh package lists (at most hourly)", cache_time=3600)
    apt.packages(name="Install base packages", packages=PACKAGES, no_recommends=True)
    _locale(s.locale)
    files.link(
        name=f"Time zone {s.timezone}",
        path="/etc/localtime",
        target=f"/usr/share/zoneinfo/{s.timezone}",
    )
    files.put(name="Time zone name", src=text(f"{s.timezone}\n"), dest="/etc/timezone")
    # In a container the host's clock rules and timesyncd skips itself by design
    # (ConditionVirtualization=!container); on a VM it keeps time.
    systemd.service(
        name="Time sync enabled (running unless in a container)",
        service="systemd-timesyncd",
        enabled=True,
        running=None if in_container() else True,
    )
    _service_users()


def _locale(locale: str) -> None:
    gen = files.line(
        name=f"Locale {locale} generated",
        path="/etc/locale.gen",
        line=rf"^#?\s*{locale.replace('.', '[.]')} UTF-8",
        replace=f"{locale} UTF-8",
    )
    server.shell(name="Generate locales", commands=["locale-gen"], _if=gen.did_change)
    # Debian 13: /etc/default/locale is a link to /etc/locale.conf.
    files.put(name="Default locale", src=text(f"LANG={locale}\n"), dest="/etc/locale.conf")


def _service_users() -> None:
    server.group(name="Service group bia", group=SERVICE_USER, system=True)
    server.user(
        name="Service user bia (no login, no shell)",
        user=SERVICE_USER,
        group=SERVICE_USER,
        system=True,
        shell="/usr/sbin/nologin",
        home="/var/lib/bia",
        create_home=False,
    )
    files.directory(name="Configuration directory", path="/etc/bia", mode="755")
    files.directory(
        name="Credentials directory (root only)", path="/etc/bia/credentials", mode="700"
    )
