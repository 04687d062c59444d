"""State labour departments' own QCEW exports → area_industry_employment.

States publish the same QCEW (ES-202) counts BLS does, but in their own layouts, for areas BLS
does not publish (labour market regions, workforce investment regions) and often for more years.
A state's export is described here as data — a :class:`StateLayout` (header, area types,
industry codes, the county name → FIPS table) — and one function, :func:`to_area_industry`,
turns the canonical columns into the ``area_industry_employment`` table the BLS QCEW connector
emits, with BLS's conventions, so the demand stage reads both alike:

- ownership folded into industry codes becomes ``own_code`` (``00`` → ``0`` total, ``01`` → ``5``
  private, ``95`` → ``8`` all government, ``951``/``952``/``953`` → ``1``/``2``/``3``) with
  ``naics_code`` ``10`` (all industries) on the totals, as BLS writes them;
- sector ranges written as their first code become BLS's ranges (``31`` → ``31-33``);
- ``agglvl_code`` follows BLS's last digit (0 total, 1 by ownership, 4 sector, 5 three-digit) so
  ``regional_industry_employment`` picks sectors the same way; its first digit is the BLS level of
  the area type (7 county, 5 state, 4 metro/micro), or 9 for a state-defined region;
- counties get their 5-digit FIPS (``src/align/data/county_fips.csv``: U.S. Census Bureau county
  FIPS codes); the state gets ``SS000``; other areas, which have no federal code, get
  ``SS-<type>-<name>`` (``36-lma-finger-lakes-region``), with ``area_type`` and ``area_title`` as
  published.

Confidential cells are **left out as rows** in these exports. Absence is not zero: where a
parent (total, private total, a sector, all government) holds more jobs or establishments than
its published children account for, beyond rounding, every child that the same file publishes
for some area under that parent but not for this one is emitted with employment missing,
``is_suppressed`` True and the unaccounted remainder in ``missing_reason``. Children of a
suppressed parent are suppressed too. Where the parent is fully accounted for, an absent child
has no establishments and, as in BLS's files, no row.

Adding a state: write its :class:`StateLayout`, a three-line connector class naming it, an
entry point in ``pyproject.toml``, its counties in ``county_fips.csv``, and a fixture.
"""

from __future__ import annotations

import csv
import io
import re
from dataclasses import dataclass, field
from functools import cache
from importlib.resources import files
from pathlib import Path
from typing import Any, ClassVar

import numpy as np
import pandas as pd

from align import schemas
from align.connector import Connector
from align.errors import CodeError, InputError, LayoutError
from align_connectors._published import (
    decode,
    existing_file,
    header_line,
    parse_numbers,
    reject_options,
    require_columns,
)

# canonical columns a layout's header maps to
CANONICAL = ("area_type", "area_title", "industry", "industry_title", "year", "establishments",
             "employment", "total_wages", "avg_annual_pay")


@dataclass(frozen=True)
class AreaType:
    """How one published area type is keyed: its code prefix and BLS aggregation level digit."""

    code: str  # "county" and "state" get FIPS codes; anything else prefixes the area name
    level: str  # first digit of agglvl_code


COUNTY, STATE = "county", "state"


@dataclass(frozen=True)
class StateLayout:
    """One state's QCEW export, as data: everything that differs between states lives here."""

    name: str  # the connector name, e.g. "qcew_ny"
    state_fips: str
    publisher: str
    header: tuple[str, ...]  # the published header, in order
    columns: dict[str, str]  # published column → canonical column (see CANONICAL)
    area_types: dict[str, AreaType]
    # industry codes that carry ownership: published code → (own_code, naics_code, agglvl last digit)
    ownership_codes: dict[str, tuple[str, str, str]]
    # children of the ownership codes (every other code's parent follows from its digits)
    ownership_parents: dict[str, str]
    private_total: str  # parent of the 2-digit sectors
    sector_ranges: dict[str, str] = field(default_factory=dict)  # "31" → "31-33"
    industry_pattern: str = r"\d{2,3}"

    def sector(self, code: str) -> str:
        """The published 2-digit sector a code belongs to (``32x`` → ``31``)."""
        two = code[:2]
        for first, rng in self.sector_ranges.items():
            lo, hi = rng.split("-")
            if lo <= two <= hi:
                return first
        return two


NEW_YORK = StateLayout(
    name="qcew_ny",
    state_fips="36",
    publisher="New York State Department of Labor, QCEW annual data",
    header=("AREATYPE", "AREA", "NAICS", "TITLE", "YEAR", "ESTAB", "AVGEMP", "TOTWAGE", "ANNAVGSAL"),
    columns={"AREATYPE": "area_type", "AREA": "area_title", "NAICS": "industry",
             "TITLE": "industry_title", "YEAR": "year", "ESTAB": "establishments",
             "AVGEMP": "employment", "TOTWAGE": "total_wages", "ANNAVGSAL": "avg_annual_pay"},
    area_types={
        "State": AreaType(STATE, "5"),
        "County": AreaType(COUNTY, "7"),
        "Metropolitan Statistical Area": AreaType("msa", "4"),
        "Metropolitan Division": AreaType("md", "4"),
        "Micropolitan Statistical Area": AreaType("micro", "4"),
        "Labor Market Area": AreaType("lma", "9"),
        "Workforce Investment Region": AreaType("wir", "9"),
        "Balance of State": AreaType("bos", "9"),
    },
    ownership_codes={"00": ("0", "10", "0"), "01": ("5", "10", "1"), "95": ("8", "10", "1"),
                     "951": ("1", "10", "1"), "952": ("2", "10", "1"), "953": ("3", "10", "1")},
    ownership_parents={"01": "00", "95": "00", "951": "95", "952": "95", "953": "95"},
    private_total="01",
    sector_ranges={"31": "31-33", "44": "44-45", "48": "48-49"},
)


@cache
def county_fips(state_fips: str) -> dict[str, str]:
    """County name as published (``St. Lawrence County``) → 5-digit FIPS, for one state."""
    table = pd.read_csv(files("align.data").joinpath("county_fips.csv"), dtype=str,
                        keep_default_na=False)
    table = table[table["state_fips"] == state_fips]
    return dict(zip(table["county_name"], table["county_fips"], strict=True))


def _slug(text: str) -> str:
    return re.sub(r"[^a-z0-9]+", "-", text.lower()).strip("-")


def read_export(text: str, layout: StateLayout, origin: str) -> pd.DataFrame:
    """A state export's text → its canonical columns (codes as text, numbers as floats)."""
    first = text.split("\n", 1)[0].rstrip("\r")
    header = tuple(c.strip() for c in next(csv.reader([first]), []))
    require_columns(list(header), list(layout.header), file=origin)
    try:
        raw = pd.read_csv(io.StringIO(text), dtype=str, keep_default_na=False)
    except (pd.errors.ParserError, ValueError) as exc:
        raise LayoutError(f"not readable as CSV: {str(exc).strip()}", file=origin,
                          expected=f"the {layout.publisher} comma-separated export") from None
    raw.columns = [str(c).strip() for c in raw.columns]
    tail = text.rstrip("\r\n").rsplit("\n", 1)[-1].rstrip("\r") if len(raw) else ""
    if tail and len(next(csv.reader([tail]), [])) < len(header):
        raise LayoutError(f"last row has fewer than {len(header)} fields (file truncated?)",
                          file=origin, row=len(raw) + 1, expected=f"{len(header)} fields")
    out = pd.DataFrame({canon: raw[col] for col, canon in layout.columns.items()})
    for col in ("area_type", "area_title", "industry", "industry_title"):
        out[col] = out[col].str.strip()  # the NY export ends every TITLE with a tab
    for col, canon in layout.columns.items():
        if canon in ("year", "establishments", "employment", "total_wages", "avg_annual_pay"):
            out[canon] = parse_numbers(raw[col], file=origin, column=col)
    bad = ~out["industry"].str.fullmatch(layout.industry_pattern)
    if bad.any():
        i = int(np.flatnonzero(bad.to_numpy())[0])
        col = next(c for c, k in layout.columns.items() if k == "industry")
        raise CodeError(f"not an industry code: {raw[col].iloc[i]!r}", file=origin, row=i + 2,
                        column=col, expected=f"NAICS as text ({layout.industry_pattern})")
    if out["year"].isna().any():
        i = int(np.flatnonzero(out["year"].isna().to_numpy())[0])
        raise InputError("year is missing", file=origin, row=i + 2, column="YEAR", expected="a year")
    return out


def to_area_industry(canon: pd.DataFrame, layout: StateLayout, origin: str) -> pd.DataFrame:
    """Canonical state-export columns → ``area_industry_employment`` in BLS's conventions."""
    unknown = ~canon["area_type"].isin(list(layout.area_types))
    if unknown.any():
        i = int(np.flatnonzero(unknown.to_numpy())[0])
        raise InputError(f"unknown area type {canon['area_type'].iloc[i]!r}", file=origin, row=i + 2,
                         column="area_type", expected=", ".join(layout.area_types))
    area = _area_codes(canon, layout, origin)
    published = canon.assign(area_fips=area)
    table = pd.concat([published.assign(is_suppressed=False, missing_reason=None),
                       _hidden_children(published, layout)], ignore_index=True)
    industry = table["industry"]
    owned = industry.map(lambda c: layout.ownership_codes.get(c))
    is_owned = owned.notna()
    own_code = np.where(is_owned, owned.str[0], "5")
    naics = np.where(is_owned, owned.str[1],
                     industry.map(lambda c: layout.sector_ranges.get(c, c)))
    last = np.where(is_owned, owned.str[2], np.where(industry.str.len() == 2, "4", "5"))
    level = table["area_type"].map({k: v.level for k, v in layout.area_types.items()})
    year = table["year"].astype("int64")
    out = pd.DataFrame({
        "area_fips": table["area_fips"].to_numpy(),
        "own_code": own_code,
        "naics_code": naics,
        "industry_title": table["industry_title"].to_numpy(),
        "agglvl_code": (level + last).to_numpy(),
        "size_code": "0",
        "period": year.to_numpy(),
        "qtr": "A",
        "employment": table["employment"].to_numpy(dtype=float),
        "establishments": table["establishments"].to_numpy(dtype=float),
        "total_wages": table["total_wages"].to_numpy(dtype=float),
        "is_suppressed": table["is_suppressed"].to_numpy(dtype=bool),
        "avg_annual_pay": table["avg_annual_pay"].to_numpy(dtype=float),
        "disclosure_code": None,
        "missing_reason": table["missing_reason"].to_numpy(dtype=object),
        "area_type": table["area_type"].to_numpy(),
        "area_title": table["area_title"].to_numpy(),
        "industry_published": industry.to_numpy(),
        "source": layout.name,
        "vintage": ("QCEW " + year.astype(str) + " annual averages").to_numpy(),  # the publisher is the source
    })
    out = out.sort_values(["period", "area_fips", "own_code", "agglvl_code", "naics_code"],
                          kind="stable")
    return schemas.validate(out, "area_industry_employment", origin=origin)


def _area_codes(canon: pd.DataFrame, layout: StateLayout, origin: str) -> np.ndarray:
    kinds = canon["area_type"].map({k: v.code for k, v in layout.area_types.items()})
    names = canon["area_title"]
    codes = (layout.state_fips + "-" + kinds + "-" + names.map(_slug)).to_numpy(dtype=object)
    codes[(kinds == STATE).to_numpy()] = layout.state_fips + "000"
    is_county = (kinds == COUNTY).to_numpy()
    fips = names[is_county].map(county_fips(layout.state_fips))
    if fips.isna().any():
        i = int(np.flatnonzero(is_county)[int(np.flatnonzero(fips.isna().to_numpy())[0])])
        raise InputError(f"unknown county {names.iloc[i]!r}", file=origin, row=i + 2,
                         column="area_title",
                         expected=f"a county of state {layout.state_fips} as named in county_fips.csv")
    codes[is_county] = fips.to_numpy()
    return codes


def _parent(code: str, layout: StateLayout) -> str | None:
    if code in layout.ownership_parents:
        return layout.ownership_parents[code]
    if code in layout.ownership_codes:
        return None  # the grand total
    return layout.private_total if len(code) == 2 else layout.sector(code)


def _hidden_children(published: pd.DataFrame, layout: StateLayout) -> pd.DataFrame:
    """Rows for children left out as confidential: missing values, flagged, never zero.

    A parent whose published children leave more jobs or establishments than rounding allows
    (half a unit per rounded part) shows that some absent child exists. Absent children of a
    suppressed parent are suppressed as well.
    """
    codes = published["industry"].drop_duplicates()
    parent_of = {c: _parent(c, layout) for c in codes}
    children: dict[str, list[str]] = {}
    for c, p in parent_of.items():
        if p is not None:
            children.setdefault(p, []).append(c)
    depth = {p: _depth(p, parent_of) for p in children}
    order = sorted(children, key=lambda p: (depth[p], p))  # each parent after its own parent
    titles = published.drop_duplicates("industry").set_index("industry")["industry_title"]
    keys = ["area_type", "area_title", "area_fips", "year"]
    rows = []
    for key, group in published.groupby(keys, sort=False):
        present = dict(zip(group["industry"], zip(group["employment"], group["establishments"],
                                                   strict=True), strict=True))
        hidden: dict[str, str] = {}
        for parent in order:
            kids = [c for c in children[parent] if c not in present]
            if not kids:
                continue
            if parent in hidden:
                reason = f"not published; its parent {parent} is itself not published"
            elif parent in present:
                shown = [present[c] for c in children[parent] if c in present]
                jobs = present[parent][0] - sum(v[0] for v in shown)
                estabs = present[parent][1] - sum(v[1] for v in shown)
                slack = (len(shown) + 1) / 2
                if not (jobs > slack or estabs > slack):
                    continue  # the parent is accounted for: the absent children are empty
                reason = (f"not published (confidential); {parent} has {jobs:,.0f} jobs in "
                          f"{estabs:,.0f} establishments not in its published parts, shared among "
                          f"{len(kids)} unpublished part(s)")
            else:
                continue  # no parent row: nothing says the children exist
            hidden.update(dict.fromkeys(kids, reason))
        for code, reason in hidden.items():
            rows.append({**dict(zip(keys, key, strict=True)), "industry": code,
                         "industry_title": titles.get(code), "is_suppressed": True,
                         "missing_reason": reason})
    columns = [*keys, "industry", "industry_title", "establishments", "employment", "total_wages",
               "avg_annual_pay", "is_suppressed", "missing_reason"]
    return pd.DataFrame(rows, columns=columns).astype(
        {c: float for c in ("year", "establishments", "employment", "total_wages", "avg_annual_pay")})


def _depth(code: str, parent_of: dict[str, str | None]) -> int:
    parent = parent_of.get(code)
    return 0 if parent is None else 1 + _depth(parent, parent_of)


class StateQCEWConnector(Connector):
    """A state's QCEW export; subclasses name their :class:`StateLayout`."""

    layout: ClassVar[StateLayout]
    table: ClassVar[str] = "area_industry_employment"

    def sniff(self, path: Path) -> bool:
        cols = tuple(c.strip().strip('"') for c in header_line(path).split(","))
        return cols == self.layout.header

    def parse(self, path: Path, **options: Any) -> pd.DataFrame:
        """Parse one year's export into ``area_industry_employment``."""
        path = existing_file(path)
        reject_options(options, file=path, expected="no options")
        text = decode(path.read_bytes(), file=path)
        canon = read_export(text, self.layout, str(path))
        if canon.empty:
            raise LayoutError("no data rows", file=path, expected="at least one row after the header")
        return to_area_industry(canon, self.layout, str(path))


class NewYorkQCEWConnector(StateQCEWConnector):
    layout: ClassVar[StateLayout] = NEW_YORK
    name: ClassVar[str] = "qcew_ny"
    description: ClassVar[str] = ("New York State DOL QCEW annual export (qcew_annual_YEAR.txt): state, "
                                  "counties, labour market and workforce regions, metro areas")
    layouts: ClassVar[str] = ('CSV with header "AREATYPE","AREA","NAICS","TITLE","YEAR","ESTAB","AVGEMP",'
                              '"TOTWAGE","ANNAVGSAL" (no FIPS; ownership folded into NAICS 00/01/95x)')
