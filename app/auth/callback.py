"""GET /auth/callback: where Keycloak sends the browser back. The code is exchanged here
(confidential client + PKCE verifier) and the ID token checked, nonce included; the
tokens then wait in memory for the client's AwaitTokens stream."""

from __future__ import annotations

import logging

from fastapi import FastAPI
from fastapi.responses import HTMLResponse

from app.auth.oidc import IdentityUnavailable, Oidc, OidcRefused
from app.auth.tokens import TokenError, TokenVerifier
from app.auth.transactions import TransactionError, TransactionStore

log = logging.getLogger("bia.auth")

PAGE = """<!doctype html><html lang="en"><head><meta charset="utf-8"><title>Bia</title></head>
<body><h1>{title}</h1><p>{text}</p></body></html>"""


def page(status: int, title: str, text: str) -> HTMLResponse:
    return HTMLResponse(
        PAGE.format(title=title, text=text),
        status_code=status,
        headers={"Cache-Control": "no-store"},
    )


def create_callback_app(store: TransactionStore, oidc: Oidc, verifier: TokenVerifier) -> FastAPI:
    app = FastAPI(openapi_url=None, docs_url=None, redoc_url=None)

    @app.get("/auth/callback")
    async def callback(
        state: str = "", code: str = "", error: str = "", error_description: str = ""
    ) -> HTMLResponse:
        try:
            transaction = store.for_callback(state)
        except TransactionError as exc:
            return page(400, "This sign-in link cannot be used", f"{exc}.")
        if error or not code:
            transaction.failure = f"Keycloak refused the sign-in: {error or 'no code'}"
            transaction.done.set()
            return page(400, "Sign-in failed", "Go back to Bia and try again.")
        try:
            body = await oidc.exchange(code, transaction.code_verifier)
            claims = verifier.id_token(str(body.get("id_token", "")), transaction.nonce)
        except IdentityUnavailable as exc:
            transaction.failure = str(exc)
        except (OidcRefused, TokenError) as exc:
            log.warning("callback refused: %s", exc)
            transaction.failure = f"the sign-in could not be verified: {exc}"
        else:
            transaction.tokens = {**body, "subject": claims.subject}
        transaction.done.set()
        if transaction.failure:
            return page(400, "Sign-in failed", "Go back to Bia and try again.")
        return page(200, "Signed in", "You can close this window and return to Bia.")

    return app
