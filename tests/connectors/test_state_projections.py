"""State long-term projections: California EDD workbook (real) and Projections Central (fixtures)."""

from __future__ import annotations

from pathlib import Path

import numpy as np
import pandas as pd
import pytest

from align import connector
from align.cli import main
from align.errors import LayoutError
from align_connectors.state_projections import StateProjectionsConnector

CA = Path("projections_state/california_edd/edd_long_term_occ_projections_2023-2033.xlsx")


@pytest.fixture(scope="module")
def ca(real_data: Path) -> pd.DataFrame:
    return StateProjectionsConnector().parse(real_data / CA)


def test_california_edd(ca: pd.DataFrame) -> None:
    assert len(ca) == 793  # PROVENANCE: 793 occupation rows; 'End of worksheet.' dropped
    total = ca[ca.soc_code == "00-0000"].iloc[0]
    assert total.annual_openings == 2_405_145  # 24,051,450 ten-year openings ÷ 10
    assert total.exits_annual == 929_266 and total.transfers_annual == 1_303_939
    assert total.employment_base == 19_511_500 and total.employment_change_rate == pytest.approx(0.0881, abs=1e-4)
    assert (total.base_year, total.target_year, total.geography) == (2023, 2033, "06")
    assert total.typical_entry_education is None  # 'N/A'
    assert ca.depth.value_counts().to_dict() == {3: 676, 2: 94, 1: 22, 0: 1}
    top_exec = ca[ca.soc_code == "11-1000"].iloc[0]  # wages published as 0 = not available
    assert np.isnan(top_exec.wage_annual_median)
    assert top_exec.wage_annual_median_missing_reason == "not available"
    assert ca.wage_hourly_median.isna().sum() == 158 and ca.wage_annual_median.isna().sum() == 114
    ceo = ca[ca.soc_code == "11-1011"].iloc[0]
    assert ceo.annual_openings == pytest.approx(4_058) and ceo.wage_annual_median == pytest.approx(224_690.23)


def test_california_detect_and_cli(real_data: Path, tmp_path: Path) -> None:
    assert connector.detect(real_data / CA).name == "state_projections"
    out = tmp_path / "ca.parquet"
    assert main(["ingest", "state_projections", str(real_data / CA), "-o", str(out)]) == 0
    assert len(pd.read_parquet(out)) == 793


def test_projections_central_json(fixtures: Path) -> None:
    path = fixtures / "projections" / "nv_longterm.json"
    assert connector.detect(path).name == "state_projections"
    df = StateProjectionsConnector().parse(path)
    assert df.geography.eq("32").all() and df.area_title.eq("Nevada").all()
    rn = df[df.soc_code == "29-1141"].iloc[0]
    assert rn.employment_base == 25_110 and rn.annual_openings == 1_720
    assert rn.employment_change_rate == pytest.approx(0.116) and rn.target_year == 2034
    assert np.isnan(df[df.soc_code == "11-1031"].iloc[0].annual_openings)  # blank stays missing


def test_projections_central_csv(fixtures: Path, tmp_path: Path) -> None:
    path = fixtures / "projections" / "oh_longterm.csv"
    out = tmp_path / "oh.csv"
    assert main(["ingest", str(path), "-o", str(out)]) == 0
    df = pd.read_csv(out, dtype={"geography": str, "soc_code": str})
    assert df.geography.eq("39").all() and df.annual_openings.tolist() == [640_900, 8_230]


def test_renamed_field_is_named(tmp_path: Path, fixtures: Path) -> None:
    text = (fixtures / "projections" / "nv_longterm.json").read_text().replace("AvgAnnualOpenings", "Openings")
    path = tmp_path / "nv.json"
    path.write_text(text)
    with pytest.raises(LayoutError, match="AvgAnnualOpenings"):
        StateProjectionsConnector().parse(path)
