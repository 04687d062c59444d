"""BLS SOC 2010 → SOC 2018 crosswalk, for OEWS files coded in SOC 2010 (May 2012–2018).

BLS publishes ``soc_2010_to_2018_crosswalk.xlsx``: a few title rows, then a header
``2010 SOC Code, 2010 SOC Title, 2018 SOC Code, 2018 SOC Title`` and one row per pair. The mapping
is many-to-many: a 2010 code can split into several 2018 codes (15-1132 → 15-1252 and 15-1253),
and several 2010 codes can merge into one. Counts are split equally among a code's 2018 targets
unless weights are given, so totals are conserved.
"""

from __future__ import annotations

import csv
import io
from pathlib import Path

import pandas as pd

from align import codes
from align.errors import LayoutError
from align_connectors._published import read_text

_HEADER = ("2010 soc code", "2018 soc code")


def read_crosswalk(path: Path) -> pd.DataFrame:
    """The crosswalk as (soc_2010, soc_2018, title_2018) pairs, from the published xlsx or CSV."""
    path = Path(path)
    if path.suffix.lower() == ".csv":
        rows = list(csv.reader(io.StringIO(read_text(path))))
    else:
        import openpyxl

        book = openpyxl.load_workbook(path, read_only=True, data_only=True)
        try:
            rows = [list(r) for r in book.worksheets[0].iter_rows(values_only=True)]
        finally:
            book.close()
    for h, r in enumerate(rows[:20]):
        names = [" ".join(str(c or "").split()).lower() for c in r]
        if all(n in names for n in _HEADER):
            i10, i18 = names.index(_HEADER[0]), names.index(_HEADER[1])
            t18 = names.index("2018 soc title") if "2018 soc title" in names else None
            pairs = []
            for n, row in enumerate(rows[h + 1:], start=h + 2):
                if len(row) <= max(i10, i18) or not row[i10] or not row[i18]:
                    continue
                pairs.append((codes.normalise_column(pd.Series([row[i10]]), codes.soc, file=str(path),
                                                     column="2010 SOC Code", first_row=n).iloc[0],
                              codes.normalise_column(pd.Series([row[i18]]), codes.soc, file=str(path),
                                                     column="2018 SOC Code", first_row=n).iloc[0],
                              str(row[t18]).strip() if t18 is not None and row[t18] else None))
            return pd.DataFrame(pairs, columns=["soc_2010", "soc_2018", "title_2018"]).drop_duplicates(
                ["soc_2010", "soc_2018"])
    raise LayoutError("no header with '2010 SOC Code' and '2018 SOC Code' in the first 20 rows",
                      file=path, expected="the BLS soc_2010_to_2018_crosswalk layout")


def to_soc2018(df: pd.DataFrame, crosswalk: pd.DataFrame, *, value_columns: list[str],
               key_columns: tuple[str, ...] = ("geography",),
               weights: pd.Series | None = None) -> pd.DataFrame:
    """Re-express SOC 2010 rows in SOC 2018: counts split among targets, then summed per 2018 code.

    ``weights`` (indexed by (soc_2010, soc_2018)) sets the split shares; by default a 2010 code's
    counts are split equally among its 2018 codes. Codes missing from the crosswalk are kept as is.
    Only additive columns (employment, openings) belong in ``value_columns``: wages do not split.
    """
    cw = crosswalk[["soc_2010", "soc_2018"]].copy()
    if weights is not None:
        cw["w"] = [float(weights.get((a, b), 0.0)) for a, b in zip(cw.soc_2010, cw.soc_2018, strict=True)]
    else:
        cw["w"] = 1.0 / cw.groupby("soc_2010")["soc_2018"].transform("size")
    merged = df.merge(cw, left_on="soc_code", right_on="soc_2010", how="left")
    unmapped = merged["soc_2018"].isna()
    merged.loc[unmapped, "soc_2018"] = merged.loc[unmapped, "soc_code"]
    merged.loc[unmapped, "w"] = 1.0
    for col in value_columns:
        merged[col] = merged[col] * merged["w"]
    keys = [*key_columns, "soc_2018"]
    out = merged.groupby(keys, sort=True, dropna=False)[value_columns].sum(min_count=1).reset_index()
    return out.rename(columns={"soc_2018": "soc_code"})
