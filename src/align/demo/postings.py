"""Synthetic job postings for the demo region, and the O*NET-layout alternate titles to code them.

Postings are drawn per occupation in proportion to openings, with the skew real postings data
show (office and professional jobs over-represented, trades and food service under-represented),
and about one in twelve re-posted by a second board or after a few weeks, so de-duplication has
something to find. Titles vary the way postings do: seniority, shifts, bonuses, abbreviations.
"""

from __future__ import annotations

import datetime as dt
from pathlib import Path

import numpy as np

from align.demo import catalog as cat
from align.demo.layouts import _csv_bytes
from align.store import write_bytes

SEED = 20260401

ALTERNATE_TITLES: dict[str, list[str]] = {
    "11-1021": ["Operations Manager", "General Manager", "Plant Manager", "Store Manager", "Operations Director"],
    "13-1071": ["Human Resources Specialist", "HR Generalist", "Recruiter", "Talent Acquisition Specialist"],
    "13-2011": ["Accountant", "Staff Accountant", "Auditor", "Senior Accountant", "CPA"],
    "15-1232": ["Help Desk Technician", "IT Support Specialist", "Desktop Support Technician", "Service Desk Analyst"],
    "15-1244": ["Network Administrator", "Systems Administrator", "Sysadmin", "Network Engineer"],
    "15-1252": ["Software Developer", "Software Engineer", "Application Developer", "Programmer", "Full Stack Developer"],
    "17-2112": ["Industrial Engineer", "Manufacturing Engineer", "Process Engineer", "Lean Engineer"],
    "17-2141": ["Mechanical Engineer", "Design Engineer", "Mechanical Design Engineer"],
    "17-3026": ["Industrial Engineering Technician", "Manufacturing Technician", "Quality Technician"],
    "21-1021": ["Caseworker", "Child Welfare Social Worker", "School Social Worker", "Family Services Worker"],
    "25-1071": ["Nursing Faculty", "Health Sciences Instructor", "Clinical Instructor"],
    "25-2021": ["Elementary School Teacher", "Elementary Teacher", "Fourth Grade Teacher", "Classroom Teacher"],
    "25-2031": ["High School Teacher", "Secondary Math Teacher", "High School English Teacher"],
    "29-1123": ["Physical Therapist", "PT", "Outpatient Physical Therapist"],
    "29-1141": ["Registered Nurse", "RN", "Staff Nurse", "ICU Nurse", "Charge Nurse", "Med Surg RN"],
    "29-1171": ["Nurse Practitioner", "Family Nurse Practitioner", "FNP", "APRN"],
    "29-1292": ["Dental Hygienist", "Registered Dental Hygienist", "RDH"],
    "29-2034": ["Radiologic Technologist", "X-Ray Technician", "Rad Tech", "Radiographer"],
    "29-2042": ["Emergency Medical Technician", "EMT", "EMT-Basic", "Ambulance EMT"],
    "29-2043": ["Paramedic", "Flight Paramedic", "Firefighter Paramedic"],
    "29-2052": ["Pharmacy Technician", "Certified Pharmacy Technician", "CPhT", "Pharmacy Tech"],
    "29-2061": ["Licensed Practical Nurse", "LPN", "Licensed Vocational Nurse", "LVN"],
    "31-1131": ["Certified Nursing Assistant", "CNA", "Nurse Aide", "Patient Care Assistant"],
    "31-2021": ["Physical Therapist Assistant", "PTA", "Physical Therapy Assistant"],
    "31-9091": ["Dental Assistant", "Certified Dental Assistant", "Orthodontic Assistant"],
    "31-9092": ["Medical Assistant", "Certified Medical Assistant", "Clinical Medical Assistant", "CMA"],
    "33-3051": ["Police Officer", "Patrol Officer", "Deputy Sheriff", "Police Patrolman"],
    "35-1011": ["Executive Chef", "Head Chef", "Sous Chef", "Kitchen Manager"],
    "35-2014": ["Line Cook", "Restaurant Cook", "Prep Cook", "Grill Cook"],
    "35-3023": ["Crew Member", "Fast Food Worker", "Counter Attendant", "Team Member"],
    "37-2011": ["Janitor", "Custodian", "Cleaner", "Custodial Worker"],
    "39-5012": ["Hair Stylist", "Cosmetologist", "Hairdresser", "Salon Stylist"],
    "39-9011": ["Childcare Worker", "Daycare Teacher", "Child Care Provider", "Infant Teacher"],
    "41-2011": ["Cashier", "Front End Cashier", "Checker", "Cashier Clerk"],
    "41-2031": ["Retail Sales Associate", "Sales Associate", "Retail Associate", "Salesperson"],
    "43-3031": ["Bookkeeper", "Accounts Payable Clerk", "Accounting Clerk", "Full Charge Bookkeeper"],
    "43-4051": ["Customer Service Representative", "Call Center Representative", "Customer Care Agent", "CSR"],
    "43-6014": ["Administrative Assistant", "Office Assistant", "Secretary", "Receptionist Secretary"],
    "43-9061": ["Office Clerk", "Clerical Assistant", "General Office Clerk", "Data Entry Clerk"],
    "47-2031": ["Carpenter", "Finish Carpenter", "Framer", "Journeyman Carpenter"],
    "47-2061": ["Construction Laborer", "General Laborer", "Construction Worker", "Concrete Laborer"],
    "47-2111": ["Electrician", "Journeyman Electrician", "Industrial Electrician", "Apprentice Electrician"],
    "47-2152": ["Plumber", "Pipefitter", "Journeyman Plumber", "Steamfitter"],
    "49-3023": ["Automotive Technician", "Auto Mechanic", "Lube Technician", "Automotive Service Technician"],
    "49-3031": ["Diesel Mechanic", "Diesel Technician", "Truck Mechanic", "Fleet Mechanic"],
    "49-9021": ["HVAC Technician", "HVAC Installer", "Refrigeration Technician", "Heating Technician"],
    "49-9041": ["Industrial Maintenance Mechanic", "Maintenance Mechanic", "Millwright", "Machine Repair Mechanic"],
    "49-9071": ["Maintenance Technician", "Maintenance Worker", "Building Maintenance Technician", "Handyman"],
    "51-4041": ["Machinist", "CNC Machinist", "Tool and Die Machinist", "Manual Machinist"],
    "51-4121": ["Welder", "MIG Welder", "TIG Welder", "Welder Fabricator", "Structural Welder"],
    "53-3032": ["CDL-A Truck Driver", "Truck Driver", "Tractor Trailer Driver", "OTR Driver", "Class A Driver"],
    "53-7051": ["Forklift Operator", "Forklift Driver", "Reach Truck Operator", "Material Handler Forklift"],
    "53-7062": ["Warehouse Associate", "Material Handler", "Package Handler", "Warehouse Worker", "Loader"],
}
# how many postings per opening, by SOC major group (postings over-represent office work)
COVERAGE = {"11": 1.1, "13": 1.2, "15": 1.4, "17": 1.0, "21": 0.6, "25": 0.4, "29": 0.9, "31": 0.7,
            "33": 0.3, "35": 0.25, "37": 0.3, "39": 0.3, "41": 0.5, "43": 0.8, "47": 0.3, "49": 0.5,
            "51": 0.5, "53": 0.7}
DECORATIONS = ["", "", "", " - Nights", " - Full Time", " ($2,500 Sign-On Bonus)", " I", " II", " - Days",
               " (Part Time)", " - Weekends"]
EMPLOYERS = ["Riverbend Health System", "Alder Regional Medical Center", "Birchton Logistics", "Cedar Falls Foods",
             "Valley Manufacturing Co.", "Riverbend Public Schools", "Alder County", "Northgate Staffing",
             "Millbrook Industries", "Riverbend Auto Group", "Birch County Bank", "Summit Software LLC",
             "Lakeside Senior Living", "Green Valley Markets", "Riverbend Hotel & Suites"]
CITIES = [("Riverbend", "99001"), ("Millbrook", "99001"), ("Birchton", "99003"), ("Cedar Falls", "99005")]
AMBIGUOUS = ["Associate", "Team Lead", "Specialist II", "Coordinator", "Technician", "Analyst",
             "Shift Supervisor", "Agent", "Representative", "Assistant Manager", "Consultant", "Operator"] * 8
HEADER = ["ID", "POSTED", "EXPIRED", "TITLE_RAW", "COMPANY_NAME", "CITY_NAME", "STATE_NAME", "COUNTY_FIPS"]


def alternate_title_rows() -> list[list[object]]:
    """O*NET 'Alternate Titles' rows (O*NET-SOC code, title, short title, sources)."""
    rows = []
    for soc in sorted(ALTERNATE_TITLES):
        for title in ALTERNATE_TITLES[soc]:
            rows.append([f"{soc}.00", title, "", "08"])
    return rows


def posting_rows(openings: dict[str, float] | None = None, year: int = 2024) -> list[list[object]]:
    """A year of postings: about openings × coverage per occupation, 8% re-posted."""
    rng = np.random.default_rng(SEED)
    openings = openings or {o[0]: (o[3] - o[2]) / 10 * 4 + o[2] * (o[4] + o[5]) / 100 * 4 for o in cat.OCCUPATIONS}
    rows: list[list[object]] = []
    start = dt.date(year, 1, 1)
    n = 0
    for soc in sorted(ALTERNATE_TITLES):
        count = int(rng.poisson(max(openings.get(soc, 0.0), 0.0) * COVERAGE[soc[:2]] * 0.25))
        for _ in range(count):
            n += 1
            title = rng.choice(ALTERNATE_TITLES[soc]) + rng.choice(DECORATIONS)
            employer = rng.choice(EMPLOYERS)
            city, county = CITIES[rng.integers(len(CITIES))]
            posted = start + dt.timedelta(days=int(rng.integers(0, 365)))
            row = [f"P{n:06d}", posted.isoformat(), (posted + dt.timedelta(days=30)).isoformat(), title, employer,
                   city, "ZZ", county]
            rows.append(row)
            if rng.random() < 0.08:  # the same job again: another board, or re-posted weeks later
                n += 1
                later = posted + dt.timedelta(days=int(rng.integers(0, 40)))
                rows.append([f"P{n:06d}", later.isoformat(), (later + dt.timedelta(days=30)).isoformat(), title,
                             employer, city, "ZZ", county])
    for title in AMBIGUOUS:  # titles no coder should be sure of
        n += 1
        posted = start + dt.timedelta(days=int(rng.integers(0, 365)))
        city, county = CITIES[rng.integers(len(CITIES))]
        rows.append([f"P{n:06d}", posted.isoformat(), (posted + dt.timedelta(days=30)).isoformat(), title,
                     rng.choice(EMPLOYERS), city, "ZZ", county])
    return sorted(rows, key=lambda r: (r[1], r[0]))


def write_postings(out: Path) -> list[Path]:
    """The demo's postings export and the alternate titles the autocoder learns from."""
    alt = ["O*NET-SOC Code", "Alternate Title", "Short Title", "Source(s)"]
    text = "\n".join("\t".join(str(c) for c in r) for r in [alt, *alternate_title_rows()]) + "\n"
    return [write_bytes(out / "onet" / "Alternate Titles.txt", text.encode("utf-8")),
            write_bytes(out / "postings" / "postings_export.csv", _csv_bytes([HEADER, *posting_rows()]))]
