"""Small helpers to run commands with errors a person can act on."""

from __future__ import annotations

import subprocess
import sys
import time
from collections.abc import Sequence


class LabError(SystemExit):
    """A lab step failed; the message says what to do next."""


def run(
    args: Sequence[str], *, check: bool = True, capture: bool = True, input_text: str | None = None
) -> subprocess.CompletedProcess[str]:
    proc = subprocess.run(
        list(args), text=True, capture_output=capture, input=input_text, check=False
    )
    if check and proc.returncode != 0:
        detail = (proc.stderr or proc.stdout or "").strip()[-2000:]
        raise LabError(f"command failed ({proc.returncode}): {' '.join(args)}\n{detail}")
    return proc


def progress(message: str) -> None:
    stamp = time.strftime("%H:%M:%S")
    print(f"[lab {stamp}] {message}", file=sys.stderr, flush=True)
