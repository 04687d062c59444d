"""The report's tables as an Excel workbook for board staff who want to sort and filter.

One sheet per table, frozen header row, autofilter, number formats, and the flag column
coloured with the flag's words and symbol in the cell too, so colour is never the only cue.
"""

from __future__ import annotations

from pathlib import Path

import pandas as pd
import xlsxwriter

from align import schemas
from align.match import gaps as G
from align.store import atomic_write, neutral_text

FLAG_FILL = {**{f: "#F6C7A8" for f in G.SHORTAGE_FLAGS}, **{f: "#B3D4EC" for f in G.SURPLUS_FLAGS},
             G.BALANCED: "#B8E0D2", G.ON_THE_JOB: "#E3E3E3", G.EXPERIENCED: "#E3E3E3"}
SHEETS = (  # (sheet, table, what it is)
    ("gaps", "gaps", "One row per occupation: openings with 80% range, effective supply, gap, ratio, flag and why."),
    ("supply", "occupation_supply", "Effective supply per occupation and the programs that supply it."),
    ("programs", "programs", "Every regional program with its average annual completers."),
    ("duplication", "duplication", "Programs offered by several providers: combined supply vs openings served."),
    ("duplication_series", "duplication_series", "The wider view: one 4-digit CIP series at one award level."),
    ("double_count_audit", "double_count_audit", "How much summing mapped openings per program would overstate demand."),
    ("pathways", "pathways", "Pathways between occupations (when the run computed them)."),
    ("ladders", "ladders", "Career ladders with wages (when the run computed them)."),
    ("pathway_gaps", "pathway_gaps", "Ladder steps with demand but no regional training."),
    ("entry_points", "entry_points", "Occupations open with short training that lead to high-demand work."),
    ("stacks", "stacks", "Stackable credentials and broken steps."),
    ("postings", "postings_agreement", "Job postings beside projected openings (postings are not openings)."),
    ("metrics", "metrics", "Outcome metrics; suppressed cells are empty (never zero) and marked as suppressed."),
    ("forecast_accuracy", "forecast_accuracy", "Backtest accuracy of the forecasts vs the naive baseline."),
)


def _cell(v: object) -> object:
    if v is None or (isinstance(v, float) and pd.isna(v)) or v is pd.NA:
        return None
    return v


def _write_table(wb: xlsxwriter.Workbook, ws: object, df: pd.DataFrame, fmts: dict) -> None:
    df = df.reset_index(drop=True)
    for j, col in enumerate(df.columns):
        ws.write(0, j, col, fmts["header"])
        kind = str(df[col].dtype)
        fmt = None
        if kind.startswith("float"):
            fmt = fmts["ratio"] if ("ratio" in col or "share" in col or col in ("hhi",)) else (
                fmts["pct"] if col.startswith("probability") or col.startswith("coverage") else fmts["num"])
        elif kind.startswith("int"):
            fmt = fmts["int"]
        width = min(60, max(10, len(col) + 2, int(df[col].map(lambda v: len(str(v))).quantile(0.9)) + 2 if len(df) else 0))
        ws.set_column(j, j, width, fmt)
        for i, v in enumerate(df[col].tolist(), start=1):
            v = _cell(v)
            if v is None:
                ws.write_blank(i, j, None, fmt)
            elif isinstance(v, bool):
                ws.write_boolean(i, j, v)
            elif isinstance(v, (int, float)):
                ws.write_number(i, j, float(v), fmt)
            else:
                ws.write_string(i, j, neutral_text(str(v)), fmt)
    ws.freeze_panes(1, 0)
    if len(df.columns):
        ws.autofilter(0, 0, max(len(df), 1), len(df.columns) - 1)
    if "flag" in df.columns:
        j = df.columns.get_loc("flag")
        for i, flag in enumerate(df["flag"].tolist(), start=1):
            if flag in FLAG_FILL:
                ws.write_string(i, j, flag, fmts[flag])


def write_xlsx(tables: dict[str, pd.DataFrame], manifest: dict, dest: Path) -> Path:
    """Write the workbook atomically; returns its path."""
    def writer(path: Path) -> None:
        wb = xlsxwriter.Workbook(str(path), {"strings_to_numbers": False, "strings_to_formulas": False,
                                             "strings_to_urls": False})
        fmts = {"header": wb.add_format({"bold": True, "bg_color": "#E7EBEE", "bottom": 1, "text_wrap": True}),
                "num": wb.add_format({"num_format": "#,##0.0"}), "int": wb.add_format({"num_format": "#,##0"}),
                "ratio": wb.add_format({"num_format": "0.00"}), "pct": wb.add_format({"num_format": "0%"}),
                "wrap": wb.add_format({"text_wrap": True, "valign": "top"})}
        for flag, colour in FLAG_FILL.items():
            fmts[flag] = wb.add_format({"bg_color": colour, "bold": flag in (G.UNDERSUPPLY, G.OVERSUPPLY)})
        readme = wb.add_worksheet("README")
        region = manifest.get("region", {})
        years = manifest.get("config", {}).get("years", {})
        lines = [f"align gap analysis: {region.get('name', '')}",
                 f"Run {manifest.get('run_id', '')}, base year {years.get('base', '')}, "
                 f"projected to {years.get('target', '')}; align {manifest.get('align_version', '')}.",
                 "Numbers are people per year unless a column says otherwise. Empty cells are missing or "
                 "suppressed values, never zero.",
                 "Flags are written in words in the flag column; the colour only repeats them "
                 "(orange = shortage, blue = surplus, green = balanced, grey = on-the-job entry or filled from "
                 "experience).", "", "Sheets:"]
        present = [(s, t, d) for s, t, d in SHEETS if t in tables]
        lines += [f"  {s}: {d}" for s, _, d in present]
        lines += ["  sources: every input file with its vintage and SHA-256 (from manifest.json).",
                  "  dictionary: every column's meaning and unit."]
        readme.set_column(0, 0, 110)
        for i, line in enumerate(lines):
            readme.write_string(i, 0, line, fmts["header"] if i == 0 else None)
        for sheet, table, _ in present:
            _write_table(wb, wb.add_worksheet(sheet), tables[table], fmts)
        sources = pd.DataFrame(manifest.get("inputs", []),
                               columns=["table", "source", "path", "vintage", "sha256", "bytes"])
        _write_table(wb, wb.add_worksheet("sources"), sources, fmts)
        names = [t for _, t, _ in present if t in schemas.TABLES]
        _write_table(wb, wb.add_worksheet("dictionary"), schemas.data_dictionary(names or ["gaps"]), fmts)
        wb.close()

    return atomic_write(Path(dest), writer)
