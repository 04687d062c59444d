"""EP connector against the real BLS workbooks, web-table CSVs and data.bls.gov export."""

from __future__ import annotations

from pathlib import Path

import numpy as np
import openpyxl
import pandas as pd
import pytest

from align import connector
from align.cli import main
from align.errors import LayoutError
from align_connectors.ep import EPConnector

CSVS = ["education_and_training_assignments_by_detailed_occupation_2019.csv",
        "educational_attainment_for_workers_25_years_and_older_by_detailed_occupation_2019.csv",
        "employment_by_detailed_occupation_2019_and_projected_2029.csv",
        "occupational_projections_2019_to_2029_with_worker_characteristics_from_2019.csv",
        "occupational_separations_and_openings_projected_2019_to_2029.csv"]


@pytest.fixture(scope="module")
def ep(real_data: Path) -> dict[str, pd.DataFrame]:
    base = real_data / "ep"
    out = {"2024": EPConnector().parse(base / "occupation.xlsx"),
           "2019": EPConnector().parse(base / "ep2019_29" / "occupation.xlsx"),
           "export": EPConnector().parse(base / "ep2020_30_dataBLS_export" / "Employment-Projections.csv")}
    for name in CSVS:
        out[name] = EPConnector().parse(base / "ep2019_29" / name)
    return out


def _row(df: pd.DataFrame, code: str) -> pd.Series:
    return df[df.soc_code == code].iloc[0]


def test_workbook_2024_34(ep: dict[str, pd.DataFrame]) -> None:
    df = ep["2024"]
    assert len(df) == 1_113 and (df.occupation_type == "Line item").sum() == 832  # PROVENANCE
    total = _row(df, "00-0000")
    assert total.annual_openings == 18_863_300  # 18,863.3 thousand
    assert total.employment_base == 169_956_100 and total.employment_target == 175_167_900
    assert total.depth == 0 and _row(df, "11-0000").depth == 1
    assert (total.base_year, total.target_year, total.vintage) == (2024, 2034, "EP 2024-34")
    assert total.labor_force_exit_rate == pytest.approx(0.047)
    pumpers = _row(df, "53-7073")  # Table 1.2 columns joined onto Table 1.10 by code
    assert pumpers.depth == 4 and pumpers.wage_annual_median == 70_010
    assert pumpers.typical_entry_education == "High school diploma or equivalent"
    assert total.typical_entry_education is None  # '—'
    top = df[df.wage_annual_median_missing_reason == "at or above the top-coded value"]
    assert len(top) > 0 and (top.wage_annual_median_top_code == 239_200).all()
    assert top.wage_annual_median.isna().all()


def test_workbook_2019_29(ep: dict[str, pd.DataFrame]) -> None:
    df = ep["2019"]
    total = _row(df, "00-0000")
    assert total.annual_openings == 17_454_300  # 17,454.3 thousand
    assert _row(df, "11-1011").labor_force_exit_rate == pytest.approx(0.026)  # Chief executives 2.6
    assert _row(df, "11-1011").attainment_bachelor == pytest.approx(0.41)  # Table 5.3: 41.0
    assert _row(df, "53-7073").wage_annual_median == 60_720  # Table 1.7
    assert total.wage_annual_median == 41_950 and "depth" not in df  # no indentation in 2019
    assert _row(df, "13-1020").occupation_type == "Line item"


def test_web_table_csvs(ep: dict[str, pd.DataFrame]) -> None:
    t110 = ep["occupational_separations_and_openings_projected_2019_to_2029.csv"]
    assert len(t110) == 1_048 and _row(t110, "00-0000").annual_openings == 17_454_300
    assert _row(t110, "00-0000").employment_base == 162_795_600  # "162,795.6"
    assert "wage_annual_median" not in t110  # each CSV gives only the columns it has
    t17 = ep["occupational_projections_2019_to_2029_with_worker_characteristics_from_2019.csv"]
    assert _row(t17, "00-0000").typical_entry_education is None  # Mac Roman em dash
    assert _row(t17, "00-0000").wage_annual_median == 41_950  # "$41,950"
    t54 = ep["education_and_training_assignments_by_detailed_occupation_2019.csv"]
    assert len(t54) == 790 and _row(t54, "11-1011").typical_entry_education == "Bachelor's degree"
    t53 = ep["educational_attainment_for_workers_25_years_and_older_by_detailed_occupation_2019.csv"]
    assert _row(t53, "11-1011").occupation_title == "Chief executives"  # '(1)' footnote dropped


def test_data_bls_export(ep: dict[str, pd.DataFrame]) -> None:
    df = ep["export"]
    assert len(df) == 790
    acc = _row(df, "13-2011")  # ="13-2011"
    assert acc.occupation_title == "Accountants and auditors"
    assert acc.employment_base == 1_392_200 and acc.annual_openings == 135_000
    assert acc.wage_annual_median == 73_560 and acc.vintage == "EP 2020-30"
    top = df[df.wage_annual_median_top_code.notna()]
    assert len(top) == 9 and (top.wage_annual_median_top_code == 208_000).all()  # '>=208,000' ×9
    assert (df.wage_annual_median_missing_reason == "not available").sum() == 5  # 'N/A' ×5


def test_detect_and_cli(real_data: Path, tmp_path: Path) -> None:
    files = [real_data / "ep" / "occupation.xlsx", real_data / "ep" / "ep2019_29" / "occupation.xlsx",
             real_data / "ep" / "ep2020_30_dataBLS_export" / "Employment-Projections.csv",
             *[real_data / "ep" / "ep2019_29" / n for n in CSVS]]
    for f in files:
        assert connector.detect(f).name == "ep", f
    out = tmp_path / "ep.csv"
    assert main(["ingest", str(files[0]), "-o", str(out)]) == 0
    back = pd.read_csv(out, dtype={"soc_code": str})
    assert back.loc[back.soc_code == "00-0000", "annual_openings"].iloc[0] == 18_863_300


def test_fixture_macroman_csv(fixtures: Path) -> None:
    df = EPConnector().parse(fixtures / "ep" / "table_1_7_macroman.csv")
    assert list(df.soc_code) == ["00-0000", "29-1248", "11-1031"]
    assert df.typical_entry_education.iloc[0] is None
    surgeons = df.iloc[1]
    assert np.isnan(surgeons.wage_annual_median) and surgeons.wage_annual_median_top_code == 208_000
    assert df.iloc[2].wage_annual_median_missing_reason == "not available"
    assert df.self_employed_share.iloc[0] == pytest.approx(0.058)


def test_fixture_export(fixtures: Path) -> None:
    df = EPConnector().parse(fixtures / "ep" / "ep_export.csv")
    assert df.occupation_title.tolist() == ["Accountants and auditors", "Anesthesiologists", "Models"]
    assert df.employment_change_rate.iloc[0] == pytest.approx(0.069)


def test_demo_layout_workbook_and_renamed_header(tmp_path: Path) -> None:
    """The lead's demo writes Index, Table 1.2 and Table 1.10 in the 2024–34 layout."""
    wb = openpyxl.Workbook()
    wb.active.title = "Index"
    t110 = wb.create_sheet("Table 1.10")
    t110.append(["Table 1.10 Occupational separations and openings, projected 2024–34 (Employment in thousands)"])
    hdr = ["2024 National Employment Matrix title", "2024 National Employment Matrix code", "Occupation type",
           "Employment, 2024", "Employment, 2034", "Employment change, numeric, 2024–34",
           "Employment change, percent, 2024–34", "Labor force exit rate, 2024–34 annual average",
           "Occupational transfer rate, 2024–34 annual average",
           "Total occupational separations rate, 2024–34 annual average",
           "Labor force exits, 2024–34 annual average", "Occupational transfers, 2024–34 annual average",
           "Total occupational separations, 2024–34 annual average",
           "Occupational openings, 2024–34 annual average"]
    t110.append(hdr)
    t110.append(["  Registered nurses", "29-1141", "Line item", 3000, 3200, 200, 6.7, 2.1, 2.5, 4.6,
                 65, 77, 142, 162])
    t110.append(["Source: Employment Projections program, U.S. Bureau of Labor Statistics"])
    t12 = wb.create_sheet("Table 1.2")
    t12.append(["Table 1.2 Occupational projections, 2024–2034, and worker characteristics, 2024"])
    t12.append(["2024 National Employment Matrix title", "2024 National Employment Matrix code",
                "Occupation type", "Employment, 2024", "Employment, 2034",
                "Median annual wage, dollars, 2024[1]", "Typical education needed for entry"])
    t12.append(["  Registered nurses", "29-1141", "Line item", 3000, 3200, 93600, "Bachelor's degree"])
    path = tmp_path / "occupation.xlsx"
    wb.save(path)
    df = EPConnector().parse(path)
    rn = df.iloc[0]
    assert rn.labor_force_exit_rate == pytest.approx(0.021) and rn.annual_openings == 162_000
    assert rn.typical_entry_education == "Bachelor's degree" and rn.wage_annual_median == 93_600
    t110.cell(row=2, column=2, value="Matrix SOC")
    t12.cell(row=2, column=2, value="Matrix SOC")
    wb.save(path)
    with pytest.raises(LayoutError, match="code"):
        EPConnector().parse(path)
