"""Generate the gRPC stubs from the .proto files under app/rpc (run from the repository root):

    .venv/bin/python -m app.rpc.generate          # write them
    .venv/bin/python -m app.rpc.generate --check  # exit 1 if the checked-in ones are stale

The .proto path mirrors the Python package, so generated imports are absolute
(``from app.rpc.auth.v1 import auth_pb2``).
"""

from __future__ import annotations

import filecmp
import shutil
import sys
import tempfile
from pathlib import Path

REPO = Path(__file__).resolve().parents[2]
PROTOS = sorted(p.relative_to(REPO) for p in (REPO / "app" / "rpc").rglob("*.proto"))
SUFFIXES = ("_pb2.py", "_pb2.pyi", "_pb2_grpc.py")


def generate(out: Path) -> list[Path]:
    from grpc_tools import protoc

    args = [
        "protoc",
        f"-I{REPO}",
        f"--python_out={out}",
        f"--pyi_out={out}",
        f"--grpc_python_out={out}",
        *map(str, PROTOS),
    ]
    if protoc.main(args) != 0:
        raise SystemExit("protoc failed")
    return [proto.with_name(proto.stem + suffix) for proto in PROTOS for suffix in SUFFIXES]


def main(argv: list[str]) -> int:
    with tempfile.TemporaryDirectory() as tmp:
        produced = generate(Path(tmp))
        stale = [
            p
            for p in produced
            if not (REPO / p).exists() or not filecmp.cmp(Path(tmp) / p, REPO / p, shallow=False)
        ]
        if "--check" in argv:
            for path in stale:
                print(f"{path} is out of date: run python -m app.rpc.generate", file=sys.stderr)
            return 1 if stale else 0
        for path in produced:
            shutil.copyfile(Path(tmp) / path, REPO / path)
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv))
