"""Deploy timings on a fresh lab host: cold deploy, no-op re-deploy, and their ratio.

    make bench-deploy            (or: .venv/bin/python -m bench.deploy [--name bench])

It also times each stage before the deploy: the root file system (cached or built),
the lab boot to SSH. Goal: a no-op re-deploy under 15% of a cold one.
"""

from __future__ import annotations

import argparse
import sys
import time

from tests.lab import deploy, host, rootfs


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="python -m bench.deploy", description=__doc__)
    parser.add_argument("--name", default="bench", help="lab host name to use (default bench)")
    parser.add_argument("--keep", action="store_true", help="leave the lab host running")
    args = parser.parse_args(argv)

    host.down(args.name)
    started = time.monotonic()
    rootfs.cached_rootfs()
    rootfs_s = time.monotonic() - started

    started = time.monotonic()
    host.up(args.name)
    boot_s = time.monotonic() - started
    try:
        cold = deploy.run(args.name)
        if cold.returncode != 0:
            print(cold.output[-4000:], file=sys.stderr)
            return 1
        noop = deploy.run(args.name)
        if noop.returncode != 0:
            print(noop.output[-4000:], file=sys.stderr)
            return 1
    finally:
        if not args.keep:
            host.down(args.name)

    ratio = noop.seconds / cold.seconds
    print(f"root file system (cached or built): {rootfs_s:8.1f} s")
    print(f"lab boot to SSH:                    {boot_s:8.1f} s")
    print(f"cold deploy:                        {cold.seconds:8.1f} s")
    print(f"no-op re-deploy:                    {noop.seconds:8.1f} s  (changed: {noop.changed})")
    print(f"no-op / cold:                       {ratio:8.1%}  (goal < 15%)")
    return 0 if ratio < 0.15 and not noop.changed else 2


if __name__ == "__main__":
    sys.exit(main())
