"""A short memory of verified access tokens, so a busy client's every call does not
repeat the signature check (about a tenth of a create's CPU).

Only successes are kept, under the token's SHA-256 (the token itself is not held), for
at most 60 s and never past the token's own expiry. A key withdrawn from the JWKS is
noticed by the verifier within its own 10-minute cache anyway; 60 s adds little to that.
"""

from __future__ import annotations

import hashlib
import threading
import time
from uuid import UUID

from app.auth.tokens import TokenVerifier

REMEMBER_SECONDS = 60.0
MAX_ENTRIES = 4096


class VerifiedTokens:
    def __init__(self, verifier: TokenVerifier) -> None:
        self.verifier = verifier
        self._entries: dict[bytes, tuple[UUID, float]] = {}
        self._lock = threading.Lock()

    def subject(self, token: str) -> UUID:
        """The token's subject as a UUID; raises TokenError/ValueError like the verifier."""
        digest = hashlib.sha256(token.encode()).digest()
        now = time.time()
        entry = self._entries.get(digest)
        if entry is not None and entry[1] > now:
            return entry[0]
        claims = self.verifier.access_token(token)
        subject = UUID(claims.subject)
        expires = float(claims.raw.get("exp", now))
        with self._lock:
            if len(self._entries) >= MAX_ENTRIES:
                self._entries.clear()
            self._entries[digest] = (subject, min(expires, now + REMEMBER_SECONDS))
        return subject
