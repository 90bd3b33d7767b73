"""Lazy package exports (PEP 562): a package names its public API without importing it.

A package's ``__init__`` maps each public name to the module that defines it and installs the
``__getattr__`` and ``__dir__`` built here; the module is imported the first time one of its
names is used, and the value is then kept in the package's namespace. This keeps
``import formmerge`` and the command line's start-up free of pandas, openpyxl and jinja2 until
a function that needs them is called.
"""

from __future__ import annotations

import importlib
from collections.abc import Callable, Iterable, Mapping
from typing import Any

__all__ = ["lazy_exports"]


def lazy_exports(
    package: str, namespace: dict[str, Any], homes: Mapping[str, str], public: Iterable[str]
) -> tuple[Callable[[str], Any], Callable[[], list[str]]]:
    """The ``__getattr__`` and ``__dir__`` of a package whose names are imported on use.

    Args:
        package: the package's ``__name__``.
        namespace: the package's ``globals()``; a name imported once is stored there.
        homes: public name -> the module that defines it.
        public: the package's ``__all__``.
    """
    names = sorted({*namespace, *public})

    def __getattr__(name: str) -> Any:
        home = homes.get(name)
        if home is None:
            raise AttributeError(f"module {package!r} has no attribute {name!r}")
        value = getattr(importlib.import_module(home), name)
        namespace[name] = value
        return value

    def __dir__() -> list[str]:
        return names

    return __getattr__, __dir__
