"""How numbers read in the report: one place, so a missing value is always "—", never 0 or nan."""

from __future__ import annotations

from typing import Any

import pandas as pd


def missing(v: Any) -> bool:
    return v is None or (not isinstance(v, str) and pd.isna(v))


def number(v: Any, digits: int = 0) -> str:
    return "—" if missing(v) else f"{float(v):,.{digits}f}"


def percent(v: Any) -> str:
    return "—" if missing(v) else f"{float(v):.0%}"


def money(v: Any) -> str:
    return "—" if missing(v) else f"${float(v):,.0f}"
