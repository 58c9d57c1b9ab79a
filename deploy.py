"""The Bia appliance: `pyinfra INVENTORY deploy.py`. This file only sequences the roles."""

from hardening.accounts import accounts
from hardening.firewall import firewall
from hardening.kernel import kernel
from hardening.permissions import permissions
from hardening.sandbox import sandbox
from hardening.ssh import ssh
from hardening.system import system
from roles.auth import auth
from roles.backend import backend
from roles.base import base
from roles.client import client
from roles.edge import edge
from roles.journal_rpc import journal_rpc
from roles.keycloak import keycloak
from roles.lib.context import settings
from roles.postgres import postgres

settings()  # fail on bad inventory data before any operation touches the host
base()
ssh()
firewall()
kernel()
accounts()
system()
postgres()
keycloak()
backend()
auth()
journal_rpc()
edge()
client()
sandbox()
permissions()
