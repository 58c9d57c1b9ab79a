"""The lab: fresh Debian 13 hosts on this machine, reached as a real VM is (SSH + pyinfra).

Each lab host is a copy of a cached debootstrap root file system, booted with
``systemd-nspawn --boot`` on a private bridge (10.88.0.0/24). Its only way out is
the caching apt proxy on the bridge address. See docs/lab.md.
"""
