# Bia: two commands for a newcomer (as root on Debian 12):
#   make lab    install what this machine needs, build the lab, deploy the appliance
#   make test   run every test: lint, unit, integration, end-to-end on the lab
# Day to day: make check (lint, unit, integration; no lab).
SHELL := /bin/bash
.SHELLFLAGS := -euo pipefail -c
.DEFAULT_GOAL := help

VENV := .venv
PY := $(VENV)/bin/python
LAB ?= lab
# What this machine needs from Debian (the lab, the test PostgreSQL, the venv).
HOST_PACKAGES := debootstrap systemd-container apt-cacher-ng postgresql python3-venv maven chromium \
	openssh-client iproute2 curl util-linux lynis ssh-audit testssl.sh \
	python3-gi gir1.2-webkit2-4.1 gnome-keyring libpam0g libpam-modules dbus dbus-x11 \
	xvfb xdotool imagemagick libnss3-tools openssl
export PIP_CACHE_DIR := /var/cache/bia-pip
export PIP_DISABLE_PIP_VERSION_CHECK := 1

.PHONY: help host-deps venv lint format unit integration check lab lab-up lab-deploy lab-down \
	lab-status test e2e bench-deploy locks compliance

help:
	@echo "make lab     bring up the local lab appliance (installs what it needs)"
	@echo "make test    run every test (lint, unit, integration, end-to-end on the lab)"
	@echo "make check   the fast inner loop: lint, unit and integration tests"
	@echo "make lab-down LAB=name   remove a lab host;  make lab-status"
	@echo "make bench-deploy        cold vs no-op deploy timings"

host-deps:
	@missing=$$(for p in $(HOST_PACKAGES); do \
		dpkg-query -W -f='$${Status}' $$p 2>/dev/null | grep -q 'install ok installed' || echo $$p; \
	done); \
	if [ -n "$$missing" ]; then \
		echo "[make] installing host packages: $$missing"; \
		apt-get update -qq; \
		DEBIAN_FRONTEND=noninteractive apt-get install -y -qq --no-install-recommends $$missing >/dev/null; \
	fi

venv: $(VENV)/.bia-stamp
$(VENV)/.bia-stamp: requirements/dev.lock | host-deps
	@echo "[make] creating $(VENV) from requirements/dev.lock (hash-checked)"
	rm -rf $(VENV)
	/usr/bin/python3 -m venv --system-site-packages $(VENV)  # for Debian's python3-gi (GTK)
	$(VENV)/bin/pip install --quiet --require-hashes -r requirements/dev.lock
	touch $@

lint: venv
	$(VENV)/bin/ruff check .
	$(VENV)/bin/ruff format --check .
	$(VENV)/bin/mypy .

format: venv
	$(VENV)/bin/ruff format .
	$(VENV)/bin/ruff check --fix .

unit: venv
	$(VENV)/bin/pytest -m "not integration and not lab"

integration: venv host-deps
	$(VENV)/bin/pytest -m integration

check: lint unit integration

lab-up: venv host-deps
	$(PY) -m tests.lab up $(LAB)

lab-deploy: lab-up
	BIA_LAB=$(LAB) $(VENV)/bin/pyinfra -y inventory/lab.py deploy.py
	@$(PY) -m tests.lab welcome $(LAB)

lab: lab-deploy

lab-down: venv
	$(PY) -m tests.lab down $(LAB)

lab-status: venv
	$(PY) -m tests.lab status

e2e: venv host-deps
	$(VENV)/bin/pytest -m lab

# Hardening compliance of one deployed host: its controls (policies/controls.toml) and the
# scanners. INVENTORY=inventory/x.py audits that host; without it, lab host $(LAB).
# The report: artifacts/compliance/report.md and report.json.
INVENTORY ?= inventory/lab.py
compliance: venv host-deps
	BIA_LAB=$(LAB) BIA_COMPLIANCE_INVENTORY=$(INVENTORY) $(VENV)/bin/pytest -m lab \
		tests/e2e/compliance -p no:cacheprovider

# Every test, in one pytest run so the summary counts them all.
test: lint
	$(VENV)/bin/pytest

bench-deploy: venv host-deps
	$(PY) -m bench.deploy

# Regenerate the locks after changing pyproject.toml (needs PyPI).
locks: venv
	$(VENV)/bin/uv pip compile pyproject.toml --generate-hashes --python-version 3.11 \
		--extra dev --extra desktop -o requirements/dev.lock -q
	$(VENV)/bin/uv pip compile pyproject.toml --generate-hashes --python-version 3.13 \
		--python-platform x86_64-manylinux_2_28 -o requirements/appliance.lock -q
