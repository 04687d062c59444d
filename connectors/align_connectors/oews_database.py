"""OEWS estimates from BLS's OE time-series database (the ``oe.data`` flat files), one row per cell.

BLS publishes every OEWS estimate a second time as time series: a series id
``OEU`` + area type (``N``/``S``/``M``) + area (7) + industry (6) + occupation (6) + datatype (2).
Extracts of that database (such as ``oews_may2025_ohio_areas_cross_industry.csv``, built from
``oe.data.0.Current``, ``oe.area`` and ``oe.occupation``) hold one row per area × industry ×
occupation with the 17 datatypes side by side:

``series_prefix, area_code, areatype_code, area_name, industry_code, occupation_code,
occupation_name, display_level, v01_Employment, ..., v17_Location Quotient, f01, ..., f17``

Every value is text as in the flat file; ``-`` means no published value, and the matching ``fNN``
column says why (BLS footnote codes: ``8`` estimate not released, ``4`` hourly-only or annual-only
occupation, ``5`` wage at or above the top code). Occupations whose employment BLS suppresses are
simply absent. The rows become ``occupation_employment`` exactly as the ``oews`` connector reads
``state_M20xx_dl.xlsx`` / ``MSA_M20xx_dl.xlsx``: the same estimates, the same ``geography`` codes
(MSA ``0018140`` → ``18140``, state ``3900000`` → ``39``, nonmetropolitan ``3900001`` as published),
so a region controlled to one is controlled to the other.
"""

from __future__ import annotations

import re
from pathlib import Path
from typing import Any, ClassVar

import numpy as np
import pandas as pd

from align import codes
from align.connector import Connector
from align.errors import InputError, LayoutError
from align.schemas import validate
from align_connectors._published import (
    existing_file,
    header_line,
    map_codes,
    read_csv_text,
    read_text,
    reject_options,
    require_columns,
)
from align_connectors.oews import TOP_CODES, soc_vintage

KEYS = ["area_code", "areatype_code", "area_name", "industry_code", "occupation_code",
        "occupation_name", "display_level"]
# datatype → canonical column (hourly?) ; 02 employment RSE, 05 wage RSE (not kept), 16, 17 below
WAGES: dict[str, tuple[str, bool]] = {
    "03": ("wage_hourly_mean", True), "04": ("wage_annual_mean", False),
    "06": ("wage_hourly_p10", True), "07": ("wage_hourly_p25", True), "08": ("wage_hourly_median", True),
    "09": ("wage_hourly_p75", True), "10": ("wage_hourly_p90", True),
    "11": ("wage_annual_p10", False), "12": ("wage_annual_p25", False), "13": ("wage_annual_median", False),
    "14": ("wage_annual_p75", False), "15": ("wage_annual_p90", False),
}
# BLS OE footnote codes (oe.footnote) that mark a missing value, in words
FOOTNOTES = {
    "4": "wage published only as hourly or only as annual for this occupation",
    "5": "at or above the top-coded value",
    "8": "estimate not released",
}
_LEVELS = {"0": "major", "1": "minor", "2": "broad", "3": "detailed"}
_YEAR = re.compile(r"(?:may|m)[_-]?(20\d{2})", re.I)


def geography(area_code: str, areatype: str) -> str:
    """The database's 7-digit area code in the form the OEWS xlsx files publish it in ``AREA``."""
    if areatype == "N":
        return "99"
    if areatype == "S" and area_code.endswith("00000"):
        return area_code[:2]
    if areatype == "M" and area_code.startswith("00"):
        return area_code[2:]
    return area_code


def _value_columns(header: list[str]) -> dict[str, str]:
    """Datatype (``01``..``17``) → the header's value column (``v01_Employment``...)."""
    found = {m.group(1): c for c in header for m in [re.match(r"v(\d{2})(_|$)", c)] if m}
    return found


class OEWSDatabaseConnector(Connector):
    name: ClassVar[str] = "oews_database"
    table: ClassVar[str] = "occupation_employment"
    description: ClassVar[str] = ("BLS OEWS estimates from the OE time-series database (oe.data flat files): "
                                  "cross-industry employment and wages by area and occupation")
    layouts: ClassVar[str] = ("CSV extract, one row per area x industry x occupation: series_prefix, area_code, "
                              "areatype_code, area_name, industry_code, occupation_code, occupation_name, "
                              "display_level, v01_Employment..v17_Location Quotient, f01..f17 (values as text, "
                              "'-' = not published, reason in fNN)")

    def sniff(self, path: Path) -> bool:
        try:
            head = [c.strip().strip('"') for c in header_line(path).split(",")]
        except Exception:
            return False
        return all(k in head for k in KEYS) and "v01_Employment" in head and "f01" in head

    def parse(self, path: Path, *, year: int | None = None, **options: Any) -> pd.DataFrame:
        """Parse an OE database extract; ``year`` (the May reference year) defaults to the file name's."""
        path = existing_file(path)
        reject_options(options, file=path, expected="year=")
        year = year or _year_of(path)
        if year is None:
            raise InputError("cannot tell the May reference year from the file name", file=path,
                             expected="a name with the release, e.g. oews_may2025_..., or year=")
        raw = read_csv_text(read_text(path), file=path, what="an OE database extract", empty="OEWS rows")
        require_columns(list(raw.columns), KEYS, file=path)
        values = _value_columns(list(raw.columns))
        missing = [f"v{d}" for d in ("01", "02", *WAGES) if d not in values]
        missing += [f"f{d}" for d in ("01", *WAGES) if f"f{d}" not in raw.columns]
        if missing:
            raise LayoutError(f"missing column(s) {missing}", file=path,
                              expected="v01_Employment..v17_Location Quotient and f01..f17")
        industry = raw["industry_code"].str.strip()
        if (industry != "000000").any():
            i = int(np.flatnonzero((industry != "000000").to_numpy())[0])
            raise LayoutError(f"industry-specific row (industry_code {industry.iloc[i]!r})", file=path,
                              row=i + 2, column="industry_code",
                              expected="cross-industry rows only (industry_code 000000)")
        occ = raw["occupation_code"].str.strip()
        soc = map_codes(occ.where(occ != "000000", "00-0000"), codes.soc, file=path, column="occupation_code")
        level = raw["display_level"].str.strip()
        bad = ~level.isin(list(_LEVELS))
        if bad.any():
            i = int(np.flatnonzero(bad.to_numpy())[0])
            raise InputError(f"display_level {level.iloc[i]!r} is not known", file=path, row=i + 2,
                             column="display_level", expected="0 (major), 1, 2 or 3 (detailed)")
        group = level.map(_LEVELS).where(soc != "00-0000", "total")

        def number(datatype: str) -> tuple[pd.Series, pd.Series]:
            return _numbers(raw, values[datatype], raw.get(f"f{datatype}"), path)

        employment, emp_reason = number("01")
        out = pd.DataFrame({
            "geography": [geography(a.strip(), t.strip()) for a, t in zip(raw["area_code"], raw["areatype_code"],
                                                                         strict=True)],
            "soc_code": soc,
            "occupation_title": raw["occupation_name"].str.strip(),
            "o_group": group,
            "employment": employment,
            "period": int(year),
            "soc_vintage": soc_vintage(int(year)),
            "area_title": raw["area_name"].str.strip(),
            "employment_missing_reason": emp_reason,
            "employment_rse": number("02")[0],
            "jobs_per_1000": number("16")[0] if "16" in values else np.nan,
            "location_quotient": number("17")[0] if "17" in values else np.nan,
        })
        bounds = TOP_CODES.get(int(year))
        for datatype, (name, hourly) in WAGES.items():
            wage, reason = number(datatype)
            out[name] = wage
            out[f"{name}_missing_reason"] = reason
            top = reason == FOOTNOTES["5"]
            out[f"{name}_top_code"] = np.where(top, (bounds[0] if hourly else bounds[1]) if bounds else np.nan,
                                               np.nan)
        only = FOOTNOTES["4"]
        out["annual_only"] = (out["wage_hourly_mean_missing_reason"] == only).to_numpy()
        out["hourly_only"] = (out["wage_annual_mean_missing_reason"] == only).to_numpy()
        out["is_suppressed"] = out["employment"].isna().to_numpy()
        out["source"] = self.name
        out["vintage"] = f"OEWS May {year} (OE database)"
        return validate(out, self.table, origin=str(path))


def _year_of(path: Path) -> int | None:
    m = _YEAR.search(path.name)
    return int(m.group(1)) if m else None


def _numbers(raw: pd.DataFrame, column: str, flags: pd.Series | None, path: Path) -> tuple[pd.Series, pd.Series]:
    """(values, reason): ``-`` is missing with its footnote's meaning; anything else must be a number."""
    text = raw[column].str.strip()
    values = pd.to_numeric(text.where(~text.isin(["-", ""])), errors="coerce")
    odd = values.isna() & ~text.isin(["-", ""])
    if odd.any():
        i = int(np.flatnonzero(odd.to_numpy())[0])
        raise InputError(f"not a number: {text.iloc[i]!r}", file=path, row=i + 2, column=column,
                         expected="a number, or '-' with its reason in the footnote column")
    code = (flags if flags is not None else pd.Series("", index=raw.index)).str.strip()
    reason = code.map(lambda c: FOOTNOTES.get(c, f"footnote {c}" if c else "not published"))
    return values.astype("float64"), reason.where(values.isna(), None).astype(object)
