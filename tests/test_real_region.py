"""A planning run on real published files: Franklin and Delaware counties, Ohio (data/examples)."""

from __future__ import annotations

from pathlib import Path

import pytest

from align import config as config_mod
from align.errors import ConfigError
from align.pipeline import run
from align.progress import Progress

EXAMPLE = Path(__file__).resolve().parents[1] / "data" / "examples" / "columbus-oh" / "region.toml"


@pytest.fixture(scope="module")
def columbus(real_data, tmp_path_factory):
    try:
        cfg = config_mod.load(EXAMPLE)
    except ConfigError as exc:  # the example reads ../shared/data/real beside the checkout
        pytest.skip(f"real files not where the example expects them: {exc}")
    cfg = cfg.model_copy(update={"output_dir": str(tmp_path_factory.mktemp("runs"))})
    return run(cfg, progress=Progress(0, enabled=False), report=False)


def test_every_job_is_counted_once(columbus):
    emp = columbus.tables["industry_employment"]
    # QCEW 2020 annual, all ownerships, all industries: Franklin 727,016 + Delaware 84,743
    # (morpc-qcew-2020-a-39049.csv / -39041.csv, own_code 0, industry 10). Private sectors plus
    # government arranged as OEWS counts it must add back to that within QCEW's rounding.
    assert emp["employment"].sum() == pytest.approx(727_016 + 84_743, abs=10)
    assert "99" in set(emp["naics_code"]) and "31-33" in set(emp["naics_code"])


def test_real_run_produces_every_occupation_and_flags(columbus):
    t = columbus.tables
    demand = t["occupation_demand"]
    assert len(demand) > 700  # detailed occupations through the natsector staffing patterns
    rn = demand.set_index("soc_code").loc["29-1141"]
    assert 600 < rn["annual_openings"] < 1500
    assert set(t["gaps"]["flag"]) >= {"undersupply", "oversupply", "on-the-job entry", "filled from experience"}
    programs = t["programs"]
    assert programs["provider_id"].isin(["204796"]).any()  # Ohio State University-Main Campus, Franklin County
    # one year of QCEW history: no interval, said so, never a made-up range
    assert t["industry_forecast"]["lo80"].isna().all()
    assert any("too little history" in w for w in columbus.warnings)
