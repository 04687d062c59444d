"""Training inventory template: layouts, vocabulary, and errors that name file, row and column."""

from __future__ import annotations

from pathlib import Path

import pandas as pd
import pytest

from align import connector
from align.cli import main
from align.errors import CodeError, InputError, LayoutError, SchemaError
from align_connectors.inventory import AWARD_TYPES, TrainingInventoryConnector

INV = TrainingInventoryConnector()
ROOT = Path(__file__).resolve().parents[2]


def test_wide_layout(fixtures: Path) -> None:
    df = INV.parse(fixtures / "inventory" / "inventory_wide.csv")
    assert "EXAMPLE-1" not in set(df.provider_id)  # example rows skipped
    cdl = df[df.provider_id == "ETPL-0042"]
    assert cdl["year"].tolist() == [2023, 2024] and cdl["completers"].tolist() == [48, 52]
    assert (cdl["award_level"] == "20").all() and cdl["work_based_learning"].all()
    assert cdl["program_id"].iloc[0] == "ETPL-0042:49.0205:20"
    rap = df[df.provider_id == "RAP-OH-7731"]
    # 2023 blank = not reported: no row for it, never a zero
    assert rap["year"].tolist() == [2024] and rap["completers"].tolist() == [18]
    assert rap["soc_code"].iloc[0] == "47-2111" and rap["award_level"].iloc[0] == "N2"
    assert pd.isna(rap["cip_code"].iloc[0])
    lib = df[df.provider_id == "NC-3"]
    assert len(lib) == 1 and pd.isna(lib["year"].iloc[0]) and pd.isna(lib["completers"].iloc[0])
    assert pd.isna(lib["capacity_seats"].iloc[0]) and not lib["work_based_learning"].iloc[0]


def test_long_layout_windows_1252(fixtures: Path) -> None:
    df = INV.parse(fixtures / "inventory" / "inventory_long.csv")
    assert len(df) == 3
    cafe = df[df.provider_id == "ETPL-0099"].iloc[0]
    assert cafe.provider_name == "Café Skills Kitchen" and cafe.county_fips == "39041"
    assert cafe.award_level == "21" and cafe.year == 2024 and cafe.completers == 9


@pytest.mark.parametrize(("name", "error", "column"), [
    ("bad_award.csv", InputError, "award_type"),
    ("bad_cip.csv", CodeError, "cip_code"),
    ("no_code.csv", InputError, "cip_code"),
    ("bad_count.csv", InputError, "completers_2024"),
    ("bad_wbl.csv", InputError, "work_based_learning"),
    ("bad_kind.csv", InputError, "provider_kind"),
])
def test_errors_name_row_and_column(fixtures: Path, name: str, error: type, column: str) -> None:
    with pytest.raises(error) as err:
        INV.parse(fixtures / "inventory" / name)
    assert err.value.row == 2 and err.value.column == column
    assert name in str(err.value)


def test_duplicates_and_missing_columns(fixtures: Path) -> None:
    with pytest.raises(SchemaError, match="duplicate"):
        INV.parse(fixtures / "inventory" / "duplicate.csv")
    with pytest.raises(LayoutError, match="provider_kind"):
        INV.parse(fixtures / "inventory" / "missing_column.csv")


def test_template_and_doc_agree(tmp_path: Path) -> None:
    template = ROOT / "data" / "templates" / "training_inventory.csv"
    assert connector.detect(template).name == "training_inventory"
    assert len(INV.parse(template)) == 0  # only the two EXAMPLE rows
    examples = INV.parse(template, keep_examples=True)
    assert set(examples.provider_id) == {"EXAMPLE-1", "EXAMPLE-2"}
    doc = (ROOT / "docs" / "training_inventory.md").read_text()
    for term, (level, _) in AWARD_TYPES.items():
        assert f"`{term}` | {level} |" in doc, term
    out = tmp_path / "inv.csv"
    assert main(["ingest", "training_inventory", str(template), "-o", str(out)]) == 0
