"""Publisher markers in a QCEW employment cell keep their meaning and never become a partial sum."""

from __future__ import annotations

from pathlib import Path

import pytest

from align import connector
from align.demand.industry import regional_industry_employment

DEMO = Path(__file__).resolve().parents[2] / "data" / "demo"
FILE = DEMO / "qcew" / "2024-a-99001.csv"


def _with_cell(tmp_path: Path, value: str) -> tuple[Path, int]:
    """The demo's 2024 county file with the first private 3-digit row's employment replaced."""
    lines = FILE.read_text(encoding="utf-8").splitlines()
    i = next(i for i, ln in enumerate(lines) if ln.startswith('"99001","5",') and ',"75",' in ln)
    cells = lines[i].split(",")
    cells[9] = value
    lines[i] = ",".join(cells)
    path = tmp_path / FILE.name
    path.write_text("\n".join(lines) + "\n", encoding="utf-8")
    return path, i


@pytest.mark.parametrize(("marker", "meaning"), [("**", "employment estimate not released"),
                                                 ('"(D)"', "individual employers"), ("—", "not available")])
def test_a_marker_is_a_withheld_value_with_its_meaning(tmp_path, marker, meaning):
    path, i = _with_cell(tmp_path, marker)
    table = connector.get("qcew").parse(path)
    clean = connector.get("qcew").parse(FILE)
    cell = clean.iloc[[i - 1]][["area_fips", "own_code", "naics_code"]].merge(table)
    assert cell["employment"].isna().all() and cell["is_suppressed"].all()
    assert meaning in cell["missing_reason"].iloc[0]


def test_a_marked_county_makes_the_regional_total_missing_not_the_other_counties_sum(tmp_path):
    path, i = _with_cell(tmp_path, "**")
    qcew = connector.get("qcew")
    import pandas as pd

    area = pd.concat([qcew.parse(path), qcew.parse(DEMO / "qcew" / "2024-a-99003.csv")], ignore_index=True)
    naics = qcew.parse(FILE).iloc[i - 1]["naics_code"]
    out = regional_industry_employment(area, region_id="r", counties=["99001", "99003"], ownerships=["5"],
                                       naics_digits=3).set_index("naics_code")
    assert pd.isna(out.loc[naics, "employment"]) and out.loc[naics, "is_suppressed"]
