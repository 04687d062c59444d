"""Outcome metric definitions on a hand-worked cohort (tests/fixtures/outcomes/cohort.csv).

The five rows, worked by hand:
  1 exits 2023-02-15 (Q1) → Q2 after exit is 2023Q3: wage 5000, Q4 (2024Q1) blank → employed Q2
    not Q4; credential 2024-03-20 is 13 months after exit → not counted; externship not completed.
  2 exits 2023-03-31: Q2 7000 and Q4 8000 with employer E1 both → retained; credential during
    participation → counted; pre-enrolment 4000 → +3000 by Q2; externship at E1 ended 2023-01-15,
    hired by E1 on 2023-04-01 (76 days) → converts for both externship metrics.
  3 exits 2023-01-10: Q2 blank, Q4 6000; credential exactly one year after exit → counted;
    externship at E9 ended 2022-12-01, hired 2023-09-01 by E4 (274 days > 180) → no conversion.
  4 has not exited → in no denominator.
  5 not in training (excluded from the credential rate); Q2 3000 at E2, Q4 3500 at E3 → employed
    both, not retained; pre-enrolment 2000; externship at E5, hired by E2 45 days after → any employer only.
"""

from __future__ import annotations

import math

import pandas as pd
import pytest

from align.errors import InputError
from align.outcomes import (
    compute_metrics,
    metric_cells,
    metric_definitions,
    prepare_records,
    read_records,
)
from align.outcomes.metrics import METRICS, quarter_end

SALT = "test-salt-not-secret"


@pytest.fixture(scope="module")
def cohort(fixtures) -> pd.DataFrame:
    return read_records(fixtures / "outcomes" / "cohort.csv")


def region(metrics: pd.DataFrame) -> dict[str, tuple[float, float, float]]:
    r = metrics[metrics["group_type"] == "region"].set_index("metric")
    return {m: (r.loc[m, "numerator"], r.loc[m, "denominator"], r.loc[m, "metric_value"]) for m in r.index}


def test_quarter_after_exit() -> None:
    ends = quarter_end(pd.Series(["2023-02-15", "2023-03-31", None]), 2)
    assert list(ends[:2].dt.strftime("%Y-%m-%d")) == ["2023-09-30", "2023-09-30"]
    assert pd.isna(ends[2])


def test_hand_worked_definitions(cohort: pd.DataFrame) -> None:
    m = region(metric_cells(cohort, salt=SALT))
    assert m["employment_rate_q2"] == (3, 4, 0.75)        # rows 1, 2, 5 of exiters 1, 2, 3, 5
    assert m["employment_rate_q4"] == (3, 4, 0.75)        # rows 2, 3, 5 (row 1 employed Q2 not Q4)
    assert m["median_earnings_q2"][1:] == (3, 5000)       # 5000, 7000, 3000 (the "3,000" text)
    assert math.isnan(m["median_earnings_q2"][0])
    assert m["credential_attainment_rate"][:2] == (2, 3)  # rows 2 and 3; 13 months after exit is out
    assert m["retention_same_employer"][:2] == (1, 3)     # only row 2 keeps its Q2 employer
    assert m["externship_hire_rate_same_employer"][:2] == (1, 3)
    assert m["externship_hire_rate_any_employer"][:2] == (2, 3)
    assert m["wage_change_pre_to_q2"][1:] == (2, 2000)  # row 2 +3000, row 5 +1000
    assert m["wage_change_pre_to_q4"][1:] == (2, 2750)    # row 2 +4000, row 5 +1500
    assert m["wage_change_q2_to_q4"][1:] == (2, 750)      # +1000 and +500


def test_groups_program_provider_pathway(cohort: pd.DataFrame) -> None:
    t = metric_cells(cohort, salt=SALT)
    assert set(t["group_type"]) == {"region", "provider", "program", "pathway"}
    emp = t[t["metric"] == "employment_rate_q2"].set_index(["group_type", "group_id"])
    assert emp.loc[("provider", "A"), "denominator"] == 3
    assert emp.loc[("program", "P2"), ["numerator", "denominator"]].tolist() == [0, 1]
    assert emp.loc[("pathway", "health"), "denominator"] == 3
    assert set(t["metric"]) == {m.id for m in METRICS}


def test_as_of_leaves_unobserved_quarters_out(cohort: pd.DataFrame) -> None:
    # wages complete through 2023-12-31: every Q2 (2023Q3) is observed, no Q4 (2024Q1..) is
    m = region(metric_cells(cohort, salt=SALT, as_of="2023-12-31"))
    assert m["employment_rate_q2"][:2] == (3, 4)
    assert m["employment_rate_q4"][1] == 0
    assert m["credential_attainment_rate"][1] == 0   # no one-year window has closed


def test_hire_window_is_configurable(cohort: pd.DataFrame) -> None:
    m = region(metric_cells(cohort, salt=SALT, hire_window_days=300))
    assert m["externship_hire_rate_any_employer"][:2] == (3, 3)   # row 3's 274-day hire now counts


def test_definitions_table() -> None:
    d = metric_definitions()
    assert d["definition"].str.len().min() > 40
    assert "within one year" in d.set_index("metric").loc["credential_attainment_rate", "definition"]


def test_bad_inputs_name_row_and_column(cohort: pd.DataFrame) -> None:
    bad = cohort.copy()
    bad.loc[2, "exit_date"] = "01/10/2023"
    with pytest.raises(InputError, match=r"row 3, column 'exit_date'.*YYYY-MM-DD"):
        prepare_records(bad, salt=SALT, origin="cohort.csv")
    with pytest.raises(InputError, match="in_training"):
        prepare_records(cohort.assign(in_training="maybe"), salt=SALT)
    with pytest.raises(InputError, match=r"missing column.*person_id"):
        prepare_records(cohort.drop(columns="person_id"), salt=SALT)
    with pytest.raises(InputError, match="salt"):
        compute_metrics(cohort)


def test_template_and_doc_agree() -> None:
    from pathlib import Path

    from align.outcomes.records import EXTENSIONS, TEMPLATE_COLUMNS

    root = Path(__file__).resolve().parents[2]
    template = read_records(root / "data" / "templates" / "participant_records.csv")
    assert list(template.columns) == TEMPLATE_COLUMNS + EXTENSIONS
    assert len(prepare_records(template, salt=SALT)) == 1
    doc = (root / "docs" / "participant_records.md").read_text()
    assert all(c.split("_q")[0] in doc for c in TEMPLATE_COLUMNS + EXTENSIONS)
