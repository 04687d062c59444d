"""The Census occupation index as training titles: layouts, broad codes, restrictions, context."""

from __future__ import annotations

from pathlib import Path

import pandas as pd
import pytest

from align.errors import InputError, LayoutError
from align.postings import autocoder as ac
from align.postings.census_index import (
    PUBLISHED,
    Restriction,
    expand_codes,
    parse_restriction,
    read_census_index,
)
from align.postings.industry import census_ranges
from align.postings.titles import normalise_title, title_features

FIXTURES = Path(__file__).resolve().parents[1] / "fixtures" / "autocode"
INDEX = FIXTURES / "census_index_2022.csv"


def test_index_titles_are_normalised_like_postings() -> None:
    assert normalise_title("Welder\\ ns") == "welder"
    assert normalise_title("Assembler\\ ns or other specified nec") == "assembler"
    assert normalise_title("Mechanic farm implement exc engine") == "mechanic farm implement"
    assert normalise_title("Kindergarten teachers, except special education") == "kindergarten teacher"
    assert set(title_features("mechanic bicycle")) == set(title_features("bicycle mechanic"))


def test_read_index_drops_cross_references() -> None:
    index = read_census_index(INDEX)
    assert list(index.columns) == list(PUBLISHED.values())
    assert len(index) == 23  # 24 rows, one 'See "Assembler"' without a code
    assert index.loc[index["title"] == "Logger\\ ns", "census_industry_restriction"].item() == "0270, 3770"


def test_read_index_as_published_workbook(tmp_path: Path) -> None:
    """The Census workbook: five title rows, then the header, then the titles."""
    rows = [["2022 Census Occupation Index", "", "", ""], [""] * 4, ["Sept 2024", "", "", ""], [""] * 4,
            [""] * 4, list(PUBLISHED),
            ["Mechanic bicycle", "", "7260", "49-3091"], ["Logger all round", "", "6130", "45-4020"]]
    path = tmp_path / "Census-2022-Occupation-Index_Final.xlsx"
    pd.DataFrame(rows).to_excel(path, header=False, index=False, sheet_name="OccupationIndexWebSept24")
    index = read_census_index(path)
    assert list(index["soc_code_2018"]) == ["49-3091", "45-4020"]
    bad = tmp_path / "bad.csv"
    bad.write_text("title,soc\nWelder,51-4121\n")
    with pytest.raises(LayoutError, match="missing column"):
        read_census_index(bad)
    bad.write_text("title,census_industry_restriction,census_occupation_code_2018,soc_code_2018\n"
                   "Welder,,8140,514121\n")
    with pytest.raises(LayoutError, match="row 2"):
        read_census_index(bad)


def test_broad_and_combined_codes_support_every_detailed_code_under_them() -> None:
    known = {"45-4021", "45-4023", "13-2053", "13-2011", "53-1043", "53-1049", "51-9111"}
    out = expand_codes(["45-4020", "13-20XX", "53-1000", "51-4XXX", "51-9111"], known)
    assert out["45-4020"] == ("45-4021", "45-4023")
    assert out["13-20XX"] == ("13-2011", "13-2053")
    assert out["53-1000"] == ("53-1043", "53-1049")
    assert out["51-9111"] == ("51-9111",)
    assert "51-4XXX" not in out  # no known detailed code under it: it supports nothing


def test_training_rows_share_a_broad_codes_weight() -> None:
    t = ac.training_titles(FIXTURES / "db_28_1_text", INDEX)
    logger = t[t["title"] == "Logger\\ ns"]
    assert set(logger["soc_code"]) == {"45-4021", "45-4023"} and logger["weight"].tolist() == [0.5, 0.5]
    assert not t["soc_code"].str.contains("X|0$").any()
    assert set(t.loc[t["title_source"] == "census", "vintage"]) == {"Census 2022 Alphabetical Index"}


@pytest.mark.parametrize(("text", "expected"), [
    ("", Restriction()),
    ("8680-8690", Restriction(allowed=((8680, 8690),))),
    ("Exc. 8191, 8192, 8680-8690", Restriction(excluded=((8191, 8191), (8192, 8192), (8680, 8690)))),
    ("0570-0690, 1070-3990 exc. 1190, 6471", Restriction(allowed=((570, 690), (1070, 3990)),
                                                          excluded=((1190, 1190), (6471, 6471)))),
    ("(1280)", Restriction(allowed=((1280, 1280),), usual=True)),
    ("#6090", Restriction(allowed=((6090, 6090),))),
    ("GOV, OWN, PR 9470", Restriction(allowed=((9470, 9470),))),
    ("\\ Any not listed", Restriction(otherwise=True)),
])
def test_parse_restriction(text: str, expected: Restriction) -> None:
    assert parse_restriction(text) == expected


def test_naics_to_census_industry_blocks() -> None:
    assert census_ranges("622110") == ((8191, 8192),)  # hospitals
    assert census_ranges("722511") == ((8680, 8690),)  # restaurants
    assert census_ranges("31-33") == ((1070, 3990),)
    assert census_ranges("541110") == ((7270, 7490),)
    assert census_ranges(None) == () and census_ranges("n/a") == ()


def test_census_model_codes_inverted_titles_and_notes(census_model: ac.Autocoder) -> None:
    out = ac.code_titles(["Bicycle Mechanic", "Welder", "Farm Implement Mechanic",
                          "Foreign Exchange Trader"], census_model, threshold=0)
    # 13-20XX supports every 13-20 code the coder knows: here only 13-2053
    assert list(out["autocode_soc_code"]) == ["49-3091", "51-4121", "49-3041", "13-2053"]
    assert out.loc[0, "autocode_soc_title"] == "Mechanic bicycle"  # no O*NET title for 49-3091 here


def test_a_broad_code_is_a_close_call_between_real_codes(census_model: ac.Autocoder) -> None:
    """"Logger\\ ns" is 45-4020 in the index: it supports 45-4021 and 45-4023 equally, so the coder
    names one of them (never 45-4020) and flags the close call."""
    out = ac.code_titles(["Logger"], census_model, threshold=0)
    assert out.loc[0, "autocode_soc_code"] in {"45-4021", "45-4023"}
    assert out.loc[0, "autocode_review"]
    assert out.loc[0, "autocode_review_reason"].startswith("close call: 45-402")


def test_industry_steers_restricted_titles(census_model: ac.Autocoder) -> None:
    """"Supervisor\\ ns": 35-1012 in food service, 11-9111 in hospitals, 43-1011 elsewhere."""
    out = ac.code_titles(["Supervisor"] * 4, census_model, threshold=0,
                         industry=["722511", "622110", "541110", None])
    assert list(out["autocode_soc_code"][:3]) == ["35-1012", "11-9111", "43-1011"]
    assert out.loc[3, "autocode_review"]  # without an industry the three are a close call


def test_description_reorders_the_titles_candidates(fixture_model: ac.Autocoder) -> None:
    """O*NET lists "Programmer Analyst" under 15-1251 and 15-1252; the title leans to 15-1251, a
    description of designing software (15-1252's O*NET description) tips it to 15-1252. A
    description cannot bring in a code the title does not support."""
    out = ac.code_titles(["Programmer Analyst"] * 3 + ["Welder"], fixture_model, threshold=0,
                         context=["", "research, design and develop computer and network software", None,
                                  "research, design and develop computer and network software"])
    assert list(out["autocode_soc_code"]) == ["15-1251", "15-1252", "15-1251", "51-4121"]
    with pytest.raises(InputError, match="differ in length"):
        ac.code_titles(["Nurse"], fixture_model, context=["a", "b"])
