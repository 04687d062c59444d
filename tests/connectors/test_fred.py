"""FRED data-list connector: the real CES download and small hand-made files in the same layout."""

from __future__ import annotations

import math

import pandas as pd
import pytest

from align import connector
from align.cli import main
from align.errors import InputError, LayoutError
from align_connectors.fred import FREDConnector, annual_averages

CES = "ces/US_employment_fpp3_Monthly_subset.txt"


@pytest.fixture(scope="module")
def ces(real_data):
    return FREDConnector().parse(real_data / CES)


def test_real_ces_file_parses(ces: pd.DataFrame) -> None:
    # PROVENANCE.md: 74 series (odd header positions of the fpp3 file), 969 months 1939-01..2019-09
    assert ces["series_id"].nunique() == 74
    assert ces["date"].nunique() == 969
    assert len(ces) == 74 * 969
    assert set(ces["vintage"]) == {"2019-10-04"}
    v = ces.set_index(["series_id", "date"])["value"]
    # read by hand from the file: first data row and last row, PAYNSA = total nonfarm
    assert v["PAYNSA", "1939-01-01"] == 29296
    assert v["PAYNSA", "2019-09-01"] == 151949
    assert v["CEU0500000001", "1939-01-01"] == 25338
    assert v["CEU0500000001", "2019-09-01"] == 129312
    # empty cells stay missing: CEU2023800101 has no value 1990-2000 (132 blank months)
    assert math.isnan(v["CEU1011330001", "1939-01-01"])
    assert ces["value"].isna().sum() > 0


def test_real_ces_annual_averages(ces: pd.DataFrame) -> None:
    annual = annual_averages(ces)
    pay = annual[annual["series_id"] == "PAYNSA"].set_index("period")["value"]
    assert pay.index.min() == 1939 and pay.index.max() == 2018  # 2019 has 9 months only: dropped
    # 2018 annual average of PAYNSA (mean of the twelve 2018 monthly values in the file)
    months = ces[(ces["series_id"] == "PAYNSA") & ces["date"].str.startswith("2018")]["value"]
    assert pay[2018] == pytest.approx(months.mean())
    assert pay[2018] == pytest.approx(149074.25)


def test_real_ces_detect_and_cli(real_data, tmp_path) -> None:
    assert connector.detect(real_data / CES).name == "fred"
    out = tmp_path / "ces.parquet"
    assert main(["ingest", "fred", str(real_data / CES), "-o", str(out)]) == 0
    back = pd.read_parquet(out)
    assert len(back) == 74 * 969


def test_small_fixture_blank_cells(fixtures) -> None:
    df = FREDConnector().parse(fixtures / "fred" / "small.txt")
    v = df.set_index(["series_id", "date"])["value"]
    assert math.isnan(v["CEU3000000001", "1990-01-01"])
    assert v["CEU3000000001", "1990-02-01"] == 17500.5
    assert math.isnan(v["PAYNSA", "1990-03-01"])


def test_plain_download_dot_marker_crlf(fixtures) -> None:
    c = FREDConnector()
    path = fixtures / "fred" / "plain.csv"
    assert c.sniff(path)
    df = c.parse(path)
    assert list(df["series_id"].unique()) == ["PAYEMS"]
    assert df["vintage"].isna().all()  # no vintage suffix in a plain download
    assert math.isnan(df["value"].iloc[1])  # FRED's "." = no value, never zero


def test_errors_name_place(fixtures) -> None:
    c = FREDConnector()
    with pytest.raises(InputError, match=r"bad_value.txt, row 2, column 'X_20191004'"):
        c.parse(fixtures / "fred" / "bad_value.txt")
    with pytest.raises(LayoutError, match="observation_date"):
        c.parse(fixtures / "fred" / "renamed.txt")
    assert not c.sniff(fixtures / "fred" / "renamed.txt")
