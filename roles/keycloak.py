"""keycloak: Keycloak 26 on Debian's OpenJDK 21, backed by PostgreSQL, on loopback only.

The distribution archive is pinned by version and SHA-256 (bia.keycloak): fetched from
Maven Central on the control machine (cached under /var/cache/bia-keycloak/<version>) and
uploaded, uploaded from a local file, or downloaded by the appliance from a URL. It is
unpacked to /opt/keycloak/keycloak-<version>, configured, built once (`kc.sh build`) and
started with `start --optimized` by a sandboxed unit. Only the edge reaches it; health
and metrics stay on the loopback management port. The realm is code
(policies/keycloak/realm.json), applied by roles/lib/keycloak_realm.py on every deploy.
"""

from __future__ import annotations

import hashlib
import json
import shlex
import subprocess
import sys
from collections.abc import Generator
from pathlib import Path

from pyinfra import host
from pyinfra.api import deploy, operation
from pyinfra.operations import apt, files, server

from roles import postgres
from roles.lib import keycloak_realm
from roles.lib.context import settings
from roles.lib.facts import Command
from roles.lib.ops import HEADER, postgres_database, postgres_role, secret, text, validated_file
from roles.lib.sandbox import sandbox
from roles.lib.services import sandboxed_service
from roles.lib.settings import ApplianceSettings, KeycloakSettings

REPO = Path(__file__).resolve().parents[1]
CACHE = Path("/var/cache/bia-keycloak")
ROOT = "/opt/keycloak"
USER = "keycloak"
UNIT = "keycloak"
DB = "keycloak"
CREDENTIALS = postgres.CREDENTIALS
ADMIN_PASSWORD = keycloak_realm.ADMIN_PASSWORD_FILE
REALM_SCRIPT = "/usr/local/lib/bia/keycloak-realm.py"
REALM_POLICY = "/etc/bia/keycloak/realm.json"
START_SCRIPT = "/usr/local/lib/bia/keycloak-start"
POLICY_FILE = REPO / "policies" / "keycloak" / "realm.json"


def home(kc: KeycloakSettings) -> str:
    return f"{ROOT}/keycloak-{kc.version}"


def local_archive(kc: KeycloakSettings) -> Path:
    """The archive on the control machine (maven: fetched into the cache once); its
    SHA-256 is checked here, before anything is uploaded."""
    if kc.source == "file":
        assert kc.file is not None
        archive = Path(kc.file).expanduser()
    else:
        target = CACHE / kc.version
        archive = target / f"keycloak-quarkus-dist-{kc.version}.zip"
        if not archive.exists():
            print(f"[deploy] fetching Keycloak {kc.version} with mvn", file=sys.stderr)
            target.mkdir(parents=True, exist_ok=True)
            subprocess.run(
                [
                    "mvn",
                    "-q",
                    "-B",
                    "dependency:copy",
                    f"-Dartifact=org.keycloak:keycloak-quarkus-dist:{kc.version}:zip",
                    f"-DoutputDirectory={target}",
                ],
                check=True,
                cwd="/tmp",  # noqa: S108 (mvn only needs a directory without a pom.xml)
            )
    if not archive.is_file():
        raise SystemExit(f"bia.keycloak: the archive {archive} does not exist")
    digest = hashlib.sha256(archive.read_bytes()).hexdigest()
    if digest != kc.sha256:
        raise SystemExit(
            f"bia.keycloak: {archive} has SHA-256 {digest}, but the settings pin {kc.sha256}: "
            "delete the file if it is damaged, or pin the digest of the version you meant"
        )
    return archive


def config(s: ApplianceSettings) -> str:
    kc = s.keycloak
    return f"""# {HEADER}
# Build-time options (baked in by `kc.sh build`).
db=postgres
# One node: no cluster, so no JGroups ports (they would listen on every address).
cache=local
health-enabled=true
metrics-enabled=true
# Runtime options.
db-url=jdbc:postgresql://127.0.0.1:5432/{DB}
db-username={DB}
db-pool-max-size=20
# Plain HTTP on loopback only: the TLS edge is the only client from outside.
http-enabled=true
http-host=127.0.0.1
http-port={kc.port}
# Health and metrics on their own port, bound to loopback too (inherits http-host).
http-management-port={kc.management_port}
hostname={s.url}
proxy-headers=xforwarded
proxy-trusted-addresses=127.0.0.1
log=console
log-console-output=default
"""


def start_script(kc: KeycloakSettings) -> str:
    # systemd hands the secrets over as credential files; Keycloak reads them from its
    # environment, which only root and the keycloak user can see.
    return f"""#!/bin/sh
# {HEADER}
set -eu
KC_DB_PASSWORD="$(cat "$CREDENTIALS_DIRECTORY/db-password")"
KC_BOOTSTRAP_ADMIN_PASSWORD="$(cat "$CREDENTIALS_DIRECTORY/admin-password")"
export KC_DB_PASSWORD KC_BOOTSTRAP_ADMIN_PASSWORD
exec {home(kc)}/bin/kc.sh start --optimized
"""


def unit(s: ApplianceSettings) -> str:
    kc = s.keycloak
    # The JVM writes machine code at run time (its JIT), so it cannot run under
    # MemoryDenyWriteExecute=yes: that one setting is relaxed, everything else is shared
    # with the Bia services.
    jvm_sandbox = sandbox(MemoryDenyWriteExecute="no")
    return f"""# {HEADER}
[Unit]
Description=Keycloak identity service (loopback only, behind the TLS edge)
After=network.target postgresql.service
Wants=postgresql.service

[Service]
Type=exec
User={USER}
Group={USER}
LoadCredential=db-password:{postgres.credential_path(DB)}
LoadCredential=admin-password:{ADMIN_PASSWORD}
Environment=KC_BOOTSTRAP_ADMIN_USERNAME={keycloak_realm.ADMIN_USER}
Environment="JAVA_OPTS_KC_HEAP=-Xms{kc.heap_mb // 4}m -Xmx{kc.heap_mb}m -XX:MaxMetaspaceSize=256m"
WorkingDirectory={home(kc)}
ExecStart={START_SCRIPT}
ReadWritePaths={home(kc)}/data
SuccessExitStatus=143
TimeoutStartSec=180
Restart=on-failure
RestartSec=5s
MemoryMax={kc.heap_mb + 640}M
{jvm_sandbox}
[Install]
WantedBy=multi-user.target
"""


def realm_policy(s: ApplianceSettings) -> str:
    policy = {"_managed": HEADER, **json.loads(POLICY_FILE.read_text())}
    rendered = json.dumps(policy, indent=2, sort_keys=True)
    return rendered.replace("${url}", s.url).replace("${operator}", s.keycloak.operator) + "\n"


@operation()
def keycloak_unpacked(archive: str, sha256: str, dest: str) -> Generator[str, None, None]:
    """Unpack the archive into ``dest`` after checking its SHA-256; the marker file is
    written last, so an interrupted unpack is redone."""
    marker = f"{dest}/.bia-sha256"
    if host.get_fact(Command, command=f"cat {shlex.quote(marker)}") == sha256:
        host.noop(f"{dest} is unpacked")
        return
    q, a = shlex.quote(dest), shlex.quote(archive)
    yield (
        f"set -e; echo {sha256}'  '{a} | sha256sum -c --quiet; "
        f"rm -rf {q} {q}.unpack; mkdir -p {q}.unpack; unzip -q {a} -d {q}.unpack; "
        f"mv {q}.unpack/keycloak-* {q}; rmdir {q}.unpack; echo {sha256} > {q}/.bia-sha256"
    )


@operation()
def downloaded(url: str, sha256: str, dest: str) -> Generator[str, None, None]:
    """``dest`` downloaded from ``url`` unless it already has the pinned SHA-256."""
    if host.get_fact(Command, command=f"sha256sum {shlex.quote(dest)}").startswith(sha256):
        host.noop(f"{dest} has the pinned digest")
        return
    q = shlex.quote(dest)
    yield (
        f"set -e; curl -fsSL --proto =https -o {q}.part {shlex.quote(url)}; "
        f"echo {sha256}'  '{q}.part | sha256sum -c --quiet; mv {q}.part {q}"
    )


@operation()
def realm_applied(script: str, policy: str, keycloak: str) -> Generator[str, None, None]:
    """The realm as the policy says: ``check`` reads it, ``apply`` changes what differs."""
    run = f"BIA_KEYCLOAK_URL={shlex.quote(keycloak)} python3 {shlex.quote(script)} {{}} " + (
        shlex.quote(policy)
    )
    if host.get_fact(Command, command=run.format("check")) == keycloak_realm.IN_SYNC:
        host.noop("realm is as the policy says")
        return
    yield run.format("apply")


def _secrets(s: ApplianceSettings) -> None:
    secret(name="Keycloak database password", path=postgres.credential_path(DB))
    secret(name="Keycloak master admin password (root only)", path=ADMIN_PASSWORD)
    policy = json.loads(POLICY_FILE.read_text())
    for client in policy["clients"]:
        secret(name=f"Client secret of {client['clientId']}", path=client["secretFile"])
    for user in policy["users"]:
        username = user["username"].replace("${operator}", s.keycloak.operator)
        secret(
            name=f"One-time password of {username}",
            path=user["initialPasswordFile"],
            length=20,
        )


def _archive(kc: KeycloakSettings) -> str:
    files.directory(name="Keycloak archives", path=f"{ROOT}/archives", mode="755")
    dest = f"{ROOT}/archives/keycloak-{kc.version}.zip"
    if kc.source == "url":
        assert kc.url is not None
        downloaded(name=f"Download Keycloak {kc.version}", url=kc.url, sha256=kc.sha256, dest=dest)
    else:
        files.put(
            name=f"Upload Keycloak {kc.version} (SHA-256 checked)",
            src=str(local_archive(kc)),
            dest=dest,
            mode="644",
        )
    return dest


@deploy("keycloak")
def keycloak() -> None:
    s = settings()
    kc = s.keycloak
    apt.packages(
        name="Install OpenJDK 21 and unzip",
        packages=["openjdk-21-jre-headless", "unzip"],
        no_recommends=True,
    )
    server.group(name="Service group keycloak", group=USER, system=True)
    server.user(
        name="Service user keycloak (no login, no shell)",
        user=USER,
        group=USER,
        system=True,
        shell="/usr/sbin/nologin",
        home="/var/lib/keycloak",
        create_home=False,
    )
    _secrets(s)
    postgres_role(name="Role keycloak", role=DB, secret_path=postgres.credential_path(DB))
    postgres_database(name="Database keycloak", database=DB, owner=DB)

    archive = _archive(kc)
    unpacked = keycloak_unpacked(
        name=f"Keycloak {kc.version} unpacked", archive=archive, sha256=kc.sha256, dest=home(kc)
    )
    conf = validated_file(
        name="Keycloak configuration (loopback, proxy headers from the edge), built",
        content=config(s),
        dest=f"{home(kc)}/conf/keycloak.conf",
        validate=f"{home(kc)}/bin/kc.sh build >/dev/null",
    )
    files.directory(
        name="Keycloak data directory (its only writable path)",
        path=f"{home(kc)}/data",
        user=USER,
        group=USER,
        mode="700",
    )
    files.directory(name="Bia helper scripts", path="/usr/local/lib/bia", mode="755")
    start = files.put(
        name="Keycloak start script (secrets from systemd credentials)",
        src=text(start_script(kc)),
        dest=START_SCRIPT,
        mode="755",
    )
    health = f"http://127.0.0.1:{kc.management_port}/health/ready"
    sandboxed_service(
        "Keycloak",
        UNIT,
        unit(s),
        up=f"curl -fsS {health} 2>/dev/null | grep -q '\"UP\"'",
        restart_when=[unpacked, conf, start],
        seconds=180,
    )
    _realm(s)


def _realm(s: ApplianceSettings) -> None:
    files.put(
        name="Realm sync script",
        src=str(REPO / "roles" / "lib" / "keycloak_realm.py"),
        dest=REALM_SCRIPT,
        mode="755",
    )
    files.directory(name="Keycloak policy directory", path="/etc/bia/keycloak", mode="755")
    files.put(
        name="Realm policy (policies/keycloak/realm.json)",
        src=text(realm_policy(s)),
        dest=REALM_POLICY,
        mode="644",
    )
    realm_applied(
        name="Realm bia as the policy says",
        script=REALM_SCRIPT,
        policy=REALM_POLICY,
        keycloak=f"http://127.0.0.1:{s.keycloak.port}",
    )
