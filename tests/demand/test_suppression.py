"""Suppressed QCEW cells estimated from their parent, on tables worked by hand."""

from __future__ import annotations

import pandas as pd
import pytest

from align.demand.industry import regional_industry_employment
from align.demand.suppression import estimate_suppressed


def _slice(area: str, own: str, cells: list[tuple[str, str, float | None, float]]) -> pd.DataFrame:
    return pd.DataFrame([{"area_fips": area, "own_code": own, "qtr": "A", "period": 2020, "naics_code": code,
                          "agglvl_code": lvl, "employment": emp, "is_suppressed": emp is None,
                          "establishments": est} for code, lvl, emp, est in cells])


STATE_GOV = [("10", "71", 56_356.0, 110.0), ("92", "74", 18_251.0, 60.0), ("61", "74", None, 7.0),
             ("62", "74", None, 19.0), ("52", "74", None, 4.0), ("621", "75", 757.0, 14.0),
             ("622", "75", None, 3.0), ("623", "75", None, 2.0)]


def test_parent_minus_disclosed_shared_by_establishments():
    out = estimate_suppressed(_slice("39049", "2", STATE_GOV), areas=["39049"], max_digits=3).set_index("naics_code")
    # 56,356 − 18,251 = 38,105 among 61, 62, 52; 62 holds at least its disclosed 621 (757), and the
    # other 37,348 are shared by 7, 19, 4 establishments (of 30)
    assert out.loc["61", "employment"] == pytest.approx(37_348 * 7 / 30)
    assert out.loc["62", "employment"] == pytest.approx(757 + 37_348 * 19 / 30)
    assert out.loc[["61", "62", "52"], "employment"].sum() == pytest.approx(38_105)
    assert out.loc[["61", "62", "52"], "is_estimated"].all() and not out.loc["92", "is_estimated"]
    assert not out.loc[["61", "62", "52"], "is_suppressed"].any()
    # then 3-digit inside the estimated 62: (62 − 757) shared 3 : 2
    assert out.loc["622", "employment"] == pytest.approx(37_348 * 19 / 30 * 3 / 5)
    assert out.loc["621", "employment"] == 757 and out.loc["622", "estimate_basis"] == "establishments"


def test_a_suppressed_sector_keeps_at_least_its_disclosed_industries():
    # two sectors withheld, no establishments: without floors the 3,600 left would be split in
    # halves, giving mining 1,800 although its disclosed industries show 90 and manufacturing 3,400
    cells = [("10", "71", 5_000.0, 0.0), ("23", "74", 1_400.0, 0.0), ("21", "74", None, 0.0),
             ("31-33", "74", None, 0.0), ("211", "75", 40.0, 0.0), ("213", "75", 50.0, 0.0),
             ("212", "75", None, 0.0), ("321", "75", 3_000.0, 0.0), ("325", "75", None, 0.0),
             ("326", "75", 400.0, 0.0)]
    out = estimate_suppressed(_slice("99005", "5", cells), areas=["99005"], max_digits=3).set_index("naics_code")
    # 5,000 − 1,400 − floors (90 + 3,400) = 110 left, in equal parts: 21 = 145, 31-33 = 3,455
    assert out.loc["21", "employment"] == pytest.approx(145)
    assert out.loc["31-33", "employment"] == pytest.approx(3_455)
    assert out.loc["212", "employment"] == pytest.approx(55)  # 145 − 40 − 50
    assert out.loc["325", "employment"] == pytest.approx(55)  # 3,455 − 3,000 − 400


def test_a_pattern_area_shares_out_instead_of_establishments():
    county = _slice("39049", "2", STATE_GOV[:5])
    state = _slice("39000", "2", [("10", "51", 300_000.0, 900.0), ("61", "54", 90_000.0, 50.0),
                                  ("62", "54", 27_000.0, 40.0), ("52", "54", 3_000.0, 20.0)])
    out = estimate_suppressed(pd.concat([county, state]), areas=["39049"], pattern_areas=["39000"], max_digits=2)
    c = out[out["area_fips"] == "39049"].set_index("naics_code")
    assert c.loc["61", "employment"] == pytest.approx(38_105 * 90 / 120)  # the state's 90 : 27 : 3
    assert c.loc["52", "estimate_basis"] == "pattern area employment"
    s = out[out["area_fips"] == "39000"].set_index("naics_code")
    assert s.loc["61", "employment"] == 90_000 and not s["is_estimated"].any()  # the pattern is not changed


def test_unknown_parent_leaves_the_child_missing():
    cells = [("10", "71", None, 10.0), ("61", "74", None, 5.0), ("92", "74", 100.0, 5.0)]
    out = estimate_suppressed(_slice("39041", "3", cells), areas=["39041"], max_digits=2).set_index("naics_code")
    assert out.loc["61", "is_suppressed"] and pd.isna(out.loc["61", "employment"])
    assert not out["is_estimated"].any()


def test_estimated_public_schools_and_hospitals_land_where_oews_counts_them():
    area = pd.concat([_slice("39049", "2", STATE_GOV[:5]),
                      _slice("39049", "1", [("10", "71", 3_000.0, 20.0), ("48-49", "74", 2_800.0, 5.0),
                                            ("62", "74", 200.0, 1.0)]),
                      _slice("39049", "5", [("10", "71", 1_000.0, 50.0), ("61", "74", 400.0, 10.0),
                                            ("62", "74", 600.0, 40.0)])])
    out = regional_industry_employment(area, region_id="r", counties=["39049"], ownerships=["5"],
                                       naics_digits=2, government_code="99").set_index("naics_code")
    # state 61 and 62 estimated (38,105 × 7/30 and × 19/30) join private 61 and 62; the Postal
    # Service joins 48-49; the state's own 52 part, its 92 and the federal hospital go to 99
    assert out.loc["61", "employment"] == pytest.approx(400 + 38_105 * 7 / 30)
    assert out.loc["62", "employment"] == pytest.approx(600 + 38_105 * 19 / 30)
    assert out.loc["48-49", "employment"] == 2_800
    assert out.loc["99", "employment"] == pytest.approx(18_251 + 38_105 * 4 / 30 + 200)
    assert out.loc[["61", "62", "99"], "is_estimated"].all() and not out.loc["48-49", "is_estimated"]
    assert out["employment"].sum() == pytest.approx(56_356 + 3_000 + 1_000)
