"""python -m tests.lab up|down|status|ssh|info|welcome [NAME] [-- COMMAND]"""

from __future__ import annotations

import argparse
import json
import os
import sys
from dataclasses import asdict

from tests.lab import config, host
from tests.lab.host import LabHost
from tests.lab.welcome import welcome


def _running(name: str) -> LabHost:
    lab = host.load(name)
    if lab is None or not host.is_running(lab):
        raise SystemExit(f"lab host {name!r} is not running: start it with `make lab LAB={name}`")
    return lab


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="python -m tests.lab", description=__doc__)
    parser.add_argument("command", choices=["up", "down", "status", "ssh", "info", "welcome"])
    parser.add_argument("name", nargs="?", default=config.DEFAULT_NAME)
    parser.add_argument("rest", nargs=argparse.REMAINDER, help="for ssh: a command to run")
    args = parser.parse_args(argv)
    name = config.validate_name(args.name)

    if args.command == "up":
        print(json.dumps(asdict(host.up(name)), indent=2))
    elif args.command == "down":
        host.down(name)
    elif args.command == "status":
        names = host.all_names()
        print("\n".join(_status_line(each) for each in names) if names else "no lab hosts")
    elif args.command == "info":
        print(json.dumps(asdict(_running(name)), indent=2))
    elif args.command == "welcome":
        print(welcome(_running(name)))
    else:  # ssh: replace this process by ssh to the host, its key pinned
        ssh = _running(name).ssh_args()
        rest = args.rest[1:] if args.rest[:1] == ["--"] else args.rest
        os.execvp(ssh[0], [*ssh, *rest])  # noqa: S606
    return 0


def _status_line(name: str) -> str:
    lab = host.load(name)
    if lab is None:
        return f"{name}: no state"
    state = "running" if host.is_running(lab) else "stopped (run `down` to clean up)"
    return f"{name}: {state} at {lab.address}"


if __name__ == "__main__":
    sys.exit(main())
