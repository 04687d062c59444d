"""The report's partner section: employer plans, externships, funding and support, said briefly.

A board member reads a handful of sentences (the largest disagreements between the demand
signals, the placements missing, the stacked funding beside an unfunded shortage, the pathways
without the services people need to finish); the tables under them show the first rows, and the
full tables are in the run's CSVs and the workbook's sheets. Suppressed cells read as withheld.
"""

from __future__ import annotations

import pandas as pd

from align.report.formats import missing, money, number, percent
from align.report.views import SUPPRESSED

ROWS = 12


def _table(df: pd.DataFrame, file: str, sheet: str, note: str = "") -> dict:
    shown = df.head(ROWS)
    return {"columns": list(shown.columns), "rows": shown.astype(object).where(shown.notna(), "").values.tolist(),
            "more": len(df) - len(shown), "file": file, "sheet": sheet, "note": note}


def _signals(t: dict[str, pd.DataFrame]) -> tuple[list[str], dict | None]:
    s = t.get("demand_signals")
    if s is None or not len(s):
        return [], None
    answered = s[s["employer_signal"] != "no answer"]
    out = []
    for r in answered[answered["employer_signal"].isin(["far more", "more"])].itertuples():
        postings = {"in line": "job postings are in line with the projection",
                    "more": "job postings also point higher",
                    "fewer": "job postings point lower"}.get(r.postings_signal, "no postings to compare")
        out.append(f"{r.occupation_title}: the employers surveyed plan about {r.employer_hires_annual:,.0f} hires a "
                   f"year, {r.employer_hires_ratio:.1f} times the {r.annual_openings:,.0f} openings the projection "
                   f"gives; {postings}. Employers may know of an expansion the projection cannot see.")
    hidden = int(answered["is_suppressed"].sum())
    if hidden:
        out.append(f"{hidden} occupation(s) the survey covers are withheld: fewer than the minimum number of "
                   f"employers answered, or one employer holds most of the hires.")
    table = answered.assign(
        **{"Occupation": answered["occupation_title"],
           "Projected openings / yr": answered["annual_openings"].map(number),
           "Postings": answered["n_postings"].map(number) if "n_postings" in answered else "—",
           "Employer-reported hires / yr": [SUPPRESSED if sup else number(v) for sup, v in
                                            zip(answered["is_suppressed"], answered["employer_hires_annual"],
                                                strict=True)],
           "Employers ÷ projection": answered["employer_hires_ratio"].map(lambda v: "—" if missing(v) else f"{v:.2f}"),
           "How far they agree": answered["signal_agreement"],
           "Starting wage offered": [SUPPRESSED if sup else money(v) for sup, v in
                                     zip(answered["is_suppressed"], answered["starting_wage_annual"], strict=True)],
           "Median wage (OEWS)": answered["wage_annual_median"].map(money) if "wage_annual_median" in answered
           else "—"})
    cols = ["Occupation", "Projected openings / yr", "Postings", "Employer-reported hires / yr",
            "Employers ÷ projection", "How far they agree", "Starting wage offered", "Median wage (OEWS)"]
    return out, _table(table[cols], "demand_signals.csv", "demand_signals",
                       "The survey counts only the employers who answered, so its hires are a floor: fewer than "
                       "projected can simply mean few employers answered.")


def _externships(t: dict[str, pd.DataFrame]) -> tuple[list[str], dict | None]:
    e = t.get("externships")
    if e is None or not len(e):
        return [], None
    short = e[(e["externship_balance"] < 0) & (e["externship_need"] > 0)].sort_values("externship_balance")
    out = [f"{r.occupation_title}: programs need about {r.externship_need:,.0f} externship or clinical placements "
           f"a year; surveyed employers offer {r.externship_slots:,.0f}." for r in short.head(3).itertuples()]
    need = e[e["externship_need"] > 0]
    table = pd.DataFrame({
        "Occupation": need["occupation_title"], "Placements needed / yr": need["externship_need"].map(number),
        "Offered by surveyed employers": [SUPPRESSED if sup else number(v) for sup, v in
                                          zip(need["is_suppressed"], need["externship_slots"], strict=True)],
        "Balance": need["externship_balance"].map(number), "Programs that need them": need["need_programs"]})
    return out, _table(table, "externships.csv", "externships",
                       "Need: one placement a year per completer of a program whose work-based learning is an "
                       "externship, clinical placement or internship, shared among occupations like its completers.")


def _funding(t: dict[str, pd.DataFrame]) -> tuple[list[str], dict | None]:
    c, o = t.get("funding_coordination"), t.get("occupation_funding")
    out = [f"{r.reason}." for r in c.head(3).itertuples()] if c is not None else []
    occ = None
    if o is not None and len(o):
        shown = o[o["is_funded"] | o["flag"].isin(["undersupply", "slight undersupply", "no regional program"])]
        shown = shown.sort_values(["funding_per_opening", "gap"], ascending=[False, False], na_position="last")
        occ = _table(pd.DataFrame({
            "Occupation": shown["occupation_title"], "Flag": shown["flag"], "Gap / yr": shown["gap"].map(number),
            "Funding streams": shown["n_funding_streams"].map(number),
            "Funding / yr": shown["funding_allocated"].map(money),
            "Per projected opening": shown["funding_per_opening"].map(money), "Arithmetic": shown["arithmetic"]}),
            "occupation_funding.csv", "occupation_funding",
            "A program's funding is shared among its occupations by the share of its completers each receives.")
    return out, occ


def _support(t: dict[str, pd.DataFrame]) -> tuple[list[str], dict | None, dict | None]:
    p, so = t.get("pathway_support"), t.get("support_outcomes")
    out, path, comp = [], None, None
    if p is not None and len(p):
        for r in p[p["lacks_essential"].astype(bool)].itertuples():
            rate = "" if missing(r.completion_rate) else (
                f"; {percent(r.completion_rate)} of its participants earn a credential, against "
                f"{percent(r.completion_rate_region)} across the region")
            out.append(f"{r.pathway[:1].upper() + r.pathway[1:]}: no program offers {r.essential_missing.lower()}{rate}.")
        path = _table(pd.DataFrame({
            "Pathway": p["pathway"], "Programs": p["n_programs"].map(number), "Services offered": p["services_offered"],
            "Missing (completion depends on them)": p["essential_missing"],
            "Credential attainment": p["completion_rate"].map(percent),
            "Retention, same employer": p["retention_rate"].map(percent)}), "pathway_support.csv", "pathway_support")
    if path is not None and (so is None or not len(so)):
        out.append("Participant records do not say who received support, so completion with and without it "
                   "cannot be compared yet (add the support_received column: docs/participant_records.md).")
    if so is not None and len(so):
        def cell(r: pd.Series) -> str:
            return SUPPRESSED if bool(r["is_suppressed"]) else percent(r["metric_value"])

        d = so.assign(cell=so.apply(cell, axis=1), who=so["received"].map({True: "received", False: "did not"}))
        wide = d.pivot_table(index="service", columns=["metric_label", "who"], values="cell", aggfunc="first")
        wide.columns = [f"{m}: {w}" for m, w in wide.columns]
        comp = _table(wide.reset_index().rename(columns={"service": "Service"}), "support_outcomes.csv",
                      "support_outcomes", "Participants who did and did not receive each service. Descriptive: "
                                          "who gets support differs in more than the support.")
    return out, path, comp


def partner_section(tables: dict[str, pd.DataFrame]) -> dict | None:
    """What the partner partial renders, or None when the run has no partner tables."""
    signals, signal_table = _signals(tables)
    placements, externship_table = _externships(tables)
    funding, occupation_table = _funding(tables)
    support, pathway_table, outcome_table = _support(tables)
    parts = [signal_table, externship_table, occupation_table, pathway_table, outcome_table]
    if not any(parts) and not funding:
        return None
    return {"signals": signals, "placements": placements, "funding": funding, "support": support,
            "tables": [(title, t) for title, t in zip(
                ("Three demand signals side by side", "Externship placements: needed and offered",
                 "Funding per projected opening", "Support services by pathway",
                 "Completion and retention with and without support"), parts, strict=True) if t]}
