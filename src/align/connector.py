"""The connector contract: how a published source becomes a canonical table.

A connector is a plug-in found through the ``align.connectors`` entry-point group, so a state
LMI office can ship its own without touching the core. Each one splits network from parsing:
``fetch`` downloads (cached, retried) and returns a local path; ``parse`` is pure — a published
file in, a validated canonical table out — so it is tested on real files with no network.
"""

from __future__ import annotations

import functools
import inspect
import warnings
import zipfile
from abc import ABC, abstractmethod
from functools import cache
from importlib.metadata import entry_points
from pathlib import Path
from typing import Any, ClassVar

import pandas as pd

from align.errors import AlignError, InputError

GROUP = "align.connectors"


class Connector(ABC):
    """Base class for connectors. Subclasses set the class attributes and implement parse.

    The base class owns two promises every ``parse`` keeps, so no connector can forget them
    (as scikit-learn's ``set_params`` owns the check of parameter names):

    - an option ``parse`` does not declare is refused, naming the ones it takes (a misspelt
      option must never be silently ignored);
    - whatever goes wrong inside, the caller gets an :class:`~align.errors.InputError` naming
      the file — a corrupt zip or workbook, an encoding the reader chokes on — never a bare
      library exception.
    """

    name: ClassVar[str]
    table: ClassVar[str]
    """The canonical table ``parse`` returns (a key of :data:`align.schemas.TABLES`)."""
    description: ClassVar[str]
    layouts: ClassVar[str] = ""
    """The published layouts understood, in words (shown by ``align ingest --list``)."""

    def sniff(self, path: Path) -> bool:
        """True if the file at ``path`` is in a layout this connector reads. Cheap; never raises."""
        return False

    extra_options: ClassVar[frozenset[str]] = frozenset()
    """Options a ``parse`` taking ``**options`` reads from them (declared keywords count anyway)."""

    def __init_subclass__(cls, **kwargs: Any) -> None:
        super().__init_subclass__(**kwargs)
        if "parse" in cls.__dict__ and not getattr(cls.__dict__["parse"], "_guarded", False):
            cls.parse = _guarded_parse(cls.__dict__["parse"])  # type: ignore[method-assign]

    @classmethod
    def parse_options(cls) -> frozenset[str]:
        """The option names ``parse`` accepts."""
        params = inspect.signature(inspect.unwrap(cls.parse)).parameters
        named = {n for n, p in list(params.items())[2:]
                 if p.kind in (p.KEYWORD_ONLY, p.POSITIONAL_OR_KEYWORD)}
        return frozenset(named | cls.extra_options)

    @abstractmethod
    def parse(self, path: Path, **options: Any) -> pd.DataFrame:
        """Parse a published file into the canonical table, raising InputError subclasses."""

    def fetch(self, dest: Path, **options: Any) -> Path:
        """Download the source into ``dest`` and return the file's path."""
        raise AlignError(f"connector {self.name!r} reads local files only; it has no fetch")


def _guarded_parse(parse: Any) -> Any:
    @functools.wraps(parse)
    def guarded(self: Connector, path: Path, **options: Any) -> pd.DataFrame:
        unknown = sorted(set(options) - type(self).parse_options())
        if unknown:
            known = ", ".join(sorted(type(self).parse_options())) or "none"
            raise InputError(f"unknown option(s) {unknown} for source {self.name!r}", file=path,
                             expected=f"one of: {known}")
        try:
            return parse(self, path, **options)
        except AlignError:
            raise
        except (zipfile.BadZipFile, EOFError) as exc:
            raise InputError(f"not a readable {_kind(path)} (truncated or corrupt: {exc})", file=path,
                             expected=self.layouts or self.description) from exc
        except UnicodeError as exc:
            raise InputError(f"cannot decode the text ({exc})", file=path,
                             expected="UTF-8, Windows-1252 or Mac Roman text, as published") from exc
        except OSError as exc:
            raise InputError(f"cannot read the file: {exc.strerror or exc}", file=path) from exc
        except Exception as exc:  # a layout the parser did not foresee: name the file, keep the cause
            raise InputError(f"cannot read the file as {self.name} ({type(exc).__name__}: {exc})", file=path,
                             expected=self.layouts or self.description) from exc

    guarded._guarded = True  # type: ignore[attr-defined]
    return guarded


def _kind(path: Path) -> str:
    suffix = Path(path).suffix.lower()
    return {".xlsx": "workbook", ".xlsm": "workbook", ".xls": "workbook", ".zip": "zip",
            ".parquet": "parquet file"}.get(suffix, "file")


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
