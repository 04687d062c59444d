"""NCES CIP 2020: the code list (``CIPCode2020.csv``) and the CIP 2020 – SOC 2018 crosswalk.

The crosswalk is how completions become occupations, so its ``NO MATCH`` rows matter: a
program with no occupation (``01.0508 Taxidermy → 99-9999 NO MATCH``) must still appear in the
matcher's list of unmatched programs, so those rows are kept and flagged (``is_no_match``), never
dropped. Layouts read:

* the NCES workbook ``CIP2020_SOC2018_Crosswalk.xlsx``: sheet ``CIP-SOC`` (default), or any of
  the others with ``sheet=`` — ``SOC-CIP``, ``New SOC`` and ``Unmatched SOC Codes`` put the SOC
  columns first and are read by header name, not position; ``File Guide`` is a description of
  the sheets and is refused with that explanation;
* the ``CIP-SOC`` sheet saved as CSV (UTF-8 with BOM, CRLF);
* ``CIPCode2020.csv``: codes in Excel formula quoting (``="01.0101"``), 2-, 4- and 6-digit codes
  in one column, long quoted definitions with commas, and Moved/Deleted/Reserved rows that are
  not live programs.
"""

from __future__ import annotations

import io
from pathlib import Path
from typing import Any, ClassVar

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
    workbook_sheets,
)

CROSSWALK_COLUMNS = ["CIP2020Code", "CIP2020Title", "SOC2018Code", "SOC2018Title"]
CROSSWALK_SHEETS = ["CIP-SOC", "SOC-CIP", "New CIP", "New SOC", "Added Matches",
                    "Unmatched CIP Codes", "Unmatched SOC Codes"]
CODES_COLUMNS = ["CIPFamily", "CIPCode", "Action", "TextChange", "CIPTitle", "CIPDefinition"]
NO_MATCH_CIP = "99.9999"
NO_MATCH_SOC = "99-9999"
VINTAGE = "CIP2020-SOC2018"
#: Actions after which a code is no longer reported. A "Moved from" row is the old code (its
#: definition reads "Moved from 01.0309 to 01.1004"); the "Moved to" row is the live destination.
NOT_LIVE_ACTIONS = ("Deleted", "Moved from")


def _strip_period(titles: pd.Series) -> pd.Series:
    """CIP titles end with a period ("Agriculture, General.") — drop it for display and joins."""
    return titles.astype(str).str.strip().str.replace(r"\.$", "", regex=True)


class CIPSOCConnector(Connector):
    """The NCES/BLS CIP 2020 – SOC 2018 crosswalk → ``cip_soc`` (NO MATCH rows kept and flagged)."""

    name = "cip_soc"
    table = "cip_soc"
    description = "CIP 2020 to SOC 2018 crosswalk (NCES/BLS), NO MATCH rows flagged"
    layouts: ClassVar[str] = (
        "CIP2020_SOC2018_Crosswalk.xlsx (sheet CIP-SOC, or sheet= any other data sheet) or its "
        "CSV: CIP2020Code,CIP2020Title,SOC2018Code,SOC2018Title"
    )

    def sniff(self, path: Path) -> bool:
        path = Path(path)
        if path.suffix.lower() in (".xlsx", ".xlsm"):
            return {"CIP-SOC", "SOC-CIP"} <= set(workbook_sheets(path))
        head = [c.strip().strip('"') for c in header_line(path).split(",")]
        return set(head) == set(CROSSWALK_COLUMNS)

    def parse(self, path: Path, *, sheet: str = "CIP-SOC", **options: Any) -> pd.DataFrame:
        """Crosswalk rows as published; codes canonical, titles kept, NO MATCH flagged."""
        path = Path(path)
        file = str(path)
        reject_options(options, file=file, expected="sheet")
        used_sheet: str | None = None
        if path.suffix.lower() in (".xlsx", ".xlsm"):
            try:
                book = pd.ExcelFile(path)
            except Exception as exc:
                raise InputError(f"cannot open workbook: {exc}", file=file) from None
            if sheet == "File Guide":
                raise LayoutError("sheet 'File Guide' describes the other sheets; it holds no "
                                  "crosswalk rows", file=file, sheet=sheet,
                                  expected=f"one of {CROSSWALK_SHEETS}")
            if sheet not in book.sheet_names:
                raise LayoutError(f"sheet {sheet!r} not found", file=file,
                                  expected=f"one of {[s for s in book.sheet_names if s != 'File Guide']}")
            used_sheet = sheet
            raw = pd.read_excel(book, sheet, dtype=str, keep_default_na=False)
        else:
            raw = pd.read_csv(io.StringIO(read_text(path)), dtype=str, keep_default_na=False)
        raw.columns = [str(c).strip() for c in raw.columns]
        require_columns(raw.columns, CROSSWALK_COLUMNS, file=file, sheet=used_sheet)
        raw = raw[(raw[CROSSWALK_COLUMNS].apply(lambda c: c.str.strip()) != "").any(axis=1)]
        raw = raw.reset_index(drop=True)
        cip = map_codes(raw["CIP2020Code"].str.strip(), codes.cip, file=file, column="CIP2020Code",
                        sheet=used_sheet)
        soc = map_codes(raw["SOC2018Code"].str.strip(), codes.soc, file=file, column="SOC2018Code",
                        sheet=used_sheet)
        out = pd.DataFrame({
            "cip_code": cip,
            "soc_code": soc,
            "cip_title": _strip_period(raw["CIP2020Title"]),
            "occupation_title": raw["SOC2018Title"].str.strip(),
            "vintage": VINTAGE,
            "is_no_match": (cip == NO_MATCH_CIP) | (soc == NO_MATCH_SOC),
        })
        return validate_table(out, self.table, origin=file if used_sheet is None
                              else f"{file} sheet {used_sheet!r}")


class CIPCodesConnector(Connector):
    """The NCES CIP 2020 code list (``CIPCode2020.csv``) → ``cip_codes``."""

    name = "cip_codes"
    table = "cip_codes"
    description = "CIP 2020 codes, titles and definitions (NCES), with the live/not-live status"
    layouts: ClassVar[str] = (
        "CIPCode2020.csv: CIPFamily,CIPCode,Action,TextChange,CIPTitle,CIPDefinition,"
        "CrossReferences,Examples (codes as =\"01.0101\")"
    )

    def sniff(self, path: Path) -> bool:
        head = [c.strip().strip('"') for c in header_line(Path(path)).split(",")]
        return head[:len(CODES_COLUMNS)] == CODES_COLUMNS

    def parse(self, path: Path, **options: Any) -> pd.DataFrame:
        """Every code at its level (2/4/6); Deleted, Moved-from and Reserved codes are not live."""
        path = Path(path)
        file = str(path)
        reject_options(options, file=file, expected="none")
        raw = read_csv_text(read_text(path), file=file)
        raw.columns = [str(c).strip() for c in raw.columns]
        require_columns(raw.columns, CODES_COLUMNS, file=file)
        cip = map_codes(raw["CIPCode"], codes.cip, file=file, column="CIPCode")
        title = _strip_period(raw["CIPTitle"])
        action = raw["Action"].str.strip()
        reserved = title.str.fullmatch(r"Reserved", case=False)
        out = pd.DataFrame({
            "cip_code": cip,
            "cip_title": title,
            "cip_level": cip.str.replace(".", "", regex=False).str.len(),
            "is_live": ~(action.isin(NOT_LIVE_ACTIONS) | reserved),
            "cip_action": action,
            "cip_definition": raw["CIPDefinition"].str.strip(),
            "vintage": "CIP2020",
        })
        return validate_table(out, self.table, origin=file)
