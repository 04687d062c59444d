"""The partners' own facts: employer hiring plans and the partner inventory, in align's templates.

Both are spreadsheets partners fill in (``data/templates/employer_hiring_plans.csv|.xlsx`` and
``data/templates/partner_inventory.csv|.xlsx``, documented in ``docs/employer_hiring_plans.md``
and ``docs/partner_inventory.md``). Every row is checked on the way in — codes, counts, wages,
the controlled vocabularies of :mod:`align.partners.vocabulary`, duplicate rows — and a problem
names the file, sheet, row and column, so a partner's file is fixed at the source. Rows whose
first column starts with ``EXAMPLE`` (the templates' example rows) are skipped.

Employer titles are not coded here: a connector parses, and the run codes titles with the
autocoder it trained (:func:`align.partners.employers.code_plans`).
"""

from __future__ import annotations

import re
from pathlib import Path
from typing import Any, ClassVar

import pandas as pd

from align import codes
from align.connector import Connector
from align.errors import CodeError, InputError
from align.partners.vocabulary import CREDENTIALS, ITEM_KINDS, PARTNER_KINDS
from align_connectors._published import (
    header_line,
    read_csv_text,
    read_text,
    require_columns,
    validate_table,
    workbook_sheets,
)

_COUNT = re.compile(r"\d+(\.0+)?")
#: plausible starting wages; outside them the value is almost surely in the other unit or a typo
WAGE_RANGE = {"hour": (5.0, 250.0), "year": (10_000.0, 500_000.0)}
HOURS_PER_YEAR = 2080  # the OEWS convention for turning hourly into annual wages


def read_template(path: Path, sheet: str, *, file: str) -> tuple[pd.DataFrame, str | None]:
    """A CSV or XLSX template as text cells indexed by file row (header = row 1), blank rows dropped.

    In a workbook the sheet named ``sheet`` is read (else the first sheet); numbers Excel stored
    as numbers come back as their plain text (12.0 → "12").
    """
    if path.suffix.lower() in (".xlsx", ".xlsm"):
        import openpyxl

        book = openpyxl.load_workbook(path, read_only=True, data_only=True)
        try:
            name = sheet if sheet in book.sheetnames else book.sheetnames[0]
            rows = [["" if v is None else _cell_text(v) for v in r] for r in book[name].iter_rows(values_only=True)]
        finally:
            book.close()
        if not rows:
            raise InputError("the sheet is empty", file=file, sheet=name, expected="a header row")
        header = [h.strip().lower() for h in rows[0]]
        raw = pd.DataFrame([r + [""] * (len(header) - len(r)) for r in rows[1:]], columns=header, dtype=object)
        used_sheet: str | None = name
    else:
        raw = read_csv_text(read_text(path), file=file, empty="a header row")
        raw.columns = [str(c).strip().lower() for c in raw.columns]
        used_sheet = None
    raw = raw.loc[:, [c for c in raw.columns if c]].fillna("").astype(str).apply(lambda c: c.str.strip())
    raw.index = pd.RangeIndex(2, len(raw) + 2)
    return raw[(raw != "").any(axis=1)], used_sheet


def _cell_text(v: object) -> str:
    if isinstance(v, float) and v.is_integer():
        return str(int(v))
    return str(v)


def _sniff_columns(path: Path, sheet: str) -> set[str]:
    if path.suffix.lower() in (".xlsx", ".xlsm"):
        if not workbook_sheets(path):
            return set()
        try:
            raw, _ = read_template(path, sheet, file=str(path))
        except Exception:
            return set()
        return set(raw.columns)
    return {h.strip().strip('"').lower() for h in header_line(path).split(",")}


class _Rows:
    """Row checks that name the file, sheet, row and column of a bad cell."""

    def __init__(self, file: str, sheet: str | None) -> None:
        self.file, self.sheet = file, sheet

    def fail(self, message: str, row: int, column: str, expected: str) -> InputError:
        return InputError(message, file=self.file, sheet=self.sheet, row=row, column=column, expected=expected)

    def need(self, r: pd.Series, row: int, column: str) -> str:
        value = r.get(column, "")
        if not value:
            raise self.fail("empty", row, column, "a value")
        return value

    def term(self, value: str, vocabulary: dict[str, str], row: int, column: str) -> str:
        term = value.strip().lower()
        if term not in vocabulary:
            raise self.fail(f"unknown term {value!r}", row, column, "one of " + ", ".join(vocabulary))
        return term

    def count(self, value: str, row: int, column: str, *, blank: bool = True) -> float | None:
        if value == "" and blank:
            return None
        text = value.replace(",", "")
        if not _COUNT.fullmatch(text):
            raise self.fail(f"not a count: {value!r}", row, column,
                            "a whole number ≥ 0" + (", or blank if unknown" if blank else ""))
        return float(text)

    def code(self, value: str, normaliser: Any, row: int, column: str) -> str | None:
        if not value:
            return None
        try:
            return normaliser(value)
        except CodeError as exc:
            raise CodeError(exc.detail, file=self.file, sheet=self.sheet, row=row, column=column,
                            expected=exc.expected) from None

    def first_seen(self, keys: pd.Series, column: str, what: str) -> None:
        seen: dict[object, int] = {}
        for row, key in keys.items():
            if key in seen:
                raise self.fail(f"duplicate {what} (also on row {seen[key]})", int(row), column,
                                f"one row per {what}: add the numbers up, or tell the rows apart")
            seen[key] = int(row)


class _TemplateConnector(Connector):
    """Reading shared by the two templates: sheet, required columns, example rows skipped."""

    sheet: ClassVar[str]
    required: ClassVar[list[str]]

    def sniff(self, path: Path) -> bool:
        return set(self.required) <= _sniff_columns(Path(path), self.sheet)

    def _rows(self, path: Path, keep_examples: bool) -> tuple[pd.DataFrame, _Rows]:
        file = str(path)
        raw, sheet = read_template(Path(path), self.sheet, file=file)
        require_columns(raw.columns, self.required, file=file, sheet=sheet)
        if not keep_examples:
            raw = raw[~raw[self.required[0]].str.upper().str.startswith("EXAMPLE")]
        return raw, _Rows(file, sheet)


# --- employer hiring plans ------------------------------------------------------------------

PLAN_REQUIRED = ["employer_id", "hires_year1"]
PLAN_OPTIONAL = ["employer_name", "job_title", "soc_code", "county_fips", "hires_year2", "hires_year3",
                 "starting_wage", "wage_period", "required_credential", "externship_slots",
                 "apprenticeship_slots", "survey_year", "notes"]  # notes are for people: not read


class EmployerHiringPlansConnector(_TemplateConnector):
    """An employer hiring-plan survey in align's template (CSV or XLSX) → ``employer_hiring_plans``."""

    name = "employer_hiring_plans"
    table = "employer_hiring_plans"
    description = "Employer hiring-plan survey in align's template (CSV or XLSX)"
    layouts: ClassVar[str] = ("align template: employer_id,employer_name,job_title,soc_code,hires_year1,"
                              "hires_year2,hires_year3,starting_wage,wage_period,required_credential,"
                              "externship_slots,apprenticeship_slots (sheet hiring_plans)")

    sheet = "hiring_plans"
    required = PLAN_REQUIRED

    def sniff(self, path: Path) -> bool:
        return super().sniff(path) and bool({"job_title", "soc_code"} & _sniff_columns(Path(path), self.sheet))

    def parse(self, path: Path, *, keep_examples: bool = False) -> pd.DataFrame:
        """Validate every answer; one row per employer and job (titles coded later, by the run)."""
        path = Path(path)
        raw, check = self._rows(path, keep_examples)
        if not {"job_title", "soc_code"} & set(raw.columns):
            raise InputError("neither a job_title nor a soc_code column", file=check.file, sheet=check.sheet,
                             expected="job_title, soc_code or both")
        out = pd.DataFrame([self._plan(r, int(row), check) for row, r in raw.iterrows()], index=raw.index,
                           columns=["employer_id", "employer_name", "job_title", "soc_code", "county_fips",
                                    "hires_year1", "hires_year2", "hires_year3", "starting_wage_annual",
                                    "required_credential", "externship_slots", "apprenticeship_slots",
                                    "survey_year"])
        check.first_seen(out["employer_id"] + "|" + out["job_title"].fillna("").str.lower() + "|"
                         + out["soc_code"].fillna(""), "job_title", "employer and job")
        out["source"] = f"{self.name}:{path.name}"
        for col in ("hires_year1", "hires_year2", "hires_year3", "starting_wage_annual", "externship_slots",
                    "apprenticeship_slots"):
            out[col] = pd.to_numeric(out[col]).astype("float64")
        out["survey_year"] = pd.array(out["survey_year"], dtype="Int64")
        return validate_table(out.reset_index(drop=True), self.table, origin=check.file)

    @staticmethod
    def _plan(r: pd.Series, row: int, check: _Rows) -> dict[str, Any]:
        employer = check.need(r, row, "employer_id")
        title = r.get("job_title", "")
        soc = check.code(r.get("soc_code", ""), codes.soc, row, "soc_code")
        if not title and soc is None:
            raise check.fail("neither job_title nor soc_code given", row, "job_title",
                             "the job title as the employer writes it, or a SOC code")
        if soc is not None and not re.fullmatch(r"\d{2}-\d{3}[1-9]", soc):  # a final 0 is a group's code
            raise check.fail(f"SOC code {soc!r} is a group, not a detailed occupation", row, "soc_code",
                             "a detailed SOC code such as 29-1141")
        county = check.code(r.get("county_fips", ""), codes.fips, row, "county_fips")
        if county is not None and len(r["county_fips"]) < 4:  # 4 digits: a state code's zero lost in Excel
            raise check.fail(f"county FIPS {r['county_fips']!r} has no state part", row, "county_fips",
                             "5 digits, e.g. 39049")
        hires = [check.count(r.get("hires_year1", ""), row, "hires_year1", blank=False),
                 check.count(r.get("hires_year2", ""), row, "hires_year2"),
                 check.count(r.get("hires_year3", ""), row, "hires_year3")]
        if hires[1] is None and hires[2] is not None:
            raise check.fail("hires_year3 given without hires_year2", row, "hires_year2",
                             "the years in order: year 1, then 2, then 3")
        wage = None
        if r.get("starting_wage", ""):
            text = r["starting_wage"].replace(",", "").replace("$", "")
            period = check.term(check.need(r, row, "wage_period"), {"hour": "", "year": ""}, row, "wage_period")
            try:
                amount = float(text)
            except ValueError:
                raise check.fail(f"not a wage: {r['starting_wage']!r}", row, "starting_wage",
                                 "dollars, e.g. 21.50 an hour or 44000 a year") from None
            lo, hi = WAGE_RANGE[period]
            if not lo <= amount <= hi:
                raise check.fail(f"implausible wage {amount:,.2f} a {period}", row, "starting_wage",
                                 f"{lo:,.0f} to {hi:,.0f} a {period} (is wage_period right?)")
            wage = amount * HOURS_PER_YEAR if period == "hour" else amount
        credential = (check.term(r["required_credential"], CREDENTIALS, row, "required_credential")
                      if r.get("required_credential", "") else None)
        year = r.get("survey_year", "")
        if year and not re.fullmatch(r"20\d{2}", year):
            raise check.fail(f"not a year: {year!r}", row, "survey_year", "the survey's 4-digit year, e.g. 2025")
        return {"employer_id": employer, "employer_name": r.get("employer_name", "") or None,
                "job_title": title or None, "soc_code": soc, "county_fips": county,
                "hires_year1": hires[0], "hires_year2": hires[1], "hires_year3": hires[2],
                "starting_wage_annual": wage, "required_credential": credential,
                "externship_slots": check.count(r.get("externship_slots", ""), row, "externship_slots"),
                "apprenticeship_slots": check.count(r.get("apprenticeship_slots", ""), row, "apprenticeship_slots"),
                "survey_year": int(year) if year else None}


# --- partner inventory ------------------------------------------------------------------------

INVENTORY_REQUIRED = ["program_id", "partner_id", "partner_name", "partner_kind", "item_kind", "item"]
INVENTORY_OPTIONAL = ["pathway", "annual_amount", "notes"]
_PROGRAM_ID = re.compile(r"[^:\s]+:[^:\s]+:[^:\s]+")


class PartnerInventoryConnector(_TemplateConnector):
    """A partner inventory (funding, support services, work-based learning) → ``partner_inventory``."""

    name = "partner_inventory"
    table = "partner_inventory"
    description = "Partner inventory of funding streams, support services and work-based learning (CSV or XLSX)"
    layouts: ClassVar[str] = ("align template: program_id,partner_id,partner_name,partner_kind,pathway,"
                              "item_kind,item,annual_amount,notes (sheet partner_inventory)")

    sheet = "partner_inventory"
    required = INVENTORY_REQUIRED

    def parse(self, path: Path, *, keep_examples: bool = False) -> pd.DataFrame:
        """One row per program, partner and item (a funding stream, a service or a kind of placement)."""
        path = Path(path)
        raw, check = self._rows(path, keep_examples)
        out = pd.DataFrame([self._item(r, int(row), check) for row, r in raw.iterrows()], index=raw.index,
                           columns=["program_id", "partner_id", "partner_name", "partner_kind", "pathway",
                                    "item_kind", "item", "annual_amount", "notes"])
        check.first_seen(out["program_id"] + "|" + out["partner_id"] + "|" + out["item_kind"] + "|" + out["item"],
                         "item", "program, partner and item")
        out["annual_amount"] = pd.to_numeric(out["annual_amount"]).astype("float64")
        out["source"] = f"{self.name}:{path.name}"
        return validate_table(out.reset_index(drop=True), self.table, origin=check.file)

    @staticmethod
    def _item(r: pd.Series, row: int, check: _Rows) -> dict[str, Any]:
        program = check.need(r, row, "program_id")
        if not _PROGRAM_ID.fullmatch(program):
            raise check.fail(f"not a program id: {program!r}", row, "program_id",
                             "provider:code:award as in the run's programs.csv, e.g. 130001:51.0801:2")
        kind = check.term(check.need(r, row, "item_kind"), ITEM_KINDS, row, "item_kind")
        item = check.term(check.need(r, row, "item"), ITEM_KINDS[kind], row, "item")
        amount = None
        if r.get("annual_amount", ""):
            if kind != "funding":
                raise check.fail("an amount on a row that is not funding", row, "annual_amount",
                                 "annual_amount only on item_kind funding rows")
            text = r["annual_amount"].replace(",", "").replace("$", "")
            if not re.fullmatch(r"\d+(\.\d+)?", text):
                raise check.fail(f"not an amount: {r['annual_amount']!r}", row, "annual_amount",
                                 "US dollars a year, ≥ 0, or blank if unknown")
            amount = float(text)
        return {"program_id": program, "partner_id": check.need(r, row, "partner_id"),
                "partner_name": check.need(r, row, "partner_name"),
                "partner_kind": check.term(check.need(r, row, "partner_kind"), PARTNER_KINDS, row, "partner_kind"),
                "pathway": r.get("pathway", "") or None, "item_kind": kind, "item": item,
                "annual_amount": amount, "notes": r.get("notes", "") or None}
