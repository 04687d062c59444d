"""The New York example on the real files: the ten labour market regions in one run, on Dask.

Each region's tables are those of its own run (the Finger Lakes example, read from the same
files), the regions add up to the state's own projection, and the statewide packet reads as a
board packet. Skips where ../shared/data/real is absent.
"""

from __future__ import annotations

import io
import json
from pathlib import Path

import pandas as pd
import pytest
from pypdf import PdfReader

from align.errors import ConfigError
from align.multiregion import config as C
from align.multiregion.run import run_state
from align.progress import Progress

EXAMPLE = Path(__file__).resolve().parents[2] / "data" / "examples" / "new-york-state" / "regions.toml"
FINGER_LAKES = "finger-lakes-region"


@pytest.fixture(scope="module")
def new_york(real_data, tmp_path_factory):
    try:
        cfg = C.load(EXAMPLE)
    except ConfigError as exc:
        pytest.skip(f"real files not where the example expects them: {exc}")
    cfg = cfg.model_copy(update={"output_dir": str(tmp_path_factory.mktemp("ny-runs"))})
    log = io.StringIO()
    result = run_state(cfg, pdf=True, region_pdf=False, progress=Progress(6, stream=log))
    return result, log.getvalue()


def test_the_ten_labour_market_regions_run_as_one(new_york):
    result, log = new_york
    assert [r.slug for r in result.regions] == [
        "capital-region", "central-new-york-region", "finger-lakes-region", "hudson-valley-region",
        "long-island-region", "mohawk-valley-region", "new-york-city-region", "north-country-region",
        "southern-tier-region", "western-new-york-region"]
    assert sum(len(r.counties) for r in result.regions) == 62
    assert "regions: 10 of 10 done" in log and "embedded Dask cluster" in result.manifest["engine"]
    files = {r["path"] for r in result.manifest["inputs"]}
    assert sum("qcew_annual_20" in f for f in files) == 13  # each input read once for all ten regions


def test_a_region_is_its_own_run(new_york, real_example):
    result, _ = new_york
    alone = real_example("finger-lakes-ny")  # data/examples/finger-lakes-ny: same files, years, parameters
    folder = result.folder / "regions" / FINGER_LAKES
    for name in ("industry_projection", "industry_forecast", "occupation_demand", "occupation_supply", "gaps",
                 "allocation", "duplication", "programs"):
        mine = pd.read_parquet(folder / f"{name}.parquet" if (folder / f"{name}.parquet").exists()
                               else folder / "reference" / f"{name}.parquet")
        theirs = alone.tables[name]
        drop = [c for c in ("region_id",) if c in mine.columns]
        pd.testing.assert_frame_equal(mine.drop(columns=drop).reset_index(drop=True),
                                      theirs.drop(columns=drop).reset_index(drop=True), check_dtype=False)


def test_the_regions_add_up_to_the_state_where_they_should(new_york):
    t = new_york[0].tables
    state = t["state_industry_projection"].set_index("naics_code")
    # the state's 2012 sectors as the export publishes them (area 36000): 8,554,452 jobs in its total row
    assert state["employment_base"].sum() == pytest.approx(8_554_452, abs=5)
    # the ten regions' counties hold fewer: the export places some jobs in no county
    assert state["regions_employment_base"].sum() == pytest.approx(8_414_712, abs=50)
    assert (state["regions_employment_base_reconciled"] - state["employment_base"]).abs().max() < 1e-6
    assert (state["regions_employment_target_reconciled"] - state["employment_target"]).abs().max() < 1e-6
    rec = t["region_reconciliation"].set_index("region_id")
    assert rec.loc[FINGER_LAKES, "employment_base"] == pytest.approx(540_081, abs=1)  # its nine counties
    assert rec["employment_target_reconciled"].sum() == pytest.approx(state["employment_target"].sum())
    assert t["unshared_industries"].empty


def test_the_statewide_packet_reads_as_a_board_packet(new_york):
    result, _ = new_york
    pdf = PdfReader(result.folder / "report.pdf")
    assert 2 <= len(pdf.pages) <= 12
    text = " ".join(p.extract_text() for p in pdf.pages)
    for words in ("The answer", "Where each job is short, region by region", "Statewide shortages",
                  "How the regions were made to add up to the state", "Finger Lakes Region, New York"):
        assert words in text
    html = (result.folder / "report.html").read_text(encoding="utf-8")
    assert f'href="regions/{FINGER_LAKES}/report.html"' in html
    assert f'regions/{FINGER_LAKES}/report.pdf' not in html  # region packets not written in this run: no link
    manifest = json.loads((result.folder / "manifest.json").read_text())
    assert "regions/finger-lakes-region/gaps.csv" in manifest["files"]
