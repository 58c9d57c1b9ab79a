"""Build the desktop client as one zipapp: `python desktop/build.py [--out build/bia.pyz]`.

Run it with the interpreter whose site-packages hold the pinned client dependencies
(the desktop venv); their installed files are copied in, so the build needs no network
and ships exactly what the tests ran against. Compiled pieces come from Debian at run
time instead (python3-gi with gir1.2-webkit2-4.1, python3-cryptography for
SecretStorage), which is why the package is small: no browser engine inside.

The archive is reproducible (sorted entries, fixed timestamps), so its SHA-256 can be
published and signed. At start it unpacks once into a private cache folder named by
its own hash (pywebview reads its JavaScript from files, and keyring finds its backends
through package metadata), then runs from there.
"""

from __future__ import annotations

import argparse
import hashlib
import sys
import zipfile
from importlib.metadata import distribution
from pathlib import Path
from typing import Final

HERE: Final = Path(__file__).resolve().parent
FIXED_TIME: Final = (1980, 1, 1, 0, 0, 0)

# What the client imports, and what those import (Linux only). Versions are whatever
# the building interpreter has installed: the desktop venv pins them.
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
)

BOOTSTRAP: Final = '''\
"""Bia desktop client (zipapp). Unpacks once into a private cache, then runs."""
import hashlib, os, sys, tempfile, zipfile
from pathlib import Path

archive = Path(__file__).resolve().parent
digest = hashlib.sha256(archive.read_bytes()).hexdigest()[:24]
cache = Path(os.environ.get("XDG_CACHE_HOME") or Path.home() / ".cache") / "bia"
target = cache / digest
if not (target / "lib").is_dir():
    cache.mkdir(mode=0o700, parents=True, exist_ok=True)
    staging = Path(tempfile.mkdtemp(dir=cache, prefix=".unpack-"))
    with zipfile.ZipFile(archive) as zf:
        zf.extractall(staging, [n for n in zf.namelist() if n.startswith("lib/")])
    try:
        staging.rename(target)
    except OSError:  # another start won the race: use its copy
        import shutil
        shutil.rmtree(staging, ignore_errors=True)
sys.path.insert(0, str(target / "lib"))
from bia_desktop.app import main
sys.exit(main())
'''


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


def _installed_files(name: str) -> list[tuple[str, Path]]:
    dist = distribution(name)
    out = []
    for file in dist.files or []:
        parts = file.parts
        if not parts or file.suffix == ".pyc" or "__pycache__" in parts or parts[0] == "..":
            continue
        if str(file).startswith(EXCLUDED_PREFIXES):
            continue
        out.append((str(file), Path(str(dist.locate_file(file)))))
    return out


def collect(vendored: tuple[str, ...] = VENDORED) -> dict[str, bytes]:
    """Archive name -> bytes, for everything that goes in."""
    entries: dict[str, bytes] = {"__main__.py": BOOTSTRAP.encode()}
    package = HERE / "bia_desktop"
    for path in sorted(package.rglob("*.py")):
        entries[f"lib/bia_desktop/{path.relative_to(package)}"] = path.read_bytes()
    for path in sorted((HERE / "assets").rglob("*")):
        if path.is_file():
            entries[f"lib/bia_desktop/assets/{path.relative_to(HERE / 'assets')}"] = (
                path.read_bytes()
            )
    for name in vendored:
        for relative, source in _installed_files(name):
            entries[f"lib/{relative}"] = source.read_bytes()
    return entries


def build(out: Path, vendored: tuple[str, ...] = VENDORED) -> str:
    """Write the archive; return its SHA-256."""
    out.parent.mkdir(parents=True, exist_ok=True)
    tmp = out.with_suffix(".tmp")
    with tmp.open("wb") as raw:
        raw.write(b"#!/usr/bin/python3\n")
        with zipfile.ZipFile(raw, "w", compression=zipfile.ZIP_DEFLATED, compresslevel=9) as zf:
            for name, data in sorted(collect(vendored).items()):
                info = zipfile.ZipInfo(name, date_time=FIXED_TIME)
                info.external_attr = 0o644 << 16
                info.compress_type = zipfile.ZIP_DEFLATED
                zf.writestr(info, data)
    tmp.chmod(0o755)
    tmp.replace(out)
    return hashlib.sha256(out.read_bytes()).hexdigest()


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0] if __doc__ else None)
    parser.add_argument("--out", type=Path, default=HERE.parent / "build" / "bia.pyz")
    args = parser.parse_args(argv)
    digest = build(args.out)
    print(f"{args.out}  {args.out.stat().st_size} bytes  sha256 {digest}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
