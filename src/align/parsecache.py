"""Parsed inputs kept between runs: a published file is parsed once, then read back as Parquet.

Parsing is pure (a file's bytes and the connector's code give the table), so a parse can be kept
under a key made of the file's SHA-256, the connector's name and options, align's version and a
fingerprint of the parsing code itself (every module of ``align_connectors`` and the code and
schema modules it relies on). Change any of them and the key changes; nothing is ever stale.
Parsing the OEWS national-sector workbook takes about 2 s of CPU (calamine; 9 s with openpyxl); its
cached table, a few milliseconds.

``ALIGN_PARSE_CACHE`` names the folder (default ``~/.cache/align/parsed``); ``off`` disables it.
"""

from __future__ import annotations

import hashlib
import json
from functools import cache
from pathlib import Path
from typing import Any

import pandas as pd

from align import __version__
from align.caches import ENV as ENV  # re-exported: the setting is documented here
from align.caches import folder
from align.store import write_table


@cache
def code_fingerprint() -> str:
    """SHA-256 over the source of every module that turns a published file into a table."""
    import align
    import align_connectors

    core = Path(align.__file__).parent
    files = sorted(Path(align_connectors.__file__).parent.glob("*.py"))
    files += [core / name for name in ("codes.py", "schemas.py", "fields.py", "connector.py", "errors.py")]
    h = hashlib.sha256()
    for f in files:
        if f.exists():
            h.update(f.name.encode())
            h.update(f.read_bytes())
    return h.hexdigest()


def _read(path: Path) -> pd.DataFrame:
    """The stored table with its original dtypes: text columns the parser left as ``object`` stay
    ``object`` (pandas would read them back as ``str``), with missing values as ``None``. Those
    columns come straight from Arrow as Python objects (converting pandas' ``str`` columns back
    took a third of reading a cached table)."""
    import pyarrow.parquet as pq

    stored = pq.read_table(path)
    meta = stored.schema.pandas_metadata or {}
    kept = [c.get("name") for c in meta.get("columns", [])
            if c.get("numpy_type") == "object" and c.get("name") in stored.column_names]
    table = stored.drop_columns(kept).to_pandas() if kept else stored.to_pandas()
    for name in kept:
        table[name] = pd.Series(stored.column(name).to_numpy(zero_copy_only=False), index=table.index, dtype=object)
    return table[[c for c in stored.schema.names if c in table.columns]] if kept else table


def parse(source: Any, path: Path, sha256: str, options: dict[str, Any]) -> pd.DataFrame:
    """``source.parse(path, **options)``, from the cache when this exact parse was done before."""
    root = folder()
    if root is None:
        return source.parse(path, **options)
    key = hashlib.sha256(json.dumps([source.name, sha256, options, __version__, code_fingerprint()],
                                    sort_keys=True, default=str).encode()).hexdigest()
    cached = root / f"{source.name}-{key[:32]}.parquet"
    if cached.exists():
        try:
            return _read(cached)
        except (OSError, ValueError):  # a damaged entry is parsed again and replaced
            cached.unlink(missing_ok=True)
    table = source.parse(path, **options)
    try:
        root.mkdir(parents=True, exist_ok=True)
        write_table(table, cached)
    except (OSError, ValueError, TypeError):  # read-only home, or a table Parquet cannot hold: no cache
        cached.unlink(missing_ok=True)
    return table
