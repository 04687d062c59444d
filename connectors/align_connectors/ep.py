"""BLS Employment Projections (EP) occupation tables → occupation_projections.

BLS publishes the national projections three ways, all read here:

* the ``occupation.xlsx`` workbook (Tables 1.2, 1.7, 1.10, 5.3, 5.4 — whichever the vintage has;
  2024–34 dropped 1.7 and moved its worker characteristics into 1.2), joined into one row per
  occupation code;
* the web-table CSVs of single tables (title record with an embedded newline, header cells with
  embedded newlines, ``"162,795.6"``, a ``Source:`` row, Mac Roman em dashes);
* the data.bls.gov projections export (``="13-2011"`` codes, sample job titles appended to the
  occupation title after four spaces, ``N/A``, ``>=208,000``).

Units are normalised for the demand stage: employment and openings are published in thousands
and become persons; percentages (exit and transfer rates, change, self-employed, attainment)
become fractions (4.3 → 0.043). ``—`` is missing, never zero.
"""

from __future__ import annotations

import csv
import io
import re
from pathlib import Path
from typing import Any

import numpy as np
import pandas as pd

from align.connector import Connector
from align.errors import InputError, LayoutError
from align.schemas import validate
from align_connectors._published import (
    MISSING_MARKERS,
    checked_number,
    decode,
    read_text,
    to_number,
    workbook_sheets,
)

_THOUSANDS = 1000.0
_TOP_CODED = MISSING_MARKERS["#"]
# Tables of the workbook that describe occupations, in order of preference when two give a column.
WORKBOOK_TABLES = ("Table 1.10", "Table 1.2", "Table 1.7", "Table 5.4", "Table 5.3")


def _norm(text: Any) -> str:
    """Header cell → comparable text: newlines and repeated spaces collapsed, dashes unified."""
    s = re.sub(r"\s+", " ", str(text or "")).strip().lower()
    return s.replace("–", "-").replace("—", "-")


# (header pattern, canonical column, kind). Kinds: thousands → ×1000, percent → /100, text,
# wage (dollars with >= top codes), year_base / year_target (the year is in the header).
_COLUMNS: list[tuple[str, str, str]] = [
    (r"(matrix title|^occupation title$)", "occupation_title", "title"),
    (r"(matrix code|^occupation code$)", "soc_code", "code"),
    (r"^occupation type$", "occupation_type", "text"),
    (r"^employment,? \d{4}$", "employment", "employment"),
    (r"^employment change,? (numeric|\d{4})", "employment_change", "thousands"),
    (r"^employment (change, percent|percent change)", "employment_change_rate", "percent"),
    (r"^labor force exit rate", "labor_force_exit_rate", "percent"),
    (r"^occupational transfer rate", "occupational_transfer_rate", "percent"),
    (r"^total occupational separations rate", "separations_rate", "percent"),
    (r"^labor force exits", "exits_annual", "thousands"),
    (r"^occupational transfers", "transfers_annual", "thousands"),
    (r"^occupational openings", "annual_openings", "thousands"),
    (r"^percent self employed", "self_employed_share", "percent"),
    (r"^median annual wage", "wage_annual_median", "wage"),
    (r"^typical (education needed for entry|entry-level education)", "typical_entry_education", "text"),
    (r"^work experience in a related occupation", "work_experience", "text"),
    (r"^typical on-the-job training", "on_the_job_training", "text"),
    (r"^less than high school", "attainment_less_than_high_school", "percent"),
    (r"^high school diploma", "attainment_high_school", "percent"),
    (r"^some college", "attainment_some_college", "percent"),
    (r"^associate's degree", "attainment_associate", "percent"),
    (r"^bachelor's degree", "attainment_bachelor", "percent"),
    (r"^master's degree", "attainment_master", "percent"),
    (r"^doctoral or professional degree", "attainment_doctoral", "percent"),
]
_TEXT_MISSING = {"—", "–", "N/A", "n/a", ""}


def _map_header(header: list[Any]) -> dict[int, tuple[str, str]]:
    found: dict[int, tuple[str, str]] = {}
    for i, cell in enumerate(header):
        h = _norm(cell)
        for pattern, name, kind in _COLUMNS:
            if re.search(pattern, h):
                found[i] = (name, kind)
                break
    return found


def _clean_title(value: Any) -> tuple[str | None, int | None]:
    """(title, indentation depth). Drops sample titles (``    * Accountant*``) and ``(1)``/``[1]``."""
    if value is None:
        return None, None
    text = str(value)
    indent = len(text) - len(text.lstrip(" "))
    text = text.strip()
    text = re.split(r"\s{4,}\*", text, maxsplit=1)[0].strip()
    text = re.sub(r"\s*(\(\d+\)|\[\d+\])+$", "", text).strip()
    return text or None, indent


def _wage(values: pd.Series) -> tuple[pd.Series, pd.Series, pd.Series]:
    """Dollars as published (``$41,950``, ``49500``, ``>=$239,200``, ``—``) → (value, reason, top code)."""
    text = values.map(lambda v: v if not isinstance(v, str) else v.strip().replace("$", ""))
    top = text.map(lambda v: isinstance(v, str) and v.startswith(">="))
    bound, _ = to_number(text.where(~top, text.map(lambda v: str(v)[2:])))
    num, reason = to_number(text.where(~top, "—"))
    reason = reason.where(~top, _TOP_CODED).where(reason != "blank", "not available")
    return num, reason.where(num.isna(), None), bound.where(top, np.nan)


class _Table:
    """One published table as raw rows plus the header map; turns itself into canonical columns."""

    def __init__(self, file: str, sheet: str | None, title: str, header: list[Any],
                 rows: list[tuple[int, list[Any]]]) -> None:
        self.file, self.sheet, self.title, self.header, self.rows = file, sheet, title, header, rows
        self.columns = _map_header(header)
        names = [n for n, _ in self.columns.values()]
        if "soc_code" not in names or "occupation_title" not in names:
            raise LayoutError("no occupation code/title columns in the header", file=file, sheet=sheet,
                              row=None, expected="'... National Employment Matrix code' and '... title' "
                              "(or 'Occupation Code' / 'Occupation Title')")

    def years(self) -> tuple[int | None, int | None]:
        years = [int(m.group(0)) for i, (n, _) in sorted(self.columns.items()) if n == "employment"
                 for m in [re.search(r"\d{4}", _norm(self.header[i]))] if m]
        if len(years) >= 2:
            return years[0], years[1]
        m = re.search(r"(\d{4})\s*[-–]\s*(\d{2,4})", self.title) or re.search(r"(\d{4})", self.title)
        if m is None:
            return None, None
        base = int(m.group(1))
        if m.lastindex and m.lastindex >= 2:
            end = m.group(2)
            return base, int(end) if len(end) == 4 else base // 100 * 100 + int(end)
        return base, base + 10  # tables 5.3/5.4 give the base year; EP projects ten years ahead

    def frame(self) -> pd.DataFrame:
        code_i = next(i for i, (n, _) in self.columns.items() if n == "soc_code")
        body = [(r, cells) for r, cells in self.rows
                if code_i < len(cells) and cells[code_i] not in (None, "")]
        if not body:
            raise LayoutError("no occupation rows under the header", file=self.file, sheet=self.sheet,
                              expected="rows with an occupation code")
        raw = pd.DataFrame([cells + [None] * (len(self.header) - len(cells)) for _, cells in body],
                           dtype=object)
        out: dict[str, Any] = {}
        emp = 0
        for i, (name, kind) in sorted(self.columns.items()):
            col = raw[i]
            try:
                if kind == "title":
                    parsed = col.map(_clean_title)
                    out["occupation_title"] = parsed.map(lambda t: t[0])
                    indents = parsed.map(lambda t: t[1])
                    if (indents.fillna(0) > 0).any():  # hierarchy by leading spaces (2024–34 xlsx)
                        out["depth"] = indents // 2
                elif kind == "code":
                    out["soc_code"] = col.map(lambda v: str(v).strip())
                elif kind == "text":
                    out[name] = col.map(lambda v: None if v is None or str(v).strip() in _TEXT_MISSING
                                        else re.sub(r"\s+", " ", str(v)).strip())
                elif kind == "wage":
                    out[name], out[f"{name}_missing_reason"], out[f"{name}_top_code"] = _wage(col)
                else:
                    values, _ = checked_number(col, first_row=0, expected="a number or —")
                    if kind == "employment":
                        name = ("employment_base", "employment_target", "_extra")[min(emp, 2)]
                        emp += 1
                    scale = _THOUSANDS if kind in ("thousands", "employment") else 0.01
                    out[name] = np.round(values * scale, 6)
            except InputError as exc:
                raise InputError(exc.detail, file=self.file, sheet=self.sheet,
                                 row=body[exc.row][0] if exc.row is not None else None,
                                 column=str(self.header[i]).replace("\n", " "),
                                 expected=exc.expected) from None
        out.pop("_extra", None)
        df = pd.DataFrame(out)
        base, target = self.years()
        if base is None or target is None:
            raise LayoutError("cannot tell the projection years", file=self.file, sheet=self.sheet,
                              expected="'Employment, YYYY' columns or a title with the years")
        df["base_year"], df["target_year"] = base, target
        return df


# ---------------------------------------------------------------- readers per layout


def _workbook_tables(path: Path) -> list[_Table]:
    import openpyxl

    book = openpyxl.load_workbook(path, read_only=True, data_only=True)
    try:
        present = [s for s in WORKBOOK_TABLES if s in book.sheetnames]
        if not present:
            raise LayoutError("no occupation tables in the workbook", file=path,
                              expected=f"sheets {list(WORKBOOK_TABLES)} (BLS occupation.xlsx)")
        tables = []
        for name in present:
            rows = [list(r) for r in book[name].iter_rows(values_only=True)]
            tables.append(_from_rows(rows, str(path), name))
        return tables
    finally:
        book.close()


def _from_rows(rows: list[list[Any]], file: str, sheet: str | None) -> _Table:
    """Title rows, then the header (the row naming the occupation code), then data + footnotes."""
    for h, cells in enumerate(rows[:10]):
        if any(re.search(r"(matrix code|^occupation code$)", _norm(c)) for c in cells):
            title = " ".join(str(c) for r in rows[:h] for c in r if c not in (None, ""))
            body = [(i + 1, list(r)) for i, r in enumerate(rows[h + 1:], start=h + 1)]
            return _Table(file, sheet, _norm(title), rows[h], body)
    raise LayoutError("no header row naming the occupation code in the first 10 rows", file=file,
                      sheet=sheet, expected="a header with '... National Employment Matrix code' or "
                      "'Occupation Code'")


def _csv_table(path: Path) -> _Table:
    rows = list(csv.reader(io.StringIO(read_text(path))))
    return _from_rows(rows, str(path), None)


def _is_workbook(path: Path) -> bool:
    return path.suffix.lower() in (".xlsx", ".xlsm")


class EPConnector(Connector):
    """BLS Employment Projections occupation tables → occupation_projections (national)."""

    name = "ep"
    table = "occupation_projections"
    description = "BLS Employment Projections: occupation.xlsx, web-table CSVs, data.bls.gov export"
    layouts = ("occupation.xlsx with sheets Table 1.2/1.7/1.10/5.3/5.4; BLS web-table CSV of one of "
               "those tables; data.bls.gov occupationProj export CSV ('Occupation Code' header)")

    def sniff(self, path: Path) -> bool:
        path = Path(path)
        try:
            if _is_workbook(path):
                sheets = workbook_sheets(path)
                return any(s in sheets for s in ("Table 1.10", "Table 1.2", "Table 1.7"))
            if path.suffix.lower() == ".csv":
                head = decode(path.read_bytes()[:4000])
                return ("national employment matrix code" in _norm(head)
                        or ("occupation code" in _norm(head) and "occupational openings" in _norm(head)))
        except Exception:
            return False
        return False

    def parse(self, path: Path, **options: Any) -> pd.DataFrame:
        """One row per occupation code; a workbook's tables are joined by code (first table wins)."""
        path = Path(path)
        tables = _workbook_tables(path) if _is_workbook(path) else [_csv_table(path)]
        frames = [t.frame() for t in tables]
        merged = _join(frames, tables)
        base, target = int(merged["base_year"].iloc[0]), int(merged["target_year"].iloc[0])
        merged.insert(0, "geography", "US")
        merged["area_title"] = "United States"
        merged["source"] = "ep"
        merged["vintage"] = f"EP {base}-{str(target)[-2:]}"
        return validate(merged, self.table, origin=str(path))


def _join(frames: list[pd.DataFrame], tables: list[_Table]) -> pd.DataFrame:
    years = {(int(f["base_year"].iloc[0]), int(f["target_year"].iloc[0])) for f in frames}
    if len({b for b, _ in years}) > 1:
        raise LayoutError(f"tables of different base years {sorted(years)}", file=tables[0].file,
                          expected="one projection vintage per workbook")
    out: pd.DataFrame | None = None
    for f, t in zip(frames, tables, strict=True):
        dup = f["soc_code"].duplicated()
        if dup.any():
            raise LayoutError(f"occupation code {f['soc_code'][dup].iloc[0]!r} appears twice",
                              file=t.file, sheet=t.sheet, expected="one row per code")
        f = f.set_index("soc_code")
        out = f if out is None else out.combine_first(f)[list(dict.fromkeys([*out.columns, *f.columns]))]
    assert out is not None
    order = list(dict.fromkeys(c for f in frames for c in f["soc_code"]))  # published order
    return out.loc[order].reset_index()
