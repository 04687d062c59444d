"""A SYNTHETIC employer hiring-plan survey and partner inventory for the demo region.

Written by hand rather than drawn at random, so each planted situation is plain to read here and
in the files (the tests find them by the names in PARTNERS_PLANTED):

* ``far_more_hires``: welders — a plant expansion spread over five fabricators, so employers
  plan about three times the hires the projection gives (no employer dominates the cell);
* ``stacked_program``: Riverbend Community College's medical assisting certificate, paid for by
  three streams (WIOA Title I ITA, Pell, Perkins V) in an occupation already in surplus, while
  ``unfunded_shortage`` (bookkeeping clerks, the region's largest trained-entry shortage) has a
  program in the inventory with no funding stream at all;
* ``no_childcare_pathway``: business and IT, whose programs offer coaching and tuition help but
  no childcare, and whose participants complete less often than the region's;
* ``few_employers`` and ``dominant_employer``: survey cells suppressed by the two rules.

Titles are written as employers write them and coded by the run's autocoder; a few rows give
the SOC code instead, as the template allows.
"""

from __future__ import annotations

import csv
from pathlib import Path

PARTNERS_PLANTED = {
    "far_more_hires": "51-4121",
    "stacked_program": "130001:51.0801:2",
    "unfunded_shortage": "43-3031",
    "no_childcare_pathway": "business and IT",
    "few_employers": "51-4041",
    "dominant_employer": "49-9041",
}
SURVEY_YEAR = 2025
PLAN_COLUMNS = ["employer_id", "employer_name", "job_title", "soc_code", "county_fips", "hires_year1",
                "hires_year2", "hires_year3", "starting_wage", "wage_period", "required_credential",
                "externship_slots", "apprenticeship_slots", "survey_year", "notes"]
# employer id, name, title as written, SOC (blank: autocoded), county, hires y1-y3, wage, per, credential,
# externship slots, apprenticeship slots
PLANS: list[tuple] = [
    ("E01", "Riverbend Health System", "Registered Nurse", "", "99001", 95, 100, 105, 39.50, "hour", "license", 40, ""),
    ("E01", "Riverbend Health System", "Certified Medical Assistant", "", "99001", 30, 30, 32, 18.75, "hour",
     "certificate", 25, ""),
    ("E01", "Riverbend Health System", "Licensed Practical Nurse", "", "99001", 20, 22, 22, 27.00, "hour",
     "license", 12, ""),
    ("E02", "Alder Regional Medical Center", "Staff Nurse", "", "99001", 70, 75, 75, 38.00, "hour", "license", 30, ""),
    ("E02", "Alder Regional Medical Center", "Clinical Medical Assistant", "", "99001", 25, 25, 25, 18.25, "hour",
     "certificate", 20, ""),
    ("E03", "Lakeside Senior Living", "Nurse Aide", "", "99003", 60, 60, 60, 16.50, "hour", "license", 10, ""),
    ("E03", "Lakeside Senior Living", "Charge Nurse", "", "99003", 12, 12, 14, 36.00, "hour", "license", 6, ""),
    ("E04", "Birch Family Clinics", "Medical Assistant", "", "99003", 28, 30, 30, 18.00, "hour", "certificate", 20, ""),
    ("E05", "Cedar Valley Physicians Group", "Medical Assistant", "", "99005", 18, 18, 20, 17.75, "hour",
     "certificate", 12, ""),
    # the planted plant expansion: five fabricators, none above a third of the cell
    ("E06", "Valley Manufacturing Co.", "Welder", "", "99001", 110, 120, 90, 24.00, "hour", "certificate", "", 10),
    ("E07", "Millbrook Industries", "MIG Welder", "", "99003", 95, 100, 80, 23.50, "hour", "certificate", "", 8),
    ("E08", "Birch Steel Fabricators", "TIG Welder", "", "99003", 70, 80, 60, 25.00, "hour", "certificate", "", 6),
    ("E09", "Cedar Falls Trailer Works", "Welder", "", "99005", 60, 60, 50, 22.50, "hour", "industry_credential",
     "", 4),
    ("E10", "Riverbend Tank & Vessel", "", "51-4121", "99001", 45, 50, 40, 24.50, "hour", "certificate", "", 4),
    # two employers only: suppressed (few_employers)
    ("E06", "Valley Manufacturing Co.", "CNC Machinist", "", "99001", 12, 12, 12, 26.00, "hour", "certificate", "", 2),
    ("E07", "Millbrook Industries", "Machinist", "", "99003", 6, 6, 6, 25.00, "hour", "certificate", "", ""),
    # one employer holds most of the cell: suppressed (dominant_employer)
    ("E06", "Valley Manufacturing Co.", "Industrial Maintenance Mechanic", "", "99001", 40, 40, 40, 29.00, "hour",
     "certificate", "", 4),
    ("E08", "Birch Steel Fabricators", "Maintenance Mechanic", "", "99003", 3, 3, 3, 27.50, "hour", "certificate",
     "", ""),
    ("E09", "Cedar Falls Trailer Works", "Machine Repair Mechanic", "", "99005", 2, 2, 2, 27.00, "hour",
     "certificate", "", ""),
    # trucking and office work, roughly in line with the projections or below them
    ("E11", "Birchton Logistics", "", "53-3032", "99003", 120, 120, 125, 58000, "year", "license", "", ""),
    ("E12", "Cedar Falls Foods", "", "53-3032", "99005", 60, 60, 60, 55000, "year", "license", "", ""),
    ("E13", "Green Valley Markets", "", "53-3032", "99001", 45, 50, 50, 54000, "year", "license", "", ""),
    ("E14", "Birch County Bank", "Bookkeeper", "", "99003", 20, 20, 20, 42000, "year", "certificate", 4, ""),
    ("E15", "Northgate Staffing", "Full Charge Bookkeeper", "", "99001", 35, 35, 35, 44000, "year", "certificate", "", ""),
    ("E16", "Riverbend Auto Group", "Bookkeeper", "", "99001", 10, 10, 10, 41000, "year", "high_school", "", ""),
    ("E16", "Riverbend Auto Group", "Auto Mechanic", "", "99001", 25, 25, 25, 21.00, "hour", "certificate", 6, ""),
    ("E17", "Valley Fleet Services", "Diesel Mechanic", "", "99003", 8, 8, 10, 26.00, "hour", "certificate", 3, ""),
]

INVENTORY_COLUMNS = ["program_id", "partner_id", "partner_name", "partner_kind", "pathway", "item_kind", "item",
                     "annual_amount", "notes"]
WB = ("WDB-01", "Riverbend Valley Workforce Board", "workforce_board")
RCC = ("130001", "Riverbend Community College", "college")
FAMILY = ("CBO-01", "Riverbend Family Services", "community_org")
TRANSIT = ("CBO-02", "Valley Rides", "community_org")
UNITED = ("CBO-03", "United Way of Riverbend Valley", "community_org")
STATE = ("STATE-01", "ZZ Department of Higher Education", "state_agency")
HEALTH = ("E01", "Riverbend Health System", "employer")
# program, pathway, [(partner, kind, item, amount)]
INVENTORY: list[tuple[str, str, list[tuple[tuple[str, str, str], str, str, object]]]] = [
    ("130001:51.0801:2", "health", [  # the planted program paid for by three streams
        (WB, "funding", "wioa_title_i_ita", 180000), (RCC, "funding", "pell", 420000),
        (RCC, "funding", "perkins_v", 95000), (FAMILY, "support_service", "childcare", ""),
        (RCC, "support_service", "coaching", ""), (RCC, "work_based_learning", "externship", "")]),
    ("130006:51.0801:2", "health", [(WB, "funding", "wioa_title_i_ita", 60000),
                                    (FAMILY, "support_service", "childcare", ""),
                                    (RCC, "work_based_learning", "externship", "")]),
    ("130012:51.0801:2", "health", [(STATE, "funding", "state_grant", 50000),
                                    (("130012", "Birch County Community College", "college"), "work_based_learning",
                                     "externship", "")]),
    ("130001:51.3801:3", "health", [(STATE, "funding", "state_grant", 240000), (RCC, "funding", "pell", 210000),
                                    (HEALTH, "funding", "employer_paid", 150000),
                                    (FAMILY, "support_service", "childcare", ""),
                                    (TRANSIT, "support_service", "transportation", ""),
                                    (RCC, "work_based_learning", "clinical_placement", "")]),
    ("130004:51.3901:2", "health", [(WB, "funding", "wioa_title_i_ita", 90000),
                                    (TRANSIT, "support_service", "transportation", ""),
                                    (UNITED, "support_service", "emergency_aid", ""),
                                    (("130004", "Cedar Valley Career Center", "college"), "work_based_learning",
                                     "clinical_placement", "")]),
    ("130009:51.3902:20", "health", [(WB, "funding", "wioa_title_i_ita", 75000),
                                     (FAMILY, "support_service", "childcare", ""),
                                     (("130009", "Alder County Adult Technical Center", "college"),
                                      "work_based_learning", "clinical_placement", "")]),
    ("130009:46.0302:2", "skilled trades", [(WB, "funding", "wioa_title_i_ita", 70000),
                                            (FAMILY, "support_service", "childcare", ""),
                                            (TRANSIT, "support_service", "transportation", "")]),
    ("130004:47.0604:2", "skilled trades", [(RCC, "funding", "perkins_v", 40000),
                                            (UNITED, "support_service", "coaching", "")]),
    ("RAP-0401:47-2111:N2", "skilled trades", [
        (("RAP-0401", "Riverbend Electrical JATC", "employer"), "funding", "registered_apprenticeship", 120000),
        (("RAP-0401", "Riverbend Electrical JATC", "employer"), "work_based_learning", "apprenticeship", "")]),
    ("130010:49.0205:20", "transportation", [(WB, "funding", "wioa_title_i_ita", 110000),
                                             (FAMILY, "support_service", "childcare", ""),
                                             (TRANSIT, "support_service", "transportation", ""),
                                             (UNITED, "support_service", "coaching", "")]),
    # business and IT: coaching and tuition help, no childcare (no_childcare_pathway)
    ("130001:11.1006:21", "business and IT", [(RCC, "funding", "pell", 60000),
                                              (RCC, "support_service", "coaching", ""),
                                              (RCC, "support_service", "tuition_assistance", "")]),
    ("130001:52.0302:2", "business and IT", [(RCC, "support_service", "coaching", ""),   # the unfunded shortage's program
                                             (TRANSIT, "support_service", "transportation", "")]),
]


def plan_rows() -> list[dict[str, object]]:
    return [dict(zip(PLAN_COLUMNS, [*r, SURVEY_YEAR, "synthetic demo row"], strict=True)) for r in PLANS]


def inventory_rows() -> list[dict[str, object]]:
    rows = []
    for program, pathway, items in INVENTORY:
        for (pid, name, kind), item_kind, item, amount in items:
            rows.append(dict(zip(INVENTORY_COLUMNS, [program, pid, name, kind, pathway, item_kind, item, amount,
                                                     "synthetic demo row"], strict=True)))
    return rows


def _write_csv(path: Path, columns: list[str], rows: list[dict[str, object]]) -> Path:
    path.parent.mkdir(parents=True, exist_ok=True)
    with path.open("w", encoding="utf-8", newline="") as f:
        w = csv.DictWriter(f, fieldnames=columns, lineterminator="\n")
        w.writeheader()
        w.writerows(rows)
    return path


def write_partners(out: Path) -> list[Path]:
    """The demo's employer survey and partner inventory (both SYNTHETIC) under ``out/partners``."""
    d = Path(out) / "partners"
    return [_write_csv(d / "employer_hiring_plans.csv", PLAN_COLUMNS, plan_rows()),
            _write_csv(d / "partner_inventory.csv", INVENTORY_COLUMNS, inventory_rows())]
