"""Job postings: the USAJOBS Search API and generic CSV/Parquet exports → ``postings``.

Postings are the real-time demand signal beside the projections. Two sources:

* ``usajobs`` — the USAJOBS Search API JSON (``SearchResult.SearchResultItems[]
  .MatchedObjectDescriptor``). **One row per posting**: a posting listed in several places
  ("Multiple Locations") keeps its first location in ``location_text``/``city``/``state_abbr``
  (USAJOBS lists the primary one first), all of them in ``locations`` ('; '-separated) and their
  number in ``n_locations`` — so counts of postings are not inflated by locations. Salaries
  arrive as strings (``"97738.0"``) with a ``RateIntervalCode``; dates like
  ``2022-03-25T11:18:12.4200`` become ISO dates; ``job_category`` holds the OPM occupational
  series codes (``1550``). ``fetch`` queries the API through align's shared HTTP session.
* ``postings_csv`` — licensed exports (Lightcast, NLx, LinkedIn samples): a ``columns=`` mapping
  from canonical names to the export's headers, with default guesses for common headers; UTF-8
  BOM; dates as M/D/YYYY or ISO, often empty. Where the export has no id column, the id is
  ``<file stem>:<data row>`` (stable for a given file).

``soc_code`` stays missing here: coding titles to occupations is a later stage. ``county_fips``
stays missing unless the export carries it (a city alone does not give a county).
"""

from __future__ import annotations

import json
import re
from pathlib import Path
from typing import Any, ClassVar

import numpy as np
import pandas as pd

from align.connector import Connector
from align.errors import InputError, LayoutError, UpstreamError
from align_connectors._published import (
    header_line,
    read_csv_text,
    read_text,
    reject_options,
    validate_table,
)

USAJOBS_SEARCH_URL = "https://data.usajobs.gov/api/search"

#: USPS abbreviation → (state FIPS, name), for the 50 states, DC and the territories.
STATES: dict[str, tuple[str, str]] = {
    "AL": ("01", "Alabama"), "AK": ("02", "Alaska"), "AZ": ("04", "Arizona"),
    "AR": ("05", "Arkansas"), "CA": ("06", "California"), "CO": ("08", "Colorado"),
    "CT": ("09", "Connecticut"), "DE": ("10", "Delaware"), "DC": ("11", "District of Columbia"),
    "FL": ("12", "Florida"), "GA": ("13", "Georgia"), "HI": ("15", "Hawaii"),
    "ID": ("16", "Idaho"), "IL": ("17", "Illinois"), "IN": ("18", "Indiana"),
    "IA": ("19", "Iowa"), "KS": ("20", "Kansas"), "KY": ("21", "Kentucky"),
    "LA": ("22", "Louisiana"), "ME": ("23", "Maine"), "MD": ("24", "Maryland"),
    "MA": ("25", "Massachusetts"), "MI": ("26", "Michigan"), "MN": ("27", "Minnesota"),
    "MS": ("28", "Mississippi"), "MO": ("29", "Missouri"), "MT": ("30", "Montana"),
    "NE": ("31", "Nebraska"), "NV": ("32", "Nevada"), "NH": ("33", "New Hampshire"),
    "NJ": ("34", "New Jersey"), "NM": ("35", "New Mexico"), "NY": ("36", "New York"),
    "NC": ("37", "North Carolina"), "ND": ("38", "North Dakota"), "OH": ("39", "Ohio"),
    "OK": ("40", "Oklahoma"), "OR": ("41", "Oregon"), "PA": ("42", "Pennsylvania"),
    "RI": ("44", "Rhode Island"), "SC": ("45", "South Carolina"), "SD": ("46", "South Dakota"),
    "TN": ("47", "Tennessee"), "TX": ("48", "Texas"), "UT": ("49", "Utah"),
    "VT": ("50", "Vermont"), "VA": ("51", "Virginia"), "WA": ("53", "Washington"),
    "WV": ("54", "West Virginia"), "WI": ("55", "Wisconsin"), "WY": ("56", "Wyoming"),
    "AS": ("60", "American Samoa"), "GU": ("66", "Guam"),
    "MP": ("69", "Northern Mariana Islands"), "PR": ("72", "Puerto Rico"),
    "VI": ("78", "U.S. Virgin Islands"),
}
_BY_NAME = {name.lower(): abbr for abbr, (_, name) in STATES.items()}
_BY_NAME.update({"virgin islands": "VI", "washington dc": "DC", "washington, d.c.": "DC"})


def state_abbr(text: object) -> str | None:
    """``Ohio``/``OH``/``oh`` → ``OH``; anything else (``Remote``, a country) → None."""
    if not isinstance(text, str):
        return None
    t = text.strip().rstrip(".")
    if t.upper() in STATES:
        return t.upper()
    return _BY_NAME.get(t.lower())


def split_location(text: object) -> tuple[str | None, str | None]:
    """``"Columbus, OH"`` / ``"Fort Meade, Maryland"`` → (city, state abbreviation).

    Unplaceable text (``"United States"``, ``"Greater Seattle Area"``) gives (None, None).
    """
    if not isinstance(text, str) or not text.strip():
        return None, None
    parts = [p.strip() for p in text.split(",")]
    if len(parts) >= 2:
        st = state_abbr(parts[-1])
        if st:
            return ", ".join(parts[:-1]) or None, st
        if len(parts) >= 3:  # "Columbus, OH, United States"
            st = state_abbr(parts[-2])
            if st:
                return ", ".join(parts[:-2]) or None, st
    # a bare state, or a place we cannot place in a state ("United States", "Greater Seattle
    # Area"): location_text keeps it, city and state stay missing rather than guessed
    return None, state_abbr(parts[0]) if len(parts) == 1 else None


def iso_date(values: pd.Series, *, file: str, column: str) -> pd.Series:
    """Published dates (``5/29/2024``, ``2022-03-25T11:18:12.4200``, blank) → ``YYYY-MM-DD`` or None."""
    text = values.astype("string").str.strip().fillna("")
    out = pd.Series([None] * len(text), index=text.index, dtype=object)
    iso = text.str.extract(r"^(\d{4})-(\d{2})-(\d{2})")
    us = text.str.extract(r"^(\d{1,2})/(\d{1,2})/(\d{4})$")
    has_iso = iso[0].notna()
    has_us = us[0].notna()
    out[has_iso] = iso[0] + "-" + iso[1] + "-" + iso[2]
    out[has_us] = us[2] + "-" + us[0].str.zfill(2) + "-" + us[1].str.zfill(2)
    bad = (text != "") & ~has_iso & ~has_us
    if bad.any():
        i = int(np.flatnonzero(bad.to_numpy())[0])
        raise InputError(f"not a date: {values.iloc[i]!r}", file=file, row=i + 2, column=column,
                         expected="M/D/YYYY or YYYY-MM-DD")
    checked = pd.to_datetime(out.dropna(), format="%Y-%m-%d", errors="coerce")
    if checked.isna().any():
        i = int(np.flatnonzero(out.index == checked.index[checked.isna()][0])[0])
        raise InputError(f"impossible date: {values.iloc[i]!r}", file=file, row=i + 2,
                         column=column, expected="a calendar date")
    return out


def _money(values: pd.Series, *, file: str, column: str) -> pd.Series:
    text = values.astype("string").str.strip().str.replace(r"[$,]", "", regex=True).fillna("")
    num = pd.to_numeric(text.where(text != "", None), errors="coerce")
    bad = num.isna() & (text != "")
    if bad.any():
        i = int(np.flatnonzero(bad.to_numpy())[0])
        raise InputError(f"not an amount: {values.iloc[i]!r}", file=file, row=i + 2,
                         column=column, expected="a number like 97738.0 or $97,738")
    return num.astype("float64")


# --------------------------------------------------------------------------------------------
# USAJOBS


class USAJobsConnector(Connector):
    """USAJOBS Search API responses → ``postings`` (one row per posting)."""

    name = "usajobs"
    table = "postings"
    description = "USAJOBS Search API response (federal job postings)"
    layouts: ClassVar[str] = "USAJOBS /api/search JSON: SearchResult.SearchResultItems[].MatchedObjectDescriptor"

    def sniff(self, path: Path) -> bool:
        path = Path(path)
        if path.suffix.lower() != ".json":
            return False
        try:
            with open(path, "rb") as fh:
                head = fh.read(65536).decode("utf-8", errors="replace")
        except OSError:
            return False
        return '"SearchResult"' in head and '"SearchResultItems"' in head

    def parse(self, path: Path, **options: Any) -> pd.DataFrame:
        path = Path(path)
        file = str(path)
        reject_options(options, file=file, expected="none")
        try:
            data = json.loads(read_text(path))
        except json.JSONDecodeError as exc:
            raise InputError(f"not valid JSON: {exc.msg}", file=file, row=exc.lineno) from None
        if not isinstance(data, dict) or not isinstance(data.get("SearchResult"), dict):
            raise LayoutError("no SearchResult object", file=file,
                              expected="a USAJOBS search response {'SearchResult': {...}}")
        items = data["SearchResult"].get("SearchResultItems")
        if not isinstance(items, list):
            raise LayoutError("SearchResult has no SearchResultItems list", file=file,
                              expected="SearchResult.SearchResultItems[]")
        rows = [self._row(item, i, file) for i, item in enumerate(items)]
        columns = ["posting_id", "title", "employer", "department", "location_text", "city",
                   "state_abbr", "locations", "n_locations", "posted_date", "expiry_date",
                   "salary_min", "salary_max", "salary_interval", "job_category", "url"]
        df = pd.DataFrame(rows, columns=columns)
        df["posted_date"] = iso_date(df["posted_date"], file=file, column="PublicationStartDate")
        df["expiry_date"] = iso_date(df["expiry_date"], file=file, column="ApplicationCloseDate")
        df["salary_min"] = _money(df["salary_min"], file=file, column="MinimumRange")
        df["salary_max"] = _money(df["salary_max"], file=file, column="MaximumRange")
        df["state_fips"] = df["state_abbr"].map(lambda s: STATES[s][0] if s in STATES else None)
        df["county_fips"] = None
        df["soc_code"] = None
        df["source"] = self.name
        return validate_table(df, self.table, origin=file)

    @staticmethod
    def _row(item: Any, i: int, file: str) -> dict[str, Any]:
        where = f"SearchResultItems[{i}]"
        d = item.get("MatchedObjectDescriptor") if isinstance(item, dict) else None
        if not isinstance(d, dict):
            raise LayoutError(f"{where} has no MatchedObjectDescriptor", file=file,
                              expected="MatchedObjectDescriptor with PositionID, PositionTitle")
        for key in ("PositionID", "PositionTitle"):
            if not d.get(key):
                raise LayoutError(f"{where}.MatchedObjectDescriptor lacks {key}", file=file,
                                  column=key, expected="a value")
        places = [p for p in d.get("PositionLocation") or [] if isinstance(p, dict)]
        first = places[0] if places else {}
        city, st = split_location(first.get("CityName") or first.get("LocationName"))
        st = state_abbr(first.get("CountrySubDivisionCode")) or st
        pay = (d.get("PositionRemuneration") or [{}])[0]
        categories = [str(c.get("Code")) for c in d.get("JobCategory") or [] if c.get("Code")]
        return {
            "posting_id": str(d["PositionID"]).strip(),
            "title": str(d["PositionTitle"]).strip(),
            "employer": d.get("OrganizationName"),
            "department": d.get("DepartmentName"),
            "location_text": first.get("LocationName") or d.get("PositionLocationDisplay"),
            "city": city,
            "state_abbr": st,
            "locations": "; ".join(str(p.get("LocationName")) for p in places) or None,
            "n_locations": len(places),
            "posted_date": d.get("PublicationStartDate") or d.get("PositionStartDate"),
            "expiry_date": d.get("ApplicationCloseDate") or d.get("PositionEndDate"),
            "salary_min": pay.get("MinimumRange"),
            "salary_max": pay.get("MaximumRange"),
            "salary_interval": pay.get("RateIntervalCode"),
            "job_category": ",".join(categories) or None,
            "url": d.get("PositionURI"),
        }

    def fetch(self, dest: Path, *, keyword: str | None = None, location: str | None = None,
              results_per_page: int = 500, max_pages: int = 20, email: str | None = None,
              **params: Any) -> Path:
        """Query the Search API (every page up to ``max_pages``) and save one response JSON.

        Needs ``USAJOBS_API_KEY`` and the registered e-mail (``email=`` or ``USAJOBS_EMAIL``),
        which USAJOBS requires as the User-Agent. Pages are merged into one file in the same
        layout, so ``parse`` reads it like a single response.
        """
        import os

        from align import http
        from align.store import write_text

        key = http.api_key("USAJOBS_API_KEY")
        email = email or os.environ.get("USAJOBS_EMAIL", "").strip() or None
        if not key or not email:
            raise UpstreamError("USAJOBS needs an API key (USAJOBS_API_KEY) and the e-mail it is "
                                "registered to (USAJOBS_EMAIL or email=)")
        query = {k: v for k, v in {"Keyword": keyword, "LocationName": location, **params}.items()
                 if v is not None}
        headers = {"Host": "data.usajobs.gov", "User-Agent": email, "Authorization-Key": key}
        session = http.current_session()
        items: list[Any] = []
        first: dict[str, Any] | None = None
        for page in range(1, max_pages + 1):
            response = session.get(USAJOBS_SEARCH_URL, headers=headers,
                                   params={**query, "ResultsPerPage": results_per_page,
                                           "Page": page})
            http.raise_for_status(response, what="USAJOBS search")
            try:
                body = response.json()
            except ValueError:
                raise UpstreamError("USAJOBS search answered with something other than JSON") from None
            result = body.get("SearchResult") if isinstance(body, dict) else None
            if not isinstance(result, dict):
                raise UpstreamError("USAJOBS search answer has no SearchResult")
            page_items = result.get("SearchResultItems") or []
            items += page_items
            first = first or body
            pages = int(str((result.get("UserArea") or {}).get("NumberOfPages", "1")) or 1)
            if not page_items or page >= pages:
                break
        assert first is not None
        first["SearchResult"]["SearchResultItems"] = items
        first["SearchResult"]["SearchResultCount"] = len(items)
        slug = re.sub(r"[^A-Za-z0-9]+", "-", f"{keyword or 'all'}-{location or 'us'}").strip("-")
        out = Path(dest)
        if out.suffix.lower() != ".json":
            out = out / f"usajobs_{slug.lower()}.json"
        return write_text(out, json.dumps(first, indent=2))


# --------------------------------------------------------------------------------------------
# generic CSV / Parquet exports


#: Canonical column → header names tried (case-insensitive) when no mapping is given.
DEFAULT_COLUMN_GUESSES: dict[str, list[str]] = {
    "posting_id": ["posting_id", "id", "job_id", "jobid", "posting id", "lightcast id"],
    "title": ["title", "job_title", "job title", "posting title", "title_raw", "title raw"],
    "employer": ["employer", "company", "companyname", "company_name", "employer name",
                 "employer_name", "company name"],
    "location_text": ["location", "location_text", "job location", "job_location"],
    "city": ["city", "city_name", "city name"],
    "state_abbr": ["state", "state_abbr", "state_name", "state name"],
    "county_fips": ["county_fips", "county fips", "fips", "county_code"],
    "posted_date": ["posted_date", "posted", "publishedat", "date posted", "posting date",
                    "date_posted", "post date"],
    "expiry_date": ["expiry_date", "expired", "expires", "expiration date", "close date",
                    "closing_date"],
    "salary_min": ["salary_min", "salary from", "min salary", "salary_from"],
    "salary_max": ["salary_max", "salary to", "max salary", "salary_to"],
    "job_category": ["worktype", "work_type", "job_category", "category", "function"],
    "employer_sector": ["sector", "industry", "employer_sector"],
    "url": ["url", "link", "job_url"],
}


class PostingsCSVConnector(Connector):
    """Licensed postings exports (CSV or Parquet) with a column mapping → ``postings``."""

    name = "postings_csv"
    table = "postings"
    description = "Job postings export (Lightcast, NLx, LinkedIn...) as CSV/Parquet, with columns= mapping"
    layouts: ClassVar[str] = (
        "CSV/Parquet with at least a title column and a company/employer column "
        "(e.g. title,location,publishedAt,companyName,workType,sector)"
    )

    def sniff(self, path: Path) -> bool:
        path = Path(path)
        if path.suffix.lower() != ".csv":  # parquet exports: name the source (too generic to guess)
            return False
        head = {h.strip().strip('"').lower() for h in header_line(path).split(",")}
        has_title = bool(head & {"title", "job_title", "job title", "posting title"})
        has_employer = bool(head & set(DEFAULT_COLUMN_GUESSES["employer"]))
        has_place_or_date = bool(head & (set(DEFAULT_COLUMN_GUESSES["location_text"])
                                         | set(DEFAULT_COLUMN_GUESSES["posted_date"])))
        return has_title and has_employer and has_place_or_date

    def parse(self, path: Path, *, columns: dict[str, str] | None = None,
              source: str | None = None, **options: Any) -> pd.DataFrame:
        """Map the export's columns to canonical ones (``columns={"title": "Job Title", ...}``).

        Unmapped canonical columns are guessed from common header names; ``title`` is required.
        ``source`` names the export (default: the connector name and file name).
        """
        path = Path(path)
        file = str(path)
        reject_options(options, file=file, expected="columns, source")
        if path.suffix.lower() == ".parquet":
            try:
                raw = pd.read_parquet(path).astype("string").astype(object)
            except Exception as exc:
                raise InputError(f"cannot read parquet: {exc}", file=file) from None
            raw = raw.where(raw.notna(), "")
        else:
            raw = read_csv_text(read_text(path), file=file)
        mapping = self._mapping(list(raw.columns), columns or {}, file)
        if "title" not in mapping:
            raise LayoutError("no title column", file=file,
                              expected=f"a column named one of {DEFAULT_COLUMN_GUESSES['title']} "
                                       "or columns={'title': '<header>'}")

        def col(name: str) -> pd.Series:
            if name in mapping:
                s = raw[mapping[name]].astype(str).str.strip()
                return s.where(s != "", None)
            return pd.Series([None] * len(raw), index=raw.index, dtype=object)

        df = pd.DataFrame({
            "posting_id": col("posting_id"),
            "title": col("title"),
            "employer": col("employer"),
            "location_text": col("location_text"),
        })
        missing_id = df["posting_id"].isna()
        df.loc[missing_id, "posting_id"] = [f"{path.stem}:{i + 2}" for i in
                                            np.flatnonzero(missing_id.to_numpy())]
        if df["title"].isna().any():
            i = int(np.flatnonzero(df["title"].isna().to_numpy())[0])
            raise InputError("empty title", file=file, row=i + 2, column=mapping["title"],
                             expected="a job title on every posting")
        split = df["location_text"].map(split_location)
        city = col("city")
        state = col("state_abbr").map(state_abbr) if "state_abbr" in mapping else \
            pd.Series([None] * len(df), index=df.index, dtype=object)
        df["city"] = city.where(city.notna(), split.map(lambda t: t[0]))
        df["state_abbr"] = state.where(state.notna(), split.map(lambda t: t[1]))
        df["state_fips"] = df["state_abbr"].map(lambda s: STATES[s][0] if s in STATES else None)
        df["county_fips"] = col("county_fips")
        df["posted_date"] = iso_date(col("posted_date"), file=file,
                                     column=mapping.get("posted_date", "posted_date"))
        df["expiry_date"] = iso_date(col("expiry_date"), file=file,
                                     column=mapping.get("expiry_date", "expiry_date"))
        df["salary_min"] = _money(col("salary_min"), file=file,
                                  column=mapping.get("salary_min", "salary_min"))
        df["salary_max"] = _money(col("salary_max"), file=file,
                                  column=mapping.get("salary_max", "salary_max"))
        for name in ("job_category", "employer_sector", "url"):
            if name in mapping:
                df[name] = col(name)
        df["soc_code"] = None
        df["source"] = source or f"{self.name}:{path.name}"
        return validate_table(df, self.table, origin=file)

    @staticmethod
    def _mapping(headers: list[str], given: dict[str, str], file: str) -> dict[str, str]:
        """canonical → export header: the given mapping, then guesses for what is left."""
        by_lower = {h.strip().lower(): h for h in headers}
        out: dict[str, str] = {}
        for canonical, header in given.items():
            if canonical not in DEFAULT_COLUMN_GUESSES:
                raise InputError(f"unknown canonical column {canonical!r} in columns=", file=file,
                                 expected=f"one of {sorted(DEFAULT_COLUMN_GUESSES)}")
            if header not in headers:
                raise LayoutError(f"mapped column {header!r} (for {canonical}) not in the file",
                                  file=file, column=header, expected=f"one of {headers}")
            out[canonical] = header
        used = set(out.values())
        for canonical, guesses in DEFAULT_COLUMN_GUESSES.items():
            if canonical in out:
                continue
            for g in guesses:
                if g in by_lower and by_lower[g] not in used:
                    out[canonical] = by_lower[g]
                    used.add(by_lower[g])
                    break
        return out
