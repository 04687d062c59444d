"""Deterministic generator of the synthetic demo region, written in the publishers' layouts.

Run ``python -m align.demo.generate data/demo`` (or ``align demo-data``) to rewrite the files.
The same seed always gives the same numbers, so the committed files can be checked against it.
"""

from __future__ import annotations

import sys
from pathlib import Path

import numpy as np

from align.demo import catalog as cat
from align.demo import layouts

SEED = 20260301
SECTOR_OF = {"11": "11", "21": "21", "22": "22", "23": "23", "31": "31-33", "32": "31-33", "33": "31-33",
             "42": "42", "44": "44-45", "45": "44-45", "48": "48-49", "49": "48-49", "51": "51", "52": "52",
             "53": "53", "54": "54", "55": "55", "56": "56", "61": "61", "62": "62", "71": "71", "72": "72",
             "81": "81", "92": "92"}
RURAL_ARCHETYPES = {"agriculture", "mining"}
AVG_PAY = {"health_hospital": 68000, "professional": 82000, "information": 88000, "finance": 76000,
           "management": 95000, "food_services": 24000, "retail": 33000, "accommodation": 28000}


def industry_history(rng: np.random.Generator) -> dict[str, np.ndarray]:
    """Regional employment per industry and year: trend, the 2009-10 and 2020 dips, noise."""
    years = np.array(list(cat.HISTORY_YEARS))
    out = {}
    for naics, _title, base, trend, arche, _own in cat.INDUSTRIES:
        level = base * np.exp(trend * (years - years[-1]))
        if arche in cat.CYCLICAL:
            level *= np.where(years == 2009, 0.95, np.where(years == 2010, 0.96, 1.0))
            level *= np.where(years == 2011, 0.98, 1.0)
        level *= np.where(years == 2020, 0.80 if arche in cat.PANDEMIC else 0.96, 1.0)
        level *= np.where(years == 2021, 0.92 if arche in cat.PANDEMIC else 0.99, 1.0)
        level *= np.exp(rng.normal(0.0, 0.012, len(years)))
        level[-1] = base  # the base year is the calibrated figure
        out[naics] = level
    return out


def county_shares(arche: str) -> dict[str, float]:
    if arche in RURAL_ARCHETYPES:
        return {"99001": 0.20, "99003": 0.35, "99005": 0.45}
    return dict(cat.COUNTY_SPLIT)


def qcew_rows(history: dict[str, np.ndarray]) -> dict[tuple[int, str], list[dict[str, object]]]:
    """One annual area slice per county and year: totals, ownership totals, sectors, 3-digit."""
    files: dict[tuple[int, str], list[dict[str, object]]] = {}
    for yi, year in enumerate(cat.HISTORY_YEARS):
        for county in cat.COUNTIES:
            cells: dict[tuple[str, str], int] = {}
            for naics, _t, _b, _g, arche, owners in cat.INDUSTRIES:
                regional = history[naics][yi] * county_shares(arche)[county]
                for own, share in owners.items():
                    cells[(own, naics)] = round(regional * share)
            suppressed = {("5", "212")} if county == "99005" else set()
            if county == "99005" and year in (2013, 2014, 2015):
                suppressed.add(("5", "325"))
            rows: list[dict[str, object]] = []

            def row(own: str, code: str, agglvl: str, emp: int, arche: str = "", hidden: bool = False,
                    county: str = county, year: int = year) -> dict[str, object]:
                pay = AVG_PAY.get(arche, 52000)
                if hidden:
                    return {"area_fips": county, "own_code": own, "industry_code": code, "agglvl_code": agglvl,
                            "size_code": "0", "year": str(year), "qtr": "A", "disclosure_code": "N",
                            "lq_disclosure_code": "N", "oty_disclosure_code": "N"}
                return {"area_fips": county, "own_code": own, "industry_code": code, "agglvl_code": agglvl,
                        "size_code": "0", "year": str(year), "qtr": "A", "disclosure_code": "",
                        "annual_avg_estabs": max(1, emp // 14), "annual_avg_emplvl": emp,
                        "total_annual_wages": emp * pay, "taxable_annual_wages": emp * min(pay, 9000),
                        "annual_contributions": emp * 120, "annual_avg_wkly_wage": round(pay / 52),
                        "avg_annual_pay": pay, "lq_disclosure_code": "", "oty_disclosure_code": ""}

            total = sum(cells.values())
            rows.append(row("0", "10", "70", total))
            for own in ("1", "2", "3", "5"):
                own_total = sum(v for (o, _n), v in cells.items() if o == own)
                if own_total:
                    rows.append(row(own, "10", "71", own_total))
            sectors: dict[str, int] = {}
            for (own, naics), v in cells.items():
                if own == "5":
                    sectors[SECTOR_OF[naics[:2]]] = sectors.get(SECTOR_OF[naics[:2]], 0) + v
            for sector, v in sorted(sectors.items()):
                hidden_sector = any(SECTOR_OF[n[:2]] == sector for (_o, n) in suppressed)
                rows.append(row("5", sector, "74", v, hidden=hidden_sector))
            arche_of = {n: a for n, _t, _b, _g, a, _o in cat.INDUSTRIES}
            for (own, naics), v in sorted(cells.items()):
                rows.append(row(own, naics, "75", v, arche_of[naics], hidden=(own, naics) in suppressed))
            files[(year, county)] = rows
    return files


def staffing_rows(rng: np.random.Generator) -> list[dict[str, object]]:
    """National 3-digit industry staffing patterns in the OEWS industry-specific layout."""
    occ = {o[0]: o for o in cat.OCCUPATIONS}
    rows: list[dict[str, object]] = []
    for naics, title, base, _g, arche, _own in cat.INDUSTRIES:
        shares = dict(cat.OFFICE_SHARES)  # every industry employs some office staff
        shares.update(cat.ARCHETYPES[arche])
        national = base * 420
        rows.append(_oews_row(naics, title, "00-0000", "All Occupations", "total", national, 100.0,
                              52000.0))
        for soc in sorted(shares):
            share = shares[soc] * float(np.exp(rng.normal(0.0, 0.12)))
            otitle = occ[soc][1]
            wage = occ[soc][6] * float(np.exp(rng.normal(0.0, 0.08)))
            r = _oews_row(naics, title, soc, otitle.capitalize(), "detailed", national * share,
                          round(share * 100, 2), wage)
            if (naics, soc) in {("211", "49-3031"), ("313", "51-4121")}:
                r.update(TOT_EMP="**", EMP_PRSE="**", PCT_TOTAL="**", PCT_RPT="**")
            if soc in {"29-1171", "15-1252", "29-1123"} and wage > 120000:
                r.update(A_PCT90="#", H_PCT90="#")
            if soc in {"25-2021", "25-2031"}:  # teachers: annual wages only
                r.update(H_MEAN="*", H_PCT10="*", H_PCT25="*", H_MEDIAN="*", H_PCT75="*", H_PCT90="*",
                         ANNUAL="TRUE")
            rows.append(r)
    return rows


def _oews_row(naics: str, naics_title: str, soc: str, title: str, group: str, emp: float, pct: float,
              wage: float) -> dict[str, object]:
    a = round(wage, -1)
    return {"AREA": "99", "AREA_TITLE": "U.S. (synthetic demo)", "AREA_TYPE": "1", "PRIM_STATE": "US",
            "NAICS": naics, "NAICS_TITLE": naics_title, "I_GROUP": "3-digit", "OWN_CODE": "1235",
            "OCC_CODE": soc, "OCC_TITLE": title, "O_GROUP": group, "TOT_EMP": int(round(emp, -1)),
            "EMP_PRSE": 2.1, "JOBS_1000": None, "LOC_QUOTIENT": None, "PCT_TOTAL": pct, "PCT_RPT": 100,
            "H_MEAN": round(a * 1.06 / 2080, 2), "A_MEAN": round(a * 1.06, -1), "MEAN_PRSE": 0.8,
            "H_PCT10": round(a * 0.62 / 2080, 2), "H_PCT25": round(a * 0.78 / 2080, 2),
            "H_MEDIAN": round(a / 2080, 2), "H_PCT75": round(a * 1.25 / 2080, 2),
            "H_PCT90": round(a * 1.55 / 2080, 2), "A_PCT10": round(a * 0.62, -1),
            "A_PCT25": round(a * 0.78, -1), "A_MEDIAN": a, "A_PCT75": round(a * 1.25, -1),
            "A_PCT90": round(a * 1.55, -1), "ANNUAL": None, "HOURLY": None}


def regional_wage_rows(history: dict[str, np.ndarray]) -> list[dict[str, object]]:
    """The region's OEWS cross-industry estimates (MSA layout): employment and wages by occupation."""
    base = {naics: level[-1] for naics, level in history.items()}
    rows = [_oews_row("000000", "Cross-industry", "00-0000", "All Occupations", "total", sum(base.values()),
                      100.0, 50500.0)]
    for soc, title, *_n, wage, _e, _x, _o in cat.OCCUPATIONS:
        emp = sum(base[n] * {**cat.OFFICE_SHARES, **cat.ARCHETYPES[a]}.get(soc, 0.0)
                  for n, _t, _b, _g, a, _own in cat.INDUSTRIES)
        rows.append(_oews_row("000000", "Cross-industry", soc, title.capitalize(), "detailed", emp,
                              None, wage * 0.96))
    for r in rows:
        r.update(AREA="99990", AREA_TITLE="Riverbend Valley, ZZ (synthetic demo)", AREA_TYPE="4",
                 PRIM_STATE="ZZ", I_GROUP="cross-industry", OWN_CODE="1235", PCT_TOTAL=None, PCT_RPT=None)
    return rows


def ep_tables() -> tuple[list[list[object]], list[list[object]]]:
    """Rows of EP Tables 1.2 and 1.10 (thousands, percent), with summary rows for each group."""
    def numbers(e0: float, e1: float, exit_rate: float, transfer_rate: float) -> list[float]:
        avg = (e0 + e1) / 2
        exits, transfers = avg * exit_rate / 100, avg * transfer_rate / 100
        change = e1 - e0
        openings = change / 10 + exits + transfers
        return [round(e0, 1), round(e1, 1), round(change, 1), round(100 * change / e0, 1), exit_rate,
                transfer_rate, round(exit_rate + transfer_rate, 1), round(exits, 1), round(transfers, 1),
                round(exits + transfers, 1), round(openings, 1)]

    t12: list[list[object]] = []
    t110: list[list[object]] = []
    groups: dict[str, list[tuple]] = {}
    for o in cat.OCCUPATIONS:
        groups.setdefault(o[0][:2], []).append(o)
    everything = list(cat.OCCUPATIONS)
    e0_all = sum(o[2] for o in everything)
    e1_all = sum(o[3] for o in everything)

    def weighted(members: list[tuple], i: int) -> float:
        return round(sum(o[i] * o[2] for o in members) / sum(o[2] for o in members), 1)

    def summary(title: str, code: str, members: list[tuple], indent: str) -> None:
        e0, e1 = sum(o[2] for o in members), sum(o[3] for o in members)
        n = numbers(e0, e1, weighted(members, 4), weighted(members, 5))
        t110.append([indent + title, code, "Summary", *n])
        t12.append([indent + title, code, "Summary", n[0], n[1], round(100 * e0 / e0_all, 1),
                    round(100 * e1 / e1_all, 1), n[2], n[3], "—", n[10], "—", "—", "—", "—", "—"])

    summary("Total, all occupations", "00-0000", everything, "")
    for major in sorted(groups):
        members = groups[major]
        summary(cat.SOC_MAJOR_TITLES[major], f"{major}-0000", members, "  ")
        for soc, title, e0, e1, er, tr, wage, edu, exp, ojt in members:
            n = numbers(e0, e1, er, tr)
            t110.append(["    " + title, soc, "Line item", *n])
            t12.append(["    " + title, soc, "Line item", n[0], n[1], round(100 * e0 / e0_all, 1),
                        round(100 * e1 / e1_all, 1), n[2], n[3], 5.0, n[10], wage, edu, exp, ojt, "OOH Content"])
    return t12, t110


def completions_rows(rng: np.random.Generator) -> dict[int, list[dict[str, object]]]:
    """IPEDS C{year}_A rows per year, with each provider x award-level CIP 99 total row."""
    out: dict[int, list[dict[str, object]]] = {}
    for year in cat.COMPLETION_YEARS:
        rows: list[dict[str, object]] = []
        totals: dict[tuple[str, str], int] = {}
        for unitid, cip, award, mean in cat.PROGRAMS:
            n = max(0, round(mean * float(np.exp(rng.normal(0.0, 0.08)))))
            women = round(n * 0.6)
            rows.append({"UNITID": unitid, "CIPCODE": cip, "MAJORNUM": 1, "AWLEVEL": award, "XCTOTALT": "R",
                         "CTOTALT": n, "XCTOTALM": "R", "CTOTALM": n - women, "XCTOTALW": "R", "CTOTALW": women})
            totals[(unitid, award)] = totals.get((unitid, award), 0) + n
        # a second major the parser must leave out by default
        rows.append({"UNITID": "130002", "CIPCODE": "52.0301", "MAJORNUM": 2, "AWLEVEL": "5", "XCTOTALT": "R",
                     "CTOTALT": 12, "XCTOTALM": "R", "CTOTALM": 5, "XCTOTALW": "R", "CTOTALW": 7})
        for (unitid, award), n in sorted(totals.items()):
            rows.append({"UNITID": unitid, "CIPCODE": "99", "MAJORNUM": 1, "AWLEVEL": award, "XCTOTALT": "R",
                         "CTOTALT": n, "XCTOTALM": "R", "CTOTALM": 0, "XCTOTALW": "R", "CTOTALW": 0})
        out[year] = sorted(rows, key=lambda r: (r["UNITID"], r["CIPCODE"], int(r["MAJORNUM"]), int(r["AWLEVEL"])))
    return out


def directory_rows() -> list[dict[str, object]]:
    names = {**cat.COUNTIES, cat.OUTSIDE_COUNTY: "Lake County"}
    rows = []
    for unitid, name, county, city, sector in cat.PROVIDERS:
        rows.append({"UNITID": unitid, "INSTNM": name, "IALIAS": " ", "ADDR": "1 College Way", "CITY": city,
                     "STABBR": "ZZ", "ZIP": "99999", "FIPS": " " + str(int(cat.STATE_FIPS)), "OBEREG": " 3",
                     "SECTOR": sector, "ICLEVEL": 1 if sector in (1, 2) else (2 if sector == 4 else 3),
                     "CONTROL": 1 if sector in (1, 4, 7) else (2 if sector == 2 else 3),
                     "CBSA": 99990 if county != cat.OUTSIDE_COUNTY else -2, "COUNTYCD": int(county),
                     "COUNTYNM": names[county], "LONGITUD": -83.0, "LATITUDE": 40.0})
    return rows


def generate(out: Path) -> list[Path]:
    """Write every demo input file under ``out`` and return their paths."""
    rng = np.random.default_rng(SEED)
    out = Path(out)
    written: list[Path] = []
    history = industry_history(rng)
    for (year, county), rows in sorted(qcew_rows(history).items()):
        written.append(layouts.write_qcew_annual(out / "qcew" / f"{year}-a-{county}.csv", rows))
    written.append(layouts.write_oews_industry(out / "oews" / "nat3d_M2024_dl.xlsx", staffing_rows(rng),
                                               "nat3d_M2024_dl"))
    written.append(layouts.write_oews_industry(out / "oews" / "MSA_M2024_dl.xlsx", regional_wage_rows(history),
                                               "MSA_M2024_dl"))
    t12, t110 = ep_tables()
    written.append(layouts.write_ep_workbook(out / "ep" / "occupation.xlsx", t12, t110))
    for year, rows in completions_rows(rng).items():
        written.append(layouts.write_ipeds_completions(out / "ipeds" / f"c{year}_a.csv", rows))
    written.append(layouts.write_ipeds_hd(out / "ipeds" / "hd2024.csv", directory_rows()))
    crosswalk = [(c, cat.CIP_TITLES[c], s, t) for c, s, t in cat.CROSSWALK]
    written.append(layouts.write_cip_soc_crosswalk(out / "cip_soc" / "CIP2020_SOC2018_Crosswalk.csv", crosswalk))
    inventory = [{**dict(zip(layouts.INVENTORY_COLUMNS, r[:9], strict=True)),
                  **{f"completers_{y}": n for y, n in r[9].items()}, "work_based_learning": r[10]}
                 for r in cat.INVENTORY]
    written.append(layouts.write_training_inventory(out / "inventory" / "training_inventory.csv", inventory,
                                                    cat.COMPLETION_YEARS))
    from align.demo.extras import generate_extras  # O*NET-layout files and participant records

    written += generate_extras(out)
    from align.demo.postings import write_postings

    written += write_postings(out)
    from align.demo.partners import write_partners  # employer survey and partner inventory

    written += write_partners(out)
    return written


def main(argv: list[str] | None = None) -> int:
    args = sys.argv[1:] if argv is None else argv
    target = Path(args[0]) if args else Path("data/demo")
    paths = generate(target)
    print(f"wrote {len(paths)} synthetic demo files under {target}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
