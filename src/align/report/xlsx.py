"""The report's tables as an Excel workbook that board staff can use without a programmer.

Headers are words, names stand beside codes (and before them), rates read as percentages and
pay as dollars, and each sheet starts with what matters: the jobs sheet opens with the largest
shortages where training is the way in, not with the jobs learned on the job. Every header is
explained in the "Data dictionary" sheet, generated from :mod:`align.fields`, and the metric
definitions it refers to are a sheet of their own. The flag column keeps its words in the cell;
colour only repeats them.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from pathlib import Path

import pandas as pd
import xlsxwriter

from align import fields
from align.match import gaps as G
from align.multiregion import statewide as S
from align.report import views
from align.report.words import TRAINING_FLAGS, flag_label
from align.store import atomic_write, neutral_text

FLAG_FILL = {**{f: "#F6C7A8" for f in G.SHORTAGE_FLAGS}, **{f: "#B3D4EC" for f in G.SURPLUS_FLAGS},
             G.BALANCED: "#B8E0D2", G.ON_THE_JOB: "#E3E3E3", G.EXPERIENCED: "#E3E3E3"}
FLAG_RANK = {f: i for i, f in enumerate((G.UNDERSUPPLY, G.SLIGHT_UNDERSUPPLY, G.NO_PROGRAM, G.OVERSUPPLY,
                                         G.SLIGHT_OVERSUPPLY, G.BALANCED, G.ON_THE_JOB, G.EXPERIENCED,
                                         G.BELOW_MINIMUM))}
def _by_finding(d: pd.DataFrame, column: str, ranks: dict[str, int], within: tuple[str, ...] = ()) -> pd.DataFrame:
    """Rows by their finding in ``column`` in the order of ``ranks`` (others last), the largest gap
    (either way) first within one finding; with ``within``, grouped by those columns first."""
    return d.assign(_r=d[column].map(ranks).fillna(len(ranks)), _g=-d["gap"].abs()).sort_values(
        [*within, "_r", "_g", "soc_code"]).drop(columns=["_r", "_g"])


SHEETS = (  # (sheet, table, what it is, how its rows are ordered)
    ("Jobs", "gaps", "One row per job: openings with 80% range, trained supply, gap and the finding with its "
     "reason. Largest shortages first."),
    ("Supply by job", "occupation_supply", "Trained supply per job and the programs that supply it."),
    ("Programs", "programs", "Every regional program with its average graduates a year."),
    ("Duplicated programs", "duplication", "Programs offered by several providers: their trained supply "
     "against the openings they serve."),
    ("Duplicated series", "duplication_series", "The wider view: one 4-digit program series at one award level."),
    ("Double counting", "double_count_audit", "How much summing every linked job's openings per program would "
     "overstate demand."),
    ("Pathways", "pathways", "Moves between jobs (when the run computed them)."),
    ("Career ladders", "ladders", "The best-paying career ladder from each entry job, one row each (every step of "
     "every ladder is in ladders.csv)."),
    ("Ladder gaps", "pathway_gaps", "Ladder steps with demand but no regional training."),
    ("Entry points", "entry_points", "Jobs open with short training that lead to jobs in demand."),
    ("Stackable credentials", "stacks", "Credentials that build on each other, and broken steps."),
    ("Job postings", "postings_agreement", "Job postings beside projected openings (postings are not openings)."),
    ("Outcome measures", "metrics", "Outcome measures; withheld cells are empty (never zero) and say why."),
    ("Metric definitions", "metric_definitions", "How each outcome measure is defined, for every partner alike."),
    ("Forecast accuracy", "forecast_accuracy", "How accurate each forecast method was on past years, against "
     "assuming no change."),
    # the partner side (align.partners): employer plans, placements, funding, support services
    ("Demand signals", "demand_signals", "Projected openings, job postings and employer-reported hires per job, "
     "side by side."),
    ("Employer hiring plans", "employer_demand", "Employer survey answers by job; withheld cells are empty and "
     "say why."),
    ("Externships", "externships", "Externship places programs need beside those employers offer."),
    ("Program funding", "program_funding", "Each program's funding streams, support services and work-based "
     "learning."),
    ("Funding by job", "occupation_funding", "Funding reaching each job, per projected opening, with the "
     "arithmetic."),
    ("Funding coordination", "funding_coordination", "Programs paid by several funding streams beside a larger "
     "shortage with none."),
    ("Pathway support", "pathway_support", "Support services each pathway's programs offer and miss, with "
     "completion."),
    ("Support and outcomes", "support_outcomes", "Completion and retention with and without each support "
     "service."),
)
ORDER: dict[str, Callable[[pd.DataFrame], pd.DataFrame]] = {
    # a chance of shortage only where training is the way in (gaps.csv keeps all)
    "gaps": lambda d: _by_finding(d.assign(probability_shortage=d["probability_shortage"].where(
        d["flag"].isin(TRAINING_FLAGS))), "flag", FLAG_RANK),
    "occupation_supply": lambda d: d.sort_values(["effective_supply", "soc_code"], ascending=[False, True]),
    "programs": lambda d: d.sort_values(["completers", "program_id"], ascending=[False, True]),
    "duplication": lambda d: d.sort_values(["is_duplicated", "excess_supply"], ascending=[False, False]),
    "duplication_series": lambda d: d.sort_values(["is_duplicated", "excess_supply"], ascending=[False, False]),
    "double_count_audit": lambda d: d.sort_values("inflation", ascending=False),
    "postings_agreement": lambda d: d.sort_values("annual_openings", ascending=False),
    "ladders": lambda d: views.ladders(d, {}) if {"ladder_rank", "step", "n_programs"} <= set(d.columns) else d,
}
# The statewide workbook of a state run (align.multiregion): the regions side by side
STATE_SHEETS = (
    ("Jobs statewide", "state_gaps", "One row per job across the state: openings and trained supply summed over the "
     "regions, the gap, how many regions are short or in surplus, and whether a shortage is statewide (the state "
     "trains too few) or local (some regions short while the state trains enough). Statewide shortages first, "
     "then local ones, then surpluses, the largest first."),
    ("Jobs by region", "region_gaps", "Each region's finding per job, as its own run found it and after the regions "
     "were reconciled to the state's own projection."),
    ("Duplication across regions", "cross_region_duplication", "The same program offered by providers in "
     "neighbouring regions beyond the openings they serve. Material ones first."),
    ("Regions", "regions", "The regions planned, their counties and each region's own report."),
    ("Reconciliation", "region_reconciliation", "How far each region's projection moved so that the regions add "
     "up to the state's own projection."),
    ("Reconciliation by industry", "reconciliation", "The same, per region and industry."),
    ("Statewide demand", "state_occupation_demand", "Jobs and openings a year per job, summed over the regions."),
    ("Statewide industries", "state_industry_projection", "The state's own projection per industry beside the sum "
     "of the regions, before and after reconciling."),
    ("Industries in no region", "unshared_industries", "Industries the state projects that no region holds (every "
     "regional cell withheld): their jobs are in the state total and in no region."),
)
# statewide shortages first, then local ones, then surpluses; the largest gap (or excess) first in each
SCOPE_RANK = {scope: i for i, scope in enumerate((S.STATEWIDE_SHORTAGE, S.LOCAL_SHORTAGE, S.SOME_SHORT,
                                                   S.STATEWIDE_SURPLUS, S.LOCAL_SURPLUS, S.SOME_SURPLUS))}
STATE_ORDER: dict[str, Callable[[pd.DataFrame], pd.DataFrame]] = {
    "state_gaps": lambda d: _by_finding(d, "scope", SCOPE_RANK),
    "region_gaps": lambda d: _by_finding(d, "flag", FLAG_RANK, within=("region_id",)),
    "cross_region_duplication": lambda d: d.sort_values(["material", "excess_supply"], ascending=[False, False]),
    "state_occupation_demand": lambda d: d.sort_values(["annual_openings", "soc_code"], ascending=[False, True]),
}
# Words for the headers; a column without one reads as its name in words ("n_programs" → "N programs").
HEADERS = {
    "soc_code": "SOC code", "occupation_title": "Job", "cip_code": "CIP code", "cip_title": "Program",
    "naics_code": "NAICS code", "industry_title": "Industry", "provider_id": "Provider id",
    "provider_name": "Provider", "program_id": "Program id", "award_level": "Award level code",
    "award_label": "Award level", "annual_openings": "Openings a year",
    "annual_openings_low": "Openings a year, 80% range low", "annual_openings_high": "Openings a year, 80% range high",
    "effective_supply": "Trained supply a year", "gap": "Gap (openings minus trained supply)",
    "supply_demand_ratio": "Trained per opening", "flag": "Finding", "reason": "Why (the arithmetic)",
    "probability_shortage": "Chance of shortage", "growth_annual": "Openings from growth",
    "exits_annual": "Openings from workers leaving the workforce", "transfers_annual": "Openings from job changes",
    "n_programs": "Programs", "programs": "Programs that supply it", "typical_entry_education": "Usual entry education",
    "on_the_job_training": "On-the-job training", "work_experience": "Work experience needed",
    "supply_low": "Trained supply, lowest split", "supply_high": "Trained supply, highest split",
    "robustness": "How sure", "employment_base": "Jobs in the base year", "employment_target": "Jobs in the target year",
    "employment_target_lo80": "Jobs in the target year, 80% low", "employment_target_hi80": "Jobs in the target year, 80% high",
    "completers_allocated": "Graduates counted", "completers": "Graduates a year", "completers_sd": "Graduates, year-to-year spread",
    "wage_annual_median": "Median pay a year", "n_providers": "Providers", "combined_supply": "Trained supply a year",
    "allocated_demand": "Openings it serves", "excess_supply": "More than needed", "hhi": "Provider concentration (0–1)",
    "is_duplicated": "Duplicated?", "providers": "Providers (graduates a year)", "thin_programs": "Small programs",
    "metric_label": "Measure", "metric_value": "Result", "numerator": "People with the outcome",
    "denominator": "People counted", "is_suppressed": "Withheld?", "suppression": "Why withheld",
    "n_postings": "Job postings", "agreement_label": "Postings and projections", "mase": "Scaled error (MASE)",
    "smape": "Percentage error (sMAPE)", "coverage80": "Inside the 80% range", "coverage95": "Inside the 95% range",
    "model": "Forecast method", "n_series": "Industries", "table": "Table", "source": "Source", "path": "File",
    "release": "Release", "sha256": "SHA-256 fingerprint", "bytes": "Size (bytes)",
    "related_occupation_title": "Related job", "related_soc_code": "Related SOC code",
    "relatedness_tier": "How related (O*NET)", "wage_gain": "Pay rise a year", "wage_gain_pct": "Pay rise",
    "wage_gain_cumulative_pct": "Pay rise from the start", "best_wage_gain_pct": "Best pay rise",
    "edge_reason": "Why this move", "cip_family": "Field of study (CIP family)", "cip_series": "Program series (CIP)",
    "naive_demand": "Openings if summed per program", "openings_allocated": "Openings shared out",
    "inflation": "Overstatement (openings a year)", "metric": "Metric code", "group_type": "Group",
    "group_id": "Group id", "gap_kind": "Kind of gap",
    "rank_correlation": "Rank correlation (all jobs)", "openings_rank_pct": "Openings rank (percentile)",
    "postings_rank_pct": "Postings rank (percentile)", "stack_kind": "Kind of stack", "award_rank_label": "Step",
    "capacity_seats": "Seats", "board_list": "Board list", "rank": "Rank in its board list", "provider_kind": "Kind of provider", "job_zone": "O*NET job zone",
    # the statewide tables
    "region_name": "Region", "scope": "Statewide or local", "n_regions": "Regions",
    "n_regions_training": "Regions where training is the way in", "n_regions_short": "Regions short",
    "n_regions_surplus": "Regions in surplus", "regions_short": "Which regions are short",
    "regions_surplus": "Which regions are in surplus", "annual_openings_reconciled": "Openings a year, reconciled",
    "effective_supply_reconciled": "Trained supply a year, reconciled", "gap_reconciled": "Gap, reconciled",
    "flag_reconciled": "Finding, reconciled", "material_reconciled": "Material, reconciled", "region_a": "Region",
    "region_b": "Neighbouring region", "within_region": "Already flagged in one region's own report?",
}
FLAG_COLUMNS = ("flag", "flag_reconciled")  # findings: their words in the cell, coloured
TITLE_FOR = {"soc_code": "occupation_title", "cip_code": "cip_title", "provider_id": "provider_name",
             "related_soc_code": "related_occupation_title", "award_level": "award_label", "metric": "metric_label",
             "region_id": "region_name"}
LAST = ("program_id", "cluster_id", "group_id", "region_id")  # ids for joining (the region: the same on every row), after the words
MONEY = ("wage", "earnings")
PERCENT = ("probability", "coverage", "_pct", "share")


def header(col: str) -> str:
    """The column's header in words ("n_ladders" → "Number of ladders"); a header already in words stays."""
    if " " in col or col in HEADERS:
        return HEADERS.get(col, col)
    words = col.replace("_", " ")
    if col.startswith("n_"):
        return "Number of " + words[2:]
    if col.startswith("is_"):
        return words[3:].capitalize() + "?"
    return words.replace("soc", "SOC").replace("cip", "CIP").capitalize().replace("Soc ", "SOC ").replace("Cip ", "CIP ")


def _kind(col: str, dtype: object) -> str | None:
    """The cell format of a numeric column, from its unit in the field dictionary (names as a fallback)."""
    kind = str(dtype)
    if kind in ("bool", "boolean") or not kind.startswith(("float", "int", "Int", "Float")):
        return None
    if col == "metric_value":
        return "metric"  # rates and dollars in one column: chosen row by row
    f = fields.FIELDS.get(col)
    unit = f.unit if f else ""
    if unit.startswith(("$", "USD")) or (not unit and any(m in col for m in MONEY)):
        return "money"
    if unit in ("fraction", "probability", "fraction/yr") or (not unit and any(p in col for p in PERCENT)):
        return "pct"
    if unit in ("ratio", "index") or col in ("rank_correlation",):
        return "ratio"
    return "int" if kind.lower().startswith("int") else "num"


def _with_titles(df: pd.DataFrame, names: dict[str, dict[str, str]]) -> pd.DataFrame:
    """Put a title beside every code that has one (and the title first)."""
    out = df.copy()
    for code, title in TITLE_FOR.items():
        if code in out.columns and title not in out.columns and names.get(code):
            out.insert(out.columns.get_loc(code), title, out[code].map(names[code]))
    cols = list(out.columns)
    for code, title in TITLE_FOR.items():
        if code in cols and title in cols and cols.index(title) > cols.index(code):
            cols.remove(title)
            cols.insert(cols.index(code), title)
    cols = [c for c in cols if c not in LAST] + [c for c in cols if c in LAST]
    return out[cols]


def _lookups(tables: dict[str, pd.DataFrame]) -> dict[str, dict[str, str]]:
    out: dict[str, dict[str, str]] = {}
    for table, code, title in (("gaps", "soc_code", "occupation_title"), ("programs", "cip_code", "cip_title"),
                               ("programs", "provider_id", "provider_name"), ("regions", "region_id", "region_name")):
        t = tables.get(table)
        if t is not None and {code, title} <= set(t.columns):
            out[code] = t.dropna(subset=[title]).drop_duplicates(code).set_index(code)[title].astype(str).to_dict()
    return out


def _width(df: pd.DataFrame, col: str, head: str) -> int:
    sample = df[col].head(200).map(lambda v: len(str(v)) if v is not None else 0)
    typical = int(sample.quantile(0.9)) if len(sample) else 0
    return min(60, max(10, min(len(head), 28) + 2, typical + 2))


def _write_table(ws: object, df: pd.DataFrame, fmts: dict) -> None:
    df = df.reset_index(drop=True)
    cols = list(df.columns)
    kinds = [_kind(c, df[c].dtype) for c in cols]
    heads = [header(c) for c in cols]
    metric_money = (df["metric"].astype(str).str.startswith(("median_earnings", "wage_change")).tolist()
                    if "metric" in df.columns else None)
    for j, (c, h, k) in enumerate(zip(cols, heads, kinds, strict=True)):
        ws.set_column(j, j, _width(df, c, h), fmts.get(k) if k != "metric" else None)
        ws.write_string(0, j, h, fmts["header"])
    values = df.astype(object).where(df.notna(), None).values.tolist()
    flag_js = {j for j, c in enumerate(cols) if c in FLAG_COLUMNS}
    for i, row in enumerate(values, start=1):
        for j, v in enumerate(row):
            k = kinds[j]
            if v is None:
                continue
            if j in flag_js:
                ws.write_string(i, j, flag_label(v), fmts.get(f"flag:{v}", fmts["text"]))
            elif isinstance(v, bool):
                ws.write_string(i, j, "yes" if v else "no")
            elif k is not None:
                fmt = (fmts["money"] if metric_money and metric_money[i - 1] else fmts["pct"]) if k == "metric" \
                    else fmts[k]
                ws.write_number(i, j, float(v), fmt)
            else:
                ws.write_string(i, j, neutral_text(str(v)))
    ws.freeze_panes(1, 1 if cols and cols[0] in ("occupation_title", "cip_title", "provider_name") else 0)
    if cols:
        ws.autofilter(0, 0, max(len(df), 1), len(cols) - 1)


def dictionary(sheets: dict[str, pd.DataFrame]) -> pd.DataFrame:
    """Every header the workbook uses, with its sheet, its name in the CSV files, unit and meaning."""
    rows, seen = [], set()
    for sheet, df in sheets.items():
        for col in df.columns:
            if col in seen:
                continue
            seen.add(col)
            f = fields.FIELDS.get(col)
            rows.append({"Header": header(col), "Column in the CSV files": col, "First sheet": sheet,
                         "Unit": f.unit if f else "", "Meaning": f.description if f else ""})
    return pd.DataFrame(rows)


def write_xlsx(tables: dict[str, pd.DataFrame], manifest: dict, dest: Path) -> Path:
    """Write one region's workbook atomically; returns its path."""
    if "metrics" in tables and "metric_definitions" not in tables:
        from align.outcomes import metric_definitions

        tables = {**tables, "metric_definitions": metric_definitions()}
    name = manifest.get("region", {}).get("name", "")
    return _workbook(tables, manifest, dest, SHEETS, ORDER, f"Training supply and employer demand: {name}")


def write_state_xlsx(tables: dict[str, pd.DataFrame], manifest: dict, dest: Path) -> Path:
    """Write a state run's workbook (the statewide tables; each region's own is in its folder)."""
    name = manifest.get("state", {}).get("name", "")
    return _workbook(tables, manifest, dest, STATE_SHEETS, STATE_ORDER,
                     f"Training supply and employer demand: {name} State, every region side by side",
                     extra=["Each region's own workbook is report.xlsx in its folder under regions/ (the "
                            "Regions sheet names them)."])


def _workbook(tables: dict[str, pd.DataFrame], manifest: dict, dest: Path, sheets: tuple,
              order: dict[str, Callable[[pd.DataFrame], pd.DataFrame]], title: str, extra: Sequence[str] = ()) -> Path:
    lookups = _lookups(tables)
    present = [(s, t, d) for s, t, d in sheets if t in tables and len(tables[t].columns)]
    frames = {s: _with_titles(order.get(t, lambda d: d)(tables[t]), lookups) for s, t, _ in present}

    def writer(path: Path) -> None:
        wb = xlsxwriter.Workbook(str(path), {"strings_to_numbers": False, "strings_to_formulas": False,
                                             "strings_to_urls": False, "constant_memory": True})
        fmts = {"header": wb.add_format({"bold": True, "bg_color": "#E7EBEE", "bottom": 1, "text_wrap": True,
                                         "valign": "top"}),
                "num": wb.add_format({"num_format": "#,##0"}), "int": wb.add_format({"num_format": "#,##0"}),
                "ratio": wb.add_format({"num_format": "0.00"}), "pct": wb.add_format({"num_format": "0.0%"}),
                "money": wb.add_format({"num_format": "$#,##0"}), "text": wb.add_format({}),
                "title": wb.add_format({"bold": True, "font_size": 14})}
        for flag, colour in FLAG_FILL.items():
            fmts[f"flag:{flag}"] = wb.add_format({"bg_color": colour, "bold": flag in (G.UNDERSUPPLY, G.OVERSUPPLY)})
        readme = wb.add_worksheet("Read me")
        years = manifest.get("config", {}).get("years", {})
        version = manifest.get("align_version") or manifest.get("packages", {}).get("align", "")
        lines = [title,
                 f"Run {manifest.get('run_id', '')}, base year {years.get('base', '')}, looking ahead to "
                 f"{years.get('target', '')}; align {version}.",
                 *extra,
                 "Numbers are people a year unless a header says otherwise. Empty cells are missing or withheld "
                 "values, never zero.",
                 "The Finding column says the finding in words; its colour only repeats it (orange = shortage, "
                 "blue = surplus, green = in balance, grey = learned on the job or filled from experience).",
                 "Every header is explained in the sheet \"Data dictionary\".", "", "Sheets:"]
        lines += [f"  {s}: {d}" for s, _, d in present]
        lines += ["  Sources: every input file with its release and SHA-256 fingerprint (from manifest.json).",
                  "  Data dictionary: every header's meaning and unit, and its column name in the CSV files."]
        readme.set_column(0, 0, 120)
        for i, line in enumerate(lines):
            readme.write_string(i, 0, line, fmts["title"] if i == 0 else None)
        for sheet, df in frames.items():
            _write_table(wb.add_worksheet(sheet), df, fmts)
        sources = pd.DataFrame(manifest.get("inputs", []),
                               columns=["table", "source", "path", "vintage", "sha256", "bytes"])
        _write_table(wb.add_worksheet("Sources"), sources.rename(columns={"vintage": "release"}), fmts)
        _write_table(wb.add_worksheet("Data dictionary"), dictionary(frames), fmts)
        wb.close()

    return atomic_write(Path(dest), writer)
