"""Employer job titles, written as employers write them, coded with the autocoder trained on the
real O*NET 27.0 release (skipped where ../shared/data/real is absent)."""

from __future__ import annotations

from pathlib import Path

import pandas as pd
import pytest

from align.partners.employers import code_plans
from align.postings.autocoder import load_autocoder

EXPECTED = {"Registered Nurse - Med/Surg": "29-1141", "CNC Machinist": "51-4041", "MIG Welder": "51-4121",
            "Full Charge Bookkeeper": "43-3031", "CDL-A Truck Driver": "53-3032",
            "Certified Medical Assistant": "31-9092", "Industrial Maintenance Mechanic": "49-9041",
            "Licensed Practical Nurse": "29-2061", "Diesel Mechanic": "49-3031", "Pharmacy Tech": "29-2052"}


@pytest.mark.realdata
def test_employer_titles_code_to_their_occupations(real_data: Path) -> None:
    onet = real_data / "onet" / "db_27_0_text"
    if not onet.is_dir():
        pytest.skip(f"real O*NET release not found at {onet}")
    model = load_autocoder(onet)  # the user cache: trained once per release and library version
    plans = pd.DataFrame({"employer_id": [f"E{i}" for i in range(len(EXPECTED))], "job_title": list(EXPECTED),
                          "soc_code": None, "hires_year1": 1.0, "hires_year2": None, "hires_year3": None,
                          "source": "test"})
    plans.loc[0, "soc_code"], plans.loc[0, "job_title"] = "29-1141", None   # a given code is kept as given
    coded = code_plans(plans, model, threshold=0.5).set_index("employer_id")
    assert coded.loc["E0", "soc_source"] == "given" and pd.isna(coded.loc["E0", "confidence"])
    auto = coded[coded["soc_source"] == "autocoded"]
    assert len(auto) >= 8                                   # a few may fall under the threshold: then not counted
    for title, soc in zip(auto["job_title"], auto["soc_code"], strict=True):
        assert soc == EXPECTED[title], title                # and none is coded wrongly
    assert (coded.loc[coded["soc_source"] == "unknown", "soc_code"].isna()).all()
