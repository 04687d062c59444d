"""The demo region's partner side: planted situations found by name, the report section, and
`align publish` validated by the frictionless library."""

from __future__ import annotations

import json
from pathlib import Path

import pandas as pd
import pytest

from align.cli import main
from align.demo.partners import PARTNERS_PLANTED as P
from align.errors import AlignError
from align.publish import publish
from align.report.html import render_html
from align.report.xlsx import write_xlsx
from align.runs import load_run
from align.store import sha256_file


@pytest.fixture(scope="module")
def demo(demo_run_folder: Path) -> dict[str, pd.DataFrame]:
    return load_run(demo_run_folder).tables


def test_employers_report_far_more_hires_than_projected(demo: dict[str, pd.DataFrame]) -> None:
    s = demo["demand_signals"].set_index("soc_code")
    far = s[s["employer_signal"] == "far more"]
    assert list(far.index) == [P["far_more_hires"]]
    row = far.iloc[0]
    # five fabricators: (110+120+90)/3 + (95+100+80)/3 + (70+80+60)/3 + (60+60+50)/3 + (45+50+40)/3 = 370
    assert row["employer_hires_annual"] == 370.0 and row["n_employers"] == 5
    assert row["employer_hires_ratio"] == pytest.approx(370.0 / row["annual_openings"], abs=1e-3)
    assert row["employer_hires_ratio"] >= 2.0 and not row["is_suppressed"]
    assert "employers report far more hires than projected" in row["signal_agreement"]
    assert row["annual_openings"] == demo["gaps"].set_index("soc_code").loc[P["far_more_hires"], "annual_openings"]


def test_small_and_dominated_survey_cells_are_withheld(demo: dict[str, pd.DataFrame]) -> None:
    cells = demo["employer_demand"].set_index(["group_id", "metric"])
    few = cells.loc[(P["few_employers"], "employer_hires_annual")]
    dominated = cells.loc[(P["dominant_employer"], "employer_hires_annual")]
    assert few["is_suppressed"] and few["suppression"] == "primary: fewer than 3 employers"
    assert dominated["is_suppressed"] and dominated["suppression"] == "primary: one employer has 80% or more of the cell"
    assert pd.isna(few["metric_value"]) and pd.isna(dominated["metric_value"])
    plans = demo["employer_hiring_plans"]                          # reference only, without names
    assert "employer_name" not in plans.columns and plans["soc_code"].notna().all()
    assert set(plans["soc_source"]) == {"given", "autocoded"}


def test_three_streams_beside_an_unfunded_shortage(demo: dict[str, pd.DataFrame]) -> None:
    c = demo["funding_coordination"].set_index("program_id")
    row = c.loc[P["stacked_program"]]
    assert row["n_funding_streams"] == 3
    assert row["unfunded_soc_code"] == P["unfunded_shortage"]
    o = demo["occupation_funding"].set_index("soc_code")
    assert not o.loc[P["unfunded_shortage"], "is_funded"] and o.loc[P["unfunded_shortage"], "flag"] == "undersupply"
    assert row["unfunded_gap"] > (row["serves_gap"] if pd.notna(row["serves_gap"]) else -1e9)
    funded = demo["program_funding"].set_index("program_id").loc[P["stacked_program"]]
    assert funded["annual_funding"] == 180000 + 420000 + 95000


def test_pathway_without_childcare_completes_less(demo: dict[str, pd.DataFrame]) -> None:
    t = demo["pathway_support"].set_index("pathway")
    lacking = t[t["essential_missing"].str.contains("Childcare")]
    assert list(lacking.index) == [P["no_childcare_pathway"]]
    row = lacking.iloc[0]
    assert row["completion_rate"] < row["completion_rate_region"] - 0.1
    metrics = demo["metrics"].set_index(["group_type", "group_id", "metric"])
    assert row["completion_rate"] == metrics.loc[("pathway", P["no_childcare_pathway"], "credential_attainment_rate"),
                                                 "metric_value"]


def test_externship_need_uses_the_allocation(demo: dict[str, pd.DataFrame]) -> None:
    e = demo["externships"].set_index("soc_code")
    ma = e.loc["31-9092"]
    allocation = demo["allocation"]
    needing = ["130001:51.0801:2", "130006:51.0801:2", "130012:51.0801:2"]   # externship rows in the inventory
    expected = allocation[allocation["program_id"].isin(needing) & (allocation["soc_code"] == "31-9092")][
        "completers_allocated"].sum()
    assert ma["externship_need"] == pytest.approx(expected, abs=0.05)
    assert ma["externship_slots"] == 25 + 20 + 30 + 18 - 16 and ma["externship_balance"] < 0   # 77 offered


def test_report_section_and_sheets(demo_run_folder: Path, tmp_path: Path) -> None:
    run = load_run(demo_run_folder)
    html = render_html(run.tables, run.manifest)
    section = html[html.index('id="partners"'):html.index('id="method"')]
    assert "Welders, cutters, solderers, and brazers: the employers surveyed plan about 370 hires a year" in section
    assert "cannot be compared yet" in section   # the demo records carry no support_received
    assert "Business and IT: no program offers childcare" in section
    assert "no funding stream is recorded for it" in section and "◌ suppressed" in section
    import openpyxl

    book = openpyxl.load_workbook(write_xlsx(run.tables, run.manifest, tmp_path / "r.xlsx"), read_only=True)
    assert {"Demand signals", "Externships", "Funding by job", "Funding coordination",
            "Pathway support"} <= set(book.sheetnames)
    without = {k: v for k, v in run.tables.items() if k not in ("demand_signals", "externships", "program_funding",
                                                                "occupation_funding", "funding_coordination",
                                                                "pathway_support", "employer_demand")}
    assert 'id="partners"' not in render_html(without, run.manifest)


def _hashes(folder: Path) -> dict[str, str]:
    return {str(p.relative_to(folder)): sha256_file(p) for p in sorted(folder.rglob("*")) if p.is_file()}


def test_publish_writes_a_valid_data_package_and_duckdb(demo_run_folder: Path, tmp_path: Path,
                                                         capsys: pytest.CaptureFixture) -> None:
    import duckdb
    from frictionless import validate

    before = _hashes(demo_run_folder)
    dest = tmp_path / "shared"
    assert main(["publish", str(demo_run_folder), "-o", str(dest)]) == 0
    assert capsys.readouterr().out.strip() == str(dest.resolve())
    assert _hashes(demo_run_folder) == before                                  # the run folder never changes
    report = validate(dest / "datapackage.json")
    assert report.valid, report.flatten(["type", "note"])[:5]
    package = json.loads((dest / "datapackage.json").read_text(encoding="utf-8"))
    resources = {r["name"]: r for r in package["resources"]}
    manifest = json.loads((demo_run_folder / "manifest.json").read_text(encoding="utf-8"))
    for name, digest in manifest["outputs"].items():                          # the run's own bytes
        assert resources[name.removesuffix(".csv")]["hash"] == f"sha256:{digest}"
    gap = {f["name"]: f for f in resources["gaps"]["schema"]["fields"]}["gap"]
    assert gap == {"name": "gap", "type": "number", "unit": "jobs/yr",
                   "description": "annual_openings − effective_supply (positive = shortage)."}
    assert resources["demand_signals"]["schema"]["primaryKey"] == ["soc_code"]
    assert all(f["description"] for r in package["resources"] for f in r["schema"]["fields"])
    definitions = pd.read_csv(dest / "data" / "metric_definitions.csv")
    assert {"credential_attainment_rate", "employer_hires_annual"} <= set(definitions["metric"])
    assert not {"employer_hiring_plans", "participants", "partner_inventory"} & set(resources)
    text = "".join(p.read_text(encoding="utf-8") for p in (dest / "data").glob("*.csv"))
    assert "Riverbend Tank & Vessel" not in text and "E06" not in text        # no employer leaves the run
    con = duckdb.connect(str(dest / "align.duckdb"), read_only=True)
    try:
        assert con.execute("select employer_hires_annual from demand_signals where soc_code = ?",
                           [P["far_more_hires"]]).fetchone() == (370.0,)
        assert len(con.execute("select * from gaps").fetchall()) == len(pd.read_csv(demo_run_folder / "gaps.csv"))
        comment = con.execute("select comment from duckdb_columns() where table_name = 'gaps' and "
                              "column_name = 'gap'").fetchone()[0]
        assert comment.endswith("[jobs/yr]")
    finally:
        con.close()
    with pytest.raises(AlignError, match="already exists"):
        publish(demo_run_folder, dest)
    with pytest.raises(AlignError, match="outside the run folder"):
        publish(demo_run_folder, demo_run_folder / "package")


def test_a_scenario_refreshes_the_partner_views(demo_run_folder: Path) -> None:
    from align.scenario import Scenario, apply

    base = load_run(demo_run_folder)
    closed = apply(base, Scenario(name="close", close_programs=[P["stacked_program"]]))
    assert P["stacked_program"] not in set(closed.tables["funding_coordination"]["program_id"])
    before = base.tables["occupation_funding"].set_index("soc_code").loc["31-9092", "funding_allocated"]
    after = closed.tables["occupation_funding"].set_index("soc_code").loc["31-9092", "funding_allocated"]
    assert after < before   # the closed program's funding no longer reaches medical assistants
    pd.testing.assert_frame_equal(closed.tables["demand_signals"].drop(columns=["gap", "flag"]),
                                  base.tables["demand_signals"].drop(columns=["gap", "flag"]), check_dtype=False)
