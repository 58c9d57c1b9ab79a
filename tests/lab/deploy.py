"""Run the real deploy (the pyinfra CLI) against a lab host and read pyinfra's own report."""

from __future__ import annotations

import os
import re
import subprocess
import sys
import time
from dataclasses import dataclass
from pathlib import Path

REPO = Path(__file__).resolve().parents[2]
PYINFRA = Path(sys.executable).parent / "pyinfra"


@dataclass(frozen=True)
class DeployResult:
    returncode: int
    output: str
    seconds: float

    @property
    def report(self) -> list[tuple[str, int, int, int]]:
        """pyinfra's results table: (operation, changed, errors, unchanged) per operation."""
        rows = []
        in_table = False
        for line in self.output.splitlines():
            if line.startswith("--> Results:"):
                in_table = True
                continue
            if not in_table:
                continue
            cells = re.split(r"\s{2,}", line.strip())
            if len(cells) != 5 or cells[0] in {"Operation", "Grand total"}:
                if line.startswith("-->"):
                    in_table = False
                continue
            name, _hosts, success, error, unchanged = cells
            changed, errors, same = (0 if c == "-" else int(c) for c in (success, error, unchanged))
            rows.append((name, changed, errors, same))
        return rows

    @property
    def changed(self) -> list[str]:
        return [name for name, changed, _e, _u in self.report if changed]


def command(inventory: str = "inventory/lab.py") -> list[str]:
    return [str(PYINFRA), "-y", inventory, "deploy.py"]


def run(lab_name: str, inventory: str = "inventory/lab.py") -> DeployResult:
    started = time.monotonic()
    proc = subprocess.run(
        command(inventory),
        cwd=REPO,
        env={**os.environ, "BIA_LAB": lab_name},
        capture_output=True,
        text=True,
        check=False,
    )
    return DeployResult(proc.returncode, proc.stdout + proc.stderr, time.monotonic() - started)
