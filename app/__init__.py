"""The Bia backend: FastAPI (REST) and gRPC over one domain layer."""
