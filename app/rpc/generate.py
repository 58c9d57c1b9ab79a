"""Generate the gRPC stubs from the .proto files under app/rpc (run from the repository root):

    .venv/bin/python -m app.rpc.generate          # write them
    .venv/bin/python -m app.rpc.generate --check  # exit 1 if the checked-in ones are stale

Two sets come from the same .proto files:

- the appliance's (grpcio), next to the protos: app/rpc/auth/v1/auth_pb2.py, ...
- the desktop client's (grpclib: pure Python over Python's own TLS), under
  desktop/bia_desktop/rpc/. The protos are copied to bia_desktop/rpc/... in a temporary
  tree first, so generated imports name the client's package and the zipapp needs nothing
  from app/.

The .proto path mirrors the Python package, so generated imports are absolute
(``from app.rpc.auth.v1 import auth_pb2``).

The client's *_pb2.py register their descriptors in the client's own pool
(bia_desktop.rpc.POOL), not protobuf's default one: both copies describe the same
messages (bia.auth.v1.Tokens, ...), and protobuf refuses a symbol defined twice in one
pool, so without this one process could not hold both (the tests run the appliance's
servers and the client side by side). That holds for protobuf's compiled backend (upb),
which the appliance and the tests use; the pure-Python backend also registers every
message in its default symbol database, so there only one of the two sets may be loaded,
which is all the shipped client ever does.
"""

from __future__ import annotations

import filecmp
import re
import shutil
import sys
import tempfile
from pathlib import Path

REPO = Path(__file__).resolve().parents[2]
PROTOS = sorted(p.relative_to(REPO) for p in (REPO / "app" / "rpc").rglob("*.proto"))
SUFFIXES = ("_pb2.py", "_pb2.pyi", "_pb2_grpc.py")

DESKTOP = Path("desktop")  # the client's sources; its package is bia_desktop
DESKTOP_SUFFIXES = ("_pb2.py", "_pb2.pyi", "_grpc.py")
DEFAULT_POOL = "_descriptor_pool.Default().AddSerializedFile("
CLIENT_POOL = "_bia_rpc.POOL.AddSerializedFile("
CLIENT_POOL_IMPORT = "import bia_desktop.rpc as _bia_rpc\n"
# mypy checks this code strictly but not protoc's (the appliance's stubs have the same
# exception in pyproject.toml); ruff skips it through desktop/bia_desktop/rpc/ruff.toml.
HEADER = "# mypy: ignore-errors\n"


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


def desktop_proto(proto: Path) -> Path:
    """app/rpc/auth/v1/auth.proto -> bia_desktop/rpc/auth/v1/auth.proto"""
    return Path("bia_desktop", *proto.parts[1:])


def _client_copy(text: str) -> str:
    # An import of another of our protos must name the copy, or protoc would look for it
    # (and generate imports of it) under app/.
    return re.sub(
        r'^(\s*import\s+(?:public\s+|weak\s+)?")app/rpc/', r"\1bia_desktop/rpc/", text, flags=re.M
    )


def _own_pool(module: Path) -> None:
    text = module.read_text()
    if text.count(DEFAULT_POOL) != 1:
        raise SystemExit(f"{module.name}: protoc's output changed: expected one {DEFAULT_POOL}")
    text = text.replace(DEFAULT_POOL, CLIENT_POOL)
    anchor = "from google.protobuf.internal import builder as _builder\n"
    if anchor not in text:
        raise SystemExit(f"{module.name}: protoc's output changed: no {anchor.strip()!r}")
    module.write_text(text.replace(anchor, anchor + CLIENT_POOL_IMPORT))


def generate_desktop(out: Path) -> list[Path]:
    """The client's stubs, as repository paths (desktop/bia_desktop/rpc/...) under `out`."""
    from grpc_tools import protoc

    plugin = Path(sys.executable).parent / "protoc-gen-grpclib_python"
    if not plugin.is_file():
        raise SystemExit(f"{plugin} is missing: install grpclib in this venv (the desktop extra)")
    with tempfile.TemporaryDirectory() as src:
        copies = [desktop_proto(proto) for proto in PROTOS]
        for proto, copy in zip(PROTOS, copies, strict=True):
            (Path(src) / copy).parent.mkdir(parents=True, exist_ok=True)
            (Path(src) / copy).write_text(_client_copy((REPO / proto).read_text()))
        target = out / DESKTOP
        target.mkdir(parents=True, exist_ok=True)
        args = [
            "protoc",
            f"-I{src}",
            f"--python_out={target}",
            f"--pyi_out={target}",
            f"--plugin=protoc-gen-grpclib_python={plugin}",
            f"--grpclib_python_out={target}",
            *map(str, copies),
        ]
        if protoc.main(args) != 0:
            raise SystemExit("protoc failed (desktop stubs)")
    produced = [
        DESKTOP / copy.with_name(copy.stem + suffix)
        for copy in copies
        for suffix in DESKTOP_SUFFIXES
    ]
    for path in produced:
        if path.name.endswith("_pb2.py"):
            _own_pool(out / path)
        (out / path).write_text(HEADER + (out / path).read_text())
    return produced


def main(argv: list[str]) -> int:
    with tempfile.TemporaryDirectory() as tmp:
        produced = generate(Path(tmp)) + generate_desktop(Path(tmp))
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
            (REPO / path).parent.mkdir(parents=True, exist_ok=True)
            shutil.copyfile(Path(tmp) / path, REPO / path)
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv))
