"""The shared HTTP session: cache, offline mode, retries without sleeping, redaction, User-Agent."""

from __future__ import annotations

import sqlite3
from datetime import UTC, datetime, timedelta
from email.utils import format_datetime
from pathlib import Path

import pytest
import requests
import responses

from align import __version__
from align.errors import OfflineMiss, UpstreamError
from align.http import (
    USER_AGENT,
    Session,
    current_session,
    raise_for_status,
    redact,
    retry_after_seconds,
    use_session,
)

URL = "https://data.bls.gov/cew/data/api/2024/a/area/39049.csv"


class Sleeps(list):
    def __call__(self, seconds: float) -> None:
        self.append(seconds)


@responses.activate
def test_user_agent_and_timeout_are_set() -> None:
    responses.get(URL, body="ok")
    session = Session(None)
    session.get(URL)
    sent = responses.calls[0].request
    assert sent.headers["User-Agent"] == USER_AGENT
    assert USER_AGENT.startswith(f"align/{__version__} (+http")
    assert sent.req_kwargs["timeout"] == session.timeout


@responses.activate
def test_retries_503_then_429_honouring_retry_after() -> None:
    responses.get(URL, status=503)
    responses.get(URL, status=429, headers={"Retry-After": "7"})
    responses.get(URL, body="area_fips,own_code\n")
    sleeps = Sleeps()
    response = Session(None, sleep=sleeps, backoff=0.5).get(URL)
    assert response.status_code == 200 and response.text.startswith("area_fips")
    assert sleeps == [0.5, 7.0]  # backoff for 503 (attempt 0), Retry-After for 429
    assert len(responses.calls) == 3


@responses.activate
def test_retry_after_http_date_and_cap() -> None:
    when = datetime.now(UTC) + timedelta(seconds=30)
    assert 25 <= retry_after_seconds(format_datetime(when, usegmt=True)) <= 30
    assert retry_after_seconds("garbage") is None and retry_after_seconds(None) is None
    responses.get(URL, status=503, headers={"Retry-After": "86400"})
    responses.get(URL, body="x")
    sleeps = Sleeps()
    Session(None, sleep=sleeps, max_wait=60).get(URL)
    assert sleeps == [60]


@responses.activate
def test_gives_up_after_retries_and_reports_status() -> None:
    responses.get(URL, status=500)
    sleeps = Sleeps()
    response = Session(None, sleep=sleeps, retries=3, backoff=1).get(URL)
    assert response.status_code == 500 and sleeps == [1, 2, 4]  # exponential backoff
    with pytest.raises(UpstreamError, match="HTTP 500"):
        raise_for_status(response)


@responses.activate
def test_connection_errors_are_retried_then_raised() -> None:
    responses.get(URL, body=requests.ConnectionError("connection reset"))
    responses.get(URL, body="fine")
    sleeps = Sleeps()
    assert Session(None, sleep=sleeps).get(URL).text == "fine" and sleeps == [1.0]

    responses.replace(responses.GET, URL, body=requests.ConnectionError("down"))
    with pytest.raises(UpstreamError, match="ConnectionError after 3 attempt"):
        Session(None, sleep=Sleeps(), retries=2).get(URL + "?x=1")


@responses.activate
def test_offline_serves_cache_and_names_a_miss(tmp_path: Path) -> None:
    responses.get(URL, body="cached body")
    online = Session(tmp_path / "http")
    assert online.get(URL).text == "cached body"
    offline = Session(tmp_path / "http", offline=True)
    again = offline.get(URL)
    assert again.text == "cached body" and again.from_cache
    assert len(responses.calls) == 1
    never = "https://data.bls.gov/cew/data/api/2019/a/area/39049.csv"
    with pytest.raises(OfflineMiss, match=r"2019/a/area/39049\.csv") as err:
        offline.get(never)
    assert "not in the HTTP cache" in str(err.value)
    assert len(responses.calls) == 1  # offline never touched the network


@responses.activate
def test_errors_are_not_cached(tmp_path: Path) -> None:
    responses.get(URL, status=404)
    responses.get(URL, body="now here")
    session = Session(tmp_path / "http", retries=0)
    assert session.get(URL).status_code == 404
    assert session.get(URL).text == "now here"


@responses.activate
def test_post_bodies_are_cached_without_the_key(tmp_path: Path, monkeypatch) -> None:
    secret = "0123456789abcdef0123456789abcdef"
    monkeypatch.setenv("BLS_API_KEY", secret)
    api = "https://api.bls.gov/publicAPI/v2/timeseries/data/"
    responses.post(api, body='{"status": "REQUEST_SUCCEEDED"}')
    session = Session(tmp_path / "http")
    body = {"seriesid": ["LNS14000000"], "startyear": "2020", "endyear": "2024",
            "registrationkey": secret}
    session.post(api, json=body)
    # same series with another key: served from cache (the key is not part of the cache key)
    hit = session.post(api, json={**body, "registrationkey": "another-key-000"})
    assert hit.from_cache and len(responses.calls) == 1
    # a different body is a different request
    responses.post(api, body='{"status": "REQUEST_SUCCEEDED", "other": 1}')
    assert not session.post(api, json={**body, "startyear": "2019"}).from_cache
    raw = b"".join(bytes(v) if isinstance(v, (bytes, memoryview)) else str(v).encode()
                   for (v,) in sqlite3.connect(tmp_path / "http" / "http_cache.sqlite")
                   .execute("select value from responses"))
    assert secret.encode() not in raw


def test_redact_hides_keys_everywhere(monkeypatch) -> None:
    monkeypatch.setenv("BLS_API_KEY", "s3cr3tkey42")
    text = ('POST https://api.bls.gov/x?registrationkey=abc123&startyear=2020 '
            '{"registrationkey": "zzz999", "seriesid": ["A"]} '
            "{'api_key': 'qqq'} Authorization-Key: topsecret raw s3cr3tkey42")
    out = redact(text)
    for secret in ("abc123", "zzz999", "qqq", "topsecret", "s3cr3tkey42"):
        assert secret not in out
    assert "startyear=2020" in out and '"seriesid": ["A"]' in out and "registrationkey=***" in out


def test_session_repr_and_current_session(tmp_path: Path) -> None:
    session = Session(tmp_path / "c", offline=True)
    assert "offline=True" in repr(session) and "key" not in repr(session).lower()
    with use_session(session):
        assert current_session() is session
    assert current_session() is not session


@pytest.mark.live
def test_live_qcew_slice_head(tmp_path: Path, request: pytest.FixtureRequest) -> None:
    _require_live(request)
    response = Session(tmp_path / "http").get(URL)
    raise_for_status(response)
    assert response.text.lstrip('"').startswith("area_fips")


def _require_live(request: pytest.FixtureRequest) -> None:
    """Live tests are opt-in: they run only when selected with ``pytest -m live``."""
    expr = request.config.getoption("markexpr") or ""
    if "live" not in expr or "not live" in expr:
        pytest.skip("calls the real network: run with pytest -m live")
