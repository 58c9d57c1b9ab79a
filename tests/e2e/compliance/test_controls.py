"""One test per hardening control (the test ID is the control ID), against the appliance."""

from __future__ import annotations

import pytest

from hardening.controls import Control, controls
from tests.e2e.compliance.checks import Target, observe

pytestmark = pytest.mark.lab


@pytest.mark.parametrize("control", controls(), ids=lambda c: c.id)
def test_control(control: Control, target: Target, request: pytest.FixtureRequest) -> None:
    props = request.node.user_properties
    props.append(("control", control.id))
    if control.id in target.waivers:
        props += [("status", "waived"), ("reason", target.waivers[control.id])]
        pytest.skip(f"waived in the inventory: {target.waivers[control.id]}")
    if target.container and control.container_reason:
        reason = f"not applicable in a container ({target.container}): {control.container_reason}"
        props += [("status", "not applicable"), ("reason", reason)]
        pytest.skip(reason)
    seen = observe(control, target)
    props.append(("observed", seen.observed))
    assert seen.ok, (
        f"{control.id} {control.title}: expected {control.expect!r}, found {seen.observed!r}"
    )
