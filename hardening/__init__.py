"""OS hardening deploys driven by the controls in policies/controls.toml."""
