"""bia-journal-grpc: the Journal, Catalog and Settings gRPC services, on loopback.

    python -m app.rpc.server

A synchronous gRPC server: each call runs on a worker thread with its own pooled
database connection (psycopg is synchronous here, as in the REST app). TLS and HTTP/2
from clients end at the edge (nginx grpc_pass).
"""

from __future__ import annotations

import logging
import signal
import threading
from concurrent import futures
from functools import partial

import grpc
from pydantic_settings import BaseSettings, SettingsConfigDict

from app import logs
from app.auth.tokens import TokenVerifier
from app.db.session import Pool, create_pool
from app.rpc.journal.calls import JournalRpc, lenient_deserializer
from app.rpc.journal.methods import SERVICES
from app.rpc.journal.v1 import journal_pb2
from app.settings import Settings, get_settings

log = logging.getLogger("bia.rpc")


class RpcSettings(BaseSettings):
    model_config = SettingsConfigDict(env_prefix="BIA_JOURNAL_GRPC_", frozen=True)

    host: str = "127.0.0.1"
    port: int = 50052
    # The largest request: a meal of 50 items with notes is a few kB; a note 40 kB at most.
    max_message_bytes: int = 256 * 1024
    # Calls beyond this many in flight are refused (RESOURCE_EXHAUSTED), not queued forever.
    max_concurrent_rpcs: int = 256


def handlers(rpc: JournalRpc) -> list[grpc.GenericRpcHandler]:
    """One generic handler per service, built from the .proto's descriptor and methods.py."""
    built: list[grpc.GenericRpcHandler] = []
    for service_name, runners in SERVICES.items():
        service = journal_pb2.DESCRIPTOR.services_by_name[service_name]
        missing = set(service.methods_by_name) ^ set(runners)
        if missing:
            raise RuntimeError(f"{service_name}: methods and runners differ: {sorted(missing)}")
        methods = {}
        for name, runner in runners.items():
            method = service.methods_by_name[name]
            methods[name] = grpc.unary_unary_rpc_method_handler(
                partial(rpc.handle, f"/{service.full_name}/{name}", runner),
                request_deserializer=lenient_deserializer(
                    getattr(journal_pb2, method.input_type.name)
                ),
                response_serializer=lambda message: message.SerializeToString(),
            )
        built.append(grpc.method_handlers_generic_handler(service.full_name, methods))
    return built


def build_server(
    pool: Pool, verifier: TokenVerifier | None, rpc_settings: RpcSettings, workers: int
) -> tuple[grpc.Server, int]:
    server = grpc.server(
        futures.ThreadPoolExecutor(max_workers=workers, thread_name_prefix="journal-rpc"),
        handlers=handlers(JournalRpc(pool, verifier)),
        options=[
            ("grpc.max_receive_message_length", rpc_settings.max_message_bytes),
            ("grpc.max_send_message_length", 16 * 1024 * 1024),
        ],
        maximum_concurrent_rpcs=rpc_settings.max_concurrent_rpcs,
    )
    port = server.add_insecure_port(f"{rpc_settings.host}:{rpc_settings.port}")
    return server, port


def verifier_from(settings: Settings) -> TokenVerifier | None:
    if not settings.oidc_issuer:
        return None
    return TokenVerifier(settings.oidc_jwks_url, settings.oidc_issuer, settings.oidc_client_id)


def main() -> None:
    logs.configure()
    settings = get_settings()
    rpc_settings = RpcSettings()
    pool = create_pool(
        settings.database_conninfo, max_size=settings.database_pool_max, open_now=False
    )
    pool.open(wait=False)
    verifier = verifier_from(settings)
    if verifier is not None and not verifier.prefetch():
        log.warning("the identity service's keys are not reachable yet; fetched on first use")
    server, port = build_server(pool, verifier, rpc_settings, workers=settings.database_pool_max)
    server.start()
    log.info("listening", extra={"fields": {"address": f"{rpc_settings.host}:{port}"}})
    stop = threading.Event()
    for signum in (signal.SIGTERM, signal.SIGINT):
        signal.signal(signum, lambda *_: stop.set())
    stop.wait()
    server.stop(grace=5).wait()
    pool.close()


if __name__ == "__main__":
    main()
