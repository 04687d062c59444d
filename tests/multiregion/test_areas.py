"""Which regions a state run plans, and the labour market regions' counties checked against the export."""

from __future__ import annotations

import pytest

from align import connector
from align.errors import ConfigError, InputError
from align.multiregion import config as C
from align.multiregion.areas import check_membership, memberships, plan_regions


def test_new_york_labour_market_regions_cover_every_county_once():
    m = memberships()
    ny = m[(m["state_fips"] == "36") & (m["area_type"] == "Labor Market Area")]
    assert ny["area_title"].nunique() == 10
    assert len(ny) == ny["county_fips"].nunique() == 62
    assert sorted(ny.loc[ny["area_title"] == "Finger Lakes Region", "county_fips"]) == [
        "36037", "36051", "36055", "36069", "36073", "36099", "36117", "36121", "36123"]  # as the example lists


@pytest.fixture(scope="module")
def ny_2012(real_data):
    return connector.get("qcew_ny").parse(real_data / "qcew_ny" / "qcew_annual_2012.txt")


def test_membership_matches_the_published_region_totals(ny_2012):
    cfg = C.StateConfig.model_validate({
        "state": {"name": "New York", "id": "ny", "state_fips": "36"}, "areas": {"type": "Labor Market Area"},
        "years": {"base": 2012, "target": 2022}, "inputs": _inputs()})
    regions = plan_regions(cfg, ny_2012)
    assert [r.slug for r in regions][:3] == ["capital-region", "central-new-york-region", "finger-lakes-region"]
    assert sum(len(r.counties) for r in regions) == 62
    counties = plan_regions(cfg.model_copy(update={"areas": C.Areas(type="County")}), ny_2012)
    assert len(counties) == 62 and counties[0].counties == ["36001"]  # Albany County


def test_a_county_in_the_wrong_region_stops_the_run(ny_2012):
    m = memberships()
    lma = m[m["area_type"] == "Labor Market Area"]
    counties = {t: sorted(g["county_fips"]) for t, g in lma.groupby("area_title")}
    counties["Finger Lakes Region"] = [*counties["Finger Lakes Region"], "36101"]  # Steuben: Southern Tier
    fips = ny_2012[ny_2012["area_type"] == "Labor Market Area"].drop_duplicates("area_title").set_index(
        "area_title")["area_fips"]
    with pytest.raises(InputError, match="Finger Lakes Region: the published total of 2012"):
        check_membership(ny_2012, fips, {"Finger Lakes Region": counties["Finger Lakes Region"]})


def _inputs() -> dict:
    one = {"source": "x", "path": "x"}
    return {k: one for k in ("industry_employment", "staffing_patterns", "occupation_projections", "completions",
                             "providers", "cip_soc")}


def test_the_configuration_refuses_what_it_cannot_mean(tmp_path):
    base = {"state": {"name": "New York", "id": "ny", "state_fips": "36"}, "years": {"base": 2012, "target": 2022},
            "inputs": _inputs()}
    with pytest.raises(ValueError, match="exactly one of"):
        C.StateConfig.model_validate(base)
    region = {"name": "A", "id": "a", "state_fips": "36", "counties": ["36001"]}
    with pytest.raises(ValueError, match="given twice"):
        C.StateConfig.model_validate({**base, "regions": [region, region]})
    with pytest.raises(ValueError, match="not in state 36"):
        C.StateConfig.model_validate({**base, "regions": [{**region, "state_fips": "39", "counties": ["39049"]}]})
    path = tmp_path / "regions.toml"
    path.write_text('[state]\nname = "New York"\nid = "ny"\nstate_fips = "36"\nregionz = 1\n', encoding="utf-8")
    with pytest.raises(ConfigError, match=r"unknown key 'state\.regionz'"):
        C.load(path)
    assert C.is_state_config(path)
