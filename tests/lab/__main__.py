"""python -m tests.lab up|down|status|ssh|info [NAME]"""

from __future__ import annotations

import argparse
import json
import os
import sys
from dataclasses import asdict

from tests.lab import config, host


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="python -m tests.lab", description=__doc__)
    parser.add_argument("command", choices=["up", "down", "status", "ssh", "info"])
    parser.add_argument("name", nargs="?", default=config.DEFAULT_NAME)
    parser.add_argument("rest", nargs=argparse.REMAINDER, help="for ssh: a command to run")
    args = parser.parse_args(argv)
    name = config.validate_name(args.name)

    if args.command == "up":
        lab = host.up(name)
        print(json.dumps(asdict(lab), indent=2))
    elif args.command == "down":
        host.down(name)
    elif args.command == "status":
        names = host.all_names() if args.name == config.DEFAULT_NAME else [name]
        if not names:
            print("no lab hosts")
        for each in names:
            lab = host.load(each)
            state = "running" if lab and host.is_running(lab) else "stopped (run down to clean)"
            print(f"{each}: {state} {lab.address if lab else ''}")
    elif args.command == "info":
        lab = host.load(name)
        if lab is None:
            raise SystemExit(f"no lab host {name!r}: start it with `python -m tests.lab up {name}`")
        print(json.dumps(asdict(lab), indent=2))
    else:  # ssh
        lab = host.load(name)
        if lab is None or not host.is_running(lab):
            raise SystemExit(f"lab host {name!r} is not running: `python -m tests.lab up {name}`")
        ssh = lab.ssh_args()
        os.execvp(ssh[0], [*ssh, *args.rest])
    return 0


if __name__ == "__main__":
    sys.exit(main())
