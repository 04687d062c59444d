"""State QCEW exports: New York's layout, a hand-made export in it, and the real 2000–2012 files."""

from __future__ import annotations

import math
from pathlib import Path

import pandas as pd
import pytest
from frames import row

from align import connector
from align.demand.industry import regional_industry_employment
from align.errors import CodeError, InputError, LayoutError
from align_connectors.qcew import QCEWConnector
from align_connectors.state_qcew import NewYorkQCEWConnector, county_fips

NY = NewYorkQCEWConnector()
HEADER = '"AREATYPE","AREA","NAICS","TITLE","YEAR","ESTAB","AVGEMP","TOTWAGE","ANNAVGSAL"'


@pytest.fixture(scope="module")
def small(fixtures: Path) -> pd.DataFrame:
    return NY.parse(fixtures / "qcew_ny" / "qcew_annual_2011.txt")


def write(tmp_path: Path, *lines: str) -> Path:
    path = tmp_path / "qcew_annual_2011.txt"
    path.write_bytes(("\r\n".join([HEADER, *lines]) + "\r\n").encode())
    return path


# ---- hand-made export in the published layout (CRLF, quoted text, unquoted codes, tab in TITLE)

def test_sniff_finds_the_state_layout_and_not_the_bls_one(fixtures: Path) -> None:
    ny = fixtures / "qcew_ny" / "qcew_annual_2011.txt"
    assert connector.detect(ny).name == "qcew_ny"
    assert not NY.sniff(fixtures / "qcew" / "2024-a-39049.csv")
    assert not QCEWConnector().sniff(ny)


def test_areas_by_type_and_name(small: pd.DataFrame) -> None:
    areas = small.drop_duplicates("area_fips").set_index("area_fips")
    assert areas.loc["36000", "area_type"] == "State"
    assert areas.loc["36001", "area_title"] == "Albany County"
    assert areas.loc["36089", "area_title"] == "St. Lawrence County"
    assert areas.loc["36-lma-capital-region", "area_type"] == "Labor Market Area"
    assert "36-micro-auburn-ny-micropolitan-statistical-area" in areas.index  # comma inside quotes


def test_ownership_folded_into_codes_becomes_bls_own_codes(small: pd.DataFrame) -> None:
    albany = small[small["area_fips"] == "36001"]
    total = row(albany, industry_published="00")
    assert (total["own_code"], total["naics_code"], total["agglvl_code"]) == ("0", "10", "70")
    assert total["employment"] == 500
    assert row(albany, industry_published="01")[["own_code", "naics_code"]].tolist() == ["5", "10"]
    assert row(albany, industry_published="95")["own_code"] == "8"
    local = row(albany, industry_published="953")
    assert (local["own_code"], local["naics_code"], local["agglvl_code"], local["employment"]) == (
        "3", "10", "71", 90)
    health = row(albany, naics_code="62")
    assert (health["own_code"], health["agglvl_code"], health["employment"]) == ("5", "74", 230)
    assert row(albany, naics_code="621")["agglvl_code"] == "75"
    assert row(small[small["area_fips"] == "36-lma-capital-region"], industry_published="00")[
        "agglvl_code"] == "90"


def test_sector_ranges_and_titles_without_the_tab(small: pd.DataFrame) -> None:
    manufacturing = row(small[small["area_fips"] == "36000"], industry_published="31")
    assert manufacturing["naics_code"] == "31-33"
    assert manufacturing["industry_title"] == "NAICS 31-33: Manufacturing"
    retail = small[small["area_fips"].str.startswith("36-micro-auburn")]
    assert row(retail, industry_published="44")["naics_code"] == "44-45"


def test_absent_children_are_missing_and_flagged_where_the_parent_shows_them(small: pd.DataFrame) -> None:
    albany = small[small["area_fips"] == "36001"]
    # private total 400 minus published sectors 150 + 230 leaves 20 jobs: sector 11 is hidden
    farm = row(albany, naics_code="11")
    assert farm["is_suppressed"] and math.isnan(farm["employment"])
    assert "20 jobs" in farm["missing_reason"]
    # children of a hidden sector are hidden too, not absent
    assert row(albany, naics_code="111")["is_suppressed"]
    assert row(albany, naics_code="112")["is_suppressed"]
    # manufacturing 150 with no published subsector: 311 hidden
    assert row(albany, naics_code="311")["is_suppressed"]
    # health 230 vs 229 in 621 is rounding: hospitals have no establishments there, so no row
    assert albany[albany["naics_code"] == "622"].empty
    # government 100 = federal 10 + local 90: no state-government row
    assert albany[albany["industry_published"] == "952"].empty
    capital = small[small["area_fips"] == "36-lma-capital-region"]
    assert set(capital.loc[capital["is_suppressed"], "industry_published"]) == {
        "621", "622", "951", "952", "953"}
    # a fully published county gets no invented rows
    assert not small.loc[small["area_fips"] == "36089", "is_suppressed"].any()
    assert (small["employment"].dropna() > 0).all()  # absence never becomes zero


def test_regional_employment_arranges_government_as_oews_counts_it(small: pd.DataFrame) -> None:
    kw = {"region_id": "r", "counties": ["36001", "36089"], "ownerships": ["1", "2", "3", "5"],
          "naics_digits": 2, "government_code": "99"}
    by = regional_industry_employment(small, estimate=False, **kw).set_index("naics_code")
    assert by.loc["62", "employment"] == 330
    assert by.loc["31-33", "employment"] == 150
    assert by.loc["99", "employment"] == 100  # federal 10 + local 90
    assert by.loc["11", "is_suppressed"] and math.isnan(by.loc["11", "employment"])
    # estimated: the private total's 20 unaccounted jobs go to Albany's two hidden sectors (11,
    # and 44-45, which the file publishes for another area), never more, never zero
    by = regional_industry_employment(small, **kw).set_index("naics_code")
    assert by.loc[["11", "44-45"], "employment"].sum() == 20
    assert by.loc[["11", "44-45"], "is_estimated"].all()


def test_private_unclassified_99_is_shared_out_not_counted_as_government(tmp_path: Path) -> None:
    # the export's 99 is private "Unclassified" (inside 01); OEWS's 99 is government: 10 unclassified
    # jobs go to sectors 62 and 31 in proportion (300:100), government stays federal + local
    path = write(tmp_path,
                 '"County","Albany County",00,"NAICS 00: Total, All Industries\t",2011,40,520,1,1',
                 '"County","Albany County",01,"NAICS 01: Total, All Private\t",2011,35,410,1,1',
                 '"County","Albany County",31,"NAICS 31-33: Manufacturing\t",2011,5,100,1,1',
                 '"County","Albany County",62,"NAICS 62: Health Care and Social Assistance\t",2011,20,300,1,1',
                 '"County","Albany County",95,"Total, All Government\t",2011,5,110,1,1',
                 '"County","Albany County",951,"Federal Government\t",2011,1,20,1,1',
                 '"County","Albany County",953,"Local Government\t",2011,4,90,1,1',
                 '"County","Albany County",99,"Unclassified\t",2011,10,10,1,1')
    table = NY.parse(path)
    assert row(table, industry_published="99")[["own_code", "naics_code", "agglvl_code"]].tolist() == [
        "5", "99", "74"]  # as BLS writes it: a private sector
    by = regional_industry_employment(table, region_id="r", counties=["36001"], ownerships=["5"],
                                      naics_digits=2, government_code="99", estimate=False).set_index("naics_code")
    assert by.loc["99", "employment"] == 110
    assert pd.isna(by.loc["99", "industry_title"])  # not "Unclassified", not "Federal Government"
    assert by.loc["62", "employment"] == 307.5 and by.loc["31-33", "employment"] == 102.5
    assert by["employment"].sum() == 520  # every job counted once


def test_unknown_county_names_its_row(tmp_path: Path) -> None:
    path = write(tmp_path, '"County","Albany County",00,"NAICS 00: Total\t",2011,5,50,100,2',
                 '"County","Gotham County",00,"NAICS 00: Total\t",2011,5,50,100,2')
    with pytest.raises(InputError, match="Gotham County") as err:
        NY.parse(path)
    assert err.value.row == 3


def test_unknown_area_type_and_bad_codes_are_errors(tmp_path: Path) -> None:
    with pytest.raises(InputError, match="Planet"):
        NY.parse(write(tmp_path, '"Planet","Earth",00,"NAICS 00: Total\t",2011,5,50,100,2'))
    with pytest.raises(CodeError, match=r"1\.0"):
        NY.parse(write(tmp_path, '"State","New York State",1.0,"x\t",2011,5,50,100,2'))
    with pytest.raises(InputError, match="not a number") as err:
        NY.parse(write(tmp_path, '"State","New York State",00,"x\t",2011,5,fifty,100,2'))
    assert (err.value.row, err.value.column) == (2, "AVGEMP")


def test_truncated_file_and_unknown_options_are_refused(tmp_path: Path, fixtures: Path) -> None:
    with pytest.raises(LayoutError, match="truncated"):
        NY.parse(write(tmp_path, '"State","New York State",00,"x\t",2011,5,50,100,2',
                       '"State","New York State",01,"x\t",2011,5'))
    with pytest.raises(InputError, match="unknown option"):
        NY.parse(fixtures / "qcew_ny" / "qcew_annual_2011.txt", year=2011)


# ---- the real New York State DOL export, 2000-2012 --------------------------------------------

@pytest.fixture(scope="module")
def real_years(real_data: Path) -> dict[int, pd.DataFrame]:
    folder = real_data / "qcew_ny"
    return {y: NY.parse(folder / f"qcew_annual_{y}.txt") for y in (2000, 2007, 2012)}


def test_real_hand_read_figures(real_years: dict[int, pd.DataFrame]) -> None:
    for year, jobs in ((2000, 26_243), (2012, 30_587)):
        albany = real_years[year][real_years[year]["area_fips"] == "36001"]
        assert row(albany, naics_code="62")["employment"] == jobs
    state = real_years[2012][real_years[2012]["area_fips"] == "36000"]
    total = row(state, own_code="0", naics_code="10")
    assert (total["employment"], total["establishments"]) == (8_554_452, 590_884)
    # all industries = private + government, as published
    assert row(state, own_code="5", naics_code="10")["employment"] + row(
        state, own_code="8", naics_code="10")["employment"] == 8_554_452


def test_real_files_cover_every_county_and_region(real_years: dict[int, pd.DataFrame]) -> None:
    for table in real_years.values():
        counties = table.loc[table["area_type"] == "County", "area_fips"].unique()
        assert len(counties) == 62
        assert table.loc[table["area_type"] == "Labor Market Area", "area_fips"].nunique() == 10
        assert table["naics_code"].map(type).eq(str).all()
    # 2000 still publishes a private public-administration sector (92) beneath the private total
    assert not real_years[2000][real_years[2000]["naics_code"] == "92"].empty


def test_county_fips_table_matches_ipeds(real_data: Path) -> None:
    hd = pd.read_csv(real_data / "ipeds" / "hd2022.csv", dtype=str, encoding="latin-1",
                     usecols=["STABBR", "COUNTYCD", "COUNTYNM"])
    ny = hd[hd["STABBR"] == "NY"].drop_duplicates("COUNTYCD")
    table = county_fips("36")
    assert len(table) == 62
    assert all(table[name] == code for code, name in zip(ny["COUNTYCD"], ny["COUNTYNM"], strict=True))


def test_real_unclassified_99_is_not_folded_into_government(real_years: dict[int, pd.DataFrame]) -> None:
    monroe = real_years[2012][real_years[2012]["area_fips"] == "36055"]
    assert row(monroe, industry_published="99")["employment"] == 321  # private, unclassified
    by = regional_industry_employment(real_years[2012], region_id="m", counties=["36055"], ownerships=["5"],
                                      naics_digits=2, government_code="99",
                                      pattern_areas=["36000"]).set_index("naics_code")
    assert by.loc["99", "employment"] == 46_503  # Monroe's published "Total, All Government"
    assert pd.isna(by.loc["99", "industry_title"])  # not "Unclassified", not "Federal Government"
    assert by["employment"].sum() == pytest.approx(372_864)  # total, all industries, as published
