"""`align fetch region.toml`: downloads land where the run reads them; a second fetch is offline."""

from __future__ import annotations

from pathlib import Path

import responses

from align.cli import main

DEMO = Path(__file__).resolve().parents[1] / "data" / "demo"


@responses.activate
def test_fetch_downloads_configured_slices_then_serves_them_offline(tmp_path, capsys, monkeypatch):
    monkeypatch.chdir(tmp_path)
    body = (DEMO / "qcew" / "2024-a-99001.csv").read_bytes()
    url = "https://data.bls.gov/cew/data/api/2024/a/area/99001.csv"
    responses.add(responses.GET, url, body=body, status=200, content_type="text/csv")
    cfg = tmp_path / "region.toml"
    text = (DEMO / "region.toml").read_text(encoding="utf-8")
    text = text.replace('industry_employment    = { source = "qcew", paths = ["qcew/*-a-*.csv"] }',
                        'industry_employment    = { source = "qcew", path = "qcew/*.csv", '
                        'fetch = [{ year = 2024, qtr = "a", area = "99001" }] }')
    cfg.write_text(text, encoding="utf-8")
    assert main(["fetch", str(cfg), "--store", "store"]) == 0
    files = sorted((tmp_path / "qcew").glob("*.csv"))
    assert len(files) == 1 and files[0].read_bytes() == body
    assert len(responses.calls) == 1
    # the raw store keeps the bytes: fetching again needs no network at all
    files[0].unlink()
    assert main(["fetch", str(cfg), "--store", "store", "--offline"]) == 0
    assert len(responses.calls) == 1
    assert sorted((tmp_path / "qcew").glob("*.csv"))[0].read_bytes() == body
    assert "industry_employment: 1 file(s)" in capsys.readouterr().out


def test_fetch_with_nothing_to_fetch_says_so(capsys):
    assert main(["fetch", str(DEMO / "region.toml")]) == 0
    assert "nothing to fetch" in capsys.readouterr().out
