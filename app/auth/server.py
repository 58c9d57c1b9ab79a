"""bia-auth: the gRPC Auth service and the HTTP callback, in one process on loopback.

One process, so that login transactions never leave its memory: nothing about a pending
login is written to disk or a database, and a restart simply expires pending logins.

    python -m app.auth.server
"""

from __future__ import annotations

import asyncio
import logging

import grpc
import uvicorn

from app.auth.callback import create_callback_app
from app.auth.config import AuthSettings, get_auth_settings
from app.auth.oidc import Oidc
from app.auth.service import AuthService
from app.auth.tokens import TokenVerifier
from app.auth.transactions import TransactionStore
from app.rpc.auth.v1 import auth_pb2_grpc


def verifier_for(s: AuthSettings) -> TokenVerifier:
    return TokenVerifier(s.internal("/protocol/openid-connect/certs"), s.issuer, s.client_id)


async def serve(s: AuthSettings) -> None:
    store = TransactionStore(s.transaction_ttl_seconds)
    oidc = Oidc(s)
    verifier = verifier_for(s)
    server = grpc.aio.server()
    auth_pb2_grpc.add_AuthServicer_to_server(  # type: ignore[no-untyped-call]
        AuthService(store, oidc, verifier), server
    )
    # TLS is the edge's job. grpcio binds dual-stack IPv6 sockets when it can, so that
    # 127.0.0.1 shows up as [::ffff:127.0.0.1]; the unit denies it AF_INET6, and it binds
    # a plain IPv4 loopback socket.
    server.add_insecure_port(f"127.0.0.1:{s.grpc_port}")
    await server.start()
    callback = uvicorn.Server(
        uvicorn.Config(
            create_callback_app(store, oidc, verifier),
            host="127.0.0.1",
            port=s.callback_port,
            proxy_headers=True,
            forwarded_allow_ips="127.0.0.1",
            server_header=False,
            access_log=False,  # the query string holds the authorization code
            log_level="info",
        )
    )
    try:
        await asyncio.gather(callback.serve(), server.wait_for_termination())
    finally:
        await server.stop(grace=2)


def main() -> None:
    logging.basicConfig(level=logging.INFO, format="%(levelname)s %(name)s: %(message)s")
    asyncio.run(serve(get_auth_settings()))


if __name__ == "__main__":
    main()
