"""The appendix PDF (report-appendix.pdf): a card for every flagged job, then every table.

The packet stays short because everything it leaves out is here, on paper, for the member who
wants the detail: the arithmetic behind each flag, every job with enough openings, duplicated
and unused programs, the pathway and outcome tables, the sources with their fingerprints and the
data dictionary.
"""

from __future__ import annotations

from pathlib import Path

import pandas as pd
from reportlab.platypus import Flowable, NextPageTemplate, PageBreak

from align import schemas
from align.match import gaps as G
from align.report import board
from align.report import pdf as P
from align.report.formats import missing, money, number, percent
from align.report.views import board_views
from align.report.words import flag_label, robustness_label, training_is_the_way_in


def _card(c: dict) -> Flowable:
    colour = P.SHORT if c["flag"] in G.SHORTAGE_FLAGS else P.SURPLUS
    rng = (f" (80% range {number(c['annual_openings_low'])}–{number(c['annual_openings_high'])})"
           if not missing(c.get("annual_openings_low")) else " (no range: too little history)")
    facts = [("Openings a year", number(c["annual_openings"]) + rng),
             ("Trained supply a year", number(c["effective_supply"])),
             ("Gap a year", f"{number(abs(c['gap']))} "
                            + ("more openings than trained people" if c["gap"] > 0 else "more trained people than openings"))]
    if training_is_the_way_in(c["flag"]):
        facts.append(("Chance of shortage", percent(c.get("probability_shortage"))))
    if robustness_label(c.get("robustness")):
        facts.append(("How sure", robustness_label(c.get("robustness"))))
    if c.get("typical_entry_education"):
        facts.append(("Usual entry education", str(c["typical_entry_education"])))
    if not missing(c.get("wage_annual_median")):
        facts.append(("Median pay", money(c["wage_annual_median"])))
    programs = c.get("program_list") or []
    facts += [("Why", str(c["why"])), ("Programs that supply it", "; ".join(programs) if programs else "none in the region")]
    lines = [[(flag_label(c["flag"]), True, colour), (f"· SOC {c['soc_code']}", False, None)],
             *[[(f"{k}:", True, None), (v, False, None)] for k, v in facts]]
    parts: list[Flowable] = [P.para(str(c["occupation_title"]), "h2"), P.Lines(lines, "cell")]
    if c.get("arithmetic"):
        parts.append(P.Lines([[("The arithmetic:", True, None), ("; ".join(c["arithmetic"]), False, None)]], "meta"))
    parts.append(P.space(8))
    return P.keep(*parts)


def _gaps_table(gaps: pd.DataFrame) -> board.Table:
    shown = gaps[gaps["flag"] != G.BELOW_MINIMUM].sort_values(["gap", "soc_code"], ascending=[False, True])
    rows = [[f"{r['occupation_title']} ({r['soc_code']})", number(r["annual_openings"]), number(r["effective_supply"]),
             number(r["gap"]), percent(r.get("probability_shortage")) if training_is_the_way_in(r["flag"]) else "—",
             flag_label(r["flag"])] for r in shown.to_dict("records")]
    return board.Table(["Job (SOC code)", "Openings a year", "Trained supply a year", "Gap", "Chance of shortage",
                        "Finding"], rows, {1, 2, 3, 4})


def _frame_table(df: pd.DataFrame) -> board.Table:
    text = df.astype(object).where(df.notna(), "")
    return board.Table([str(c) for c in df.columns], [[str(v) for v in row] for row in text.values.tolist()])


def story(tables: dict[str, pd.DataFrame], manifest: dict, cards: list[dict],
          views: list[dict] | None = None) -> list[Flowable]:
    region = manifest.get("region", {})
    out: list[Flowable] = [
        P.para("Appendix to the board packet", "meta"), P.para(str(region.get("name", "")), "title"),
        P.para("A card for every job flagged as a shortage or a surplus, with the arithmetic behind it, then every "
               "table. The board packet (report.pdf) has the findings; report.xlsx has the same tables to sort.",
               "body"),
        P.para("The flagged jobs, one by one", "h1"), NextPageTemplate("two")]
    out += [_card(c) for c in cards] or [P.para("No job is flagged as a shortage or a surplus.")]
    out += [NextPageTemplate("one"), PageBreak(), P.para("Every job with enough openings to judge", "h1"),
            P.table(_gaps_table(tables["gaps"]), [P.WIDTH * w for w in (0.4, 0.11, 0.12, 0.09, 0.11, 0.17)])]
    dup = tables.get("duplication")
    if dup is not None and len(dup):
        d = dup.sort_values("excess_supply", ascending=False)
        out += [P.para("Programs offered by several providers", "h1"), P.table(board.Table(
            ["Program (award level, code)", "Providers", "Trained supply a year", "Openings it serves", "Duplicated?"],
            [[board.program_name(r.get("cip_title"), r.get("cip_code"), r.get("award_label")), str(int(r["n_providers"])),
              number(r["combined_supply"]), number(r["allocated_demand"]), "yes" if bool(r["is_duplicated"]) else "no"]
             for r in d.to_dict("records")], {1, 2, 3}), [P.WIDTH * w for w in (0.5, 0.1, 0.14, 0.14, 0.12)])]
    un = tables.get("unallocated_programs")
    if un is not None and len(un):
        u = un.sort_values("completers", ascending=False)
        out += [P.para("Programs that supply no job in this analysis", "h1"), P.table(board.Table(
            ["Program (award level, code)", "Provider", "Graduates a year", "Why"],
            [[board.program_name(r.get("cip_title"), r.get("cip_code"), r.get("award_label")), str(r.get("provider_name") or ""),
              number(r["completers"], 1), str(r.get("reason") or "")] for r in u.to_dict("records")], {2}),
            [P.WIDTH * w for w in (0.36, 0.24, 0.1, 0.3)])]
    for view in board_views(tables) if views is None else views:
        df = pd.DataFrame(view["rows"], columns=view["columns"])
        out += [P.para(view["title"], "h1")]
        if view["note"]:
            out.append(P.para(view["note"], "meta"))
        out.append(P.table(_frame_table(df)))
        if view["more"]:
            out.append(P.para(f"{view['more']} more rows in {view['file']} and the workbook.", "meta"))
    sources = pd.DataFrame(manifest.get("inputs", []), columns=["table", "source", "path", "vintage", "sha256"])
    out += [PageBreak(), P.para("Sources", "h1"), P.table(_frame_table(sources.rename(columns=str.capitalize)),
                                                            [P.WIDTH * w for w in (0.15, 0.14, 0.33, 0.1, 0.28)])]
    names = [t for t in ("gaps", "occupation_demand", "occupation_supply", "duplication", "programs") if t in schemas.TABLES]
    dictionary = schemas.data_dictionary(names)
    wanted = {"field": 0.24, "unit": 0.1, "valid_range": 0.14, "description": 0.52}
    shown = [c for c in wanted if c in dictionary.columns]  # read by name: the dictionary may grow columns
    scale = 1 / sum(wanted[c] for c in shown)
    out += [P.para("Data dictionary", "h1"),
            P.table(_frame_table(dictionary[shown].rename(columns=lambda c: c.replace("_", " ").capitalize())),
                    [P.WIDTH * wanted[c] * scale for c in shown])]
    return out


def write_appendix(tables: dict[str, pd.DataFrame], manifest: dict, cards: list[dict], dest: Path,
                   views: list[dict] | None = None) -> Path:
    region = str(manifest.get("region", {}).get("name", ""))
    return P.write_pdf(dest, story(tables, manifest, cards, views), title=f"Appendix: {region}",
                       footer=f"align appendix · {region} · run {manifest.get('run_id', '')}")
