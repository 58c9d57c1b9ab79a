"""Shared pieces of the roles: settings, custom operations and facts, local build steps."""
