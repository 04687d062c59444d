"""A scenario's changed parameter re-runs every stage it feeds: the tables are then exactly those of a
fresh run with that configuration (issue 19), and a change that cannot be re-run is refused."""

from __future__ import annotations

import io
import shutil
from pathlib import Path

import pandas as pd
import pytest

from align import config as config_mod
from align.errors import ConfigError
from align.pipeline import run
from align.progress import Progress
from align.runs import OUTPUT_TABLES, load_run
from align.scenario import Scenario, apply
from align.store import write_table

DEMO = Path(__file__).resolve().parents[1] / "data" / "demo"
QUIET = Progress(0, enabled=False)
DEMO_CONFIG = config_mod.load(DEMO / "region.toml")


def fresh(config, **changes):
    """A fresh run (not written) of ``config`` (read from its region.toml: a loaded run's configuration
    points at the run folder) with ``changes`` to its parameters or years."""
    years = {k: changes.pop(k) for k in ("target", "history_start") if k in changes}
    cfg = config.model_copy(update={"parameters": config.parameters.model_copy(update=changes),
                                    "years": config.years.model_copy(update=years)})
    return run(cfg, progress=QUIET, write=False)


def assert_same_tables(scenario, expected, folder: Path):
    """Every output table the same, as the run folder writes it (CSV, byte for byte)."""
    produced = [t for t in OUTPUT_TABLES if t in expected.tables]
    assert [t for t in OUTPUT_TABLES if t in scenario.tables] == produced
    for name in produced:
        ours, theirs = (write_table(r.tables[name], folder / f"{name}.{side}.csv").read_text(encoding="utf-8")
                        for side, r in (("scenario", scenario), ("fresh", expected)))
        if ours != theirs:  # say where
            pd.testing.assert_frame_equal(pd.read_csv(io.StringIO(ours)), pd.read_csv(io.StringIO(theirs)), obj=name)
        assert ours == theirs, name


@pytest.fixture(scope="module")
def base(demo_run_folder):
    return load_run(demo_run_folder)


@pytest.fixture(scope="module")
def sectors(tmp_path_factory):
    """A demo run whose staffing input also holds a pattern by NAICS sector (OEWS's natsector layout,
    summed here from the demo's 3-digit pattern), so its industries can be forecast at either level."""
    folder = tmp_path_factory.mktemp("sectors") / "demo"
    shutil.copytree(DEMO, folder)
    nat3d = pd.read_excel(folder / "oews" / "nat3d_M2024_dl.xlsx", sheet_name="nat3d_M2024_dl", dtype=str)
    sector = nat3d["NAICS"].str[:2].replace({"32": "31", "33": "31", "45": "44", "49": "48"})
    industry_total = pd.to_numeric(nat3d["TOT_EMP"].where(nat3d["OCC_CODE"] == "00-0000")).groupby(
        nat3d["NAICS"]).transform("max")
    jobs = pd.to_numeric(nat3d["PCT_TOTAL"], errors="coerce") / 100 * industry_total  # "**": not published
    by = nat3d.assign(NAICS=sector, jobs=jobs).groupby(["NAICS", "OCC_CODE"], as_index=False, sort=True)
    out = by.first().drop(columns="jobs").merge(by["jobs"].sum(min_count=1), on=["NAICS", "OCC_CODE"])
    total = out[out["OCC_CODE"] == "00-0000"].set_index("NAICS")["jobs"]
    pct = (100 * out["jobs"] / out["NAICS"].map(total)).round(2)
    out["PCT_TOTAL"] = pct.map(lambda v: "**" if pd.isna(v) else f"{v:g}")
    out["TOT_EMP"] = out["jobs"].map(lambda v: "**" if pd.isna(v) else f"{v:.0f}")
    out["I_GROUP"], out["NAICS_TITLE"] = "sector", "Sector " + out["NAICS"]
    out[nat3d.columns].to_excel(folder / "oews" / "natsector_M2024_dl.xlsx", sheet_name="natsector_M2024_dl",
                                index=False)
    toml = folder / "region.toml"
    toml.write_text(toml.read_text(encoding="utf-8").replace(
        'path = "oews/nat3d_M2024_dl.xlsx"', 'paths = ["oews/nat3d_M2024_dl.xlsx", "oews/natsector_M2024_dl.xlsx"]'),
        encoding="utf-8")
    cfg = config_mod.load(toml).model_copy(update={"output_dir": str(tmp_path_factory.mktemp("runs"))})
    return load_run(run(cfg, progress=QUIET, report=False).folder), cfg


def test_naics_digits_refits_the_industries_as_a_fresh_run_would(sectors, tmp_path):
    sectors, config = sectors
    scn = apply(sectors, Scenario(name="by-sector", parameters={"naics_digits": 2}))
    assert set(scn.tables["industry_projection"]["naics_code"]) != set(sectors.tables["industry_projection"]["naics_code"])
    assert "31-33" in set(scn.tables["industry_projection"]["naics_code"])  # QCEW's manufacturing sector
    assert scn.manifest["rerun_stages"][:2] == ["industry", "industry_titles"]
    assert_same_tables(scn, fresh(config, naics_digits=2), tmp_path)


def test_completion_years_recount_the_programs_as_a_fresh_run_would(base, tmp_path):
    scn = apply(base, Scenario(name="two-years", parameters={"completion_years": [2023, 2024]}))
    # programs and everything programs feed, nothing of demand
    assert scn.manifest["rerun_stages"] == ["programs", "supply", "match", "pathways", "postings", "partners"]
    assert not scn.tables["programs"]["completers"].equals(base.tables["programs"]["completers"])
    assert_same_tables(scn, fresh(DEMO_CONFIG, completion_years=[2023, 2024]), tmp_path)


def test_a_forecast_setting_refits_the_forecasts_as_a_fresh_run_would(base, tmp_path):
    scn = apply(base, Scenario(name="recent-history", history_start=2015))
    assert scn.tables["industry_forecast"]["forecast"].sum() != base.tables["industry_forecast"]["forecast"].sum()
    assert_same_tables(scn, fresh(DEMO_CONFIG, history_start=2015), tmp_path)


def test_a_new_target_year_is_a_fresh_run_to_that_year(base, tmp_path):
    scn = apply(base, Scenario(name="to-2032", target_year=2032))
    assert_same_tables(scn, fresh(DEMO_CONFIG, target=2032), tmp_path)


def test_a_change_to_a_stage_that_reads_the_published_inputs_is_refused_saying_what_to_do(base):
    with pytest.raises(ConfigError, match=r"parameters\.staffing_geography feeds the references stage, which "
                                          r"reads the inputs staffing_patterns.*run `align run` again"):
        apply(base, Scenario(name="other-pattern", parameters={"staffing_geography": "99"}))


def test_a_parameter_set_to_its_own_value_re_runs_nothing(base):
    same = apply(base, Scenario(name="same", parameters={"retention": base.config.parameters.retention}))
    assert same.manifest["rerun_stages"] == []
