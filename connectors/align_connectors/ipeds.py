"""NCES IPEDS: completions (C{year}_A), the institution directory (HD), the data dictionary and
the Trend Generator table, read exactly as NCES publishes them.

Supply in align starts here: completers by institution, CIP program and award level. The
published quirks handled:

* C{year}_A: CSV (bare or inside ``c2024_a.zip``; the revised ``_rv`` member wins over the
  provisional one), CIPCODE as text (``01.0101``, sometimes quoted ``"01.0101"``), the CIP ``99``
  grand-total row per UNITID × AWLEVEL (dropped — summing it with the programs would double every
  total), second majors (MAJORNUM 2, dropped by default), and the parquet copies in the shared
  data (same column names, MAJORNUM 1 only). Parsing is vectorised: codes are normalised once
  per distinct value, so a 290k-row file takes well under a second.
* HD: Windows-1252 (hd2022) or UTF-8 with BOM (hd2024), CRLF, quoted text, ``FIPS`` with a
  leading space, ``-2`` (not applicable) and blank ``" "`` codes, COUNTYCD without its leading
  zero (``1089`` → ``01089``).
* ``varlist.xlsx`` (the C_A file documentation): the ``Varlist`` and ``Frequencies`` sheets
  become one codebook table; :func:`award_levels` gives the AWLEVEL labels.
* ``TrendGenerator-Table-All-Years.csv``: two title lines and a blank line before the header,
  quoted numbers with thousands separators, ``N/A`` for cells that do not apply.
"""

from __future__ import annotations

import csv
import re
import zipfile
from pathlib import Path
from typing import Any, ClassVar

import numpy as np
import pandas as pd

from align import codes
from align.connector import Connector
from align.errors import InputError, LayoutError
from align_connectors._published import (
    decode,
    header_line,
    map_codes,
    read_csv_text,
    read_text,
    reject_options,
    require_columns,
    to_number,
    validate_table,
    workbook_sheets,
)

#: IPEDS AWLEVEL codes and their labels (NCES C_A documentation). Codes 1 and 9–11 belong to
#: older collections: 1 (< 1 academic year) was split into 20 and 21 from 2019-20 on. The labels
#: of the codes present in a year's ``varlist.xlsx`` (``Frequencies`` sheet) replace these when
#: :func:`award_levels` is given that codebook.
AWARD_LEVEL_LABELS: dict[str, str] = {
    "1": "Award of less than 1 academic year (before 2019-20; now codes 20 and 21)",
    "2": "Certificates of at least 1 but less than 2 years",
    "3": "Associate's degree",
    "4": "Certificates of at least 2 but less than 4 years",
    "5": "Bachelor's degree",
    "6": "Postbaccalaureate certificate",
    "7": "Master's degree",
    "8": "Post-master's certificate",
    "17": "Doctor's degree - research/scholarship",
    "18": "Doctor's degree - professional practice",
    "19": "Doctor's degree - other",
    "20": "Certificates of less than 12 weeks",
    "21": "Certificates of at least 12 weeks but less than 1 year",
}

_C_A_NAME = re.compile(r"c(\d{4})_a(_rv)?\.(csv|parquet|zip)$", re.IGNORECASE)
_C_A_YEAR = re.compile(r"c(\d{4})_a", re.IGNORECASE)
_HD_NAME = re.compile(r"hd(\d{4})(_rv)?\.(csv|zip)$", re.IGNORECASE)
_C_A_COLUMNS = ["UNITID", "CIPCODE", "MAJORNUM", "AWLEVEL", "CTOTALT"]
_HD_COLUMNS = ["UNITID", "INSTNM", "CITY", "STABBR", "FIPS", "SECTOR", "CBSA", "COUNTYCD"]
_NOT_APPLICABLE = {"", "-2", "-1", "-3"}


def award_levels(codebook: pd.DataFrame | None = None) -> pd.DataFrame:
    """The AWLEVEL code → label table, with the labels a year's codebook publishes taking over.

    ``codebook`` is the table :class:`IPEDSCodebookConnector` returns for ``varlist.xlsx``.
    """
    labels = dict(AWARD_LEVEL_LABELS)
    if codebook is not None and len(codebook):
        rows = codebook[(codebook["variable_name"] == "AWLEVEL") & codebook["code_value"].notna()]
        for code, label in zip(rows["code_value"], rows["value_label"], strict=True):
            if isinstance(label, str) and label.strip():
                labels[str(int(str(code).strip()))] = label.strip()
    order = sorted(labels, key=int)
    df = pd.DataFrame({"award_level": order, "award_label": [labels[c] for c in order]})
    return validate_table(df, "award_levels", origin="IPEDS award levels")


# --------------------------------------------------------------------------------------------
# shared readers


def _zip_member(path: Path, pattern: re.Pattern[str]) -> tuple[str, bytes]:
    """The data member of an NCES zip: the revised (``_rv``) file if present, else the first match."""
    try:
        with zipfile.ZipFile(path) as zf:
            names = [n for n in zf.namelist() if pattern.search(Path(n).name)]
            if not names:
                raise LayoutError("no IPEDS data file inside the zip", file=path,
                                  expected=f"a member named like {pattern.pattern}")
            names.sort(key=lambda n: ("_rv" not in n.lower(), n))
            return names[0], zf.read(names[0])
    except zipfile.BadZipFile as exc:
        raise InputError(f"not a readable zip: {exc}", file=path) from None


def _read_csv_text(data: bytes, *, file: str) -> pd.DataFrame:
    """An NCES CSV as text columns (codes must never pass through floats)."""
    df = read_csv_text(decode(data, file=file), file=file, na_filter=False,
                       empty="an IPEDS CSV with a header row")
    df.columns = [str(c).strip().upper() for c in df.columns]
    return df


def _year_from(path: Path, pattern: re.Pattern[str], option: Any, what: str) -> int:
    if option is not None:
        return int(option)
    m = pattern.search(path.name)
    if m:
        return int(m.group(1))
    raise InputError("cannot tell the file's year", file=path,
                     expected=f"a file named like {what}, a YEAR column, or the option year=")


def _whole_numbers(values: pd.Series, *, file: str, column: str) -> pd.Series:
    """Text counts → int64, naming the first cell that is not a whole number."""
    if pd.api.types.is_integer_dtype(values.dtype) and not values.isna().any():
        return values.astype("int64")
    text = values.astype(str).str.strip()
    num = pd.to_numeric(text, errors="coerce")
    bad = num.isna() | (num % 1 != 0)
    if bad.any():
        i = int(np.flatnonzero(bad.to_numpy())[0])
        raise InputError(f"not a whole number: {values.iloc[i]!r}", file=file, row=i + 2,
                         column=column, expected="a count (C_A files have no suppression)")
    return num.astype("int64")


def _is_xlsx(path: Path) -> bool:
    try:
        with open(path, "rb") as fh:
            return fh.read(4) == b"PK\x03\x04" and path.suffix.lower() in (".xlsx", ".xlsm")
    except OSError:
        return False


# --------------------------------------------------------------------------------------------
# completions


class IPEDSCompletionsConnector(Connector):
    """IPEDS Completions by CIP and award level (C{year}_A) → ``completions``."""

    name = "ipeds_completions"
    table = "completions"
    description = "IPEDS completions by institution, CIP and award level (C{year}_A)"
    layouts: ClassVar[str] = (
        "NCES C{year}_A CSV or zip (UNITID, CIPCODE, MAJORNUM, AWLEVEL, CTOTALT, ...), "
        "or its parquet copy with the same column names"
    )

    def sniff(self, path: Path) -> bool:
        path = Path(path)
        suffix = path.suffix.lower()
        if suffix == ".parquet":
            try:
                import pyarrow.parquet as pq

                names = set(pq.read_schema(path).names)
            except Exception:
                return False
            return set(_C_A_COLUMNS) <= {n.upper() for n in names}
        if suffix == ".zip":
            try:
                with zipfile.ZipFile(path) as zf:
                    return any(_C_A_NAME.search(Path(n).name) for n in zf.namelist())
            except (zipfile.BadZipFile, OSError):
                return False
        head = {c.strip().strip('"').upper() for c in header_line(path).split(",")}
        return set(_C_A_COLUMNS) <= head

    def parse(self, path: Path, *, year: int | None = None, majors: str = "first",
              include_totals: bool = False, **options: Any) -> pd.DataFrame:
        """Read a C_A file into completions: one row per UNITID × CIP × AWLEVEL × year.

        ``majors="first"`` (default) keeps MAJORNUM 1, which is what the CIP ``99`` totals
        count; ``majors="all"`` adds second majors into the same rows (so completers then count
        awards by major, and a person with two majors counts twice). ``include_totals=True``
        keeps the CIP ``99`` grand-total rows (for reconciliation; never sum them with programs).
        """
        path = Path(path)
        file = str(path)
        if majors not in ("first", "all"):
            raise InputError(f"unknown majors option {majors!r}", file=file, expected="'first' or 'all'")
        reject_options(options, file=file, expected="year, majors, include_totals")
        if path.suffix.lower() == ".parquet":
            try:
                df = pd.read_parquet(path)
            except Exception as exc:
                raise InputError(f"cannot read parquet: {exc}", file=file) from None
            df.columns = [str(c).strip().upper() for c in df.columns]
        elif path.suffix.lower() == ".zip":
            member, data = _zip_member(path, _C_A_NAME)
            file = f"{path}!{member}"
            df = _read_csv_text(data, file=file)
            if year is None and "YEAR" not in df.columns:
                year = _year_from(Path(member), _C_A_YEAR, None, "c2024_a.csv")
        else:
            df = _read_csv_text(path.read_bytes(), file=file)
        require_columns(df.columns, _C_A_COLUMNS, file=file)

        if year is not None:
            years = pd.Series(int(year), index=df.index)
        elif "YEAR" in df.columns:
            years = _whole_numbers(df["YEAR"], file=file, column="YEAR")
        else:
            years = pd.Series(_year_from(path, _C_A_YEAR, None, "c2024_a.csv"), index=df.index)

        cip_raw = df["CIPCODE"].astype(str).str.strip()
        cip = map_codes(cip_raw, codes.cip, file=file, column="CIPCODE")
        majornum = _whole_numbers(df["MAJORNUM"], file=file, column="MAJORNUM")
        awlevel = _whole_numbers(df["AWLEVEL"], file=file, column="AWLEVEL").astype(str)
        unknown = ~awlevel.isin(list(AWARD_LEVEL_LABELS))
        if unknown.any():
            i = int(np.flatnonzero(unknown.to_numpy())[0])
            raise InputError(f"unknown award level {awlevel.iloc[i]!r}", file=file, row=i + 2,
                             column="AWLEVEL", expected=f"one of {list(AWARD_LEVEL_LABELS)}")
        unitid = map_codes(df["UNITID"].astype(str), codes.unitid, file=file, column="UNITID")
        out = pd.DataFrame({
            "provider_id": unitid,
            "cip_code": cip,
            "award_level": awlevel,
            "year": years.astype("int64"),
            "completers": _whole_numbers(df["CTOTALT"], file=file, column="CTOTALT"),
        })
        for src, dst in (("CTOTALM", "completers_men"), ("CTOTALW", "completers_women")):
            if src in df.columns:
                out[dst] = _whole_numbers(df[src], file=file, column=src)

        keep = majornum.eq(1) if majors == "first" else majornum.isin([1, 2])
        # CIP 99 is the grand total of an institution × award level; 2-digit families would be
        # subtotals. Both double count if summed with programs.
        is_total = out["cip_code"].str.len() == 2
        if not include_totals:
            keep &= ~is_total
        out = out[keep.to_numpy()]
        if majors == "all":
            value_cols = [c for c in out.columns if c.startswith("completers")]
            out = out.groupby(["provider_id", "cip_code", "award_level", "year"], sort=False,
                              as_index=False)[value_cols].sum()
        out = out.astype({c: "float64" for c in out.columns if c.startswith("completers")})
        out["source"] = self.name
        out["vintage"] = f"C{int(out['year'].iloc[0])}_A" if len(out) and out["year"].nunique() == 1 \
            else "IPEDS C_A"
        return validate_table(out, self.table, origin=file)


# --------------------------------------------------------------------------------------------
# institution directory


class IPEDSDirectoryConnector(Connector):
    """IPEDS Institutional Characteristics Header (HD{year}) → ``providers``."""

    name = "ipeds_hd"
    table = "providers"
    description = "IPEDS institution directory (HD{year}): name, city, county, CBSA, sector"
    layouts: ClassVar[str] = "NCES HD{year} CSV or zip (UNITID, INSTNM, ..., CBSA, COUNTYCD, ...)"

    def sniff(self, path: Path) -> bool:
        path = Path(path)
        if path.suffix.lower() == ".zip":
            try:
                with zipfile.ZipFile(path) as zf:
                    return any(_HD_NAME.search(Path(n).name) for n in zf.namelist())
            except (zipfile.BadZipFile, OSError):
                return False
        head = [c.strip().strip('"').upper() for c in header_line(path).split(",")]
        return head[:2] == ["UNITID", "INSTNM"] and "COUNTYCD" in head

    def parse(self, path: Path, **options: Any) -> pd.DataFrame:
        """Providers with county/state FIPS and CBSA; ``-2``/blank codes become missing."""
        path = Path(path)
        file = str(path)
        reject_options(options, file=file, expected="none")
        name = path.name
        if path.suffix.lower() == ".zip":
            name, data = _zip_member(path, _HD_NAME)
            file = f"{path}!{name}"
        else:
            data = path.read_bytes()
        df = _read_csv_text(data, file=file)
        require_columns(df.columns, _HD_COLUMNS, file=file)

        def code_or_none(column: str, width: int) -> pd.Series:
            raw = df[column].astype(str).str.strip()
            present = ~raw.isin(_NOT_APPLICABLE)
            out = pd.Series([None] * len(raw), index=raw.index, dtype=object)
            if present.any():
                out[present] = map_codes(raw[present], lambda v: codes.fips(v, width=width),
                                             file=file, column=column)
            return out

        cbsa = df["CBSA"].astype(str).str.strip()
        out = pd.DataFrame({
            "provider_id": map_codes(df["UNITID"].astype(str), codes.unitid, file=file, column="UNITID"),
            "provider_name": df["INSTNM"].astype(str).str.strip(),
            "provider_kind": "ipeds",
            "county_fips": code_or_none("COUNTYCD", 5),
            "state_fips": code_or_none("FIPS", 2),
            "cbsa": cbsa.where(~cbsa.isin(_NOT_APPLICABLE), None),
            "city": df["CITY"].astype(str).str.strip(),
            "state_abbr": df["STABBR"].astype(str).str.strip(),
            "sector": df["SECTOR"].astype(str).str.strip(),
        })
        if "COUNTYNM" in df.columns:
            cn = df["COUNTYNM"].astype(str).str.strip()
            out["county_name"] = cn.where(~cn.isin(_NOT_APPLICABLE), None)
        if out["state_fips"].isna().any():
            i = int(np.flatnonzero(out["state_fips"].isna().to_numpy())[0])
            raise InputError("state FIPS is missing", file=file, row=i + 2, column="FIPS",
                             expected="a state FIPS code on every institution")
        out["source"] = self.name
        m = re.search(r"hd(\d{4})", Path(name).name, re.IGNORECASE)
        out["vintage"] = f"HD{m.group(1)}" if m else "IPEDS HD"
        return validate_table(out, self.table, origin=file)


# --------------------------------------------------------------------------------------------
# data dictionary (varlist.xlsx)


class IPEDSCodebookConnector(Connector):
    """The IPEDS data-file documentation workbook (``varlist.xlsx``) → ``ipeds_codebook``."""

    name = "ipeds_codebook"
    table = "ipeds_codebook"
    description = "IPEDS file documentation (varlist.xlsx): variables and their coded values"
    layouts: ClassVar[str] = "NCES *_Dict varlist.xlsx with sheets Varlist and Frequencies"

    def sniff(self, path: Path) -> bool:
        path = Path(path)
        return _is_xlsx(path) and {"Varlist", "Frequencies"} <= set(workbook_sheets(path))

    def parse(self, path: Path, **options: Any) -> pd.DataFrame:
        """One row per variable (code_value missing) plus one per coded value with its label."""
        path = Path(path)
        file = str(path)
        try:
            book = pd.ExcelFile(path)
        except Exception as exc:
            raise InputError(f"cannot open workbook: {exc}", file=file) from None
        for sheet in ("Varlist", "Frequencies"):
            if sheet not in book.sheet_names:
                raise LayoutError(f"sheet {sheet!r} not found", file=file,
                                  expected=f"sheets Varlist and Frequencies (found {book.sheet_names})")
        var = pd.read_excel(book, "Varlist", dtype=str)
        require_columns(var.columns, ["varName", "varTitle"], file=file, sheet="Varlist")
        freq = pd.read_excel(book, "Frequencies", dtype=str)
        require_columns(freq.columns, ["VarName", "CodeValue", "ValueLabel", "Frequency"],
                        file=file, sheet="Frequencies")
        vintage = None
        if "Introduction" in book.sheet_names:
            intro = pd.read_excel(book, "Introduction", header=None, dtype=str)
            for _, row in intro.iterrows():
                if str(row.iloc[0]).strip() == "Filename" and len(row) > 1:
                    vintage = str(row.iloc[1]).strip()
        titles = dict(zip(var["varName"].str.strip(), var["varTitle"].str.strip(), strict=True))
        variables = pd.DataFrame({
            "variable_name": var["varName"].str.strip(),
            "variable_title": var["varTitle"].str.strip(),
            "code_value": None,
            "value_label": None,
            "frequency": np.nan,
        })
        freq = freq[freq["VarName"].notna()]
        counts, _ = to_number(freq["Frequency"])
        values = pd.DataFrame({
            "variable_name": freq["VarName"].str.strip(),
            "variable_title": freq["VarName"].str.strip().map(titles),
            "code_value": freq["CodeValue"].astype(str).str.strip(),
            "value_label": freq["ValueLabel"].astype(str).str.strip(),
            "frequency": counts.to_numpy(),
        })
        out = pd.concat([variables, values], ignore_index=True)
        out["vintage"] = vintage
        return validate_table(out, self.table, origin=file)


# --------------------------------------------------------------------------------------------
# Trend Generator table


class IPEDSTrendConnector(Connector):
    """An IPEDS Trend Generator download (awards by level and highest degree) → ``ipeds_trend``."""

    name = "ipeds_trend"
    table = "ipeds_trend"
    description = "IPEDS Trend Generator table: awards by year, award level and highest degree offered"
    layouts: ClassVar[str] = (
        "TrendGenerator-Table-All-Years.csv: 2 title lines, a blank line, then "
        "Year,Award level,Total,<institution categories>"
    )

    def sniff(self, path: Path) -> bool:
        try:
            with open(path, "rb") as fh:
                head = fh.read(2048)
        except OSError:
            return False
        text = head.decode("utf-8", errors="replace").lstrip("\ufeff")
        return text.startswith("National Center for Education Statistics") and \
            "\nYear,Award level," in text.replace("\r", "")

    def parse(self, path: Path, **options: Any) -> pd.DataFrame:
        """Long table: year × award level × institution category, ``N/A`` missing with its reason."""
        path = Path(path)
        file = str(path)
        lines = read_text(path).splitlines()
        header_at = next((i for i, line in enumerate(lines) if line.startswith("Year,Award level")),
                         None)
        if header_at is None:
            raise LayoutError("header row not found", file=file,
                              expected="a line starting 'Year,Award level' after the title lines")
        rows = list(csv.reader(lines[header_at:]))
        header, body = rows[0], rows[1:]
        records: list[tuple[int, str, str, str]] = []
        for offset, row in enumerate(body, start=header_at + 2):
            if not any(cell.strip() for cell in row):
                continue
            if not re.fullmatch(r"\d{4}", row[0].strip()):
                if records:  # footnotes after the table
                    break
                raise InputError(f"not a year: {row[0]!r}", file=file, row=offset, column="Year",
                                 expected="a 4-digit year")
            if len(row) != len(header):
                raise InputError(f"{len(row)} cells, header has {len(header)}", file=file,
                                 row=offset, expected="one cell per header column")
            for col, value in zip(header[2:], row[2:], strict=True):
                records.append((int(row[0]), row[1].strip(), " ".join(col.split()), value))
        if not records:
            raise InputError("no data rows", file=file, expected="rows under the header")
        df = pd.DataFrame(records, columns=["year", "award_label", "highest_degree_offered", "raw"])
        value, reason = to_number(df["raw"])
        df["completers"] = value.to_numpy()
        df["completers_missing_reason"] = reason.where(
            reason != "not available", "not applicable").to_numpy()
        df.loc[df["raw"].str.strip() == "N/A", "completers_missing_reason"] = "not applicable (N/A)"
        unreadable = df["completers_missing_reason"].fillna("").str.startswith("unreadable")
        if unreadable.any():
            i = int(np.flatnonzero(unreadable.to_numpy())[0])
            raise InputError(f"not a number: {df['raw'].iloc[i]!r}", file=file,
                             column=df["highest_degree_offered"].iloc[i],
                             expected="a count, '1,234' or N/A")
        df["source"] = self.name
        return validate_table(df.drop(columns="raw"), self.table, origin=file)
