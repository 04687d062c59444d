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

import re
from pathlib import Path
from typing import Any, ClassVar

import numpy as np
import pandas as pd

from align import codes
from align.connector import Connector
from align.errors import InputError, LayoutError
from align_connectors._published import (
    header_line,
    map_codes,
    read_csv_text,
    read_text,
    reject_options,
    require_columns,
    validate_table,
)

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
    df = read_csv_text(read_text(path), file=file, what="a tab-delimited file",
                       empty="\t".join(header), sep="\t", na_filter=False, quoting=3)
    df.columns = [str(c).strip() for c in df.columns]
    require_columns(df.columns, header, file=file)
    return df, file


def _onet_codes(values: pd.Series, *, file: str, column: str) -> tuple[pd.Series, pd.Series]:
    """(O*NET-SOC code, 6-digit SOC) for each row, normalising distinct codes once."""
    onet = map_codes(values, codes.soc, file=file, column=column,
                     expected="an O*NET-SOC code like 11-1011.00")
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


def _fields(df: pd.DataFrame, spec: dict[str, tuple[str, str]], *, file: str
            ) -> dict[str, pd.Series]:
    """Output columns read from published ones, in ``spec`` order (so errors come in file order)."""
    out: dict[str, pd.Series] = {}
    for name, (column, kind) in spec.items():
        if kind == "text":
            out[name] = df[column].str.strip()
        elif kind == "number":
            out[name] = _numbers(df[column], file=file, column=column)
        elif kind == "n/a":
            out[name] = _na(df[column])
        elif kind == "month":
            out[name] = _month(df[column], file=file)
        else:
            raise ValueError(f"unknown O*NET field kind {kind!r}")
    return out


#: The key both Education, Training, and Experience files publish: element, scale and category.
_CATEGORY_KEY: dict[str, tuple[str, str]] = {
        "element_id": ("Element ID", "text"),
        "element_name": ("Element Name", "text"),
        "scale_id": ("Scale ID", "text"),
        "category": ("Category", "number"),
}


class _OnetConnector(Connector):
    extra_options: ClassVar[frozenset[str]] = frozenset({"vintage"})
    """An O*NET text file recognised by its exact header line."""

    header: ClassVar[list[str]]
    #: output column → (published column, how it is read: "text", "number", "n/a" or "month").
    fields: ClassVar[dict[str, tuple[str, str]]] = {}

    @property
    def layouts(self) -> str:  # type: ignore[override]
        return "O*NET text file with header " + ", ".join(self.header)

    def sniff(self, path: Path) -> bool:
        return header_line(Path(path)).split("\t") == self.header

    def _start(self, path: Path, options: dict[str, Any], header: list[str] | None = None
               ) -> tuple[pd.DataFrame, str, str | None]:
        """The file read against ``header`` (default: the class's), and its O*NET release."""
        vintage = options.pop("vintage", None)
        reject_options(options, file=path, expected="vintage")
        df, file = _read_tab(Path(path), header or self.header)
        return df, file, onet_vintage(Path(path), vintage)

    def parse(self, path: Path, **options: Any) -> pd.DataFrame:
        """The O*NET-SOC code columns (when the file has them), the columns with checks of their
        own, then :attr:`fields`, then the vintage — read in that order, so the first error is
        the one the file's columns would meet first."""
        df, file, vintage = self._start(path, options)
        out = pd.DataFrame({**self._codes(df, file), **self._checked(df, file),
                            **_fields(df, self.fields, file=file), "vintage": vintage})
        return validate_table(out, self.table, origin=file)

    def _codes(self, df: pd.DataFrame, file: str) -> dict[str, pd.Series]:
        if "O*NET-SOC Code" not in self.header:
            return {}
        onet, soc = _onet_codes(df["O*NET-SOC Code"], file=file, column="O*NET-SOC Code")
        return {"onet_soc_code": onet, "soc_code": soc}

    def _checked(self, df: pd.DataFrame, file: str) -> dict[str, pd.Series]:
        """Columns read with a check :attr:`fields` cannot express (none by default)."""
        return {}


class OnetOccupationsConnector(_OnetConnector):
    name = "onet_occupations"
    table = "onet_occupations"
    description = "O*NET Occupation Data: O*NET-SOC codes, titles and descriptions"
    header: ClassVar[list[str]] = ["O*NET-SOC Code", "Title", "Description"]
    fields: ClassVar[dict[str, tuple[str, str]]] = {
        "occupation_title": ("Title", "text"),
        "occupation_description": ("Description", "text"),
    }


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
        reported = "Reported Job Title" in header_line(path).split("\t")
        df, file, vintage = self._start(path, options,
                                        self.reported_header if reported else self.header)
        own = self._codes(df, file)
        if reported:
            out = pd.DataFrame({**own,
                                "title": df["Reported Job Title"].str.strip(),
                                "title_source": "reported", "short_title": None,
                                "title_source_codes": None,
                                "in_my_next_move": _na(df["Shown in My Next Move"])})
        else:
            out = pd.DataFrame({**own,
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
    fields: ClassVar[dict[str, tuple[str, str]]] = {
        "relatedness_tier": ("Relatedness Tier", "text"),
        "relatedness_index": ("Index", "number"),
    }

    def _checked(self, df: pd.DataFrame, file: str) -> dict[str, pd.Series]:
        rel, rel_soc = _onet_codes(df["Related O*NET-SOC Code"], file=file,
                                   column="Related O*NET-SOC Code")
        return {"related_onet_soc_code": rel, "related_soc_code": rel_soc}


class OnetJobZonesConnector(_OnetConnector):
    name = "onet_job_zones"
    table = "onet_job_zones"
    description = "O*NET Job Zones (1-5) per occupation"
    header: ClassVar[list[str]] = ["O*NET-SOC Code", "Job Zone", "Date", "Domain Source"]
    fields: ClassVar[dict[str, tuple[str, str]]] = {
        "onet_date": ("Date", "month"),
        "domain_source": ("Domain Source", "text"),
    }

    def _checked(self, df: pd.DataFrame, file: str) -> dict[str, pd.Series]:
        zone = _numbers(df["Job Zone"], file=file, column="Job Zone")
        if zone.isna().any() or not zone.between(1, 5).all():
            i = int(np.flatnonzero((zone.isna() | ~zone.between(1, 5)).to_numpy())[0])
            raise InputError(f"job zone {df['Job Zone'].iloc[i]!r}", file=file, row=i + 2,
                             column="Job Zone", expected="1 to 5")
        return {"job_zone": zone}


class OnetJobZoneReferenceConnector(_OnetConnector):
    name = "onet_job_zone_reference"
    table = "onet_job_zone_reference"
    description = "O*NET Job Zone Reference: what each job zone means"
    header: ClassVar[list[str]] = ["Job Zone", "Name", "Experience", "Education", "Job Training",
                                   "Examples", "SVP Range"]
    fields: ClassVar[dict[str, tuple[str, str]]] = {
        "job_zone": ("Job Zone", "number"),
        "job_zone_name": ("Name", "text"),
        "job_zone_experience": ("Experience", "text"),
        "job_zone_education": ("Education", "text"),
        "job_zone_training": ("Job Training", "text"),
        "job_zone_examples": ("Examples", "text"),
        "svp_range": ("SVP Range", "text"),
    }


class OnetEducationConnector(_OnetConnector):
    """One row per occupation × element × scale × category; ``n/a`` statistics missing."""

    name = "onet_education"
    table = "onet_education"
    description = "O*NET Education, Training, and Experience ratings (category distributions)"
    header: ClassVar[list[str]] = [
        "O*NET-SOC Code", "Element ID", "Element Name", "Scale ID", "Category", "Data Value", "N",
        "Standard Error", "Lower CI Bound", "Upper CI Bound", "Recommend Suppress", "Date",
        "Domain Source"]
    fields: ClassVar[dict[str, tuple[str, str]]] = {
        **_CATEGORY_KEY,
        "sample_size": ("N", "number"),
        "standard_error": ("Standard Error", "number"),
        "ci_lower": ("Lower CI Bound", "number"),
        "ci_upper": ("Upper CI Bound", "number"),
        "recommend_suppress": ("Recommend Suppress", "n/a"),
        "onet_date": ("Date", "month"),
        "domain_source": ("Domain Source", "text"),
    }

    def _checked(self, df: pd.DataFrame, file: str) -> dict[str, pd.Series]:
        value = _numbers(df["Data Value"], file=file, column="Data Value")
        if value.isna().any():
            i = int(np.flatnonzero(value.isna().to_numpy())[0])
            raise InputError("missing data value", file=file, row=i + 2, column="Data Value",
                             expected="a number")
        return {"data_value": value}


class OnetEducationCategoriesConnector(_OnetConnector):
    name = "onet_education_categories"
    table = "onet_education_categories"
    description = "O*NET Education, Training, and Experience Categories: category labels per scale"
    header: ClassVar[list[str]] = ["Element ID", "Element Name", "Scale ID", "Category",
                                   "Category Description"]
    fields: ClassVar[dict[str, tuple[str, str]]] = {
        **_CATEGORY_KEY,
        "category_description": ("Category Description", "text"),
    }


class OnetScalesConnector(_OnetConnector):
    name = "onet_scales"
    table = "onet_scales"
    description = "O*NET Scales Reference: scale ids, names and ranges"
    header: ClassVar[list[str]] = ["Scale ID", "Scale Name", "Minimum", "Maximum"]
    fields: ClassVar[dict[str, tuple[str, str]]] = {
        "scale_id": ("Scale ID", "text"),
        "scale_name": ("Scale Name", "text"),
        "scale_minimum": ("Minimum", "number"),
        "scale_maximum": ("Maximum", "number"),
    }


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
        reject_options(options, file=file, expected="none")
        lines = [line.strip() for line in read_text(path).splitlines()]
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
