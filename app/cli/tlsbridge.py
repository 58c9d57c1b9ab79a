"""A loopback-only TLS bridge for the gRPC channel.

Why: grpcio verifies certificates with BoringSSL, which refuses the appliance's local CA
("unsupported name constraint type": BoringSSL does not implement iPAddress name
constraints, and the local CA constrains itself to the appliance's IP addresses). Python's
ssl module (OpenSSL) implements them. So the client's gRPC channel speaks HTTP/2 to this
bridge on 127.0.0.1, and the bridge carries the bytes over a TLS connection that OpenSSL
has verified (CA, name constraints, host name or IP, TLS 1.3, ALPN h2). The plaintext leg
never leaves this process's loopback socket pair.
"""

from __future__ import annotations

import asyncio
import contextlib
import socket
import ssl
import threading


class TlsBridge:
    """Runs its own event loop in a daemon thread (one TLS object is never touched by two
    threads at once: OpenSSL forbids concurrent reads and writes on one connection)."""

    def __init__(self, host: str, port: int, context: ssl.SSLContext) -> None:
        self.host, self.port = host, port
        self.context = context
        self.context.minimum_version = ssl.TLSVersion.TLSv1_3
        self.context.set_alpn_protocols(["h2"])
        self.loop = asyncio.new_event_loop()
        threading.Thread(target=self.loop.run_forever, daemon=True).start()
        self.server = asyncio.run_coroutine_threadsafe(
            asyncio.start_server(self._serve, "127.0.0.1", 0), self.loop
        ).result(10)
        self.address = f"127.0.0.1:{self.server.sockets[0].getsockname()[1]}"

    def check(self) -> None:
        """Connect once, so a certificate problem surfaces as itself, not as UNAVAILABLE."""
        with (
            socket.create_connection((self.host, self.port), timeout=10) as raw,
            self.context.wrap_socket(raw, server_hostname=self.host),
        ):
            pass

    def close(self) -> None:
        """Stop serving, end the open connections' pipes, then the loop (a pipe left
        pending would be reported as "Task was destroyed but it is pending" at exit)."""

        async def shutdown() -> None:
            self.server.close()
            pipes = [t for t in asyncio.all_tasks() if t is not asyncio.current_task()]
            for task in pipes:
                task.cancel()
            await asyncio.gather(*pipes, return_exceptions=True)

        with contextlib.suppress(Exception):  # closing must not fail the caller
            asyncio.run_coroutine_threadsafe(shutdown(), self.loop).result(5)
        self.loop.call_soon_threadsafe(self.loop.stop)

    async def _serve(self, local_r: asyncio.StreamReader, local_w: asyncio.StreamWriter) -> None:
        try:
            remote_r, remote_w = await asyncio.open_connection(
                self.host, self.port, ssl=self.context, server_hostname=self.host
            )
        except OSError:
            local_w.close()
            return
        await asyncio.gather(_pipe(local_r, remote_w), _pipe(remote_r, local_w))


async def _pipe(source: asyncio.StreamReader, sink: asyncio.StreamWriter) -> None:
    try:
        while data := await source.read(65536):
            sink.write(data)
            await sink.drain()
    except (OSError, ssl.SSLError):
        pass
    finally:
        with contextlib.suppress(OSError, ssl.SSLError, RuntimeError):
            sink.close()
