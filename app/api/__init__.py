"""The REST layer (FastAPI)."""
