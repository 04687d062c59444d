"""Audit: no suppressed outcome cell can be recovered by subtracting published cells.

Every published difference is tried: a published cell minus one published cell inside it, and
a published cell minus all its published children of one grouping (the rest are then the hidden
children); if what remains is exactly the people of one hidden cell, that cell leaked.
"""

from __future__ import annotations

from pathlib import Path

import pandas as pd
import pytest

from align.errors import ConfigError
from align.outcomes import compute_metrics, prepare_records, read_records
from align.outcomes.metrics import _cells
from align.outcomes.suppress import MIN_CELL_FLOOR, suppress

DEMO = Path(__file__).resolve().parents[2] / "data" / "demo" / "participants" / "participant_records.csv"


def _leaks(table: pd.DataFrame, people: dict[tuple[str, str], frozenset]) -> list[str]:
    found = []
    for metric, cells in table.groupby("metric"):
        hidden = {(g, i) for g, i, s in zip(cells["group_type"], cells["group_id"], cells["is_suppressed"],
                                            strict=True) if s}
        shown = {(g, i) for g, i in zip(cells["group_type"], cells["group_id"], strict=True)} - hidden
        hidden_sets = {people[c]: c for c in hidden}
        for p in shown:
            inside = [q for q in shown if q != p and people[q] < people[p]]
            for q in inside:  # one published cell minus another
                rest = people[p] - people[q]
                if rest in hidden_sets:
                    found.append(f"{metric}: {p} - {q} = {hidden_sets[rest]}")
            for gtype in {c[0] for c in people} - {p[0]}:  # minus all published children of one grouping
                kids = [c for c in people if c[0] == gtype and people[c] <= people[p]]
                if not kids or frozenset().union(*(people[c] for c in kids)) != people[p]:
                    continue
                rest = people[p] - frozenset().union(*(people[c] for c in kids if c in shown))
                if rest and rest in hidden_sets:
                    found.append(f"{metric}: {p} - published {gtype}s = {hidden_sets[rest]}")
    return found


@pytest.mark.parametrize("min_cell", [10, 5])
def test_no_suppressed_demo_cell_is_recovered_by_any_published_difference(min_cell):
    records = prepare_records(read_records(DEMO), salt="audit")
    _, members = _cells(records, salt=None, as_of="2025-06-30", hire_window_days=180, region_id="r",
                        origin="demo")
    people = {cell: ids for ids, cells in members.items() for cell in cells}
    table = compute_metrics(records, min_cell=min_cell, as_of="2025-06-30", region_id="r")
    assert table["is_suppressed"].any() and (~table["is_suppressed"]).any()
    assert _leaks(table, people) == []


def test_a_pathway_is_the_sum_of_its_programs():
    # the case: pathway 27/43 = program A 21/26 + program B 6/17; B is small (6 < 10)
    people = {("region", "R"): frozenset(range(43)), ("pathway", "P"): frozenset(range(43)),
              ("program", "A"): frozenset(range(26)), ("program", "B"): frozenset(range(26, 43)),
              ("provider", "X"): frozenset(range(43))}
    counts = {"R": (27, 43), "P": (27, 43), "A": (21, 26), "B": (6, 17), "X": (27, 43)}
    table = pd.DataFrame([{"group_type": g, "group_id": i, "metric": "m", "numerator": counts[i][0],
                           "denominator": counts[i][1], "metric_value": counts[i][0] / counts[i][1]}
                          for g, i in people])
    out = suppress(table, min_cell=10, people=people)
    assert out.set_index("group_id").loc[["A", "B"], "is_suppressed"].all()
    assert _leaks(out, people) == []


@pytest.mark.parametrize("bad", [0, -5, 1, MIN_CELL_FLOOR - 1])
def test_the_minimum_cell_cannot_go_below_the_floor(bad):
    records = prepare_records(read_records(DEMO), salt="audit")
    with pytest.raises(ConfigError, match="below the floor"):
        compute_metrics(records, min_cell=bad)
