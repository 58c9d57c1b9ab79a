"""The local lab appliance: `pyinfra inventory/lab.py deploy.py` (after `make lab-up`).

Which lab host: $BIA_LAB (default "lab"), as started by `python -m tests.lab up NAME`.
"""

import json
import os
from pathlib import Path

_name = os.environ.get("BIA_LAB", "lab")
_state = Path("/var/lib/bia-lab/hosts") / _name / "state.json"
if not _state.exists():
    raise SystemExit(
        f"lab host {_name!r} is not up: run `python -m tests.lab up {_name}` (or `make lab`)"
    )
_lab = json.loads(_state.read_text())

hosts = [
    (
        _lab["address"],
        {
            "ssh_user": _lab["ssh_user"],
            "ssh_key": _lab["ssh_key"],
            "ssh_known_hosts_file": _lab["known_hosts"],
            "ssh_strict_host_key_checking": "yes",
            "_sudo": True,
            "bia": {
                "domain": _lab["address"],
                "timezone": "UTC",
            },
        },
    ),
]
