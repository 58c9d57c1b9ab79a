import threading

import pytest
from bia_desktop.guard import SessionGuard


class Clock:
    def __init__(self) -> None:
        self.now = 1000.0

    def __call__(self) -> float:
        return self.now


def make(
    clock: Clock | None = None, idle: float = 60
) -> tuple[SessionGuard, list[tuple[str, str]]]:
    checked: list[tuple[str, str]] = []

    def authenticate(username: str, password: str) -> bool:
        checked.append((username, password))
        return password == "right"

    return (
        SessionGuard(
            authenticate=authenticate, username="alice", idle_seconds=idle, clock=clock or Clock()
        ),
        checked,
    )


def test_lock_runs_listeners_and_unlock_needs_the_right_password() -> None:
    guard, checked = make()
    dropped: list[str] = []
    guard.add_lock_listener(dropped.append)
    guard.lock("os-screensaver")
    assert guard.locked and guard.lock_reason == "os-screensaver"
    assert dropped == ["os-screensaver"]
    assert not guard.unlock("wrong")
    assert guard.locked
    assert not guard.unlock("")  # an empty password is not even tried
    assert guard.unlock("right")
    assert not guard.locked
    assert checked == [("alice", "wrong"), ("alice", "right")]  # always the guard's own user


def test_locks_after_the_idle_time_and_activity_postpones_it() -> None:
    clock = Clock()
    guard, _ = make(clock, idle=60)
    clock.now += 59
    assert not guard.check_idle()
    guard.touch()
    clock.now += 59
    assert not guard.check_idle()
    clock.now += 1
    assert guard.check_idle()
    assert guard.locked and guard.lock_reason == "idle"


def test_activity_while_locked_does_not_restart_the_timer_or_unlock() -> None:
    clock = Clock()
    guard, _ = make(clock, idle=10)
    guard.lock("user")
    guard.touch()
    assert guard.locked


def test_a_failing_listener_does_not_stop_the_others() -> None:
    guard, _ = make()
    seen: list[str] = []

    def broken(reason: str) -> None:
        raise RuntimeError("window already closed")

    guard.add_lock_listener(broken)
    guard.add_lock_listener(seen.append)
    guard.lock("user")
    assert seen == ["user"]


def test_password_checks_are_serialised() -> None:
    active = 0
    most = 0
    gate = threading.Lock()

    def slow(username: str, password: str) -> bool:
        nonlocal active, most
        with gate:
            active += 1
            most = max(most, active)
        threading.Event().wait(0.05)
        with gate:
            active -= 1
        return False

    guard = SessionGuard(authenticate=slow, username="alice")
    guard.lock("user")
    threads = [threading.Thread(target=guard.unlock, args=(f"guess{i}",)) for i in range(5)]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    assert most == 1


def test_idle_time_must_be_positive() -> None:
    with pytest.raises(ValueError, match="positive"):
        SessionGuard(authenticate=lambda u, p: False, username="a", idle_seconds=0)


def test_the_idle_thread_locks_on_its_own() -> None:
    guard = SessionGuard(authenticate=lambda u, p: False, username="alice", idle_seconds=0.2)
    dropped = threading.Event()
    guard.add_lock_listener(lambda reason: dropped.set())
    guard.start(poll_seconds=0.05)
    try:
        assert dropped.wait(2)
        assert guard.locked and guard.lock_reason == "idle"
    finally:
        guard.stop()
