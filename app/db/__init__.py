"""Database access: connection pool, the per-user transaction, migrations."""
