"""The HTTP service behind a portal (``formmerge serve``; needs the ``service`` extra).

:func:`create_app` builds the FastAPI application from a :class:`ServiceConfig`
(:func:`load_service_config` reads one from YAML); :func:`serve` runs it on uvicorn.
"""

from formmerge.service.app import create_app
from formmerge.service.config import (
    ClientConfig,
    ServiceConfig,
    ServiceConfigError,
    hash_key,
    load_service_config,
)
from formmerge.service.run import serve

__all__ = [
    "ClientConfig",
    "ServiceConfig",
    "ServiceConfigError",
    "create_app",
    "hash_key",
    "load_service_config",
    "serve",
]
