"""Unlocking through the real PAM stack, with a user made for the test (needs root)."""

import os
import shutil
import subprocess
import sys
from collections.abc import Iterator

import pytest
from bia_desktop.guard import SessionGuard, pam_authenticator

from tests.desktop.session import DESKTOP, unix_user

pytestmark = pytest.mark.desktop
pytest.importorskip("pam")

RUNUSER = shutil.which("runuser") or "/usr/sbin/runuser"

if os.geteuid() != 0:
    pytest.skip("making a test user needs root", allow_module_level=True)


@pytest.fixture
def user() -> Iterator[tuple[str, str]]:
    with unix_user() as made:
        yield made


def test_wrong_password_fails_and_the_right_one_unlocks(user: tuple[str, str]) -> None:
    name, password = user
    guard = SessionGuard(authenticate=pam_authenticator(), username=name)
    guard.lock("os-screensaver")
    assert not guard.unlock(password + "x")
    assert guard.locked
    assert guard.unlock(password)
    assert not guard.locked


def test_as_that_user_pam_checks_only_its_own_password(user: tuple[str, str]) -> None:
    """Without root, pam_unix asks the setgid unix_chkpwd, which only checks the caller."""
    name, password = user
    code = (
        "import sys\n"
        "from bia_desktop.guard import pam_authenticator, current_username\n"
        "check = pam_authenticator()\n"
        "print(current_username(), check(current_username(), sys.argv[1]),"
        " check(current_username(), 'nope'), check('root', sys.argv[1]))\n"
    )
    result = subprocess.run(
        [
            shutil.which("runuser") or "/usr/sbin/runuser",
            "-u",
            name,
            "--",
            sys.executable,
            "-c",
            code,
            password,
        ],
        env={"PATH": "/usr/bin:/bin", "PYTHONPATH": str(DESKTOP), "HOME": "/tmp"},
        capture_output=True,
        text=True,
        timeout=60,
        check=False,
    )
    if "Permission denied" in result.stderr:
        pytest.skip(f"the test user cannot read the client's code: {result.stderr[-200:]}")
    assert result.returncode == 0, result.stderr
    assert result.stdout.split() == [name, "True", "False", "False"]
