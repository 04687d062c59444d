"""The stage contract (issue 19): stages declare what they read, write and depend on; the pipeline
derives the rest; a stage is a pure function of its tables that can run in another process; every
per-region table is keyed by region."""

from __future__ import annotations

import multiprocessing
import pickle
from concurrent.futures import ProcessPoolExecutor
from pathlib import Path

import pandas as pd
import pytest
from pydantic import BaseModel

from align import config as config_mod
from align import schemas
from align.config import Inputs
from align.demand.stages import OPENINGS
from align.errors import AlignError
from align.notes import Caveat, OperatorNote, as_text, as_warning, operator
from align.pipeline import RUN_STEPS, STAGES, read_inputs, run_steps
from align.runs import load_run
from align.stages import Stage, StageResult, affected, check_order, keyed, unkeyed

DEMO = Path(__file__).resolve().parents[2] / "data" / "demo"


@pytest.fixture(scope="module")
def demo(demo_run_folder):
    return load_run(demo_run_folder)


def test_the_progress_count_comes_from_the_stages_that_run(demo):
    # read + industry, programs, postings coding, occupations, openings, supply, match, pathways,
    # postings, outcomes, partners + write
    assert run_steps(demo.config) == RUN_STEPS == 13
    inputs = demo.config.inputs.model_copy(update={"postings": None, "employer_hiring_plans": None,
                                                   "partner_inventory": None})
    assert run_steps(demo.config.model_copy(update={"inputs": inputs})) == 11


def test_every_table_a_stage_reads_is_written_before_it_and_stage_names_are_unique():
    check_order(STAGES, Inputs.model_fields)  # the pipeline's own list holds
    with pytest.raises(AlignError, match="industry_inputs reads inputs no configuration has: industry_employment"):
        check_order(STAGES, ["completions"])
    first = Stage("first", lambda c, t: StageResult(), writes=("x",))
    late = Stage("late", lambda c, t: StageResult(), reads=("x",))
    with pytest.raises(AlignError, match="late reads x before any stage writes it"):
        check_order([late, first], [])
    with pytest.raises(AlignError, match="listed twice: first"):
        check_order([first, first], [])


def test_a_stage_may_write_only_what_it_declares(demo):
    sneaky = Stage("sneaky", lambda c, t: StageResult({"gaps": pd.DataFrame()}), writes=("allocation",))
    with pytest.raises(AlignError, match="sneaky wrote tables it does not declare: gaps"):
        sneaky(demo.config, {})


def test_warnings_are_classes_a_caller_can_filter_and_keep_their_text():
    result = StageResult(warnings=[operator("a salt note"), "employment data end in 2022"])
    assert [type(w) for w in result.warnings] == [OperatorNote, Caveat]
    assert [as_text(w) for w in result.warnings] == ["operator: a salt note", "employment data end in 2022"]
    assert isinstance(as_warning("x"), UserWarning)


def test_what_a_changed_parameter_feeds_is_derived_from_the_declarations(demo):
    names = [s.name for s in affected(STAGES, demo.config, keys={"parameters.naics_digits"})]
    # the industries, their titles, then everything built on industry_projection; never the inputs or programs
    assert names == ["industry", "industry_titles", "occupations", "openings", "supply", "match", "pathways",
                     "postings", "partners"]
    names = [s.name for s in affected(STAGES, demo.config, keys={"parameters.flag_bands.balanced"})]
    assert names == ["match", "pathways", "postings", "partners"]


def _run_openings(payload: bytes) -> bytes:
    stage, config, tables = pickle.loads(payload)
    return pickle.dumps(stage(config, tables))


def test_a_stage_runs_in_another_process_and_returns_what_it_would_here(demo):
    tables = {n: demo.tables[n] for n in OPENINGS.reads}
    here = OPENINGS(demo.config, tables)
    with ProcessPoolExecutor(1, mp_context=multiprocessing.get_context("spawn")) as pool:
        there = pickle.loads(pool.submit(_run_openings, pickle.dumps((OPENINGS, demo.config, tables))).result())
    pd.testing.assert_frame_equal(there.tables["occupation_demand"], here.tables["occupation_demand"])
    pd.testing.assert_frame_equal(there.tables["occupation_demand"], demo.tables["occupation_demand"],
                                  check_dtype=False)
    assert there.notes == here.notes
    assert [(type(w), str(w)) for w in there.warnings] == [(type(w), str(w)) for w in here.warnings]


def test_every_per_region_table_is_keyed_by_region(demo):
    per_region = [n for n in demo.tables if n in schemas.PER_REGION]
    assert {"occupation_demand", "gaps", "programs", "allocation", "industry_forecast"} <= set(per_region)
    for name in per_region:
        table = demo.tables[name]
        assert table.columns[0] == "region_id" or name == "industry_employment", name
        assert set(table["region_id"]) == {"riverbend-demo"}, name
    assert "region_id" not in demo.tables["staffing_patterns"].columns  # a published reference, shared


def test_regions_concatenate_and_partition_without_changing_a_number(demo):
    tables = {n: demo.tables[n] for n in OPENINGS.reads}
    other = demo.config.model_copy(update={"region": demo.config.region.model_copy(update={"id": "other"})})
    both = pd.concat([OPENINGS(demo.config, tables).tables["occupation_demand"],
                      OPENINGS(other, tables).tables["occupation_demand"]], ignore_index=True)
    schemas.validate(both, "occupation_demand")  # the key is (region_id, soc_code): no duplicate
    for region, part in both.groupby("region_id"):
        alone = unkeyed("occupation_demand", part.reset_index(drop=True))
        expected = unkeyed("occupation_demand", demo.tables["occupation_demand"])
        pd.testing.assert_frame_equal(alone, expected, check_dtype=False, obj=region)
        assert keyed("occupation_demand", alone, region).equals(part.reset_index(drop=True))


class Recorded:
    """A configuration that notes every key read through it (dotted), for the test below."""

    def __init__(self, model, seen: set[str], path: str = "") -> None:
        object.__setattr__(self, "_model", model)
        object.__setattr__(self, "_seen", seen)
        object.__setattr__(self, "_path", path)

    def __getattr__(self, name):
        value = getattr(self._model, name)
        key = f"{self._path}{name}"
        self._seen.add(key)
        return Recorded(value, self._seen, key + ".") if isinstance(value, BaseModel) else value


def test_a_stage_reads_only_the_configuration_keys_it_declares():
    # the whole demo run, stage by stage, each with a configuration that notes what is read
    config = config_mod.load(DEMO / "region.toml")
    inputs, _, _ = read_inputs(config)
    tables: dict[str, pd.DataFrame] = {}
    for stage in STAGES:
        if not stage.applies(config):
            continue
        seen: set[str] = set()
        tables.update(stage(Recorded(config, seen), tables, inputs).tables)
        # the region's id keys the tables of every stage; base_dir is where its files are, not a setting
        undeclared = sorted(k for k in seen - {"region", "region.slug", "base_dir"}
                            if not stage.depends_on(k) and k not in ("parameters", "years", "postings", "outcomes",
                                                                     "partners"))
        assert undeclared == [], stage.name
    assert {"gaps", "pathways", "postings_agreement", "demand_signals"} <= set(tables)
