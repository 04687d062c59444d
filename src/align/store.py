"""Atomic file writes and content hashes: the two guarantees every output relies on.

A crash mid-write must never leave a half-written table that looks finished, and every input
must be identifiable by its bytes, so writes go to a temporary file renamed into place.
"""

from __future__ import annotations

import hashlib
import os
import re
import tempfile
from collections.abc import Callable
from pathlib import Path

import pandas as pd

from align.errors import AlignError

_UMASK = os.umask(0)
os.umask(_UMASK)


def sha256_file(path: Path, chunk: int = 1 << 20) -> str:
    h = hashlib.sha256()
    with open(path, "rb") as fh:
        while block := fh.read(chunk):
            h.update(block)
    return h.hexdigest()


def sha256_bytes(data: bytes) -> str:
    return hashlib.sha256(data).hexdigest()


def atomic_write(path: Path, writer: Callable[[Path], None]) -> Path:
    """Call ``writer(tmp)`` on a temporary path beside ``path``, then rename it into place."""
    path = Path(path)
    path.parent.mkdir(parents=True, exist_ok=True)
    fd, tmp_name = tempfile.mkstemp(prefix=f".{path.name}.", suffix=".tmp", dir=path.parent)
    os.close(fd)
    tmp = Path(tmp_name)
    try:
        writer(tmp)
        os.chmod(tmp, 0o666 & ~_UMASK)  # mkstemp makes files private; outputs are meant to be shared
        os.replace(tmp, path)
    except BaseException:
        tmp.unlink(missing_ok=True)
        raise
    return path


def write_bytes(path: Path, data: bytes) -> Path:
    return atomic_write(path, lambda p: p.write_bytes(data))


def write_text(path: Path, text: str) -> Path:
    return atomic_write(path, lambda p: p.write_text(text, encoding="utf-8"))


_FORMULA_START = ("=", "+", "-", "@", "\t", "\r")
_NUMBER = re.compile(r"^[+-]?(\d[\d,]*)?(\.\d+)?([eE][+-]?\d+)?$")


def neutral_text(value: str) -> str:
    """A text cell a spreadsheet would run as a formula (``=HYPERLINK(...)``, ``@SUM``, ``+1+1``)
    gets a leading apostrophe, so it shows as the text it is; numbers written as text stay."""
    if value.startswith(_FORMULA_START) and not (_NUMBER.match(value) and any(c.isdigit() for c in value)):
        return "'" + value
    return value


def neutralise_formulas(df: pd.DataFrame) -> pd.DataFrame:
    """``df`` with :func:`neutral_text` applied to every text cell (numeric columns untouched)."""
    text = [c for c in df.columns if df[c].dtype == object or pd.api.types.is_string_dtype(df[c].dtype)]
    risky = [c for c in text if df[c].map(lambda v: isinstance(v, str) and v.startswith(_FORMULA_START)).any()]
    if not risky:
        return df
    out = df.copy()
    for c in risky:
        out[c] = out[c].map(lambda v: neutral_text(v) if isinstance(v, str) else v)
    return out


def write_table(df: pd.DataFrame, path: Path) -> Path:
    """Write a table as CSV or Parquet (by extension), deterministically and atomically.

    CSV files are opened in spreadsheets, so text that would run as a formula is neutralised
    there (:func:`neutral_text`); Parquet keeps the values exactly.
    """
    path = Path(path)
    if path.suffix == ".parquet":
        return atomic_write(path, lambda p: df.to_parquet(p, index=False))
    if path.suffix == ".csv":
        safe = neutralise_formulas(df)
        return atomic_write(path, lambda p: safe.to_csv(p, index=False, lineterminator="\n"))
    raise AlignError(f"unsupported table format {path.suffix!r} for {path}; use .csv or .parquet")
