"""Job postings: USAJOBS Search API JSON and generic CSV/Parquet exports."""

from __future__ import annotations

import json
from pathlib import Path

import pandas as pd
import pytest
import responses

from align import connector, http
from align.cli import main
from align.errors import InputError, LayoutError, UpstreamError
from align_connectors.postings import (
    USAJOBS_SEARCH_URL,
    PostingsCSVConnector,
    USAJobsConnector,
    split_location,
)

USA = USAJobsConnector()
CSV = PostingsCSVConnector()


def test_usajobs_fixture(fixtures: Path) -> None:
    df = USA.parse(fixtures / "postings" / "usajobs_small.json").set_index("posting_id")
    assert len(df) == 2  # one row per posting, not per location
    rn = df.loc["VHA-1"]
    assert (rn.city, rn.state_abbr, rn.state_fips, rn.n_locations) == ("Columbus", "OH", "39", 1)
    na = df.loc["VHA-2"]
    assert na.n_locations == 2 and na.locations == "Chillicothe, Ohio; Dayton, Ohio"
    assert na.salary_min == 18.5 and na.salary_interval == "Per Hour"
    assert na.posted_date == "2024-03-01" and na.expiry_date == "2024-03-15"
    assert na.job_category == "0610"
    assert df["soc_code"].isna().all() and df["county_fips"].isna().all()


def test_usajobs_layout_errors(tmp_path: Path) -> None:
    bad = tmp_path / "r.json"
    bad.write_text(json.dumps({"SearchResult": {"SearchResultItems": [{"MatchedObjectDescriptor": {"PositionTitle": "x"}}]}}))
    with pytest.raises(LayoutError, match="PositionID"):
        USA.parse(bad)
    bad.write_text("{not json")
    with pytest.raises(InputError, match="JSON"):
        USA.parse(bad)


def test_csv_export_with_guessed_columns(fixtures: Path) -> None:
    df = CSV.parse(fixtures / "postings" / "lightcast_export.csv").set_index("posting_id")
    assert list(df.index) == ["LC001", "LC002", "LC003"]
    rn = df.loc["LC001"]
    assert (rn.title, rn.employer, rn.city, rn.state_abbr) == ("Registered Nurse", "Mount Carmel Health", "Columbus", "OH")
    assert (rn.posted_date, rn.expiry_date) == ("2024-03-04", "2024-04-30")
    assert (rn.salary_min, rn.salary_max) == (62_000, 81_500)
    assert pd.isna(df.loc["LC002", "expiry_date"]) and df.loc["LC002", "posted_date"] == "2023-12-15"
    assert pd.isna(df.loc["LC003", "state_abbr"]) and pd.isna(df.loc["LC003", "salary_min"])


def test_csv_export_with_mapping_and_errors(fixtures: Path, tmp_path: Path) -> None:
    path = fixtures / "postings" / "lightcast_export.csv"
    df = CSV.parse(path, columns={"title": "Employer Name", "employer": "Job Title"}, source="lightcast")
    assert df["title"].iloc[0] == "Mount Carmel Health" and df["source"].iloc[0] == "lightcast"
    with pytest.raises(LayoutError, match="Job Name"):
        CSV.parse(path, columns={"title": "Job Name"})
    with pytest.raises(InputError, match="canonical"):
        CSV.parse(path, columns={"headline": "Job Title"})
    bad = tmp_path / "bad.csv"
    bad.write_text("title,company,posted\nNurse,Acme,31/12/2024\n")
    with pytest.raises(InputError) as err:
        CSV.parse(bad)
    assert err.value.row == 2 and err.value.column == "posted"


def test_split_location() -> None:
    assert split_location("Columbus, OH") == ("Columbus", "OH")
    assert split_location("Fort Meade, Maryland") == ("Fort Meade", "MD")
    assert split_location("Columbus, OH, United States") == ("Columbus", "OH")
    assert split_location("United States") == (None, None)
    assert split_location("Ohio") == (None, "OH")


@responses.activate
def test_usajobs_fetch_pages(fixtures: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    body = json.loads((fixtures / "postings" / "usajobs_small.json").read_text())
    page1 = json.loads(json.dumps(body))
    page1["SearchResult"]["SearchResultItems"] = body["SearchResult"]["SearchResultItems"][:1]
    page1["SearchResult"]["UserArea"]["NumberOfPages"] = "2"
    page2 = json.loads(json.dumps(page1))
    page2["SearchResult"]["SearchResultItems"] = body["SearchResult"]["SearchResultItems"][1:]
    responses.add(responses.GET, USAJOBS_SEARCH_URL, json=page1)
    responses.add(responses.GET, USAJOBS_SEARCH_URL, json=page2)
    monkeypatch.setenv("USAJOBS_API_KEY", "secret-key-123")
    monkeypatch.setenv("USAJOBS_EMAIL", "analyst@example.org")
    with http.use_session(http.Session(None, sleep=lambda s: None)):
        path = USA.fetch(tmp_path, keyword="nurse", location="Columbus, Ohio")
    sent = responses.calls[0].request
    assert sent.headers["Authorization-Key"] == "secret-key-123"
    assert sent.headers["User-Agent"] == "analyst@example.org"
    assert "Keyword=nurse" in sent.url and "Page=1" in sent.url
    assert "Page=2" in responses.calls[1].request.url
    df = USA.parse(path)
    assert df["posting_id"].tolist() == ["VHA-1", "VHA-2"]


def test_usajobs_fetch_needs_key(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.delenv("USAJOBS_API_KEY", raising=False)
    with pytest.raises(UpstreamError, match="USAJOBS_API_KEY"):
        USA.fetch(tmp_path, keyword="nurse")


def test_real_usajobs(real_data: Path, tmp_path: Path) -> None:
    path = real_data / "postings" / "usajobs_search_response_2items.json"
    assert connector.detect(path).name == "usajobs"
    out = tmp_path / "usajobs.csv"
    assert main(["ingest", str(path), "-o", str(out)]) == 0
    df = USA.parse(path).set_index("posting_id")
    dcsa = df.loc["DCSA-22-11428309-P"]  # Computer Scientist, series 1550, 4 locations
    assert dcsa.title == "COMPUTER SCIENTIST (DATA SCIENTIST/DATA ANALYST)"
    assert dcsa.employer == "Defense Counterintelligence and Security Agency"
    assert (dcsa.salary_min, dcsa.salary_max) == (97_738.0, 138_868.0)
    assert (dcsa.posted_date, dcsa.expiry_date) == ("2022-03-25", "2022-04-14")
    assert (dcsa.location_text, dcsa.state_abbr, dcsa.n_locations) == ("Fort Meade, Maryland", "MD", 4)
    assert dcsa.job_category == "1550"
    nnsa = df.loc["22-NA-IM-02231-11441899-GOV"]
    assert nnsa.title == "Data Scientist" and nnsa.state_abbr == "DC" and nnsa.n_locations == 2


def test_real_linkedin_csv(real_data: Path, tmp_path: Path) -> None:
    path = real_data / "postings" / "ai_ml_jobs_linkedin.csv"
    assert connector.detect(path).name == "postings_csv"
    out = tmp_path / "linkedin.parquet"
    assert main(["ingest", str(path), "-o", str(out)]) == 0
    df = pd.read_parquet(out)
    assert len(df) == 862
    first = df.iloc[0]  # AI/ML Engineer,"New York, NY",5/29/2024,Wesper,...
    assert (first.title, first.employer, first.city, first.state_abbr) == ("AI/ML Engineer", "Wesper", "New York", "NY")
    assert first.posted_date == "2024-05-29" and first.employer_sector == "Internet Publishing"
    assert df["posted_date"].isna().sum() == 12  # empty publishedAt cells stay missing
    assert df["posting_id"].is_unique
    assert df.loc[df.location_text == "United States", "state_abbr"].isna().all()
