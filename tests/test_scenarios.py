"""What-if scenarios and run comparison on the demo region (issue 8)."""

from __future__ import annotations

from pathlib import Path

import pandas as pd
import pytest

from align import config as config_mod
from align.diff import diff_runs
from align.errors import ConfigError, InputError
from align.pipeline import run
from align.progress import Progress
from align.runs import OUTPUT_TABLES, load_run
from align.scenario import Scenario, apply, changed, compare, load_scenario

DEMO = Path(__file__).resolve().parents[1] / "data" / "demo"


@pytest.fixture(scope="module")
def base(tmp_path_factory):
    out = tmp_path_factory.mktemp("runs")
    cfg = config_mod.load(DEMO / "region.toml").model_copy(update={"output_dir": str(out)})
    return load_run(run(cfg, progress=Progress(0, enabled=False), report=False).folder)


def test_a_scenario_that_changes_nothing_reproduces_the_base(base):
    same = apply(base, Scenario(name="nothing"))
    produced = [name for name in OUTPUT_TABLES if name in base.tables]  # e.g. no support_outcomes in the demo
    assert [name for name in OUTPUT_TABLES if name in same.tables] == produced
    for name in produced:
        pd.testing.assert_frame_equal(same.tables[name], base.tables[name], check_dtype=False)


def test_loaded_run_rerun_from_the_top_reproduces_itself(base):
    from align.pipeline import run_from

    again = run_from("occupations", base.config, base.tables).tables
    pd.testing.assert_frame_equal(again["gaps"], base.tables["gaps"], check_dtype=False)


def test_supply_change_moves_only_mapped_occupations_and_conserves_totals(base):
    scn = apply(base, Scenario(name="more-adn", supply=[{"program_id": "130001:51.3801:3", "add_completers": 40}]))
    moved = changed(compare(base, scn))
    # 51.3801 maps (among the region's occupations) to registered nurses only
    assert moved["soc_code"].tolist() == ["29-1141"]
    row = moved.iloc[0]
    assert row["effective_supply_change"] == pytest.approx(40 * 0.8 * 0.9 * 0.9, abs=0.01)
    assert row["annual_openings_change"] == 0
    total = scn.tables["allocation"]["completers_allocated"].sum() - base.tables["allocation"]["completers_allocated"].sum()
    assert total == pytest.approx(40 * (1 - 0.10), abs=0.01)  # the demo's continuing study (0.10) goes on studying


def test_demand_shock_moves_occupations_in_proportion_to_the_staffing_pattern(base):
    scn = apply(base, Scenario(name="hospital", demand=[{"industry": "622", "jobs": 600, "start_year": 2020}]))
    before = base.tables["occupation_projection"].set_index("soc_code")
    after = scn.tables["occupation_projection"].set_index("soc_code")
    delta = (after["employment_target"] - before["employment_target"]).round(6)
    shares = base.tables["staffing_patterns"].query("naics_code == '622'").set_index("soc_code")[
        "share_of_industry_employment"]
    # the jobs are wage-and-salary jobs; the self-employed come on top at each occupation's share
    total_per_job = before["employment_base"] / before["employment_wage_salary"]
    expected = (600 * shares).reindex(delta.index).fillna(0.0) * total_per_job
    assert delta.to_numpy() == pytest.approx(expected.to_numpy(), abs=1e-6)
    assert delta["29-1141"] > 0 and delta["39-5012"] == 0


def test_phased_shock_and_occupation_shock():
    from align.scenario import DemandShock

    s = DemandShock(occupation="29-1141", jobs=600, start_year=2026, phase_in_years=3)
    assert [s.jobs_in(y) for y in (2025, 2026, 2027, 2028, 2034)] == [0, 200, 400, 600, 600]


def test_occupation_shock_raises_that_occupation_s_openings(base):
    scn = apply(base, Scenario(name="rn", demand=[{"occupation": "29-1141", "jobs": 100, "start_year": 2025}]))
    cmp = compare(base, scn).set_index("soc_code")
    # 100 more jobs by the target year: growth +10/yr, plus separations on +50 average employment
    rates = base.tables["separation_rates"].set_index("soc_code").loc["29-1141"]
    expected = 10 + 50 * (rates["labor_force_exit_rate"] + rates["occupational_transfer_rate"])
    assert cmp.loc["29-1141", "annual_openings_change"] == pytest.approx(expected, abs=0.01)
    assert (cmp.drop(index="29-1141")["annual_openings_change"].abs() < 1e-9).all()


def test_invalid_scenarios_give_clear_errors(base, tmp_path):
    with pytest.raises(InputError, match="program 'nope' is not in this run"):
        apply(base, Scenario(name="x", supply=[{"program_id": "nope", "add_completers": 5}]))
    with pytest.raises(InputError, match="negative count"):
        apply(base, Scenario(name="x", supply=[{"program_id": "130001:51.3801:3", "add_completers": -1000}]))
    with pytest.raises(InputError, match="industry '999' is not in this run"):
        apply(base, Scenario(name="x", demand=[{"industry": "999", "jobs": 5, "start_year": 2025}]))
    with pytest.raises(ConfigError, match=r"parameters\.retention"):
        apply(base, Scenario(name="x", parameters={"retention": 2}))
    bad = tmp_path / "s.toml"
    bad.write_text('name = "x"\n[[supply]]\nprogram = "a"\n', encoding="utf-8")
    with pytest.raises(ConfigError, match=r"supply\.0\.program"):
        load_scenario(bad)


def test_parameter_and_horizon_changes(base):
    scn = apply(base, Scenario(name="retain", parameters={"retention": 0.9}))
    ratio = scn.tables["occupation_supply"]["effective_supply"].sum() / base.tables["occupation_supply"][
        "effective_supply"].sum()
    assert ratio == pytest.approx(0.9 / 0.8, rel=1e-4)
    longer = apply(base, Scenario(name="h", target_year=2040))
    assert longer.config.years.target == 2040
    assert longer.tables["industry_forecast"]["period"].max() == 2040


def test_shipped_scenarios_load_and_apply(base):
    for path in sorted((DEMO / "scenarios").glob("*.toml")):
        result = apply(base, load_scenario(path))
        assert not changed(compare(base, result)).empty, path.name


def test_diff_reports_exactly_the_changed_input(base, tmp_path):
    import shutil

    demo = tmp_path / "demo"
    shutil.copytree(DEMO, demo, ignore=shutil.ignore_patterns("scenarios"))
    inv = demo / "inventory" / "training_inventory.csv"
    inv.write_text(inv.read_text(encoding="utf-8").replace(",30,22,25,24,yes", ",30,22,25,60,yes"), encoding="utf-8")
    cfg = config_mod.load(demo / "region.toml").model_copy(update={"output_dir": str(tmp_path / "runs")})
    other = load_run(run(cfg, progress=Progress(0, enabled=False), report=False).folder)
    d = diff_runs(base, other)
    assert d.inputs[["table", "change"]].values.tolist() == [["training_inventory", "changed"]]
    assert d.parameters.empty or set(d.parameters["setting"]) <= {"output_dir"}
    moved = changed(d.occupations)
    assert moved["soc_code"].tolist() == ["47-2111"]  # the apprenticeship feeds electricians only


def test_whatif_and_diff_cli(base, capsys):
    from align.cli import main

    assert main(["whatif", str(base.folder), str(DEMO / "scenarios" / "add_nursing_seats.toml")]) == 0
    out = capsys.readouterr().out
    assert "Registered nurses" in out
    folder = Path(out.strip().splitlines()[-1].removeprefix("scenario folder: "))
    assert folder.parent == base.folder.parent  # beside the base run, which is left as it was
    assert (folder / "comparison.csv").is_file() and (folder / "gaps.csv").is_file()
    page = (folder / "comparison.html").read_text(encoding="utf-8")
    assert "What if: add-nursing-seats" in page and "Registered nurses" in page and "<svg" in page
    full = (folder / "report.html").read_text(encoding="utf-8")
    assert "What-if scenario “add-nursing-seats” — not the base plan." in full
    assert main(["diff", str(base.folder), str(folder)]) == 0
    out = capsys.readouterr().out
    # a scenario changes no input file and no setting; its supply change moves no flag
    assert "inputs changed: 0" in out and "settings changed: 0" in out and "flags changed: 0" in out


def test_reproduce_repeats_a_run_and_notices_a_changed_input(tmp_path, capsys):
    import shutil

    from align.cli import main

    demo = tmp_path / "demo"
    shutil.copytree(DEMO, demo, ignore=shutil.ignore_patterns("scenarios"))
    cfg = config_mod.load(demo / "region.toml").model_copy(update={"output_dir": str(tmp_path / "runs")})
    folder = run(cfg, progress=Progress(0, enabled=False), report=False).folder
    assert main(["reproduce", str(folder)]) == 0
    assert "the same inputs gave all" in capsys.readouterr().out
    inventory = demo / "inventory" / "training_inventory.csv"
    inventory.write_text(inventory.read_text(encoding="utf-8").replace(",24,yes", ",25,yes"), encoding="utf-8")
    assert main(["reproduce", str(folder)]) == 1
    out = capsys.readouterr().out
    assert "input changed since the run: training_inventory" in out and "not reproduced" in out


def test_scenarios_that_cannot_change_anything_say_so(base):
    with pytest.raises(InputError, match="after the target year 2034"):
        apply(base, Scenario(name="late", demand=[{"industry": "622", "jobs": 100, "start_year": 2040}]))
    result = apply(base, Scenario(name="nomatch", new_programs=[
        {"provider_id": "130001", "provider_name": "Riverbend Community College", "cip_code": "30.0001",
         "award_level": "3", "completers": 20}]))
    assert any("supplies no occupation" in w for w in result.warnings)
