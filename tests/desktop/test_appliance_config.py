"""The appliance description the client is built with, and how `bia` picks its transport."""

from __future__ import annotations

import json
import os
import subprocess
import sys
import tempfile
from pathlib import Path
from typing import Any

import pytest
from bia_desktop import appliance
from bia_desktop.transport import OfflineTransport

from app.rpc import generate
from tests.desktop.conftest import DESKTOP
from tests.desktop.grpc_stack import make_ca

CA = make_ca()


def described(**changes: Any) -> dict[str, Any]:
    data = {
        "name": "home",
        "host": "127.0.0.1",
        "port": 443,
        "ca_pem": CA.cert_pem,
        "ca_sha256": appliance.ca_fingerprint(CA.cert_pem),
    }
    return {**data, **changes}


def written(tmp_path: Path, data: dict[str, Any]) -> Path:
    path = tmp_path / "appliance.json"
    path.write_text(json.dumps(data))
    return path


def test_a_description_is_loaded_and_its_ca_checked(tmp_path: Path) -> None:
    found = appliance.load(written(tmp_path, described()))
    assert (found.name, found.host, found.port, found.server_name) == (
        "home", "127.0.0.1", 443, "127.0.0.1",
    )  # fmt: skip
    assert found.ca_pem == CA.cert_pem and found.address == "127.0.0.1"


def test_openssls_fingerprint_format_is_accepted(tmp_path: Path) -> None:
    digest = appliance.ca_fingerprint(CA.cert_pem).upper()
    colons = ":".join(digest[i : i + 2] for i in range(0, len(digest), 2))
    assert appliance.load(written(tmp_path, described(ca_sha256=colons))).port == 443


def test_a_ca_that_is_not_the_one_pinned_is_refused(tmp_path: Path) -> None:
    other = make_ca("another CA").cert_pem
    with pytest.raises(appliance.ApplianceConfigError, match="will not trust it"):
        appliance.load(written(tmp_path, described(ca_pem=other)))


def test_a_second_ca_appended_to_the_pinned_one_is_refused(tmp_path: Path) -> None:
    """Every certificate in ca_pem would be trusted, so an extra one must not load: it
    is refused as such, whatever fingerprint comes with it."""
    two = CA.cert_pem.strip() + "\n" + make_ca("not the appliance").cert_pem
    real = appliance.ca_fingerprint(CA.cert_pem)
    with pytest.raises(appliance.ApplianceConfigError, match="exactly one certificate"):
        appliance.load(written(tmp_path, described(ca_pem=two, ca_sha256=real)))


@pytest.mark.parametrize(
    ("change", "message"),
    [
        ({"port": "443"}, "port must be a number"),
        ({"ca_pem": "not a certificate"}, "not a PEM certificate"),
        ({"name": ""}, "must be text"),
    ],
)
def test_a_broken_description_says_what_is_wrong(
    tmp_path: Path, change: dict[str, Any], message: str
) -> None:
    with pytest.raises(appliance.ApplianceConfigError, match=message):
        appliance.load(written(tmp_path, described(**change)))


def test_a_missing_key_is_named(tmp_path: Path) -> None:
    data = described()
    del data["ca_sha256"]
    with pytest.raises(appliance.ApplianceConfigError, match="missing ca_sha256"):
        appliance.load(written(tmp_path, data))


def test_a_checkout_has_no_baked_appliance() -> None:
    if (DESKTOP / "bia_desktop" / appliance.BAKED_NAME).exists():
        pytest.skip("this checkout has a baked appliance.json")
    assert appliance.baked() is None


def test_bia_uses_grpc_for_a_configured_appliance(tmp_path: Path) -> None:
    from bia_desktop.app import configure
    from bia_desktop.grpc_transport import GrpcTransport

    config = written(tmp_path, described(name="clinic", port=8443))
    options, transport = configure(["--appliance-config", str(config), "--idle-minutes", "2"])
    assert isinstance(transport, GrpcTransport)
    try:
        assert transport.appliance.port == 8443
        assert options.appliance == "clinic" and options.idle_seconds == 120
    finally:
        transport.close()


def test_bia_without_an_appliance_stays_offline() -> None:
    from bia_desktop.app import configure

    if appliance.baked() is not None:
        pytest.skip("this checkout has a baked appliance.json")
    options, transport = configure(["--appliance", "dev"])
    assert isinstance(transport, OfflineTransport) and options.appliance == "dev"


def test_the_client_stubs_are_generated_and_checked_too() -> None:
    """tests/app/rpc/test_generated.py runs --check; it covers these files as well."""
    with tempfile.TemporaryDirectory() as tmp:
        produced = {str(p) for p in generate.generate_desktop(Path(tmp))}
    for name in ("auth/v1/auth", "journal/v1/journal"):
        for suffix in ("_pb2.py", "_pb2.pyi", "_grpc.py"):
            assert f"desktop/bia_desktop/rpc/{name}{suffix}" in produced


def test_the_client_runs_on_pure_python_protobuf() -> None:
    """The wheel leaves protobuf's compiled part out; its pure-Python code must do."""
    code = (
        "from google.protobuf.internal import api_implementation as a; "
        "import bia_desktop.grpc_transport as t; "
        "m = t.pb.TimelineRequest(range=t.pb.TimeRange(start='x')); "
        "assert t.pb.TimelineRequest.FromString(m.SerializeToString()) == m; "
        "print(a.Type())"
    )
    env = {**os.environ, "PROTOCOL_BUFFERS_PYTHON_IMPLEMENTATION": "python"}
    env["PYTHONPATH"] = str(DESKTOP)
    ran = subprocess.run(
        [sys.executable, "-c", code], env=env, capture_output=True, text=True, check=False
    )
    assert ran.returncode == 0, ran.stderr
    assert ran.stdout.strip() == "python"
