"""The statewide report of a state run: report.html and a short board packet, report.pdf.

What a state board asks of every region at once, in its order: which jobs the state as a whole
trains too few people for (statewide shortages), which are short only in some regions while
others train more than they need (local shortages: people, or programs, could move), where
neighbouring regions' providers duplicate each other's programs, and how far the regions' own
forecasts were adjusted to add up to the state's. Each region's own report is one link away.
The numbers here are the reconciled ones; each region's folder keeps its own forecast's.
"""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path
from xml.sax.saxutils import escape

import numpy as np
import pandas as pd
from reportlab.platypus import CondPageBreak, Flowable, KeepTogether, PageBreak

from align.match import gaps as G
from align.multiregion import statewide as S
from align.report import board, charts
from align.report import pdf as P
from align.report.formats import number
from align.report.jinja import environment
from align.report.xlsx import write_state_xlsx
from align.store import write_text

N_ROWS = 15
REGION_REPORTS = (("report.pdf", "board packet"), ("report.html", "full report"), ("report.xlsx", "workbook"))  # occupations in the packet's regions × occupations view
SHORT, SURPLUS, EVEN, NONE = "short", "surplus", "balanced", ""
MARK = {SHORT: "▼", SURPLUS: "▲", EVEN: "●", NONE: "·"}
COLOURS = {SHORT: "#B34700", SURPLUS: "#005A8F", EVEN: "#9aa5ad", NONE: "#ffffff"}


def short_name(name: str, state: str) -> str:
    """``Finger Lakes Region, New York`` → ``Finger Lakes``: what a column header can hold."""
    text = name.removesuffix(f", {state}")
    for suffix in (" Region", " County"):
        text = text.removesuffix(suffix)
    return {"New York City": "NYC", "Central New York": "Central NY", "Western New York": "Western NY"}.get(text, text)


def _state(flag: object, material: object) -> str:
    """A region's cell: short or surplus where its gap is material, else balanced; blank if not judged."""
    if flag not in (G.BALANCED, *G.SHORTAGE_FLAGS, *G.SURPLUS_FLAGS):
        return NONE
    if pd.isna(material) or not bool(material):
        return EVEN
    return SHORT if flag in G.SHORTAGE_FLAGS else SURPLUS if flag in G.SURPLUS_FLAGS else EVEN


@dataclass
class StateView:
    """Everything the two forms show, computed once."""

    state: str
    years: dict
    regions: pd.DataFrame
    labels: dict[str, str]
    matrix: pd.DataFrame  # occupations × regions: short / surplus / balanced / ""
    statewide: pd.DataFrame
    local: pd.DataFrame
    duplication: pd.DataFrame
    reconciliation: pd.DataFrame
    headline: str
    bullets: list[str]
    present: dict[str, set[str]]  # region id → which of its reports the run folder holds


def state_view(tables: dict[str, pd.DataFrame], manifest: dict, folder: Path | None = None) -> StateView:
    state = manifest["state"]["name"]
    regions = tables["regions"]
    labels = {r: short_name(n, state) for r, n in zip(regions["region_id"], regions["region_name"], strict=True)}
    g = tables["state_gaps"]
    statewide = g[g["scope"] == S.STATEWIDE_SHORTAGE].sort_values("gap", ascending=False)
    local = g[g["scope"] == S.LOCAL_SHORTAGE].assign(
        short_gap=lambda d: d["soc_code"].map(_regional_shortfall(tables["region_gaps"])))
    local = local.sort_values(["short_gap", "soc_code"], ascending=[False, True])
    rg = tables["region_gaps"]
    cells = pd.Series([_state(f, m) for f, m in zip(rg["flag_reconciled"], rg["material_reconciled"], strict=True)],
                      index=pd.MultiIndex.from_arrays([rg["soc_code"], rg["region_id"]]))
    matrix = cells.unstack("region_id").reindex(columns=list(regions["region_id"])).fillna(NONE)
    dup = tables["cross_region_duplication"]
    dup = dup[dup["material"].astype(bool) & ~dup["within_region"].astype(bool)] if len(dup) else dup
    rec = tables["region_reconciliation"]
    n_dup = len(dup.drop_duplicates(["cip_code", "award_level"]))
    headline = (f"{_count(len(statewide), 'job')} where {state} as a whole trains too few people, "
                f"{_count(len(local), 'more')} short only in some regions while the state as a whole trains "
                f"enough, and {_count(n_dup, 'program')} that providers in neighbouring regions duplicate "
                f"across their border.")
    bullets = [f"{r.occupation_title}: about {number(r.annual_openings)} openings a year statewide, about "
               f"{number(r.effective_supply)} newly trained people; short in {_count(r.n_regions_short, 'region')}."
               for r in statewide.head(3).itertuples()]
    if len(local):
        r = local.iloc[0]
        bullets.append(f"{r['occupation_title']}: short in {_names(r['regions_short'], labels, state)}, while "
                       f"the state as a whole trains about {number(r['effective_supply'])} for "
                       f"{number(r['annual_openings'])} openings.")
    if len(rec):
        big = rec.reindex(rec["adjustment_target_pct"].abs().sort_values(ascending=False).index).iloc[0]
        bullets.append(f"The regions' own forecasts were adjusted to add up to the state's forecast for "
                       f"{manifest['config']['years']['target']}. The largest change: {labels[big['region_id']]}, "
                       f"{big['adjustment_target']:+,.0f} jobs ({big['adjustment_target_pct']:+.1f}%).")
    present = {rid: {name for name, _ in REGION_REPORTS if folder is not None
                     and (folder / "regions" / rid / name).is_file()} for rid in regions["region_id"]}
    return StateView(state, manifest["config"]["years"], regions, labels, matrix, statewide, local, dup, rec,
                     headline, bullets, present)


def _regional_shortfall(region_gaps: pd.DataFrame) -> pd.Series:
    """Per occupation, the openings left unfilled in the regions that are short (reconciled)."""
    short = region_gaps[region_gaps["flag_reconciled"].isin(G.SHORTAGE_FLAGS)
                        & region_gaps["material_reconciled"].fillna(False).astype(bool)]
    return short.groupby("soc_code")["gap_reconciled"].sum()


def _count(n: int, noun: str) -> str:
    return f"{n} {noun}{'' if n == 1 or noun == 'more' else 's'}"


def _names(joined: str, labels: dict[str, str], state: str) -> str:
    parts = [short_name(p, state) for p in str(joined).split("; ") if p]
    return ", ".join(parts[:-1]) + " and " + parts[-1] if len(parts) > 1 else (parts[0] if parts else "no region")


def rows_to_show(view: StateView, n: int = N_ROWS) -> list[str]:
    """The occupations the view leads with: statewide shortages, then local ones (largest first)."""
    codes = list(view.statewide["soc_code"].head(n))
    codes += [c for c in view.local["soc_code"] if c not in codes][: max(0, n - len(codes))]
    return codes


def matrix_chart(view: StateView, tables: dict[str, pd.DataFrame], codes: list[str]) -> charts.Figure:
    """Regions across, occupations down: where each job is short (orange) or over-supplied (blue)."""
    titles = tables["state_gaps"].set_index("soc_code")["occupation_title"]
    grid = view.matrix.reindex(codes).fillna(NONE)
    fig, ax = charts.subplots(figsize=(7.5, 0.32 * len(codes) + 1.6))
    colours = [[COLOURS[v] for v in row] for row in grid.to_numpy()]
    ax.imshow(np.array([[tuple(int(c[i:i + 2], 16) / 255 for i in (1, 3, 5)) for c in row] for row in colours]),
              aspect="auto")
    for i, row in enumerate(grid.to_numpy()):
        for j, v in enumerate(row):
            ax.text(j, i, MARK[v], ha="center", va="center", fontsize=8, color="white" if v in (SHORT, SURPLUS)
                    else "#55606a")
    ax.set_xticks(range(grid.shape[1]), [view.labels[c] for c in grid.columns], rotation=40, ha="left",
                  rotation_mode="anchor", fontsize=8)
    ax.set_yticks(range(len(codes)), [charts.wrap(titles.get(c, c), 42) for c in codes], fontsize=7.5)
    ax.set_xticks(np.arange(-0.5, grid.shape[1]), minor=True)
    ax.set_yticks(np.arange(-0.5, len(codes)), minor=True)
    ax.grid(which="minor", color="white", linewidth=1.5)
    ax.tick_params(which="both", length=0)
    for spine in ax.spines.values():
        spine.set_visible(False)
    ax.xaxis.tick_top()
    fig.tight_layout()
    return fig


# --- the packet -------------------------------------------------------------------------------

def _statewide_table(view: StateView) -> board.Table:
    rows = [[r.occupation_title, number(r.annual_openings), number(r.effective_supply), number(r.gap),
             f"{r.n_regions_short} of {r.n_regions}"] for r in view.statewide.head(10).itertuples()]
    return board.Table(["Job", "Openings a year", "Newly trained a year", "Short by", "Regions short"], rows,
                       numeric={1, 2, 3})


def _local_table(view: StateView) -> board.Table:
    rows = [[r.occupation_title, _names(r.regions_short, view.labels, view.state),
             _names(r.regions_surplus, view.labels, view.state) if r.regions_surplus else "none",
             number(r.short_gap)] for r in view.local.head(8).itertuples()]
    return board.Table(["Job", "Short in", "Trains more than it needs", "Short by (in those regions)"], rows,
                       numeric={3})


def _duplication_table(view: StateView) -> board.Table:
    """One row per program, at the border where its excess is largest (the others counted beside it)."""
    dup = view.duplication.sort_values("excess_supply", ascending=False)
    borders = dup.groupby(["cip_code", "award_level"]).size()
    rows = []
    for r in dup.drop_duplicates(["cip_code", "award_level"]).head(8).itertuples():
        others = int(borders[(r.cip_code, r.award_level)]) - 1
        rows.append([board.program_name(r.cip_title, r.cip_code, r.award_label),
                     f"{view.labels.get(r.region_a, r.region_a)} and {view.labels.get(r.region_b, r.region_b)}"
                     + (f" (and {others} other border{'s' if others > 1 else ''})" if others else ""),
                     str(int(r.n_providers)), number(r.combined_supply), number(r.allocated_demand)])
    return board.Table(["Program", "Neighbouring regions", "Providers", "Trained a year", "Openings it serves"],
                       rows, numeric={2, 3, 4})


def _reconciliation_table(view: StateView) -> board.Table:
    base, target = view.years["base"], view.years["target"]
    rows = [[view.labels[r.region_id], number(r.employment_base), number(r.employment_base_reconciled),
             number(r.employment_target), number(r.employment_target_reconciled),
             f"{r.adjustment_target:+,.0f} ({r.adjustment_target_pct:+.1f}%)"]
            for r in view.reconciliation.itertuples()]
    return board.Table(["Region", f"Jobs {base}", f"{base}, adjusted", f"{target}, own forecast",
                        f"{target}, adjusted", f"Change in {target}"], rows, numeric={1, 2, 3, 4, 5})


def _unplaced(tables: dict[str, pd.DataFrame]) -> float:
    """Base-year jobs in the state's own series that none of the regions' counties holds."""
    s = tables["state_industry_projection"]
    return float(s["employment_base"].sum() - s["regions_employment_base"].sum())


def packet_story(view: StateView, tables: dict[str, pd.DataFrame], manifest: dict) -> list[Flowable]:
    years = view.years
    story: list[Flowable] = [
        P.para("Board packet · every region of the state", "meta"),
        P.para(f"{view.state} State: training supply and employer demand, region by region", "title"),
        P.para(f"{len(view.regions)} regions. Base year {years['base']}, looking ahead to {years['target']}. "
               f"Run {manifest.get('run_id', '')}.", "meta"),
        P.space(4), P.para("The answer", "h1"), P.para(view.headline, "lead"),
        P.para("We added up every region's expected job openings and the people its programs train, job by job. "
               "A statewide shortage means the state as a whole trains too few people. A local shortage means "
               "some regions are short while the state as a whole is not, so people trained elsewhere, or "
               "programs that move, could fill the jobs."),
        *P.bullets(view.bullets),
        KeepTogether([P.para("Where the rest is", "h2"), *[
            P.rich(f'<a href="{name}" color="#0b5cad">{name}</a>: {what}.', "bullet") for name, what in (
                ("report.html", "the full statewide report (every job, every region)"),
                ("regions/", "each region's own board packet, report and tables (listed on the last page)"))]]),
        PageBreak(),
        P.para("Where each job is short, region by region", "h1"),
        P.para("Orange ▼: the region trains too few people for the openings. Blue ▲: it trains more than the "
               "openings need. Grey ●: no gap large enough to matter. A dot: not a training gap there (too few openings, or the "
               "job is learned on the job)."),
    ]
    codes = rows_to_show(view)
    if codes:
        story.append(P.image(charts.png(matrix_chart(view, tables, codes), dpi=150), width=P.WIDTH))
    if len(view.statewide):
        story += [CondPageBreak(2.5 * P.inch), P.para("Statewide shortages", "h1"),
                  P.para("The state as a whole trains too few people for these jobs. Moving graduates between "
                         "regions would not close the gap: the state needs more training places."),
                  P.table(_statewide_table(view), [P.WIDTH * w for w in (0.36, 0.15, 0.17, 0.14, 0.18)])]
    if len(view.local):
        story += [CondPageBreak(2.5 * P.inch), P.para("Short in some regions only", "h1"),
                  P.para("These jobs are short in some regions while the state as a whole trains enough. "
                         "Regions with a surplus could share graduates or programs with those that are short."),
                  P.table(_local_table(view), [P.WIDTH * w for w in (0.3, 0.27, 0.27, 0.16)])]
    story += [CondPageBreak(2.5 * P.inch), P.para("Duplicated effort across neighbouring regions", "h1")]
    if len(view.duplication):
        story += [P.para("The same program is offered by providers on both sides of a regional border, and "
                         "together they train more people than the openings the program serves, although "
                         "neither region's own providers duplicate each other (that would be in the region's own "
                         "report). Neighbouring boards could plan these programs together. Each program is shown "
                         "once, at the border where the excess is largest."),
                  P.table(_duplication_table(view), [P.WIDTH * w for w in (0.36, 0.26, 0.1, 0.14, 0.14)])]
    else:
        story.append(P.para("No program is duplicated across neighbouring regions beyond what the openings need."))
    story += [CondPageBreak(3 * P.inch), P.para("How the regions were made to add up to the state", "h1"),
              P.para("Each region's jobs were forecast from its own history, and the state's from the state's. "
                     "The regional forecasts did not add up to the state's, so each region's numbers for each "
                     "industry were scaled by the same share to match the state's, in the base year and in the "
                     "target year. The regions' own reports show their own forecasts; the statewide pages use "
                     "the adjusted ones."
                     + (f" The state's own count also holds about {number(_unplaced(tables))} jobs of "
                        f"{years['base']} that its data place in no county; the adjustment shares them out too."
                        if _unplaced(tables) > 0.5 else "")),
              P.table(_reconciliation_table(view), [P.WIDTH * w for w in (0.17, 0.14, 0.15, 0.17, 0.15, 0.22)]),
              CondPageBreak(3 * P.inch), P.para("Each region's own report", "h1")]
    story += [P.rich(f'<b>{escape(str(r.region_name))}</b>: ' + " · ".join(
        f'<a href="regions/{r.region_id}/{name}" color="#0b5cad">{what}</a>' for name, what in REGION_REPORTS
        if name in view.present.get(r.region_id, ())), "bullet") for r in view.regions.itertuples()]
    story += [CondPageBreak(2 * P.inch), P.para("Sources", "h1"),
              P.para("Every input file, with its SHA-256 fingerprint, is listed in manifest.json. All regions "
                     "read the same files.", "meta"),
              P.table(board.sources_table(manifest), [P.WIDTH * w for w in (0.25, 0.5, 0.25)])]
    return story


def write_state_reports(tables: dict[str, pd.DataFrame], manifest: dict, folder: Path, *, pdf: bool = True) -> list[Path]:
    """Write report.html, report.xlsx and (unless ``pdf`` is False) report.pdf for the state run."""
    folder = Path(folder)
    view = state_view(tables, manifest, folder)
    out = [write_text(folder / "report.html", render_html(view, tables, manifest)),
           write_state_xlsx(tables, manifest, folder / "report.xlsx")]
    if pdf:
        name = f"{view.state} State"
        out.append(P.write_pdf(folder / "report.pdf", packet_story(view, tables, manifest), title=f"Board packet: {name}",
                               footer=f"align statewide board packet · {name} · run {manifest.get('run_id', '')}"))
    return out


def render_html(view: StateView, tables: dict[str, pd.DataFrame], manifest: dict) -> str:
    g = tables["state_gaps"]
    judged = g[g["scope"] != ""]
    codes = list(judged["soc_code"])
    return environment().get_template("statewide.html.j2").render(
        view=view, manifest=manifest, matrix=view.matrix.reindex(codes).fillna(NONE),
        titles=g.set_index("soc_code")["occupation_title"], judged=judged, mark=MARK, reports=REGION_REPORTS,
        names=lambda joined: _names(joined, view.labels, view.state))
