"""Build the desktop client as one wheel, and bake it for one appliance.

    python desktop/build.py wheel [--out build/client]          (control machine)
    python3 build.py bake --wheel W --name N --host H --ca CA --key KEY --out DIR
                                                                 (on the appliance)

`wheel` runs with the interpreter whose site-packages hold the pinned client
dependencies (the project venv): their installed files are copied in under
bia_desktop/_vendor, so the build needs no network and ships exactly what the tests ran
against. Compiled parts are left out (the pure-Python fallbacks of multidict and
protobuf are used) and come from the distribution instead: python3-gi with
gir1.2-webkit2-4.1, python3-cryptography for SecretStorage. So one wheel serves every
Python 3.11+ on Debian and Ubuntu, and it is small: no browser engine inside.

`bake` runs on the appliance with nothing but the standard library and openssl: it adds
bia_desktop/appliance.json (the appliance's address, its CA and the CA's SHA-256
fingerprint, which the client pins), signs the result with the appliance's own Ed25519
key and writes the download page beside it. The release directory is complete before
the `current` link moves to it, so the page never offers half a release.

Both outputs are reproducible (sorted entries, fixed timestamps): the same inputs give
the same bytes, hence the same published SHA-256.
"""

from __future__ import annotations

import argparse
import base64
import hashlib
import html
import json
import os
import shlex
import shutil
import ssl
import subprocess
import sys
import tempfile
import zipfile
from pathlib import Path
from typing import Final

HERE: Final = Path(__file__).resolve().parent
FIXED_TIME: Final = (1980, 1, 1, 0, 0, 0)
DIST: Final = "bia_desktop"
SUMMARY: Final = "Bia, a food and symptom journal: the desktop client"

# What the client imports, and what those import (Linux only). Versions are whatever
# the building interpreter has installed: the project's dev.lock pins them.
VENDORED: Final = (
    "pywebview",
    "bottle",
    "proxy_tools",
    "typing_extensions",
    "keyring",
    "jaraco.classes",
    "jaraco.functools",
    "jaraco.context",
    "backports.tarfile",
    "more-itertools",
    "importlib_metadata",
    "zipp",
    "lazy-importer",
    "jeepney",
    "SecretStorage",
    "python-pam",
    "grpclib",
    "h2",
    "hpack",
    "hyperframe",
    "multidict",
    "protobuf",
)

# Other platforms' pieces of pywebview (WebView2 DLLs, the Android jar, Cocoa, Qt, CEF,
# WinForms): a Linux client uses only the GTK backend.
EXCLUDED_PREFIXES: Final = (
    "webview/lib/",
    "webview/platforms/android",
    "webview/platforms/cef",
    "webview/platforms/cocoa",
    "webview/platforms/edgechromium",
    "webview/platforms/mshtml",
    "webview/platforms/qt",
    "webview/platforms/winforms",
)
# What the page is made of; anything else in the folder (notes, editor files) stays out.
ASSET_SUFFIXES: Final = (".html", ".css", ".js", ".svg", ".png", ".woff2")
# Compiled for one Python on one machine: the pure-Python code paths are used instead.
EXCLUDED_SUFFIXES: Final = (".so", ".pyd", ".pyc", ".h", ".c", ".pxd")


# --- the generic wheel (control machine) ---------------------------------------------


def version() -> str:
    for line in (HERE / DIST / "__init__.py").read_text().splitlines():
        if line.startswith("__version__"):
            return line.split("=", 1)[1].strip().strip("\"'")
    raise SystemExit("bia_desktop/__init__.py has no __version__")


def wheel_name(ver: str) -> str:
    return f"{DIST}-{ver}-py3-none-any.whl"


def _installed_files(name: str) -> list[tuple[str, Path]]:
    from importlib.metadata import PackageNotFoundError, distribution

    try:
        dist = distribution(name)
    except PackageNotFoundError:
        raise SystemExit(
            f"{name} is not installed in {sys.prefix}: build with the project venv "
            "(make venv; .venv/bin/python desktop/build.py wheel)"
        ) from None
    if not dist.files:
        raise SystemExit(f"{name} was installed without a file list (RECORD): reinstall it")
    out = []
    for file in dist.files:
        parts = file.parts
        relative = str(file)
        if not parts or "__pycache__" in parts or parts[0] == "..":
            continue
        if relative.startswith(EXCLUDED_PREFIXES) or relative.endswith(EXCLUDED_SUFFIXES):
            continue
        if relative.endswith(".dist-info/RECORD"):  # lists files we left out
            continue
        out.append((relative, Path(str(dist.locate_file(file)))))
    return out


def collect(vendored: tuple[str, ...] = VENDORED) -> dict[str, bytes]:
    """Archive name -> bytes, for everything in the package but its own dist-info."""
    entries: dict[str, bytes] = {}
    package = HERE / DIST
    for path in sorted(package.rglob("*")):
        relative = path.relative_to(package)
        if (
            path.is_file()
            and path.suffix in (".py", ".pyi")
            and "__pycache__" not in relative.parts
            and relative.parts[0] != "_vendor"  # a leftover in a checkout must never ship
        ):
            entries[f"{DIST}/{relative}"] = path.read_bytes()
    for path in sorted((HERE / "assets").rglob("*")):
        if path.is_file() and path.suffix in ASSET_SUFFIXES:
            entries[f"{DIST}/assets/{path.relative_to(HERE / 'assets')}"] = path.read_bytes()
    for name in vendored:
        for installed_as, source in _installed_files(name):
            entries[f"{DIST}/_vendor/{installed_as}"] = source.read_bytes()
    return entries


def _dist_info(ver: str) -> dict[str, bytes]:
    info = f"{DIST}-{ver}.dist-info"
    metadata = (
        f"Metadata-Version: 2.1\nName: {DIST}\nVersion: {ver}\nSummary: {SUMMARY}\n"
        "Requires-Python: >=3.11\n"
    )
    wheel = "Wheel-Version: 1.0\nGenerator: bia desktop/build.py\nRoot-Is-Purelib: true\n"
    wheel += "Tag: py3-none-any\n"
    entry_points = "[console_scripts]\nbia = bia_desktop.app:main\n"
    return {
        f"{info}/METADATA": metadata.encode(),
        f"{info}/WHEEL": wheel.encode(),
        f"{info}/entry_points.txt": entry_points.encode(),
    }


def write_wheel(out: Path, entries: dict[str, bytes], ver: str) -> str:
    """A wheel of ``entries`` plus its dist-info and RECORD; returns its SHA-256."""
    files = {**entries, **_dist_info(ver)}
    record_name = f"{DIST}-{ver}.dist-info/RECORD"
    lines = []
    for name, data in sorted(files.items()):
        digest = base64.urlsafe_b64encode(hashlib.sha256(data).digest()).rstrip(b"=").decode()
        lines.append(f"{name},sha256={digest},{len(data)}")
    files[record_name] = ("\n".join([*lines, f"{record_name},,"]) + "\n").encode()
    out.parent.mkdir(parents=True, exist_ok=True)
    tmp = out.with_name(out.name + ".tmp")
    with zipfile.ZipFile(tmp, "w", compression=zipfile.ZIP_DEFLATED, compresslevel=9) as zf:
        for name, data in sorted(files.items(), key=lambda item: item[0] == record_name):
            info = zipfile.ZipInfo(name, date_time=FIXED_TIME)
            info.external_attr = 0o644 << 16
            info.compress_type = zipfile.ZIP_DEFLATED
            zf.writestr(info, data)
    tmp.replace(out)
    return hashlib.sha256(out.read_bytes()).hexdigest()


def build(out_dir: Path, vendored: tuple[str, ...] = VENDORED) -> Path:
    """The generic wheel (no appliance baked in) in ``out_dir``; returns its path."""
    ver = version()
    out = out_dir / wheel_name(ver)
    write_wheel(out, collect(vendored), ver)
    return out


# --- baking for one appliance (on the appliance) -------------------------------------


def read_wheel(path: Path) -> tuple[str, dict[str, bytes]]:
    """(version, entries without dist-info) of a wheel made by write_wheel."""
    with zipfile.ZipFile(path) as zf:
        names = zf.namelist()
        infos = [n for n in names if n.endswith(".dist-info/METADATA") and n.count("/") == 1]
        if len(infos) != 1 or not infos[0].startswith(f"{DIST}-"):
            raise SystemExit(f"{path} is not a {DIST} wheel")
        ver = infos[0].split("/")[0].removeprefix(f"{DIST}-").removesuffix(".dist-info")
        own = f"{DIST}-{ver}.dist-info/"
        return ver, {n: zf.read(n) for n in names if not n.startswith(own)}


def ca_fingerprint(ca_pem: str) -> str:
    """SHA-256 of the certificate's DER, as hex (what the client pins)."""
    return hashlib.sha256(ssl.PEM_cert_to_DER_cert(ca_pem)).hexdigest()


def signing_key_fingerprint(public_pem: str) -> str:
    """SHA-256 of the public key's DER (SubjectPublicKeyInfo), as hex: what the page's
    `openssl pkey -pubin -outform DER | sha256sum` prints, and what patients compare."""
    body = "".join(line for line in public_pem.splitlines() if not line.startswith("-----"))
    return hashlib.sha256(base64.b64decode(body)).hexdigest()


def _openssl(*args: str, data: bytes | None = None) -> bytes:
    run = subprocess.run(["openssl", *args], input=data, capture_output=True, check=False)
    if run.returncode != 0:
        raise SystemExit(f"openssl {args[0]} failed: {run.stderr.decode(errors='replace')}")
    return run.stdout


def public_key_pem(key: Path) -> str:
    return _openssl("pkey", "-in", str(key), "-pubout").decode()


def _inputs_digest(args: argparse.Namespace, public_pem: str) -> str:
    h = hashlib.sha256()
    for part in (
        Path(args.wheel).read_bytes(),
        Path(args.ca).read_bytes(),
        public_pem.encode(),
        json.dumps([args.name, args.host, args.port]).encode(),
        Path(__file__).read_bytes(),  # the page and the bake itself
    ):
        h.update(hashlib.sha256(part).digest())
    return h.hexdigest()[:32]


def bake(args: argparse.Namespace) -> int:
    out = Path(args.out)
    public_pem = public_key_pem(Path(args.key))
    release = _inputs_digest(args, public_pem)
    current = out / "current"
    if args.check:
        print("current" if current.is_symlink() and os.readlink(current) == release else "stale")
        return 0
    if current.is_symlink() and os.readlink(current) == release:
        print(f"the published client is current ({release})")
        return 0
    ver, entries = read_wheel(Path(args.wheel))
    ca_pem = Path(args.ca).read_text()
    if ca_pem.count("-----BEGIN CERTIFICATE-----") != 1:
        raise SystemExit(f"{args.ca} must hold exactly one certificate (the appliance CA)")
    fingerprint = ca_fingerprint(ca_pem)
    appliance = {
        "name": args.name,
        "host": args.host,
        "port": args.port,
        "ca_pem": ca_pem,
        "ca_sha256": fingerprint,
    }
    entries[f"{DIST}/appliance.json"] = (json.dumps(appliance, indent=1) + "\n").encode()

    out.mkdir(parents=True, exist_ok=True)
    staging = Path(tempfile.mkdtemp(dir=out, prefix=".bake-"))
    try:
        wheel = staging / wheel_name(ver)
        digest = write_wheel(wheel, entries, ver)
        signature = _openssl("pkeyutl", "-sign", "-inkey", args.key, "-rawin", "-in", str(wheel))
        (staging / f"{wheel.name}.sig").write_bytes(signature)
        (staging / f"{wheel.name}.sha256").write_text(f"{digest}  {wheel.name}\n")
        (staging / "bia-signing.pub").write_text(public_pem)
        (staging / "bia-ca.crt").write_text(ca_pem)
        (staging / "download.css").write_text(PAGE_CSS)
        (staging / "index.html").write_text(
            download_page(args.name, args.host, args.port, wheel.name, digest, public_pem)
        )
        for path in staging.iterdir():
            path.chmod(0o644)
        staging.chmod(0o755)
        target = out / release
        if target.exists():
            shutil.rmtree(target)
        staging.rename(target)
        link = out / ".current.new"
        link.unlink(missing_ok=True)
        link.symlink_to(release)
        link.replace(current)  # atomic: the page moves from one whole release to the next
    finally:
        shutil.rmtree(staging, ignore_errors=True)
    for old in out.iterdir():
        if old.is_dir() and not old.is_symlink() and old.name != release:
            shutil.rmtree(old, ignore_errors=True)
    print(
        f"baked {wheel_name(ver)} for {args.host}: sha256 {digest}; "
        f"signing key fingerprint {signing_key_fingerprint(public_pem)}"
    )
    return 0


PAGE_CSS: Final = """\
body { font: 17px/1.55 system-ui, sans-serif; max-width: 52rem; margin: 2rem auto;
  padding: 0 1rem; color: #1d2a2a; background: #f7f4ee; }
h1 { font-size: 1.7rem; } h2 { font-size: 1.2rem; margin-top: 2rem; }
pre, code { font: 14px/1.45 ui-monospace, monospace; }
pre { background: #fff; border: 1px solid #d8d2c4; padding: .8rem; overflow-x: auto; }
.fact { background: #fff; border-left: 4px solid #2f7d6d; padding: .5rem .8rem; }
.warn { border-left-color: #b5542f; }
"""


def download_page(name: str, host: str, port: int, wheel: str, digest: str, public_pem: str) -> str:
    """The download page. Its command blocks are what the end-to-end test runs, as a
    person would paste them: each is a subshell that stops at its first failure."""
    bracketed = f"[{host}]" if ":" in host else host  # an IPv6 address in a URL
    origin = f"https://{bracketed}" if port == 443 else f"https://{bracketed}:{port}"
    base = f"{origin}/download"
    venv = "~/.local/share/bia/venv"
    e = html.escape
    download = (
        "( set -eo pipefail\n"
        "  mkdir -p ~/bia-download && cd ~/bia-download\n"
        "  # The first time only: the appliance's authority and signing key, kept for updates.\n"
        "  # openssl keeps exactly one certificate: the one whose fingerprint you compare.\n"
        "  if [ ! -f bia-ca.crt ]; then\n"
        f"    curl -fsS --insecure {base}/bia-ca.crt | openssl x509 -out new-ca.crt\n"
        "    mv new-ca.crt bia-ca.crt\n"
        "  fi\n"
        "  if [ ! -f bia-signing.pub ]; then\n"
        f"    curl -fsS --cacert bia-ca.crt -o new-signing.pub {base}/bia-signing.pub\n"
        "    mv new-signing.pub bia-signing.pub\n"
        "  fi\n"
        "  ca=$(openssl x509 -in bia-ca.crt -noout -fingerprint -sha256 | cut -d= -f2)\n"
        "  key=$(openssl pkey -pubin -in bia-signing.pub -outform DER | sha256sum)\n"
        '  echo "Authority:   $ca"\n'
        '  echo "Signing key: ${key%% *}"\n'
        f"  curl -fsS --cacert bia-ca.crt -O {base}/{wheel} -O {base}/{wheel}.sha256 \\\n"
        f"    -O {base}/{wheel}.sig\n"
        ")\n"
    )
    nssdb = "sql:$HOME/.pki/nssdb"
    browser = (
        "( set -e\n"
        "  mkdir -p ~/.pki/nssdb\n"
        f"  [ -f ~/.pki/nssdb/cert9.db ] || certutil -d {nssdb} -N --empty-password\n"
        f"  certutil -d {nssdb} -A -t C,, -n {shlex.quote('Bia appliance ' + host)} \\\n"
        "    -i ~/bia-download/bia-ca.crt\n"
        ")\n"
    )
    install = (
        "( set -e\n"
        "  cd ~/bia-download\n"
        f"  sha256sum --check {wheel}.sha256\n"
        f"  openssl pkeyutl -verify -pubin -inkey bia-signing.pub -rawin -in {wheel} \\\n"
        f"    -sigfile {wheel}.sig\n"
        "  # Only now, with both checks passed, does anything from the package get used.\n"
        f"  python3 -m venv --system-site-packages {venv}\n"
        f"  {venv}/bin/pip install --no-index --no-deps --force-reinstall {wheel}\n"
        ")\n"
    )
    start = f"{venv}/bin/bia\n"
    return f"""<!doctype html>
<html lang="en">
<meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<title>Bia for your desktop: {e(name)}</title>
<link rel="stylesheet" href="download.css">
<h1>Bia for your desktop</h1>
<p>The Bia desktop app for this appliance (<code>{e(origin)}</code>). It knows this
appliance's address and certificate already, so it talks to nothing else. It runs on
Debian 12 or 13 and Ubuntu 24.04 (Python 3.11 or newer), using your system's own web
view.</p>

<p class="fact">Package: <a href="{e(wheel)}"><code>{e(wheel)}</code></a><br>
SHA-256: <code id="sha256">{digest}</code><br>
Signature (Ed25519, made by this appliance):
<a href="{e(wheel)}.sig"><code>{e(wheel)}.sig</code></a></p>

<p>The appliance's signing key (public half):</p>
<pre id="signing-key">{e(public_pem)}</pre>

<p class="fact warn">Before you start, your clinic or administrator gives you two
fingerprints, on paper or in person: the appliance's <b>authority</b> and its
<b>signing key</b>. They are not on this page on purpose: this page is what they
protect.</p>

<h2>1. Install what the app needs from your distribution</h2>
<pre id="requirements">sudo apt install python3-venv python3-gi gir1.2-webkit2-4.1 \\
     python3-cryptography gnome-keyring curl openssl libnss3-tools</pre>

<h2>2. Download, and compare the fingerprints</h2>
<p>Paste this into a terminal. It prints two fingerprints: compare each, character by
character, with the ones you were given. If either differs, stop, delete the folder
<code>~/bia-download</code> and tell your clinic.</p>
<pre id="download">{e(download)}</pre>

<h2>3. Let your web browser trust the appliance</h2>
<p>You sign in to Bia in your usual web browser, on this appliance's own pages, so the
browser has to know the appliance's authority too. That authority can only vouch for
this appliance's own address: trusting it lets nobody impersonate any other site. For
Chromium and Google Chrome:</p>
<pre id="browser">{e(browser)}</pre>
<p>For Firefox: Settings, Privacy &amp; Security, Certificates, View Certificates,
Authorities, Import, choose <code>bia-ca.crt</code> in <code>bia-download</code> and tick
"Trust this CA to identify websites". Restart the browser afterwards.</p>

<h2>4. Verify and install</h2>
<p>This checks the package's SHA-256 and the appliance's signature first (you will see
<code>OK</code> and <code>Signature Verified Successfully</code>); if either check fails
it stops, and nothing from the package is installed or run. The app gets its own
folder.</p>
<pre id="install">{e(install)}</pre>

<h2>5. Start</h2>
<pre id="start">{e(start)}</pre>

<p>Updating: steps 2, 4 and 5 again. The authority and signing key saved the first time
are kept and used, so an update is checked against the same fingerprints. If your
clinic ever tells you they changed, delete <code>~/bia-download</code> and start again
from step 2.</p>
</html>
"""


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0] if __doc__ else None)
    sub = parser.add_subparsers(dest="command", required=True)
    wheel = sub.add_parser("wheel", help="the generic wheel, from this interpreter's packages")
    wheel.add_argument("--out", type=Path, default=HERE.parent / "build" / "client")
    baking = sub.add_parser("bake", help="bake and sign the wheel for one appliance")
    baking.add_argument("--wheel", required=True)
    baking.add_argument("--name", required=True, help="the appliance's name (keychain account)")
    baking.add_argument("--host", required=True, help="DNS name or IP in its certificate")
    baking.add_argument("--port", type=int, default=443)
    baking.add_argument("--ca", required=True, help="the appliance CA certificate (PEM)")
    baking.add_argument("--key", required=True, help="the Ed25519 signing key (PEM)")
    baking.add_argument("--out", required=True, help="the download directory")
    baking.add_argument("--check", action="store_true", help="print current or stale")
    args = parser.parse_args(argv)
    if args.command == "bake":
        return bake(args)
    out = build(args.out)
    digest = hashlib.sha256(out.read_bytes()).hexdigest()
    print(f"{out}  {out.stat().st_size} bytes  sha256 {digest}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
