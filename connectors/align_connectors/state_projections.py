"""State long-term occupational projections → occupation_projections (one area per state).

Two layouts:

* **Projections Central** (the BLS/state LMI projections partnership): the ``LongTermRestJson``
  answer ``{"rows": [{"Area", "Title", "Base", "Projected", "Change", "PercentChange",
  "AvgAnnualOpenings", "STFIPS", "StateURL", "OccCode", "BaseYear", "ProjYear"}]}`` with every value
  a string, and the same fields as a CSV download. Openings are already annual averages.
* **California EDD** statewide workbook (sheet ``Occupational``): three title rows, a header with
  footnote markers ``[n]`` and embedded newlines, ``End of worksheet.`` at the bottom; percent
  change stored as a fraction; exits, transfers and total openings are **10-year totals**, turned
  here into annual averages (÷ the projection years) so they compare with BLS and Projections
  Central; a ``0`` wage means "not available"; ``N/A`` in the education columns.
"""

from __future__ import annotations

import csv
import io
import json
import re
from pathlib import Path
from typing import Any

import numpy as np
import pandas as pd

from align.connector import Connector
from align.errors import InputError, LayoutError
from align.schemas import validate
from align_connectors._published import (
    checked_number,
    decode,
    read_text,
    require_columns,
)

PC_FIELDS = ["Area", "Title", "Base", "Projected", "Change", "PercentChange", "AvgAnnualOpenings",
             "STFIPS", "OccCode", "BaseYear", "ProjYear"]
_CA_STATE = ("06", "California")


def _norm(text: Any) -> str:
    s = re.sub(r"\[\d+\]", "", str(text or ""))
    return re.sub(r"[\s\-]+", " ", s).strip().lower()


# ---------------------------------------------------------------- Projections Central


def _pc_rows(path: Path) -> list[dict[str, Any]]:
    text = read_text(path)
    if text.lstrip().startswith("{") or text.lstrip().startswith("["):
        try:
            data = json.loads(text)
        except json.JSONDecodeError as exc:
            raise InputError(f"invalid JSON ({exc.msg})", file=path, row=exc.lineno,
                             expected='{"rows": [...]} from Projections Central') from None
        rows = data.get("rows") if isinstance(data, dict) else data
        if not isinstance(rows, list):
            raise LayoutError("no 'rows' list", file=path, expected='{"rows": [{...}, ...]}')
        return rows
    return list(csv.DictReader(io.StringIO(text)))


def _parse_pc(path: Path) -> pd.DataFrame:
    rows = _pc_rows(path)
    if not rows:
        raise LayoutError("no projection rows", file=path, expected="at least one occupation row")
    df = pd.DataFrame(rows, dtype=object)
    df.columns = [str(c).strip() for c in df.columns]
    require_columns(df.columns, PC_FIELDS, file=path)
    f = str(path)
    base, _ = checked_number(df["Base"], file=f, column="Base", first_row=1)
    proj, _ = checked_number(df["Projected"], file=f, column="Projected", first_row=1)
    change, _ = checked_number(df["Change"], file=f, column="Change", first_row=1)
    pct, _ = checked_number(df["PercentChange"], file=f, column="PercentChange", first_row=1)
    openings, _ = checked_number(df["AvgAnnualOpenings"], file=f, column="AvgAnnualOpenings", first_row=1)
    years = {}
    for col in ("BaseYear", "ProjYear"):
        y, _ = checked_number(df[col], file=f, column=col, first_row=1)
        if y.isna().any():
            raise InputError("missing year", file=path, row=int(np.flatnonzero(y.isna())[0]) + 1,
                             column=col, expected="a four-digit year")
        years[col] = y.astype(int)
    out = pd.DataFrame({
        "geography": df["STFIPS"].map(lambda v: str(v).strip().zfill(2)),
        "soc_code": df["OccCode"].map(lambda v: str(v).strip()),
        "occupation_title": df["Title"].map(lambda v: str(v).strip()),
        "base_year": years["BaseYear"],
        "target_year": years["ProjYear"],
        "area_title": df["Area"].map(lambda v: str(v).strip()),
        "employment_base": base,
        "employment_target": proj,
        "employment_change": change,
        "employment_change_rate": pct / 100.0,
        "annual_openings": openings,
        "source": "state_projections",
    })
    out["vintage"] = ("Projections Central long-term " + out["base_year"].astype(str) + "-"
                      + out["target_year"].astype(str).str[-2:])
    return out


# ---------------------------------------------------------------- California EDD workbook

# Header (row 4) → canonical column, matched on text with footnote markers removed.
_CA_COLUMNS = {
    "soc level": "depth_level", "soc code": "soc_code", "occupational title": "occupation_title",
    "base year employment estimate": "employment_base", "projected year employment estimate": "employment_target",
    "numeric change": "employment_change", "percent age change": "employment_change_rate",
    "exits": "exits_total", "transfers": "transfers_total", "total job openings": "openings_total",
    "median hourly wages": "wage_hourly_median", "median annual wages": "wage_annual_median",
    "entry level education": "typical_entry_education", "work experience": "work_experience",
    "on the job training": "on_the_job_training",
}


def _ca_header_name(cell: Any) -> str | None:
    n = _norm(cell)
    for key, name in _CA_COLUMNS.items():
        if n.startswith(key):
            return name
    return None


def _parse_ca(path: Path, sheet: str = "Occupational") -> pd.DataFrame:
    import openpyxl

    book = openpyxl.load_workbook(path, read_only=True, data_only=True)
    try:
        if sheet not in book.sheetnames:
            raise LayoutError(f"no sheet {sheet!r}", file=path, expected=f"sheets {book.sheetnames}")
        rows = [list(r) for r in book[sheet].iter_rows(values_only=True)]
    finally:
        book.close()
    h = next((i for i, r in enumerate(rows[:10]) if r and _norm(r[0]).startswith("soc level")), None)
    if h is None:
        raise LayoutError("no header row starting 'SOC Level' in the first 10 rows", file=path,
                          sheet=sheet, expected="the EDD projections header (SOC Level, SOC Code, ...)")
    header = rows[h]
    names = [_ca_header_name(c) for c in header]
    require_columns([n for n in names if n], ["soc_code", "occupation_title", "employment_base",
                                               "employment_target", "exits_total", "transfers_total",
                                               "openings_total"], file=path, sheet=sheet)
    title = " ".join(str(c) for r in rows[:h] for c in r if c)
    years = re.findall(r"(?<!\d)(\d{4})(?!\d)", " ".join(str(c) for c in header if c)) or \
        re.findall(r"(\d{4})", title)
    if len(years) < 2:
        raise LayoutError("cannot tell the base and projected years", file=path, sheet=sheet, row=h + 1,
                          expected="years in the header, e.g. 'Employment Estimate 2023'")
    base_year, target_year = int(years[0]), int(years[1])
    span = target_year - base_year
    body = []
    for i, r in enumerate(rows[h + 1:], start=h + 2):
        if not r or r[0] is None or str(r[0]).strip().lower().startswith("end of worksheet"):
            continue
        body.append((i, r))
    if not body:
        raise LayoutError("no occupation rows", file=path, sheet=sheet, expected="rows under the header")
    first = body[0][0]
    raw = pd.DataFrame([r + [None] * (len(header) - len(r)) for _, r in body], dtype=object)
    raw.columns = [n or f"_{j}" for j, n in enumerate(names)]
    f = str(path)

    def num(name: str) -> tuple[pd.Series, pd.Series]:
        return checked_number(raw[name], file=f, sheet=sheet, column=str(header[names.index(name)]).replace("\n", " "),
                    first_row=first)

    out = pd.DataFrame({
        "geography": _CA_STATE[0],
        "soc_code": raw["soc_code"].map(lambda v: str(v).strip()),
        "occupation_title": raw["occupation_title"].map(lambda v: str(v).strip()),
        "base_year": base_year,
        "target_year": target_year,
        "area_title": " ".join(str(c).strip() for r in rows[1:h] for c in r if c) or _CA_STATE[1],
    })
    level, _ = num("depth_level") if "depth_level" in raw.columns else (pd.Series(np.nan), None)
    out["depth"] = (level - 1).astype("Int64")  # SOC Level 1 = total → depth 0
    for name in ("employment_base", "employment_target", "employment_change"):
        out[name] = num(name)[0]
    out["employment_change_rate"] = num("employment_change_rate")[0]  # already a fraction
    # 10-year totals → annual averages, comparable with BLS and Projections Central.
    out["exits_annual"] = num("exits_total")[0] / span
    out["transfers_annual"] = num("transfers_total")[0] / span
    out["annual_openings"] = num("openings_total")[0] / span
    for name in ("wage_hourly_median", "wage_annual_median"):
        if name in raw.columns:
            v, reason = num(name)
            zero = v == 0  # EDD writes 0 where the wage is not available
            out[name] = v.where(~zero)
            out[f"{name}_missing_reason"] = reason.where(~zero, "not available").where(
                out[name].isna(), None)
    for name in ("typical_entry_education", "work_experience", "on_the_job_training"):
        if name in raw.columns:
            out[name] = raw[name].map(lambda v: None if v is None or str(v).strip() in ("N/A", "", "—")
                                      else str(v).strip())
    out["source"] = "state_projections"
    out["vintage"] = f"California EDD long-term {base_year}-{str(target_year)[-2:]}"
    return out


def _is_ca(path: Path) -> bool:
    import openpyxl

    book = openpyxl.load_workbook(path, read_only=True)
    try:
        if "Occupational" not in book.sheetnames:
            return False
        for r in book["Occupational"].iter_rows(min_row=1, max_row=8, values_only=True):
            if r and _norm(r[0]).startswith("soc level"):
                return True
        return False
    finally:
        book.close()


class StateProjectionsConnector(Connector):
    """State long-term occupational projections (Projections Central, California EDD)."""

    name = "state_projections"
    table = "occupation_projections"
    description = "State long-term occupational projections (Projections Central JSON/CSV, California EDD xlsx)"
    layouts = ("Projections Central LongTermRestJson {'rows': [...]} or CSV with Area, Title, Base, Projected, "
               "Change, PercentChange, AvgAnnualOpenings, STFIPS, OccCode, BaseYear, ProjYear; California "
               "EDD workbook with sheet 'Occupational'")

    def sniff(self, path: Path) -> bool:
        path = Path(path)
        try:
            if path.suffix.lower() == ".xlsx":
                return _is_ca(path)
            if path.suffix.lower() in (".json", ".csv"):
                head = decode(path.read_bytes()[:3000])
                return all(k in head for k in ("AvgAnnualOpenings", "OccCode", "STFIPS"))
        except Exception:
            return False
        return False

    def parse(self, path: Path, **options: Any) -> pd.DataFrame:
        """Annual openings in persons per year whatever the layout (EDD's 10-year totals ÷ years)."""
        path = Path(path)
        out = _parse_ca(path) if path.suffix.lower() in (".xlsx", ".xlsm") else _parse_pc(path)
        return validate(out, self.table, origin=str(path))
