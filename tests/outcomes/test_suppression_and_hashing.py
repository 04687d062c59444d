"""Small-cell suppression (primary and complementary) and the salted hashing of person ids."""

from __future__ import annotations

import pandas as pd
import pytest

from align.cli import main
from align.errors import InputError
from align.outcomes import compute_metrics, hash_id, prepare_records, read_records, resolve_salt
from align.outcomes.suppress import _partitions, suppress

SALT = "test-salt-not-secret"


def _table(cells: dict[tuple[str, str], int]) -> pd.DataFrame:
    return pd.DataFrame([{"group_type": g, "group_id": i, "metric": "employment_rate_q2",
                          "numerator": n, "denominator": n, "metric_value": 1.0}
                         for (g, i), n in cells.items()])


def _recoverable(out: pd.DataFrame, program_provider: dict[str, str]) -> list:
    """Hidden cells that are the only hidden child of a shown parent (recoverable by subtraction)."""
    hidden = set(zip(out.loc[out["is_suppressed"], "group_type"], out.loc[out["is_suppressed"], "group_id"],
                     strict=True))
    return [(p, [c for c in kids if c in hidden]) for p, kids in _partitions(out, program_provider)
            if p not in hidden and sum(c in hidden for c in kids) == 1]


def test_primary_and_complementary() -> None:
    # region 63 = providers A 30 + B 25 + C 8 = programs A1 30 + B1 15 + B2 10 + C1 8
    cells = {("region", "R"): 63, ("provider", "A"): 30, ("provider", "B"): 25, ("provider", "C"): 8,
             ("program", "A1"): 30, ("program", "B1"): 15, ("program", "B2"): 10, ("program", "C1"): 8}
    pp = {"A1": "A", "B1": "B", "B2": "B", "C1": "C"}
    out = suppress(_table(cells), min_cell=10, program_provider=pp).set_index(["group_type", "group_id"])
    why = out["suppression"]
    assert why[("provider", "C")].startswith("primary: denominator 8")
    assert why[("program", "C1")].startswith("primary")
    # C alone hidden among providers → the smallest other provider (B, 25) is hidden too,
    # and among all programs the smallest other (B2, 10)
    assert why[("provider", "B")] == "complementary: protects provider C"
    assert why[("program", "B2")] == "complementary: protects program C1"
    assert not out.loc[[("region", "R"), ("provider", "A"), ("program", "A1"), ("program", "B1")],
                       "is_suppressed"].any()
    hidden = out[out["is_suppressed"]]
    assert hidden[["numerator", "denominator", "metric_value"]].isna().all().all()  # never zero
    assert _recoverable(out.reset_index(), pp) == []


def test_only_child_hides_its_parent_and_numerator_rule() -> None:
    cells = {("region", "R"): 50, ("provider", "A"): 40, ("provider", "D"): 10,
             ("program", "A1"): 40, ("program", "D1"): 10}
    t = _table(cells)
    t.loc[t["group_id"] == "D1", "numerator"] = 3        # numerator under the minimum
    t.loc[t["group_id"] == "D", "numerator"] = 10        # D itself would be publishable
    out = suppress(t, min_cell=10, program_provider={"A1": "A", "D1": "D"}).set_index(["group_type", "group_id"])
    assert out.loc[("program", "D1"), "suppression"] == "primary: numerator 3 < 10"
    # D's only program is hidden, so D (= D1) must go; then A protects D among providers, and A1 D1
    assert out.loc[("provider", "D"), "is_suppressed"]
    assert out.loc[("provider", "A"), "is_suppressed"] and out.loc[("program", "A1"), "is_suppressed"]
    assert _recoverable(out.reset_index(), {"A1": "A", "D1": "D"}) == []


def test_suppression_on_the_cohort(fixtures) -> None:
    records = read_records(fixtures / "outcomes" / "cohort.csv")
    t = compute_metrics(records, salt=SALT)  # default minimum 10: every cell of 5 people is hidden
    assert t["is_suppressed"].all()
    assert t[["numerator", "denominator", "metric_value"]].isna().all().all()


def test_hash_differs_from_id_and_is_stable() -> None:
    a = hash_id("SSN-000-11-1111", SALT)
    assert a != "SSN-000-11-1111" and "1111" not in a and len(a) == 32
    assert hash_id(" SSN-000-11-1111 ", SALT) == a               # stable, whitespace-insensitive
    assert hash_id("SSN-000-11-1111", "another salt") != a
    with pytest.raises(InputError):
        hash_id("x", "")


def test_prepared_records_hold_no_raw_ids(fixtures) -> None:
    raw = read_records(fixtures / "outcomes" / "cohort.csv")
    p = prepare_records(raw, salt=SALT)
    assert "person_id" not in p.columns
    assert p["person_key"].tolist() == [hash_id(v, SALT) for v in raw["person_id"]]
    text = p.to_csv()
    assert not any(pid in text for pid in raw["person_id"])


def test_resolve_salt_one_rule_for_every_command(monkeypatch: pytest.MonkeyPatch) -> None:
    """Unset: a one-off salt (different each call) and an operator note naming the variable."""
    monkeypatch.delenv("ALIGN_TEST_SALT", raising=False)
    (a, note), (b, _) = resolve_salt("ALIGN_TEST_SALT"), resolve_salt("ALIGN_TEST_SALT")
    assert a and b and a != b and "ALIGN_TEST_SALT is not set" in note
    monkeypatch.setenv("ALIGN_TEST_SALT", "s3cret")
    assert resolve_salt("ALIGN_TEST_SALT") == ("s3cret", None)


def test_cli_metrics_writes_no_ids_or_salt(fixtures, tmp_path, monkeypatch, capsys) -> None:
    monkeypatch.setenv("ALIGN_TEST_SALT", "s3cret-salt-value")
    out = tmp_path / "metrics.csv"
    src = fixtures / "outcomes" / "cohort.csv"
    # a minimum cell below the floor is refused, as in the configuration
    for small in ("0", "-5", "2"):
        assert main(["metrics", str(src), "-o", str(out), "--min-cell", small, "--salt-env", "ALIGN_TEST_SALT"]) == 2
    assert "below the floor of 3" in capsys.readouterr().err
    assert main(["metrics", str(src), "-o", str(out), "--min-cell", "3", "--salt-env", "ALIGN_TEST_SALT"]) == 0
    text = out.read_text()
    raw = read_records(src)
    assert not any(pid in text for pid in raw["person_id"])
    assert "s3cret-salt-value" not in text and "s3cret-salt-value" not in capsys.readouterr().err
    monkeypatch.delenv("ALIGN_TEST_SALT")  # the same rule as `align run`: a one-off salt, and a note
    assert main(["metrics", str(src), "-o", str(out), "--min-cell", "3", "--salt-env", "ALIGN_TEST_SALT"]) == 0
    assert "ALIGN_TEST_SALT is not set" in capsys.readouterr().err


def test_a_pathway_served_by_one_provider_is_hidden_with_its_twin() -> None:
    from align.outcomes.suppress import suppress

    # pathway T's people are exactly provider X's; pathway B (5 people) is too small to publish
    cells = [("region", "R", 30), ("pathway", "B", 5), ("pathway", "T", 25), ("provider", "X", 25),
             ("provider", "Y", 12), ("provider", "Z", 13)]
    table = pd.DataFrame([{"group_type": g, "group_id": i, "metric": "m", "numerator": n, "denominator": n,
                           "metric_value": 1.0} for g, i, n in cells])
    plain = suppress(table, min_cell=10).set_index("group_id")
    assert plain.loc["T", "is_suppressed"] and not plain.loc["X", "is_suppressed"]  # the leak: R − X = B
    linked = suppress(table, min_cell=10, same_people=[[("pathway", "T"), ("provider", "X")]]).set_index("group_id")
    assert linked.loc["X", "is_suppressed"] and linked.loc["X", "suppression"].startswith("complementary: same people")
    # and X, once hidden, is itself protected among the providers (R − Y − Z would reveal it)
    assert linked.loc[["Y", "Z"], "is_suppressed"].any()
