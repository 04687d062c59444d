"""What the board packet says: the answer, the few items that matter most, and why.

A board reads the packet in minutes, so it holds only the most material shortages, surpluses
and duplicated efforts, each with its reason in a sentence, then the pathways, the outcome
measures, the caveats and the sources. Everything else stays in the HTML report, the appendix
PDF and the workbook. This module chooses and words the content; :mod:`align.report.packet`
lays it out on paper and the HTML summary shows the same sentences.

Columns that other stages may add later (a materiality mark, new flags) are read defensively:
a table or column that is absent simply leaves its part out.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from typing import Any

import pandas as pd

from align.match import gaps as G
from align.notes import board_caveats
from align.pathways.gaps import NOT_COUNTED
from align.report.formats import missing, money, number, percent
from align.report.words import flag_label, per_hundred, training_is_the_way_in

N_SHORTAGES, N_SURPLUSES, N_DUPLICATES, N_LADDERS = 8, 5, 4, 5
MATERIAL_COLUMNS = ("is_material", "material")  # set by the matching stage where it grades materiality
STANDARD_CAVEATS = (
    "Projections describe trends over ten years, not next year. They assume the economy is at full "
    "employment in the target year.",
    "Job postings are not openings. One opening can be posted many times, and many are never posted.",
    "Graduates are counted where they studied, not where they will work. How many stay is an assumption "
    "you can change.",
)


@dataclass
class Table:
    """A small table for the packet: plain headers, cells as text, and which columns are numbers."""
    columns: list[str]
    rows: list[list[str]]
    numeric: set[int] = field(default_factory=set)


@dataclass
class Section:
    key: str
    title: str
    intro: str = ""
    bullets: list[str] = field(default_factory=list)
    table: Table | None = None
    chart: str | None = None  # a chart name the layout knows how to draw
    more: str = ""            # where the rest is


def material(df: pd.DataFrame) -> pd.DataFrame:
    """The rows graded material, where the run grades materiality; otherwise all rows."""
    for col in MATERIAL_COLUMNS:
        if col in df.columns:
            return df[df[col].fillna(False).astype(bool)]
    return df


def _board_list(gaps: pd.DataFrame, which: str, n: int) -> pd.DataFrame:
    """One of the matching stage's ranked lists (:func:`align.match.gaps.leading`); by size where unranked."""
    if "rank" in gaps.columns and "material" in gaps.columns:
        return G.leading(gaps, which, n)
    d = material(gaps[gaps["flag"].isin(G.LISTS[which])])
    return d.sort_values(["gap", "soc_code"], ascending=[which == "surpluses", True]).head(n)


def shortages(gaps: pd.DataFrame, n: int = N_SHORTAGES) -> pd.DataFrame:
    """The largest material shortages where training is the way in and the run sees that training."""
    return _board_list(gaps, "shortages", n)


def surpluses(gaps: pd.DataFrame, n: int = N_SURPLUSES) -> pd.DataFrame:
    return _board_list(gaps, "surpluses", n)


def not_covered(gaps: pd.DataFrame, n: int = N_SURPLUSES) -> pd.DataFrame:
    """Jobs whose usual training (CDL schools, nurse-aide courses, academies) this run does not count."""
    return _board_list(gaps, "not covered", n)


def duplicated(dup: pd.DataFrame | None, n: int = N_DUPLICATES) -> pd.DataFrame:
    if dup is None or not len(dup) or "is_duplicated" not in dup.columns:
        return pd.DataFrame()
    d = material(dup[dup["is_duplicated"].fillna(False).astype(bool)])
    return d.sort_values("excess_supply", ascending=False).head(n)


def largest_share(dup: pd.DataFrame, programs: pd.DataFrame | None) -> pd.Series:
    """Each cluster's biggest provider's share of its graduates (easier to read than an HHI)."""
    if programs is None or not len(dup) or not {"cip_code", "award_level", "provider_id", "completers"} <= set(programs.columns):
        return pd.Series(float("nan"), index=dup.index)
    per = programs.groupby(["cip_code", programs["award_level"].astype(str), "provider_id"])["completers"].sum()
    total = per.groupby(level=[0, 1]).sum()
    top = per.groupby(level=[0, 1]).max()
    share = (top / total.where(total > 0)).to_dict()
    return pd.Series([share.get((c, str(a))) for c, a in zip(dup["cip_code"], dup["award_level"], strict=True)],
                     index=dup.index, dtype=float)


def program_name(title: Any, code: Any, award: Any = None) -> str:
    """A program by its name first, its award level beside it and its CIP code last."""
    name = str(title).rstrip(".") if not missing(title) else f"Program {code}"
    award_text = f", {award}" if not missing(award) and str(award) else ""
    return f"{name}{award_text} (CIP {code})" if not missing(code) else f"{name}{award_text}"


def shortage_sentence(r: Any) -> str:
    title, openings = r["occupation_title"], r["annual_openings"]
    if r["flag"] == G.NO_PROGRAM or not r.get("n_programs"):
        return (f"{title}: about {number(openings)} openings a year, and no program in the region trains "
                f"for it.")
    ratio = r.get("supply_demand_ratio")
    per100 = "" if missing(ratio) else f" That is about {number(ratio * 100)} for every 100 openings."
    return (f"{title}: about {number(openings)} openings a year, but only about "
            f"{number(r['effective_supply'])} newly trained people.{per100}")


def not_covered_sentence(r: Any) -> str:
    routes = str(r.get("routes_not_covered") or "training outside colleges")
    return (f"{r['occupation_title']}: about {number(r['annual_openings'])} openings a year. Its usual training is "
            f"not counted in this run: {routes}.")


def surplus_sentence(r: Any) -> str:
    return (f"{r['occupation_title']}: about {number(r['effective_supply'])} newly trained people a year for "
            f"about {number(r['annual_openings'])} openings. Some will not find this work in the region.")


def duplication_sentence(r: Any) -> str:
    name = program_name(r.get("cip_title"), r.get("cip_code"), r.get("award_label"))
    return (f"{name}: {int(r['n_providers'])} providers train about {number(r['combined_supply'])} people a "
            f"year for about {number(r['allocated_demand'])} openings.")


def headline(gaps: pd.DataFrame, dup: pd.DataFrame | None) -> str:
    """The answer in one sentence."""
    flags = gaps["flag"].value_counts()
    n_short = int(sum(flags.get(f, 0) for f in G.SHORTAGE_FLAGS))
    n_surplus = int(sum(flags.get(f, 0) for f in G.SURPLUS_FLAGS))
    n_dup = len(duplicated(dup, n=10**6))
    parts = [f"{n_short} job{'s' if n_short != 1 else ''} where the region trains too few people",
             f"{n_surplus} where it trains more than employers need"]
    if n_dup:
        parts.append(f"{n_dup} program{'s' if n_dup != 1 else ''} offered by several providers that together "
                     f"train more people than the jobs need")
    return (", ".join(parts[:-1]) + " and " + parts[-1] if len(parts) > 1 else parts[0]) + "."


def shortage_table(short: pd.DataFrame) -> Table:
    """The largest shortages; the range and chance columns appear only where the run has them."""
    has_range = bool(short["annual_openings_low"].notna().any()) if "annual_openings_low" in short else False
    has_chance = bool(short["probability_shortage"].notna().any()) if "probability_shortage" in short else False
    rows = []
    for r in short.to_dict("records"):
        openings = number(r["annual_openings"])
        if has_range and not missing(r.get("annual_openings_low")):
            openings += f" ({number(r['annual_openings_low'])}–{number(r['annual_openings_high'])})"
        row = [r["occupation_title"], openings, number(r["effective_supply"]), number(r["gap"])]
        if has_chance:
            row.append(percent(r.get("probability_shortage")) if training_is_the_way_in(r["flag"]) else "—")
        rows.append([*row, str(r.get("typical_entry_education") or "—"), flag_label(r["flag"])])
    columns = ["Job", "Openings a year" + (" (80% range)" if has_range else ""), "Trained supply a year", "Gap",
               *(["Chance of shortage"] if has_chance else []), "Usual entry education", "Finding"]
    return Table(columns, rows, set(range(1, 5 if has_chance else 4)))


def not_covered_table(d: pd.DataFrame) -> Table:
    rows = [[r["occupation_title"], number(r["annual_openings"]), number(r["effective_supply"]),
             str(r.get("routes_not_covered") or "—")] for r in d.to_dict("records")]
    return Table(["Job", "Openings a year", "Trained in the programs counted", "Training not counted"], rows, {1, 2})


def surplus_table(surplus: pd.DataFrame) -> Table:
    rows = [[r["occupation_title"], number(r["annual_openings"]), number(r["effective_supply"]),
             number(-r["gap"]), flag_label(r["flag"])] for r in surplus.to_dict("records")]
    return Table(["Job", "Openings a year", "Trained supply a year", "More trained than openings", "Finding"],
                 rows, {1, 2, 3})


def duplication_table(dup: pd.DataFrame) -> Table:
    rows = [[program_name(r.get("cip_title"), r.get("cip_code"), r.get("award_label")), str(int(r["n_providers"])),
             number(r["combined_supply"]), number(r["allocated_demand"]), number(r["excess_supply"])]
            for r in dup.to_dict("records")]
    return Table(["Program (award level, code)", "Providers", "Trained supply a year", "Openings it serves",
                  "More than needed"], rows, {1, 2, 3, 4})


MIN_PAY_RISE = 0.15
"""A ladder whose top pays less than this much more than its entry is not shown as advancement."""


def ladder_summary(ladders: pd.DataFrame | None) -> pd.DataFrame:
    """One row per ladder: its path, pay at the start and top, and how many people it can carry.

    ``climbs`` are the steps above the entry job and ``trained`` those of them with a regional
    program; ``carry`` is the openings of the ladder's narrowest rung, the entry job included
    (a ladder matters when many can start on it and there are openings to climb into).
    """
    need = {"ladder_id", "step", "soc_code", "occupation_title", "wage_annual_median", "annual_openings"}
    if ladders is None or not len(ladders) or not need <= set(ladders.columns):
        return pd.DataFrame()
    d = ladders.sort_values(["ladder_id", "step"])
    by = d.groupby("ladder_id", sort=False)  # per-group Python calls were most of the report's time
    up = d["step"] > d.groupby("ladder_id", sort=False)["step"].transform("min")
    trained = d["n_programs"].fillna(0) > 0 if "n_programs" in d.columns else pd.Series(True, index=d.index)
    out = pd.DataFrame({
        "path": by["occupation_title"].agg(" → ".join), "end": by["soc_code"].last(),
        "start": by["wage_annual_median"].first(), "top": by["wage_annual_median"].last(),
        "steps": by["step"].size(), "climbs": up.groupby(d["ladder_id"], sort=False).sum(),
        "trained": (trained & up).groupby(d["ladder_id"], sort=False).sum(),
        "carry": d["annual_openings"].astype(float).groupby(d["ladder_id"], sort=False).min()})
    if "ladder_rank" in d.columns:
        out["ladder_rank"] = by["ladder_rank"].first()
    out = out[out["steps"] > 1].dropna(subset=["start", "top"])
    out["gain"] = out["top"] / out["start"] - 1
    return out.reset_index()


def rank_ladders(summary: pd.DataFrame) -> pd.DataFrame:
    """Ladders a board can act on first: every step above the entry trained here, then the most
    people carried, then the largest pay rise."""
    if summary.empty:
        return summary
    built = summary["trained"] == summary["climbs"]
    return (summary.assign(_built=built)
            .sort_values(["_built", "carry", "gain", "path"], ascending=[False, False, False, True], kind="stable")
            .drop(columns="_built"))


def best_ladders(ladders: pd.DataFrame | None, n: int = N_LADDERS) -> pd.DataFrame:
    """The ladders that matter, one per destination job: a real pay rise (:data:`MIN_PAY_RISE`),
    ranked by :func:`rank_ladders`. The best-paid ladder is often a curiosity (crematory
    operators to chief executives); the one that carries nursing assistants to registered nurses is not."""
    s = ladder_summary(ladders)
    if s.empty:
        return s
    s = rank_ladders(s[s["gain"] >= MIN_PAY_RISE])
    return s.drop_duplicates("end").head(n).reset_index(drop=True)


def ladder_table(best: pd.DataFrame) -> Table:
    rows = [[r["path"], money(r["start"]), money(r["top"]), percent(r["gain"]),
             f"{int(r['trained'])} of {int(r['climbs'])}"] for r in best.to_dict("records")]
    return Table(["Career ladder", "Pay at the start", "Pay at the top", "Pay rise", "Steps up with training here"],
                 rows, {1, 2, 3})


def broken_steps(pg: pd.DataFrame | None, n: int = 5) -> list[str]:
    """The ladder steps on the most ladders that the region does not train enough people for."""
    if pg is None or not len(pg) or "occupation_title" not in pg.columns:
        return []
    # in the pathways stage's order (largest steps first); steps whose training is not counted are
    # in the list of training outside colleges, not here
    d = pg[pg["gap_kind"].astype(str) != NOT_COUNTED].head(n)
    out = []
    for r in d.to_dict("records"):
        untrained = "no regional training" in str(r.get("gap_kind", "")) or not r.get("n_programs")
        why = "no program in the region trains for it" if untrained else "the region trains too few people for it"
        entry = r.get("typical_entry_education")
        needs = f" It usually needs: {str(entry).lower()}." if not missing(entry) and entry else ""
        out.append(f"{r['occupation_title']}: on {number(r.get('n_ladders'))} ladders, with about "
                   f"{number(r.get('annual_openings'))} openings a year, and {why}.{needs}")
    return out


def outcome_table(metrics: pd.DataFrame | None) -> Table | None:
    """The region's outcome measures, one row each; withheld cells say so."""
    if metrics is None or not len(metrics) or not {"group_type", "metric_label", "metric_value"} <= set(metrics.columns):
        return None
    region = metrics[metrics["group_type"] == "region"]
    if not len(region):
        return None
    rows = []
    for r in region.to_dict("records"):
        if bool(r.get("is_suppressed")):
            value = "withheld (too few people)"
        elif str(r.get("metric", "")).startswith(("median_earnings", "wage_change")):
            value = money(r["metric_value"])
        else:
            value = percent(r["metric_value"])
        people = number(r.get("denominator")) if "denominator" in r else ""
        rows.append([str(r["metric_label"]), value, people or "—"])
    return Table(["Measure (whole region)", "Result", "People counted"], rows, {1, 2})


def caveats(manifest: dict) -> list[str]:
    return [*STANDARD_CAVEATS, *(c[0].upper() + c[1:] + ("" if c.endswith(".") else ".")
                                 for c in board_caveats(manifest.get("warnings", [])) if c)]


def sources_table(manifest: dict) -> Table:
    """One row per input table: what it is, who publishes it and which release; hashes live in the appendix."""
    seen: dict[str, list[str]] = {}
    source_of: dict[str, str] = {}
    for i in manifest.get("inputs", []):
        seen.setdefault(i["table"], [])
        source_of[i["table"]] = str(i.get("source", ""))
        v = i.get("vintage")
        if v and str(v) not in seen[i["table"]]:
            seen[i["table"]].append(str(v))
    rows = [[TABLE_NAMES.get(t, t.replace("_", " ").capitalize()), SOURCE_NAMES.get(source_of[t], source_of[t]),
             release_span(v)] for t, v in seen.items()]
    return Table(["What", "Published by", "Release"], rows)


_YEAR = re.compile(r"\b(?:19|20)\d\d\b")


def release_span(vintages: list[str]) -> str:
    """Releases in a few words: "QCEW 2000–2012 annual averages" for thirteen yearly files."""
    if not vintages:
        return "—"
    shapes = {_YEAR.sub("{}", v) for v in vintages}
    years = sorted({int(y) for v in vintages for y in _YEAR.findall(v)})
    if len(vintages) > 2 and len(shapes) == 1 and all(len(_YEAR.findall(v)) == 1 for v in vintages):
        return shapes.pop().replace("{}", f"{years[0]}–{years[-1]}", 1)
    return f"{vintages[0]} to {vintages[-1]}" if len(vintages) > 3 else ", ".join(vintages)


TABLE_NAMES = {"industry_employment": "Jobs by industry", "staffing_patterns": "Jobs in each industry by occupation",
               "occupation_projections": "Occupation projections and turnover", "completions": "Graduates by program",
               "providers": "Colleges and training providers", "cip_soc": "Which programs train for which jobs",
               "training_inventory": "Programs outside IPEDS", "occupation_wages": "Pay by occupation",
               "onet_related": "Related occupations", "onet_job_zones": "Preparation each job needs",
               "postings": "Job postings"}
SOURCE_NAMES = {"qcew": "BLS Quarterly Census of Employment and Wages", "bls_api": "BLS public data API",
                "qcew_ny": "New York State Department of Labor, QCEW annual data",
                "oews": "BLS Occupational Employment and Wage Statistics",
                "oews_staffing": "BLS Occupational Employment and Wage Statistics (staffing patterns)",
                "ep": "BLS Employment Projections", "state_projections": "State long-term projections",
                "ipeds_completions": "NCES IPEDS completions", "ipeds_hd": "NCES IPEDS institution directory",
                "cip_soc": "NCES and BLS program-to-occupation crosswalk", "cip_codes": "NCES CIP 2020 titles",
                "onet_related": "O*NET related occupations", "onet_job_zones": "O*NET job zones",
                "postings_csv": "Job postings file", "usajobs": "USAJOBS postings",
                "training_inventory": "Local training inventory"}


def county_line(region: dict) -> str:
    """Counties by name, codes after (or codes alone where no name is known)."""
    names = region.get("county_names") or {}
    parts = [f"{names[c]} ({c})" if names.get(c) else f"county {c}" for c in region.get("counties", [])]
    return ", ".join(parts)


def sections(tables: dict[str, pd.DataFrame], manifest: dict) -> list[Section]:
    """The packet's sections in reading order; each appears only where its tables exist."""
    gaps, dup = tables["gaps"], tables.get("duplication")
    params = manifest.get("config", {}).get("parameters", {})
    out: list[Section] = []
    short, surplus, dups = shortages(gaps), surpluses(gaps), duplicated(dup)
    n_short = int(gaps["flag"].isin(G.SHORTAGE_FLAGS).sum())
    bands = params.get("flag_bands") or {}
    cut = f"fewer than {per_hundred(bands['slight_undersupply'])} trained people for every 100 openings" \
        if "slight_undersupply" in bands else "fewer trained people than openings"
    out.append(Section(
        "shortages", "The largest shortages",
        intro=(f"These jobs have {cut}, and training is the usual way in. They are the largest of {n_short}."
               if len(short) else "No job where training is the way in is short of trained people."),
        bullets=[shortage_sentence(r) for r in short.head(5).to_dict("records")],
        table=shortage_table(short) if len(short) else None, chart="shortages" if len(short) else None,
        more="Every job, with the arithmetic behind its finding, is in the full report and the workbook."))
    out.append(Section(
        "surpluses", "The largest surpluses",
        intro=("The region trains more people for these jobs than employers are expected to hire."
               if len(surplus) else "No job has more trained people than openings by a flagged margin."),
        bullets=[surplus_sentence(r) for r in surplus.head(3).to_dict("records")],
        table=surplus_table(surplus) if len(surplus) else None))
    outside = not_covered(gaps)
    if len(outside):
        out.append(Section(
            "not-covered", "Training outside colleges not counted",
            intro=("These jobs are usually trained for outside colleges (driving schools, state-approved nurse-aide "
                   "courses, academies, apprenticeships), and this run counts college programs only, so whether "
                   "they are short cannot be said yet. Add that training via the inventory template "
                   "(data/templates/training_inventory.csv)."),
            bullets=[not_covered_sentence(r) for r in outside.head(3).to_dict("records")],
            table=not_covered_table(outside)))
    if dup is not None and len(dup):
        margin = params.get("duplication_margin")
        rule = f" by more than {float(margin):.0%}" if margin is not None else ""
        out.append(Section(
            "duplication", "Duplicated effort",
            intro=(f"Each program below is offered by several providers whose graduates outnumber the openings "
                   f"it leads to{rule}." if len(dups) else
                   "No program offered by several providers trains more people than the jobs need."),
            bullets=[duplication_sentence(r) for r in dups.head(3).to_dict("records")],
            table=duplication_table(dups) if len(dups) else None, chart="providers" if len(dups) else None))
    best = best_ladders(tables.get("ladders"))
    steps = broken_steps(tables.get("pathway_gaps"))
    if len(best) or steps:
        out.append(Section(
            "pathways", "Career pathways that matter",
            intro="Ladders lead from jobs that are easy to enter up to better-paid jobs in demand. A broken "
                  "step is a job on many ladders that the region does not train enough people for.",
            bullets=steps, table=ladder_table(best) if len(best) else None,
            chart="ladder" if len(best) else None))
    outcomes = outcome_table(tables.get("metrics"))
    if outcomes is not None:
        out.append(Section(
            "outcomes", "Outcome measures",
            intro="Results for the people the region's partners trained, on shared definitions. Small groups "
                  "are withheld so no one can be picked out.", table=outcomes))
    return out
