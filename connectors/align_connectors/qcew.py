"""QCEW open-data CSV slices (BLS Quarterly Census of Employment and Wages) → area_industry_employment.

QCEW is the county-by-industry employment history the demand forecast starts from. BLS
publishes it as CSV "slices" (https://data.bls.gov/cew/data/api/{year}/{qtr}/area/{area}.csv,
``.../industry/{code}.csv``) and as zipped single files, in two layouts:

- annual (qtr ``A``, 38 columns): ``annual_avg_estabs, annual_avg_emplvl, total_annual_wages,
  ..., avg_annual_pay`` and the ``lq_``/``oty_`` columns;
- quarterly (qtr 1–4, 42 columns): ``qtrly_estabs, month1_emplvl, month2_emplvl,
  month3_emplvl, total_qtrly_wages, ..., avg_wkly_wage`` and ``lq_``/``oty_``.

BLS quotes every text field (``"39049","0","10",...``); copies re-saved by spreadsheets drop the
quotes and use CRLF — both read the same. Codes stay text as published (``US000``, ``C1814``,
``31-33``, ``1013``).

What the values mean here:

- ``employment`` is ``annual_avg_emplvl`` for annual rows and the **mean of the three monthly
  levels** (month1..3_emplvl) for quarterly rows, so both are average employment over the period.
- ``disclosure_code = N``: BLS withheld employment and wages for confidentiality and published
  zeros in their place. Those become missing (NaN) with ``is_suppressed = True`` — never zero.
  The establishment count is still published for those rows and is kept.
- ``disclosure_code = -`` (quarterly slices only): the industry appears in the year's slice but
  no establishment reported in that quarter; BLS fills the row with zeros. Every value is
  missing (NaN) with ``missing_reason`` saying so; it is not a confidentiality suppression, so
  ``is_suppressed`` stays False.
"""

from __future__ import annotations

import csv
import io
import zipfile
from pathlib import Path
from typing import Any, ClassVar

import numpy as np
import pandas as pd

from align import codes, schemas
from align.connector import Connector
from align.errors import InputError, LayoutError
from align_connectors._published import (
    check_row_widths,
    decode,
    existing_file,
    header_line,
    map_codes,
    marker_meaning,
    require_columns,
    to_number,
)

API_BASE = "https://data.bls.gov/cew/data/api"

KEY_COLUMNS = ["area_fips", "own_code", "industry_code", "agglvl_code", "size_code", "year", "qtr",
               "disclosure_code"]
ANNUAL_COLUMNS = ["annual_avg_estabs", "annual_avg_emplvl", "total_annual_wages",
                  "annual_avg_wkly_wage", "avg_annual_pay"]
QUARTERLY_COLUMNS = ["qtrly_estabs", "month1_emplvl", "month2_emplvl", "month3_emplvl",
                     "total_qtrly_wages", "avg_wkly_wage"]

SUPPRESSED = "withheld by BLS for confidentiality (disclosure code N; published as 0)"
NO_REPORT = "no establishment reported in this quarter (disclosure code '-'; published as 0)"


def slice_url(year: int | str, qtr: int | str = "a", *, area: str | None = None,
              industry: str | None = None, size: str | int | None = None) -> str:
    """URL of one QCEW open-data CSV slice: by area, by industry, or by size class.

    ``qtr`` is 1–4 or ``a``/``A`` (annual averages). Industry codes with a hyphen are written
    with an underscore in the URL, as BLS requires (``31-33`` → ``31_33``).
    """
    q = str(qtr).strip().lower()
    if q not in {"a", "1", "2", "3", "4"}:
        raise InputError(f"QCEW quarter {qtr!r} is not valid", expected="1, 2, 3, 4 or 'a'")
    y = str(year).strip()
    if not (y.isdigit() and len(y) == 4):
        raise InputError(f"QCEW year {year!r} is not valid", expected="a 4-digit year")
    chosen = [(kind, str(v).strip()) for kind, v in (("area", area), ("industry", industry),
                                                     ("size", size)) if v is not None]
    if len(chosen) != 1:
        raise InputError("a QCEW slice needs exactly one of area=, industry= or size=")
    kind, code = chosen[0]
    if not code or not all(ch.isalnum() or ch in "-_" for ch in code):
        raise InputError(f"QCEW {kind} code {code!r} is not valid",
                         expected="letters/digits, e.g. 39049, US000, C1814, 31-33")
    if kind == "industry":
        code = code.replace("-", "_")
    if kind == "size" and q == "a":
        raise InputError("QCEW size slices are published for quarter 1 only", expected="qtr=1")
    return f"{API_BASE}/{y}/{q}/{kind}/{code}.csv"


def _csv_members(path: Path) -> list[tuple[str, bytes]]:
    """The CSV texts in ``path``: the file itself, or every ``.csv`` member of a zip."""
    if zipfile.is_zipfile(path):
        with zipfile.ZipFile(path) as zf:
            names = [n for n in zf.namelist() if n.lower().endswith(".csv") and not n.endswith("/")]
            if not names:
                raise LayoutError("zip holds no .csv file", file=path,
                                  expected="QCEW CSV slices inside the zip")
            return [(f"{path}!{n}", zf.read(n)) for n in sorted(names)]
    return [(str(path), Path(path).read_bytes())]


def _is_qcew_header(line: str) -> bool:
    cols = [c.strip().strip('"') for c in line.split(",")]
    return (cols[:len(KEY_COLUMNS)] == KEY_COLUMNS
            and ("annual_avg_emplvl" in cols or "month1_emplvl" in cols))


class QCEWConnector(Connector):
    name: ClassVar[str] = "qcew"
    table: ClassVar[str] = "area_industry_employment"
    description: ClassVar[str] = "BLS QCEW open-data CSV slices: employment, establishments and wages by area × industry"
    layouts: ClassVar[str] = ("QCEW CSV with header area_fips,own_code,industry_code,agglvl_code,size_code,"
                              "year,qtr,disclosure_code,... (annual 38 columns or quarterly 42), quoted "
                              "or not, optionally zipped")

    def sniff(self, path: Path) -> bool:
        try:
            if zipfile.is_zipfile(path):
                with zipfile.ZipFile(path) as zf:
                    names = [n for n in zf.namelist() if n.lower().endswith(".csv")]
                    if not names:
                        return False
                    with zf.open(sorted(names)[0]) as fh:
                        first = fh.read(4096).lstrip(b"\xef\xbb\xbf").split(b"\n", 1)[0]
                    return _is_qcew_header(first.decode("utf-8", "replace").rstrip("\r"))
            return _is_qcew_header(header_line(path))
        except Exception:
            return False

    def parse(self, path: Path, **options: Any) -> pd.DataFrame:
        """Parse a QCEW slice (or a zip of slices) into ``area_industry_employment``."""
        path = existing_file(path)
        frames = [_parse_text(decode(data, file=origin), origin) for origin, data in _csv_members(path)]
        frames = [f for f in frames if len(f)]
        if not frames:
            raise LayoutError("no data rows", file=path, expected="at least one QCEW row after the header")
        table = pd.concat(frames, ignore_index=True) if len(frames) > 1 else frames[0]
        table = table.sort_values(["period", "qtr", "area_fips", "own_code", "agglvl_code",
                                   "naics_code", "size_code"], kind="stable")
        return schemas.validate(table, self.table, origin=str(path))

    def fetch(self, dest: Path, **options: Any) -> Path:
        """Download one slice: ``fetch(dest, year=2024, qtr="a", area="39049")`` (or
        ``industry="31-33"``) through the shared session into the raw store and ``dest``."""
        from align.fetch import copy_to, download

        unknown = set(options) - {"year", "qtr", "area", "industry", "size"}
        if unknown or "year" not in options:
            raise InputError(f"qcew fetch options {sorted(options)} are not valid",
                             expected="year=, qtr= (1-4 or a) and one of area=, industry=, size=")
        year, qtr = options["year"], str(options.get("qtr", "a")).lower()
        area, industry, size = options.get("area"), options.get("industry"), options.get("size")
        url = slice_url(year, qtr, area=area, industry=industry, size=size)
        if area is not None:
            name = f"{year}-{qtr}-{area}.csv"
        elif industry is not None:
            name = f"{year}-{qtr}-industry-{str(industry).replace('-', '_')}.csv"
        else:
            name = f"{year}-{qtr}-size-{size}.csv"

        def check(data: bytes) -> None:
            first = data[:4096].lstrip(b"\xef\xbb\xbf").split(b"\n", 1)[0].decode("utf-8", "replace")
            if not _is_qcew_header(first.rstrip("\r")):
                raise LayoutError("the download is not a QCEW CSV slice", file=url,
                                  expected="a header starting area_fips,own_code,industry_code")

        label = "annual averages" if qtr == "a" else f"Q{qtr}"
        stored = download(url, source=self.name, name=name, vintage=f"QCEW {year} {label}",
                          check=check)
        return copy_to(stored, dest)


def _parse_text(text: str, origin: str) -> pd.DataFrame:
    header = [c.strip() for c in next(csv.reader([text.split("\n", 1)[0].rstrip("\r")]), [])]
    wanted = set(KEY_COLUMNS + ANNUAL_COLUMNS + QUARTERLY_COLUMNS + ["industry_title"])
    keep = [i for i, c in enumerate(header) if c in wanted]  # lq_/oty_ columns are not read
    try:
        numeric = [c for c in header if c in ANNUAL_COLUMNS + QUARTERLY_COLUMNS]
        # codes as text; value columns parsed by the C reader (blank → NaN), checked below
        raw = pd.read_csv(io.StringIO(text), usecols=keep or None, keep_default_na=False,
                          dtype={c: str for c in header if c not in numeric},
                          na_values={c: [""] for c in numeric})
    except (pd.errors.ParserError, pd.errors.EmptyDataError, ValueError) as exc:
        raise LayoutError(f"not readable as CSV: {str(exc).strip()}", file=origin,
                          expected="a comma-separated QCEW slice") from None
    raw.columns = [str(c).strip() for c in raw.columns]
    require_columns(raw.columns, KEY_COLUMNS, file=origin)
    if "annual_avg_emplvl" in raw.columns:
        require_columns(raw.columns, ANNUAL_COLUMNS, file=origin)
        annual = True
    elif "month1_emplvl" in raw.columns:
        require_columns(raw.columns, QUARTERLY_COLUMNS, file=origin)
        annual = False
    else:
        raise LayoutError("neither annual nor quarterly value columns", file=origin,
                          expected="annual_avg_emplvl (annual layout) or month1_emplvl (quarterly layout)")
    check_row_widths(text, file=origin)
    if raw.empty:
        return pd.DataFrame()

    qtr = raw["qtr"].str.strip().str.upper()
    bad_q = ~qtr.isin(["A"] if annual else ["1", "2", "3", "4"])
    if bad_q.any():
        i = int(np.flatnonzero(bad_q.to_numpy())[0])
        raise InputError(f"qtr {raw['qtr'].iloc[i]!r} does not fit the "
                         f"{'annual' if annual else 'quarterly'} layout", file=origin, row=i + 2,
                         column="qtr", expected="A" if annual else "1, 2, 3 or 4")
    year = _numbers(raw["year"], origin, "year")
    disclosure = raw["disclosure_code"].str.strip()
    suppressed = (disclosure == "N").to_numpy()
    no_report = (disclosure == "-").to_numpy()

    # a publisher's marker in an employment cell (**, (D), —) is a withheld value with its
    # meaning; a blank is missing for no stated reason. Neither may count as zero later.
    emp_columns = ["annual_avg_emplvl"] if annual else [f"month{m}_emplvl" for m in (1, 2, 3)]
    emp_text = raw[emp_columns].astype(object).where(raw[emp_columns].notna(), "")
    meaning = emp_text.apply(lambda col: col.map(marker_meaning)).bfill(axis=1).iloc[:, 0]
    marked = meaning.notna().to_numpy() & ~(suppressed | no_report)
    blank = (emp_text.map(lambda v: str(v).strip() == "").any(axis=1)).to_numpy() & ~(suppressed | no_report)

    if annual:
        estabs = _numbers(raw["annual_avg_estabs"], origin, "annual_avg_estabs")
        employment = _numbers(raw["annual_avg_emplvl"], origin, "annual_avg_emplvl")
        wages = _numbers(raw["total_annual_wages"], origin, "total_annual_wages")
        weekly = _numbers(raw["annual_avg_wkly_wage"], origin, "annual_avg_wkly_wage")
        pay = _numbers(raw["avg_annual_pay"], origin, "avg_annual_pay")
    else:
        estabs = _numbers(raw["qtrly_estabs"], origin, "qtrly_estabs")
        months = np.column_stack([_numbers(raw[f"month{m}_emplvl"], origin, f"month{m}_emplvl")
                                  for m in (1, 2, 3)])
        employment = months.mean(axis=1)  # average employment over the quarter's three months
        wages = _numbers(raw["total_qtrly_wages"], origin, "total_qtrly_wages")
        weekly = _numbers(raw["avg_wkly_wage"], origin, "avg_wkly_wage")
        pay = np.full(len(raw), np.nan)  # QCEW publishes annual pay in annual rows only

    withheld = suppressed | no_report
    for values in (employment, wages, weekly, pay):
        values[withheld] = np.nan
    estabs[no_report] = np.nan
    employment[marked | blank] = np.nan

    reason = np.full(len(raw), None, dtype=object)
    reason[suppressed] = SUPPRESSED
    reason[no_report] = NO_REPORT
    reason[marked] = "withheld: " + meaning[marked].astype(str).to_numpy(dtype=object) + " (marker in the file)"
    reason[blank & ~marked] = "blank in the file (not published)"
    suppressed = suppressed | marked
    label = np.where(qtr.to_numpy() == "A", "annual averages", "Q" + qtr.to_numpy())
    def code(column: str, normaliser: Any) -> np.ndarray:
        return map_codes(raw[column], normaliser, file=origin, column=column).to_numpy()

    out = pd.DataFrame({
        "area_fips": code("area_fips", codes.qcew_area),
        "own_code": code("own_code", lambda v: codes.whole_code(v, "own_code")),
        "naics_code": raw["industry_code"].str.strip().to_numpy(),
        "agglvl_code": code("agglvl_code", lambda v: codes.whole_code(v, "agglvl_code")),
        "size_code": code("size_code", lambda v: codes.whole_code(v, "size_code")),
        "period": year.astype("int64"),
        "qtr": qtr.to_numpy(),
        "employment": employment,
        "establishments": estabs,
        "total_wages": wages,
        "is_suppressed": suppressed,
        "avg_annual_pay": pay,
        "avg_weekly_wage": weekly,
        "disclosure_code": disclosure.where(disclosure != "", None).to_numpy(),
        "missing_reason": reason,
        "source": "qcew",
        "vintage": "QCEW " + raw["year"].str.strip().to_numpy(dtype=object) + " " + label.astype(object),
    })
    if "industry_title" in raw.columns:  # the zipped by-area/by-industry files carry titles
        out.insert(3, "industry_title", raw["industry_title"].str.strip().to_numpy())
    return out


def _numbers(col: pd.Series, origin: str, column: str) -> np.ndarray:
    """Published numbers as floats; a value that is neither a number nor blank is an error."""
    if pd.api.types.is_numeric_dtype(col.dtype) and column != "year":
        return col.to_numpy(dtype=float, copy=True)
    text = col.astype(object).where(col.notna(), "").astype(str).str.strip()
    values = pd.to_numeric(text, errors="coerce")
    odd = values.isna() & (text != "")
    if odd.any():  # markers or thousands separators: the shared helper decides
        fixed, reason = to_number(text[odd])
        unreadable = reason.fillna("").str.startswith("unreadable")
        if unreadable.any():
            i = int(np.flatnonzero(odd.to_numpy())[int(np.flatnonzero(unreadable.to_numpy())[0])])
            raise InputError(f"not a number: {col.iloc[i]!r}", file=origin, row=i + 2,
                             column=column, expected="a number")
        values[odd] = fixed
    if column == "year" and values.isna().any():
        i = int(np.flatnonzero(values.isna().to_numpy())[0])
        raise InputError("year is missing", file=origin, row=i + 2, column="year",
                         expected="a 4-digit year")
    return values.to_numpy(dtype=float, copy=True)
