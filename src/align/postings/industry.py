"""A record's industry (NAICS) as the Census industry codes the occupation index restricts by.

The Census Alphabetical Index restricts some titles to Census industry codes (4-digit, e.g.
``6680``, ``8680-8690``); postings, employer surveys and participant records carry NAICS. The
table below is the sector structure of the Census Bureau's 2022 Census Industry Code List (each
NAICS sector is a contiguous block of Census codes; the list's headings), with the NAICS
subsectors whose Census blocks the index's restrictions most often separate (hospitals, nursing
and residential care, schools, restaurants). It is deliberately coarse: a NAICS code is placed in
its subsector block where listed, else its sector block, so a restriction to a single Census
industry inside a sector is honoured at sector level only.
"""

from __future__ import annotations

import re

#: NAICS prefix → Census 2022 industry code ranges (inclusive). Longest prefix wins.
NAICS_TO_CENSUS: dict[str, tuple[tuple[int, int], ...]] = {
    "11": ((170, 290),),        # agriculture, forestry, fishing and hunting
    "21": ((370, 490),),        # mining, quarrying, oil and gas extraction
    "22": ((570, 690),),        # utilities
    "23": ((770, 770),),        # construction
    "31": ((1070, 3990),), "32": ((1070, 3990),), "33": ((1070, 3990),),  # manufacturing
    "42": ((4070, 4590),),      # wholesale trade
    "44": ((4670, 5790),), "45": ((4670, 5790),),  # retail trade
    "48": ((6070, 6390),), "49": ((6070, 6390),),  # transportation and warehousing
    "51": ((6470, 6781),),      # information
    "52": ((6870, 6992),),      # finance and insurance
    "53": ((7071, 7190),),      # real estate, rental and leasing
    "54": ((7270, 7490),),      # professional, scientific and technical services
    "55": ((7570, 7570),),      # management of companies and enterprises
    "56": ((7580, 7790),),      # administrative and support and waste management
    "61": ((7860, 7890),),      # educational services
    "6111": ((7860, 7860),),    # elementary and secondary schools
    "6112": ((7870, 7870),), "6113": ((7870, 7870),),  # colleges, universities
    "62": ((7970, 8470),),      # health care and social assistance
    "621": ((7970, 8180),),     # ambulatory health care
    "622": ((8191, 8192),),     # hospitals
    "623": ((8270, 8290),),     # nursing and residential care
    "624": ((8370, 8470),),     # social assistance
    "71": ((8561, 8590),),      # arts, entertainment and recreation
    "72": ((8660, 8690),),      # accommodation and food services
    "721": ((8660, 8670),),     # accommodation
    "722": ((8680, 8690),),     # food services and drinking places
    "81": ((8770, 9290),),      # other services, except public administration
    "92": ((9370, 9590),),      # public administration
}


def census_ranges(naics: object) -> tuple[tuple[int, int], ...]:
    """The Census industry code block(s) of a NAICS code (``"622110"`` → ``((8191, 8192),)``);
    empty when the code is missing or not NAICS (then industry does not steer the coder)."""
    digits = re.sub(r"\D", "", str(naics)) if isinstance(naics, str | int) else ""
    if isinstance(naics, str) and re.fullmatch(r"\s*\d\d\s*-\s*\d\d\s*", naics):
        digits = digits[:2]  # a published sector range such as 31-33 or 44-45
    for width in range(min(len(digits), 4), 1, -1):
        found = NAICS_TO_CENSUS.get(digits[:width])
        if found:
            return found
    return ()


def overlaps(a: tuple[tuple[int, int], ...], b: tuple[tuple[int, int], ...]) -> bool:
    return any(lo <= hi2 and lo2 <= hi for lo, hi in a for lo2, hi2 in b)


def covered(inner: tuple[tuple[int, int], ...], outer: tuple[tuple[int, int], ...]) -> bool:
    """Every code block of ``inner`` lies inside one block of ``outer``."""
    return bool(inner) and all(any(lo2 <= lo and hi <= hi2 for lo2, hi2 in outer) for lo, hi in inner)
