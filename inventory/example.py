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
            },
        },
    ),
]
