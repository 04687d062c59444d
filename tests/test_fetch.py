"""fetch_all: one line of progress per file, store first, failures collected, offline honoured."""

from __future__ import annotations

import io
from pathlib import Path

import pytest
import responses

from align.errors import OfflineMiss
from align.fetch import FetchFailed, FetchRequest, download, fetch_all, use_store
from align.http import Session, use_session
from align.rawstore import RawStore

BASE = "https://data.bls.gov/cew/data/api"


def slice_body(fixtures: Path) -> bytes:
    return (fixtures / "qcew" / "2024-a-39049.csv").read_bytes()


@responses.activate
def test_progress_lines_fetched_cached_failed(tmp_path: Path, fixtures: Path) -> None:
    responses.get(f"{BASE}/2024/a/area/39049.csv", body=slice_body(fixtures))
    responses.get(f"{BASE}/2024/a/area/39041.csv", status=404)
    reqs = [FetchRequest("qcew", {"year": 2024, "area": "39049"}),
            FetchRequest("qcew", {"year": 2024, "area": "39041"}),
            FetchRequest("qcew", {"year": 2024, "area": "39049"})]
    out = io.StringIO()
    with pytest.raises(FetchFailed) as err:
        fetch_all(reqs, store=RawStore(tmp_path), session=Session(None, retries=0), progress=out)
    lines = out.getvalue().splitlines()
    assert len(lines) == 3
    assert lines[0].startswith("[1/3] fetched  qcew https://data.bls.gov/cew/data/api/2024/a/area/39049.csv")
    assert lines[1].startswith("[2/3] failed   qcew(area=39041, year=2024)") and "HTTP 404" in lines[1]
    assert lines[2].startswith("[3/3] cached   qcew")
    assert len(err.value.stored) == 2 and len(err.value.failures) == 1
    assert len(responses.calls) == 2  # the third request came from the store


@responses.activate
def test_raise_on_error_false_returns_what_worked(tmp_path: Path, fixtures: Path) -> None:
    responses.get(f"{BASE}/2024/a/area/39049.csv", body=slice_body(fixtures))
    got = fetch_all([FetchRequest("qcew", {"year": 2024, "area": "39049"}),
                     FetchRequest("no_such_source", {})],
                    store=RawStore(tmp_path), session=Session(None), progress=False,
                    raise_on_error=False)
    assert [s.name for s in got] == ["2024-a-39049.csv"]


@responses.activate
def test_offline_run_uses_store_and_names_what_is_missing(tmp_path: Path, fixtures: Path) -> None:
    responses.get(f"{BASE}/2024/a/area/39049.csv", body=slice_body(fixtures))
    store = RawStore(tmp_path / "raw")
    fetch_all([FetchRequest("qcew", {"year": 2024, "area": "39049"})], store=store,
              session=Session(tmp_path / "http"), progress=False)
    offline = Session(tmp_path / "http", offline=True)
    got = fetch_all([FetchRequest("qcew", {"year": 2024, "area": "39049"})],
                    store=RawStore(tmp_path / "raw"), session=offline, progress=False)
    assert got[0].status == "cached"
    with pytest.raises(FetchFailed, match=r"offline: GET .*2023/a/area/39049\.csv") as err:
        fetch_all([FetchRequest("qcew", {"year": 2023, "area": "39049"})],
                  store=RawStore(tmp_path / "raw"), session=offline, progress=False)
    assert "not in the HTTP cache" in err.value.failures[0][1]
    assert len(responses.calls) == 1


@responses.activate
def test_http_cache_hit_is_reported_as_cached(tmp_path: Path) -> None:
    url = "https://example.org/file.csv"
    responses.get(url, body=b"a,b\n")
    session = Session(tmp_path / "http")
    with use_session(session), use_store(RawStore(tmp_path / "one")):
        assert download(url, source="test", name="file.csv").status == "fetched"
    with use_session(session), use_store(RawStore(tmp_path / "two")):  # empty store, warm cache
        second = download(url, source="test", name="file.csv")
    assert second.status == "cached" and second.path.read_bytes() == b"a,b\n"
    assert len(responses.calls) == 1


def test_offline_miss_is_an_upstream_error(tmp_path: Path) -> None:
    with (use_session(Session(tmp_path / "http", offline=True)), use_store(RawStore(tmp_path)),
          pytest.raises(OfflineMiss, match=r"example\.org/never")):
        download("https://example.org/never", source="test", name="x")
