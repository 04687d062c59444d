"""FRED / ALFRED "data list" downloads: many series side by side, one column per series vintage.

Layout (tab-separated text, as FRED writes it): a header ``observation_date`` followed by one
column per series named ``SERIESID_YYYYMMDD`` (series id + vintage date, e.g.
``CEU3000000001_20191004``), then one row per period with the date as ``YYYY-MM-DD``. An empty
cell means the series has no value for that period (e.g. most detailed CES industries start in
1990); FRED's own missing marker ``.`` is read the same way. Values are as published (CES: thousands of
jobs). The long table keeps missing cells as NaN so a gap is visible, never a zero.
"""

from __future__ import annotations

import io
import re
from pathlib import Path
from typing import Any, ClassVar

import numpy as np
import pandas as pd

from align import schemas
from align.connector import Connector
from align.errors import InputError, LayoutError
from align_connectors._published import (
    check_row_widths,
    checked_number,
    decode,
    read_text,
    require_columns,
)

_VINTAGED = re.compile(r"^(?P<series>[A-Za-z0-9.]+?)_(?P<vintage>\d{8})$")
_DATE = re.compile(r"^\d{4}-\d{2}-\d{2}$")


class FREDConnector(Connector):
    name = "fred"
    table = "series_observations"
    description = "FRED/ALFRED data-list download (e.g. CES employment series) → series observations"
    layouts: ClassVar[str] = ("tab- or comma-separated text: observation_date, then SERIESID_YYYYMMDD "
                              "columns (series id + vintage), one row per date")

    def sniff(self, path: Path) -> bool:
        try:
            with open(path, "rb") as fh:
                head = fh.read(4096)
            first = decode(head.split(b"\n", 1)[0]).strip()
            cells = re.split(r"[\t,]", first)
            return cells[0].strip().lower() == "observation_date" and len(cells) > 1
        except Exception:
            return False

    def parse(self, path: Path, **options: Any) -> pd.DataFrame:
        """Parse the download into ``series_observations`` (series_id, date, value, vintage).

        Series ids without a vintage suffix (a plain FRED download) get an empty vintage.
        """
        path = Path(path)
        text = read_text(path)
        first = text.split("\n", 1)[0]
        sep = "\t" if "\t" in first else ","
        check_row_widths(text, file=path, delimiter=sep)
        wide = pd.read_csv(io.StringIO(text), sep=sep, dtype=str, keep_default_na=False)
        wide.columns = [str(c).strip() for c in wide.columns]
        require_columns(wide.columns, ["observation_date"], file=path)
        if len(wide.columns) < 2:
            raise LayoutError("no series columns", file=path,
                              expected="observation_date followed by one column per series")
        dates = wide["observation_date"].str.strip()
        bad = ~dates.str.match(_DATE)
        if bad.any():
            row = int(np.flatnonzero(bad.to_numpy())[0])
            raise InputError(f"not a date: {dates.iloc[row]!r}", file=path, row=row + 2,
                             column="observation_date", expected="YYYY-MM-DD")
        frames = []
        for col in wide.columns[1:]:
            m = _VINTAGED.match(col)
            series, vintage = (m["series"], f"{m['vintage'][:4]}-{m['vintage'][4:6]}-{m['vintage'][6:]}"
                               ) if m else (col, None)
            raw = wide[col].str.strip().replace(".", "")
            values, _ = checked_number(raw, file=path, column=col,
                                       expected="a number or an empty cell")
            frames.append(pd.DataFrame({"series_id": series, "date": dates.to_numpy(),
                                        "value": values.to_numpy(), "vintage": vintage,
                                        "source": "fred"}))
        out = pd.concat(frames, ignore_index=True)
        return schemas.validate(out, "series_observations", origin=str(path))


def annual_averages(obs: pd.DataFrame, *, full_years_only: bool = True) -> pd.DataFrame:
    """Monthly observations → annual averages as a forecast panel (series_id, period, value).

    A year counts only when all twelve months are present (the default): a partial year's
    average would be biased by seasonality, so it is left out rather than guessed.
    """
    df = obs.dropna(subset=["value"]).copy()
    df["period"] = df["date"].str[:4].astype(int)
    g = df.groupby(["series_id", "period"], sort=True)["value"]
    out = pd.DataFrame({"value": g.mean(), "months": g.size()}).reset_index()
    if full_years_only:
        out = out[out["months"] == 12]
    return out[["series_id", "period", "value"]].reset_index(drop=True)
