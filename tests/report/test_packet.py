"""The board packet: at most 12 pages, plain words, operator notes kept out, on the demo and on Columbus."""

from __future__ import annotations

import re
from pathlib import Path

import pandas as pd
import pytest

from align import config as config_mod
from align.errors import ConfigError
from align.match import gaps as G
from align.notes import board_caveats, operator, operator_notes
from align.pipeline import run
from align.progress import Progress
from align.report import board, write_reports
from align.report.packet import MAX_PAGES
from align.report.words import band_sentences, glossary, per_hundred

pypdf = pytest.importorskip("pypdf")
EXAMPLE = Path(__file__).resolve().parents[2] / "data" / "examples" / "columbus-oh" / "region.toml"


def _pages(path: Path) -> list[str]:
    return [p.extract_text() or "" for p in pypdf.PdfReader(str(path)).pages]


def _narrative(tables: dict[str, pd.DataFrame], manifest: dict) -> str:
    """The packet's sentences a board member reads (not its tables): headline, intros, findings, glossary."""
    params = manifest["config"]["parameters"]
    parts = [board.headline(tables["gaps"], tables.get("duplication"))]
    for sec in board.sections(tables, manifest):
        parts += [sec.intro, *sec.bullets]
    parts += board.caveats(manifest) + [text for _, text in glossary(params)]
    return " ".join(p for p in parts if p)


def test_demo_packet_is_short_and_answers_first(demo_run):
    pages = _pages(demo_run.folder / "report.pdf")
    assert 2 <= len(pages) <= MAX_PAGES
    assert "The answer" in pages[0] and "Synthetic demo data" in pages[0]
    assert re.search(r"\d+ jobs where the region trains too few people", pages[0].replace("\n", " "))
    assert f"Page 1 of {len(pages)}" in pages[0] and f"Page {len(pages)} of {len(pages)}" in pages[-1]
    everything = " ".join(pages).replace("\n", " ")
    for heading in ("The largest shortages", "Duplicated effort", "Career pathways that matter", "Outcome measures",
                    "Caveats", "Words used in this packet", "Sources"):
        assert heading in everything
    for link in ("report.html", "report-appendix.pdf", "report.xlsx"):  # where the rest is
        assert link in pages[0]
    # The cards live in the appendix, one per flagged job.
    appendix = " ".join(_pages(demo_run.folder / "report-appendix.pdf"))
    flagged = demo_run.tables["gaps"][demo_run.tables["gaps"]["flag"].isin((*G.SHORTAGE_FLAGS, *G.SURPLUS_FLAGS))]
    assert appendix.count("Why:") == len(flagged)
    assert "Data dictionary" in appendix and demo_run.manifest["inputs"][0]["sha256"][:20] in appendix.replace("\n", "")


def test_packet_narrative_reads_at_grade_ten_or_below(demo_run):
    textstat = pytest.importorskip("textstat")
    text = _narrative(demo_run.tables, demo_run.manifest)
    assert textstat.flesch_kincaid_grade(text) <= 10


def test_chance_of_shortage_only_where_training_is_the_way_in(demo_run):
    html = (demo_run.folder / "report.html").read_text(encoding="utf-8")
    table = html[html.index('id="tbl-gaps"'):]
    table = table[:table.index("</table>")]
    for row in re.findall(r"<tr>(.*?)</tr>", table, flags=re.S):
        cells = re.findall(r"<td[^>]*>(.*?)</td>", row, flags=re.S)
        if "learned on the job" in row or "filled from experience" in row:
            assert cells[6].strip() == "—"  # never "chance of shortage 100%" for cashiers
    cards = re.findall(r'<article class="card.*?</article>', html, flags=re.S)
    assert cards and all("Chance of shortage" in c for c in cards)  # flagged jobs are training jobs


def test_thresholds_read_as_round_numbers(demo_run):
    bands = demo_run.manifest["config"]["parameters"]["flag_bands"]
    assert per_hundred(0.59) == 60 and per_hundred(1.49) == 150 and per_hundred(0.9) == 90
    assert band_sentences(bands)[0] == "Shortage: fewer than 60 trained people for every 100 openings."
    html = (demo_run.folder / "report.html").read_text(encoding="utf-8")
    words = re.sub(r"<details>.*?</details>|<svg.*?</svg>|<[^>]+>", " ", html, flags=re.S)  # arithmetic stays exact
    assert "0.59" not in words and "10.0 openings" not in words and "fewer than 10 openings" in words


def test_operator_notes_stay_out_of_the_board_caveats(demo_run, tmp_path):
    notes = ["employment data end in 2022, so the base year 2024 is itself an estimate",
             operator("ALIGN_HASH_SALT is not set: person ids were hashed with a one-off random salt"),
             operator("industries with every year suppressed, not forecast: 212")]
    assert board_caveats(notes) == notes[:1]
    assert operator_notes(notes)[1] == "industries with every year suppressed, not forecast: 212"
    manifest = {**demo_run.manifest, "warnings": notes}
    write_reports(demo_run.tables, manifest, tmp_path, quiet=True)
    html = (tmp_path / "report.html").read_text(encoding="utf-8")
    packet = " ".join(_pages(tmp_path / "report.pdf")).replace("\n", " ")
    for text in (html, packet):
        assert "ALIGN_HASH_SALT" not in text and "every year suppressed" not in text
        assert "so the base year 2024 is itself an estimate" in text
    # The demo's own run: its operator note is in the manifest, not the report.
    assert any("suppressed QCEW cells estimated" in n for n in operator_notes(demo_run.manifest["warnings"]))
    assert "suppressed QCEW cells estimated" not in (demo_run.folder / "report.html").read_text(encoding="utf-8")


def test_counties_by_name_before_code():
    region = {"counties": ["39049", "39041", "39999"], "county_names": {"39049": "Franklin County",
                                                                          "39041": "Delaware County"}}
    assert board.county_line(region) == "Franklin County (39049), Delaware County (39041), county 39999"
    from align.places import county_names

    providers = pd.DataFrame({"county_fips": ["39049", "39049", "39041", "06001"],
                              "county_name": ["Franklin County", "Franklin County", "Delaware County", "Alameda"]})
    assert county_names(providers, ["39049", "39041"]) == {"39049": "Franklin County", "39041": "Delaware County"}
    assert county_names(None, ["39049"]) == {}


def test_material_rows_lead_when_the_run_grades_materiality(demo_tables):
    gaps = demo_tables["gaps"]
    short = gaps[gaps["flag"].isin(G.SHORTAGE_FLAGS)].sort_values("gap", ascending=False)
    graded = gaps.assign(material=gaps["soc_code"] == short["soc_code"].iloc[1])
    assert board.shortages(graded)["soc_code"].tolist() == [short["soc_code"].iloc[1]]
    assert board.shortages(gaps)["soc_code"].iloc[0] == short["soc_code"].iloc[0]
    # without the matching stage's grading, the rows graded material by another column lead
    legacy = gaps.drop(columns=["material", "rank"]).assign(is_material=gaps["soc_code"] == short["soc_code"].iloc[1])
    assert board.shortages(legacy)["soc_code"].tolist() == [short["soc_code"].iloc[1]]


@pytest.fixture(scope="module")
def columbus_folder(real_data, tmp_path_factory) -> tuple[Path, object]:
    try:
        cfg = config_mod.load(EXAMPLE)
    except ConfigError as exc:
        pytest.skip(f"real files not where the example expects them: {exc}")
    result = run(cfg.model_copy(update={"output_dir": str(tmp_path_factory.mktemp("runs"))}),
                 progress=Progress(0, enabled=False), report=False)
    folder = tmp_path_factory.mktemp("columbus-report")
    write_reports(result.tables, result.manifest, folder, quiet=True)
    return folder, result


@pytest.mark.realdata
def test_columbus_packet_is_at_most_twelve_pages(columbus_folder):
    folder, result = columbus_folder
    pages = _pages(folder / "report.pdf")
    assert len(pages) <= MAX_PAGES  # was 205 pages, 134 of them occupation cards
    first = pages[0].replace("\n", " ")
    assert "Franklin County (39049)" in first and "Delaware County (39041)" in first  # names, not FIPS alone
    everything = " ".join(pages)
    assert "Cashiers" not in everything.split("The largest surpluses")[0]  # learned on the job: not a shortage
    appendix = _pages(folder / "report-appendix.pdf")
    flagged = result.tables["gaps"]["flag"].isin((*G.SHORTAGE_FLAGS, *G.SURPLUS_FLAGS)).sum()
    assert " ".join(appendix).count("Why:") == flagged


@pytest.mark.realdata
def test_columbus_narrative_reads_at_grade_ten_or_below(columbus_folder):
    textstat = pytest.importorskip("textstat")
    _, result = columbus_folder
    assert textstat.flesch_kincaid_grade(_narrative(result.tables, result.manifest)) <= 10


def test_training_outside_colleges_is_its_own_list_not_a_shortage(demo_tables):
    gaps = demo_tables["gaps"][demo_tables["gaps"]["flag"] != G.NOT_COVERED]
    # a truck-driving row the run cannot measure: never among the shortages, first in its own section
    row = gaps.iloc[[0]].assign(soc_code="53-3032", occupation_title="Heavy and Tractor-Trailer Truck Drivers",
                                flag=G.NOT_COVERED, gap=5000.0, annual_openings=5000.0, effective_supply=0.0,
                                material=True, rank=1, routes_not_covered="CDL training")
    gaps = pd.concat([gaps, row], ignore_index=True)
    assert "53-3032" not in set(board.shortages(gaps)["soc_code"])
    secs = {s.key: s for s in board.sections({"gaps": gaps}, {})}
    outside = secs["not-covered"]
    assert outside.title == "Training outside colleges not counted"
    assert outside.bullets[0] == ("Heavy and Tractor-Trailer Truck Drivers: about 5,000 openings a year. Its usual "
                                  "training is not counted in this run: CDL training.")
    assert outside.table.rows[0][:2] == ["Heavy and Tractor-Trailer Truck Drivers", "5,000"]
