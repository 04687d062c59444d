"""Implausible values are errors naming file, row and column, not numbers on the board's page."""

from __future__ import annotations

from pathlib import Path

import pandas as pd
import pytest

from align import connector, schemas
from align.demand.industry import regional_industry_employment
from align.errors import InputError, SchemaError
from align.fields import FIELDS

DEMO = Path(__file__).resolve().parents[2] / "data" / "demo"


def test_the_field_dictionary_carries_valid_ranges():
    assert (FIELDS["share_of_industry_employment"].minimum, FIELDS["share_of_industry_employment"].maximum) == (0, 1)
    assert FIELDS["employment"].minimum == 0 and FIELDS["employment"].maximum == 2e8
    assert FIELDS["labor_force_exit_rate"].valid_range == "0 to 1"
    assert "valid_range" in schemas.data_dictionary(["gaps"]).columns


@pytest.mark.parametrize(("column", "value"), [("share_of_industry_employment", 2.5),
                                               ("share_of_industry_employment", -0.1)])
def test_a_share_outside_zero_one_names_the_row_and_column(column, value):
    df = pd.DataFrame({"geography": ["US", "US"], "naics_code": ["622", "611"], "soc_code": ["29-1141", "25-2021"],
                       column: [0.3, value]})
    with pytest.raises(SchemaError, match=r"staffing.csv, row 2, column 'share_of_industry_employment'.*0 to 1"):
        schemas.validate(df, "staffing_patterns", origin="staffing.csv")


def test_shares_of_one_industry_summing_above_one_are_refused():
    df = pd.DataFrame({"geography": ["US"] * 2, "naics_code": ["622"] * 2, "soc_code": ["29-1141", "31-1131"],
                       "share_of_industry_employment": [0.7, 0.6]})
    with pytest.raises(SchemaError, match=r"sums to 1.3 for \{'geography': 'US', 'naics_code': '622'\}"):
        schemas.validate(df, "staffing_patterns")


def test_negative_exit_rate_is_refused():
    df = pd.DataFrame({"soc_code": ["29-1141"], "labor_force_exit_rate": [-0.02], "occupational_transfer_rate": [0.04]})
    with pytest.raises(SchemaError, match="labor_force_exit_rate"):
        schemas.validate(df, "separation_rates")


def test_hospital_employment_of_a_trillion_in_a_qcew_file_names_file_row_and_column(tmp_path):
    text = (DEMO / "qcew" / "2024-a-99001.csv").read_text(encoding="utf-8").splitlines()
    cells = text[5].split(",")
    cells[9] = "1000000000000"
    path = tmp_path / "2024-a-99001.csv"
    path.write_text("\n".join([*text[:5], ",".join(cells), *text[6:]]) + "\n", encoding="utf-8")
    with pytest.raises(InputError, match=r"2024-a-99001.csv, row \d+, column 'employment': implausible value 1e\+12"):
        connector.get("qcew").parse(path)


def _row(area: str, jobs: float) -> dict:
    return {"area_fips": area, "own_code": "5", "naics_code": "622", "period": 2024, "qtr": "A",
            "employment": jobs, "is_suppressed": False, "agglvl_code": "75" if area != "99000" else "55"}


def test_regional_employment_above_the_states_is_refused():
    area = pd.DataFrame([_row("99001", 900.0), _row("99003", 300.0), _row("99000", 1000.0)])
    with pytest.raises(InputError, match=r"employ 1,200 in industry 622.*more than their state's 1,000"):
        regional_industry_employment(area, region_id="r", counties=["99001", "99003"], ownerships=["5"],
                                     naics_digits=3)
    area.loc[2, "employment"] = 5000.0
    out = regional_industry_employment(area, region_id="r", counties=["99001", "99003"], ownerships=["5"],
                                       naics_digits=3)
    assert out["employment"].tolist() == [1200.0]
