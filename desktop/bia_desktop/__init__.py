"""Bia's desktop client: a pywebview window over the appliance's gRPC API (issue 7)."""

__version__ = "0.1.0"
