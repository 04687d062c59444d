"""The Census Bureau's Alphabetical Index of Occupations (2022) as autocoder training titles.

The index lists about 34,500 titles the way survey coders meet them, each with a 2018 Census
occupation code and a 2018 SOC code. Read as published (the workbook
``Census-2022-Occupation-Index_Final.xlsx``: five title rows, then the header ``2022 Occupation
Title, 2022 Census Industry Code Restriction, 2018 Census Occupation Code, 2018 SOC Code``) or as a
CSV with those columns or their short names (``title, census_industry_restriction,
census_occupation_code_2018, soc_code_2018``).

Two things in it are not plain title → code pairs:

* **Broad and combined codes.** Where Census combines detailed occupations the SOC column holds a
  broad code (``45-4020``) or a pattern (``13-20XX``, ``51-91XX``). Such a title supports each
  detailed SOC under it (``45-4021`` … ``45-4029``; ``13-20XX``: every ``13-20..`` code), never a
  made-up code; its weight is shared among them.
  :func:`expand_codes` resolves them.
* **Industry restrictions.** Some titles hold only in listed Census industries (``6680``,
  ``8680-8690``), in every industry but some (``Exc. 6680``), or where no listed industry applies
  (``\\ Any not listed``); a code in parentheses (``(1280)``) names the industry the title is
  usually found in without restricting it. :func:`parse_restriction` reads them.
"""

from __future__ import annotations

import re
from collections.abc import Iterable
from dataclasses import dataclass
from pathlib import Path

import pandas as pd

from align.errors import InputError, LayoutError

PUBLISHED = {"2022 Occupation Title": "title",
             "2022 Census Industry Code Restriction": "census_industry_restriction",
             "2018 Census Occupation Code": "census_occupation_code_2018",
             "2018 SOC Code": "soc_code_2018"}
COLUMNS = tuple(PUBLISHED.values())
_SOC_PATTERN = re.compile(r"\d\d-[\dX]{4}")


def read_census_index(path: Path) -> pd.DataFrame:
    """The index as a table with the four columns above (all text; rows without a SOC code,
    i.e. 'See "…"' cross references, dropped). Raises naming the file when the header is absent."""
    path = Path(path)
    if not path.is_file():
        raise InputError("Census occupation index not found", file=path,
                         expected="Census-2022-Occupation-Index_Final.xlsx or a CSV of it")
    if path.suffix.lower() in {".xlsx", ".xls"}:
        raw = pd.read_excel(path, header=None, dtype=str).fillna("")
        header = next((i for i, row in raw.iterrows() if "2022 Occupation Title" in set(row)), None)
        if header is None:
            raise LayoutError("no '2022 Occupation Title' header row", file=path,
                              expected="the Census 2022 Alphabetical Index of Occupations workbook")
        df = raw.iloc[header + 1:].set_axis([str(c).strip() for c in raw.iloc[header]], axis=1)
    else:
        df = pd.read_csv(path, dtype=str, keep_default_na=False, encoding="utf-8-sig")
    df = df.rename(columns=PUBLISHED)
    missing = [c for c in COLUMNS if c not in df.columns]
    if missing:
        raise LayoutError(f"missing column(s) {missing}", file=path, column=missing[0],
                          expected=f"columns {list(PUBLISHED)} or {list(COLUMNS)}")
    df = df[list(COLUMNS)].apply(lambda c: c.astype(str).str.strip())
    bad = df["soc_code_2018"].ne("") & ~df["soc_code_2018"].str.fullmatch(_SOC_PATTERN.pattern)
    if bad.any():
        i = int(bad.idxmax())
        raise LayoutError(f"SOC code {df.at[i, 'soc_code_2018']!r} is not a SOC code or pattern",
                          file=path, row=i + 2, column="soc_code_2018", expected="e.g. 45-4021, 45-4020, 13-20XX")
    df = df[df["soc_code_2018"].ne("") & df["title"].ne("")]
    return df.reset_index(drop=True)


def _stem(pattern: str) -> str:
    """The prefix a code or pattern stands for: ``45-4020`` → ``45-402``, ``53-1000`` → ``53-1``,
    ``13-20XX`` → ``13-20``, a detailed code → itself."""
    if "X" in pattern:
        return pattern.split("X", 1)[0]
    return pattern[:3] + pattern[3:].rstrip("0")


def expand_codes(patterns: Iterable[str], detailed: Iterable[str]) -> dict[str, tuple[str, ...]]:
    """Each SOC code or pattern of the index → the detailed SOC codes it supports: every detailed
    code under it (``detailed`` is the universe: O*NET's codes and the index's own). A pattern
    that covers no known detailed code is left out (it cannot support a real code)."""
    universe = sorted({c for c in detailed if not c.endswith("0") and "X" not in c})
    out: dict[str, tuple[str, ...]] = {}
    for p in sorted(set(patterns)):
        stem = _stem(p)
        codes = (p,) if stem == p else tuple(c for c in universe if c.startswith(stem))
        if codes:
            out[p] = codes
    return out


@dataclass(frozen=True)
class Restriction:
    """Census industry codes a title holds in: ``allowed`` (empty = any), ``excluded``; ``usual``
    marks a parenthesised code (where the title is usually found, not a restriction);
    ``otherwise`` marks "\\ Any not listed" (the title's fallback where no listed industry applies)."""

    allowed: tuple[tuple[int, int], ...] = ()
    excluded: tuple[tuple[int, int], ...] = ()
    usual: bool = False
    otherwise: bool = False

    @property
    def restricted(self) -> bool:
        return bool(self.allowed or self.excluded) and not self.usual


_RANGE = re.compile(r"(\d{4})(?:\s*-\s*(\d{4}))?")


def _ranges(text: str) -> tuple[tuple[int, int], ...]:
    return tuple((int(a), int(b or a)) for a, b in _RANGE.findall(text))


def parse_restriction(text: str) -> Restriction:
    """``"8680-8690"``, ``"Exc. 6680"``, ``"0370-0490 exc. 0380"``, ``"(1280)"``, ``"#6090"``,
    ``"GOV, OWN, PR 9470"``, ``"\\ Any not listed"`` → a :class:`Restriction` (words such as class
    of worker or "Secondary school" are kept out; only the industry codes are read)."""
    text = (text or "").strip()
    if not text:
        return Restriction()
    if "any not listed" in text.lower():
        return Restriction(otherwise=True)
    usual = text.startswith("(") and text.endswith(")")
    parts = re.split(r"\bexc\.?", text, maxsplit=1, flags=re.IGNORECASE)
    allowed = _ranges(parts[0])
    excluded = _ranges(parts[1]) if len(parts) > 1 else ()
    return Restriction(allowed=allowed, excluded=excluded, usual=usual)


def index_titles(index: pd.DataFrame, detailed: Iterable[str]) -> pd.DataFrame:
    """Training rows from the index: title, soc_code (detailed), weight (1 / codes the title
    supports), restriction (text), title_source ``census``, one row per supported detailed code."""
    expansion = expand_codes(index["soc_code_2018"], detailed)
    rows = []
    for title, restriction, pattern in index[["title", "census_industry_restriction",
                                              "soc_code_2018"]].itertuples(index=False):
        codes = expansion.get(pattern, ())
        for code in codes:
            rows.append((title, code, 1.0 / len(codes), restriction))
    return pd.DataFrame(rows, columns=["title", "soc_code", "weight", "restriction"]).assign(
        title_source="census", vintage="Census 2022 Alphabetical Index")
