"""The raw store: bytes kept by content hash, one JSON record per URL, secrets never stored."""

from __future__ import annotations

import json
from datetime import UTC, datetime
from pathlib import Path

from align.rawstore import RawStore, safe_name, url_id
from align.store import sha256_bytes

URL = "https://data.bls.gov/cew/data/api/2024/a/area/39049.csv"


def test_put_keeps_bytes_and_record(tmp_path: Path) -> None:
    store = RawStore(tmp_path / "raw")
    data = b"area_fips,own_code\n39049,0\n"
    when = datetime(2025, 3, 1, 12, 30, tzinfo=UTC)
    s = store.put("qcew", URL, data, name="2024-a-39049.csv", vintage="QCEW 2024", retrieved_at=when)
    digest = sha256_bytes(data)
    assert s.path == tmp_path / "raw" / "qcew" / digest[:12] / "2024-a-39049.csv"
    assert s.path.read_bytes() == data and s.size == len(data) and s.sha256 == digest
    assert s.retrieved_at == "2025-03-01T12:30:00Z" and s.status == "fetched"
    record = json.loads(next((tmp_path / "raw" / "qcew" / digest[:12]).glob(".*.record.json")).read_text())
    assert record == {"name": "2024-a-39049.csv", "path": f"qcew/{digest[:12]}/2024-a-39049.csv",
                      "retrieved_at": "2025-03-01T12:30:00Z", "sha256": digest, "size": len(data),
                      "source": "qcew", "url": URL, "vintage": "QCEW 2024"}


def test_has_get_and_records_survive_a_new_instance(tmp_path: Path) -> None:
    RawStore(tmp_path).put("qcew", URL, b"one", name="a.csv")
    RawStore(tmp_path).put("bls_api", "https://api.bls.gov/x?seriesid=A", b"{}", name="r.json")
    store = RawStore(tmp_path)
    assert store.has(URL) and not store.has(URL + "?other")
    got = store.get(URL)
    assert got is not None and got.status == "cached" and got.path.read_bytes() == b"one"
    assert [r["source"] for r in store.records()] == ["bls_api", "qcew"]
    assert all(not Path(r["path"]).is_absolute() for r in store.records())


def test_a_damaged_file_is_fetched_again(tmp_path: Path) -> None:
    store = RawStore(tmp_path)
    s = store.put("qcew", URL, b"complete contents", name="a.csv")
    s.path.write_bytes(b"complete cont")
    assert not RawStore(tmp_path).has(URL)


def test_secrets_never_reach_the_store(tmp_path: Path, monkeypatch) -> None:
    monkeypatch.setenv("BLS_API_KEY", "mykey-1234567")
    url = "https://api.bls.gov/publicAPI/v2/timeseries/data/?registrationkey=mykey-1234567&seriesid=A"
    store = RawStore(tmp_path)
    store.put("bls_api", url, b"{}", name="r.json")
    text = "".join(p.read_text() for p in tmp_path.rglob("*.json"))
    assert "mykey-1234567" not in text and "registrationkey=***" in text
    assert store.has(url) and url_id(url) == url_id(url.replace("mykey-1234567", "other"))


def test_same_bytes_from_two_urls_share_the_file(tmp_path: Path) -> None:
    store = RawStore(tmp_path)
    a = store.put("qcew", URL, b"same", name="x.csv")
    b = store.put("qcew", URL.replace("2024", "2023"), b"same", name="x.csv")
    assert a.path == b.path and len(store.records()) == 2


def test_safe_names() -> None:
    assert safe_name("../../etc/passwd") == "passwd"
    assert safe_name("2024 annual 39049?.csv") == "2024_annual_39049_.csv"
    assert safe_name("...") == "download"
