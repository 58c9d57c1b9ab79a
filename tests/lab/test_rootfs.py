"""Unit tests of the lab's pure parts (the lab itself is exercised by tests/e2e)."""

from __future__ import annotations

from pathlib import Path

import pytest

from tests.lab import config, rootfs


def test_cache_key_changes_with_what_the_rootfs_is_built_from() -> None:
    a = rootfs.cache_key("http://deb.debian.org/debian/")
    assert a == rootfs.cache_key("http://deb.debian.org/debian/")
    assert a != rootfs.cache_key("http://mirror.example/debian/")


def test_the_host_mirror_is_read_from_deb822_and_one_line_sources(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    real_path = Path

    def fake_path(p: str) -> Path:
        return real_path(str(tmp_path) + p) if p.startswith("/etc/apt") else real_path(p)

    (tmp_path / "etc/apt/sources.list.d").mkdir(parents=True)
    (tmp_path / "etc/apt/sources.list.d/debian.sources").write_text(
        "Types: deb\nURIs: http://ftp.example.org/debian\nSuites: bookworm\n"
    )
    monkeypatch.setattr(rootfs, "Path", fake_path)
    assert rootfs.host_debian_mirror() == "http://ftp.example.org/debian/"


@pytest.mark.parametrize("name", ["lab", "e2e2", "a1234567"])
def test_good_names(name: str) -> None:
    assert config.validate_name(name) == name


@pytest.mark.parametrize("name", ["", "Lab", "1lab", "toolongname", "la-b"])
def test_bad_names_are_refused_with_a_reason(name: str) -> None:
    with pytest.raises(SystemExit, match="1-8 lower-case"):
        config.validate_name(name)


def test_a_missing_prerequisite_is_named_with_its_install_command(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    import os
    import shutil

    from tests.lab import prereq

    monkeypatch.setattr(os, "geteuid", lambda: 0)
    monkeypatch.setattr(shutil, "which", lambda cmd: None if cmd == "debootstrap" else "/x")
    monkeypatch.setattr(os.path, "exists", lambda path: False)
    with pytest.raises(SystemExit, match=r"apt-get install -y debootstrap"):
        prereq.require()
