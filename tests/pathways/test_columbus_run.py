"""The real Columbus example end to end: none of the artefacts issue 13 found may come back.

Franklin and Delaware counties, Ohio (data/examples/columbus-oh), from the real IPEDS, EP, OEWS,
QCEW and O*NET files in ../shared/data/real. Each test names the artefact it guards against.
"""

from __future__ import annotations

from pathlib import Path

import pandas as pd
import pytest

from align import config as config_mod
from align.errors import ConfigError
from align.match.gaps import NOT_COVERED, SHORTAGE_FLAGS, SURPLUS_FLAGS, leading
from align.pipeline import run
from align.progress import Progress
from align.supply.accounts import ACCOUNT_COLUMNS, check_conservation

EXAMPLE = Path(__file__).resolve().parents[2] / "data" / "examples" / "columbus-oh" / "region.toml"
BANDED = ("undersupply", "slight undersupply", "balanced", "slight oversupply", "oversupply")


@pytest.fixture(scope="module")
def columbus(real_data: Path) -> dict[str, pd.DataFrame]:
    try:
        cfg = config_mod.load(EXAMPLE)
    except ConfigError as exc:  # the example reads ../shared/data/real beside the checkout
        pytest.skip(f"real files not where the example expects them: {exc}")
    return run(cfg, progress=Progress(0, enabled=False), write=False).tables


def _flag(t: dict, soc: str) -> str:
    return t["gaps"].set_index("soc_code").loc[soc, "flag"]


def _fed_by(t: dict, soc: str) -> pd.DataFrame:
    a = t["allocation"]
    return a[a["soc_code"] == soc]


def test_psychology_is_not_counted_as_managers_all_other(columbus: dict) -> None:
    assert _flag(columbus, "11-9199") == "residual category"
    assert _fed_by(columbus, "11-9199").empty
    acc = columbus["supply_accounts"].set_index("program_id")
    psych = acc[acc["cip_code"].str.startswith("42.") & (acc["award_level"] == "5")]
    assert psych["not_occupation_specific"].sum() > psych["completers_allocated"].sum() > 0


def test_teachers_come_from_teacher_preparation_and_vets_are_not_professors(columbus: dict) -> None:
    secondary = _fed_by(columbus, "25-2031")
    assert len(secondary) and secondary["cip_code"].str.startswith("13.").all()
    assert _flag(columbus, "25-2031") not in SURPLUS_FLAGS
    assert not _fed_by(columbus, "25-1071")["cip_code"].str.startswith("51.24").any()  # veterinary medicine


def test_registered_nurses_exclude_post_licensure_and_other_campuses(columbus: dict) -> None:
    rn = _fed_by(columbus, "29-1141")
    assert not rn["award_level"].isin(["7", "8", "17", "18", "19"]).any()  # no nursing master's or doctorates
    assert _flag(columbus, "29-1141") not in SURPLUS_FLAGS
    acc = columbus["supply_accounts"].set_index("program_id")
    msn = acc.loc["204796:51.3801:7"]  # Ohio State's nursing master's: already nurses
    assert msn["completers_allocated"] == 0 and msn["post_licensure"] > 0
    hondros = acc[acc["provider_id"] == "203386"]  # reports six Ohio campuses under one UNITID (region.toml: 0.17)
    assert hondros["outside_region"].sum() == pytest.approx(0.83 * hondros["completers"].sum(), abs=0.01)


def test_it_certificates_count_and_truck_drivers_are_not_said_to_lack_training(columbus: dict) -> None:
    support = _fed_by(columbus, "15-1232")
    assert support["program_id"].str.startswith("451477:").any()  # MyComputerCareer's certificates
    assert _flag(columbus, "15-1232") != "no regional program"
    g = columbus["gaps"].set_index("soc_code")
    for soc in ("53-3032", "31-1131", "33-3051"):  # CDL schools, nurse-aide courses, police academies
        assert g.loc[soc, "flag"] == "training not in this run", soc
        assert "training_inventory.csv" in g.loc[soc, "reason"]


def test_no_flag_turns_on_a_handful_of_completers(columbus: dict) -> None:
    g = columbus["gaps"]
    banded = g[g["flag"].isin(BANDED)]
    assert (banded["effective_supply"] >= 5).all()
    material = g[g["material"].astype(bool)]
    assert material["flag"].isin([*SHORTAGE_FLAGS, *SURPLUS_FLAGS, NOT_COVERED]).all()
    assert (material["gap"].abs() >= 25).all()


def test_the_board_s_lists_hold_no_artefact_of_the_method(columbus: dict) -> None:
    g = columbus["gaps"]
    short, surplus = leading(g, "shortages", 10), leading(g, "surpluses", 10)
    # shortages a board reads are those whose usual training the run sees (truck drivers go to their own list)
    assert (short["coverage"] == "covered").all() and "53-3032" in set(leading(g, "not covered", 10)["soc_code"])
    # doctorates and faculty are hired nationally: Ohio State's DVMs and engineering PhDs are no local surplus
    for soc in ("29-1131", "25-1032"):
        assert _flag(columbus, soc) == "national market" and soc not in set(surplus["soc_code"])
    # MyComputerCareer's online students are not counted as Columbus's (region.toml: 0.5, from INSTSIZE)
    acc = columbus["supply_accounts"]
    mcc = acc[acc["provider_id"] == "451477"]
    assert mcc["outside_region"].sum() == pytest.approx(0.5 * mcc["completers"].sum(), abs=0.01)
    # OEWS publishes 21-1011 and 21-1014 only as 21-1018: its counselling programs count toward it
    assert len(_fed_by(columbus, "21-1018"))


def test_duplication_leads_with_clusters_that_matter(columbus: dict) -> None:
    d = columbus["duplication"]
    lead = d[d["material"].astype(bool)]
    assert len(lead) and (lead["combined_supply"] >= 25).all() and (lead["excess_supply"] >= 10).all()
    assert d["material"].astype(bool).tolist() == sorted(d["material"].astype(bool), reverse=True)  # material first


def test_every_completer_is_accounted_for_and_the_audit_still_shows_naive_counting(columbus: dict) -> None:
    acc, programs = columbus["supply_accounts"], columbus["programs"]
    assert check_conservation(acc) < 1e-6
    assert acc[ACCOUNT_COLUMNS].to_numpy().sum() == pytest.approx(programs["completers"].sum(), abs=0.5)
    assert columbus["allocation"]["completers_allocated"].sum() == pytest.approx(
        acc["completers_allocated"].sum(), abs=0.5)
    audit = columbus["double_count_audit"].set_index("program_id").loc["ALL PROGRAMS"]
    assert audit["naive_demand"] > 1.5 * audit["openings_allocated"]


GOOD_STEPS = [("31-1131", "29-2061"), ("29-2061", "29-1141"), ("29-1141", "29-1171"), ("47-3013", "47-2111"),
              ("47-2111", "47-1011"), ("31-9092", "29-2061")]
BAD_STEPS = [("39-3031", "53-2031"), ("53-2031", "53-2021"), ("53-2021", "53-2011"), ("39-5093", "31-1131"),
             ("29-2043", "29-1171"), ("31-1131", "29-1151")]
BAD_LADDERS = [("Ushers", "Flight Attendants", "Air Traffic Controllers", "Airline Pilots"),
               ("Shampooers", "Nursing Assistants", "Registered Nurses", "Nurse Anesthetists"),
               ("Paramedics", "Nurse Practitioners")]


def test_career_ladders_a_counsellor_would_recognise(columbus: dict) -> None:
    edges = set(zip(columbus["pathways"]["soc_code"], columbus["pathways"]["related_soc_code"], strict=True))
    assert [s for s in GOOD_STEPS if s not in edges] == []
    assert [s for s in BAD_STEPS if s in edges] == []
    lad = columbus["ladders"].sort_values(["ladder_id", "step"])
    titles = {tuple(g["occupation_title"]) for _, g in lad.groupby("ladder_id")}
    assert not any(bad == t[:len(bad)] for bad in BAD_LADDERS for t in titles)
    assert ("Nursing Assistants", "Licensed Practical and Licensed Vocational Nurses", "Registered Nurses") in {
        t[:3] for t in titles}
