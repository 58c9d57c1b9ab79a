"""The Bia appliance: `pyinfra INVENTORY deploy.py`. This file only sequences the roles."""

from roles.backend import backend
from roles.base import base
from roles.edge import edge
from roles.keycloak import keycloak
from roles.lib.context import settings
from roles.postgres import postgres

settings()  # fail on bad inventory data before any operation touches the host
base()
postgres()
keycloak()
backend()
edge()
