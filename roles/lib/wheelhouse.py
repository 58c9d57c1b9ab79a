"""Build, on the control machine, the wheelhouse of the backend's dependencies.

The appliance runs Debian 13's Python (3.13); the wheels are fetched here for that
Python and platform, hash-checked against requirements/appliance.lock, and cached under
/var/cache/bia-wheels keyed by the lock's hash. The appliance then installs them with
``pip --no-index --require-hashes``: it needs no access to PyPI.
"""

from __future__ import annotations

import hashlib
import shutil
import subprocess
import sys
import tempfile
from pathlib import Path

REPO = Path(__file__).resolve().parents[2]
LOCK = REPO / "requirements" / "appliance.lock"
CACHE = Path("/var/cache/bia-wheels")
PYTHON_VERSION = "3.13"  # Debian 13's python3
PLATFORMS = ("manylinux_2_28_x86_64", "manylinux_2_17_x86_64", "manylinux2014_x86_64")


def lock_digest() -> str:
    return hashlib.sha256(LOCK.read_bytes()).hexdigest()


def ensure() -> Path:
    """Return the wheelhouse directory for the current lock, building it if needed."""
    target = CACHE / f"py{PYTHON_VERSION}-{lock_digest()[:16]}"
    if (target / ".complete").exists():
        return target
    CACHE.mkdir(parents=True, exist_ok=True)
    print(f"[deploy] building the appliance wheelhouse in {target}", file=sys.stderr, flush=True)
    work = Path(tempfile.mkdtemp(prefix="wheels-", dir=CACHE))
    platform_args = [arg for p in PLATFORMS for arg in ("--platform", p)]
    try:
        subprocess.run(
            [
                sys.executable,
                "-m",
                "pip",
                "download",
                "--quiet",
                "--only-binary=:all:",
                "--python-version",
                PYTHON_VERSION,
                "--implementation",
                "cp",
                *platform_args,
                "--require-hashes",
                "--no-deps",
                "-r",
                str(LOCK),
                "-d",
                str(work),
            ],
            check=True,
        )
        shutil.copy2(LOCK, work / "requirements.lock")
        (work / ".complete").write_text(lock_digest() + "\n")
        if target.exists():
            shutil.rmtree(target)
        work.rename(target)
    except subprocess.CalledProcessError as exc:
        raise SystemExit(
            "could not download the appliance's wheels (pip failed above); check that this "
            "machine reaches PyPI, or copy a wheelhouse into " + str(target)
        ) from exc
    finally:
        if work.exists():
            shutil.rmtree(work)
    target.chmod(0o755)
    return target
