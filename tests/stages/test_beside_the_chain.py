"""Which stages a run works out in a second process, beside the chain of the others."""

from __future__ import annotations

from align.pipeline import BESIDE_AFTER, STAGES, beside_the_chain
from align.stages import Stage, StageResult


def _stage(name: str, reads: tuple[str, ...] = (), writes: tuple[str, ...] = ()) -> Stage:
    return Stage(name, lambda config, t: StageResult(), reads=reads, writes=(name, *writes))


def test_only_stages_that_read_no_run_table_and_are_needed_late_go_beside():
    chain = [_stage("a"), _stage("b", reads=("a",)), _stage("c"), _stage("lonely"),
             *[_stage(f"s{i}", reads=("b",)) for i in range(BESIDE_AFTER)], _stage("late", reads=("c",))]
    # a is read at once (by b), b reads a run table; c is first read by the last stage; lonely by none
    assert [s.name for s in beside_the_chain(chain)] == ["c", "lonely"]


def test_the_planning_run_codes_postings_and_computes_outcomes_beside_the_chain():
    assert [s.name for s in beside_the_chain(list(STAGES))] == ["code_postings", "outcomes"]
