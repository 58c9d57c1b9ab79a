"""The checked-in gRPC stubs are what app/rpc/generate.py makes from the .proto files."""

from __future__ import annotations

from app.rpc import generate


def test_generated_stubs_are_up_to_date() -> None:
    assert generate.main(["generate", "--check"]) == 0, "run: python -m app.rpc.generate"
