"""Allocation, bounds and the double-count audit on hand-worked tables (issue 2/5 arithmetic)."""

import pandas as pd
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from align.supply.accounts import SupplyRules
from align.supply.allocation import Factors, allocate, eligible_edges, supply_bounds

F = Factors(retention=0.8, participation=0.9)  # product 0.72
NO_STUDY = SupplyRules(continuing_study=0.0)  # the crosswalk arithmetic alone


def _programs(rows):
    return pd.DataFrame([{"program_id": pid, "provider_id": pid.split(":")[0], "cip_code": cip,
                          "award_level": award, "completers": c} for pid, cip, award, c in rows])


def _demand(rows):
    return pd.DataFrame(rows, columns=["soc_code", "annual_openings", "typical_entry_education"])


XW = pd.DataFrame({"cip_code": ["01.0101", "01.0101", "02.0101", "02.0101"],
                   "soc_code": ["11-1011", "11-1021", "11-1021", "11-1031"]})
PROGRAMS = _programs([("P1:01.0101:3", "01.0101", "3", 100.0), ("P2:02.0101:3", "02.0101", "3", 50.0)])
HS = "High school diploma or equivalent"
DEMAND = _demand([("11-1011", 30.0, HS), ("11-1021", 60.0, HS), ("11-1031", 10.0, HS)])


def test_proportional_allocation_two_programs_three_occupations():
    a = allocate(PROGRAMS, XW, DEMAND, mode="proportional", factors=F, rules=NO_STUDY).table.set_index(["program_id", "soc_code"])
    # P1 splits 100 completers 30:60 → 33.33 / 66.67; P2 splits 50 completers 60:10 → 42.86 / 7.14
    assert a.loc[("P1:01.0101:3", "11-1011"), "completers_allocated"] == pytest.approx(100 / 3)
    assert a.loc[("P1:01.0101:3", "11-1021"), "completers_allocated"] == pytest.approx(200 / 3)
    assert a.loc[("P2:02.0101:3", "11-1021"), "completers_allocated"] == pytest.approx(300 / 7)
    assert a.loc[("P2:02.0101:3", "11-1031"), "completers_allocated"] == pytest.approx(50 / 7)
    # occupation 11-1021's 60 openings split by completers 100:50 → 40 / 20
    assert a.loc[("P1:01.0101:3", "11-1021"), "openings_allocated"] == pytest.approx(40.0)
    assert a.loc[("P2:02.0101:3", "11-1021"), "openings_allocated"] == pytest.approx(20.0)
    assert a["completers_allocated"].sum() == pytest.approx(150.0)
    assert a["openings_allocated"].sum() == pytest.approx(100.0)
    assert a["effective_supply"].sum() == pytest.approx(150.0 * 0.72)


def test_education_weighted_allocation():
    demand = _demand([("11-1011", 30.0, "Associate's degree"), ("11-1021", 60.0, HS), ("11-1031", 10.0, HS)])
    a = allocate(PROGRAMS, XW, demand, mode="education-weighted", factors=F, rules=NO_STUDY,
                 prefer_matching_level=False).table.set_index(
        ["program_id", "soc_code"])
    # P1 (associate's): exact match to 11-1011 weighs 30 × 1, over-qualified for 11-1021 weighs 60 × 0.5
    assert a.loc[("P1:01.0101:3", "11-1011"), "share"] == pytest.approx(0.5)
    assert a.loc[("P2:02.0101:3", "11-1021"), "share"] == pytest.approx(6 / 7)
    assert a["completers_allocated"].sum() == pytest.approx(150.0)


def test_naive_mode_and_audit_reproduce_the_inflation():
    result = allocate(PROGRAMS, XW, DEMAND, mode="naive", factors=F, rules=NO_STUDY)
    assert result.table["completers_allocated"].sum() == pytest.approx(100 + 100 + 50 + 50)
    audit = result.audit.set_index("program_id")
    # naive: P1 claims 30 + 60 = 90 openings, P2 60 + 10 = 70 → 160 for 100 real openings
    assert audit.loc["P1:01.0101:3", "naive_demand"] == pytest.approx(90.0)
    assert audit.loc["ALL PROGRAMS", "naive_demand"] == pytest.approx(160.0)
    assert audit.loc["ALL PROGRAMS", "openings_allocated"] == pytest.approx(100.0)
    assert audit.loc["ALL PROGRAMS", "inflation"] == pytest.approx(60.0)


def test_award_below_entry_education_does_not_supply_unless_allowed():
    demand = _demand([("11-1011", 30.0, "Bachelor's degree"), ("11-1021", 60.0, "Bachelor's degree"),
                      ("11-1031", 10.0, HS)])
    edges, unallocated = eligible_edges(PROGRAMS, XW, demand)
    assert set(edges["soc_code"]) == {"11-1031"}
    assert unallocated["program_id"].tolist() == ["P1:01.0101:3"]
    assert "below the entry education" in unallocated["reason"].iloc[0]
    edges, unallocated = eligible_edges(PROGRAMS, XW, demand, allow_below_entry=True)
    assert unallocated.empty and len(edges) == 4


def test_no_match_programs_are_listed_not_dropped():
    xw = pd.concat([XW, pd.DataFrame({"cip_code": ["30.0000"], "soc_code": ["99-9999"], "is_no_match": [True]})])
    xw["is_no_match"] = xw["is_no_match"].fillna(False).astype(bool)
    programs = pd.concat([PROGRAMS, _programs([("P3:30.0000:3", "30.0000", "3", 80.0)])], ignore_index=True)
    _, unallocated = eligible_edges(programs, xw, DEMAND)
    assert unallocated.set_index("program_id").loc["P3:30.0000:3", "reason"].endswith("(NO MATCH)")


def test_bounds_enumerated():
    # P3 maps only to 11-1031, so 11-1031 gets at least P3's completers under any allocation.
    xw = pd.concat([XW, pd.DataFrame({"cip_code": ["03.0101"], "soc_code": ["11-1031"]})])
    programs = pd.concat([PROGRAMS, _programs([("P3:03.0101:3", "03.0101", "3", 20.0)])], ignore_index=True)
    edges, _ = eligible_edges(programs, xw, DEMAND)
    b = supply_bounds(edges, Factors(1.0, 1.0))
    assert b.loc["11-1011"].tolist() == [0.0, 100.0]
    assert b.loc["11-1021"].tolist() == [0.0, 150.0]
    assert b.loc["11-1031"].tolist() == [20.0, 70.0]
    # every proportional allocation lies inside the bounds
    a = allocate(programs, xw, DEMAND, mode="proportional", factors=Factors(1.0, 1.0), rules=NO_STUDY).table
    got = a.groupby("soc_code")["effective_supply"].sum()
    assert ((got >= b["supply_low"] - 1e-9) & (got <= b["supply_high"] + 1e-9)).all()


@settings(max_examples=60, deadline=None)
@given(st.lists(st.tuples(st.integers(0, 5), st.integers(0, 7)), min_size=1, max_size=25, unique=True),
       st.lists(st.floats(0, 500), min_size=6, max_size=6), st.lists(st.floats(0, 300), min_size=8, max_size=8))
def test_allocation_conserves_totals(pairs, completers, openings):
    xw = pd.DataFrame({"cip_code": [f"{c + 10:02d}.0101" for c, _ in pairs],
                       "soc_code": [f"11-10{o + 10:02d}" for _, o in pairs]})
    programs = _programs([(f"P{c}:{c + 10:02d}.0101:3", f"{c + 10:02d}.0101", "3", completers[c]) for c in range(6)])
    demand = _demand([(f"11-10{o + 10:02d}", openings[o], HS) for o in range(8)])
    result = allocate(programs, xw, demand, mode="proportional", factors=F, rules=NO_STUDY)
    mapped = programs[programs["cip_code"].isin(xw["cip_code"])]
    fed = demand[demand["soc_code"].isin(xw["soc_code"])]
    assert result.table["completers_allocated"].sum() == pytest.approx(mapped["completers"].sum(), rel=1e-9, abs=1e-6)
    assert result.table["openings_allocated"].sum() == pytest.approx(fed["annual_openings"].sum(), rel=1e-9, abs=1e-6)


def test_bounds_match_brute_force_enumeration():
    import itertools

    # the exact bounds are attained at allocations that send each program wholly to one occupation
    xw = pd.concat([XW, pd.DataFrame({"cip_code": ["03.0101", "03.0101"], "soc_code": ["11-1031", "11-1011"]})])
    programs = pd.concat([PROGRAMS, _programs([("P3:03.0101:3", "03.0101", "3", 20.0)])], ignore_index=True)
    edges, _ = eligible_edges(programs, xw, DEMAND)
    b = supply_bounds(edges, Factors(1.0, 1.0))
    choices = [list(g["soc_code"]) for _, g in edges.groupby("program_id")]
    completers = [g["completers"].iloc[0] for _, g in edges.groupby("program_id")]
    totals = {s: [] for s in b.index}
    for pick in itertools.product(*choices):
        got = dict.fromkeys(b.index, 0.0)
        for soc, c in zip(pick, completers, strict=True):
            got[soc] += c
        for s, v in got.items():
            totals[s].append(v)
    for s in b.index:
        assert (b.loc[s, "supply_low"], b.loc[s, "supply_high"]) == (min(totals[s]), max(totals[s]))


def test_program_completers_average_counts_absent_years_as_zero():
    from align.supply.programs import build_programs

    completions = pd.DataFrame({
        "provider_id": ["A", "A", "A", "B"], "cip_code": ["51.3801", "51.3801", "52.0201", "51.3801"],
        "award_level": ["3", "3", "3", "3"], "year": [2022, 2023, 2024, 2024], "completers": [10.0, 20.0, 5.0, 7.0]})
    providers = pd.DataFrame({"provider_id": ["A", "B"], "provider_name": ["A", "B"], "provider_kind": "ipeds",
                              "county_fips": ["99001", "99003"]})
    p = build_programs(completions, providers, counties=["99001", "99003"]).set_index("program_id")
    # A reported in 2022-2024; its nursing program had 10, 20 and (absent in 2024) 0 completers
    assert p.loc["A:51.3801:3", "completers"] == pytest.approx(10.0)
    assert p.loc["A:51.3801:3", "completers_sd"] == pytest.approx(10.0)
    # B reported only 2024: its average is over that one year, with no spread to measure
    assert p.loc["B:51.3801:3", "completers"] == 7.0 and p.loc["B:51.3801:3", "completers_sd"] == 0.0


def test_a_master_s_is_shared_among_every_occupation_it_qualifies_for():
    # a computer-science master's (award 7) maps to research scientists (entry: master's, 10 openings)
    # and software developers (entry: bachelor's, 90 openings): its 100 completers split 10 : 90, not
    # all to the 10 research-scientist openings (the old matching-level rule: 100 supply for 10 openings)
    xw = pd.DataFrame({"cip_code": ["11.0701", "11.0701"], "soc_code": ["15-1221", "15-1252"]})
    demand = _demand([("15-1221", 10.0, "Master's degree"), ("15-1252", 90.0, "Bachelor's degree")])
    a = allocate(_programs([("U:11.0701:7", "11.0701", "7", 100.0)]), xw, demand, mode="proportional",
                 factors=F, rules=NO_STUDY).table.set_index("soc_code")["completers_allocated"]
    assert a.to_dict() == pytest.approx({"15-1221": 10.0, "15-1252": 90.0})
    # a nurse-practitioner master's maps to RNs and NPs: post-licensure, it supplies NPs only
    xw = pd.DataFrame({"cip_code": ["51.3805", "51.3805", "51.3801"], "soc_code": ["29-1141", "29-1171", "29-1141"]})
    programs = _programs([("U:51.3805:7", "51.3805", "7", 25.0), ("U:51.3801:5", "51.3801", "5", 60.0)])
    demand = _demand([("29-1141", 500.0, "Bachelor's degree"), ("29-1171", 50.0, "Master's degree")])
    a = allocate(programs, xw, demand, mode="proportional", factors=F, rules=NO_STUDY).table
    assert a[["program_id", "soc_code"]].values.tolist() == [["U:51.3801:5", "29-1141"], ["U:51.3805:7", "29-1171"]]


def test_a_doctorate_supplies_the_national_market_it_maps_to():
    # an aerospace-engineering PhD (award 17) maps to aerospace engineers (bachelor's, 100 openings) and
    # engineering faculty (doctorate, 10): it supplies the faculty market only (hired nationally); without
    # the rule it would be shared 100 : 10 with the region's engineers
    xw = pd.DataFrame({"cip_code": ["14.0201", "14.0201"], "soc_code": ["17-2011", "25-1032"]})
    demand = _demand([("17-2011", 100.0, "Bachelor's degree"), ("25-1032", 10.0, "Doctoral or professional degree")])
    programs = _programs([("U:14.0201:17", "14.0201", "17", 22.0)])
    a = allocate(programs, xw, demand, factors=F, rules=NO_STUDY).table.set_index("soc_code")["completers_allocated"]
    assert a.to_dict() == pytest.approx({"25-1032": 22.0})
    shared = allocate(programs, xw, demand, factors=F, rules=NO_STUDY, prefer_matching_level=False).table
    assert shared.set_index("soc_code")["completers_allocated"].to_dict() == pytest.approx(
        {"17-2011": 20.0, "25-1032": 2.0})


def test_crosswalk_codes_published_only_combined_count_toward_the_combined_code():
    from align.supply.allocation import demand_codes

    xw = pd.Series(["21-1011", "21-1014", "13-1021", "25-2055", "25-2056", "25-2051", "29-1141", "99-1011"])
    demand = pd.Series(["21-1018", "13-1020", "25-2052", "25-2051", "29-1141", "99-1018", "99-1019"])
    assert demand_codes(xw, demand) == {
        "21-1011": "21-1018", "21-1014": "21-1018",  # OEWS's aggregate of two detailed codes
        "13-1021": "13-1020",                        # the SOC broad group
        "25-2055": "25-2052", "25-2056": "25-2052",  # 25-2051 is published on its own, 25-2052 is the rest
        "25-2051": "25-2051", "29-1141": "29-1141",
        "99-1011": "99-1011"}                        # two candidates: no guess
    # a counselling-psychology master's mapped to 21-1014 supplies the 21-1018 openings
    edges, _ = eligible_edges(_programs([("U:42.2803:7", "42.2803", "7", 30.0)]),
                              pd.DataFrame({"cip_code": ["42.2803"], "soc_code": ["21-1014"]}),
                              _demand([("21-1018", 200.0, "Master's degree")]))
    assert edges["soc_code"].tolist() == ["21-1018"]


def test_entry_education_tolerance_admits_one_level_below():
    xw = pd.DataFrame({"cip_code": ["11.0901"], "soc_code": ["15-1231"]})
    programs = _programs([("C:11.0901:2", "11.0901", "2", 40.0)])  # a certificate (rank 1)
    demand = _demand([("15-1231", 30.0, "Associate's degree")])    # needs an associate's (rank 2)
    strict, unallocated = eligible_edges(programs, xw, demand)
    assert strict.empty and "below the entry education" in unallocated["reason"].iloc[0]
    tolerant, _ = eligible_edges(programs, xw, demand, tolerance=1)
    assert tolerant["soc_code"].tolist() == ["15-1231"]


# --- where graduates go (issue 13): hand-made programs, hand-worked accounts ---------------------

def _occ(rows):
    return pd.DataFrame(rows, columns=["soc_code", "occupation_title", "annual_openings", "typical_entry_education"])


BA = "Bachelor's degree"
FIELDS_XW = pd.DataFrame({"cip_code": ["42.0101", "42.0101", "42.0101", "26.0101", "26.0101", "26.0101",
                                       "13.1322", "51.2401", "51.2401"],
                          "soc_code": ["11-9199", "19-3039", "21-1093", "19-4021", "25-2031", "19-1029",
                                       "25-2031", "29-1131", "25-1071"]})
FIELDS_OCC = _occ([("11-9199", "Managers, All Other", 300.0, BA),
                   ("19-3039", "Psychologists, All Other", 20.0, "Master's degree"),
                   ("21-1093", "Social and Human Service Assistants", 100.0, "High school diploma or equivalent"),
                   ("19-4021", "Biological Technicians", 40.0, BA),
                   ("25-2031", "Secondary School Teachers", 200.0, BA),
                   ("19-1029", "Biological Scientists, All Other", 30.0, BA),
                   ("29-1131", "Veterinarians", 20.0, "Doctoral or professional degree"),
                   ("25-1071", "Health Specialties Teachers, Postsecondary", 200.0, "Doctoral or professional degree")])
FIELDS_PROGRAMS = _programs([("U:42.0101:5", "42.0101", "5", 600.0), ("U:26.0101:5", "26.0101", "5", 400.0),
                             ("U:13.1322:5", "13.1322", "5", 10.0), ("U:51.2401:18", "51.2401", "18", 100.0)])


def test_general_fields_are_not_pushed_into_all_other_occupations_or_teaching():
    result = allocate(FIELDS_PROGRAMS, FIELDS_XW, FIELDS_OCC, factors=Factors(1.0, 1.0))
    a = result.table.set_index(["program_id", "soc_code"])["completers_allocated"]
    acc = result.accounts.set_index("program_id")
    # psychology BA (general): 600 × 25% continue studying = 150; 450 enter work, 27% of them (121.5) are
    # counted toward the field's occupations: not 'Managers, All Other' (residual), not psychologists (a
    # master's), so social and human service assistants; the other 328.5 are not occupation-specific
    assert acc.loc["U:42.0101:5", "continuing_study"] == pytest.approx(150.0)
    assert a.loc[("U:42.0101:5", "21-1093")] == pytest.approx(450 * 0.27)
    assert acc.loc["U:42.0101:5", "not_occupation_specific"] == pytest.approx(450 * 0.73)
    assert "11-9199" not in set(result.table["soc_code"]) and "19-1029" not in set(result.table["soc_code"])
    # biology BA: only biological technicians take it (teachers need CIP 13; 'All Other' absorbs nothing)
    assert a.loc[("U:26.0101:5", "19-4021")] == pytest.approx(400 * 0.75 * 0.27)
    assert ("U:26.0101:5", "25-2031") not in a.index
    # biology teacher education supplies secondary teachers, all of its 10 × (1 − 17%) entering work
    assert a.loc[("U:13.1322:5", "25-2031")] == pytest.approx(10 * 0.83)
    # a DVM (professional doctorate) supplies veterinarians, not postsecondary teachers
    assert a.loc[("U:51.2401:18", "29-1131")] == pytest.approx(100.0)
    assert ("U:51.2401:18", "25-1071") not in a.index


def test_continuing_study_varies_by_award_and_field_from_the_sourced_table():
    from align.supply.continuing import continuing_study_share, rates

    p = _programs([("A:24.0101:3", "24.0101", "3", 1.0), ("A:51.0801:3", "51.0801", "3", 1.0),
                   ("A:42.0101:5", "42.0101", "5", 1.0), ("A:52.0201:5", "52.0201", "5", 1.0),
                   ("A:48.0508:2", "48.0508", "2", 1.0), ("A:51.1201:18", "51.1201", "18", 1.0),
                   ("A:42.0101:7", "42.0101", "7", 1.0), ("A:52.0201:3", "52.0201", "3", 1.0)])
    # transfer associate's 64%, occupational associate's 20%, arts-and-sciences BA 25%, business BA 17%,
    # welding certificate 10%, MD 0, psychology master's 5%, general business associate's 64%
    assert continuing_study_share(p).round(2).tolist() == [0.64, 0.20, 0.25, 0.17, 0.10, 0.0, 0.05, 0.64]
    assert continuing_study_share(p, 0.1).tolist() == [0.1] * 8  # the setting overrides the table
    t = rates()
    published = t[t["source_kind"] == "published"]
    assert len(published) >= 2 and published["source"].str.contains("NCES 2019-241|Snapshot Report 23").all()


def test_post_licensure_programs_are_not_new_supply_of_the_licence_they_start_from():
    xw = pd.DataFrame({"cip_code": ["51.3801", "51.3801", "51.3805", "51.3805"],
                       "soc_code": ["29-1141", "25-1072", "29-1141", "29-1171"]})
    occ = _occ([("29-1141", "Registered Nurses", 900.0, BA),
                ("25-1072", "Nursing Instructors and Teachers, Postsecondary", 30.0, "Doctoral or professional degree"),
                ("29-1171", "Nurse Practitioners", 60.0, "Master's degree")])
    programs = _programs([("U:51.3801:5", "51.3801", "5", 200.0), ("U:51.3801:7", "51.3801", "7", 100.0),
                          ("U:51.3805:7", "51.3805", "7", 50.0), ("V:51.3801:5", "51.3801", "5", 100.0)])
    rules = SupplyRules(continuing_study=0.0, rn_to_bsn_share=0.3, post_licensure_share={"V": 0.8})
    result = allocate(programs, xw, occ, factors=Factors(1.0, 1.0), rules=rules)
    acc = result.accounts.set_index("program_id")
    a = result.table.set_index(["program_id", "soc_code"])["completers_allocated"]
    # BSN: 30% RN-to-BSN (already nurses); provider V states its own 80%
    assert a.loc[("U:51.3801:5", "29-1141")] == pytest.approx(140.0) and acc.loc["U:51.3801:5", "post_licensure"] == 60
    assert a.loc[("V:51.3801:5", "29-1141")] == pytest.approx(20.0)
    # the generic MSN supplies no one new (nurses already; teaching needs a doctorate); the NP master's supplies NPs
    assert acc.loc["U:51.3801:7", "post_licensure"] == 100.0 and "U:51.3801:7" not in set(result.table["program_id"])
    assert a.loc[("U:51.3805:7", "29-1171")] == pytest.approx(50.0) and ("U:51.3805:7", "29-1141") not in a.index


def test_every_completer_is_accounted_for_exactly():
    from align.supply.accounts import ACCOUNT_COLUMNS, check_conservation

    rules = SupplyRules(regional_share={"U": 0.5})
    result = allocate(FIELDS_PROGRAMS, FIELDS_XW, FIELDS_OCC, factors=F, rules=rules)
    acc = result.accounts
    assert check_conservation(acc) < 1e-9
    assert acc[ACCOUNT_COLUMNS].to_numpy().sum() == pytest.approx(FIELDS_PROGRAMS["completers"].sum())
    assert acc["outside_region"].sum() == pytest.approx(555.0)  # half of U's 1,110 completers are elsewhere
    assert result.table["completers_allocated"].sum() == pytest.approx(acc["completers_allocated"].sum())


def test_an_award_below_its_crosswalk_occupations_supplies_its_broad_group_entry_job():
    # a networking certificate maps to network support specialists (associate's): the crosswalk has no
    # certificate-level match, so it supplies their broad group's certificate-level job, user support
    xw = pd.DataFrame({"cip_code": ["11.0901", "11.0901"], "soc_code": ["15-1231", "15-1244"]})
    occ = _occ([("15-1231", "Computer Network Support Specialists", 50.0, "Associate's degree"),
                ("15-1232", "Computer User Support Specialists", 240.0, "Some college, no degree"),
                ("15-1244", "Network and Computer Systems Administrators", 90.0, BA)])
    edges, unallocated = eligible_edges(_programs([("M:11.0901:21", "11.0901", "21", 600.0)]), xw, occ)
    assert edges[["soc_code", "match"]].values.tolist() == [["15-1232", "same occupation group"]]
    assert unallocated.empty


def test_single_unit_organisations_are_flagged_for_a_regional_share(fixtures):
    from align.supply.regional import single_unit_systems

    providers = pd.DataFrame({"provider_id": ["1", "2", "3", "4"], "provider_name": ["Hondros", "OSU", "OSU Lima", "X"],
                              "system_code": ["303380", "139065", "139065", None],
                              "system_name": ["National Education Seminars Inc.", "OSU", "OSU", None]})
    lone = single_unit_systems(providers, {"1", "2", "4"})
    assert lone["provider_id"].tolist() == ["1"]  # OSU's campuses report separately; X is in no organisation


def test_partly_counted_colleges_are_one_plain_caveat_and_the_ids_go_to_the_operator():
    from align.notes import board_caveats, operator_notes
    from align.supply.findings import regional_notes

    programs = pd.DataFrame({"provider_id": ["203386", "451477", "9"],
                             "provider_name": ["Hondros College of Nursing", "MyComputerCareer at Columbus", "Lone U"],
                             "single_unit_system": [None, None, "Lone Holdings"]})
    notes = regional_notes(programs, {"203386": 0.17, "451477": 0.5})
    assert board_caveats(notes) == [
        "some colleges also serve students from outside the region, so only part of their graduates is counted: "
        "Hondros College of Nursing 17%, MyComputerCareer at Columbus 50%",
        "these colleges report to IPEDS for campuses that may lie outside the region, and all their graduates "
        "are counted as the region's: Lone U"]
    assert operator_notes(notes) == [
        "share of IPEDS completers counted as the region's ([parameters.regional_share]): 203386 17%, 451477 50%",
        "providers that are the only IPEDS unit of their organisation: 9 (Lone Holdings); set "
        "[parameters.regional_share] to apportion their completers"]


def test_a_region_whose_programs_train_for_none_of_its_jobs_allocates_nothing():
    # 03.0101 is in no crosswalk row: no eligible edge, so every table is empty but numeric
    # (pandas gives an empty *string* column when mapping no rows; that once crashed the run)
    from align.match.duplication import find_duplication

    programs = _programs([("P9:03.0101:3", "03.0101", "3", 40.0)]).astype({"program_id": "str", "cip_code": "str"})
    result = allocate(programs, XW, DEMAND, mode="proportional", factors=F, rules=NO_STUDY)
    assert result.table.empty and result.table["completers_allocated"].sum() == 0.0
    dup = find_duplication(programs, result.table, factors=F, margin=0.2, thin_completers=10)
    assert dup.empty


def test_a_region_without_programs_allocates_nothing():
    # a rural county with no programs at all: empty, numeric accounts (not a TypeError)
    programs = _programs([("P9:03.0101:3", "03.0101", "3", 40.0)]).astype(
        {"program_id": "str", "cip_code": "str"}).iloc[:0]
    result = allocate(programs, XW, DEMAND, mode="proportional", factors=F, rules=NO_STUDY)
    assert result.table.empty and result.table["completers_allocated"].sum() == 0.0


def test_supply_edges_are_reused_only_for_the_same_content():
    from align.supply import allocation as A

    first = A.supply_edges(PROGRAMS, XW, DEMAND, rules=NO_STUDY)
    again = A.supply_edges(PROGRAMS.copy(), XW.copy(), DEMAND.copy(), rules=NO_STUDY)  # same content, new objects
    for a, b in zip(first, again, strict=True):
        pd.testing.assert_frame_equal(a, b)
    again[0].loc[:, "completers"] = -1.0  # a caller's change does not reach the next caller
    assert (A.supply_edges(PROGRAMS, XW, DEMAND, rules=NO_STUDY)[0]["completers"] >= 0).all()
    # different content or rules: worked out afresh (P1 now has 40 completers; half continue studying)
    fewer = PROGRAMS.assign(completers=[40.0, 50.0])
    e = A.supply_edges(fewer, XW, DEMAND, rules=NO_STUDY)[0]
    assert e.loc[e["program_id"] == "P1:01.0101:3", "completers"].unique().tolist() == [40.0]
    e = A.supply_edges(PROGRAMS, XW, DEMAND, rules=SupplyRules(continuing_study=0.5))[0]
    assert e.loc[e["program_id"] == "P1:01.0101:3", "completers"].unique().tolist() == [50.0]
