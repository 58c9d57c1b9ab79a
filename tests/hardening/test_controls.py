"""The controls data itself: complete, unique, never reusing a retired ID."""

from __future__ import annotations

import re
import tomllib
from typing import Any

import pytest

from hardening.controls import KINDS, POLICY, PolicyError, controls, parse, policy

ID = re.compile(r"^[a-z]{2,4}-\d{2}$")


def test_there_are_at_least_60_controls() -> None:
    assert len(controls()) >= 60


def test_ids_are_unique_and_well_formed() -> None:
    ids = [c.id for c in controls()]
    assert len(ids) == len(set(ids))
    assert all(ID.match(i) for i in ids), [i for i in ids if not ID.match(i)]


def test_no_control_reuses_a_retired_id() -> None:
    assert not {c.id for c in controls()} & policy().retired


@pytest.mark.parametrize("control", controls(), ids=lambda c: c.id)
def test_every_control_is_documented(control) -> None:
    assert control.title and control.rationale and control.source
    assert control.applies in ("both", "vm")
    assert control.kind in KINDS
    if control.applies == "vm":
        assert control.container_reason, "a VM-only control needs a reason for containers"


def test_every_area_of_the_issue_is_covered() -> None:
    families = {c.family for c in controls()}
    assert {"ssh", "net", "kern", "mod", "mnt", "file", "auth", "pkg", "upd", "time", "log"} <= (
        families
    )
    assert {"aud", "aa", "fw", "sd", "tls", "pg"} <= families


def test_kernel_level_controls_do_not_claim_to_apply_in_containers() -> None:
    for control in controls():
        if control.kind == "module" or control.key.startswith(("kernel.", "fs.", "dev.")):
            assert control.applies == "vm", control.id


def test_each_bia_unit_has_a_sandbox_control() -> None:
    units = {c.key for c in controls("systemd_exposure")}
    assert {"bia-backend.service", "nginx.service"} <= units
    over = [c for c in controls("systemd_exposure") if float(c.expect) > 2.0]
    # an exception to the 2.0 target must say so in its title and give its reason
    assert all("exception" in c.title and "Exception" in c.rationale for c in over)
    assert len(over) <= 1, [c.id for c in over]


def _raw() -> dict[str, Any]:
    with POLICY.open("rb") as handle:
        return tomllib.load(handle)


def test_a_duplicate_id_is_refused() -> None:
    raw = _raw()
    raw["control"].append(dict(raw["control"][0]))
    with pytest.raises(PolicyError, match=f"control {raw['control'][0]['id']}: duplicate id"):
        parse(raw)


def test_a_retired_id_cannot_come_back() -> None:
    raw = _raw()
    raw["retired"] = [raw["control"][3]["id"]]
    with pytest.raises(PolicyError, match="retired and must never be reused"):
        parse(raw)


def test_a_control_without_a_source_is_refused() -> None:
    raw = _raw()
    raw["control"][0]["source"] = " "
    with pytest.raises(PolicyError, match="source is empty"):
        parse(raw)
