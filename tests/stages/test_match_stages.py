"""Flags, the probability of shortage and duplication on hand-made tables."""

import pandas as pd
import pytest
from scipy.stats import norm

from align.config import FlagBands
from align.match.duplication import find_duplication
from align.match.gaps import band, compute_gaps, probability_shortage
from align.supply.allocation import Factors

BANDS = FlagBands()
F = Factors(1.0, 1.0)
BA = "Bachelor's degree"


@pytest.mark.parametrize(("ratio", "flag"), [(0.59, "undersupply"), (0.6, "slight undersupply"),
                                             (0.9, "slight undersupply"), (1.0, "balanced"),
                                             (1.21, "slight oversupply"), (1.5, "oversupply")])
def test_practitioner_bands(ratio, flag):
    assert band(ratio, BANDS)[0] == flag


def test_probability_of_shortage_against_a_known_normal():
    # openings 100 with an 80% range 74.4–125.6 → sd 20; supply 80: P(openings > 80) = Φ(1) = 0.8413
    sd = 20.0
    half = norm.ppf(0.9) * sd
    p = probability_shortage(pd.Series([100.0]), pd.Series([100 - half]), pd.Series([100 + half]), pd.Series([80.0]))
    assert p.iloc[0] == pytest.approx(norm.cdf(1.0), abs=1e-9)
    exact = probability_shortage(pd.Series([10.0]), pd.Series([10.0]), pd.Series([10.0]), pd.Series([12.0]))
    assert exact.iloc[0] == 0.0


def _demand(rows):
    cols = ["soc_code", "occupation_title", "annual_openings", "annual_openings_low", "annual_openings_high",
            "growth_annual", "exits_annual", "transfers_annual", "typical_entry_education"]
    return pd.DataFrame(rows, columns=cols)


def test_flags_and_their_reasons():
    demand = _demand([
        ("29-1141", "Registered nurses", 100.0, 80.0, 120.0, 10.0, 40.0, 50.0, "Bachelor's degree"),
        ("39-5012", "Hairdressers", 20.0, 15.0, 25.0, 0.0, 10.0, 10.0, "Postsecondary nondegree award"),
        ("35-3023", "Fast food workers", 300.0, 250.0, 350.0, 0.0, 150.0, 150.0, "No formal educational credential"),
        ("17-2112", "Industrial engineers", 40.0, 30.0, 50.0, 5.0, 15.0, 20.0, "Bachelor's degree"),
        ("25-1071", "Health teachers", 5.0, 4.0, 6.0, 1.0, 2.0, 2.0, "Doctoral or professional degree"),
    ])
    supply = pd.DataFrame({"soc_code": ["29-1141", "39-5012", "25-1071"], "completers_allocated": [30.0, 50.0, 1.0],
                           "effective_supply": [30.0, 50.0, 1.0], "n_programs": [1, 2, 1],
                           "programs": ["A", "B; C", "D"]})
    bounds = pd.DataFrame({"supply_low": [30.0, 50.0, 0.0], "supply_high": [30.0, 50.0, 1.0]},
                          index=["29-1141", "39-5012", "25-1071"])
    contributions = pd.DataFrame({"soc_code": ["29-1141"], "text": ["College A 51.3801: 30.0"]})
    g = compute_gaps(demand, supply, bounds, contributions, bands=BANDS, min_openings=10, factors=F,
                     below_level=pd.Series({"17-2112": "Birch Technical College associate's degree"})
                     ).set_index("soc_code")
    assert g.loc["29-1141", "flag"] == "undersupply"
    assert g.loc["29-1141", "gap"] == 70.0 and g.loc["29-1141", "supply_demand_ratio"] == pytest.approx(0.3)
    assert "growth 10.0 + exits 40.0 + transfers 50.0" in g.loc["29-1141", "reason"]
    assert "ratio 0.30 ≤ 0.59" in g.loc["29-1141", "reason"]
    assert g.loc["29-1141", "robustness"] == "short under every allocation"
    assert g.loc["39-5012", "flag"] == "oversupply"
    assert g.loc["35-3023", "flag"] == "on-the-job entry"
    assert g.loc["17-2112", "flag"] == "no regional program"
    assert g.loc["17-2112", "reason"].endswith(
        "programs in the field stop below the bachelor's degree it needs: Birch Technical College associate's degree")
    assert g.loc["25-1071", "flag"] == "below minimum openings"


def test_duplication_detector_on_a_planted_cluster():
    programs = pd.DataFrame({
        "program_id": ["A:51.0801:2", "B:51.0801:2", "C:51.0801:2", "D:51.0801:2", "A:48.0508:2"],
        "provider_id": ["A", "B", "C", "D", "A"], "provider_name": ["A", "B", "C", "D", "A"],
        "cip_code": ["51.0801"] * 4 + ["48.0508"], "award_level": ["2"] * 5,
        "completers": [100.0, 80.0, 60.0, 4.0, 30.0], "cip_title": ["Medical assisting"] * 4 + ["Welding"],
        "award_label": ["cert"] * 5})
    allocation = pd.DataFrame({"program_id": programs["program_id"], "soc_code": ["31-9092"] * 4 + ["51-4121"],
                               "openings_allocated": [60.0, 48.0, 36.0, 2.4, 90.0],
                               "completers_allocated": programs["completers"]})
    d = find_duplication(programs, allocation, factors=F, margin=0.2, thin_completers=10).set_index("cluster_id")
    assert list(d.index) == ["51.0801:2"]  # welding has one provider: not a cluster
    row = d.loc["51.0801:2"]
    assert row["n_providers"] == 4 and row["combined_supply"] == pytest.approx(244.0)
    assert row["allocated_demand"] == pytest.approx(146.4) and bool(row["is_duplicated"])
    shares = [100 / 244, 80 / 244, 60 / 244, 4 / 244]
    assert row["hhi"] == pytest.approx(sum(s * s for s in shares))
    assert row["thin_programs"] == "D (4.0)"


def test_no_cluster_gives_the_typed_empty_table_each_time():
    # one provider per code: no duplication, and the empty tables are typed as their contracts say
    programs = pd.DataFrame({"program_id": ["A:51.0801:2", "B:48.0508:2"], "provider_id": ["A", "B"],
                             "provider_name": ["A", "B"], "cip_code": ["51.0801", "48.0508"],
                             "award_level": ["2", "2"], "completers": [100.0, 30.0]})
    allocation = pd.DataFrame({"program_id": programs["program_id"], "soc_code": ["31-9092", "51-4121"],
                               "openings_allocated": [60.0, 90.0], "completers_allocated": [100.0, 30.0]})
    for series in (False, True):
        d = find_duplication(programs, allocation, factors=F, margin=0.2, thin_completers=10, series=series)
        assert d.empty and d["combined_supply"].dtype == float and d["material"].dtype == bool
        d["cluster_id"] = d["cluster_id"].astype(float)  # a caller's change does not reach the next caller
        again = find_duplication(programs, allocation, factors=F, margin=0.2, thin_completers=10, series=series)
        assert again.empty and again["cluster_id"].dtype == object


def test_on_the_job_entry_versus_a_missing_apprenticeship():
    demand = _demand([
        ("43-6014", "Secretaries", 100.0, 90.0, 110.0, 0.0, 50.0, 50.0, "High school diploma or equivalent"),
        ("47-2031", "Carpenters", 80.0, 70.0, 90.0, 0.0, 40.0, 40.0, "High school diploma or equivalent"),
        ("51-4041", "Machinists", 60.0, 50.0, 70.0, 0.0, 30.0, 30.0, "High school diploma or equivalent"),
        ("35-2014", "Cooks", 90.0, 80.0, 100.0, 0.0, 45.0, 45.0, "No formal educational credential"),
        ("51-4121", "Welders", 90.0, 80.0, 100.0, 0.0, 45.0, 45.0, "High school diploma or equivalent"),
    ]).assign(on_the_job_training=["Short-term on-the-job training", "Apprenticeship",
                                   "Long-term on-the-job training", "Moderate-term on-the-job training",
                                   "Moderate-term on-the-job training"])
    supply = pd.DataFrame({"soc_code": ["43-6014", "35-2014", "51-4121"], "completers_allocated": [9.0, 5.0, 5.0],
                           "effective_supply": [9.0, 5.0, 5.0], "n_programs": [1, 1, 1], "programs": ["A", "B", "C"]})
    bounds = pd.DataFrame({"supply_low": [9.0, 5.0, 5.0], "supply_high": [9.0, 5.0, 5.0]},
                          index=["43-6014", "35-2014", "51-4121"])
    g = compute_gaps(demand, supply, bounds, pd.DataFrame({"soc_code": [], "text": []}), bands=BANDS,
                     min_openings=10, factors=F).set_index("soc_code")
    # short training after a diploma: learnt at work, even with a program beside it
    assert g.loc["43-6014", "flag"] == "on-the-job entry" and "regional programs add 9.0" in g.loc["43-6014", "reason"]
    # an apprenticeship trade with no regional apprenticeship is a training gap
    assert g.loc["47-2031", "flag"] == "no regional program"
    # long on-the-job training and no program: learnt at work
    assert g.loc["51-4041", "flag"] == "on-the-job entry"
    # no credential and months of training at work (cooks): learnt at work even beside a culinary program;
    # a diploma and the same training (welders) is a trade where programs are a usual way in
    assert g.loc["35-2014", "flag"] == "on-the-job entry" and g.loc["51-4121", "flag"] == "undersupply"


def test_probability_adds_supply_uncertainty():
    sd = 20.0
    half = norm.ppf(0.9) * sd
    p = probability_shortage(pd.Series([100.0]), pd.Series([100 - half]), pd.Series([100 + half]),
                             pd.Series([80.0]), pd.Series([15.0]))
    assert p.iloc[0] == pytest.approx(norm.cdf(20 / 25), abs=1e-9)  # sd of the difference: √(20² + 15²) = 25


def test_robustness_grades_every_most_and_depends():
    demand = _demand([(s, t, 100.0, 90.0, 110.0, 10.0, 45.0, 45.0, "High school diploma or equivalent")
                      for s, t in (("11-1011", "A"), ("11-1021", "B"), ("11-1031", "C"))])
    supply = pd.DataFrame({"soc_code": ["11-1011", "11-1021", "11-1031"], "completers_allocated": [50.0, 80.0, 90.0],
                           "effective_supply": [50.0, 80.0, 90.0], "n_programs": [1, 1, 1], "programs": ["x"] * 3})
    bounds = pd.DataFrame({"supply_low": [50.0, 0.0, 0.0], "supply_high": [60.0, 200.0, 200.0]},
                          index=["11-1011", "11-1021", "11-1031"])
    alternative = pd.Series({"11-1011": 55.0, "11-1021": 70.0, "11-1031": 120.0})
    g = compute_gaps(demand, supply, bounds, pd.DataFrame({"soc_code": [], "text": []}), bands=BANDS,
                     min_openings=10, factors=F, alternative_supply=alternative).set_index("soc_code")
    assert g["robustness"].to_dict() == {"11-1011": "short under every allocation",
                                         "11-1021": "short under most allocations",
                                         "11-1031": "depends on the allocation"}


def test_series_view_groups_related_codes_across_providers():
    programs = pd.DataFrame({
        "program_id": ["A:51.0801:2", "B:51.0803:2", "C:51.0801:2"], "provider_id": ["A", "B", "C"],
        "provider_name": ["A", "B", "C"], "cip_code": ["51.0801", "51.0803", "51.0801"], "award_level": ["2"] * 3,
        "completers": [50.0, 40.0, 30.0], "cip_title": ["Medical assisting", "Occupational therapy aide",
                                                         "Medical assisting"], "award_label": ["cert"] * 3})
    allocation = pd.DataFrame({"program_id": programs["program_id"], "soc_code": ["31-9092", "31-2012", "31-9092"],
                               "openings_allocated": [20.0, 30.0, 12.0], "completers_allocated": programs["completers"]})
    s = find_duplication(programs, allocation, factors=F, margin=0.2, thin_completers=10, series=True)
    row = s.set_index("cluster_id").loc["51.08:2"]
    assert row["n_providers"] == 3 and row["n_cip_codes"] == 2 and row["combined_supply"] == 120.0
    assert bool(row["is_duplicated"])  # 120 > 62 × 1.2


# --- coverage and materiality (issue 13) -------------------------------------------------------

def _gaps_for(rows, supply_rows, routes=None, **kw):
    """compute_gaps on a few occupations: rows (soc, title, openings, entry, training), supply {soc: (supply, n)}."""
    demand = _demand([(s, t, o, o * 0.9, o * 1.1, 0.0, o / 2, o / 2, e) for s, t, o, e, _ in rows]).assign(
        on_the_job_training=[tr for *_, tr in rows])
    socs = list(supply_rows)
    supply = pd.DataFrame({"soc_code": socs, "completers_allocated": [supply_rows[s][0] for s in socs],
                           "effective_supply": [supply_rows[s][0] for s in socs],
                           "n_programs": [supply_rows[s][1] for s in socs], "programs": ["P"] * len(socs)})
    bounds = pd.DataFrame({"supply_low": [v[0] for v in supply_rows.values()],
                           "supply_high": [v[0] for v in supply_rows.values()]}, index=socs)
    return compute_gaps(demand, supply, bounds, pd.DataFrame({"soc_code": [], "text": []}), bands=BANDS,
                        min_openings=10, factors=F, routes=routes, **kw).set_index("soc_code")


def test_no_regional_program_is_said_only_where_the_usual_routes_are_covered():
    from align.supply.routes import training_routes

    rows = [("53-3032", "Heavy and Tractor-Trailer Truck Drivers", 1200.0, "Postsecondary nondegree award",
             "Short-term on-the-job training"),
            ("29-2034", "Radiologic Technologists", 60.0, "Associate's degree", "None"),
            ("31-1131", "Nursing Assistants", 1000.0, "Postsecondary nondegree award", "None")]
    demand = pd.DataFrame(rows, columns=["soc_code", "occupation_title", "annual_openings",
                                         "typical_entry_education", "on_the_job_training"])
    g = _gaps_for(rows, {"31-1131": (250.0, 1)}, routes=training_routes(demand))
    # CDL schools are not in IPEDS: no IPEDS program is not "no regional program"
    assert g.loc["53-3032", "flag"] == "training not in this run"
    assert "CDL training" in g.loc["53-3032", "reason"] and "data/templates/training_inventory.csv" in g.loc[
        "53-3032", "reason"]
    # radiologic technologists train in credit programs only: IPEDS covers the route, so the absence is real
    assert g.loc["29-2034", "flag"] == "no regional program" and g.loc["29-2034", "coverage"] == "covered"
    # nurse aides: IPEDS certificates alone would read undersupply, but state-approved courses are not in the run
    assert g.loc["31-1131", "flag"] == "training not in this run" and "would read undersupply" in g.loc[
        "31-1131", "reason"]
    assert g.loc["31-1131", "coverage"] == "partial"
    # with a training inventory that lists a CDL school, the route is covered and the flag is measured
    covered = _gaps_for(rows, {"53-3032": (900.0, 1)}, routes=training_routes(demand, {"53-3032"}))
    assert covered.loc["53-3032", "flag"] == "slight undersupply"  # 900 / 1200 = 0.75


def test_a_handful_of_completers_does_not_flip_a_flag():
    from dataclasses import replace

    from align.match.gaps import Materiality

    rows = [("43-9061", "Office Clerks, General", 900.0, "High school diploma or equivalent",
             "Short-term on-the-job training"),
            ("49-9071", "Maintenance and Repair Workers, General", 750.0, "High school diploma or equivalent",
             "Moderate-term on-the-job training"),
            ("17-3023", "Electrical and Electronic Engineering Technologists and Technicians", 50.0,
             "Associate's degree", "None"),
            ("41-4012", "Sales Representatives, Wholesale and Manufacturing", 417.0,
             "High school diploma or equivalent", "Moderate-term on-the-job training")]
    g = _gaps_for(rows, {"49-9071": (3.7, 2), "17-3023": (4.0, 1), "41-4012": (5.6, 1)})
    # 5.6 fashion-merchandising graduates for 417 openings entered with a diploma: under 5% of the hires
    # (20.9), so programs are not the way in
    assert g.loc["41-4012", "flag"] == "on-the-job entry" and "threshold of 20.9" in g.loc["41-4012", "reason"]
    # 3.7 completers a year beside 750 openings learnt at work: still on-the-job entry, said why (5% of 750)
    assert g.loc["49-9071", "flag"] == "on-the-job entry" and "below the materiality threshold of 37.5" in g.loc[
        "49-9071", "reason"]
    assert g.loc["17-3023", "flag"] == "no regional program"
    # a named threshold: at 3 the same 4-completer program counts
    g3 = _gaps_for(rows, {"49-9071": (3.7, 2), "17-3023": (4.0, 1), "41-4012": (5.6, 1)},
                   materiality=replace(Materiality.of(), min_program_supply=3.0))
    assert g3.loc["17-3023", "flag"] == "undersupply"
    # materiality of the lists: material shortages get ranks, small ones none
    assert bool(g.loc["17-3023", "material"]) and g.loc["17-3023", "rank"] == 1
    assert g.loc["17-3023", "board_list"] == "shortages"  # the list the rank is in
    assert not bool(g.loc["43-9061", "material"]) and pd.isna(g.loc["43-9061", "rank"])
    assert g.loc["43-9061", "board_list"] == ""


def test_residual_all_other_occupations_are_not_shortages():
    rows = [("11-9199", "Managers, All Other", 300.0, "Bachelor's degree", "None")]
    g = _gaps_for(rows, {})
    assert g.loc["11-9199", "flag"] == "residual category" and not bool(g.loc["11-9199", "material"])


def test_duplication_leads_with_clusters_large_enough_to_matter():
    programs = pd.DataFrame({
        "program_id": ["A:50.0702:5", "B:50.0702:5", "A:51.0801:2", "B:51.0801:2"], "provider_id": ["A", "B"] * 2,
        "provider_name": ["A", "B"] * 2, "cip_code": ["50.0702"] * 2 + ["51.0801"] * 2, "award_level": ["5", "5", "2", "2"],
        "completers": [1.0, 1.0, 100.0, 80.0], "cip_title": ["Fine arts"] * 2 + ["Medical assisting"] * 2,
        "award_label": ["BA"] * 2 + ["cert"] * 2})
    allocation = pd.DataFrame({"program_id": programs["program_id"], "soc_code": ["27-1013"] * 2 + ["31-9092"] * 2,
                               "openings_allocated": [0.5, 0.5, 60.0, 48.0], "completers_allocated": programs["completers"]})
    d = find_duplication(programs, allocation, factors=F, margin=0.2, thin_completers=10, material_supply=25,
                         material_excess=10)
    # both clusters exceed their openings by more than the margin; only medical assisting (180 vs 108) matters
    assert d["is_duplicated"].tolist() == [True, True]
    assert d["cluster_id"].tolist() == ["51.0801:2", "50.0702:5"] and d["material"].tolist() == [True, False]


def test_doctoral_and_faculty_occupations_are_a_national_market_not_a_local_gap():
    rows = [("29-1131", "Veterinarians", 15.0, "Doctoral or professional degree", "None"),
            ("25-1032", "Engineering Teachers, Postsecondary", 13.0, "Doctoral or professional degree", "None"),
            ("23-1011", "Lawyers", 160.0, "Doctoral or professional degree", "None"),
            ("25-9044", "Teaching Assistants, Postsecondary", 107.0, "Bachelor's degree", "None"),
            ("29-1141", "Registered Nurses", 1000.0, "Bachelor's degree", "None")]
    g = _gaps_for(rows, {"29-1131": (120.0, 1), "25-1032": (130.0, 3), "29-1141": (500.0, 4)})
    # 120 DVM graduates for 15 openings is no surplus, and no law school is no shortage: both are hired nationally
    for soc in ("29-1131", "25-1032", "23-1011", "25-9044"):
        assert g.loc[soc, "flag"] == "national market" and not bool(g.loc[soc, "material"]), soc
        assert pd.isna(g.loc[soc, "rank"])
    assert "regional programs add 120.0 a year" in g.loc["29-1131", "reason"]
    assert g.loc["29-1141", "flag"] == "undersupply" and g.loc["29-1141", "rank"] == 1  # 500 / 1000 = 0.5


def test_each_board_list_is_ranked_here_and_uncovered_training_has_its_own():
    from align.match.gaps import leading
    from align.supply.routes import training_routes

    rows = [("53-3032", "Heavy and Tractor-Trailer Truck Drivers", 1200.0, "Postsecondary nondegree award",
             "Short-term on-the-job training"),
            ("31-1131", "Nursing Assistants", 1000.0, "Postsecondary nondegree award", "None"),
            ("29-1141", "Registered Nurses", 1000.0, "Bachelor's degree", "None"),
            ("29-2034", "Radiologic Technologists", 60.0, "Associate's degree", "None"),
            ("39-5094", "Skincare Specialists", 46.0, "Postsecondary nondegree award", "None")]
    demand = pd.DataFrame(rows, columns=["soc_code", "occupation_title", "annual_openings",
                                         "typical_entry_education", "on_the_job_training"])
    g = _gaps_for(rows, {"31-1131": (250.0, 1), "29-1141": (600.0, 4), "39-5094": (281.0, 3)},
                  routes=training_routes(demand)).reset_index()
    # the shortages a board reads are those the run can measure: RNs (gap 400), then radiologic
    # technologists (no program, gap 60); truck drivers (gap 1,200) and nurse aides (750) lead their own list
    assert leading(g, "shortages")["soc_code"].tolist() == ["29-1141", "29-2034"]
    assert leading(g, "shortages")["rank"].tolist() == [1, 2]
    assert leading(g, "not covered")["soc_code"].tolist() == ["53-3032", "31-1131"]
    assert leading(g, "not covered")["rank"].tolist() == [1, 2]
    assert leading(g, "surpluses", 1)["soc_code"].tolist() == ["39-5094"]  # 281 for 46 openings


def test_a_surplus_resting_on_general_fields_is_not_led_with():
    demand = _demand([("19-4061", "Social Science Research Assistants", 20.0, 18.0, 22.0, 0.0, 10.0, 10.0, BA),
                      ("27-4021", "Photographers", 54.0, 50.0, 58.0, 0.0, 27.0, 27.0, BA)])
    supply = pd.DataFrame({"soc_code": ["19-4061", "27-4021"], "completers_allocated": [114.0, 174.0],
                           "effective_supply": [114.0, 174.0], "n_programs": [2, 1], "programs": ["x", "y"]})
    bounds = pd.DataFrame({"supply_low": [0.0, 174.0], "supply_high": [200.0, 174.0]}, index=["19-4061", "27-4021"])
    # research assistants: 100 of 114 from a psychology BA (general), 14 from a data-management BA
    contributions = pd.DataFrame({"soc_code": ["19-4061", "19-4061", "27-4021"], "program_id": ["a", "b", "c"],
                                  "cip_code": ["42.0101", "11.0802", "50.0605"], "award_level": ["5", "5", "5"],
                                  "effective_supply": [100.0, 14.0, 174.0], "text": ["A", "B", "C"]})
    g = compute_gaps(demand, supply, bounds, contributions, bands=BANDS, min_openings=10,
                     factors=F).set_index("soc_code")
    assert g.loc["19-4061", "flag"] == "oversupply" and not bool(g.loc["19-4061", "material"])
    assert "88% of this supply is the share of general academic fields" in g.loc["19-4061", "reason"]
    assert bool(g.loc["27-4021", "material"]) and g.loc["27-4021", "rank"] == 1  # photography trains photographers


def test_some_college_and_no_training_at_work_is_not_a_training_shortage():
    rows = [("25-3041", "Tutors", 204.0, "Some college, no degree", None)]
    g = _gaps_for(rows, {})
    assert g.loc["25-3041", "flag"] == "on-the-job entry"


def test_no_credential_and_long_training_at_work_is_not_a_training_shortage():
    # musicians and singers: BLS gives no formal credential and long-term training at work; a few
    # certificate completers beside 106 openings are no shortage of trained people
    rows = [("27-2042", "Musicians and Singers", 106.0, "No formal educational credential",
             "Long-term on-the-job training")]
    g = _gaps_for(rows, {"27-2042": (6.2, 2)})
    assert g.loc["27-2042", "flag"] == "on-the-job entry"


def test_duplication_series_view_worked_by_hand():
    """The 4-digit view: provider A offers two codes of series 51.08 (120 + 30 completers), B one
    (50). Largest program first; A's shares combine: 150/200 and 50/200, so HHI = 0.5625 + 0.0625."""
    programs = pd.DataFrame({
        "program_id": ["A:51.0801:2", "A:51.0803:2", "B:51.0801:2", "C:11.0101:2"],
        "provider_id": ["A", "A", "B", "C"], "provider_name": ["Alder College", "Alder College", "Birch", "Cedar"],
        "cip_code": ["51.0801", "51.0803", "51.0801", "11.0101"], "award_level": ["2"] * 4,
        "completers": [120.0, 30.0, 50.0, 5.0], "cip_title": ["Medical assisting", "Medical records", "Medical assisting",
                                                             "Computing"],
        "award_label": ["cert"] * 4})
    allocation = pd.DataFrame({"program_id": programs["program_id"], "soc_code": ["31-9092"] * 3 + ["15-1232"],
                               "openings_allocated": [40.0, 10.0, 20.0, 3.0],
                               "completers_allocated": programs["completers"]})
    d = find_duplication(programs, allocation, factors=F, margin=0.2, thin_completers=40, series=True)
    assert d["cluster_id"].tolist() == ["51.08:2"]  # 11.01 has one provider and one code
    row = d.iloc[0]
    assert (row["n_providers"], row["n_cip_codes"]) == (2, 2)
    assert row["combined_supply"] == pytest.approx(200.0 * F.product)
    assert row["allocated_demand"] == pytest.approx(70.0)
    assert row["hhi"] == pytest.approx(0.75 ** 2 + 0.25 ** 2)
    assert row["providers"] == "Alder College 51.0801 120; Birch 51.0801 50; Alder College 51.0803 30"
    assert row["thin_programs"] == "Alder College (30.0)"  # under 40, beside a program of 80 or more
