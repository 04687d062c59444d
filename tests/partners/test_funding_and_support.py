"""Coordinated funding and support services, on small tables worked out by hand."""

from __future__ import annotations

import pandas as pd
import pytest

from align.errors import InputError
from align.outcomes import prepare_records
from align.partners import PartnerSettings, partner_views
from align.partners.funding import funding_coordination, occupation_funding, program_funding
from align.partners.support import pathway_support, program_pathways, support_outcomes

PROGRAMS = pd.DataFrame({"program_id": ["P1", "P2", "P3"], "provider_name": ["North College", "South College", "West"],
                         "cip_title": ["Medical assisting", "Bookkeeping", "Welding"], "award_level": "2"})
ALLOCATION = pd.DataFrame({"program_id": ["P1", "P1", "P2", "P3"],
                           "soc_code": ["31-9092", "31-9091", "43-3031", "51-4121"],
                           "share": [0.6, 0.4, 1.0, 1.0], "completers_allocated": [60.0, 40.0, 20.0, 30.0]})
GAPS = pd.DataFrame({"soc_code": ["31-9092", "31-9091", "43-3031", "51-4121", "47-2031"],
                     "occupation_title": ["Medical assistants", "Dental assistants", "Bookkeepers", "Welders",
                                          "Carpenters"],
                     "annual_openings": [90.0, 40.0, 300.0, 50.0, 80.0],
                     "flag": ["slight oversupply", "undersupply", "undersupply", "undersupply", "no regional program"],
                     "gap": [-10.0, 15.0, 250.0, 5.0, 80.0]})


def _inventory(rows: list[tuple]) -> pd.DataFrame:
    return pd.DataFrame(rows, columns=["program_id", "partner_id", "partner_name", "partner_kind", "pathway",
                                       "item_kind", "item", "annual_amount"])


INVENTORY = _inventory([
    ("P1", "WDB", "Board", "workforce_board", "health", "funding", "wioa_title_i_ita", 100000.0),
    ("P1", "NC", "North College", "college", "health", "funding", "pell", 50000.0),
    ("P1", "NC", "North College", "college", "health", "funding", "perkins_v", None),   # a stream, $ unknown
    ("P1", "FS", "Family Services", "community_org", "health", "support_service", "childcare", None),
    ("P1", "NC", "North College", "college", "health", "support_service", "coaching", None),
    ("P2", "SC", "South College", "college", "business", "support_service", "coaching", None),
    ("P3", "ST", "State", "state_agency", "trades", "funding", "state_grant", 20000.0),
    ("P3", "BUS", "Valley Rides", "community_org", "trades", "support_service", "transportation", None),
])


def _views() -> tuple[pd.DataFrame, pd.DataFrame, pd.DataFrame]:
    demand = GAPS[["soc_code", "occupation_title"]]
    per_program = program_funding(INVENTORY, PROGRAMS, ALLOCATION, demand)
    per_occupation = occupation_funding(per_program, INVENTORY, PROGRAMS, ALLOCATION, GAPS)
    return per_program, per_occupation, funding_coordination(per_program, per_occupation, stacked=3)


def test_funding_per_program_and_per_opening_by_hand() -> None:
    per_program, per_occupation, _ = _views()
    p1 = per_program.set_index("program_id").loc["P1"]
    assert p1["n_funding_streams"] == 3 and p1["annual_funding"] == 150000.0
    assert p1["serves_soc_code"] == "31-9092" and p1["support_services"] == "Childcare; Coaching or navigation"
    o = per_occupation.set_index("soc_code")
    assert o.loc["31-9092", "funding_allocated"] == 90000.0                   # 150,000 × 0.6
    assert o.loc["31-9092", "funding_per_opening"] == 1000.0                  # 90,000 ÷ 90 openings
    assert o.loc["31-9092", "arithmetic"] == ("North College — Medical assisting $150,000 × share 0.600 = $90,000 "
                                              "= $90,000 a year ÷ 90.0 openings a year = $1,000 per opening")
    assert o.loc["31-9091", "funding_allocated"] == 60000.0 and o.loc["31-9091", "funding_per_opening"] == 1500.0
    assert o.loc["51-4121", "funding_per_opening"] == 400.0                   # 20,000 ÷ 50
    assert not o.loc["43-3031", "is_funded"] and o.loc["43-3031", "funding_per_opening"] == 0.0
    assert o.loc["43-3031", "arithmetic"] == "1 program(s) supply it; no funding stream is recorded for them"
    assert o.loc["47-2031", "arithmetic"].startswith("no regional program supplies it")


def test_stacked_funding_beside_a_larger_unfunded_shortage() -> None:
    _, _, c = _views()
    assert c["program_id"].tolist() == ["P1"]                                 # only P1 has three streams
    row = c.iloc[0]
    assert row["unfunded_soc_code"] == "43-3031" and row["unfunded_gap"] == 250.0   # the largest unfunded one
    assert row["serves_soc_code"] == "31-9092" and row["serves_gap"] == -10.0
    assert row["reason"].startswith("3 funding streams (Federal Pell Grant; Perkins V")
    _, occupations, _ = _views()
    assert funding_coordination(_views()[0], occupations, stacked=4).empty


def test_pathways_lacking_services_with_their_completion() -> None:
    metrics = pd.DataFrame({"group_type": ["region", "pathway", "pathway", "pathway"],
                            "group_id": ["r", "health", "business", "trades"],
                            "metric": "credential_attainment_rate", "metric_value": [0.7, 0.8, 0.45, None]})
    t = pathway_support(INVENTORY, program_pathways(INVENTORY, None), metrics, region_id="r").set_index("pathway")
    assert t.loc["business", "lacks_essential"] and t.loc["business", "essential_missing"] == "Childcare; Transportation"
    assert t.loc["business", "completion_rate"] == 0.45 and t.loc["business", "completion_rate_region"] == 0.7
    assert t.loc["health", "essential_missing"] == "Transportation"
    assert t.loc["trades", "essential_missing"] == "Childcare; Coaching or navigation"
    assert pd.isna(t.loc["trades", "completion_rate"])                        # suppressed stays missing
    narrower = pathway_support(INVENTORY, program_pathways(INVENTORY, None), metrics, essential=["coaching"])
    assert narrower.set_index("pathway")["lacks_essential"].to_dict() == {"business": False, "health": False,
                                                                          "trades": True}


def _records(groups: list[tuple[str, int, int]]) -> pd.DataFrame:
    """(support_received, participants, of whom credentialed) → prepared records exiting 2023-03-31."""
    rows, n = [], 0
    for support, size, done in groups:
        for i in range(size):
            n += 1
            rows.append({"person_id": f"P{n}", "program_id": "P1", "provider_id": "NC", "enrol_date": "2022-09-01",
                         "exit_date": "2023-03-31", "in_training": "Y", "support_received": support,
                         "credential": "cert" if i < done else "", "credential_date": "2023-04-15" if i < done else ""})
    return prepare_records(pd.DataFrame(rows), salt="s")


def test_completion_with_and_without_support_by_hand() -> None:
    records = _records([("childcare; coaching", 20, 15), ("none", 20, 10), ("transportation", 5, 4)])
    t = support_outcomes(records, min_cell=10, as_of="2025-06-30", region_id="r")
    c = t[t["metric"] == "credential_attainment_rate"].set_index(["service", "received"])
    assert c.loc[("childcare", True), "metric_value"] == 0.75                 # 15 / 20
    assert c.loc[("childcare", False), "metric_value"] == 14 / 25            # (10 + 4) / 25 = 0.56
    assert c.loc[("any", True), "denominator"] == 25 and c.loc[("any", True), "numerator"] == 19
    assert c.loc[("any", False), "metric_value"] == 0.5
    small = c.loc[("transportation", True)]
    assert small["is_suppressed"] and small["suppression"] == "primary: denominator 5 < 10"
    twin = c.loc[("transportation", False)]                                   # 40 − ... would give it away
    assert twin["is_suppressed"] and twin["suppression"].startswith("complementary")
    assert pd.isna(twin["metric_value"]) and pd.isna(small["numerator"])


def test_support_received_codes_are_checked() -> None:
    with pytest.raises(InputError, match=r"row 1, column 'support_received'.*unknown support service 'daycare'"):
        _records([("daycare", 1, 0)])


def test_unknown_program_ids_stop_the_run_unless_accepted() -> None:
    tables = {"programs": PROGRAMS, "allocation": ALLOCATION, "gaps": GAPS,
              "occupation_demand": GAPS[["soc_code", "occupation_title"]]}
    extra = pd.concat([INVENTORY, _inventory([("P9", "X", "X", "other", None, "funding", "pell", 1.0)])])
    with pytest.raises(InputError, match=r"program id.*P9"):
        partner_views(tables, region_id="r", settings=PartnerSettings(), inventory=extra)
    warnings: list[str] = []
    out = partner_views(tables, region_id="r", settings=PartnerSettings(unknown_programs="note"), inventory=extra,
                        warnings=warnings)
    assert "P9" in warnings[0] and "P9" not in set(out["program_funding"]["program_id"])


def test_a_pathway_spelled_unlike_the_records_is_said() -> None:
    tables = {"programs": PROGRAMS, "allocation": ALLOCATION, "gaps": GAPS,
              "occupation_demand": GAPS[["soc_code", "occupation_title"]],
              "metrics": pd.DataFrame({"group_type": ["pathway", "pathway"], "group_id": ["health", "trades"],
                                       "metric": "credential_attainment_rate", "metric_value": [0.8, 0.7]})}
    warnings: list[str] = []
    partner_views(tables, region_id="r", settings=PartnerSettings(), inventory=INVENTORY, warnings=warnings)
    assert any("no participant record names" in w and "business" in w for w in warnings)
