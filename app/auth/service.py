"""The gRPC Auth service (app/rpc/auth/v1/auth.proto). Tokens are never logged."""

from __future__ import annotations

import asyncio
import logging
from collections.abc import AsyncIterator
from typing import Any

import grpc

from app.auth.oidc import IdentityUnavailable, Oidc, OidcRefused
from app.auth.tokens import TokenError, TokenVerifier
from app.auth.transactions import (
    ExpiredTransaction,
    TransactionError,
    TransactionStore,
    UnknownTransaction,
    WrongBindingSecret,
)
from app.rpc.auth.v1 import auth_pb2, auth_pb2_grpc

log = logging.getLogger("bia.auth")
PROGRESS_EVERY_SECONDS = 10.0
Stage = auth_pb2.LoginEvent.Stage


def tokens_message(body: dict[str, Any], subject: str) -> auth_pb2.Tokens:
    return auth_pb2.Tokens(
        access_token=body["access_token"],
        refresh_token=body.get("refresh_token", ""),
        id_token=body.get("id_token", ""),
        expires_in_seconds=int(body.get("expires_in", 0)),
        subject=subject,
    )


class AuthService(auth_pb2_grpc.AuthServicer):
    def __init__(self, store: TransactionStore, oidc: Oidc, verifier: TokenVerifier) -> None:
        self.store = store
        self.oidc = oidc
        self.verifier = verifier

    async def BeginLogin(
        self, request: auth_pb2.BeginLoginRequest, context: grpc.aio.ServicerContext[Any, Any]
    ) -> auth_pb2.BeginLoginResponse:
        try:
            await self.oidc.probe()
            started = self.store.begin(bytes(request.binding_secret_sha256))
        except IdentityUnavailable as exc:
            await context.abort(grpc.StatusCode.UNAVAILABLE, str(exc))
        except TransactionError as exc:
            await context.abort(grpc.StatusCode.INVALID_ARGUMENT, str(exc))
        log.info("login transaction started")
        return auth_pb2.BeginLoginResponse(
            transaction_id=started.transaction_id,
            authorization_url=self.oidc.authorization_url(
                started.state, started.nonce, started.code_verifier
            ),
            expires_in_seconds=int(self.store.ttl),
        )

    async def AwaitTokens(
        self, request: auth_pb2.AwaitTokensRequest, context: grpc.aio.ServicerContext[Any, Any]
    ) -> AsyncIterator[auth_pb2.LoginEvent]:
        try:
            key, transaction = self.store.claim(
                request.transaction_id, bytes(request.binding_secret)
            )
        except WrongBindingSecret as exc:
            log.warning("AwaitTokens with a wrong binding secret")
            await context.abort(grpc.StatusCode.PERMISSION_DENIED, str(exc))
        except ExpiredTransaction as exc:
            await context.abort(grpc.StatusCode.DEADLINE_EXCEEDED, str(exc))
        except UnknownTransaction as exc:
            await context.abort(grpc.StatusCode.NOT_FOUND, str(exc))
        delivered = False
        try:
            while not transaction.done.is_set():
                yield auth_pb2.LoginEvent(stage=Stage.WAITING_FOR_BROWSER)
                left = self.store.remaining(transaction)
                if left <= 0:
                    self.store.finish(key)
                    await context.abort(
                        grpc.StatusCode.DEADLINE_EXCEEDED, "this login has expired: start again"
                    )
                try:
                    await asyncio.wait_for(
                        transaction.done.wait(), min(left, PROGRESS_EVERY_SECONDS)
                    )
                except TimeoutError:
                    continue
            if transaction.failure or transaction.tokens is None:
                self.store.finish(key)
                await context.abort(
                    grpc.StatusCode.UNAUTHENTICATED, transaction.failure or "the login failed"
                )
            assert transaction.tokens is not None
            yield auth_pb2.LoginEvent(stage=Stage.SIGNED_IN)
            message = tokens_message(transaction.tokens, transaction.tokens["subject"])
            delivered = True
            self.store.finish(key)
            log.info("tokens delivered, transaction erased")
            yield auth_pb2.LoginEvent(stage=Stage.DELIVERED, tokens=message)
        finally:
            if not delivered:
                self.store.release(key)

    async def Refresh(
        self, request: auth_pb2.RefreshRequest, context: grpc.aio.ServicerContext[Any, Any]
    ) -> auth_pb2.Tokens:
        try:
            body = await self.oidc.refresh(request.refresh_token)
            claims = self.verifier.access_token(body["access_token"])
        except IdentityUnavailable as exc:
            await context.abort(grpc.StatusCode.UNAVAILABLE, str(exc))
        except (OidcRefused, TokenError) as exc:
            await context.abort(
                grpc.StatusCode.UNAUTHENTICATED, f"refresh refused: {exc}; sign in again"
            )
        return tokens_message(body, claims.subject)

    async def Logout(
        self, request: auth_pb2.LogoutRequest, context: grpc.aio.ServicerContext[Any, Any]
    ) -> auth_pb2.LogoutResponse:
        try:
            await self.oidc.logout(request.refresh_token)
        except IdentityUnavailable as exc:
            await context.abort(grpc.StatusCode.UNAVAILABLE, str(exc))
        except OidcRefused as exc:
            await context.abort(grpc.StatusCode.UNAUTHENTICATED, f"logout refused: {exc}")
        return auth_pb2.LogoutResponse()
