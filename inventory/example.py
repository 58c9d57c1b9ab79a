"""A template for a real Debian 13 VM, reached over SSH. Copy it, fill it in, then:

    .venv/bin/pyinfra inventory/my-appliance.py deploy.py

What the VM needs first: a fresh Debian 13, an account that you reach with an SSH key and
that may use sudo (Debian's cloud images call it "debian"), and ports 22, 80 and 443
reachable. Every setting below is checked before the deploy touches the VM; a wrong or
missing one is named in the error.
"""

hosts = [
    (
        "bia.example.org",  # how this machine reaches the VM over SSH (name or address)
        {
            # --- SSH: how pyinfra logs in ---
            "ssh_user": "debian",  # a sudo-capable user on the VM
            "ssh_key": "~/.ssh/id_ed25519",  # the operator's private key
            # Pin the VM's host key: put its line in this file (ssh-keyscan, checked
            # against the VM's console) and keep strict checking on.
            "ssh_known_hosts_file": "~/.ssh/known_hosts",
            "ssh_strict_host_key_checking": "yes",
            "_sudo": True,
            # --- The appliance ---
            "bia": {
                # The name clients use: the appliance answers on https://<domain>/ and its
                # certificate is made for it. An IP address works too (a LAN box).
                "domain": "bia.example.org",
                # More IP addresses to put in the certificate (optional).
                "extra_addresses": [],
                "timezone": "Europe/Berlin",  # default UTC
                "locale": "en_US.UTF-8",  # default en_US.UTF-8
                "tls": {
                    # "local-ca": the appliance's own CA (name-constrained to the domain)
                    # signs the certificate; clients install /etc/bia/tls/ca.crt.
                    # (ACME for public domains is planned, not yet available.)
                    "mode": "local-ca",
                    "hsts_max_age": 63072000,  # two years, Mozilla's "modern" profile
                    "certificate_days": 397,  # renewed by any deploy 30 days before expiry
                },
                "postgres": {"version": "17"},  # Debian 13's PostgreSQL
                "backend": {"port": 8000, "workers": 2},  # loopback only, behind the edge
                "keycloak": {
                    # Keycloak 26.x, pinned: the deploy stops if the archive's SHA-256 differs.
                    "version": "26.5.6",
                    "sha256": "490189d9dff05272432d51f71a069462eeca97f2920a694d539a1e6c26a5a347",
                    # Where the archive comes from:
                    #   "maven": org.keycloak:keycloak-quarkus-dist:<version>:zip fetched on
                    #            this machine with mvn (cached in /var/cache/bia-keycloak),
                    #            then uploaded (the default; the digest above is for it);
                    #   "url":   the appliance downloads "url" itself (for example the GitHub
                    #            release keycloak-<version>.zip: pin ITS digest in sha256);
                    #   "file":  a local archive at "file", uploaded (offline installs).
                    "source": "maven",
                    # "url": "https://github.com/keycloak/keycloak/releases/download/...",
                    # "file": "/srv/archives/keycloak-26.5.6.zip",
                    # JVM heap in MiB; the unit caps Keycloak at heap + 640 MiB. 512 suits a
                    # 2 GiB VPS (see docs/login.md for the RAM the appliance needs).
                    "heap_mb": 512,
                    "port": 8080,  # HTTP, 127.0.0.1 only, behind the edge
                    "management_port": 9000,  # health and metrics, 127.0.0.1 only
                    "operator": "operator",  # first account (bia-admin, one-time password)
                },
                # OS hardening: the controls in policies/controls.toml (docs/hardening.md).
                "hardening": {
                    # Networks (CIDR) that may reach SSH; 80 and 443 stay open to all.
                    # Empty (the default): any network.
                    "ssh_allowed_networks": [],
                    # More accounts allowed to log in over SSH; ssh_user above always is.
                    "ssh_users": [],
                    # More TCP ports open to the world: each needs a waiver of fw-06.
                    "extra_tcp_ports": [],
                    # {control ID: why}. A waived control is not applied, and every
                    # compliance report lists it with this justification (20+ characters).
                    # Some controls (root login, SSH passwords, default-deny, ...) cannot
                    # be waived. Example:
                    #   "fw-06": "node exporter on 9100 for the practice's monitoring",
                    "waivers": {},
                },
            },
        },
    ),
]
