"""Operations that pyinfra lacks, each idempotent: they read a fact and act only on a difference."""

from __future__ import annotations

import hashlib
import re
import shlex
import tarfile
from collections.abc import Generator
from io import BytesIO, StringIO
from pathlib import Path

from pyinfra import host
from pyinfra.api import FileUploadCommand, operation
from pyinfra.facts.files import File, Sha256File

from roles.lib.facts import AlembicRevision, Command, PostgresDatabases, PostgresRoleNames

HEADER = "managed by Bia deploy: local edits are overwritten"


STAGING = "/var/lib/bia-deploy/staging"


def text(content: str) -> StringIO:
    """File content for files.put."""
    return StringIO(content)


@operation()
def secret(path: str, length: int = 40) -> Generator[str, None, None]:
    """A random secret in a root-only file, generated once and never sent back to us."""
    if host.get_fact(File, path=path):
        host.noop(f"secret {path} exists")
        return
    quoted = shlex.quote(path)
    yield (
        f"umask 077 && mkdir -p {shlex.quote(path.rsplit('/', 1)[0])} && "
        f"head -c 96 /dev/urandom | base64 -w0 | tr -dc 'A-Za-z0-9' | head -c {length} "
        f"> {quoted}.new && test -s {quoted}.new && mv {quoted}.new {quoted}"
    )


@operation()
def validated_file(
    content: str,
    dest: str,
    validate: str,
    reload: str | None = None,
    mode: str = "644",
    user: str = "root",
    group: str = "root",
) -> Generator[str | FileUploadCommand, None, None]:
    """Install a configuration file only if ``validate`` accepts it, then reload its service.

    The previous file is restored when validation fails, so the live configuration stays
    valid and a re-run tries again.
    """
    data = content.encode()
    if host.get_fact(Sha256File, path=dest) == hashlib.sha256(data).hexdigest():
        info = host.get_fact(File, path=dest)
        if info and info["user"] == user and info["group"] == group and info["mode"] == int(mode):
            host.noop(f"{dest} is up to date")
            return
    # Staged and previous copies live outside the service's configuration directories
    # (nginx, for one, loads every file in sites-enabled/).
    slot = f"{STAGING}/{dest.strip('/').replace('/', '__')}"
    q, new, old = shlex.quote(dest), shlex.quote(f"{slot}.new"), shlex.quote(f"{slot}.old")
    yield f"mkdir -p -m 700 {STAGING}"
    yield FileUploadCommand(BytesIO(data), f"{slot}.new")
    yield f"chown {user}:{group} {new} && chmod {mode} {new}"
    yield (
        f"rm -f {old}; if [ -e {q} ]; then cp -p {q} {old}; fi; mv {new} {q}; "
        f"if ! ( {validate} ); then "
        f"if [ -e {old} ]; then mv {old} {q}; else rm -f {q}; fi; "
        f"echo 'validation of {dest} failed: the previous file was kept' >&2; exit 1; fi; "
        f"rm -f {old}"
    )
    if reload:
        yield reload


def _psql(*lines: str, preamble: str = "") -> str:
    """Feed SQL lines to psql as the postgres superuser, on standard input."""
    body = " ".join(shlex.quote(line) for line in lines)
    return (
        f"{{ {preamble} printf '%s\\n' {body}; }} "
        "| runuser -u postgres -- psql -X -v ON_ERROR_STOP=1 -q"
    )


@operation()
def postgres_role(role: str, secret_path: str) -> Generator[str, None, None]:
    """A login role whose password is the secret file's content."""
    _identifier(role)
    if role in host.get_fact(PostgresRoleNames) and host.get_fact(File, path=secret_path):
        host.noop(f"role {role} exists")
        return
    q = shlex.quote(secret_path)
    # The password travels on psql's standard input, never on a command line.
    preamble = f"printf '%s\\n' \"\\\\set pw '$(cat {q})'\";"
    yield f"test -s {q} && " + _psql(
        f"SELECT format('CREATE ROLE %I LOGIN', '{role}') "
        f"WHERE NOT EXISTS (SELECT FROM pg_roles WHERE rolname = '{role}') \\gexec",
        f"ALTER ROLE {role} WITH LOGIN NOSUPERUSER NOCREATEDB NOCREATEROLE NOBYPASSRLS "
        "PASSWORD :'pw';",
        preamble=preamble,
    )


@operation()
def postgres_database(
    database: str, owner: str, connect: tuple[str, ...] = ()
) -> Generator[str, None, None]:
    """A database owned by ``owner`` that only ``owner`` and the ``connect`` roles may
    connect to (created if missing, ownership and privileges corrected)."""
    for identifier in (database, owner, *connect):
        _identifier(identifier)
    found = host.get_fact(PostgresDatabases).get(database)
    wanted = {f"{role}=c/" for role in connect}
    acl = found[1].split(",") if found else []
    if (
        found
        and found[0] == owner
        and not any(entry.startswith("=") for entry in acl)  # nothing granted to PUBLIC
        and all(any(entry.startswith(w) for entry in acl) for w in wanted)
    ):
        host.noop(f"database {database} exists")
        return
    yield _psql(
        f"SELECT format('CREATE DATABASE %I OWNER %I', '{database}', '{owner}') "
        f"WHERE NOT EXISTS (SELECT FROM pg_database WHERE datname = '{database}') \\gexec",
        f"ALTER DATABASE {database} OWNER TO {owner};",
        f"REVOKE ALL ON DATABASE {database} FROM PUBLIC;",
        *(f"GRANT CONNECT ON DATABASE {database} TO {role};" for role in connect),
    )


def _identifier(name: str) -> str:
    """Role and database names are code, not input: refuse anything but plain identifiers."""
    if not re.fullmatch(r"[a-z_][a-z0-9_]{0,62}", name):
        raise ValueError(f"{name!r} is not a plain PostgreSQL identifier")
    return name


TLS_DIR = "/etc/bia/tls"


@operation()
def local_ca(common_name: str, permitted: list[str]) -> Generator[str, None, None]:
    """The appliance's own certificate authority, made once; its key never leaves the host.

    Name constraints limit the CA to the appliance's own names, so even a stolen CA key
    cannot vouch for any other site to a client that trusts it.
    """
    if host.get_fact(File, path=f"{TLS_DIR}/ca.crt"):
        host.noop("local CA exists")
        return
    constraints = ",".join(f"permitted;{name}" for name in permitted)
    yield (
        f"set -e; umask 077; mkdir -p {TLS_DIR}; cd {TLS_DIR}; "
        "openssl req -x509 -new -newkey ec -pkeyopt ec_paramgen_curve:P-384 -sha384 -nodes "
        f"-keyout ca.key -out ca.crt.new -days 3650 -subj {shlex.quote('/CN=' + common_name)} "
        "-addext 'basicConstraints=critical,CA:TRUE,pathlen:0' "
        "-addext 'keyUsage=critical,keyCertSign,cRLSign' "
        f"-addext {shlex.quote('nameConstraints=critical,' + constraints)}; "
        "chmod 644 ca.crt.new; mv ca.crt.new ca.crt"
    )


@operation()
def server_certificate(
    extensions: str, common_name: str, days: int, renew_within_days: int = 30
) -> Generator[str | FileUploadCommand, None, None]:
    """The edge certificate, signed by the local CA; reissued when its names change or it
    comes within ``renew_within_days`` of expiry."""
    crt = f"{TLS_DIR}/server.crt"
    same_names = (
        host.get_fact(Sha256File, path=f"{TLS_DIR}/server.ext")
        == hashlib.sha256(extensions.encode()).hexdigest()
    )
    fresh = host.get_fact(
        Command,
        command=f"openssl x509 -noout -checkend {renew_within_days * 86400} -in {crt} && "
        f"openssl verify -CAfile {TLS_DIR}/ca.crt {crt}",
    ).endswith(": OK")
    if same_names and fresh:
        host.noop("edge certificate is current")
        return
    yield FileUploadCommand(BytesIO(extensions.encode()), f"{TLS_DIR}/server.ext.new")
    yield (
        f"set -e; umask 077; cd {TLS_DIR}; "
        "openssl req -new -newkey ec -pkeyopt ec_paramgen_curve:P-256 -nodes "
        f"-keyout server.key.new -out server.csr -subj {shlex.quote('/CN=' + common_name)}; "
        "openssl x509 -req -sha256 -in server.csr -CA ca.crt -CAkey ca.key "
        f"-set_serial 0x$(openssl rand -hex 16) -days {days} -extfile server.ext.new "
        "-extensions bia -out server.crt.new; "
        "openssl verify -CAfile ca.crt server.crt.new >/dev/null; "
        "chmod 644 server.crt.new; mv server.key.new server.key; mv server.crt.new server.crt; "
        "mv server.ext.new server.ext; rm -f server.csr"
    )


@operation()
def python_venv(path: str, wheelhouse: str, lock_digest: str) -> Generator[str, None, None]:
    """A virtual environment installed offline from ``wheelhouse``, every hash checked.

    Rebuilt from scratch whenever the lock changes; the marker is written last, so an
    interrupted install is simply redone by the next deploy.
    """
    marker = f"{path}/.bia-lock-sha256"
    if host.get_fact(Command, command=f"cat {shlex.quote(marker)}") == lock_digest:
        host.noop(f"{path} matches the lock")
        return
    q = shlex.quote(path)
    yield (
        f"set -e; rm -rf {q}; python3 -m venv {q}; "
        f"{q}/bin/pip install --quiet --no-index --find-links {shlex.quote(wheelhouse)} "
        f"--require-hashes -r {shlex.quote(wheelhouse)}/requirements.lock; "
        f"echo {lock_digest} > {q}/.bia-lock-sha256"
    )


@operation()
def migrate(database: str, head: str, unit: str) -> Generator[str, None, None]:
    """Bring the schema to ``head`` by starting the one-shot migration unit, if behind."""
    if host.get_fact(AlembicRevision, database=database) == head:
        host.noop(f"schema of {database} is at {head}")
        return
    yield f"systemctl start {unit}.service"


@operation()
def finish_interrupted_dpkg() -> Generator[str, None, None]:
    """``dpkg --configure -a`` when an interrupted run left packages half-installed."""
    if not host.get_fact(Command, command="dpkg --audit"):
        host.noop("no interrupted package installs")
        return
    yield "DEBIAN_FRONTEND=noninteractive dpkg --configure -a"


def tree_archive(
    sources: dict[str, Path], exclude_names: frozenset[str] | set[str] = frozenset()
) -> bytes:
    """A deterministic tar of local directories ({name in archive: directory}): same files,
    same bytes, so its digest says whether anything changed."""
    skip_dirs = {"__pycache__", ".mypy_cache", ".pytest_cache"}
    buffer = BytesIO()
    with tarfile.open(fileobj=buffer, mode="w", format=tarfile.PAX_FORMAT) as tar:
        for prefix, root in sorted(sources.items()):
            for path in sorted(root.rglob("*")):
                relative = path.relative_to(root)
                if (
                    not path.is_file()
                    or path.suffix == ".pyc"
                    or path.name in exclude_names
                    or skip_dirs.intersection(relative.parts)
                ):
                    continue
                info = tarfile.TarInfo(str(Path(prefix) / relative))
                info.size = path.stat().st_size
                info.mode = 0o644
                info.uname = info.gname = "root"
                with path.open("rb") as handle:
                    tar.addfile(info, handle)
    return buffer.getvalue()


@operation()
def unpacked_tree(archive: bytes, dest: str) -> Generator[str | FileUploadCommand, None, None]:
    """Replace directory ``dest`` with the archive's content when its digest differs.

    The new tree is unpacked beside the old one and swapped in, so a failure midway leaves
    the old tree in place and the digest marker unwritten: the next deploy redoes it.
    """
    digest = hashlib.sha256(archive).hexdigest()
    q = shlex.quote(dest)
    if host.get_fact(Command, command=f"cat {q}/.bia-tree-sha256") == digest:
        host.noop(f"{dest} is up to date")
        return
    yield FileUploadCommand(BytesIO(archive), f"{dest}.tar")
    yield (
        f"set -e; rm -rf {q}.new {q}.old; mkdir -p {q}.new; "
        f"tar -xf {q}.tar -C {q}.new --no-same-owner; chmod -R u=rwX,go=rX {q}.new; "
        f"echo {digest} > {q}.new/.bia-tree-sha256; "
        f"if [ -d {q} ]; then mv {q} {q}.old; fi; mv {q}.new {q}; rm -rf {q}.old {q}.tar"
    )


@operation()
def ready(check: str, unit: str, what: str, seconds: int = 90) -> Generator[str, None, None]:
    """Wait until the shell ``check`` succeeds (a service is up). A service that is already
    up is a no-op; on time-out the error says what did not happen and shows the unit's
    state and last log lines, so it is enough to act on."""
    if host.get_fact(Command, command=f"{check} && echo ready") == "ready":
        host.noop(f"{unit} is up")
        return
    yield (
        f"for i in $(seq {seconds * 2}); do if {check}; then exit 0; fi; sleep 0.5; done; "
        f"echo '{what} within {seconds} s; its state and last log lines follow "
        f"(more: journalctl -u {unit}):' >&2; "
        f"systemctl --no-pager status {unit} >&2 || true; "
        f"journalctl --no-pager -n 30 -u {unit} >&2; exit 1"
    )
