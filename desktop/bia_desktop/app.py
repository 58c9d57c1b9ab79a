"""Start the client: check the keychain, build the Api, open the window.

`python -m bia_desktop` runs main(); tests call run() with their own transport.
"""

from __future__ import annotations

import argparse
import html
import json
import logging
import os
import sys
import threading
import time
import webbrowser
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import keyring.backend

from bia_desktop import appliance as appliances
from bia_desktop.api import Api
from bia_desktop.bus_watch import BusWatcher, watch_os_lock
from bia_desktop.client import Client
from bia_desktop.guard import (
    DEFAULT_IDLE_SECONDS,
    DEFAULT_PAM_SERVICE,
    Authenticator,
    SessionGuard,
    pam_authenticator,
)
from bia_desktop.keychain import InsecureKeychainError, Keychain
from bia_desktop.outbox import Outbox
from bia_desktop.paths import state_dir
from bia_desktop.transport import OfflineTransport, Transport

log = logging.getLogger(__name__)

RETRY_SECONDS = 30.0
TITLE = "Bia"


def assets_dir() -> Path:
    """bia_desktop/assets when installed from the wheel; desktop/assets in a checkout."""
    here = Path(__file__).resolve().parent
    for candidate in (here / "assets", here.parent / "assets"):
        if (candidate / "index.html").is_file():
            return candidate
    raise FileNotFoundError(f"the client's assets (index.html) are missing next to {here}")


@dataclass
class Options:
    appliance: str = "local"
    idle_seconds: float = DEFAULT_IDLE_SECONDS
    pam_service: str = DEFAULT_PAM_SERVICE
    session_bus: str = "SESSION"
    system_bus: str = "SYSTEM"
    outbox_path: Path | None = None
    username: str | None = None
    keyring_backend: keyring.backend.KeyringBackend | None = None
    authenticate: Authenticator | None = None
    open_browser: Callable[[str], object] | None = None
    debug: bool = False


@dataclass
class Running:
    client: Client
    api: Api
    watchers: list[BusWatcher]
    window: Any = None


def build(options: Options, transport: Transport) -> Running:
    """Everything but the window. Raises InsecureKeychainError before anything else."""
    keychain = Keychain(options.appliance, backend=options.keyring_backend)
    guard = SessionGuard(
        authenticate=options.authenticate or pam_authenticator(options.pam_service),
        username=options.username,
        idle_seconds=options.idle_seconds,
    )
    outbox = Outbox(options.outbox_path or state_dir() / "outbox.json")
    client = Client(
        transport=transport,
        keychain=keychain,
        guard=guard,
        outbox=outbox,
        open_browser=options.open_browser or webbrowser.open,
    )
    watchers = watch_os_lock(
        guard.lock, session_bus=options.session_bus, system_bus=options.system_bus
    )
    guard.start()
    return Running(client=client, api=Api(client), watchers=watchers)


def _evaluate_without_eval(window: Any) -> None:
    """Keep the page's CSP free of 'unsafe-eval'.

    pywebview's Window.evaluate_js wraps every script in eval() (to return the last
    value), and its bridge delivers each js_api result through evaluate_js, so under
    script-src 'self' every call from the page would hang. The scripts we and the
    bridge send are plain statements; WebKit runs them as is through run_js.
    """

    def run_as_is(script: str, callback: object = None) -> Any:
        return window.run_js(script)

    window.evaluate_js = run_as_is


def retry_pending(client: Client, stop: threading.Event, every: float = RETRY_SECONDS) -> None:
    """Until stopped: send what waits in the outbox, unless locked (no token then)."""
    while not stop.wait(every):
        if client.guard.locked or not client.outbox.pending():
            continue
        try:
            client.flush()
        except Exception:
            log.exception("retrying pending writes failed")


def run(
    options: Options,
    transport: Transport,
    on_started: Callable[[Running], None] | None = None,
) -> int:
    import webview  # late: the keychain check and the tests of the core need no GUI

    try:
        running = build(options, transport)
    except InsecureKeychainError as exc:
        print(str(exc), file=sys.stderr)
        if os.environ.get("DISPLAY") or os.environ.get("WAYLAND_DISPLAY"):
            _show_refusal(webview, str(exc))  # started from a menu: stderr goes nowhere
        return 2
    window = webview.create_window(
        TITLE,
        url=str(assets_dir() / "index.html"),
        js_api=running.api,
        width=1100,
        height=820,
        min_size=(640, 560),
        background_color="#F7F4EE",
    )
    if window is None:
        raise RuntimeError("pywebview could not create the window")
    running.window = window
    _evaluate_without_eval(window)

    def hide_everything(reason: str) -> None:
        # The page clears its entries; the Python side has already refused them.
        window.evaluate_js(f"window.bia && window.bia.onLocked({json.dumps(reason)})")

    running.client.guard.add_lock_listener(hide_everything)
    stop = threading.Event()
    threading.Thread(target=retry_pending, args=(running.client, stop), daemon=True).start()

    def started() -> None:
        if on_started is not None:
            on_started(running)

    try:
        webview.start(started, gui="gtk", private_mode=True, debug=options.debug)
    finally:
        stop.set()
        running.client.guard.stop()
        for watcher in running.watchers:
            watcher.stop()
    return 0


def _show_refusal(webview: Any, message: str) -> None:
    paragraphs = "".join(f"<p>{html.escape(line)}</p>" for line in message.splitlines())
    page = (
        "<!doctype html><meta charset=utf-8><meta http-equiv=Content-Security-Policy "
        "content=\"default-src 'none'; style-src 'unsafe-inline'\">"
        "<body style='font: 18px sans-serif; margin: 2em; line-height: 1.5'>"
        f"<h1>Bia cannot keep your sign-in safe</h1>{paragraphs}</body>"
    )
    webview.create_window("Bia", html=page, width=760, height=520)
    webview.start(gui="gtk", private_mode=True)


def _parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(prog="bia", description="Bia, your food & symptom journal")
    parser.add_argument("--idle-minutes", type=float, default=DEFAULT_IDLE_SECONDS / 60)
    parser.add_argument("--pam-service", default=DEFAULT_PAM_SERVICE)
    parser.add_argument(
        "--appliance-config",
        type=Path,
        help="the appliance to use (JSON: name, host, port, ca_pem, ca_sha256); "
        "default: the one this client was built for",
    )
    parser.add_argument(
        "--appliance", default="local", help="keychain account when no appliance is configured"
    )
    parser.add_argument("--debug", action="store_true")
    # For bench/client.py: write when the page became interactive, and this process's RSS.
    parser.add_argument("--report-ready", type=Path, help=argparse.SUPPRESS)
    return parser


def _configure(args: argparse.Namespace) -> tuple[Options, Transport]:
    from bia_desktop.grpc_transport import GrpcTransport  # late: grpclib is not needed offline

    found = appliances.load(args.appliance_config) if args.appliance_config else appliances.baked()
    options = Options(
        appliance=found.name if found else args.appliance,
        idle_seconds=args.idle_minutes * 60,
        pam_service=args.pam_service,
        debug=args.debug,
    )
    if found is None:
        # A development checkout: no appliance, every write waits in the outbox.
        return options, OfflineTransport()
    return options, GrpcTransport(found)


def configure(argv: list[str] | None = None) -> tuple[Options, Transport]:
    """What `bia ARGS` would run, without running it: a driver (the end-to-end tests)
    passes these to run() with its own on_started. Raises ApplianceConfigError."""
    return _configure(_parser().parse_args(argv))


# Libraries whose debug log shows what is sent: hpack's has the encoded headers, the
# access token in `authorization` among them. They stay at INFO even with --debug.
QUIET_LOGGERS = ("hpack", "h2", "grpclib")


def configure_logging(debug: bool) -> None:
    logging.basicConfig(level=logging.DEBUG if debug else logging.INFO)
    for name in QUIET_LOGGERS:
        logging.getLogger(name).setLevel(logging.INFO)


def main(argv: list[str] | None = None) -> int:
    args = _parser().parse_args(argv)
    configure_logging(args.debug)
    try:
        options, transport = _configure(args)
    except appliances.ApplianceConfigError as exc:
        print(f"bia: {exc}", file=sys.stderr)
        return 2
    on_started = _report_ready(args.report_ready) if args.report_ready else None
    try:
        return run(options, transport, on_started=on_started)
    finally:
        close = getattr(transport, "close", None)
        if close is not None:
            close()


def _report_ready(path: Path) -> Callable[[Running], None]:
    def wait_and_report(running: Running) -> None:
        deadline = time.monotonic() + 60
        while time.monotonic() < deadline:
            if running.window.evaluate_js("document.body.dataset.ready") == "true":
                rss = next(
                    int(line.split()[1])
                    for line in Path("/proc/self/status").read_text().splitlines()
                    if line.startswith("VmRSS:")
                )
                path.write_text(json.dumps({"ready_at": time.time(), "python_rss_kib": rss}))
                return
            time.sleep(0.02)

    return wait_and_report
