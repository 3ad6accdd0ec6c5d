"""Modules loaded where first used (docs/architecture.md, "Start-up").

`kith today` on a SQLite base must not pay for SQLAlchemy, which most of the services
import. A module named with `lazy` is imported on the first use of one of its names, through
the import system (so from any thread, once); type checkers see the real module:

    if TYPE_CHECKING:
        from kith.services import records
    else:
        records = lazy("kith.services.records")
"""

from __future__ import annotations

import importlib
from types import ModuleType
from typing import Any


class LazyModule:
    """Stands for a module until one of its names is used."""

    def __init__(self, name: str) -> None:
        self._name = name
        self._module: ModuleType | None = None

    def __getattr__(self, attribute: str) -> Any:
        module = self._module
        if module is None:
            module = self._module = importlib.import_module(self._name)
        return getattr(module, attribute)

    def __repr__(self) -> str:
        state = "loaded" if self._module is not None else "not loaded yet"
        return f"<lazy module {self._name!r} ({state})>"


def lazy(name: str) -> Any:
    return LazyModule(name)
