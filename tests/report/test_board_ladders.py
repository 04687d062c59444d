"""The packet's career ladders: the ones that carry people into jobs, not the best-paid curiosities."""

from __future__ import annotations

import pandas as pd

from align.report import board, views

# ladder id -> steps of (SOC, title, median pay, openings a year, regional programs)
LADDERS = {
    "L1": [("51-9151", "Crematory Operators", 43_650, 5.0, 0), ("11-9171", "Funeral Home Managers", 90_000, 8.0, 1),
           ("11-1011", "Chief Executives", 213_990, 50.0, 3)],
    "L2": [("31-1131", "Nursing Assistants", 36_000, 980.0, 0), ("29-1141", "Registered Nurses", 83_100, 620.0, 12)],
    "L3": [("31-1132", "Orderlies", 33_000, 33.0, 0), ("31-1131", "Nursing Assistants", 36_000, 980.0, 1),
           ("29-1141", "Registered Nurses", 83_100, 620.0, 12)],
    "L4": [("39-5092", "Manicurists and Pedicurists", 30_000, 52.0, 13),
           ("39-5012", "Hairdressers, Hairstylists, and Cosmetologists", 30_025, 413.0, 13)],
    "L5": [("35-2014", "Cooks, Restaurant", 35_000, 923.0, 0),
           ("35-1012", "First-Line Supervisors of Food Preparation and Serving Workers", 42_000, 1_123.0, 0)],
}


def _ladders() -> pd.DataFrame:
    return pd.DataFrame([{"ladder_id": lid, "ladder_rank": 1, "step": i, "soc_code": soc, "occupation_title": t,
                          "wage_annual_median": float(w), "annual_openings": o, "n_programs": n}
                         for lid, steps in LADDERS.items() for i, (soc, t, w, o, n) in enumerate(steps)])


def test_ladders_that_carry_people_lead_one_per_destination():
    best = board.best_ladders(_ladders())
    # L2 (every step up trained here; narrowest rung 620 openings) before L1 (trained, but 5 openings at its
    # entry) before L5 (its step up has no regional program); L3 also ends at registered nurses, so it
    # gives way to L2; L4's top pays 0.1% more than its entry: not advancement
    assert best["ladder_id"].tolist() == ["L2", "L1", "L5"]
    row = best.set_index("ladder_id").loc["L2"]
    assert (row["carry"], row["trained"], row["climbs"]) == (620.0, 1, 1)
    assert abs(row["gain"] - (83_100 / 36_000 - 1)) < 1e-12  # 130.8%
    assert board.ladder_table(best).rows[0][-1] == "1 of 1"  # the entry job needs no program


def test_the_full_ladder_view_uses_the_same_order():
    view = views.ladders(_ladders(), {})
    # every ladder, no pay-rise cut: trained ones by the openings of their narrowest rung, then L5
    assert [p.split(" → ")[0] for p in view["Ladder"]] == [
        "Nursing Assistants", "Manicurists and Pedicurists", "Orderlies", "Crematory Operators", "Cooks, Restaurant"]
    assert view["Fewest openings on a step"].tolist()[0] == "620"
    assert view["Steps up with regional training"].tolist()[-1] == "0 of 1"
