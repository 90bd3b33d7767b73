"""Running the service on uvicorn."""

from __future__ import annotations

from pathlib import Path

from formmerge.service.config import load_service_config

__all__ = ["DEFAULT_HOST", "DEFAULT_PORT", "serve"]

DEFAULT_HOST = "127.0.0.1"
"""Loopback by default: put the service behind the portal's gateway, not on the open network."""
DEFAULT_PORT = 8000


def serve(config: str | Path, *, host: str = DEFAULT_HOST, port: int = DEFAULT_PORT) -> None:
    """Serve the configuration's bundles until interrupted."""
    import uvicorn

    from formmerge.service.app import create_app

    app = create_app(load_service_config(config))
    # uvicorn's access log shows method, path and status only: subject keys travel in bodies
    uvicorn.run(app, host=host, port=port, log_level="info")
