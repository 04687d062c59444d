"""The OE time-series database extract: the same estimates as the OEWS xlsx files, read exactly."""

from __future__ import annotations

import shutil

import pytest

from align import connector
from align.errors import InputError, LayoutError
from align_connectors.oews_database import OEWSDatabaseConnector, geography

FIXTURE = "oews_database/oews_may2025_test_areas_cross_industry.csv"


@pytest.fixture
def table(fixtures):
    return OEWSDatabaseConnector().parse(fixtures / FIXTURE)


def test_registered_and_sniffed(fixtures):
    assert isinstance(connector.get("oews_database"), OEWSDatabaseConnector)
    assert OEWSDatabaseConnector().sniff(fixtures / FIXTURE)
    assert not OEWSDatabaseConnector().sniff(fixtures / "oews" / "soc_2010_to_2018_crosswalk.csv")


def test_area_codes_take_the_xlsx_form():
    assert geography("0018140", "M") == "18140"  # MSA: 00 + CBSA
    assert geography("3900000", "S") == "39"
    assert geography("3900001", "M") == "3900001"  # nonmetropolitan area, as published
    assert geography("0000000", "N") == "99"


def test_values_codes_and_levels(table):
    columbus = table[table["geography"] == "18140"].set_index("soc_code")
    assert columbus.loc["00-0000", "employment"] == 1_105_580
    assert columbus.loc["00-0000", "o_group"] == "total"
    assert columbus.loc["29-0000", "o_group"] == "major"
    rn = columbus.loc["29-1141"]
    assert (rn["o_group"], rn["employment"], rn["wage_annual_median"]) == ("detailed", 30_510, 52_000)
    assert rn["period"] == 2025 and rn["soc_vintage"] == "2018" and rn["area_title"] == "Columbus, OH"


def test_dash_is_missing_with_the_footnote_reason(table):
    c = table[table["geography"] == "18140"].set_index("soc_code")
    mgr = c.loc["11-9041"]  # f01 = 8
    assert mgr["is_suppressed"] and mgr["employment"] != mgr["employment"]
    assert mgr["employment_missing_reason"] == "estimate not released"
    doc = c.loc["29-1215"]  # top-coded median: '-' with f08/f13 = 5; the May 2025 bound is kept
    assert doc["wage_annual_median"] != doc["wage_annual_median"]
    assert doc["wage_annual_median_missing_reason"] == "at or above the top-coded value"
    assert doc["wage_annual_median_top_code"] == 239_200 and doc["wage_hourly_median_top_code"] == 115.0
    assert doc["wage_annual_p10"] == 124_800
    teacher = c.loc["25-2031"]  # annual-only pay: hourly '-' is missing for that reason, not suppressed
    assert teacher["employment"] == 9_210 and not teacher["is_suppressed"]
    assert teacher["hourly_only"] and not teacher["annual_only"]


def test_year_from_name_or_option(fixtures, tmp_path):
    odd = tmp_path / "extract.csv"
    shutil.copy(fixtures / FIXTURE, odd)
    with pytest.raises(InputError, match="reference year"):
        OEWSDatabaseConnector().parse(odd)
    assert set(OEWSDatabaseConnector().parse(odd, year=2024)["period"]) == {2024}


def test_industry_rows_and_bad_numbers_are_refused(fixtures, tmp_path):
    text = (fixtures / FIXTURE).read_text()
    lines = text.splitlines()
    (tmp_path / "m2025_ind.csv").write_text("\n".join([lines[0], lines[3].replace(",000000,291141", ",622000,291141")]))
    with pytest.raises(LayoutError, match="industry_code"):
        OEWSDatabaseConnector().parse(tmp_path / "m2025_ind.csv")
    (tmp_path / "m2025_bad.csv").write_text("\n".join([lines[0], lines[3].replace(",30510,", ",30 510,")]))
    with pytest.raises(InputError, match="not a number") as err:
        OEWSDatabaseConnector().parse(tmp_path / "m2025_bad.csv")
    assert err.value.row == 2


def test_real_columbus_extract(real_data):
    t = OEWSDatabaseConnector().parse(real_data / "derived" / "oews_may2025_ohio_areas_cross_industry.csv")
    assert len(t) == 7_767
    c = t[t["geography"] == "18140"].set_index("soc_code")
    # PROVENANCE.md: Columbus MSA total employment 1,105,580; Ohio 5,550,180
    assert c.loc["00-0000", "employment"] == 1_105_580
    assert t.set_index(["geography", "soc_code"]).loc[("39", "00-0000"), "employment"] == 5_550_180
    assert (c["o_group"] == "detailed").sum() == 616
