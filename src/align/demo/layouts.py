"""Writers for the publishers' file layouts, used to build the demo region (and test fixtures).

Each writer reproduces the published layout the connectors read — quoting, title and footnote
rows, markers, encodings — so the demo exercises the same parsers as real downloads.
"""

from __future__ import annotations

import datetime as dt
import io
from collections.abc import Iterable, Sequence
from pathlib import Path

import openpyxl

from align.store import write_bytes

QCEW_ANNUAL_COLUMNS = [
    "area_fips", "own_code", "industry_code", "agglvl_code", "size_code", "year", "qtr",
    "disclosure_code", "annual_avg_estabs", "annual_avg_emplvl", "total_annual_wages",
    "taxable_annual_wages", "annual_contributions", "annual_avg_wkly_wage", "avg_annual_pay",
    "lq_disclosure_code", "lq_annual_avg_estabs", "lq_annual_avg_emplvl", "lq_total_annual_wages",
    "lq_taxable_annual_wages", "lq_annual_contributions", "lq_annual_avg_wkly_wage", "lq_avg_annual_pay",
    "oty_disclosure_code", "oty_annual_avg_estabs_chg", "oty_annual_avg_estabs_pct_chg",
    "oty_annual_avg_emplvl_chg", "oty_annual_avg_emplvl_pct_chg", "oty_total_annual_wages_chg",
    "oty_total_annual_wages_pct_chg", "oty_taxable_annual_wages_chg", "oty_taxable_annual_wages_pct_chg",
    "oty_annual_contributions_chg", "oty_annual_contributions_pct_chg", "oty_annual_avg_wkly_wage_chg",
    "oty_annual_avg_wkly_wage_pct_chg", "oty_avg_annual_pay_chg", "oty_avg_annual_pay_pct_chg",
]
_QCEW_TEXT = {"area_fips", "own_code", "industry_code", "agglvl_code", "size_code", "year", "qtr",
              "disclosure_code", "lq_disclosure_code", "oty_disclosure_code"}

OEWS_INDUSTRY_COLUMNS = [
    "AREA", "AREA_TITLE", "AREA_TYPE", "PRIM_STATE", "NAICS", "NAICS_TITLE", "I_GROUP", "OWN_CODE",
    "OCC_CODE", "OCC_TITLE", "O_GROUP", "TOT_EMP", "EMP_PRSE", "JOBS_1000", "LOC_QUOTIENT", "PCT_TOTAL",
    "PCT_RPT", "H_MEAN", "A_MEAN", "MEAN_PRSE", "H_PCT10", "H_PCT25", "H_MEDIAN", "H_PCT75", "H_PCT90",
    "A_PCT10", "A_PCT25", "A_MEDIAN", "A_PCT75", "A_PCT90", "ANNUAL", "HOURLY",
]

EP_T110_HEADER = [
    "2024 National Employment Matrix title", "2024 National Employment Matrix code", "Occupation type",
    "Employment, 2024", "Employment, 2034", "Employment change, numeric, 2024–34",
    "Employment change, percent, 2024–34", "Labor force exit rate, 2024–34 annual average",
    "Occupational transfer rate, 2024–34 annual average",
    "Total occupational separations rate, 2024–34 annual average",
    "Labor force exits, 2024–34 annual average", "Occupational transfers, 2024–34 annual average",
    "Total occupational separations, 2024–34 annual average", "Occupational openings, 2024–34 annual average",
]
EP_T12_HEADER = [
    "2024 National Employment Matrix title", "2024 National Employment Matrix code", "Occupation type",
    "Employment, 2024", "Employment, 2034", "Employment distribution, percent, 2024",
    "Employment distribution, percent, 2034", "Employment change, numeric, 2024–34",
    "Employment change, percent, 2024–34", "Percent self employed, 2024",
    "Occupational openings, 2024–34 annual average", "Median annual wage, dollars, 2024[1]",
    "Typical education needed for entry", "Work experience in a related occupation",
    "Typical on-the-job training needed to attain competency in the occupation",
    "Related Occupational Outlook Handbook (OOH) content xlsx",
]
EP_FOOTER = [
    "Footnotes:",
    "[1] Data are from the Occupational Employment and Wage Statistics program, U.S. Bureau of Labor Statistics.",
    'Note: Data is unavailable for values denoted with a "—".',
    "Source: Employment Projections program, U.S. Bureau of Labor Statistics — SYNTHETIC DEMO COPY",
]

IPEDS_C_A_COLUMNS = ["UNITID", "CIPCODE", "MAJORNUM", "AWLEVEL", "XCTOTALT", "CTOTALT", "XCTOTALM",
                     "CTOTALM", "XCTOTALW", "CTOTALW"]
IPEDS_HD_COLUMNS = [
    "UNITID", "INSTNM", "IALIAS", "ADDR", "CITY", "STABBR", "ZIP", "FIPS", "OBEREG", "CHFNM", "CHFTITLE",
    "GENTELE", "EIN", "UEIS", "OPEID", "OPEFLAG", "WEBADDR", "ADMINURL", "FAIDURL", "APPLURL", "NPRICURL",
    "VETURL", "ATHURL", "DISAURL", "SECTOR", "ICLEVEL", "CONTROL", "HLOFFER", "UGOFFER", "GROFFER",
    "HDEGOFR1", "DEGGRANT", "HBCU", "HOSPITAL", "MEDICAL", "TRIBAL", "LOCALE", "OPENPUBL", "ACT", "NEWID",
    "DEATHYR", "CLOSEDAT", "CYACTIVE", "POSTSEC", "PSEFLAG", "PSET4FLG", "RPTMTH", "INSTCAT", "C00CARNEGIE",
    "C21BASIC", "CARNEGIEIC", "CARNEGIESAEC", "CARNEGIERSCH", "CARNEGIESIZE", "CARNEGIEALF", "CARNEGIEAPM",
    "CARNEGIEGPM", "LANDGRNT", "INSTSIZE", "F1SYSTYP", "F1SYSNAM", "F1SYSCOD", "CBSA", "CBSATYPE", "CSA",
    "COUNTYCD", "COUNTYNM", "CNGDSTCD", "LONGITUD", "LATITUDE", "DFRCGID", "DFRCUSCG",
]
CROSSWALK_COLUMNS = ["CIP2020Code", "CIP2020Title", "SOC2018Code", "SOC2018Title"]

_FIXED_TIME = dt.datetime(2025, 1, 1)


def _csv_bytes(rows: Iterable[Sequence[object]], *, quote_all: bool = False, crlf: bool = False,
               quote_columns: set[int] | None = None, bom: bool = False, encoding: str = "utf-8") -> bytes:
    """CSV text the way publishers write it: which fields are quoted, line ends, BOM."""
    buf = io.StringIO()
    end = "\r\n" if crlf else "\n"
    for row in rows:
        cells = []
        for i, value in enumerate(row):
            text = "" if value is None else str(value)
            quote = quote_all or (quote_columns is not None and i in quote_columns) or any(
                ch in text for ch in ',"\n\r')
            cells.append('"' + text.replace('"', '""') + '"' if quote else text)
        buf.write(",".join(cells) + end)
    data = buf.getvalue().encode(encoding)
    return (b"\xef\xbb\xbf" + data) if bom else data


def write_qcew_annual(path: Path, rows: list[dict[str, object]]) -> Path:
    """A QCEW open-data annual area slice, text fields quoted as the BLS API writes them."""
    quoted = {i for i, c in enumerate(QCEW_ANNUAL_COLUMNS) if c in _QCEW_TEXT}
    body = [[r.get(c, 0) for c in QCEW_ANNUAL_COLUMNS] for r in rows]
    header = _csv_bytes([QCEW_ANNUAL_COLUMNS], quote_all=True)
    return write_bytes(path, header + _csv_bytes(body, quote_columns=quoted))


def _workbook_bytes(sheets: list[tuple[str, list[list[object]]]]) -> bytes:
    wb = openpyxl.Workbook()
    wb.remove(wb.active)
    for title, rows in sheets:
        ws = wb.create_sheet(title)
        for row in rows:
            ws.append(row)
    wb.properties.created = _FIXED_TIME
    wb.properties.modified = _FIXED_TIME
    wb.properties.creator = "align demo generator (synthetic data)"
    buf = io.BytesIO()
    wb.save(buf)
    return buf.getvalue()


def write_oews_industry(path: Path, rows: list[dict[str, object]], sheet: str) -> Path:
    """An OEWS national industry-specific workbook (natsector/nat3d layout) with its extra sheets."""
    data = [OEWS_INDUSTRY_COLUMNS] + [[r.get(c) for c in OEWS_INDUSTRY_COLUMNS] for r in rows]
    return write_bytes(path, _workbook_bytes([(sheet, data), ("UpdateTime", [["09MAR2021:10:42:00"]]),
                                              ("Filler", [])]))


def write_ep_workbook(path: Path, table_1_2: list[list[object]], table_1_10: list[list[object]]) -> Path:
    """The BLS EP ``occupation.xlsx`` (2024–34 layout): title row, header row, rows, footnotes."""
    index = [["Occupation.xlsx contents (SYNTHETIC DEMO COPY: demo rows only)"],
             ["Table 1.2 Occupational projections, 2024–34, and worker characteristics, 2024"],
             ["Table 1.10 Occupational separations and openings, projected 2024–34"]]
    t12 = [["Table 1.2 Occupational projections, 2024–2034, and worker characteristics, 2024 (Employment in thousands)"],
           EP_T12_HEADER, *table_1_2, *[[f] for f in EP_FOOTER]]
    t110 = [["Table 1.10 Occupational separations and openings, projected 2024–34 (Employment in thousands)"],
            EP_T110_HEADER, *table_1_10, [EP_FOOTER[-1]]]
    return write_bytes(path, _workbook_bytes([("Index", index), ("Table 1.2", t12), ("Table 1.10", t110)]))


def write_ipeds_completions(path: Path, rows: list[dict[str, object]]) -> Path:
    """An IPEDS C{year}_A completions CSV: CIPCODE quoted text, imputation flags beside counts."""
    body = [[r.get(c, "") for c in IPEDS_C_A_COLUMNS] for r in rows]
    return write_bytes(path, _csv_bytes([IPEDS_C_A_COLUMNS], crlf=True) +
                       _csv_bytes(body, quote_columns={1}, crlf=True))


def write_ipeds_hd(path: Path, rows: list[dict[str, object]]) -> Path:
    """An IPEDS HD directory CSV as NCES wrote HD2024: UTF-8 with BOM, CRLF, text quoted."""
    numeric = {"UNITID", "FIPS", "OBEREG", "SECTOR", "ICLEVEL", "CONTROL", "CBSA", "COUNTYCD", "LONGITUD",
               "LATITUDE"}
    quoted = {i for i, c in enumerate(IPEDS_HD_COLUMNS) if c not in numeric}
    body = [[r.get(c, "-2" if c not in numeric else -2) for c in IPEDS_HD_COLUMNS] for r in rows]
    return write_bytes(path, _csv_bytes([IPEDS_HD_COLUMNS], crlf=True, bom=True) +
                       _csv_bytes(body, quote_columns=quoted, crlf=True))


def write_cip_soc_crosswalk(path: Path, rows: list[tuple[str, str, str, str]]) -> Path:
    """The NCES CIP 2020 – SOC 2018 crosswalk CSV: UTF-8 with BOM, CRLF."""
    return write_bytes(path, _csv_bytes([CROSSWALK_COLUMNS, *rows], crlf=True, bom=True))


INVENTORY_COLUMNS = ["provider_id", "provider_name", "provider_kind", "county_fips", "program_name", "cip_code",
                     "soc_code", "award_type", "capacity_seats"]


def write_training_inventory(path: Path, rows: list[dict[str, object]], years: Sequence[int]) -> Path:
    """align's training-inventory template (wide: one completers_YYYY column per year)."""
    header = [*INVENTORY_COLUMNS, *[f"completers_{y}" for y in years], "work_based_learning"]
    body = [[r.get(c, "") for c in header] for r in rows]
    return write_bytes(path, _csv_bytes([header, *body]))
