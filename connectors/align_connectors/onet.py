"""O*NET database text files (tab-delimited release, e.g. ``db_27_0_text``) → O*NET tables.

Pathways need O*NET's related occupations, job zones and education requirements; the matcher's
title search needs the alternate and reported titles. Every table keeps the O*NET-SOC code as
published (``11-1011.03``) in ``onet_soc_code`` and adds ``soc_code`` rolled up to the 6-digit
SOC 2018 code (``11-1011``) for joins with BLS tables — several O*NET codes share one SOC.

Each file is recognised by its header line, so file names (which contain spaces and commas)
do not matter. ``n/a`` cells become missing; dates ``07/2014`` become ``2014-07``. The release
(``O*NET 27.0``) is read from the folder name ``db_27_0_text`` or given as ``vintage=``.
``Read Me.txt`` is parsed deliberately into a one-row ``onet_release`` table (release, licence).
"""

from __future__ import annotations

import io
import re
from pathlib import Path
from typing import Any, ClassVar

import numpy as np
import pandas as pd

from align import codes
from align.connector import Connector
from align.errors import CodeError, InputError, LayoutError
from align_connectors._published import decode, header_line, require_columns, validate_table

_DB_FOLDER = re.compile(r"db_(\d+)_(\d+)_text", re.IGNORECASE)


def onet_vintage(path: Path, option: str | None = None) -> str | None:
    """``O*NET 27.0`` from a ``db_27_0_text`` folder in the path (or the given option)."""
    if option:
        return option
    for part in reversed(Path(path).resolve().parts):
        m = _DB_FOLDER.fullmatch(part) or _DB_FOLDER.search(part)
        if m:
            return f"O*NET {int(m.group(1))}.{int(m.group(2))}"
    return None


def _read_tab(path: Path, header: list[str]) -> tuple[pd.DataFrame, str]:
    """A tab-delimited O*NET file as text columns, checked against its published header."""
    file = str(path)
    text = decode(Path(path).read_bytes(), file=file)
    if not text.strip():
        raise InputError("the file is empty", file=file, expected="\t".join(header))
    try:
        df = pd.read_csv(io.StringIO(text), sep="\t", dtype=str, keep_default_na=False,
                         na_filter=False, quoting=3)
    except (pd.errors.ParserError, ValueError) as exc:
        raise InputError(f"cannot read as a tab-delimited file: {exc}", file=file) from None
    df.columns = [str(c).strip() for c in df.columns]
    require_columns(df.columns, header, file=file)
    return df, file


def _onet_codes(values: pd.Series, *, file: str, column: str) -> tuple[pd.Series, pd.Series]:
    """(O*NET-SOC code, 6-digit SOC) for each row, normalising distinct codes once."""
    full: dict[str, str] = {}
    for u in pd.unique(values):
        try:
            code = codes.soc(u)
        except CodeError as exc:
            i = int(np.flatnonzero((values == u).to_numpy())[0])
            raise CodeError(exc.detail, file=file, row=i + 2, column=column,
                            expected="an O*NET-SOC code like 11-1011.00") from None
        full[u] = code
    onet = values.map(full)
    return onet, onet.str.slice(0, 7)


def _na(values: pd.Series) -> pd.Series:
    """O*NET's ``n/a`` (and blank) → missing."""
    text = values.astype(str).str.strip()
    return text.where(~text.isin(["n/a", "N/A", ""]), None)


def _numbers(values: pd.Series, *, file: str, column: str) -> pd.Series:
    text = _na(values)
    num = pd.to_numeric(text, errors="coerce")
    bad = num.isna() & text.notna()
    if bad.any():
        i = int(np.flatnonzero(bad.to_numpy())[0])
        raise InputError(f"not a number: {values.iloc[i]!r}", file=file, row=i + 2, column=column,
                         expected="a number or n/a")
    return num


def _month(values: pd.Series, *, file: str) -> pd.Series:
    """``07/2014`` → ``2014-07``."""
    text = values.astype(str).str.strip()
    parts = text.str.extract(r"^(\d{1,2})/(\d{4})$")
    bad = parts[0].isna() & (text != "")
    if bad.any():
        i = int(np.flatnonzero(bad.to_numpy())[0])
        raise InputError(f"not a month: {text.iloc[i]!r}", file=file, row=i + 2, column="Date",
                         expected="MM/YYYY")
    return (parts[1] + "-" + parts[0].str.zfill(2)).where(parts[0].notna(), None)


class _OnetConnector(Connector):
    """An O*NET text file recognised by its exact header line."""

    header: ClassVar[list[str]]

    @property
    def layouts(self) -> str:  # type: ignore[override]
        return "O*NET text file with header " + ", ".join(self.header)

    def sniff(self, path: Path) -> bool:
        return header_line(Path(path)).split("\t") == self.header

    def _start(self, path: Path, options: dict[str, Any]) -> tuple[pd.DataFrame, str, str | None]:
        vintage = options.pop("vintage", None)
        if options:
            raise InputError(f"unknown option(s) {sorted(options)}", file=path, expected="vintage")
        df, file = _read_tab(Path(path), self.header)
        return df, file, onet_vintage(Path(path), vintage)


class OnetOccupationsConnector(_OnetConnector):
    name = "onet_occupations"
    table = "onet_occupations"
    description = "O*NET Occupation Data: O*NET-SOC codes, titles and descriptions"
    header: ClassVar[list[str]] = ["O*NET-SOC Code", "Title", "Description"]

    def parse(self, path: Path, **options: Any) -> pd.DataFrame:
        df, file, vintage = self._start(path, options)
        onet, soc = _onet_codes(df["O*NET-SOC Code"], file=file, column="O*NET-SOC Code")
        out = pd.DataFrame({"onet_soc_code": onet, "soc_code": soc,
                            "occupation_title": df["Title"].str.strip(),
                            "occupation_description": df["Description"].str.strip(),
                            "vintage": vintage})
        return validate_table(out, self.table, origin=file)


class OnetTitlesConnector(_OnetConnector):
    """Alternate Titles and Sample of Reported Titles → one ``onet_titles`` table."""

    name = "onet_titles"
    table = "onet_titles"
    description = "O*NET Alternate Titles and Sample of Reported Titles (title_source says which)"
    header: ClassVar[list[str]] = ["O*NET-SOC Code", "Alternate Title", "Short Title", "Source(s)"]
    reported_header: ClassVar[list[str]] = ["O*NET-SOC Code", "Reported Job Title",
                                            "Shown in My Next Move"]

    @property
    def layouts(self) -> str:  # type: ignore[override]
        return ("O*NET Alternate Titles (" + ", ".join(self.header) + ") or Sample of Reported "
                "Titles (" + ", ".join(self.reported_header) + ")")

    def sniff(self, path: Path) -> bool:
        return header_line(Path(path)).split("\t") in (self.header, self.reported_header)

    def parse(self, path: Path, **options: Any) -> pd.DataFrame:
        path = Path(path)
        vintage = onet_vintage(path, options.pop("vintage", None))
        if options:
            raise InputError(f"unknown option(s) {sorted(options)}", file=path, expected="vintage")
        reported = "Reported Job Title" in header_line(path).split("\t")
        df, file = _read_tab(path, self.reported_header if reported else self.header)
        onet, soc = _onet_codes(df["O*NET-SOC Code"], file=file, column="O*NET-SOC Code")
        if reported:
            out = pd.DataFrame({"onet_soc_code": onet, "soc_code": soc,
                                "title": df["Reported Job Title"].str.strip(),
                                "title_source": "reported", "short_title": None,
                                "title_source_codes": None,
                                "in_my_next_move": _na(df["Shown in My Next Move"])})
        else:
            out = pd.DataFrame({"onet_soc_code": onet, "soc_code": soc,
                                "title": df["Alternate Title"].str.strip(),
                                "title_source": "alternate",
                                "short_title": _na(df["Short Title"]),
                                "title_source_codes": _na(df["Source(s)"]),
                                "in_my_next_move": None})
        out["vintage"] = vintage
        return validate_table(out, self.table, origin=file)


class OnetRelatedConnector(_OnetConnector):
    name = "onet_related"
    table = "onet_related"
    description = "O*NET Related Occupations (tier and rank) for career pathways"
    header: ClassVar[list[str]] = ["O*NET-SOC Code", "Related O*NET-SOC Code", "Relatedness Tier",
                                   "Index"]

    def parse(self, path: Path, **options: Any) -> pd.DataFrame:
        df, file, vintage = self._start(path, options)
        onet, soc = _onet_codes(df["O*NET-SOC Code"], file=file, column="O*NET-SOC Code")
        rel, rel_soc = _onet_codes(df["Related O*NET-SOC Code"], file=file,
                                   column="Related O*NET-SOC Code")
        out = pd.DataFrame({"onet_soc_code": onet, "soc_code": soc,
                            "related_onet_soc_code": rel, "related_soc_code": rel_soc,
                            "relatedness_tier": df["Relatedness Tier"].str.strip(),
                            "relatedness_index": _numbers(df["Index"], file=file, column="Index"),
                            "vintage": vintage})
        return validate_table(out, self.table, origin=file)


class OnetJobZonesConnector(_OnetConnector):
    name = "onet_job_zones"
    table = "onet_job_zones"
    description = "O*NET Job Zones (1-5) per occupation"
    header: ClassVar[list[str]] = ["O*NET-SOC Code", "Job Zone", "Date", "Domain Source"]

    def parse(self, path: Path, **options: Any) -> pd.DataFrame:
        df, file, vintage = self._start(path, options)
        onet, soc = _onet_codes(df["O*NET-SOC Code"], file=file, column="O*NET-SOC Code")
        zone = _numbers(df["Job Zone"], file=file, column="Job Zone")
        if zone.isna().any() or not zone.between(1, 5).all():
            i = int(np.flatnonzero((zone.isna() | ~zone.between(1, 5)).to_numpy())[0])
            raise InputError(f"job zone {df['Job Zone'].iloc[i]!r}", file=file, row=i + 2,
                             column="Job Zone", expected="1 to 5")
        out = pd.DataFrame({"onet_soc_code": onet, "soc_code": soc, "job_zone": zone,
                            "onet_date": _month(df["Date"], file=file),
                            "domain_source": df["Domain Source"].str.strip(), "vintage": vintage})
        return validate_table(out, self.table, origin=file)


class OnetJobZoneReferenceConnector(_OnetConnector):
    name = "onet_job_zone_reference"
    table = "onet_job_zone_reference"
    description = "O*NET Job Zone Reference: what each job zone means"
    header: ClassVar[list[str]] = ["Job Zone", "Name", "Experience", "Education", "Job Training",
                                   "Examples", "SVP Range"]

    def parse(self, path: Path, **options: Any) -> pd.DataFrame:
        df, file, vintage = self._start(path, options)
        out = pd.DataFrame({"job_zone": _numbers(df["Job Zone"], file=file, column="Job Zone"),
                            "job_zone_name": df["Name"].str.strip(),
                            "job_zone_experience": df["Experience"].str.strip(),
                            "job_zone_education": df["Education"].str.strip(),
                            "job_zone_training": df["Job Training"].str.strip(),
                            "job_zone_examples": df["Examples"].str.strip(),
                            "svp_range": df["SVP Range"].str.strip(), "vintage": vintage})
        return validate_table(out, self.table, origin=file)


class OnetEducationConnector(_OnetConnector):
    name = "onet_education"
    table = "onet_education"
    description = "O*NET Education, Training, and Experience ratings (category distributions)"
    header: ClassVar[list[str]] = [
        "O*NET-SOC Code", "Element ID", "Element Name", "Scale ID", "Category", "Data Value", "N",
        "Standard Error", "Lower CI Bound", "Upper CI Bound", "Recommend Suppress", "Date",
        "Domain Source"]

    def parse(self, path: Path, **options: Any) -> pd.DataFrame:
        """One row per occupation × element × scale × category; ``n/a`` statistics missing."""
        df, file, vintage = self._start(path, options)
        onet, soc = _onet_codes(df["O*NET-SOC Code"], file=file, column="O*NET-SOC Code")
        value = _numbers(df["Data Value"], file=file, column="Data Value")
        if value.isna().any():
            i = int(np.flatnonzero(value.isna().to_numpy())[0])
            raise InputError("missing data value", file=file, row=i + 2, column="Data Value",
                             expected="a number")
        out = pd.DataFrame({
            "onet_soc_code": onet, "soc_code": soc,
            "element_id": df["Element ID"].str.strip(),
            "element_name": df["Element Name"].str.strip(),
            "scale_id": df["Scale ID"].str.strip(),
            "category": _numbers(df["Category"], file=file, column="Category"),
            "data_value": value,
            "sample_size": _numbers(df["N"], file=file, column="N"),
            "standard_error": _numbers(df["Standard Error"], file=file, column="Standard Error"),
            "ci_lower": _numbers(df["Lower CI Bound"], file=file, column="Lower CI Bound"),
            "ci_upper": _numbers(df["Upper CI Bound"], file=file, column="Upper CI Bound"),
            "recommend_suppress": _na(df["Recommend Suppress"]),
            "onet_date": _month(df["Date"], file=file),
            "domain_source": df["Domain Source"].str.strip(),
            "vintage": vintage,
        })
        return validate_table(out, self.table, origin=file)


class OnetEducationCategoriesConnector(_OnetConnector):
    name = "onet_education_categories"
    table = "onet_education_categories"
    description = "O*NET Education, Training, and Experience Categories: category labels per scale"
    header: ClassVar[list[str]] = ["Element ID", "Element Name", "Scale ID", "Category",
                                   "Category Description"]

    def parse(self, path: Path, **options: Any) -> pd.DataFrame:
        df, file, vintage = self._start(path, options)
        out = pd.DataFrame({"element_id": df["Element ID"].str.strip(),
                            "element_name": df["Element Name"].str.strip(),
                            "scale_id": df["Scale ID"].str.strip(),
                            "category": _numbers(df["Category"], file=file, column="Category"),
                            "category_description": df["Category Description"].str.strip(),
                            "vintage": vintage})
        return validate_table(out, self.table, origin=file)


class OnetScalesConnector(_OnetConnector):
    name = "onet_scales"
    table = "onet_scales"
    description = "O*NET Scales Reference: scale ids, names and ranges"
    header: ClassVar[list[str]] = ["Scale ID", "Scale Name", "Minimum", "Maximum"]

    def parse(self, path: Path, **options: Any) -> pd.DataFrame:
        df, file, vintage = self._start(path, options)
        out = pd.DataFrame({"scale_id": df["Scale ID"].str.strip(),
                            "scale_name": df["Scale Name"].str.strip(),
                            "scale_minimum": _numbers(df["Minimum"], file=file, column="Minimum"),
                            "scale_maximum": _numbers(df["Maximum"], file=file, column="Maximum"),
                            "vintage": vintage})
        return validate_table(out, self.table, origin=file)


class OnetReadMeConnector(Connector):
    """O*NET ``Read Me.txt`` → the release it describes (version, month, licence), one row."""

    name = "onet_readme"
    table = "onet_release"
    description = "O*NET database Read Me: release name and licence (recorded, not data)"
    layouts: ClassVar[str] = "O*NET Read Me.txt starting 'O*NET <version> Database'"
    _TITLE = re.compile(r"^O\*NET (\d+\.\d+) Database\s*$")

    def sniff(self, path: Path) -> bool:
        return bool(self._TITLE.match(header_line(Path(path))))

    def parse(self, path: Path, **options: Any) -> pd.DataFrame:
        path = Path(path)
        file = str(path)
        if options:
            raise InputError(f"unknown option(s) {sorted(options)}", file=file, expected="none")
        lines = [line.strip() for line in decode(path.read_bytes(), file=file).splitlines()]
        m = self._TITLE.match(lines[0]) if lines else None
        if not m:
            raise LayoutError("not an O*NET Read Me", file=file, row=1,
                              expected="a first line 'O*NET <version> Database'")
        release = lines[1] if len(lines) > 1 and lines[1].endswith("Release") else None
        if release is None:
            raise LayoutError("release line not found", file=file, row=2,
                              expected="a line like 'August 2022 Release'")
        licence = next((line for line in lines if "licensed under" in line), None)
        if licence:
            lm = re.search(r"licensed under (?:an? |the )?(.*?License)", licence)
            licence = lm.group(1).strip() if lm else licence
        out = pd.DataFrame({"vintage": [f"O*NET {m.group(1)}"], "release": [release],
                            "license": [licence], "source": [self.name]})
        return validate_table(out, self.table, origin=file)
