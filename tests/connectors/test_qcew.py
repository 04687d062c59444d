"""QCEW open-data CSV slices: real MORPC copies, hand-made slices in the BLS layouts, fetch."""

from __future__ import annotations

import math
import zipfile
from pathlib import Path

import pandas as pd
import pytest
import responses
from frames import row

from align import connector
from align.cli import main
from align.errors import InputError, LayoutError
from align.fetch import FetchRequest, fetch_all
from align.http import Session
from align.rawstore import RawStore
from align_connectors.qcew import QCEWConnector, slice_url

QCEW = QCEWConnector()
REAL_FILES = [f"morpc-qcew-2020-{q}-{fips}.csv" for q in "1234a" for fips in ("39041", "39049")] + [
    "morpc-qcew-2020-a-39047.csv", "morpc-qcew-2020-a-39073.csv"]


# ---- real files -------------------------------------------------------------------------------

@pytest.fixture(scope="module")
def real_tables(real_data: Path) -> dict[str, pd.DataFrame]:
    return {name: QCEW.parse(real_data / "qcew" / name) for name in REAL_FILES}


def test_every_real_file_parses_and_is_detected(real_data: Path, real_tables) -> None:
    assert len(real_tables) == 12
    for name, df in real_tables.items():
        path = real_data / "qcew" / name
        assert connector.detect(path).name == "qcew", name
        expected_rows = {"39049": 2255, "39041": 1553, "39047": 814, "39073": 782}[name[-9:-4]]
        assert len(df) == expected_rows, name
        assert set(df["qtr"]) == ({"A"} if "-a-" in name else {name.split("-")[3]})
        assert (df["period"] == 2020).all()


def test_franklin_2020_annual_total_hand_read(real_tables) -> None:
    # morpc-qcew-2020-a-39049.csv line 2: 39049,0,10,70,0,2020,A,,34674,727016,45718355278,...,1209,62885
    df = real_tables["morpc-qcew-2020-a-39049.csv"]
    total = row(df, own_code="0", naics_code="10")
    assert total.area_fips == "39049" and total.agglvl_code == "70" and total.size_code == "0"
    assert total.employment == 727016 and total.establishments == 34674
    assert total.total_wages == 45718355278 and total.avg_annual_pay == 62885
    assert total.avg_weekly_wage == 1209 and not total.is_suppressed
    assert total.disclosure_code is None and total.vintage == "QCEW 2020 annual averages"


def test_other_counties_annual_totals_hand_read(real_tables) -> None:
    # line 2 of each file: Delaware 5891 estabs / 84743 jobs / pay 62299; Fayette 633 / 10609 /
    # 40744; Hocking 564 / 6473 / 35144
    for fips, estabs, emp, pay in [("39041", 5891, 84743, 62299), ("39047", 633, 10609, 40744),
                                   ("39073", 564, 6473, 35144)]:
        total = row(real_tables[f"morpc-qcew-2020-a-{fips}.csv"], own_code="0", naics_code="10")
        assert (total.establishments, total.employment, total.avg_annual_pay) == (estabs, emp, pay)


def test_quarterly_employment_is_mean_of_the_three_months(real_tables) -> None:
    # morpc-qcew-2020-1-39049.csv line 2: months 762786, 763327, 757110; 34378 estabs;
    # total_qtrly_wages 12103303452; avg_wkly_wage 1223
    q1 = row(real_tables["morpc-qcew-2020-1-39049.csv"], own_code="0", naics_code="10")
    assert q1.employment == pytest.approx((762786 + 763327 + 757110) / 3)
    assert q1.establishments == 34378 and q1.total_wages == 12103303452
    assert q1.avg_weekly_wage == 1223 and math.isnan(q1.avg_annual_pay) and q1.qtr == "1"
    # Delaware Q4 line 2: 86721, 86975, 86607
    q4 = row(real_tables["morpc-qcew-2020-4-39041.csv"], own_code="0", naics_code="10")
    assert q4.employment == pytest.approx((86721 + 86975 + 86607) / 3)


def test_suppressed_rows_are_missing_not_zero(real_tables) -> None:
    # N rows counted with awk on column 8: Franklin annual 756, Fayette 599, Hocking 575,
    # Delaware annual 821, Franklin Q1 781. Their values are published as 0.
    counts = {"morpc-qcew-2020-a-39049.csv": 756, "morpc-qcew-2020-a-39047.csv": 599,
              "morpc-qcew-2020-a-39073.csv": 575, "morpc-qcew-2020-a-39041.csv": 821,
              "morpc-qcew-2020-1-39049.csv": 781}
    for name, n in counts.items():
        df = real_tables[name]
        sup = df[df["is_suppressed"]]
        assert len(sup) == n, name
        assert (sup["disclosure_code"] == "N").all()
        for col in ("employment", "total_wages", "avg_weekly_wage"):
            assert sup[col].isna().all(), (name, col)
        assert sup["missing_reason"].str.contains("confidentiality").all()
    # line: 39049,2,1023,73,0,2020,A,N,4,0,... — establishments stay published, employment NaN
    state_gov = row(real_tables["morpc-qcew-2020-a-39049.csv"], own_code="2", naics_code="1023")
    assert state_gov.is_suppressed and state_gov.establishments == 4
    assert math.isnan(state_gov.employment) and math.isnan(state_gov.avg_annual_pay)


def test_quarterly_dash_rows_are_no_report_not_suppression(real_tables) -> None:
    # Franklin Q1 has 11 rows with disclosure '-' (all zeros), e.g. 39049,5,221118,78,0,2020,1,-,0,0,...
    df = real_tables["morpc-qcew-2020-1-39049.csv"]
    dash = df[df["disclosure_code"] == "-"]
    assert len(dash) == 11
    assert not dash["is_suppressed"].any()
    assert dash[["employment", "establishments", "total_wages"]].isna().all().all()
    assert dash["missing_reason"].str.contains("no establishment reported").all()
    assert "221118" in set(dash["naics_code"])
    # the same industry has one (suppressed) establishment in Q3
    q3 = row(real_tables["morpc-qcew-2020-3-39049.csv"], own_code="5", naics_code="221118")
    assert q3.is_suppressed and q3.establishments == 1


def test_codes_are_text_as_published(real_tables) -> None:
    df = real_tables["morpc-qcew-2020-a-39049.csv"]
    codes = set(df["naics_code"])
    assert {"10", "101", "1013", "31-33", "48-49", "323117"} <= codes
    assert set(df["own_code"]) == {"0", "1", "2", "3", "5"}
    assert df["area_fips"].map(type).eq(str).all() and set(df["area_fips"]) == {"39049"}
    assert df["agglvl_code"].str.fullmatch(r"7[0-8]").all()


def test_ingest_cli_real_file(real_data: Path, tmp_path: Path, capsys) -> None:
    out = tmp_path / "franklin.parquet"
    assert main(["ingest", "qcew", str(real_data / "qcew" / "morpc-qcew-2020-a-39049.csv"),
                 "-o", str(out)]) == 0
    back = pd.read_parquet(out)
    assert len(back) == 2255 and pd.api.types.is_string_dtype(back["naics_code"])
    assert back.loc[0, "naics_code"] == "10" and back.loc[0, "employment"] == 727016
    assert int(back["is_suppressed"].sum()) == 756
    # detection path (no SOURCE), CSV output
    out_csv = tmp_path / "delaware_q2.csv"
    assert main(["ingest", str(real_data / "qcew" / "morpc-qcew-2020-2-39041.csv"),
                 "-o", str(out_csv)]) == 0
    assert "qcew: 1,553 rows" in capsys.readouterr().out


# ---- hand-made fixtures in the BLS layouts ------------------------------------------------

def test_quoted_bls_layout_annual_fixture(fixtures: Path) -> None:
    df = QCEW.parse(fixtures / "qcew" / "2024-a-39049.csv")
    assert connector.detect(fixtures / "qcew" / "2024-a-39049.csv").name == "qcew"
    assert len(df) == 5
    total = row(df, own_code="0", naics_code="10")
    assert (total.employment, total.establishments, total.avg_annual_pay) == (741250, 35012, 65041)
    mfg = row(df, naics_code="31-33")
    assert mfg.employment == 41220 and mfg.agglvl_code == "74"
    printing = row(df, naics_code="323117")
    assert printing.is_suppressed and math.isnan(printing.employment) and printing.establishments == 3


def test_unquoted_crlf_quarterly_fixture(fixtures: Path) -> None:
    df = QCEW.parse(fixtures / "qcew" / "2024-1-39049.csv")
    assert list(df["qtr"].unique()) == ["1"]
    total = row(df, own_code="0", naics_code="10")
    assert total.employment == pytest.approx((735100 + 738200 + 741900) / 3)
    transport = row(df, naics_code="48-49")
    assert transport.employment == pytest.approx((60010 + 60550 + 61203) / 3)
    dash = row(df, naics_code="221118")
    assert not dash.is_suppressed and math.isnan(dash.establishments) and dash.disclosure_code == "-"
    n = row(df, naics_code="32519")
    assert n.is_suppressed and n.establishments == 1 and math.isnan(n.employment)


def test_industry_slice_keeps_area_codes(fixtures: Path) -> None:
    df = QCEW.parse(fixtures / "qcew" / "2024-a-industry-31_33.csv")
    assert list(df["area_fips"]) == ["39000", "39047", "39049", "C1814", "US000"]
    assert row(df, area_fips="US000").employment == 12901234
    assert row(df, area_fips="C1814").agglvl_code == "40"
    assert row(df, area_fips="39047").is_suppressed


def test_zip_of_slices(fixtures: Path, tmp_path: Path) -> None:
    archive = tmp_path / "2024_annual_by_area.zip"
    with zipfile.ZipFile(archive, "w") as zf:
        zf.write(fixtures / "qcew" / "2024-a-39049.csv", "2024.annual.by_area/2024.annual 39049.csv")
        zf.write(fixtures / "qcew" / "2024-1-39049.csv", "2024.q1.by_area/2024.q1 39049.csv")
        zf.writestr("README.txt", "not a slice")
    assert QCEW.sniff(archive)
    df = QCEW.parse(archive)
    assert len(df) == 9 and set(df["qtr"]) == {"A", "1"}


def test_renamed_column_is_named(tmp_path: Path, fixtures: Path) -> None:
    text = (fixtures / "qcew" / "2024-a-39049.csv").read_text()
    bad = tmp_path / "renamed.csv"
    bad.write_text(text.replace('"annual_avg_emplvl"', '"annual_avg_employment"', 1))
    with pytest.raises(LayoutError, match=r"annual_avg_emplvl|month1_emplvl") as err:
        QCEW.parse(bad)
    assert "renamed.csv" in str(err.value)


def test_truncated_download_is_caught(tmp_path: Path, fixtures: Path) -> None:
    text = (fixtures / "qcew" / "2024-a-39049.csv").read_text()
    cut = tmp_path / "cut.csv"
    cut.write_text(text[: len(text) - 40])
    with pytest.raises(LayoutError, match="truncated") as err:
        QCEW.parse(cut)
    assert err.value.row == 6


def test_non_number_is_named(tmp_path: Path, fixtures: Path) -> None:
    text = (fixtures / "qcew" / "2024-1-39049.csv").read_text()
    bad = tmp_path / "bad.csv"
    bad.write_text(text.replace(",735100,", ",73x100,", 1))
    with pytest.raises(InputError, match="73x100") as err:
        QCEW.parse(bad)
    assert err.value.row == 2 and err.value.column == "month1_emplvl"


def test_sniff_refuses_other_csv(tmp_path: Path) -> None:
    other = tmp_path / "other.csv"
    other.write_text("UNITID,CIPCODE,AWLEVEL\n1,01.0101,3\n")
    assert not QCEW.sniff(other)
    assert not QCEW.sniff(tmp_path / "missing.csv")


# ---- URL builder and fetch --------------------------------------------------------------

def test_slice_urls() -> None:
    assert slice_url(2024, "a", area="39049") == "https://data.bls.gov/cew/data/api/2024/a/area/39049.csv"
    assert slice_url(2023, 2, area="US000") == "https://data.bls.gov/cew/data/api/2023/2/area/US000.csv"
    assert slice_url("2024", "A", industry="31-33") == \
        "https://data.bls.gov/cew/data/api/2024/a/industry/31_33.csv"
    assert slice_url(2024, 1, size=6) == "https://data.bls.gov/cew/data/api/2024/1/size/6.csv"
    for bad in [dict(area="39049", industry="10"), {}, dict(area="../x")]:
        with pytest.raises(InputError):
            slice_url(2024, "a", **bad)
    with pytest.raises(InputError):
        slice_url(2024, 5, area="39049")


@responses.activate
def test_fetch_area_slice_into_store(tmp_path: Path, fixtures: Path) -> None:
    body = (fixtures / "qcew" / "2024-a-39049.csv").read_bytes()
    url = "https://data.bls.gov/cew/data/api/2024/a/area/39049.csv"
    responses.get(url, body=body, content_type="text/csv")
    store = RawStore(tmp_path / "raw")
    session = Session(None, sleep=lambda s: None)
    reqs = [FetchRequest("qcew", {"year": 2024, "qtr": "a", "area": "39049"})]
    got = fetch_all(reqs, store=store, session=session, dest=tmp_path / "out", progress=False)
    assert [s.status for s in got] == ["fetched"] and got[0].name == "2024-a-39049.csv"
    assert got[0].vintage == "QCEW 2024 annual averages"
    assert (tmp_path / "out" / "2024-a-39049.csv").read_bytes() == body
    assert len(QCEW.parse(got[0].path)) == 5
    again = fetch_all(reqs, store=RawStore(tmp_path / "raw"), session=Session(None),
                      progress=False)
    assert [s.status for s in again] == ["cached"] and len(responses.calls) == 1


@responses.activate
def test_fetch_refuses_a_page_that_is_not_a_slice(tmp_path: Path) -> None:
    url = "https://data.bls.gov/cew/data/api/2024/a/industry/31_33.csv"
    responses.get(url, body=b"<html>Service unavailable</html>", content_type="text/html")
    from align.fetch import FetchFailed

    with pytest.raises(FetchFailed, match="not a QCEW CSV slice"):
        fetch_all([FetchRequest("qcew", {"year": 2024, "industry": "31-33"})],
                  store=RawStore(tmp_path / "raw"), session=Session(None), progress=False)
    assert RawStore(tmp_path / "raw").records() == []
