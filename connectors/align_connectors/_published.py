"""Reading helpers for the quirks publishers share: encodings, markers, numbers as text.

Kept in one place so every connector treats ``—``, ``**``, ``"1,234.5"`` and a Mac Roman file
the same way.
"""

from __future__ import annotations

import re
from pathlib import Path

import numpy as np
import pandas as pd

from align.errors import InputError

# Markers publishers put in numeric cells, with what they mean. A marked cell is missing, and
# the marker is kept as the reason.
MISSING_MARKERS: dict[str, str] = {
    "*": "not available",
    "**": "employment estimate not released",
    "***": "estimate removed for reporting or processing errors",
    "#": "at or above the top-coded value",
    "~": "under 0.5 percent of establishments reporting",
    "—": "not available",
    "–": "not available",
    "-": "not available",
    "N/A": "not available",
    "n/a": "not available",
    "NA": "not available",
    "(D)": "withheld to avoid disclosing data of individual employers",
    "(NA)": "not available",
    "(S)": "withheld: does not meet publication standards",
    "(X)": "not applicable",
    "N": "withheld for confidentiality",
    "": "blank",
}
# Markers that say the publisher knows the value but withheld it (is_suppressed), as opposed
# to "not available" or a blank, which say nothing about why the value is missing.
SUPPRESSION_MARKERS = frozenset({"**", "***", "(D)", "(S)", "N"})


def marker_meaning(text: object) -> str | None:
    """The meaning of a publisher's marker (``**``, ``(D)``, ``—``, ...), or None for anything else."""
    if not isinstance(text, str):
        return None
    stripped = text.strip()
    return MISSING_MARKERS.get(stripped) if stripped else None


def check_row_widths(text: str, *, file: str | Path, delimiter: str = ",", header_row: int = 1) -> None:
    """Refuse a file with a short (or long) row, or one that ends inside a quoted field.

    A download cut short, or a record half written when the file was copied, parses into a row
    whose last cells are blank, which reads as real data: it is an error naming the row.
    ``header_row`` is the 1-based line of the header; rows before it are not checked.
    """
    import csv
    import io

    from align.errors import LayoutError

    if text.count('"') % 2:  # an opened quote never closed: the file stops inside a field
        line = text.count("\n", 0, text.rfind('"')) + 1
        raise LayoutError("the file ends inside a quoted field (cut short?)", file=file, row=line,
                          expected="complete, properly quoted records")
    reader = csv.reader(io.StringIO(text), delimiter=delimiter)
    width = None
    try:
        for fields in reader:
            if reader.line_num < header_row:
                continue
            if width is None:
                width = len(fields)
                continue
            if not fields or fields == [""]:
                continue  # a blank line (trailing newline) is not a record
            if len(fields) != width:
                what = "cut short?" if len(fields) < width else "a stray delimiter?"
                raise LayoutError(f"row has {len(fields)} of the header's {width} fields ({what})",
                                  file=file, row=reader.line_num,
                                  expected=f"{width} fields separated by {delimiter!r}")
    except csv.Error as exc:
        raise LayoutError(f"unreadable record ({exc}); the file may end mid-record", file=file,
                          row=reader.line_num, expected="complete, properly quoted records") from None

_NUMBER_TEXT = re.compile(r"^[+-]?(\d{1,3}(,\d{3})+|\d+)?(\.\d+)?$")


def decode(data: bytes, *, file: str | Path | None = None) -> str:
    """Decode a published text file: UTF-8 (with or without BOM), then Windows-1252, then Mac Roman.

    Mac Roman is chosen over Windows-1252 when the bytes look like Mac Roman's em dash (0xD1)
    standing alone between delimiters, which is how BLS web tables mark missing values.
    """
    if data.startswith(b"\xef\xbb\xbf"):
        return data[3:].decode("utf-8")
    try:
        return data.decode("utf-8")
    except UnicodeDecodeError:
        pass
    if re.search(rb"(^|[,\t])\xd1(?=[,\t\r\n])", data, flags=re.M):
        return data.decode("mac_roman")
    try:
        return data.decode("cp1252")
    except UnicodeDecodeError as exc:
        raise InputError(f"cannot decode text at byte {exc.start}", file=file,
                         expected="UTF-8, Windows-1252 or Mac Roman text") from None


def read_text(path: Path) -> str:
    return decode(Path(path).read_bytes(), file=path)


def to_number(values: pd.Series) -> tuple[pd.Series, pd.Series]:
    """Published numbers (``"1,234.5"``, ``12``, ``**``) → (float values, missing-reason).

    Marked or blank cells become NaN with the marker's meaning as the reason; a cell that is
    neither a number nor a known marker is left NaN with reason ``unreadable: <text>``.
    """
    out = np.full(len(values), np.nan)
    reason = np.full(len(values), None, dtype=object)
    for i, v in enumerate(values.tolist()):
        if v is None or (isinstance(v, float) and np.isnan(v)):
            reason[i] = "blank"
            continue
        if isinstance(v, (int, float, np.integer, np.floating)) and not isinstance(v, bool):
            out[i] = float(v)
            continue
        text = str(v).strip()
        if text in MISSING_MARKERS:
            reason[i] = MISSING_MARKERS[text]
        elif _NUMBER_TEXT.match(text) and any(ch.isdigit() for ch in text):
            out[i] = float(text.replace(",", ""))
        else:
            reason[i] = f"unreadable: {text}"
    return (pd.Series(out, index=values.index, name=values.name),
            pd.Series(reason, index=values.index, name=f"{values.name}_missing_reason"))


def require_columns(columns: list[str] | pd.Index, needed: list[str], *, file: str | Path,
                    sheet: str | None = None) -> None:
    """Name the missing columns when an upstream layout changed, instead of a KeyError later."""
    have = {str(c).strip() for c in columns}
    missing = [c for c in needed if c not in have]
    if missing:
        from align.errors import LayoutError

        raise LayoutError(f"missing column(s) {missing}", file=file, sheet=sheet,
                          expected=f"the published header with {needed}")


def header_line(path: Path, *, size: int = 4096) -> str:
    """The first line of a text file (BOM and CR removed), for cheap layout sniffing.

    Reads only ``size`` bytes and never raises: an unreadable file sniffs as ``""``.
    """
    try:
        with open(path, "rb") as fh:
            data = fh.read(size)
    except OSError:
        return ""
    if data.startswith(b"\xef\xbb\xbf"):
        data = data[3:]
    line = data.split(b"\n", 1)[0].rstrip(b"\r")
    try:
        return line.decode("utf-8")
    except UnicodeDecodeError:
        return line.decode("cp1252", errors="replace")


def validate_table(df: pd.DataFrame, table: str, *, origin: str | None = None) -> pd.DataFrame:
    """``schemas.validate`` that also accepts missing values in a table's nullable code columns.

    ``schemas.validate`` sends every value of a code column through its normaliser, so a
    nullable column such as ``providers.county_fips`` fails on its first missing cell. Here
    the present values are normalised (and must be valid codes) and the missing ones stay None.
    Nullable code columns must not be part of the table's key.
    """
    from align import codes, schemas
    from align.fields import FIELDS

    normalisers = {"soc": codes.soc, "cip": codes.cip, "naics": codes.naics, "fips": codes.fips,
                   "state_fips": codes.state_fips}
    schema = schemas.TABLES[table]
    held: dict[str, pd.Series] = {}
    work = df.reset_index(drop=True)
    for name in schema.nullable:
        kind = FIELDS[name].kind
        if name not in work.columns or kind not in normalisers or not work[name].isna().any():
            continue
        col = work[name]
        present = col.notna()
        out = pd.Series([None] * len(col), index=col.index, dtype=object, name=name)
        if present.any():
            first = int(np.flatnonzero(present.to_numpy())[0]) + 1
            sub = col[present]
            if pd.api.types.is_float_dtype(sub.dtype) or pd.api.types.is_integer_dtype(sub.dtype):
                from align.errors import SchemaError

                raise SchemaError(f"codes stored as numbers ({sub.dtype})", file=origin or table,
                                  column=name, expected="codes as text")
            out[present] = codes.normalise_column(sub.astype(object), normalisers[kind],
                                                  file=origin or f"table {table}", column=name,
                                                  first_row=first).to_numpy()
        held[name] = out
        work = work.drop(columns=name)
    result = schemas.validate(work, table, origin=origin)
    if not held:
        return result
    for name, values in held.items():
        result[name] = values.to_numpy()
    ordered = [c for c in schema.columns if c in result.columns]
    return result[ordered + [c for c in result.columns if c not in ordered]]


def existing_file(path: str | Path) -> Path:
    """``path`` as a Path, refusing a missing file up front with align's error, not an OSError."""
    path = Path(path)
    if not path.is_file():
        raise InputError("file not found", file=path)
    return path


def reject_options(options: dict[str, object], *, file: str | Path, expected: str) -> None:
    """Refuse parse options a connector does not know (a typo must not be silently ignored)."""
    if options:
        raise InputError(f"unknown option(s) {sorted(options)}", file=file, expected=expected)


def read_csv_text(text: str, *, file: str | Path, what: str = "CSV", empty: str | None = None,
                  **options: object) -> pd.DataFrame:
    """Decoded CSV text → a frame of text cells (codes must never pass through floats).

    A file pandas cannot read raises ``cannot read as <what>``; with ``empty`` (what a file
    should hold) a blank file is refused as empty before pandas sees it.
    """
    import io

    if empty is not None and not text.strip():
        raise InputError("the file is empty", file=file, expected=empty)
    check_row_widths(text, file=file, delimiter=str(options.get("sep", ",")))
    try:
        return pd.read_csv(io.StringIO(text), dtype=str, keep_default_na=False, **options)
    except (pd.errors.ParserError, ValueError) as exc:
        raise InputError(f"cannot read as {what}: {exc}", file=file) from None


def map_codes(values: pd.Series, normaliser: object, *, file: str | Path, column: str,
              sheet: str | None = None, first_row: int = 2, expected: str | None = None
              ) -> pd.Series:
    """Normalise each distinct code once (vectorised over the column), naming a bad one's row.

    ``first_row`` is the file row of ``values``' first cell; ``expected`` replaces the
    normaliser's own description of a valid code.
    """
    from align.errors import CodeError

    mapping: dict[object, object] = {}
    for u in pd.unique(values):
        try:
            mapping[u] = normaliser(u)  # type: ignore[operator]
        except CodeError as exc:
            i = int(np.flatnonzero((values == u).to_numpy())[0])
            raise CodeError(exc.detail, file=file, sheet=sheet, row=first_row + i, column=column,
                            expected=exc.expected if expected is None else expected) from None
    return values.map(mapping)


def checked_number(values: pd.Series, *, file: str | Path | None = None, sheet: str | None = None,
                   column: str | None = None, first_row: int = 2, expected: str = "a number"
                   ) -> tuple[pd.Series, pd.Series]:
    """:func:`to_number` that refuses a cell which is neither a number nor a known marker."""
    out, reason = to_number(values)
    bad = reason.fillna("").str.startswith("unreadable")
    if bad.any():
        i = int(np.flatnonzero(bad.to_numpy())[0])
        raise InputError(f"not a number: {values.iloc[i]!r}", file=file, sheet=sheet,
                         row=first_row + i, column=column, expected=expected)
    return out, reason


def workbook_sheets(path: Path) -> list[str]:
    """The sheet names of an Excel workbook, for sniffing; ``[]`` when it cannot be opened."""
    try:
        import openpyxl

        book = openpyxl.load_workbook(path, read_only=True)
        try:
            return list(book.sheetnames)
        finally:
            book.close()
    except Exception:
        return []


def parse_numbers(values: pd.Series, *, file: str | Path, column: str, first_row: int = 2
                  ) -> np.ndarray:
    """Text cells → floats, vectorised: plain numbers in one pass, markers and ``1,234`` through
    :func:`to_number`; a cell that is neither is an error naming its row."""
    text = values.astype(object).where(values.notna(), "").astype(str).str.strip()
    out = pd.to_numeric(text, errors="coerce")
    odd = out.isna() & (text != "")
    if odd.any():
        fixed, reason = to_number(text[odd])
        bad = reason.fillna("").str.startswith("unreadable").to_numpy()
        if bad.any():
            i = int(np.flatnonzero(odd.to_numpy())[int(np.flatnonzero(bad)[0])])
            raise InputError(f"not a number: {values.iloc[i]!r}", file=file, row=first_row + i,
                             column=column, expected="a number")
        out[odd] = fixed
    return out.to_numpy(dtype=float, copy=True)
