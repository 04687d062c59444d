"""The board report: HTML, XLSX and PDF from the demo run and from edge cases."""

from __future__ import annotations

import re
import shutil
import subprocess
from pathlib import Path

import numpy as np
import openpyxl
import pandas as pd
import pytest

from align.cli import main
from align.match import gaps as G
from align.report import load_run_tables, render_html, write_reports
from align.report.html import gap_cards, summary_sentences, vintage_line
from align.report.pdf import find_chromium, render_pdf
from align.report.views import SUPPRESSED

NASTY = "<script>alert(1)</script> \"Quoted\" & 'single'"


def _counts(gaps: pd.DataFrame) -> tuple[int, int]:
    return (int(gaps["flag"].isin(G.SHORTAGE_FLAGS).sum()), int(gaps["flag"].isin(G.SURPLUS_FLAGS).sum()))


def test_run_writes_three_forms(demo_run):
    folder = demo_run.folder
    assert (folder / "report.html").stat().st_size > 10_000
    assert (folder / "report.xlsx").stat().st_size > 5_000
    if find_chromium() is not None:
        assert (folder / "report.pdf").read_bytes()[:5] == b"%PDF-"


def test_html_is_self_contained(demo_run):
    html = (demo_run.folder / "report.html").read_text(encoding="utf-8")
    # Nothing that would make a browser fetch: no external src/href, stylesheets, imports or CSS urls.
    assert not re.search(r"""(?:src|href)\s*=\s*["']?\s*(?:https?:)?//""", html)
    assert "<link" not in html and "@import" not in html
    assert not re.search(r"""url\(\s*["']?(?!#)""", html)  # SVG's url(#clip) is a local reference
    assert "<img" not in html  # charts are inline SVG
    assert html.count("<svg") >= 4  # openings vs supply, bands, duplication (x2), forecasts


def test_summary_states_counts_from_gaps_csv(demo_run):
    gaps = pd.read_csv(demo_run.folder / "gaps.csv", dtype={"soc_code": str})
    short, surplus = _counts(gaps)
    html = (demo_run.folder / "report.html").read_text(encoding="utf-8")
    headline = re.search(r'<p id="headline"><strong>(.*?)</strong>', html).group(1)
    assert headline.startswith(f"{short} occupations where regional training falls short")
    assert f"{surplus} where it outpaces demand" in headline
    # The largest shortage by gap leads the summary, with its rounded openings and gap.
    top = gaps[gaps["flag"].isin(G.SHORTAGE_FLAGS)].sort_values("gap", ascending=False).iloc[0]
    first = summary_sentences(gaps, demo_run.tables["duplication"])["shortages"][0]
    assert first.startswith(f"{top.occupation_title}: about {top.annual_openings:,.0f} openings a year")
    assert f"a gap of {top.gap:,.0f} a year" in first
    assert first.replace("'", "&#39;") in html


def test_every_flagged_occupation_gets_a_card_with_its_arithmetic(demo_run):
    gaps = demo_run.tables["gaps"]
    cards = gap_cards(gaps, demo_run.manifest["config"]["parameters"])
    flagged = gaps[gaps["flag"].isin((*G.SHORTAGE_FLAGS, *G.SURPLUS_FLAGS))]
    assert sorted(c["soc_code"] for c in cards) == sorted(flagged["soc_code"])
    html = (demo_run.folder / "report.html").read_text(encoding="utf-8")
    assert html.count('<article class="card') == len(flagged)
    for c in cards:
        assert c["arithmetic"][0].startswith("openings ")  # the BLS sum behind the openings figure
        assert "Why this flag" not in c["why"] and c["why"]


def test_method_lists_every_source_hash_and_backtest(demo_run):
    html = (demo_run.folder / "report.html").read_text(encoding="utf-8")
    for rec in demo_run.manifest["inputs"]:
        assert rec["sha256"] in html
    acc = demo_run.tables["forecast_accuracy"].set_index("model")["mase"]
    assert f"{acc['selected']:.2f}, against {acc['naive']:.2f} for the naive" in html
    assert "proportional</strong> allocation" in html
    assert "<code>effective_supply</code>" in html  # data dictionary from the field dictionary
    assert "Job postings are not openings" in html
    assert vintage_line(demo_run.manifest).startswith("industry employment: QCEW")


def test_xlsx_reads_back_same_numbers_as_gaps_csv(demo_run):
    gaps = pd.read_csv(demo_run.folder / "gaps.csv", dtype={"soc_code": str})
    wb = openpyxl.load_workbook(demo_run.folder / "report.xlsx")
    assert wb.sheetnames[0] == "README"
    assert {"gaps", "supply", "duplication", "sources", "dictionary"} <= set(wb.sheetnames)
    ws = wb["gaps"]
    assert ws.freeze_panes == "A2"
    back = pd.read_excel(demo_run.folder / "report.xlsx", sheet_name="gaps", dtype={"soc_code": str})
    assert list(back.columns) == list(gaps.columns)
    assert back["soc_code"].tolist() == gaps["soc_code"].tolist()
    assert back["flag"].tolist() == gaps["flag"].tolist()
    for col in ("annual_openings", "effective_supply", "gap", "supply_demand_ratio", "probability_shortage"):
        np.testing.assert_allclose(back[col].to_numpy(float), gaps[col].to_numpy(float), rtol=1e-9, equal_nan=True)
    # The flag column is coloured, and the colour only repeats the words in the cell.
    flag_col = list(gaps.columns).index("flag") + 1
    row = int(np.flatnonzero(gaps["flag"].eq(G.UNDERSUPPLY))[0]) + 2
    cell = ws.cell(row=row, column=flag_col)
    assert cell.value == G.UNDERSUPPLY and cell.fill.fgColor.rgb.endswith("F6C7A8")
    sources = pd.read_excel(demo_run.folder / "report.xlsx", sheet_name="sources")
    assert sources["sha256"].tolist() == [r["sha256"] for r in demo_run.manifest["inputs"]]


def _pdf_pages(path: Path) -> int:
    info = subprocess.run(["pdfinfo", str(path)], capture_output=True, text=True, check=True).stdout
    return int(re.search(r"Pages:\s+(\d+)", info).group(1))


@pytest.mark.skipif(shutil.which("pdfinfo") is None, reason="poppler-utils (pdfinfo, pdftotext) not installed")
def test_pdf_has_summary_page_numbers_and_appendix(demo_run):
    pdf = demo_run.folder / "report.pdf"
    if not pdf.exists():
        pytest.skip("no PDF renderer (Chromium or WeasyPrint) on this machine")
    pages = _pdf_pages(pdf)
    assert 8 <= pages <= 60
    text = [subprocess.run(["pdftotext", "-layout", "-f", str(p), "-l", str(p), str(pdf), "-"],
                           capture_output=True, text=True, check=True).stdout for p in (1, pages)]
    assert "Training supply and employer demand" in text[0] and "Largest shortages" in text[0]
    assert f"Page 1 of {pages}" in text[0] and f"Page {pages} of {pages}" in text[1]
    assert "Duplicated effort" in text[0] and "one by one" not in text[0]  # the summary fits one page
    everything = subprocess.run(["pdftotext", str(pdf), "-"], capture_output=True, text=True, check=True).stdout
    assert "Data dictionary" in everything and "Method and sources" in everything


def test_pdf_skipped_with_reason_when_no_renderer(tmp_path, demo_run, monkeypatch):
    monkeypatch.setenv("ALIGN_CHROMIUM", str(tmp_path / "no-such-chromium"))
    path, note = render_pdf("<p>x</p>", tmp_path / "r.pdf", engine="chromium")
    assert path is None and "report.pdf skipped" in note and "no Chromium" in note
    assert not (tmp_path / "r.pdf").exists()
    import align.report.pdf as pdf_mod

    monkeypatch.setattr(pdf_mod, "ENGINES", ("chromium",))
    out = write_reports(demo_run.tables, demo_run.manifest, tmp_path / "run", quiet=True)
    assert [p.name for p in out.paths] == ["report.html", "report.xlsx"]
    assert out.notes and out.notes[0].startswith("report.pdf skipped")


def test_cli_report_rebuilds_from_tables_without_recomputing(demo_run, tmp_path, capsys):
    folder = tmp_path / "copy"
    shutil.copytree(demo_run.folder, folder)
    (folder / "report.html").unlink()
    before = {p.name: p.read_bytes() for p in folder.glob("*.csv")}
    assert main(["report", str(folder), "--no-pdf"]) == 0
    assert (folder / "report.html").exists() and (folder / "report.xlsx").exists()
    assert {p.name: p.read_bytes() for p in folder.glob("*.csv")} == before
    tables, manifest = load_run_tables(folder)
    assert render_html(tables, manifest) == (folder / "report.html").read_text(encoding="utf-8")
    assert "report.html" in capsys.readouterr().out


def test_cli_report_on_a_folder_that_is_not_a_run(tmp_path, capsys):
    assert main(["report", str(tmp_path)]) == 2
    assert "manifest.json" in capsys.readouterr().err


# --- edge cases -------------------------------------------------------------------------------

def test_no_shortages(demo_tables, demo_run):
    g = demo_tables["gaps"]
    g.loc[g["flag"].isin(G.SHORTAGE_FLAGS), "flag"] = G.BALANCED
    html = render_html(demo_tables, demo_run.manifest)
    assert "<strong>0 occupations where regional training falls short" in html
    assert "No occupation's openings exceed regional supply by a flagged margin." in html


def test_one_occupation(demo_tables, demo_run):
    g = demo_tables["gaps"]
    demo_tables["gaps"] = g[g["flag"] == G.UNDERSUPPLY].head(1)
    html = render_html(demo_tables, demo_run.manifest)
    assert "<strong>1 occupation where regional training" in html
    assert html.count('<article class="card') == 1


def test_nothing_flagged_and_no_duplication(demo_tables, demo_run):
    g = demo_tables["gaps"]
    g["flag"] = G.BELOW_MINIMUM
    demo_tables["duplication"] = demo_tables["duplication"].head(0)
    html = render_html(demo_tables, demo_run.manifest)
    assert "No occupation is flagged as a shortage or a surplus." in html
    assert "No program is offered by more than one regional provider." in html


def test_script_and_quotes_from_data_are_escaped(demo_tables, demo_run, tmp_path):
    demo_tables["programs"]["provider_name"] = NASTY
    d = demo_tables["duplication"]
    d["providers"] = NASTY
    d["cip_title"] = NASTY
    g = demo_tables["gaps"]
    g.loc[g.index[0], "occupation_title"] = NASTY
    g["programs"] = g["programs"].where(g["n_programs"] == 0, NASTY + " 12.0503: 3.0")
    manifest = {**demo_run.manifest, "region": {**demo_run.manifest["region"], "name": NASTY}}
    out = write_reports(demo_tables, manifest, tmp_path, pdf=False, quiet=True)
    html = (tmp_path / "report.html").read_text(encoding="utf-8")
    assert "<script>alert(1)" not in html and "alert(1)</script>" not in html
    assert "&lt;script&gt;alert(1)&lt;/script&gt; &#34;Quoted&#34; &amp; &#39;single&#39;" in html
    assert html.count("<script>") == 1  # only the report's own sort/filter script
    # The page footer in CSS cannot be broken out of either.
    assert re.search(r'@bottom-left \{ content: "[^"<>]*"', html)
    back = pd.read_excel(out.paths[1], sheet_name="programs")
    assert set(back["provider_name"]) == {NASTY}  # the workbook keeps the text verbatim, as text


def test_very_long_titles(demo_tables, demo_run):
    long = "Very long occupation title " * 12
    g = demo_tables["gaps"]
    g["occupation_title"] = long + g["occupation_title"]
    demo_tables["duplication"]["cip_title"] = long
    html = render_html(demo_tables, demo_run.manifest)
    assert html.count(long.strip()) >= len(g[g["flag"] != G.BELOW_MINIMUM])


def test_suppressed_metrics_are_marked_not_zero(demo_tables, demo_run, tmp_path):
    demo_tables["metrics"] = pd.DataFrame({
        "group_type": ["provider", "provider", "provider"], "group_id": ["p1", "p1", "p2"],
        "metric": ["employment_rate_q2", "median_earnings_q2", "employment_rate_q2"],
        "numerator": [18.0, np.nan, np.nan], "denominator": [25.0, 18.0, np.nan],
        "metric_value": [0.72, 9_850.0, np.nan], "is_suppressed": [False, False, True],
        "suppression": [None, None, "primary: denominator 6 < 10"],
        "metric_label": ["Employment rate, 2nd quarter after exit", "Median earnings, 2nd quarter after exit",
                         "Employment rate, 2nd quarter after exit"],
    })
    html = render_html(demo_tables, demo_run.manifest)
    section = html[html.index('id="opt-metrics"'):]
    section = section[:section.index("</section>")]
    assert section.count(f">{SUPPRESSED}</td>") == 1  # p2's employment rate is withheld
    assert "$9,850" in section and "72%" in section
    assert ">0<" not in section and ">0%<" not in section
    write_reports(demo_tables, demo_run.manifest, tmp_path, pdf=False, quiet=True)
    back = pd.read_excel(tmp_path / "report.xlsx", sheet_name="metrics")
    assert back.loc[2, "is_suppressed"] and pd.isna(back.loc[2, "metric_value"])


def test_forecasts_without_a_range_read_as_unknown_not_nan(demo_tables, demo_run):
    gaps = demo_tables["gaps"].copy()
    gaps[["annual_openings_low", "annual_openings_high", "probability_shortage"]] = np.nan
    demo_tables["gaps"] = gaps
    html = render_html(demo_tables, demo_run.manifest)
    text = re.sub(r"<[^>]+>", " ", re.sub(r"<script.*?</script>", "", html, flags=re.S))  # what a reader sees
    assert not re.search(r"\bnan\b", text, flags=re.I)
    assert "no range: too little history" in text and "chance of a shortage unknown" in text
