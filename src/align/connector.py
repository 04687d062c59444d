"""The connector contract: how a published source becomes a canonical table.

A connector is a plug-in found through the ``align.connectors`` entry-point group, so a state
LMI office can ship its own without touching the core. Each one splits network from parsing:
``fetch`` downloads (cached, retried) and returns a local path; ``parse`` is pure — a published
file in, a validated canonical table out — so it is tested on real files with no network.
"""

from __future__ import annotations

import warnings
from abc import ABC, abstractmethod
from functools import cache
from importlib.metadata import entry_points
from pathlib import Path
from typing import Any, ClassVar

import pandas as pd

from align.errors import AlignError, InputError

GROUP = "align.connectors"


class Connector(ABC):
    """Base class for connectors. Subclasses set the class attributes and implement parse."""

    name: ClassVar[str]
    table: ClassVar[str]
    """The canonical table ``parse`` returns (a key of :data:`align.schemas.TABLES`)."""
    description: ClassVar[str]
    layouts: ClassVar[str] = ""
    """The published layouts understood, in words (shown by ``align ingest --list``)."""

    def sniff(self, path: Path) -> bool:
        """True if the file at ``path`` is in a layout this connector reads. Cheap; never raises."""
        return False

    @abstractmethod
    def parse(self, path: Path, **options: Any) -> pd.DataFrame:
        """Parse a published file into the canonical table, raising InputError subclasses."""

    def fetch(self, dest: Path, **options: Any) -> Path:
        """Download the source into ``dest`` and return the file's path."""
        raise AlignError(f"connector {self.name!r} reads local files only; it has no fetch")


@cache
def connectors() -> dict[str, Connector]:
    """Every installed connector by name, loaded once from the entry points."""
    found: dict[str, Connector] = {}
    for ep in entry_points(group=GROUP):
        try:
            cls = ep.load()
        except Exception as exc:  # a broken plug-in must not take the others down
            warnings.warn(f"connector {ep.name!r} failed to load: {exc}", stacklevel=2)
            continue
        found[ep.name] = cls()
    return dict(sorted(found.items()))


def get(name: str) -> Connector:
    available = connectors()
    if name not in available:
        raise AlignError(f"unknown source {name!r}; installed sources: {', '.join(available) or 'none'}")
    return available[name]


def detect(path: Path) -> Connector:
    """Find the connector whose layout matches the file, or say what was expected."""
    path = Path(path)
    if not path.exists():
        raise InputError("file not found", file=path)
    matches = [c for c in connectors().values() if _safe_sniff(c, path)]
    if len(matches) == 1:
        return matches[0]
    if not matches:
        listing = "\n".join(f"  - {c.name}: {c.layouts or c.description}" for c in connectors().values())
        raise InputError(f"layout not recognised by any source; name one (align ingest SOURCE FILE) or use a "
                         f"file in one of these layouts:\n{listing}", file=path)
    names = ", ".join(c.name for c in matches)
    raise InputError(f"layout matches several sources ({names}); name one", file=path)


def _safe_sniff(connector: Connector, path: Path) -> bool:
    try:
        return bool(connector.sniff(path))
    except Exception:
        return False
