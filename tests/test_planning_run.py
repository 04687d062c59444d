"""The annual planning run end to end on the bundled demo region (issue 2)."""

from __future__ import annotations

import filecmp
from pathlib import Path

import pandas as pd
import pytest

from align import config as config_mod
from align import connector
from align.demo import catalog
from align.demo.generate import generate
from align.pipeline import run
from align.progress import Progress
from align.runs import OUTPUT_TABLES

DEMO = Path(__file__).resolve().parents[1] / "data" / "demo"


def _config(out: Path):
    return config_mod.load(DEMO / "region.toml").model_copy(update={"output_dir": str(out)})


@pytest.fixture(scope="module")
def demo_runs(tmp_path_factory):
    out = tmp_path_factory.mktemp("runs")
    first = run(_config(out), progress=Progress(6, enabled=False))
    second = run(_config(out / "again"), progress=Progress(6, enabled=False))
    return first, second


def test_run_folder_has_every_output(demo_runs):
    first, _ = demo_runs
    names = {p.name for p in first.folder.iterdir()}
    for required in ("occupation_demand.csv", "occupation_supply.csv", "gaps.csv", "duplication.csv",
                     "manifest.json", "report.html"):
        assert required in names
    assert first.folder.parent.name == "riverbend-demo"
    gaps = pd.read_csv(first.folder / "gaps.csv", dtype={"soc_code": str})
    for column in ("soc_code", "occupation_title", "annual_openings", "effective_supply", "gap",
                   "supply_demand_ratio", "flag", "reason"):
        assert column in gaps.columns


def test_planted_shortage_surplus_and_duplication_are_found(demo_runs):
    gaps = demo_runs[0].tables["gaps"].set_index("soc_code")
    short = gaps.loc[catalog.PLANTED["shortage"]]
    assert short["flag"] == "undersupply" and short["robustness"] == "short under every allocation"
    assert short["probability_shortage"] > 0.99
    surplus = gaps.loc[catalog.PLANTED["surplus"]]
    assert surplus["flag"] == "oversupply" and surplus["supply_demand_ratio"] >= 1.5
    dup = demo_runs[0].tables["duplication"].set_index("cluster_id")
    cip, award = catalog.PLANTED["duplication"]
    cluster = dup.loc[f"{cip}:{award}"]
    assert bool(cluster["is_duplicated"]) and cluster["n_providers"] >= 4
    assert "Alder County Adult Technical Center" in cluster["thin_programs"]
    assert dup["is_duplicated"].sum() == 1  # nothing else is planted


def test_openings_are_growth_plus_exits_plus_transfers(demo_runs):
    d = demo_runs[0].tables["occupation_demand"]
    total = d["growth_annual"] + d["exits_annual"] + d["transfers_annual"]
    assert (d["annual_openings"] - total.clip(lower=0)).abs().max() < 0.01
    assert (d["annual_openings_low"] <= d["annual_openings"] + 1e-6).all()
    assert (d["annual_openings"] <= d["annual_openings_high"] + 1e-6).all()


def test_supply_is_conserved_and_outside_providers_excluded(demo_runs):
    t = demo_runs[0].tables
    programs = t["programs"]
    assert not programs["provider_id"].eq("130013").any()  # Lakeshore University is outside the region
    allocated = programs[~programs["program_id"].isin(t["unallocated_programs"]["program_id"])]
    assert t["allocation"]["completers_allocated"].sum() == pytest.approx(allocated["completers"].sum(), abs=0.05)
    reasons = t["unallocated_programs"].set_index("program_id")["reason"]
    assert "NO MATCH" in reasons[catalog.PLANTED["no_match_program"]]


def test_suppressed_cells_are_estimated_from_their_parent_and_flagged(demo_runs):
    # Cedar County withholds mining (212) every year and chemicals (325) in 2013-2015; both are
    # estimated from their sectors (which hold at least their disclosed industries), flagged, never zero
    first = demo_runs[0]
    emp = first.tables["industry_employment"].set_index(["naics_code", "period"])
    mining = emp.loc[catalog.PLANTED["suppressed_industry"]]
    assert mining["is_estimated"].all() and mining["employment"].gt(0).all()
    assert mining["employment"].max() / mining["employment"].min() < 1.3  # no spike where 31-33 is withheld too
    assert any(catalog.PLANTED["suppressed_industry"] in w for w in first.manifest["warnings"])
    chem = emp.loc[catalog.PLANTED["gap_industry"], "employment"]
    assert emp.loc[catalog.PLANTED["gap_industry"]].loc[2013:2015, "is_estimated"].all()
    between = (chem[2012] + chem[2016]) / 2
    assert chem.loc[2013:2015].between(0.9 * between, 1.1 * between).all()


def test_manifest_records_inputs_and_parameters(demo_runs):
    m = demo_runs[0].manifest
    cfg = demo_runs[0].config
    expected = sum(len(cfg.input_files(name)) for name in type(cfg.inputs).model_fields)
    assert len(m["inputs"]) == expected and all(len(i["sha256"]) == 64 for i in m["inputs"])
    assert m["config"]["parameters"]["allocation"] == "proportional"
    assert m["packages"]["pandas"]
    assert sum(m["models"]["chosen"].values()) == len(catalog.INDUSTRIES)  # the suppressed one estimated


def test_same_inputs_give_byte_identical_tables(demo_runs):
    first, second = demo_runs
    written = [n for n in OUTPUT_TABLES if (first.folder / f"{n}.csv").exists()]
    assert len(written) > 15 and all((second.folder / f"{n}.csv").exists() for n in written)
    for name in written:
        assert filecmp.cmp(first.folder / f"{name}.csv", second.folder / f"{name}.csv", shallow=False), name
        assert filecmp.cmp(first.folder / f"{name}.parquet", second.folder / f"{name}.parquet", shallow=False), name


def test_failed_run_leaves_no_folder(tmp_path, monkeypatch):
    def broken(result, folder):
        raise RuntimeError("disk full")

    monkeypatch.setattr("align.report.build_reports", broken)
    with pytest.raises(RuntimeError, match="disk full"):
        run(_config(tmp_path), progress=Progress(6, enabled=False))
    region = tmp_path / "riverbend-demo"
    assert not region.exists() or list(region.iterdir()) == []


def test_cli_prints_progress_and_the_report_path(tmp_path, capsys):
    from align.cli import main

    text = (DEMO / "region.toml").read_text(encoding="utf-8").replace('output_dir = "../../runs"',
                                                                       f'output_dir = "{tmp_path}"')
    cfg = DEMO / f".test-{tmp_path.name}.toml"
    cfg.write_text(text, encoding="utf-8")
    try:
        assert main(["run", str(cfg)]) == 0
    finally:
        cfg.unlink()
    captured = capsys.readouterr()
    assert "[1/" in captured.err and "Matching openings with supply" in captured.err
    path = Path(captured.out.strip().removeprefix("report: "))
    assert path.name == "report.html" and path.is_file()


def test_generator_reproduces_the_bundled_demo(tmp_path):
    written = generate(tmp_path)
    bundled_files = [p for p in DEMO.rglob("*") if p.is_file() and p.parent.name != "scenarios"
                     and p.name not in ("region.toml", "README.md")]
    assert len(written) == len(bundled_files)
    for path in written:
        rel = path.relative_to(tmp_path)
        bundled = DEMO / rel
        if path.suffix in (".csv", ".txt"):
            assert path.read_bytes() == bundled.read_bytes(), rel
    for rel, source in (("oews/nat3d_M2024_dl.xlsx", "oews_staffing"), ("ep/occupation.xlsx", "ep")):
        fresh = connector.get(source).parse(tmp_path / rel)
        shipped = connector.get(source).parse(DEMO / rel)
        pd.testing.assert_frame_equal(fresh.drop(columns=["source"], errors="ignore"),
                                      shipped.drop(columns=["source"], errors="ignore"))


def test_postings_sit_beside_the_gap_flags(demo_runs):
    t = demo_runs[0].tables
    gaps = t["gaps"].set_index("soc_code")
    assert {"n_postings", "agreement_label"} <= set(gaps.columns)
    assert gaps.loc["29-1141", "n_postings"] > 0
    assert set(gaps["agreement_label"].dropna()) <= {"both high", "both low", "postings only", "projections only"}
    # postings never replace the projections: openings are the same numbers as occupation_demand's
    demand = t["occupation_demand"].set_index("soc_code")["annual_openings"]
    assert (gaps["annual_openings"] - demand.reindex(gaps.index)).abs().max() < 1e-9
    coded = t["postings"]
    assert coded["duplicate_of"].notna().mean() > 0.05  # the demo's re-posts are found


def test_pathways_and_metrics_are_part_of_the_run(demo_runs):
    t = demo_runs[0].tables
    for name in ("pathways", "entry_points", "ladders", "stacks", "pathway_gaps", "metrics"):
        assert name in t and len(t[name]) > 0, name
    folder = demo_runs[0].folder
    text = "".join(p.read_text(encoding="utf-8", errors="ignore") for p in folder.glob("*.csv"))
    assert "DEMO-0" not in text  # no raw participant id leaves the run
