"""After `make lab`: fetch the appliance CA, check /healthz with it, and say how to use the lab."""

from __future__ import annotations

import hashlib
import ssl
import subprocess
import urllib.request

from tests.lab.host import LabHost


def fetch_ca(lab: LabHost) -> str:
    pem = subprocess.run(
        [*lab.ssh_args(), "cat /etc/bia/tls/ca.crt"], capture_output=True, text=True, check=True
    ).stdout
    path = lab.directory / "ca.crt"
    path.write_text(pem)
    return str(path)


def fingerprint(pem_path: str) -> str:
    with open(pem_path) as handle:
        der = ssl.PEM_cert_to_DER_cert(handle.read())
    digest = hashlib.sha256(der).hexdigest().upper()
    return ":".join(digest[i : i + 2] for i in range(0, len(digest), 2))


def signing_key_fingerprint(lab: LabHost) -> str:
    """SHA-256 of the appliance's client-signing public key (DER), as the page prints it."""
    out = subprocess.run(
        [*lab.ssh_args(), "sudo openssl pkey -in /etc/bia/signing/client-ed25519.key "
         "-pubout -outform DER | sha256sum"],
        capture_output=True, text=True, check=False,
    )  # fmt: skip
    return out.stdout.split()[0] if out.returncode == 0 and out.stdout else "(not deployed yet)"


def fingerprint_handout(lab: LabHost, ca_path: str) -> list[str]:
    """The two lines the download page's step 2 prints, for patients to compare."""
    return [
        f"Authority:   {fingerprint(ca_path)}",
        f"Signing key: {signing_key_fingerprint(lab)}",
    ]


def health(lab: LabHost, ca_path: str) -> str:
    context = ssl.create_default_context(cafile=ca_path)
    try:
        with urllib.request.urlopen(
            f"https://{lab.address}/healthz", context=context, timeout=10
        ) as response:
            return f"{response.status} {response.read().decode()}"
    except OSError as exc:
        return f"NOT healthy: {exc}"


def welcome(lab: LabHost) -> str:
    ca = fetch_ca(lab)
    handout = fingerprint_handout(lab, ca)
    ssh = " ".join(lab.ssh_args())
    return f"""
The Bia lab appliance {lab.name!r} is deployed.

  URL:             https://{lab.address}/   (reachable from this machine)
  CA certificate:  {ca}
  CA SHA-256:      {fingerprint(ca)}
  health:          {health(lab, ca)}

  Try it:          curl --cacert {ca} https://{lab.address}/healthz
  Desktop client:  https://{lab.address}/download/   (signed package and install steps)
                   Hand patients these two lines; the page's step 2 prints the same:
                     {handout[0]}
                     {handout[1]}
  SSH (pinned):    python -m tests.lab ssh {lab.name}
                   (or: {ssh})
  Re-deploy:       BIA_LAB={lab.name} .venv/bin/pyinfra inventory/lab.py deploy.py
  Remove it:       make lab-down LAB={lab.name}
"""
