"""BLS Occupational Employment and Wage Statistics (OEWS) files, every layout from May 2006 on.

BLS has republished the same estimates in many shapes: zipped BIFF ``.xls`` state files
(2006–2013, inner names ``state_may2006_dl.xls``, ``state__M2008_dl.xls``, ``state_dl.xls``...),
zipped ``.xlsx`` national files in a sub-folder (``oesm14nat/national_M2014_dl.xlsx``), bare
``.xlsx`` files (2020+), and the industry-specific ``natsector``/``nat3d``/``nat4d`` files. The
header drifted (``GROUP`` → ``OCC_GROUP`` → ``O_GROUP``, ``LOC Q``/``LOC_Q`` → ``LOC_QUOTIENT``,
``ST``/``STATE`` → ``PRIM_STATE``/``AREA_TITLE``, lower case in 2019) and numbers were once stored
as text. This module maps them all onto two canonical tables:

* ``oews`` → ``occupation_employment`` (cross-industry files: one row per area and occupation);
* ``oews_staffing`` → ``staffing_patterns`` (industry files: occupation shares of an industry);

plus ``oews_docs`` for the field/file descriptions BLS ships beside the data, so a documentation
workbook handed to ``align ingest`` is read for what it is rather than mistaken for data.

Markers (``*``, ``**``, ``***``, ``#``, ``~``) become missing values with the marker's meaning as the
reason; ``#`` (wage at or above the top code) also keeps that year's bound in a ``*_top_code``
column, from :data:`TOP_CODES`.
"""

from __future__ import annotations

import io
import re
import zipfile
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import numpy as np
import pandas as pd

from align.connector import Connector
from align.errors import InputError, LayoutError
from align.schemas import validate
from align_connectors._published import MISSING_MARKERS, require_columns, to_number

# Top-code bounds by May reference year: (hourly $, annual $). A wage published as ``#`` is at or
# above the bound. Read from each year's ``field_descriptions`` (2006–2018, zips beside the data),
# the ``Field Descriptions`` sheet (2019, 2020, 2025), and for 2022–2024 from the data: every
# published percentile is below $239,200 / $115.00 and above $208,000 / $100.00, and the EP 2024–34
# tables print ``>=$239,200``. 2021 is the one year not checked against a file here (BLS's
# $100.00 / $208,000 bound of 2016–2020, which EP 2021–31 tables print as ``>=$208,000``).
TOP_CODES: dict[int, tuple[float, float]] = {
    2006: (70.0, 145_600.0), 2007: (70.0, 145_600.0),
    2008: (80.0, 166_400.0), 2009: (80.0, 166_400.0), 2010: (80.0, 166_400.0),
    2011: (90.0, 187_200.0), 2012: (90.0, 187_200.0), 2013: (90.0, 187_200.0),
    2014: (90.0, 187_200.0), 2015: (90.0, 187_200.0),
    2016: (100.0, 208_000.0), 2017: (100.0, 208_000.0), 2018: (100.0, 208_000.0),
    2019: (100.0, 208_000.0), 2020: (100.0, 208_000.0), 2021: (100.0, 208_000.0),
    2022: (115.0, 239_200.0), 2023: (115.0, 239_200.0), 2024: (115.0, 239_200.0),
    2025: (115.0, 239_200.0),
}


def soc_vintage(year: int) -> str:
    """The SOC edition a May ``year`` OEWS file codes occupations in.

    OEWS pools three years of survey panels, so the switch years are hybrids: 2010–2011 mix SOC
    2000 and 2010; 2019–2020 mix SOC 2010 and 2018 (e.g. 15-1256 "Software developers and software
    quality assurance analysts" in May 2020, split into 15-1252/15-1253 from May 2021).
    """
    if year <= 2009:
        return "2000"
    if year <= 2011:
        return "2000/2010 hybrid"
    if year <= 2018:
        return "2010"
    if year <= 2020:
        return "2010/2018 hybrid"
    return "2018"


# Old header names → the modern ones.
_ALIASES = {
    "GROUP": "O_GROUP", "OCC_GROUP": "O_GROUP", "LOC_Q": "LOC_QUOTIENT", "LOC QUOTIENT": "LOC_QUOTIENT",
    "ST": "PRIM_STATE", "STATE": "AREA_TITLE", "AREA_NAME": "AREA_TITLE",
}
# OEWS wage columns → canonical names, with whether the column is hourly.
WAGE_COLUMNS: dict[str, tuple[str, bool]] = {
    "H_MEAN": ("wage_hourly_mean", True), "A_MEAN": ("wage_annual_mean", False),
    "H_PCT10": ("wage_hourly_p10", True), "H_PCT25": ("wage_hourly_p25", True),
    "H_MEDIAN": ("wage_hourly_median", True), "H_PCT75": ("wage_hourly_p75", True),
    "H_PCT90": ("wage_hourly_p90", True), "A_PCT10": ("wage_annual_p10", False),
    "A_PCT25": ("wage_annual_p25", False), "A_MEDIAN": ("wage_annual_median", False),
    "A_PCT75": ("wage_annual_p75", False), "A_PCT90": ("wage_annual_p90", False),
}
_CORE = ["OCC_CODE", "OCC_TITLE", "O_GROUP", "TOT_EMP"]
_INDUSTRY = ["NAICS", "NAICS_TITLE", "I_GROUP", "OWN_CODE", "PCT_TOTAL"]
_DOC_NAME = re.compile(r"(field|file)_?\s?descriptions?", re.I)
_TOP_CODED = MISSING_MARKERS["#"]


@dataclass
class Sheet:
    """The data sheet of an OEWS workbook: upper-cased, alias-mapped header and raw rows."""

    file: str
    name: str
    member: str | None
    header: list[str]
    rows: list[list[Any]]

    def frame(self) -> pd.DataFrame:
        return pd.DataFrame(self.rows, columns=self.header, dtype=object)


# ---------------------------------------------------------------- reading the workbooks


def _members(path: Path) -> list[str]:
    with zipfile.ZipFile(path) as zf:
        return [n for n in zf.namelist() if n.lower().endswith((".xls", ".xlsx"))]


def data_member(path: Path, member: str | None = None) -> str:
    """The data workbook inside an OEWS zip: the one that is not the field/file descriptions."""
    names = _members(path)
    if member is not None:
        if member not in names:
            raise InputError(f"no member {member!r} in the zip", file=path, expected=f"one of {names}")
        return member
    data = [n for n in names if not _DOC_NAME.search(Path(n).name)]
    if len(data) != 1:
        raise LayoutError(f"cannot tell the data workbook in the zip ({data or names})", file=path,
                          expected="exactly one .xls/.xlsx besides field_descriptions (or pass member=)")
    return data[0]


def is_outer_zip(path: Path) -> bool:
    """A zip archive of workbooks (``oesm13st.zip``), not an .xlsx (itself a zip package)."""
    if not zipfile.is_zipfile(path):
        return False
    with zipfile.ZipFile(path) as zf:
        return "[Content_Types].xml" not in zf.namelist()


def _workbook_bytes(path: Path, member: str | None) -> tuple[bytes, str, str | None]:
    """(bytes, inner name, member) of the workbook to read — the file itself or a zip member."""
    if is_outer_zip(path):
        name = data_member(path, member)
        with zipfile.ZipFile(path) as zf:
            return zf.read(name), name, name
    return path.read_bytes(), path.name, None


def _sheets(data: bytes, inner: str) -> Iterator[tuple[str, Iterator[list[Any]]]]:
    """(sheet name, row iterator) of a BIFF .xls or an .xlsx, without going through pandas."""
    if data[:8] == b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1":  # OLE2: BIFF .xls
        import xlrd

        book = xlrd.open_workbook(file_contents=data, on_demand=True, ragged_rows=True)
        for i in range(book.nsheets):
            sh = book.sheet_by_index(i)
            yield sh.name, (sh.row_values(r) for r in range(sh.nrows))
    elif data[:2] == b"PK":
        yield from _xlsx_sheets(data)
    else:
        raise LayoutError("not an Excel workbook", file=inner, expected=".xls (BIFF) or .xlsx")


def _xlsx_cell(value: Any) -> Any:
    """A calamine cell as openpyxl reads it: whole numbers stored without a decimal point are
    ints (calamine gives every number as a float), a blank is None."""
    if value == "":
        return None
    if type(value) is float and value.is_integer():
        return int(value)
    return value


def _xlsx_sheets(data: bytes) -> Iterator[tuple[str, Iterator[list[Any]]]]:
    """The sheets of an .xlsx, read by calamine (Rust: a national workbook in under a second,
    five times openpyxl's time)."""
    from python_calamine import CalamineWorkbook

    book = CalamineWorkbook.from_filelike(io.BytesIO(data))
    for name in book.sheet_names:
        rows = book.get_sheet_by_name(name).iter_rows()
        yield name, ([_xlsx_cell(v) for v in r] for r in rows)


def _norm_header(cells: list[Any]) -> list[str]:
    out = []
    for c in cells:
        name = "" if c is None else str(c).strip().upper()
        out.append(_ALIASES.get(name, name))
    return out


def read_data_sheet(path: Path, member: str | None = None) -> Sheet:
    """The first sheet whose first row holds ``OCC_CODE``: the data, whatever the year's layout."""
    path = Path(path)
    data, _inner, member = _workbook_bytes(path, member)
    where = f"{path}!{member}" if member else str(path)
    seen = []
    for name, rows in _sheets(data, where):
        first = next(rows, None)
        seen.append(name)
        if first is None:
            continue
        header = _norm_header(first)
        if "OCC_CODE" not in header:
            continue
        body = [list(r) + [None] * (len(header) - len(r)) for r in rows]
        while body and all(v in (None, "") for v in body[-1]):
            body.pop()
        return Sheet(where, name, member, header, body)
    raise LayoutError("no sheet with an OCC_CODE header row", file=where,
                      expected=f"an OEWS data sheet (sheets seen: {seen})")


def year_of(path: Path, member: str | None = None) -> int | None:
    """May reference year from the published names: ``M2014``, ``may2006``, ``oesm09st.zip``."""
    for name in (member or "", Path(path).name):
        base = Path(name).name
        m = re.search(r"(?:_m|may)_?(\d{4})", base, re.I) or re.search(r"(?<!\d)(20\d{2})(?!\d)", base)
        if m:
            return int(m.group(1))
        m = re.search(r"oesm(\d{2})", name, re.I)
        if m:
            return 2000 + int(m.group(1))
    return None


# ---------------------------------------------------------------- shared column handling


def _text(col: pd.Series) -> pd.Series:
    """Codes and labels as text: xlrd/openpyxl give ``48`` or ``48.0`` for a numeric cell."""
    def one(v: Any) -> Any:
        if v is None or (isinstance(v, float) and np.isnan(v)):
            return None
        if isinstance(v, float) and v.is_integer():
            return str(int(v))
        if isinstance(v, (int, np.integer)) and not isinstance(v, bool):
            return str(v)
        text = str(v).strip()
        return text or None

    return col.map(one).astype(object)


def _numbers(df: pd.DataFrame, column: str) -> tuple[pd.Series, pd.Series]:
    """(values, missing reason) of a published numeric column; markers → NaN + reason.

    Vectorised first (most cells are plain numbers or numbers stored as text); only the cells
    that are not go through the shared :func:`to_number`, which names the markers.
    """
    if column not in df.columns:
        nan = pd.Series(np.nan, index=df.index)
        return nan, pd.Series(None, index=df.index, dtype=object)
    raw = df[column]
    values = pd.to_numeric(raw.where(~raw.map(lambda v: isinstance(v, bool))), errors="coerce").astype("float64")
    reason = pd.Series(None, index=df.index, dtype=object)
    rest = values.isna()
    if rest.any():
        sub_values, sub_reason = to_number(raw[rest])
        values[rest] = sub_values
        reason[rest] = sub_reason.where(sub_reason != "blank", None)
        bad = reason.fillna("").str.startswith("unreadable")
        if bad.any():
            i = int(np.flatnonzero(bad.to_numpy())[0])
            raise InputError(f"not a number or a known marker: {raw.iloc[i]!r}", row=i + 2,
                             column=column, expected=f"a number or one of {sorted(MISSING_MARKERS)}")
    return values, reason


def _flag(col: pd.Series | None, index: pd.Index) -> pd.Series:
    if col is None:
        return pd.Series(False, index=index)
    return col.map(lambda v: str(v).strip().upper() in ("TRUE", "1", "1.0", "Y")).astype(bool)


def _wages(df: pd.DataFrame, year: int | None) -> dict[str, pd.Series]:
    out: dict[str, pd.Series] = {}
    bounds = TOP_CODES.get(year) if year is not None else None
    for src, (name, hourly) in WAGE_COLUMNS.items():
        values, reason = _numbers(df, src)
        top = pd.Series(np.nan, index=df.index)
        if bounds is not None:
            top = top.where(reason != _TOP_CODED, bounds[0] if hourly else bounds[1])
        out[name] = values
        out[f"{name}_missing_reason"] = reason
        out[f"{name}_top_code"] = top
    return out


def _o_group(df: pd.DataFrame, codes: pd.Series) -> pd.Series:
    """O_GROUP as published; blank (2006–2011) means total for 00-0000, else major/detailed by code."""
    published = _text(df["O_GROUP"]).str.lower()

    def infer(code: str) -> str:
        if code == "00-0000":
            return "total"
        return "major" if code.endswith("-0000") else "detailed"

    return published.where(published.notna(), codes.map(infer))


def _wrap(exc: InputError, sheet: Sheet) -> InputError:
    return type(exc)(exc.detail, file=sheet.file, sheet=sheet.name, row=exc.row,
                     column=exc.column, expected=exc.expected)


_INDUSTRY_FILE = re.compile(r"(natsector|nat\d?d|nat[3-6]d|owner|_ind_|in4)", re.I)


def _sniff_rows(path: Path) -> tuple[list[str], list[Any]] | None:
    """(header, first data row) of the data sheet, or None. Never raises.

    An .xlsx is read two rows deep. A zip of BIFF ``.xls`` files would have to be decoded in full
    (xlrd reads whole sheets), so zips are judged by their published member names instead.
    """
    try:
        if is_outer_zip(path):
            member = data_member(Path(path))
            if not re.search(r"_dl\.xlsx?$", member, re.I):
                return None
            industry = bool(_INDUSTRY_FILE.search(Path(member).name))
            header = [*_CORE, *(_INDUSTRY if industry else [])]
            return header, ["", "", "", "", "", "", "sector" if industry else "cross-industry"]
        data, inner, _ = _workbook_bytes(Path(path), None)
        for _name, rows in _sheets(data, inner):
            first = next(rows, None)
            if first:
                header = _norm_header(first)
                if "OCC_CODE" in header:
                    return header, list(next(rows, []) or [])
        return None
    except Exception:
        return None


def _sniff_header(path: Path) -> list[str] | None:
    found = _sniff_rows(path)
    return found[0] if found else None


def _cross_industry(header: list[str], row: list[Any]) -> bool:
    """No industry columns (pre-2019), or I_GROUP ``cross-industry`` in the first data row."""
    if "I_GROUP" not in header:
        return True
    i = header.index("I_GROUP")
    return i < len(row) and str(row[i]).strip().lower() == "cross-industry"


def _is_excel_or_zip(path: Path) -> bool:
    return Path(path).suffix.lower() in (".xls", ".xlsx", ".zip")


# ---------------------------------------------------------------- cross-industry files


class OEWSConnector(Connector):
    """OEWS cross-industry national, state and MSA files (May 2006 onward) → occupation_employment."""

    name = "oews"
    table = "occupation_employment"
    description = "BLS OEWS cross-industry estimates (national, state, MSA), 2006 onward"
    layouts = ("oesmYYst/oesmYYnat/oesmYYma zips (.xls or .xlsx inside) and bare national_/state_/"
               "MSA_MYYYY_dl.xlsx with OCC_CODE, OCC_TITLE, GROUP/OCC_GROUP/O_GROUP, TOT_EMP and wages")

    def sniff(self, path: Path) -> bool:
        if not _is_excel_or_zip(path):
            return False
        found = _sniff_rows(path)
        return found is not None and all(c in found[0] for c in _CORE) and _cross_industry(*found)

    def parse(self, path: Path, *, member: str | None = None, year: int | None = None,
              **options: Any) -> pd.DataFrame:
        """Parse a cross-industry OEWS file; ``year`` overrides the May year read from the name."""
        path = Path(path)
        sheet = read_data_sheet(path, member)
        year = year or year_of(path, sheet.member)
        if year is None:
            raise InputError("cannot tell the May reference year from the file name", file=sheet.file,
                             expected="a published name such as national_M2024_dl.xlsx, or year=")
        try:
            return self._parse_sheet(sheet, year)
        except InputError as exc:
            if exc.file:
                raise
            raise _wrap(exc, sheet) from None

    def _parse_sheet(self, sheet: Sheet, year: int) -> pd.DataFrame:
        require_columns(sheet.header, _CORE, file=sheet.file, sheet=sheet.name)
        df = sheet.frame()
        if "I_GROUP" in df.columns:
            groups = set(_text(df["I_GROUP"]).dropna().str.lower())
            if groups - {"cross-industry"}:
                raise LayoutError(f"industry-specific rows (I_GROUP {sorted(groups)})", file=sheet.file,
                                  sheet=sheet.name, column="I_GROUP",
                                  expected="a cross-industry file (use the oews_staffing source)")
        codes = _text(df["OCC_CODE"])
        employment, emp_reason = _numbers(df, "TOT_EMP")
        area = _text(df["AREA"]) if "AREA" in df.columns else pd.Series("99", index=df.index)
        if "PRIM_STATE" in df.columns:
            area = area.where(area.str.len() != 1, area.str.zfill(2))  # a state code read as a number
        out = pd.DataFrame({
            "geography": area,
            "soc_code": codes,
            "occupation_title": _text(df["OCC_TITLE"]),
            "o_group": _o_group(df, codes),
            "employment": employment,
            "period": year,
            "soc_vintage": soc_vintage(year),
            "area_title": _text(df["AREA_TITLE"]) if "AREA_TITLE" in df.columns else "U.S.",
            "state_abbr": _text(df["PRIM_STATE"]) if "PRIM_STATE" in df.columns else (
                "US" if "AREA" not in df.columns else None),
            "employment_missing_reason": emp_reason,
            "employment_rse": _numbers(df, "EMP_PRSE")[0],
            "jobs_per_1000": _numbers(df, "JOBS_1000")[0],
            "location_quotient": _numbers(df, "LOC_QUOTIENT")[0],
            **_wages(df, year),
            "annual_only": _flag(df.get("ANNUAL"), df.index),
            "hourly_only": _flag(df.get("HOURLY"), df.index),
            "is_suppressed": employment.isna() & emp_reason.notna(),
            "source": "oews",
            "vintage": f"OEWS May {year}",
        })
        return validate(out, self.table, origin=f"{sheet.file} (sheet {sheet.name!r})")


# ---------------------------------------------------------------- industry-specific files


class OEWSStaffingConnector(Connector):
    """OEWS industry-specific files (natsector, nat3d, nat4d...) → staffing_patterns."""

    name = "oews_staffing"
    table = "staffing_patterns"
    description = "BLS OEWS industry-specific staffing patterns (occupation shares of each industry)"
    layouts = ("natsector/nat3d/nat4d_MYYYY_dl.xlsx (or their zip): AREA, NAICS, NAICS_TITLE, I_GROUP, "
               "OWN_CODE, OCC_CODE, O_GROUP, TOT_EMP, PCT_TOTAL, wages")

    def sniff(self, path: Path) -> bool:
        if not _is_excel_or_zip(path):
            return False
        found = _sniff_rows(path)
        return (found is not None and all(c in found[0] for c in _CORE + _INDUSTRY)
                and not _cross_industry(*found))

    def parse(self, path: Path, *, member: str | None = None, year: int | None = None,
              levels: tuple[str, ...] = ("detailed",), **options: Any) -> pd.DataFrame:
        """Occupation shares of industry employment (PCT_TOTAL / 100).

        Only ``levels`` (default: detailed occupations) are kept, so shares within one industry
        add up without double counting the major/minor/broad aggregates. ``levels=()`` keeps all.
        """
        path = Path(path)
        sheet = read_data_sheet(path, member)
        year = year or year_of(path, sheet.member)
        try:
            return self._parse_sheet(sheet, year, levels)
        except InputError as exc:
            if exc.file:
                raise
            raise _wrap(exc, sheet) from None

    def _parse_sheet(self, sheet: Sheet, year: int | None, levels: tuple[str, ...]) -> pd.DataFrame:
        require_columns(sheet.header, _CORE + _INDUSTRY + ["AREA"], file=sheet.file, sheet=sheet.name)
        df = sheet.frame()
        codes = _text(df["OCC_CODE"])
        groups = _o_group(df, codes)
        if levels:
            keep = groups.isin(levels).to_numpy()
            df, codes, groups = df[keep], codes[keep], groups[keep]
        # 2017+ files repeat a code as broad and detailed when BLS estimates only the broad
        # group; keep the most detailed row of each industry and code.
        rank = groups.map({"detailed": 0, "broad": 1, "minor": 2, "major": 3, "total": 4}).fillna(5)
        order = np.lexsort((rank.to_numpy(), codes.to_numpy().astype(str),
                            _text(df["NAICS"]).fillna("").to_numpy().astype(str),
                            _text(df["OWN_CODE"]).fillna("").to_numpy().astype(str)))
        df, codes, groups = df.iloc[order], codes.iloc[order], groups.iloc[order]
        first = ~pd.DataFrame({"n": _text(df["NAICS"]), "o": _text(df["OWN_CODE"]), "c": codes}
                              ).duplicated().to_numpy()
        df, codes, groups = df[first], codes[first], groups[first]
        employment, emp_reason = _numbers(df, "TOT_EMP")
        pct, pct_reason = _numbers(df, "PCT_TOTAL")
        wages = _wages(df, year)
        out = pd.DataFrame({
            "geography": _text(df["AREA"]),
            "naics_code": _text(df["NAICS"]),
            "soc_code": codes,
            "share_of_industry_employment": pct / 100.0,
            "occupation_title": _text(df["OCC_TITLE"]),
            "is_suppressed": pct.isna() & pct_reason.notna(),
            "source": "oews_staffing",
            "vintage": f"OEWS May {year}" if year else "OEWS",
            "industry_title": _text(df["NAICS_TITLE"]),
            "naics_level": _text(df["I_GROUP"]),
            "own_code": _text(df["OWN_CODE"]),
            "o_group": groups,
            "employment": employment,
            "employment_missing_reason": emp_reason,
            "wage_annual_median": wages["wage_annual_median"],
            "wage_annual_median_missing_reason": wages["wage_annual_median_missing_reason"],
            "wage_annual_median_top_code": wages["wage_annual_median_top_code"],
        })
        if year is not None:
            out["period"] = year
            out["soc_vintage"] = soc_vintage(year)
        return validate(out.reset_index(drop=True), self.table,
                        origin=f"{sheet.file} (sheet {sheet.name!r})")


# ---------------------------------------------------------------- documentation workbooks


class OEWSDocumentationConnector(Connector):
    """The field/file descriptions BLS ships with OEWS data → source_documentation.

    These workbooks hold no estimates; reading them as a small table (files listed, marker
    meanings, field definitions) lets an analyst check a year's top-code bound or area types.
    """

    name = "oews_docs"
    table = "source_documentation"
    description = "BLS OEWS field_descriptions / file_descriptions workbooks (documentation, not data)"
    layouts = "field_descriptions.xls(x), file_descriptions.xlsx, or an oesm zip's description member"

    def sniff(self, path: Path) -> bool:
        path = Path(path)
        return (path.suffix.lower() in (".xls", ".xlsx") and bool(_DOC_NAME.search(path.name))
                and _sniff_header(path) is None)

    def parse(self, path: Path, *, member: str | None = None, **options: Any) -> pd.DataFrame:
        path = Path(path)
        if is_outer_zip(path):
            docs = [n for n in _members(path) if _DOC_NAME.search(Path(n).name)]
            name = member or (docs[0] if docs else None)
            if name is None:
                raise LayoutError("no field/file descriptions member in the zip", file=path,
                                  expected="field_descriptions.xls(x)")
            with zipfile.ZipFile(path) as zf:
                data, where = zf.read(name), f"{path}!{name}"
        else:
            data, where = path.read_bytes(), str(path)
        year = year_of(path, member)
        rows: list[dict[str, str]] = []
        for sheet, it in _sheets(data, where):
            in_files = False
            for cells in it:
                texts = [str(c).strip() for c in cells if c not in (None, "") and str(c).strip()]
                if not texts:
                    continue
                first = texts[0]
                if first.lower() == "file name":
                    in_files = True
                    continue
                m = re.match(r"^(\*{1,3}|#|~)\s*=\s*(.+)$", first)
                if m:
                    rows.append({"doc_kind": "marker", "doc_item": m.group(1), "doc_text": m.group(2).strip()})
                elif in_files and len(texts) >= 2 and re.search(r"\.(xlsx?|csv|txt)$", first, re.I):
                    rows.append({"doc_kind": "file", "doc_item": first, "doc_text": texts[1]})
                elif len(texts) >= 2 and re.fullmatch(r"[A-Za-z_ ]{2,20}", first) and first.upper() == first:
                    rows.append({"doc_kind": "field", "doc_item": first, "doc_text": " ".join(texts[1:])})
                elif first.lower().rstrip(":") != "notes":
                    rows.append({"doc_kind": "note", "doc_item": f"{sheet}:{len(rows) + 1}",
                                 "doc_text": " ".join(texts)})
        if not any(r["doc_kind"] in ("marker", "file", "field") for r in rows):
            raise LayoutError("no file list, field definitions or marker notes found", file=where,
                              expected="an OEWS field_descriptions / file_descriptions workbook")
        out = pd.DataFrame(rows).drop_duplicates(["doc_kind", "doc_item"])
        out["source"] = "oews_docs"
        out["vintage"] = f"OEWS May {year}" if year else "OEWS"
        return validate(out, self.table, origin=where)


def top_code_from_docs(docs: pd.DataFrame) -> tuple[float, float] | None:
    """(hourly, annual) top-code bound stated by a documentation table's ``#`` marker note."""
    notes = docs.loc[(docs["doc_kind"] == "marker") & (docs["doc_item"] == "#"), "doc_text"]
    for text in notes:
        nums = [float(x.replace(",", "")) for x in re.findall(r"\$([\d,]+(?:\.\d+)?)", text)]
        if len(nums) == 2:
            return nums[0], nums[1]
    return None
