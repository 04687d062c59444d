"""The board packet (report.pdf): the answer and the few findings that matter, in at most 12 pages.

Page one is the answer. Then one block per section of :func:`align.report.board.sections`
(shortages, surpluses, duplicated effort, pathways, outcome measures: each only where its
tables exist), then caveats, a glossary and the sources. Every occupation's card and the full
tables are in the appendix PDF, the HTML report and the workbook, which page one links to.
"""

from __future__ import annotations

from pathlib import Path
from xml.sax.saxutils import escape

import pandas as pd
from reportlab.platypus import CondPageBreak, Flowable, KeepInFrame, PageBreak

from align.report import board, charts
from align.report import pdf as P
from align.report.formats import number
from align.report.words import glossary

MAX_PAGES = 12
COMPANIONS = (("report.html", "the full report (every job, sortable tables, charts)"),
              ("report-appendix.pdf", "the appendix (a card for every flagged job, and every table)"),
              ("report.xlsx", "the workbook (every table, to sort and filter)"))


def _cover(tables: dict[str, pd.DataFrame], manifest: dict, secs: list[board.Section]) -> list[Flowable]:
    region = manifest.get("region", {})
    years = manifest.get("config", {}).get("years", {})
    gaps = tables["gaps"]
    story: list[Flowable] = [
        P.para("Board packet · training supply and employer demand", "meta"),
        P.para(str(region.get("name", "")), "title"),
        P.para(f"Counties: {board.county_line(region)}. Base year {years.get('base', '')}, looking ahead to "
               f"{years.get('target', '')}. Run {manifest.get('run_id', '')}.", "meta"),
    ]
    if "synthetic" in str(region.get("name", "")).lower():
        story.append(P.rich("<b>Synthetic demo data.</b> This region and its numbers are invented to show how "
                            "align works. They describe no real place.", "banner"))
    if manifest.get("scenario"):
        s = manifest["scenario"]
        story.append(P.rich(f"<b>What-if scenario “{escape(str(s.get('name', '')))}”: not the base plan.</b> "
                            f"{escape(str(s.get('description', '')))}", "banner"))
    story += [P.space(4), P.para("The answer", "h1"), P.para(board.headline(gaps, tables.get("duplication")), "lead")]
    n_training = int(gaps["flag"].isin(board.G.SHORTAGE_FLAGS + board.G.SURPLUS_FLAGS + (board.G.BALANCED,)).sum())
    n_otj = int(gaps["flag"].isin([board.G.ON_THE_JOB, board.G.EXPERIENCED]).sum())
    story.append(P.para(
        f"We compared the openings employers are expected to have each year with the people the region's "
        f"programs train, job by job. Training is the usual way into {n_training} of the jobs with enough "
        f"openings to judge. Another {n_otj} are learned on the job or filled from experience, so they are "
        f"not training gaps."))
    for sec in secs:
        if sec.bullets and sec.key != "not-covered":  # the cover has the measured findings; that list has its page
            story += [P.para(sec.title, "h2"), *P.bullets(sec.bullets[:3])]
    story += [P.para("Where the rest is", "h2"), *[
        P.rich(f'<a href="{name}" color="#0b5cad">{name}</a>: {what}.', "bullet") for name, what in COMPANIONS]]
    # the cover is one page, whatever the region: shrunk to fit rather than spilling a few lines onto
    # a page of their own
    return [KeepInFrame(P.WIDTH, P.PAGE[1] - 2 * P.MARGIN - 2, story, mode="shrink")]


def _chart(name: str, tables: dict[str, pd.DataFrame]) -> Flowable | None:
    gaps, dup = tables["gaps"], tables.get("duplication")
    if name == "shortages":
        fig = charts.openings_vs_supply(board.shortages(gaps), largest=False)
    elif name == "providers" and dup is not None and "programs" in tables:
        fig = charts.duplication_by_provider(board.duplicated(dup, n=10**6), tables["programs"], n=2)
    elif name == "ladder":
        best = board.best_ladders(tables.get("ladders"), n=1)
        fig = charts.pathway_ladder(tables.get("ladders"), best["ladder_id"].iloc[0]) if len(best) else None
    else:
        return None
    return P.image(charts.png(fig, dpi=150), width=P.WIDTH * 0.92) if fig is not None else None


WIDTHS = {"shortages": (0.25, 0.13, 0.11, 0.08, 0.1, 0.17, 0.16), "shortages-6": (0.3, 0.14, 0.12, 0.09, 0.18, 0.17), "surpluses": (0.36, 0.14, 0.14, 0.16, 0.2), "not-covered": (0.34, 0.14, 0.17, 0.35),
          "duplication": (0.44, 0.1, 0.15, 0.15, 0.16), "pathways": (0.5, 0.12, 0.12, 0.1, 0.16),
          "outcomes": (0.6, 0.2, 0.2)}


def _section(sec: board.Section, tables: dict[str, pd.DataFrame]) -> list[Flowable]:
    story: list[Flowable] = [CondPageBreak(2.5 * P.inch), P.para(sec.title, "h1")]
    if sec.intro:
        story.append(P.para(sec.intro))
    chart = _chart(sec.chart, tables) if sec.chart else None
    if chart is not None:
        story.append(chart)
    if sec.key == "pathways" and sec.bullets:
        story += [P.para("Broken steps", "h2"), *P.bullets(sec.bullets)]
    if sec.table is not None:
        key = sec.key if len(sec.table.columns) == len(WIDTHS.get(sec.key, ())) else f"{sec.key}-{len(sec.table.columns)}"
        widths = [P.WIDTH * w for w in WIDTHS.get(key, ())] or None
        story += [P.space(4), P.table(sec.table, widths)]
    if sec.more:
        story.append(P.para(sec.more, "meta"))
    return story


def _closing(tables: dict[str, pd.DataFrame], manifest: dict) -> list[Flowable]:
    params = manifest.get("config", {}).get("parameters", {})
    story: list[Flowable] = [CondPageBreak(3 * P.inch), P.para("Caveats", "h1"), *P.bullets(board.caveats(manifest))]
    accuracy = tables.get("forecast_accuracy")
    if accuracy is not None and len(accuracy) and {"model", "mase"} <= set(accuracy.columns):
        acc = accuracy.set_index("model")["mase"]
        if {"selected", "naive"} <= set(acc.index) and pd.notna(acc["selected"]) and pd.notna(acc["naive"]):
            better = acc["selected"] < acc["naive"]
            story += P.bullets([
                "The forecasts were tested on past years. On those years, the methods chosen had errors "
                + (f"about {number((1 - acc['selected'] / acc['naive']) * 100)}% smaller than" if better else
                   "no smaller than") + " those of simply assuming no change. The methods were picked on the "
                "same years, so expect larger errors in the years ahead."])
    story += [P.para("Words used in this packet", "h1")]
    story += [P.rich(f"<b>{escape(term)}.</b> {escape(text)}", "body") for term, text in glossary(params)]
    story += [CondPageBreak(2 * P.inch), P.para("Sources", "h1"),
              P.para("Every input file, with its SHA-256 fingerprint, is listed in the appendix and in "
                     "manifest.json.", "meta"),
              P.table(board.sources_table(manifest), [P.WIDTH * w for w in (0.25, 0.5, 0.25)])]
    return story


def story(tables: dict[str, pd.DataFrame], manifest: dict) -> list[Flowable]:
    secs = board.sections(tables, manifest)
    out = [*_cover(tables, manifest, secs), PageBreak()]
    for sec in secs:
        out += _section(sec, tables)
    return out + _closing(tables, manifest)


def write_packet(tables: dict[str, pd.DataFrame], manifest: dict, dest: Path) -> Path:
    """Write report.pdf, the board packet."""
    region = str(manifest.get("region", {}).get("name", ""))
    return P.write_pdf(dest, story(tables, manifest), title=f"Board packet: {region}",
                       footer=f"align board packet · {region} · run {manifest.get('run_id', '')}")
