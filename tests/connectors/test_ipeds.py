"""IPEDS connectors: completions (C_A), institution directory (HD), codebook and Trend Generator."""

from __future__ import annotations

import zipfile
from pathlib import Path

import pandas as pd
import pytest

from align import connector
from align.cli import main
from align.errors import CodeError, InputError, LayoutError
from align_connectors.ipeds import (
    IPEDSCodebookConnector,
    IPEDSCompletionsConnector,
    IPEDSDirectoryConnector,
    IPEDSTrendConnector,
    award_levels,
)

C_A = IPEDSCompletionsConnector()
HD = IPEDSDirectoryConnector()

# Sum of CTOTALT over the CIP "99" grand-total rows per file, from PROVENANCE.md (hand-checked).
CIP99_TOTALS = {2020: 5_203_844, 2021: 5_315_767, 2022: 5_310_086, 2023: 5_297_774,
                2024: 5_459_862}


# -- fixtures in the NCES layouts -----------------------------------------------------------


def test_c_a_csv_layout(fixtures: Path) -> None:
    df = C_A.parse(fixtures / "ipeds" / "c2023_a.csv")
    # CIP 99 totals and the second-major row are dropped; year from the file name
    assert len(df) == 4
    assert set(df["cip_code"]) == {"01.0101", "11.0701", "51.3801"}
    assert (df["year"] == 2023).all()
    assert df["award_level"].tolist() == ["5", "20", "21", "3"]
    row = df[(df.provider_id == "100654") & (df.cip_code == "01.0101")].iloc[0]
    assert row.completers == 12 and row.completers_men == 2 and row.completers_women == 10
    # a program reported with zero awards stays a zero (it is a count, not suppression)
    assert df.loc[df.award_level == "21", "completers"].item() == 0
    assert df["vintage"].unique().tolist() == ["C2023_A"]


def test_c_a_programs_add_up_to_cip99_totals(fixtures: Path) -> None:
    both = C_A.parse(fixtures / "ipeds" / "c2023_a.csv", include_totals=True)
    totals = both[both.cip_code == "99"].groupby(["provider_id", "award_level"])["completers"].sum()
    programs = both[both.cip_code != "99"].groupby(["provider_id", "award_level"])["completers"].sum()
    pd.testing.assert_series_equal(totals, programs)


def test_c_a_second_majors_option(fixtures: Path) -> None:
    df = C_A.parse(fixtures / "ipeds" / "c2023_a.csv", majors="all")
    row = df[(df.provider_id == "100654") & (df.cip_code == "01.0101")].iloc[0]
    assert row.completers == 15  # 12 first majors + 3 second majors


def test_c_a_zip_and_year_option(fixtures: Path, tmp_path: Path) -> None:
    z = tmp_path / "C2023_A.zip"
    with zipfile.ZipFile(z, "w") as zf:
        zf.write(fixtures / "ipeds" / "c2023_a.csv", "c2023_a.csv")
    assert C_A.sniff(z)
    assert len(C_A.parse(z)) == 4
    plain = tmp_path / "completions.csv"
    plain.write_bytes((fixtures / "ipeds" / "c2023_a.csv").read_bytes())
    with pytest.raises(InputError, match="year"):
        C_A.parse(plain)
    assert (C_A.parse(plain, year=2022)["year"] == 2022).all()


def test_c_a_errors_name_the_place(fixtures: Path) -> None:
    with pytest.raises(CodeError) as err:
        C_A.parse(fixtures / "ipeds" / "c2023_a_badcip.csv")
    assert err.value.row == 3 and err.value.column == "CIPCODE"
    with pytest.raises(LayoutError, match="CTOTALT"):
        C_A.parse(fixtures / "ipeds" / "c2023_a_renamed.csv")


@pytest.mark.parametrize("name", ["hd2023.csv", "hd2023_bom.csv"])
def test_hd_encodings_and_codes(fixtures: Path, name: str) -> None:
    df = HD.parse(fixtures / "ipeds" / name).set_index("provider_id")
    assert df.loc["100654", "county_fips"] == "01089"  # COUNTYCD 1089 zero-padded
    assert df.loc["100654", "state_fips"] == "01"  # FIPS " 1" with its leading space
    assert df.loc["204796", "cbsa"] == "18140"
    assert df.loc["999901", "provider_name"] == "École Supérieure de Test"
    assert pd.isna(df.loc["999901", "county_fips"]) and pd.isna(df.loc["999901", "cbsa"])
    assert pd.isna(df.loc["999901", "county_name"])
    assert (df["provider_kind"] == "ipeds").all()
    assert df["vintage"].unique().tolist() == ["HD2023"]


def test_trend_small(fixtures: Path) -> None:
    df = IPEDSTrendConnector().parse(fixtures / "ipeds" / "TrendGenerator-Table-small.csv")
    assert len(df) == 9  # 3 rows x 3 categories; the Source: footnote is not data
    t = df.set_index(["year", "award_label", "highest_degree_offered"])
    assert t.loc[(2020, "Total", "Total"), "completers"] == 5_132_514
    na = t.loc[(2020, "Bachelor's degree", "Non-degree granting")]
    assert pd.isna(na["completers"]) and na["completers_missing_reason"] == "not applicable (N/A)"
    assert t.loc[(2020, "Total", "Doctor's degree - professional practice"), "completers"] == 329_291


def test_award_levels_without_codebook() -> None:
    levels = award_levels().set_index("award_level")["award_label"]
    assert list(levels.index) == ["1", "2", "3", "4", "5", "6", "7", "8", "17", "18", "19", "20", "21"]
    assert levels["20"] == "Certificates of less than 12 weeks"


# -- real published files ------------------------------------------------------------------


@pytest.fixture(scope="module")
def completions(real_data: Path) -> dict[int, pd.DataFrame]:
    folder = real_data / "ipeds" / "completions_c_a"
    return {y: C_A.parse(folder / f"c{y}_a.parquet", include_totals=True) for y in CIP99_TOTALS}


def test_real_completions_totals(completions: dict[int, pd.DataFrame]) -> None:
    for year, frame in completions.items():
        assert (frame["year"] == year).all()
        total = frame.loc[frame.cip_code == "99", "completers"].sum()
        programs = frame.loc[frame.cip_code != "99", "completers"].sum()
        assert total == CIP99_TOTALS[year]
        assert programs == CIP99_TOTALS[year]  # programs add up to the published grand totals
    # award levels 20 and 21 exist from 2019-20; code 1 does not
    levels = set(completions[2024]["award_level"])
    assert {"20", "21"} <= levels and "1" not in levels


def test_real_ohio_state_bachelors(completions: dict[int, pd.DataFrame]) -> None:
    # PROVENANCE.md: Ohio State (204796), CIP 99, AWLEVEL 5: 11,720 (2020) ... 11,620 (2024)
    for year, expected in ((2020, 11_720), (2024, 11_620)):
        f = completions[year]
        osu = f[(f.provider_id == "204796") & (f.award_level == "5")]
        assert osu.loc[osu.cip_code == "99", "completers"].item() == expected
        assert osu.loc[osu.cip_code != "99", "completers"].sum() == expected


def test_real_completions_rows(real_data: Path, completions: dict[int, pd.DataFrame]) -> None:
    path = real_data / "ipeds" / "completions_c_a" / "c2024_a.parquet"
    assert connector.detect(path).name == "ipeds_completions"
    df = completions[2024]
    # 286,979 rows, of which 19,384 are CIP 99 totals (PROVENANCE.md)
    assert len(df) == 286_979 and (df.cip_code == "99").sum() == 19_384


def test_real_completions_through_cli(real_data: Path, tmp_path: Path) -> None:
    path = real_data / "ipeds" / "completions_c_a" / "c2020_a.parquet"
    out = tmp_path / "c2020.parquet"
    assert main(["ingest", "ipeds_completions", str(path), "-o", str(out)]) == 0
    df = pd.read_parquet(out)
    assert df["completers"].sum() == CIP99_TOTALS[2020]
    assert "99" not in set(df["cip_code"])
    assert df["cip_code"].str.match(r"^\d{2}\.\d{4}$").all()


@pytest.fixture(scope="module")
def hd(real_data: Path) -> dict[str, pd.DataFrame]:
    return {n: HD.parse(real_data / "ipeds" / f"{n}.csv") for n in ("hd2022", "hd2024")}


def test_real_hd(real_data: Path, hd: dict[str, pd.DataFrame]) -> None:
    assert len(hd["hd2022"]) == 6_256 and len(hd["hd2024"]) == 6_072
    h24 = hd["hd2024"]
    columbus = h24[h24.cbsa == "18140"]
    assert len(columbus) == 38  # PROVENANCE.md: 38 institutions in CBSA 18140 ...
    assert (columbus.county_fips == "39049").sum() == 28  # ... 28 of them in Franklin County
    osu = h24.set_index("provider_id").loc["204796"]
    assert "Ohio State University" in osu.provider_name
    assert osu.county_fips == "39049" and osu.state_fips == "39" and osu.state_abbr == "OH"
    aamu = hd["hd2022"].set_index("provider_id").loc["100654"]
    assert aamu.county_fips == "01089" and aamu.state_fips == "01"
    # Windows-1252 names decode (hd2022 is not UTF-8)
    h22 = hd["hd2022"].set_index("provider_id")
    assert h22.loc["430935", "provider_name"] == "Colegio de Cinematografía Artes y Television"
    assert h22.loc["241225", "city"] == "Bayamón"
    for name in ("hd2022.csv", "hd2024.csv"):
        assert connector.detect(real_data / "ipeds" / name).name == "ipeds_hd"


def test_real_hd_through_cli(real_data: Path, tmp_path: Path) -> None:
    out = tmp_path / "providers.csv"
    assert main(["ingest", str(real_data / "ipeds" / "hd2024.csv"), "-o", str(out)]) == 0
    df = pd.read_csv(out, dtype=str)
    assert len(df) == 6_072
    assert df.set_index("provider_id").loc["100654", "county_fips"] == "01089"


def test_real_codebook_and_award_labels(real_data: Path, tmp_path: Path) -> None:
    path = real_data / "ipeds" / "completions_c_a" / "varlist.xlsx"
    assert connector.detect(path).name == "ipeds_codebook"
    book = IPEDSCodebookConnector().parse(path)
    assert book["vintage"].unique().tolist() == ["C2024_A"]
    variables = book[book.code_value.isna()]
    assert len(variables) == 34  # Varlist: UNITID, CIPCODE, ..., CNRALW
    maj = book[(book.variable_name == "MAJORNUM") & (book.code_value == "1")].iloc[0]
    assert maj.frequency == 286_979 and maj.value_label == "First major"
    levels = award_levels(book).set_index("award_level")["award_label"]
    assert levels["21"] == "Certificates of at least 12 weeks but less than 1 year"
    assert levels["3"] == "Associate's degree"
    assert main(["ingest", "ipeds_codebook", str(path), "-o", str(tmp_path / "cb.csv")]) == 0


def test_real_trend_generator(real_data: Path, tmp_path: Path) -> None:
    path = real_data / "ipeds" / "TrendGenerator-Table-All-Years.csv"
    assert connector.detect(path).name == "ipeds_trend"
    out = tmp_path / "trend.csv"
    assert main(["ingest", str(path), "-o", str(out)]) == 0
    df = IPEDSTrendConnector().parse(path).set_index(["year", "award_label", "highest_degree_offered"])
    # hand-read: 2020,Total,"5,132,514",... ; 2020,Associate's degree,... Associate's column 689,905
    assert df.loc[(2020, "Total", "Total"), "completers"] == 5_132_514
    assert df.loc[(2020, "Associate's degree", "Associate's degree"), "completers"] == 689_905
    assert pd.isna(df.loc[(2020, "Bachelor's degree", "Non-degree granting"), "completers"])
    assert sorted(df.index.get_level_values("year").unique()) == list(range(2009, 2021))
