"""The journal domain: plain Python used by both the REST and the gRPC layers.

Every service takes a connection from `app.db.session.user_transaction`, which
binds the user; row level security does the rest. Services raise only
`DomainError` subclasses for anything a caller can get wrong.
"""
