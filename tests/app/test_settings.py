"""The backend refuses to start in production without a real database password."""

from __future__ import annotations

from pathlib import Path

import pytest
from pydantic import SecretStr, ValidationError

from app.settings import Settings


def test_production_refuses_a_missing_password(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.delenv("CREDENTIALS_DIRECTORY", raising=False)
    with pytest.raises(ValidationError, match="systemd credential db-password"):
        Settings(environment="production")


@pytest.mark.parametrize("placeholder", ["changeme", "password", "Secret"])
def test_production_refuses_placeholders(monkeypatch: pytest.MonkeyPatch, placeholder: str) -> None:
    monkeypatch.delenv("CREDENTIALS_DIRECTORY", raising=False)
    with pytest.raises(ValidationError):
        Settings(environment="production", database_password=SecretStr(placeholder))


def test_password_comes_from_the_systemd_credential(
    monkeypatch: pytest.MonkeyPatch, tmp_path: Path
) -> None:
    (tmp_path / "db-password").write_text("s3cret-from-credential\n")
    monkeypatch.setenv("CREDENTIALS_DIRECTORY", str(tmp_path))
    settings = Settings(environment="production")
    assert settings.database_password.get_secret_value() == "s3cret-from-credential"
    assert "s3cret-from-credential" not in repr(settings)
    assert "password=s3cret-from-credential" in settings.database_conninfo
