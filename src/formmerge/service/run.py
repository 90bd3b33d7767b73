"""Running the service on uvicorn: in the foreground (``formmerge serve``), or in a thread on
a free loopback port (:func:`serving`, for tests, screenshots and a portal's own checks)."""

from __future__ import annotations

import socket
import threading
import time
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import TYPE_CHECKING

from formmerge.service.config import load_service_config

if TYPE_CHECKING:
    from fastapi import FastAPI

__all__ = ["DEFAULT_HOST", "DEFAULT_PORT", "START_TIMEOUT_SECONDS", "serve", "serving"]

DEFAULT_HOST = "127.0.0.1"
"""Loopback by default: put the service behind the portal's gateway, not on the open network."""
DEFAULT_PORT = 8000
START_TIMEOUT_SECONDS = 20.0
"""How long :func:`serving` waits for the server to accept connections."""


def serve(config: str | Path, *, host: str = DEFAULT_HOST, port: int = DEFAULT_PORT) -> None:
    """Serve the configuration's bundles until interrupted."""
    import uvicorn

    from formmerge.service.app import create_app

    app = create_app(load_service_config(config))
    # uvicorn's access log shows method, path and status only: subject keys travel in bodies
    uvicorn.run(app, host=host, port=port, log_level="info")


@contextmanager
def serving(app: FastAPI, *, log_level: str = "warning") -> Iterator[str]:
    """Run ``app`` on uvicorn in a thread on a free loopback port; yields its base URL and
    stops the server on exit.

    Raises:
        RuntimeError: the server did not start within :data:`START_TIMEOUT_SECONDS`.
    """
    import uvicorn

    sock = socket.socket(socket.AF_INET, socket.SOCK_STREAM)
    sock.bind((DEFAULT_HOST, 0))
    port = sock.getsockname()[1]
    server = uvicorn.Server(uvicorn.Config(app, log_level=log_level, lifespan="on"))
    thread = threading.Thread(target=server.run, kwargs={"sockets": [sock]}, daemon=True)
    thread.start()
    deadline = time.monotonic() + START_TIMEOUT_SECONDS
    try:
        while not server.started:
            if time.monotonic() > deadline or not thread.is_alive():
                raise RuntimeError("the server did not start")
            time.sleep(0.02)
        yield f"http://{DEFAULT_HOST}:{port}"
    finally:
        server.should_exit = True
        thread.join(timeout=START_TIMEOUT_SECONDS)
        sock.close()
