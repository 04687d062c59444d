"""The board report: HTML, XLSX and PDF from the demo run and from edge cases."""

from __future__ import annotations

import re
import shutil
from pathlib import Path

import numpy as np
import openpyxl
import pandas as pd

from align.cli import main
from align.match import gaps as G
from align.report import board, load_run_tables, render_html, write_reports
from align.report.html import gap_cards, vintage_line
from align.report.views import SUPPRESSED
from align.report.words import TRAINING_FLAGS

NASTY = "<script>alert(1)</script> \"Quoted\" & 'single'"


def _counts(gaps: pd.DataFrame) -> tuple[int, int]:
    return (int(gaps["flag"].isin(G.SHORTAGE_FLAGS).sum()), int(gaps["flag"].isin(G.SURPLUS_FLAGS).sum()))


def test_run_writes_four_forms(demo_run):
    folder = demo_run.folder
    assert (folder / "report.html").stat().st_size > 10_000
    assert (folder / "report.xlsx").stat().st_size > 5_000
    for name in ("report.pdf", "report-appendix.pdf"):  # ReportLab is a dependency: always written
        assert (folder / name).read_bytes()[:5] == b"%PDF-"


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
    assert headline.startswith(f"{short} jobs where the region trains too few people")
    assert f"{surplus} where it trains more than employers need" in headline
    # The largest shortage by gap leads the summary, with its rounded openings and supply.
    top = gaps[gaps["flag"].isin(G.SHORTAGE_FLAGS)].sort_values("gap", ascending=False).iloc[0]
    first = board.sections(demo_run.tables, demo_run.manifest)[0].bullets[0]
    assert first.startswith(f"{top.occupation_title}: about {top.annual_openings:,.0f} openings a year")
    assert f"only about {top.effective_supply:,.0f} newly trained people" in first
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
    assert vintage_line(demo_run.manifest).startswith("Jobs by industry: QCEW")


def test_xlsx_reads_back_same_numbers_as_gaps_csv(demo_run):
    gaps = pd.read_csv(demo_run.folder / "gaps.csv", dtype={"soc_code": str})
    wb = openpyxl.load_workbook(demo_run.folder / "report.xlsx")
    assert wb.sheetnames[0] == "Read me"
    assert {"Jobs", "Supply by job", "Duplicated programs", "Sources", "Data dictionary"} <= set(wb.sheetnames)
    ws = wb["Jobs"]
    assert ws.freeze_panes == "B2"  # the job's name stays in view
    back = pd.read_excel(demo_run.folder / "report.xlsx", sheet_name="Jobs", dtype={"SOC code": str})
    assert list(back.columns[:2]) == ["Job", "SOC code"]  # names before codes, headers in words
    assert not any("_" in c for c in back.columns)
    # The sheet opens with the largest shortages where training is the way in, not with cashiers.
    short = gaps[gaps["flag"] == G.UNDERSUPPLY].sort_values("gap", ascending=False)
    assert back["SOC code"].iloc[0] == short["soc_code"].iloc[0]
    assert back["Finding"].iloc[0] == "shortage"
    assert set(back["SOC code"]) == set(gaps["soc_code"])
    merged = back.set_index("SOC code").join(gaps.set_index("soc_code"))
    training = merged["flag"].isin(TRAINING_FLAGS)
    merged["probability_shortage"] = merged["probability_shortage"].where(training)  # only where training is the way in
    assert merged.loc[~training, "Chance of shortage"].isna().all()
    for col, word in (("annual_openings", "Openings a year"), ("effective_supply", "Trained supply a year"),
                      ("gap", "Gap (openings minus trained supply)"), ("probability_shortage", "Chance of shortage")):
        np.testing.assert_allclose(merged[word].to_numpy(float), merged[col].to_numpy(float), rtol=1e-9,
                                   equal_nan=True)
    # Rates read as percentages, pay as dollars; the flag's colour only repeats the words in the cell.
    heads = [c.value for c in ws[1]]
    first = 2
    assert ws.cell(first, heads.index("Chance of shortage") + 1).number_format == "0.0%"
    assert ws.cell(first, heads.index("Median pay a year") + 1).number_format == "$#,##0"
    cell = ws.cell(first, heads.index("Finding") + 1)
    assert cell.value == "shortage" and cell.fill.fgColor.rgb.endswith("F6C7A8")
    supply = pd.read_excel(demo_run.folder / "report.xlsx", sheet_name="Supply by job")
    assert list(supply.columns[:2]) == ["Job", "SOC code"] and supply["Job"].notna().all()
    sources = pd.read_excel(demo_run.folder / "report.xlsx", sheet_name="Sources")
    assert sources["SHA-256 fingerprint"].tolist() == [r["sha256"] for r in demo_run.manifest["inputs"]]
    # The dictionary the sheets refer to exists, generated from align.fields, and covers every header.
    dictionary = pd.read_excel(demo_run.folder / "report.xlsx", sheet_name="Data dictionary")
    assert set(heads) <= set(dictionary["Header"])
    row = dictionary.set_index("Column in the CSV files").loc["effective_supply"]
    from align.fields import FIELDS

    assert row["Meaning"] == FIELDS["effective_supply"].description
    assert "Metric definitions" in wb.sheetnames  # the outcome measures note points here


def test_no_pdf_writes_html_and_xlsx_only(demo_run, tmp_path):
    out = write_reports(demo_run.tables, demo_run.manifest, tmp_path, pdf=False, quiet=True)
    assert [p.name for p in out.paths] == ["report.html", "report.xlsx"]
    assert not list(tmp_path.glob("*.pdf")) and "--no-pdf" in out.notes[0]


def test_cli_report_rebuilds_from_tables_without_recomputing(demo_run, tmp_path, capsys):
    # a finished run folder never changes: the rebuilt report goes to a new run folder beside it
    folder = tmp_path / "runs" / "copy"
    shutil.copytree(demo_run.folder, folder)
    before = {p.name: p.read_bytes() for p in folder.iterdir() if p.is_file()}
    assert main(["report", str(folder), "--no-pdf"]) == 0
    assert {p.name: p.read_bytes() for p in folder.iterdir() if p.is_file()} == before
    out = capsys.readouterr().out
    new = Path(next(line for line in out.splitlines() if "report.html" in line).split(": ", 1)[1]).parent
    assert new.parent == folder.parent and new != folder
    assert (new / "report.html").exists() and (new / "report.xlsx").exists()
    assert {p.name: p.read_bytes() for p in new.glob("*.csv")} == {n: b for n, b in before.items() if n.endswith(".csv")}
    tables, manifest = load_run_tables(new)
    assert render_html(tables, manifest) == (new / "report.html").read_text(encoding="utf-8")


def test_cli_report_on_a_folder_that_is_not_a_run(tmp_path, capsys):
    assert main(["report", str(tmp_path)]) == 2
    assert "manifest.json" in capsys.readouterr().err


# --- edge cases -------------------------------------------------------------------------------

def test_no_shortages(demo_tables, demo_run):
    g = demo_tables["gaps"]
    g.loc[g["flag"].isin(G.SHORTAGE_FLAGS), "flag"] = G.BALANCED
    html = render_html(demo_tables, demo_run.manifest)
    assert "<strong>0 jobs where the region trains too few people" in html
    assert "No job where training is the way in is short of trained people." in html


def test_one_occupation(demo_tables, demo_run):
    g = demo_tables["gaps"]
    demo_tables["gaps"] = g[g["flag"] == G.UNDERSUPPLY].head(1)
    html = render_html(demo_tables, demo_run.manifest)
    assert "<strong>1 job where the region trains too few people" in html
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
    back = pd.read_excel(out.paths[1], sheet_name="Programs")
    assert set(back["Provider"]) == {NASTY}  # the workbook keeps the text verbatim, as text


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
    back = pd.read_excel(tmp_path / "report.xlsx", sheet_name="Outcome measures")
    assert back.loc[2, "Withheld?"] == "yes" and pd.isna(back.loc[2, "Result"])
    ws = openpyxl.load_workbook(tmp_path / "report.xlsx")["Outcome measures"]
    heads = [c.value for c in ws[1]]
    result = heads.index("Result") + 1
    assert ws.cell(2, result).number_format == "0.0%" and ws.cell(3, result).number_format == "$#,##0"


def test_forecasts_without_a_range_read_as_unknown_not_nan(demo_tables, demo_run):
    gaps = demo_tables["gaps"].copy()
    gaps[["annual_openings_low", "annual_openings_high", "probability_shortage"]] = np.nan
    demo_tables["gaps"] = gaps
    html = render_html(demo_tables, demo_run.manifest)
    text = re.sub(r"<[^>]+>", " ", re.sub(r"<script.*?</script>", "", html, flags=re.S))  # what a reader sees
    assert not re.search(r"\bnan\b", text, flags=re.I)
    assert "no range: too little history" in text
