"""Normalisers for the classification codes: SOC, CIP, NAICS and FIPS.

Codes are identifiers, not numbers: ``01.0101`` read as a float becomes ``1.0101`` and the
CIP family is lost. Every normaliser takes text as published — Excel formula quoting
(``="01.0101"``), stray spaces, an apostrophe prefix, a UTF-8 BOM — and returns the canonical
string, or raises :class:`~align.errors.CodeError`. Floats are refused outright.
"""

from __future__ import annotations

import math
import re
from collections.abc import Callable, Iterable

import pandas as pd

from align.errors import CodeError

_EXCEL_FORMULA = re.compile(r'^="(.*)"$')
_SOC = re.compile(r"^(\d{2})-?(\d{4})(?:\.(\d{2}))?$")
_CIP = re.compile(r"^(\d{2})(?:\.(\d{2})(\d{2})?)?$")
_NAICS = re.compile(r"^(\d{2,6})(?:-(\d{2}))?$")
_FIPS = re.compile(r"^\d{1,5}$")
_WHOLE_NUMBER_TEXT = re.compile(r"^(\d+)\.0+$")  # "99001.0": an identifier that went through a float
_UNITID = re.compile(r"^\d{1,7}$")
_QCEW_AREA = re.compile(r"^(US000|US[A-Z]{3}|C\d{4}|CS\d{3})$")


def _clean(value: object, kind: str) -> str:
    """Strip the wrappers published files put around codes; refuse numbers."""
    if isinstance(value, bool) or value is None:
        raise CodeError(f"{kind} code is missing or not text: {value!r}", expected=f"a {kind} code as text")
    if isinstance(value, float):
        if math.isnan(value):
            raise CodeError(f"{kind} code is missing", expected=f"a {kind} code as text")
        raise CodeError(
            f"{kind} code {value!r} arrived as a float; its leading zeros may already be lost",
            expected=f"a {kind} code read as text (dtype=str)",
        )
    text = str(value).replace("\ufeff", "").strip()
    match = _EXCEL_FORMULA.match(text)
    if match:
        text = match.group(1).strip()
    text = text.lstrip("'").strip().strip('"').strip()
    if not text:
        raise CodeError(f"{kind} code is empty", expected=f"a {kind} code")
    return text


def _whole(text: str) -> str:
    """``99001.0`` → ``99001``: a whole-number identifier a spreadsheet wrote as a float.

    Only for codes that are whole numbers (FIPS, UNITID, QCEW ownership); the padding that
    follows restores what the float dropped, as for a plain ``1089``.
    """
    m = _WHOLE_NUMBER_TEXT.match(text)
    return m.group(1) if m else text


def soc(value: object) -> str:
    """``151252``, ``15-1252``, ``="15-1252"``, ``' 29-1141`` → ``15-1252``.

    O*NET-SOC codes (``11-1011.03``) keep their suffix; use :func:`soc_from_onet` to roll up.
    """
    text = _clean(value, "SOC")
    m = _SOC.match(text)
    if not m:
        raise CodeError(f"not a SOC code: {text!r}", expected="NN-NNNN, e.g. 15-1252")
    base = f"{m.group(1)}-{m.group(2)}"
    return f"{base}.{m.group(3)}" if m.group(3) else base


def soc_from_onet(value: object) -> str:
    """Roll an O*NET-SOC code up to its 6-digit SOC: ``11-1011.03`` → ``11-1011``."""
    return soc(value).split(".")[0]


def cip(value: object) -> str:
    """``="01.0101"``, ``01.0101``, ``51.38`` → canonical CIP text (2, 4 or 6 digits).

    A code without its leading zero (``1.0101``) is rejected: it has been through a number,
    and ``1.0101`` versus ``10.101`` cannot be told apart any more.
    """
    text = _clean(value, "CIP")
    m = _CIP.match(text)
    if not m:
        raise CodeError(
            f"not a CIP code: {text!r}",
            expected="NN, NN.NN or NN.NNNN with leading zeros, e.g. 01.0101",
        )
    family, series, detail = m.groups()
    if series is None:
        return family
    return f"{family}.{series}{detail or ''}"


def naics(value: object) -> str:
    """NAICS as published: 2–6 digits or a sector range (``31-33``, ``48-49``, ``44-45``)."""
    text = _clean(value, "NAICS")
    if not _NAICS.match(text):
        raise CodeError(f"not a NAICS code: {text!r}", expected="2 to 6 digits or a range like 31-33")
    return text


def fips(value: object, width: int = 5) -> str:
    """State (``width=2``) or county (``width=5``) FIPS, zero-padded: ``1089`` → ``01089``.

    Only whole numbers stored as text are padded; anything else is an error.
    """
    text = _whole(_clean(value, "FIPS"))
    if not _FIPS.match(text) or len(text) > width:
        raise CodeError(f"not a {width}-digit FIPS code: {text!r}", expected=f"up to {width} digits")
    return text.zfill(width)


def state_fips(value: object) -> str:
    return fips(value, width=2)


def unitid(value: object) -> str:
    """IPEDS UNITID as digits: ``100654``, ``="100654"``, ``100654.0`` → ``100654``."""
    text = _whole(_clean(value, "UNITID"))
    if not _UNITID.match(text):
        raise CodeError(f"not a UNITID: {text!r}", expected="the institution's digits, e.g. 100654")
    return text


def whole_code(value: object, kind: str = "code") -> str:
    """A code published as a small whole number (QCEW own_code, agglvl_code, size_code)."""
    text = _whole(_clean(value, kind))
    if not text.isdigit():
        raise CodeError(f"not a {kind}: {text!r}", expected="digits")
    return text


def qcew_area(value: object) -> str:
    """A QCEW area code: county or state FIPS (``39049``, ``39000``), ``US000``, MSA ``C1814``,
    CSA ``CS198``. A county code re-saved as ``39049.0`` or ``="39049"`` is normalised."""
    text = _whole(_clean(value, "QCEW area")).upper()
    if _FIPS.match(text):
        return text.zfill(5)
    if not _QCEW_AREA.match(text):
        raise CodeError(f"not a QCEW area code: {text!r}",
                        expected="a 5-digit FIPS, US000, C#### (MSA) or CS### (CSA)")
    return text


def normalise_column(
    series: pd.Series,
    normaliser: Callable[[object], str],
    *,
    file: str | None = None,
    column: str | None = None,
    first_row: int = 1,
) -> pd.Series:
    """Apply a normaliser to a column, naming the file/row/column of the first bad value.

    Normalises each distinct value once (published columns repeat codes heavily, and every
    region of a run validates the same occupation codes again): the normalisers are pure, so
    what one gave is kept for the process (:data:`_NORMALISED`). A bad value is never kept.
    ``first_row`` is the 1-based file row of the Series' first element, for messages.
    """
    values = series.tolist()
    cache = _NORMALISED.setdefault(normaliser, {})
    if len(cache) > _NORMALISED_KEPT:
        cache.clear()
    out: list[str] = []
    for i, v in enumerate(values):
        key = (type(v), v) if not isinstance(v, float) else (float, repr(v))
        if key not in cache:
            try:
                cache[key] = normaliser(v)
            except CodeError as exc:
                raise CodeError(
                    exc.detail, file=file, row=first_row + i, column=column or series.name,
                    expected=exc.expected,
                ) from None
        out.append(cache[key])
    return pd.Series(out, index=series.index, name=series.name, dtype=object)


_NORMALISED: dict[Callable[[object], str], dict[object, str]] = {}
_NORMALISED_KEPT = 1_000_000
"""Distinct values kept per normaliser at most (then it starts afresh)."""


def soc_major(code: str) -> str:
    """The 2-digit major group of a SOC code: ``29-1141`` → ``29-0000``."""
    return f"{code[:2]}-0000"


def cip_series(code: str) -> str:
    """The 4-digit series of a CIP code: ``51.3801`` → ``51.38``."""
    return code[:5]


def is_detailed_soc(code: str) -> bool:
    """Detailed SOC occupations do not end in 0 (``11-1011``); summary rows do (``11-1000``)."""
    return bool(_SOC.match(code)) and not code.endswith("0")


def sort_codes(codes: Iterable[str]) -> list[str]:
    return sorted(set(codes))
