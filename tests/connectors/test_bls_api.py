"""BLS Public Data API v2: real recorded responses, batching, errors inside HTTP 200, warnings."""

from __future__ import annotations

import json
import math
import warnings
from pathlib import Path

import pandas as pd
import pytest
import responses
from responses import matchers

from align import connector
from align.cli import main
from align.errors import UpstreamError
from align.fetch import FetchFailed, FetchRequest, fetch_all
from align.http import Session
from align.rawstore import RawStore
from align_connectors.bls_api import (
    API_URL,
    BLSAPIConnector,
    BLSAPIWarning,
    merge_responses,
    plan_batches,
)

BLS = BLSAPIConnector()


def point(df: pd.DataFrame, sid: str, year: int, code: str) -> pd.Series:
    hit = df[(df.series_id == sid) & (df.period == year) & (df.period_code == code)]
    assert len(hit) == 1
    return hit.iloc[0]


# ---- real recorded responses ------------------------------------------------------------

@pytest.fixture(scope="module")
def recent(real_data: Path) -> pd.DataFrame:
    return BLS.parse(real_data / "bls_api" / "response_LNS_2020_2024.json")


def test_recent_response_hand_read_values(recent: pd.DataFrame) -> None:
    # 5 series x 59 months (2020-01..2024-11)
    assert len(recent) == 295 and recent.groupby("series_id").size().eq(59).all()
    # first item of LNS11000000: 2024 M11 "168286", latest "true", footnotes [{}]
    nov = point(recent, "LNS11000000", 2024, "M11")
    assert nov.value == 168286 and nov.is_latest and nov.footnote_codes is None
    assert nov.period_name == "November"
    # LNS11000000 2024 M01 "167276" with footnote code 1 (population controls)
    jan = point(recent, "LNS11000000", 2024, "M01")
    assert jan.value == 167276 and not jan.is_latest and jan.footnote_codes == "1"
    assert jan.footnotes == "Data affected by changes in population controls."
    # CES0000000001 2024 M11 "159288" preliminary; LNS14000000 2024 M11 "4.2"
    ces = point(recent, "CES0000000001", 2024, "M11")
    assert ces.value == 159288 and ces.footnote_codes == "P" and ces.footnotes == "preliminary"
    assert point(recent, "LNS14000000", 2024, "M11").value == 4.2
    assert recent["is_latest"].sum() == 5


def test_sorted_oldest_first(recent: pd.DataFrame) -> None:
    lns = recent[recent.series_id == "LNS11000000"]
    assert (lns.iloc[0].period, lns.iloc[0].period_code, lns.iloc[0].value) == (2020, "M01", 164328)
    assert (lns.iloc[-1].period, lns.iloc[-1].period_code) == (2024, "M11")
    assert list(recent.series_id.unique()) == sorted(recent.series_id.unique())


def test_truncated_range_response_warns(real_data: Path) -> None:
    with pytest.warns(BLSAPIWarning, match="reduced to the system-allowed limit of 10 years"):
        df = BLS.parse(real_data / "bls_api" / "response_LNS_CES_1994_2003.json")
    assert len(df) == 600 and df.period.min() == 1994 and df.period.max() == 2003
    # CES0000000001: 1994 M01 "112598", 2003 M12 "130594"
    assert point(df, "CES0000000001", 1994, "M01").value == 112598
    assert point(df, "CES0000000001", 2003, "M12").value == 130594
    assert not df["is_latest"].any()


def test_request_not_processed_is_an_error(real_data: Path, tmp_path: Path, capsys) -> None:
    path = real_data / "bls_api" / "response_REQUEST_NOT_PROCESSED.json"
    with pytest.raises(UpstreamError, match=r"REQUEST_NOT_PROCESSED.*daily threshold"):
        BLS.parse(path)
    code = main(["ingest", "bls_api", str(path), "-o", str(tmp_path / "x.csv")])
    err = capsys.readouterr().err
    assert code == 2 and "REQUEST_NOT_PROCESSED" in err and "daily threshold" in err
    assert not (tmp_path / "x.csv").exists()


def test_real_files_detected_and_ingested(real_data: Path, tmp_path: Path) -> None:
    for name in ("response_LNS_2020_2024.json", "response_LNS_CES_1994_2003.json",
                 "response_REQUEST_NOT_PROCESSED.json"):
        assert connector.detect(real_data / "bls_api" / name).name == "bls_api"
    out = tmp_path / "lns.parquet"
    assert main(["ingest", str(real_data / "bls_api" / "response_LNS_2020_2024.json"),
                 "-o", str(out)]) == 0
    back = pd.read_parquet(out)
    assert len(back) == 295 and back.loc[0, "series_id"] == "CES0000000001"


# ---- hand-made responses in the API's compact layout ------------------------------------

def test_small_fixture_periods_footnotes_and_missing(fixtures: Path) -> None:
    path = fixtures / "bls_api" / "small_response.json"
    assert BLS.sniff(path)
    with pytest.warns(BLSAPIWarning, match="No Data Available"):
        df = BLS.parse(path)
    assert len(df) == 6  # the series with an empty data list contributes no rows
    annual = point(df, "SMU39181400000000001", 2024, "M13")
    assert annual.value == 1212.4 and annual.period_name == "Annual" and annual.is_latest
    both = point(df, "SMU39181400000000001", 2024, "M11")
    assert both.footnote_codes == "P,1" and "preliminary; Data affected" in both.footnotes
    missing = point(df, "ENU3904910010", 2024, "Q01")
    assert math.isnan(missing.value) and missing.footnote_codes == "N"
    assert point(df, "ENU3904910010", 2023, "Q04").footnote_codes is None


def test_threshold_message_in_a_success_body_raises(fixtures: Path) -> None:
    with pytest.raises(UpstreamError, match="daily threshold"):
        BLS.parse(fixtures / "bls_api" / "threshold_in_success.json")


# ---- batching ---------------------------------------------------------------------------

def test_batches_follow_the_api_limits() -> None:
    sixty = [f"CEU{i:010d}01" for i in range(60)]
    keyed = plan_batches(sixty, 2015, 2024, registered=True)
    assert [len(b.series) for b in keyed] == [50, 10]
    assert len(plan_batches(sixty, 2015, 2024, registered=False)) == 3  # 25 + 25 + 10
    years = plan_batches(["LNS14000000"], 1995, 2024, registered=True)
    assert [(b.start_year, b.end_year) for b in years] == [(1995, 2014), (2015, 2024)]
    years = plan_batches(["LNS14000000"], 1995, 2024, registered=False)
    assert [(b.start_year, b.end_year) for b in years] == [(1995, 2004), (2005, 2014), (2015, 2024)]
    both = plan_batches(sixty, 1995, 2024, registered=True)
    assert len(both) == 4
    assert plan_batches(["a", "A ", "b"], 2020, 2020, registered=True)[0].series == ("A", "B")


def _body(request) -> dict:
    return json.loads(request.body)


@responses.activate
def test_fetch_batches_merges_and_keeps_raw_batches(real_data: Path, tmp_path: Path,
                                                    monkeypatch) -> None:
    monkeypatch.setenv("BLS_API_KEY", "k-0123456789")
    recorded = (real_data / "bls_api" / "response_LNS_2020_2024.json").read_text()
    sixty = [f"LNS{i:08d}" for i in range(60)]
    responses.post(API_URL, body=recorded, match=[matchers.json_params_matcher(
        {"seriesid": sixty[:50]}, strict_match=False)])
    responses.post(API_URL, body=recorded, match=[matchers.json_params_matcher(
        {"seriesid": sixty[50:]}, strict_match=False)])
    store = RawStore(tmp_path / "raw")
    got = fetch_all([FetchRequest("bls_api", {"series": sixty, "start_year": 2020,
                                              "end_year": 2024, "name": "lns.json"})],
                    store=store, session=Session(None), dest=tmp_path / "out", progress=False)
    assert len(responses.calls) == 2 and [s.status for s in got] == ["fetched", "fetched"]
    first = _body(responses.calls[0].request)
    assert first["registrationkey"] == "k-0123456789" and first["startyear"] == "2020"
    assert first["catalog"] is False
    records = json.dumps(store.records())
    assert "k-0123456789" not in records and "seriesid=LNS00000000" in records
    merged = BLS.parse(tmp_path / "out" / "lns.json")
    assert len(merged) == 295  # both batches answered the same 5 recorded series
    # a second run is served by the store: no request at all
    again = fetch_all([FetchRequest("bls_api", {"series": sixty, "start_year": 2020,
                                                "end_year": 2024})],
                      store=RawStore(tmp_path / "raw"), session=Session(None), progress=False)
    assert [s.status for s in again] == ["cached", "cached"] and len(responses.calls) == 2


@responses.activate
def test_fetch_splits_thirty_years_without_losing_any(real_data: Path, tmp_path: Path,
                                                      monkeypatch) -> None:
    monkeypatch.setenv("BLS_API_KEY", "k-0123456789")
    old = (real_data / "bls_api" / "response_LNS_CES_1994_2003.json").read_text()
    new = (real_data / "bls_api" / "response_LNS_2020_2024.json").read_text()
    responses.post(API_URL, body=old.replace(', "message": ["Year range has been reduced to the '
                                             'system-allowed limit of 10 years."]', ', "message": []'),
                   match=[matchers.json_params_matcher({"startyear": "1994"}, strict_match=False)])
    responses.post(API_URL, body=new,
                   match=[matchers.json_params_matcher({"startyear": "2014"}, strict_match=False)])
    series = ["LNS11000000", "LNS12000000", "LNS13000000", "LNS14000000", "CES0000000001"]
    with warnings.catch_warnings():
        warnings.simplefilter("error", BLSAPIWarning)  # a split range raises no truncation warning
        out = bls_fetch(tmp_path, series, 1994, 2023)
    df = BLS.parse(out)
    assert [json.loads(c.request.body)["endyear"] for c in responses.calls] == ["2013", "2023"]
    assert len(df) == 600 + 295 and df.period.min() == 1994 and df.period.max() == 2024
    lns = df[df.series_id == "LNS11000000"]
    assert lns.iloc[0].value == 130596 and lns.iloc[-1].value == 168286  # 1994 M01, 2024 M11


def bls_fetch(tmp_path: Path, series: list[str], start: int, end: int) -> Path:
    from align.fetch import use_store
    from align.http import use_session

    with use_session(Session(None)), use_store(RawStore(tmp_path / "raw")):
        return BLS.fetch(tmp_path / "out", series=series, start_year=start, end_year=end)


@responses.activate
def test_error_in_http_200_is_raised_and_not_kept(real_data: Path, tmp_path: Path,
                                                  monkeypatch) -> None:
    monkeypatch.delenv("BLS_API_KEY", raising=False)
    responses.post(API_URL, body=(real_data / "bls_api" / "response_REQUEST_NOT_PROCESSED.json")
                   .read_text())
    store = RawStore(tmp_path / "raw")
    session = Session(tmp_path / "http")
    with pytest.raises(FetchFailed, match="REQUEST_NOT_PROCESSED") as err:
        fetch_all([FetchRequest("bls_api", {"series": ["LNS14000000"], "start_year": 2020,
                                            "end_year": 2024})],
                  store=store, session=session, progress=False)
    assert err.value.stored == [] and store.records() == []
    assert "registrationkey" not in _body(responses.calls[0].request)  # no key: none sent
    # the refused answer was not cached either: a later try asks the network again
    responses.replace(responses.POST, API_URL,
                      body=(real_data / "bls_api" / "response_LNS_2020_2024.json").read_text())
    fetch_all([FetchRequest("bls_api", {"series": ["LNS14000000"], "start_year": 2020,
                                        "end_year": 2024})],
              store=store, session=session, progress=False)
    assert len(responses.calls) == 2 and len(store.records()) == 1


@responses.activate
def test_fetch_retries_503_and_429_without_sleeping(real_data: Path, tmp_path: Path) -> None:
    responses.post(API_URL, status=503)
    responses.post(API_URL, status=429, headers={"Retry-After": "3"})
    responses.post(API_URL, body=(real_data / "bls_api" / "response_LNS_2020_2024.json").read_text())
    sleeps: list[float] = []
    got = fetch_all([FetchRequest("bls_api", {"series": ["LNS14000000"], "start_year": 2020,
                                              "end_year": 2024})],
                    store=RawStore(tmp_path / "raw"), session=Session(None, sleep=sleeps.append),
                    progress=False)
    assert sleeps == [1.0, 3.0] and len(got) == 1 and len(responses.calls) == 3


def test_merge_keeps_newest_first_and_messages() -> None:
    a = {"status": "REQUEST_SUCCEEDED", "responseTime": 5, "message": ["m"], "Results": {"series": [
        {"seriesID": "X", "data": [{"year": "2001", "period": "M01", "value": "1", "footnotes": [{}]}]}]}}
    b = {"status": "REQUEST_SUCCEEDED", "responseTime": 7, "message": ["m", "n"], "Results": {"series": [
        {"seriesID": "X", "data": [{"year": "2021", "period": "M02", "value": "2", "footnotes": [{}]}]}]}}
    merged = merge_responses([a, b])
    assert merged["message"] == ["m", "n"] and merged["responseTime"] == 12
    assert [p["year"] for p in merged["Results"]["series"][0]["data"]] == ["2021", "2001"]


@pytest.mark.live
def test_live_unemployment_rate(tmp_path: Path, request: pytest.FixtureRequest) -> None:
    _require_live(request)
    out = bls_fetch(tmp_path, ["LNS14000000"], 2023, 2024)
    df = BLS.parse(out)
    assert len(df) == 24 and df.value.between(2, 15).all()


def _require_live(request: pytest.FixtureRequest) -> None:
    """Live tests are opt-in: they run only when selected with ``pytest -m live``."""
    expr = request.config.getoption("markexpr") or ""
    if "live" not in expr or "not live" in expr:
        pytest.skip("calls the real network: run with pytest -m live")
