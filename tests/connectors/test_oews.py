"""OEWS connectors against the real BLS files (2006–2025 layouts) and small hand-made fixtures."""

from __future__ import annotations

import io
import zipfile
from pathlib import Path

import numpy as np
import openpyxl
import pandas as pd
import pytest

from align import connector
from align.cli import main
from align.errors import InputError, LayoutError
from align_connectors.oews import (
    TOP_CODES,
    OEWSConnector,
    OEWSDocumentationConnector,
    OEWSStaffingConnector,
    soc_vintage,
    top_code_from_docs,
)
from align_connectors.soc_crosswalk import read_crosswalk, to_soc2018

STATE_ZIPS = [f"oesm{y:02d}st.zip" for y in range(6, 14)]
NAT_ZIPS = [f"oesm{y}nat.zip" for y in range(14, 20)]
HEADER_2024 = ["AREA", "AREA_TITLE", "AREA_TYPE", "PRIM_STATE", "NAICS", "NAICS_TITLE", "I_GROUP",
               "OWN_CODE", "OCC_CODE", "OCC_TITLE", "O_GROUP", "TOT_EMP", "EMP_PRSE", "JOBS_1000",
               "LOC_QUOTIENT", "PCT_TOTAL", "PCT_RPT", "H_MEAN", "A_MEAN", "MEAN_PRSE", "H_PCT10",
               "H_PCT25", "H_MEDIAN", "H_PCT75", "H_PCT90", "A_PCT10", "A_PCT25", "A_MEDIAN",
               "A_PCT75", "A_PCT90", "ANNUAL", "HOURLY"]


@pytest.fixture(scope="module")
def parsed(real_data: Path) -> dict[str, pd.DataFrame]:
    """Every real OEWS data file parsed once for the module (state zips take ~1 s each)."""
    oews = real_data / "oews"
    out = {name: OEWSConnector().parse(oews / name) for name in
           [*STATE_ZIPS, *NAT_ZIPS, "national_M2020_dl.xlsx", "national_M2025_dl.xlsx"]}
    for y in (2022, 2023, 2024):
        out[f"natsector_M{y}_dl.xlsx"] = OEWSStaffingConnector().parse(oews / f"natsector_M{y}_dl.xlsx")
    return out


def test_state_files_2006_2013(parsed: dict[str, pd.DataFrame]) -> None:
    rows = {"oesm06st.zip": 35_797, "oesm07st.zip": 36_822, "oesm08st.zip": 36_765,
            "oesm09st.zip": 36_728, "oesm10st.zip": 36_566, "oesm11st.zip": 36_637,
            "oesm12st.zip": 37_634, "oesm13st.zip": 37_725}  # PROVENANCE.md row counts
    for name, n in rows.items():
        df = parsed[name]
        assert len(df) == n, name
        assert df["geography"].str.fullmatch(r"\d{2}").all()
        assert set(df["o_group"]) <= {"total", "major", "detailed"}
        assert (df["soc_code"] == "00-0000").sum() == 54  # 50 states + DC, PR, GU, VI


def test_2006_text_numbers_blank_group_and_markers(parsed: dict[str, pd.DataFrame]) -> None:
    df = parsed["oesm06st.zip"]
    al = df[(df.geography == "01") & (df.soc_code == "00-0000")].iloc[0]
    assert al.employment == 1_912_220  # '1912220' stored as text in state_may2006_dl.xls
    assert al.o_group == "total"  # GROUP blank on the total row
    assert al.period == 2006 and al.soc_vintage == "2000"
    ceo = df[(df.geography == "01") & (df.soc_code == "11-1011")].iloc[0]
    assert ceo.wage_hourly_median == 68.35 and np.isnan(ceo.wage_hourly_p75)  # '#' in the file
    assert ceo.wage_hourly_p75_top_code == 70.0 and ceo.wage_annual_p90_top_code == 145_600.0
    reasons = pd.concat([df[c] for c in df.columns if c.endswith("_missing_reason")])
    assert (reasons == "at or above the top-coded value").sum() == 5_801  # '#' cells, hand-counted
    assert (reasons == "estimate removed for reporting or processing errors").sum() > 0  # '***'


def test_2013_top_code_count_and_bound(parsed: dict[str, pd.DataFrame]) -> None:
    df = parsed["oesm13st.zip"]
    reasons = pd.concat([df[c] for c in df.columns if c.endswith("_missing_reason")])
    assert (reasons == "at or above the top-coded value").sum() == 4_797  # PROVENANCE: '#' 4,797
    ceo = df[(df.geography == "01") & (df.soc_code == "11-1011")].iloc[0]
    assert ceo.wage_annual_median == 174_690 and ceo.wage_annual_p75_top_code == 187_200
    assert ceo.soc_vintage == "2010" and ceo.o_group == "detailed"
    sup = df[df.employment_missing_reason.notna()]
    assert sup.employment.isna().all() and sup.is_suppressed.all()


def test_national_files(parsed: dict[str, pd.DataFrame]) -> None:
    totals = {"oesm14nat.zip": 135_128_260, "oesm16nat.zip": 140_400_040,
              "oesm18nat.zip": 144_733_270, "oesm19nat.zip": 146_875_480,
              "national_M2020_dl.xlsx": 139_099_570, "national_M2025_dl.xlsx": 155_495_730}
    for name, total in totals.items():
        df = parsed[name]
        row = df[df.soc_code == "00-0000"].iloc[0]
        assert row.employment == total and row.geography == "99", name
    m25 = parsed["national_M2025_dl.xlsx"]
    assert m25.loc[m25.soc_code == "00-0000", "wage_annual_median"].iloc[0] == 50_980
    assert m25.loc[m25.soc_code == "29-1141", "employment"].iloc[0] == 3_379_720
    assert (m25.soc_vintage == "2018").all() and m25.annual_only.sum() == 81
    m20 = parsed["national_M2020_dl.xlsx"]
    assert m20.loc[m20.soc_code == "00-0000", "wage_annual_median"].iloc[0] == 41_950
    assert (m20.soc_vintage == "2010/2018 hybrid").all() and "15-1256" in set(m20.soc_code)
    # 2017+ list a code both as broad and detailed where only the broad group is estimated
    m19 = parsed["oesm19nat.zip"]
    assert set(m19.loc[m19.soc_code == "13-1020", "o_group"]) == {"broad", "detailed"}


def test_staffing_natsector(parsed: dict[str, pd.DataFrame]) -> None:
    df = parsed["natsector_M2024_dl.xlsx"]
    assert set(df.o_group) == {"detailed"}
    row = df[(df.naics_code == "11") & (df.soc_code == "45-2092")].iloc[0]
    assert row.share_of_industry_employment == pytest.approx(0.4572)  # PCT_TOTAL 45.72
    assert row.employment == 195_350
    truck = df[(df.naics_code == "48") & (df.soc_code == "53-3032")].iloc[0]  # NAICS stored as int 48
    assert truck.share_of_industry_employment == pytest.approx(0.1599)
    assert truck.wage_annual_median == 59_200
    for name in ("natsector_M2022_dl.xlsx", "natsector_M2023_dl.xlsx"):
        assert parsed[name].naics_code.map(type).eq(str).all()


def test_detect_and_cli(real_data: Path, tmp_path: Path) -> None:
    oews = real_data / "oews"
    for name in [*STATE_ZIPS, *NAT_ZIPS, "national_M2020_dl.xlsx", "national_M2025_dl.xlsx"]:
        assert connector.detect(oews / name).name == "oews", name
    for y in (2022, 2023, 2024):
        assert connector.detect(oews / f"natsector_M{y}_dl.xlsx").name == "oews_staffing"
    assert connector.detect(oews / "oesm20ma_file_descriptions.xlsx").name == "oews_docs"
    out = tmp_path / "nat.csv"
    assert main(["ingest", "oews", str(oews / "oesm14nat.zip"), "-o", str(out)]) == 0
    back = pd.read_csv(out, dtype={"soc_code": str, "geography": str})
    assert len(back) == 1_394 and back.soc_code.iloc[0] == "00-0000"
    out = tmp_path / "staff.parquet"
    assert main(["ingest", str(oews / "natsector_M2022_dl.xlsx"), "-o", str(out)]) == 0
    assert len(pd.read_parquet(out)) == 8_381  # detailed rows of the 2022 natsector file


def test_documentation_workbooks(real_data: Path, tmp_path: Path) -> None:
    path = real_data / "oews" / "oesm20ma_file_descriptions.xlsx"
    out = tmp_path / "docs.csv"
    assert main(["ingest", str(path), "-o", str(out)]) == 0
    docs = pd.read_csv(out)
    files = docs[docs.doc_kind == "file"]
    assert set(files.doc_item) == {"MSA_M2020_dl.xlsx", "BOS_M2020_dl.xlsx"}
    # this May 2020 MSA note still quotes the 2013 bound: documentation can be stale
    assert top_code_from_docs(docs) == (90.0, 187_200.0)
    # the field descriptions inside the zips agree with the documented bounds table
    for name, year in [("oesm06st.zip", 2006), ("oesm08st.zip", 2008), ("oesm13st.zip", 2013),
                       ("oesm16nat.zip", 2016), ("oesm18nat.zip", 2018)]:
        d = OEWSDocumentationConnector().parse(real_data / "oews" / name)
        assert top_code_from_docs(d) == TOP_CODES[year], name


# ---------------------------------------------------------------- fixtures of our own


def _natsector(path: Path, rows: list[list[object]], header: list[str] = HEADER_2024) -> Path:
    wb = openpyxl.Workbook()
    ws = wb.active
    ws.title = "Nat3d_M2024_dl"
    ws.append(header)
    for r in rows:
        ws.append(r)
    wb.create_sheet("UpdateTime").append(["alldataupdate"])
    wb.save(path)
    return path


def _row(naics: str | int, code: str, group: str, emp: object, pct: object, median: object) -> list[object]:
    r: list[object] = ["99", "U.S.", "1", "US", naics, "Title", "3-digit", "5", code, f"Occ {code}", group,
                       emp, 1.0, None, None, pct, 50, 20.0, 41600]
    r += [1.0, 10.0, 12.0, 20.0, 25.0, 30.0, 20800, 24960, median, 52000, 62400, "", ""]
    return r


def test_staffing_fixture_3digit(tmp_path: Path) -> None:
    path = _natsector(tmp_path / "nat3d_M2024_dl.xlsx", [
        _row("622", "00-0000", "total", 1000, 100, 41600),
        _row("622", "29-0000", "major", 600, 60, 70000),
        _row("622", "29-1141", "detailed", 400, 40, 83000),
        _row(622, "29-1171", "detailed", "**", "**", "#"),   # suppressed; NAICS as a number
        _row("622", "29-2061", "detailed", 200, 20, "*"),
    ])
    assert connector.detect(path).name == "oews_staffing"
    df = OEWSStaffingConnector().parse(path)
    assert list(df.soc_code) == ["29-1141", "29-1171", "29-2061"]
    assert (df.naics_code == "622").all() and (df.naics_level == "3-digit").all()
    np.testing.assert_allclose(df.share_of_industry_employment, [0.4, np.nan, 0.2])
    sup = df[df.soc_code == "29-1171"].iloc[0]
    assert sup.is_suppressed and np.isnan(sup.employment)
    assert sup.employment_missing_reason == "employment estimate not released"
    assert sup.wage_annual_median_top_code == 239_200  # '#' in May 2024
    assert df.loc[df.soc_code == "29-2061", "wage_annual_median_missing_reason"].iloc[0] == "not available"


def test_zipped_xlsx_with_field_descriptions_and_renamed_column(tmp_path: Path) -> None:
    header = ["OCC_CODE", "OCC_TITLE", "OCC_GROUP", "TOT_EMP", "EMP_PRSE", "H_MEAN", "A_MEAN", "MEAN_PRSE",
              "H_PCT10", "H_PCT25", "H_MEDIAN", "H_PCT75", "H_PCT90", "A_PCT10", "A_PCT25", "A_MEDIAN",
              "A_PCT75", "A_PCT90", "ANNUAL", "HOURLY"]
    buf = io.BytesIO()
    wb = openpyxl.Workbook()
    wb.active.title = "national_dl"
    wb.active.append(header)
    wb.active.append(["00-0000", "All Occupations", "total", "1000", "0.1", "20.5", "42640", "0.1",
                      "9", "11", "17", "27", "43", "18720", "22880", "35360", "56160", "89440", None, None])
    wb.active.append(["11-1011", "Chief Executives", "detailed", "10", "3", "#", "#", "1", "40", "60",
                      "#", "#", "#", "83200", "124800", "#", "#", "#", None, "TRUE"])
    wb.save(buf)
    docs = io.BytesIO()
    d = openpyxl.Workbook()
    d.active.append(["#  = indicates a wage greater than or equal to $90.00 per hour or $187,200 per year"])
    d.save(docs)
    path = tmp_path / "oesm15nat.zip"
    with zipfile.ZipFile(path, "w") as zf:
        zf.writestr("oesm15nat/field_descriptions.xlsx", docs.getvalue())
        zf.writestr("oesm15nat/national_M2015_dl.xlsx", buf.getvalue())
    assert connector.detect(path).name == "oews"
    df = OEWSConnector().parse(path)
    assert df.employment.tolist() == [1000.0, 10.0] and df.period.eq(2015).all()
    ceo = df.iloc[1]
    assert np.isnan(ceo.wage_annual_median) and ceo.wage_annual_median_top_code == 187_200
    assert ceo.hourly_only and not ceo.annual_only and ceo.soc_vintage == "2010"
    assert top_code_from_docs(OEWSDocumentationConnector().parse(path)) == (90.0, 187_200.0)

    renamed = tmp_path / "national_M2015_dl.xlsx"
    wb.active.cell(row=1, column=4, value="TOTAL_EMP")
    wb.save(renamed)
    with pytest.raises(LayoutError, match="TOT_EMP"):
        OEWSConnector().parse(renamed)


def test_bad_marker_names_row_and_column(tmp_path: Path) -> None:
    path = _natsector(tmp_path / "natsector_M2024_dl.xlsx", [
        _row("11", "45-2092", "detailed", 100, "n.a.", 30000)])
    with pytest.raises(InputError) as err:
        OEWSStaffingConnector().parse(path)
    assert err.value.column == "PCT_TOTAL" and err.value.row == 2 and "n.a." in str(err.value)


def test_year_needed_for_cross_industry(tmp_path: Path) -> None:
    path = _natsector(tmp_path / "my_download.xlsx", [
        ["99", "U.S.", "1", "US", "000000", "Cross-industry", "cross-industry", "1235", "00-0000", "All",
         "total", 5, *[None] * 20]])
    with pytest.raises(InputError, match="year"):
        OEWSConnector().parse(path)
    assert OEWSConnector().parse(path, year=2023).period.iloc[0] == 2023


def test_soc_vintages() -> None:
    assert [soc_vintage(y) for y in (2006, 2010, 2012, 2019, 2024)] == [
        "2000", "2000/2010 hybrid", "2010", "2010/2018 hybrid", "2018"]


def test_soc_2010_to_2018_crosswalk(fixtures: Path) -> None:
    cw = read_crosswalk(fixtures / "oews" / "soc_2010_to_2018_crosswalk.csv")
    assert len(cw) == 4
    df = pd.DataFrame({"geography": ["01"] * 4, "soc_code": ["11-1011", "15-1132", "15-1133", "29-1141"],
                       "employment": [100.0, 1000.0, 300.0, 50.0]})
    out = to_soc2018(df, cw, value_columns=["employment"]).set_index("soc_code")["employment"]
    # 15-1132 splits equally between 15-1252 and 15-1253; 15-1133 merges into 15-1252
    assert out.to_dict() == {"11-1011": 100.0, "15-1252": 800.0, "15-1253": 500.0, "29-1141": 50.0}
    assert out.sum() == df.employment.sum()
    w = pd.Series({("15-1132", "15-1252"): 0.8, ("15-1132", "15-1253"): 0.2, ("15-1133", "15-1252"): 1.0,
                   ("11-1011", "11-1011"): 1.0})
    out = to_soc2018(df, cw, value_columns=["employment"], weights=w).set_index("soc_code")["employment"]
    assert out["15-1252"] == 1100.0 and out["15-1253"] == 200.0
