"""The partner templates (CSV and XLSX), written from one column list so they never drift apart.

``python -m align.partners.templates data/templates`` rewrites
``employer_hiring_plans.csv|.xlsx`` and ``partner_inventory.csv|.xlsx``. The workbooks carry a
README sheet (every column and what it means), the controlled vocabularies, and drop-down lists
on the vocabulary columns, so a partner filling them in cannot mistype a term.
"""

from __future__ import annotations

import csv
import datetime as dt
import sys
from pathlib import Path

from align.partners.vocabulary import CREDENTIALS, ITEM_KINDS, PARTNER_KINDS
from align.store import atomic_write

# (column, required, meaning); "one of" columns say so in words
PLAN_COLUMNS: list[tuple[str, str, str]] = [
    ("employer_id", "yes", "Your id for the employer (UI account, FEIN or a short code). Counts employers; never published."),
    ("employer_name", "no", "Employer name, for your own records. Never published."),
    ("job_title", "one of", "The job title as the employer writes it; align codes it to SOC with the O*NET autocoder."),
    ("soc_code", "one of", "6-digit SOC 2018 code (e.g. 51-4121), where known; used instead of coding the title."),
    ("county_fips", "no", "5-digit FIPS code of the worksite county."),
    ("hires_year1", "yes", "Hires expected in the survey year (0 if none)."),
    ("hires_year2", "no", "Hires expected in the next year."),
    ("hires_year3", "no", "Hires expected in the year after (only with hires_year2)."),
    ("starting_wage", "no", "Starting wage offered, in dollars."),
    ("wage_period", "with a wage", "hour or year: what starting_wage is per."),
    ("required_credential", "no", "Credential required for the job: " + ", ".join(CREDENTIALS) + "."),
    ("externship_slots", "no", "Externship, clinical or internship placements the employer will host a year."),
    ("apprenticeship_slots", "no", "Apprenticeship places the employer will host a year."),
    ("survey_year", "no", "Year the answers were collected (year 1 of the plan), e.g. 2025."),
    ("notes", "no", "Anything the analyst should know; align does not read it."),
]
PLAN_EXAMPLES = [
    ["EXAMPLE-01", "Example Hospital", "Registered Nurse", "", "39049", "40", "45", "45", "38.50", "hour", "license",
     "20", "", "2025", "example row: rows whose employer_id starts with EXAMPLE are skipped"],
    ["EXAMPLE-02", "Example Fabricators", "", "51-4121", "39049", "12", "15", "", "52000", "year", "certificate",
     "", "4", "2025", "a SOC code instead of a title"],
]
INVENTORY_COLUMNS: list[tuple[str, str, str]] = [
    ("program_id", "yes", "The program as the run names it: provider:code:award, from the run's programs.csv "
                          "(e.g. 130001:51.0801:2)."),
    ("partner_id", "yes", "Your id for the partner organisation."),
    ("partner_name", "yes", "Partner organisation name."),
    ("partner_kind", "yes", "One of " + ", ".join(PARTNER_KINDS) + "."),
    ("pathway", "no", "Career pathway the program belongs to, named as in the participant records (e.g. health)."),
    ("item_kind", "yes", "What the row records: funding, support_service or work_based_learning."),
    ("item", "yes", "The term from that kind's list (sheet vocabulary): a funding stream, a service or a kind of "
                    "placement."),
    ("annual_amount", "no", "Funding rows only: dollars a year the stream puts into the program, where known."),
    ("notes", "no", "Anything the analyst should know; align does not read it."),
]
INVENTORY_EXAMPLES = [
    ["EXAMPLE:51.0801:2", "WDB-01", "Example Workforce Board", "workforce_board", "health", "funding",
     "wioa_title_i_ita", "120000", "example row: rows whose program_id starts with EXAMPLE are skipped"],
    ["EXAMPLE:51.0801:2", "CBO-01", "Example Family Services", "community_org", "health", "support_service",
     "childcare", "", "one row per service"],
    ["EXAMPLE:51.0801:2", "COL-01", "Example College", "college", "health", "work_based_learning", "externship",
     "", "one row per kind of placement"],
]
TEMPLATES = {  # name → (sheet, columns, examples, vocabulary sheet rows, drop-down columns)
    "employer_hiring_plans": ("hiring_plans", PLAN_COLUMNS, PLAN_EXAMPLES,
                              [("required_credential", k, v) for k, v in CREDENTIALS.items()]
                              + [("wage_period", "hour", "per hour"), ("wage_period", "year", "per year")],
                              {"required_credential": list(CREDENTIALS), "wage_period": ["hour", "year"]}),
    "partner_inventory": ("partner_inventory", INVENTORY_COLUMNS, INVENTORY_EXAMPLES,
                          [("partner_kind", k, v) for k, v in PARTNER_KINDS.items()]
                          + [(f"item ({kind})", k, v) for kind, terms in ITEM_KINDS.items() for k, v in terms.items()],
                          {"partner_kind": list(PARTNER_KINDS), "item_kind": list(ITEM_KINDS),
                           "item": [k for terms in ITEM_KINDS.values() for k in terms]}),
}
_CREATED = dt.datetime(2026, 1, 1)  # fixed, so the workbook's bytes depend on its content only


def write_csv(path: Path, name: str) -> Path:
    _, columns, examples, _, _ = TEMPLATES[name]

    def writer(tmp: Path) -> None:
        with tmp.open("w", encoding="utf-8", newline="") as f:
            w = csv.writer(f, lineterminator="\n")
            w.writerow([c for c, _, _ in columns])
            w.writerows(examples)

    return atomic_write(path, writer)


def write_xlsx(path: Path, name: str) -> Path:
    import xlsxwriter

    sheet, columns, examples, vocabulary, lists = TEMPLATES[name]

    def writer(tmp: Path) -> None:
        wb = xlsxwriter.Workbook(str(tmp), {"strings_to_numbers": False})
        wb.set_properties({"title": f"align {name.replace('_', ' ')} template", "created": _CREATED})
        bold = wb.add_format({"bold": True, "bg_color": "#E7EBEE", "bottom": 1})
        text = wb.add_format({"num_format": "@"})  # codes stay text: 01.0000 must not become 1
        def sheet_of(title: str, header: list[str], rows: list) -> object:
            ws = wb.add_worksheet(title)
            for j, h in enumerate(header):
                ws.write_string(0, j, h, bold)
            for i, row in enumerate(rows, start=1):
                for j, v in enumerate(row):
                    ws.write_string(i, j, v)
            return ws

        names = [c for c, _, _ in columns]
        data = sheet_of(sheet, names, examples)
        for j, c in enumerate(names):
            data.set_column(j, j, max(12, len(c) + 2), text)
        sheet_of("vocabulary", ["column", "term", "meaning"], vocabulary).set_column(0, 2, 30)
        for column, terms in lists.items():
            j = names.index(column)
            if len(",".join(terms)) < 250:
                source: object = terms
            else:  # Excel caps inline lists at 255 characters: point at the terms on the vocabulary sheet
                rows = [i for i, (_, term, _) in enumerate(vocabulary, start=2) if term in terms]
                source = f"=vocabulary!$B${min(rows)}:$B${max(rows)}"
            data.data_validation(1, j, 5000, j, {"validate": "list", "source": source})
        readme = sheet_of("README", ["column", "required", "meaning"], columns)
        readme.set_column(0, 1, 22)
        readme.set_column(2, 2, 110)
        wb.close()

    return atomic_write(path, writer)


def write_templates(folder: Path) -> list[Path]:
    folder = Path(folder)
    return [w(folder / f"{name}.{ext}", name) for name in TEMPLATES for ext, w in (("csv", write_csv),
                                                                                      ("xlsx", write_xlsx))]


if __name__ == "__main__":
    for p in write_templates(Path(sys.argv[1] if len(sys.argv) > 1 else "data/templates")):
        print(p)
