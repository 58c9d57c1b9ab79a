"""Bia backend."""
