"""A user's corrections to the autocoder: a CSV of ``title, soc_code`` rows.

An analyst who reviews flagged titles writes down the right code once; from then on the coder
applies it first (a title that normalises to a corrected title gets that code, confidence 1,
source ``correction``) and learns from it (each correction is a training title with extra
weight, so similar titles move too). Codes must be detailed 2018 SOC codes; two different codes
for one normalised title are refused, naming both rows.
"""

from __future__ import annotations

import io
from pathlib import Path

import pandas as pd

from align.errors import InputError, LayoutError
from align.postings.titles import normalise_title

#: a correction counts as this many training titles
CORRECTION_WEIGHT = 3.0


def read_corrections(path: Path) -> pd.DataFrame:
    """Columns title, soc_code, normalised (one row per distinct normalised title)."""
    path = Path(path)
    table = read_titles_table(path)
    table.columns = [str(c).strip().lower() for c in table.columns]
    for col in ("title", "soc_code"):
        if col not in table.columns:
            raise LayoutError(f"corrections file has no {col!r} column", file=path, column=col,
                              expected="columns title, soc_code (e.g. 'Charge Nurse,29-1141')")
    out = pd.DataFrame({"title": table["title"].astype(str).str.strip(),
                        "soc_code": table["soc_code"].astype(str).str.strip()})
    out["normalised"] = out["title"].map(normalise_title)
    for i, (title, code, norm) in enumerate(out.itertuples(index=False)):
        if not pd.Series([code]).str.fullmatch(r"\d\d-\d\d\d[1-9]").iloc[0]:
            raise InputError(f"{code!r} is not a detailed SOC code", file=path, row=i + 2,
                             column="soc_code", expected="a 2018 SOC detailed code such as 29-1141")
        if not norm:
            raise InputError(f"title {title!r} has no words the coder reads", file=path, row=i + 2,
                             column="title")
    seen = out.drop_duplicates(["normalised", "soc_code"])
    clash = seen[seen["normalised"].duplicated(keep=False)]
    if len(clash):
        rows = [int(i) + 2 for i in clash.index[:2]]
        raise InputError(f"rows {rows[0]} and {rows[1]} give one title ({clash['normalised'].iloc[0]!r}) "
                         f"two codes", file=path, column="soc_code", expected="one code per title")
    return seen.reset_index(drop=True)


def read_titles_table(path: Path) -> pd.DataFrame:
    """A CSV (UTF-8 with or without BOM, else Windows-1252) or Parquet table, all text kept."""
    path = Path(path)
    if not path.exists():
        raise InputError("file not found", file=path)
    if path.suffix.lower() == ".parquet":
        try:
            return pd.read_parquet(path)
        except Exception as exc:
            raise InputError(f"cannot read parquet: {exc}", file=path) from None
    raw = path.read_bytes()
    try:
        text = raw.decode("utf-8-sig")
    except UnicodeDecodeError:
        text = raw.decode("cp1252", errors="replace")
    try:
        return pd.read_csv(io.StringIO(text), dtype=str, keep_default_na=False)
    except (pd.errors.ParserError, pd.errors.EmptyDataError, ValueError) as exc:
        raise InputError(f"cannot read as CSV: {exc}", file=path, expected="a CSV with a title column") from None
