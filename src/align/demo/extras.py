"""Synthetic O*NET-layout tables and participant records for the demo region's pathways and metrics.

Everything here is SYNTHETIC and deterministic: job zones are derived from each occupation's
entry education, related occupations from a hand-written list of plausible advancement links plus
same-group neighbours by wage, and participant records from fixed seeds with planted differences
between programs (named in OUTCOME_PLANTED) so the report's metrics have something to show. The
files use the O*NET text-release layouts (tab-delimited, O*NET-SOC codes such as 29-1141.00) and
the participant-records template, so they go through the same connectors and validation as real data.
"""

from __future__ import annotations

import csv
import math
from pathlib import Path

import numpy as np

from align.demo import catalog as cat

SEED = 20260306
ZONE_OF_EDUCATION = {"No formal educational credential": 1, "High school diploma or equivalent": 2,
                     "Some college, no degree": 3, "Postsecondary nondegree award": 3,
                     "Associate's degree": 3, "Bachelor's degree": 4, "Master's degree": 5,
                     "Doctoral or professional degree": 5}
LONG_TRAINING = {"Apprenticeship", "Long-term on-the-job training"}
# Plausible next steps (synthetic, in the spirit of O*NET's related occupations)
LINKS: dict[str, list[str]] = {
    "31-1131": ["29-2061", "29-1141", "31-9092", "29-2042"], "29-2061": ["29-1141", "31-1131"],
    "29-1141": ["29-1171", "25-1071", "29-2061"], "31-9092": ["29-2061", "29-2034", "31-9091"],
    "31-9091": ["29-1292", "31-9092"], "31-2021": ["29-1123"], "29-2042": ["29-2043", "29-1141"],
    "29-2052": ["29-2061", "31-9092"], "35-3023": ["35-2014", "41-2011"], "35-2014": ["35-1011"],
    "41-2011": ["41-2031", "43-4051", "31-1131"], "41-2031": ["43-4051", "11-1021"],
    "43-4051": ["43-6014", "43-3031"], "43-9061": ["43-6014", "43-3031"], "43-3031": ["13-2011"],
    "43-6014": ["13-1071", "11-1021"], "15-1232": ["15-1244", "15-1252"], "15-1244": ["15-1252"],
    "53-7062": ["53-7051", "53-3032"], "53-7051": ["53-3032", "49-9071"], "47-2061": ["47-2031", "47-2111", "47-2152"],
    "49-9071": ["49-9041", "49-9021", "47-2111"], "51-4121": ["51-4041", "17-3026", "49-9041"],
    "51-4041": ["17-3026", "49-9041"], "17-3026": ["17-2112", "17-2141"], "37-2011": ["49-9071", "53-7062"],
    "39-9011": ["25-2021", "21-1021"], "49-3023": ["49-3031"],
}
PATHWAY_OF = {"51": "health", "46": "skilled trades", "47": "skilled trades", "48": "skilled trades",
              "49": "transportation", "52": "business and IT", "11": "business and IT"}
# program → (employment chance in Q2, credential chance, externship share, hire-by-host chance, wage gain)
OUTCOME_PLANTED: dict[str, tuple[float, float, float, float, float]] = {
    "130001:51.0801:2": (0.85, 0.90, 0.80, 0.60, 1.25),   # medical assisting with strong externships
    "130006:51.0801:2": (0.70, 0.75, 0.30, 0.25, 1.15),
    "130003:51.0801:2": (0.55, 0.60, 0.10, 0.10, 1.05),   # weak placement beside its peers
    "130009:51.0801:2": (0.60, 0.50, 0.00, 0.00, 1.05),   # the thin program: a suppressed cell
    "130004:51.3901:2": (0.88, 0.85, 0.60, 0.55, 1.45),   # LPN: the biggest wage progression
    "130009:51.3902:20": (0.80, 0.95, 0.50, 0.50, 1.20),
    "130010:49.0205:20": (0.90, 0.92, 0.00, 0.00, 1.35),  # truck driving: fast to work
    "130004:47.0604:2": (0.78, 0.70, 0.40, 0.45, 1.25),
    "130009:46.0302:2": (0.82, 0.65, 0.70, 0.65, 1.30),
    "130001:11.1006:21": (0.62, 0.55, 0.20, 0.20, 1.10),
}
RECORDS_PER_PROGRAM = {"130009:51.0801:2": 6, "130003:51.0801:2": 60}


def _onet(soc: str) -> str:
    return f"{soc}.00"


def job_zone(education: str, training: str) -> int:
    zone = ZONE_OF_EDUCATION.get(education, 2)
    return min(5, zone + 1) if training in LONG_TRAINING and zone <= 2 else zone


def related_rows() -> list[list[object]]:
    """Related Occupations rows: hand links first, then same-major-group neighbours by wage."""
    wage = {o[0]: o[6] for o in cat.OCCUPATIONS}
    rows: list[list[object]] = []
    for soc in sorted(wage):
        picks = [s for s in LINKS.get(soc, []) if s in wage]
        near = sorted((s for s in wage if s[:2] == soc[:2] and s != soc and s not in picks),
                      key=lambda s: (abs(math.log(wage[s] / wage[soc])), s))
        for i, rel in enumerate((picks + near)[:10], start=1):
            tier = "Primary-Short" if i <= 5 else "Primary-Long"
            rows.append([_onet(soc), _onet(rel), tier, i])
    return rows


def _write_tab(path: Path, header: list[str], rows: list[list[object]]) -> Path:
    path.parent.mkdir(parents=True, exist_ok=True)
    with path.open("w", encoding="utf-8", newline="") as f:
        f.write("\t".join(header) + "\n")
        for r in rows:
            f.write("\t".join(str(v) for v in r) + "\n")
    return path


def onet_files(out: Path) -> list[Path]:
    """Occupation Data, Related Occupations and Job Zones for the demo's occupations."""
    occ = sorted(cat.OCCUPATIONS)
    d = out / "onet"
    return [
        _write_tab(d / "Occupation Data.txt", ["O*NET-SOC Code", "Title", "Description"],
                   [[_onet(o[0]), o[1][0].upper() + o[1][1:],
                     f"Synthetic demo description of {o[1].lower()} (not O*NET text)."] for o in occ]),
        _write_tab(d / "Related Occupations.txt",
                   ["O*NET-SOC Code", "Related O*NET-SOC Code", "Relatedness Tier", "Index"], related_rows()),
        _write_tab(d / "Job Zones.txt", ["O*NET-SOC Code", "Job Zone", "Date", "Domain Source"],
                   [[_onet(o[0]), job_zone(o[7], o[9]), "08/2024", "Analyst"] for o in occ]),
    ]


def participant_rows() -> list[dict[str, object]]:
    """Synthetic participant records, 40 per planted program (6 for the thin one)."""
    from align.outcomes.records import TEMPLATE_COLUMNS

    rng = np.random.default_rng(SEED)
    rows = []
    n_person = 0
    for pid, (p_emp, p_cred, p_ext, p_host, gain) in OUTCOME_PLANTED.items():
        provider, cip, _award = pid.split(":")
        for _ in range(RECORDS_PER_PROGRAM.get(pid, 40)):
            n_person += 1
            enrol = np.datetime64("2021-08-16") + int(rng.integers(0, 450))
            exit_ = enrol + int(rng.integers(90, 300))
            still_in = rng.random() < 0.05
            pre = float(np.round(rng.uniform(3000, 7000), -1)) if rng.random() < 0.8 else None
            emp2, emp4 = rng.random() < p_emp, rng.random() < p_emp + 0.03
            base = (pre or 5000.0) * gain
            w = [float(np.round(base * rng.uniform(0.9, 1.1), -1)) if e else None
                 for e in (emp2, emp2, emp4, emp4)]
            employer = f"EMP{int(rng.integers(100, 160))}"
            keep = rng.random() < 0.75
            emps = [employer if w[0] else "", employer if w[1] else "",
                    (employer if keep else f"EMP{int(rng.integers(160, 199))}") if w[2] else "",
                    (employer if keep else f"EMP{int(rng.integers(160, 199))}") if w[3] else ""]
            cred = rng.random() < p_cred
            cred_date = exit_ + int(rng.integers(-60, 330)) if cred else None
            ext = rng.random() < p_ext
            ext_done = ext and rng.random() < 0.85
            host = f"EMP{int(rng.integers(100, 160))}" if ext else ""
            ext_end = exit_ - int(rng.integers(0, 40)) if ext else None
            hired_host = ext_done and rng.random() < p_host
            hired_any = hired_host or (ext_done and rng.random() < 0.3)
            hire_date = ext_end + int(rng.integers(5, 150)) if hired_any else None
            row = {
                "person_id": f"DEMO-{n_person:05d}", "program_id": pid, "provider_id": provider,
                "pathway": PATHWAY_OF.get(cip[:2], "other"), "enrol_date": str(enrol),
                "exit_date": "" if still_in else str(exit_), "in_training": "Y",
                "credential": "certificate" if cred else "", "credential_date": str(cred_date) if cred else "",
                "externship": "Y" if ext else "N", "externship_completed": "Y" if ext_done else "N",
                "externship_employer": host, "externship_end_date": str(ext_end) if ext else "",
                "hire_date": str(hire_date) if hired_any else "",
                "hire_employer": (host if hired_host else f"EMP{int(rng.integers(160, 199))}") if hired_any else "",
                "wage_pre": "" if pre is None else f"{pre:.0f}",
                **{f"wage_q{q}": "" if still_in or w[q - 1] is None else f"{w[q - 1]:.0f}" for q in range(1, 5)},
                **{f"employer_q{q}": "" if still_in else emps[q - 1] for q in range(1, 5)},
            }
            rows.append({c: row.get(c, "") for c in TEMPLATE_COLUMNS})
    return rows


def participant_file(out: Path) -> Path:
    path = out / "participants" / "participant_records.csv"
    path.parent.mkdir(parents=True, exist_ok=True)
    rows = participant_rows()
    with path.open("w", encoding="utf-8", newline="") as f:
        w = csv.DictWriter(f, fieldnames=list(rows[0]), lineterminator="\n")
        w.writeheader()
        w.writerows(rows)
    return path


def generate_extras(out: Path) -> list[Path]:
    """Write the demo's O*NET-layout files and participant records under ``out``; return the paths."""
    out = Path(out)
    return [*onet_files(out), participant_file(out)]
