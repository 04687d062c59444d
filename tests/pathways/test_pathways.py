"""Pathways on a small hand-made region (O*NET-layout fixtures in tests/fixtures/pathways).

Hand-worked: openings 30, 40, 80, 300, 480, 1100, 1700 → 75th percentile 790, so fast food and
cashiers are high demand by volume, and LPN (slight undersupply), RN (undersupply) and NP (no
regional program) by their flags. Upward edges: NA→LPN, NA→RN, LPN→RN, RN→NP (the RN detail
code 29-1141.01 folds into the same RN→NP edge), fast food→chefs. RN→NA goes down and fast
food→cashiers gains only 2%, so both are dropped; cashiers→NA is a Supplemental link (excluded).
"""

from __future__ import annotations

from pathlib import Path

import pandas as pd
import pytest

from align import connector
from align.pathways import PathwayParams, build_pathways
from align.pathways.graph import build_edges, build_nodes
from align.pathways.ladders import find_ladders, paths_from

OCC = [  # soc, title, openings, entry education, median wage, gap flag
    ("31-1131", "Nursing assistants", 300, "Postsecondary nondegree award", 39530, "balanced"),
    ("29-2061", "Licensed practical nurses", 80, "Postsecondary nondegree award", 62340, "slight undersupply"),
    ("29-1141", "Registered nurses", 480, "Bachelor's degree", 93600, "undersupply"),
    ("29-1171", "Nurse practitioners", 40, "Master's degree", 129210, "no regional program"),
    ("35-3023", "Fast food and counter workers", 1700, "No formal educational credential", 30480, "on-the-job entry"),
    ("35-1011", "Chefs and head cooks", 30, "High school diploma or equivalent", 60990, "balanced"),
    ("41-2011", "Cashiers", 1100, "No formal educational credential", 31190, "on-the-job entry"),
]
PROGRAMS = [  # program_id, provider, cip, award level
    ("1:51.3902:21", "1", "51.3902", "21"), ("1:51.3901:2", "1", "51.3901", "2"),
    ("2:51.3801:3", "2", "51.3801", "3"), ("3:51.3801:5", "3", "51.3801", "5"),
    ("4:12.0503:2", "4", "12.0503", "2"), ("4:12.0503:3", "4", "12.0503", "3"),
]
CIP_SOC = [("51.3902", "31-1131"), ("51.3901", "29-2061"), ("51.3801", "29-1141"), ("51.3805", "29-1141"),
           ("51.3805", "29-1171"), ("12.0503", "35-1011")]


@pytest.fixture(scope="module")
def inputs(fixtures) -> dict[str, pd.DataFrame]:
    demand = pd.DataFrame([(s, t, o, e) for s, t, o, e, _w, _f in OCC],
                          columns=["soc_code", "occupation_title", "annual_openings", "typical_entry_education"])
    gaps = pd.DataFrame([(s, f) for s, *_r, f in OCC], columns=["soc_code", "flag"])
    wages = pd.DataFrame([(s, w) for s, _t, _o, _e, w, _f in OCC], columns=["soc_code", "wage_annual_median"])
    programs = pd.DataFrame(PROGRAMS, columns=["program_id", "provider_id", "cip_code", "award_level"])
    cip_soc = pd.DataFrame(CIP_SOC, columns=["cip_code", "soc_code"])
    folder = fixtures / "pathways"
    return {"demand": demand, "gaps": gaps, "programs": programs, "cip_soc": cip_soc, "wages": wages,
            "onet_related": connector.get("onet_related").parse(folder / "Related Occupations.txt"),
            "job_zones": connector.get("onet_job_zones").parse(folder / "Job Zones.txt")}


def run(inputs: dict, **kw: object) -> dict[str, pd.DataFrame]:
    i = inputs
    return build_pathways(i["demand"], i["gaps"], i["programs"], i["cip_soc"], i["onet_related"],
                          i["job_zones"], i["wages"], params=PathwayParams(**kw))


def test_upward_edges(inputs: dict) -> None:
    edges = run(inputs)["pathways"]
    assert sorted(zip(edges["soc_code"], edges["related_soc_code"], strict=True)) == [
        ("29-1141", "29-1171"), ("29-2061", "29-1141"), ("31-1131", "29-1141"), ("31-1131", "29-2061"),
        ("35-3023", "35-1011")]
    e = edges.set_index(["soc_code", "related_soc_code"])
    assert e.loc[("31-1131", "29-2061"), "wage_gain"] == 62340 - 39530
    assert e.loc[("29-1141", "29-1171"), "relatedness_tier"] == "Primary-Short"  # .00 beats .01 row
    assert "job zone 2 → 3" in e.loc[("31-1131", "29-2061"), "edge_reason"]


def test_wage_threshold_and_tiers_are_parameters_but_never_cross_career_families(inputs: dict) -> None:
    def pairs(edges: pd.DataFrame) -> set:
        return set(zip(edges["soc_code"], edges["related_soc_code"], strict=True))

    # fast food → cashiers gains 2.3%, and cashiers → nursing assistants is a Supplemental link: a looser
    # threshold or tier admits neither, since food service → sales → health care is not a ladder
    assert ("35-3023", "41-2011") not in pairs(run(inputs, min_wage_gain=0.02)["pathways"])
    assert ("41-2011", "31-1131") not in pairs(run(inputs, tiers=("Primary-Short", "Primary-Long", "Supplemental"))[
        "pathways"])
    # keeping only Primary-Long links leaves RN → NP (through the RN detail code 29-1141.01) alone
    assert pairs(run(inputs, tiers=("Primary-Long",))["pathways"]) == {("29-1141", "29-1171")}


def test_entry_points(inputs: dict) -> None:
    ep = run(inputs)["entry_points"].set_index("soc_code")
    # NA (zone 2) and LPN (certificate) reach shortage occupations; fast food only reaches chefs,
    # which are not in demand; cashiers have no primary upward link
    assert sorted(ep.index) == ["29-2061", "31-1131"]
    assert ep.loc["31-1131", "reachable"] == "29-1141; 29-1171; 29-2061"
    assert ep.loc["31-1131", "min_steps"] == 1
    assert ep.loc["31-1131", "best_wage_gain_pct"] == pytest.approx(129210 / 39530 - 1, abs=1e-4)
    # widening the tiers adds cashiers → NA (Supplemental), but that leaves sales for health care: no entry point
    wide = run(inputs, tiers=("Primary-Short", "Primary-Long", "Supplemental"))["entry_points"]
    assert "41-2011" not in set(wide["soc_code"])


def test_ladder_search_and_ranking(inputs: dict) -> None:
    lad = run(inputs)["ladders"]
    na = lad[lad["start_soc_code"] == "31-1131"]
    paths = {r: tuple(g.sort_values("step")["soc_code"]) for r, g in na.groupby("ladder_rank")}
    assert paths == {1: ("31-1131", "29-1141", "29-1171"),            # +227%, shorter first
                     2: ("31-1131", "29-2061", "29-1141", "29-1171"),
                     3: ("31-1131", "29-1141"), 4: ("31-1131", "29-2061", "29-1141"),
                     5: ("31-1131", "29-2061")}
    top = na[na["ladder_rank"] == 1].set_index("step")
    assert top.loc[1, "wage_gain"] == 93600 - 39530
    assert top.loc[2, "wage_gain_cumulative_pct"] == pytest.approx(129210 / 39530 - 1, abs=1e-4)
    assert top.loc[1, "programs"] == "2:51.3801:3; 3:51.3801:5"      # ADN counts for RN (exception)
    assert top.loc[2, "n_programs"] == 0
    two = run(inputs, max_steps=2)["ladders"]
    assert two.groupby("ladder_id")["step"].max().max() == 2


def test_paths_from_small_graph() -> None:
    adj = {"a": ["b", "c"], "b": ["c", "a"], "c": ["d"]}
    assert sorted(paths_from("a", adj, 2)) == [("a", "b"), ("a", "b", "c"), ("a", "c"), ("a", "c", "d")]


def test_ladders_for_a_sector_and_start(inputs: dict) -> None:
    p = PathwayParams()
    nodes = build_nodes(inputs["demand"], inputs["gaps"], inputs["programs"], inputs["cip_soc"],
                        inputs["job_zones"], inputs["wages"], p)
    edges = build_edges(nodes, inputs["onet_related"], p)
    lad = find_ladders(nodes, edges, starts=["29-2061"], params=PathwayParams(sector="29"))
    assert set(lad["end_soc_code"]) == {"29-1141", "29-1171"}
    assert set(lad["start_soc_code"]) == {"29-2061"}


def test_stacks_and_broken_stacks(inputs: dict) -> None:
    st = run(inputs)["stacks"].set_index(["cip_family", "award_rank"])
    # 51.38: ADN at provider 2, BSN at provider 3 → across providers; NP needs a master's,
    # has 40 openings, and no 51.38 master's program exists → broken at rank 4
    assert st.loc[("51.38", 2), "programs"] == "2:51.3801:3"
    assert st.loc[("51.38", 3), "stack_kind"] == "across providers"
    assert bool(st.loc[("51.38", 4), "is_broken"]) and st.loc[("51.38", 4), "occupations"] == "29-1171"
    assert not st.loc[[("51.38", 2), ("51.38", 3)], "is_broken"].any()
    assert st.loc[("12.05", 2), "stack_kind"] == "within provider"      # certificate + associate at 4
    assert "51.39" not in st.index.get_level_values(0)                    # one rank only: no stack


def test_pathway_gaps(inputs: dict) -> None:
    g = run(inputs)["pathway_gaps"].set_index("soc_code")
    assert sorted(g.index) == ["29-1141", "29-1171", "29-2061"]           # NA is balanced and trained
    assert g.loc["29-1171", "gap_kind"] == "shortage + no regional training"
    assert g.loc["29-1141", "gap_kind"] == "shortage"


def test_cli_pathways(demo_run_folder, fixtures, tmp_path, capsys) -> None:
    import shutil

    from align.cli import main
    from align.runs import verify

    parent = tmp_path / "run"
    shutil.copytree(demo_run_folder, parent)
    assert main(["pathways", str(parent), "--onet", str(fixtures / "pathways")]) == 0
    folder = Path(capsys.readouterr().out.strip().splitlines()[-1].removeprefix("pathways: "))
    assert folder.parent == parent.parent and verify(parent) == [] and verify(folder) == []
    for name in ("pathways", "ladders", "stacks", "pathway_gaps", "entry_points"):
        assert (folder / f"{name}.csv").exists()
    edges = pd.read_csv(folder / "pathways.csv", dtype={"soc_code": str, "related_soc_code": str})
    # the fixture's related occupations lead from nursing assistants to LPNs and RNs
    assert {("31-1131", "29-2061"), ("31-1131", "29-1141")} <= set(zip(edges["soc_code"], edges["related_soc_code"],
                                                                       strict=True))
    assert main(["pathways", str(tmp_path / "nope"), "--onet", str(fixtures / "pathways")]) == 2


def test_pathway_gaps_lead_with_the_largest_steps_not_the_most_travelled() -> None:
    from align.pathways.gaps import pathway_gaps

    nodes = pd.DataFrame({
        "soc_code": ["49-2095", "29-1141", "49-2093"],
        "occupation_title": ["Powerhouse repairers", "Registered Nurses", "Transportation equipment repairers"],
        "annual_openings": [11.0, 1093.0, 2.9], "flag": ["no regional program", "undersupply", "below minimum openings"],
        "typical_entry_education": ["Postsecondary nondegree award", "Bachelor's degree", "Postsecondary nondegree award"],
        "wage_annual_median": [90000.0, 86000.0, 70000.0], "n_programs": [0, 5, 0], "entry_rank": [1, 3, 1]})
    ladders = pd.DataFrame({"ladder_id": [f"L{i}" for i in range(128)] + ["N1", "N2"] + ["T1"] * 3,
                            "soc_code": ["49-2095"] * 128 + ["29-1141"] * 2 + ["49-2093"] * 3})
    g = pathway_gaps(nodes, ladders)
    # nurses (1,093 openings, 2 ladders) lead the powerhouse repairers (11 openings, 128 ladders); a job
    # with too few openings to judge (2.9) is no broken step even with no program
    assert g["soc_code"].tolist() == ["29-1141", "49-2095"]
    assert g["n_ladders"].tolist() == [2, 128]


def test_a_step_whose_training_is_not_counted_is_not_read_as_untrained() -> None:
    """Truck drivers (CDL schools are not in IPEDS) are 'training not counted', not 'no regional
    training'; the board's broken steps leave them to the list of training outside colleges."""
    from align.pathways.gaps import NOT_COUNTED, pathway_gaps
    from align.report.board import broken_steps

    nodes = pd.DataFrame({
        "soc_code": ["53-3032", "29-1171"], "occupation_title": ["Truck drivers", "Nurse practitioners"],
        "annual_openings": [1258.0, 40.0], "flag": ["training not in this run", "no regional program"],
        "typical_entry_education": ["Postsecondary nondegree award", "Master's degree"],
        "wage_annual_median": [58640.0, 120000.0], "n_programs": [0, 0], "entry_rank": [1, 4]})
    ladders = pd.DataFrame({"soc_code": ["53-3032", "29-1171"], "ladder_id": ["L1", "L2"]})
    g = pathway_gaps(nodes, ladders).set_index("soc_code")
    assert g.loc["53-3032", "gap_kind"] == NOT_COUNTED
    assert "not counted in this run" in g.loc["53-3032", "reason"] and "no regional" not in g.loc["53-3032", "reason"]
    assert g.loc["29-1171", "gap_kind"] == "shortage + no regional training"
    steps = broken_steps(g.reset_index())
    assert len(steps) == 1 and steps[0].startswith("Nurse practitioners") and "no program" in steps[0]


def test_stack_rows_in_full(inputs: dict) -> None:
    """Every field of the 12.05 stack, worked by hand: provider 4 offers 12.0503 as a certificate
    (level 2, rank 1) and an associate degree (level 3, rank 2); chefs (12.0503 → 35-1011) need only
    a high-school diploma (entry rank 0), so no rank is needed beyond what is offered."""
    st = run(inputs)["stacks"]
    fam = st[st["cip_family"] == "12.05"].sort_values("stack_step")
    assert fam[["stack_step", "award_rank", "award_levels", "n_programs", "programs", "providers", "n_providers",
                "stack_kind", "occupations", "annual_openings", "is_broken", "reason"]].values.tolist() == [
        [1, 1, "2", 1, "4:12.0503:2", "4", 1, "within provider", "", 0.0, False, "1 regional program(s) at this level"],
        [2, 2, "3", 1, "4:12.0503:3", "4", 1, "within provider", "", 0.0, False, "1 regional program(s) at this level"],
    ]
    broken = st[(st["cip_family"] == "51.38") & st["is_broken"]].iloc[0]
    assert (broken["annual_openings"], broken["n_programs"], broken["providers"]) == (40.0, 0, "")
    assert broken["reason"] == "29-1171 need a master's degree and have 40 openings/yr; no regional 51.38 program at that level"
