"""SQL files that migrations apply (RLS policies live in policies/rls/ as data)."""

from __future__ import annotations

import os
from pathlib import Path

POLICIES_ENV = "BIA_RLS_POLICIES_DIR"
_REPO_POLICIES = Path(__file__).resolve().parents[2] / "policies" / "rls"


def policies_dir() -> Path:
    return Path(os.environ.get(POLICIES_ENV) or _REPO_POLICIES)


def rls_policy_sql(name: str) -> str:
    """The text of policies/rls/<name>; a missing file is a broken install, say so."""
    path = policies_dir() / name
    try:
        return path.read_text(encoding="utf-8")
    except FileNotFoundError as exc:
        raise RuntimeError(
            f"RLS policy file {path} is missing. Ship policies/rls/ next to app/ "
            f"or set {POLICIES_ENV} to its location."
        ) from exc
