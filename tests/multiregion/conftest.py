"""A small synthetic state from the demo region: its three counties as regions, and a state slice.

The demo (``data/demo``, synthetic, in BLS's layouts) has county QCEW files only, so the state's
own series (area 99000) is written here in the same layout: each county cell summed, with the
state's aggregation levels (5x instead of 7x).
"""

from __future__ import annotations

import csv
from pathlib import Path

import pytest

DEMO = Path(__file__).resolve().parents[2] / "data" / "demo"


def write_state_slices(dest: Path) -> Path:
    """One ``YEAR-a-99000.csv`` per demo year: the sum of the county files, as a state slice."""
    dest.mkdir(parents=True, exist_ok=True)
    years = sorted({p.name.split("-")[0] for p in (DEMO / "qcew").glob("*-a-99*.csv")})
    sums = ("annual_avg_estabs", "annual_avg_emplvl", "total_annual_wages")
    for year in years:
        cells: dict[tuple, dict] = {}
        header: list[str] = []
        for path in sorted((DEMO / "qcew").glob(f"{year}-a-99*.csv")):
            with path.open(newline="") as f:
                reader = csv.DictReader(f)
                header = list(reader.fieldnames or [])
                for row in reader:
                    key = (row["own_code"], row["industry_code"], row["agglvl_code"][1:], row["size_code"])
                    cell = cells.setdefault(key, {**row, **{c: 0 for c in sums}, "area_fips": "99000",
                                                  "agglvl_code": "5" + row["agglvl_code"][1:], "disclosure_code": ""})
                    for c in sums:
                        cell[c] += float(row[c] or 0)
        with (dest / f"{year}-a-99000.csv").open("w", newline="") as f:
            writer = csv.DictWriter(f, fieldnames=header, quoting=csv.QUOTE_NONNUMERIC)
            writer.writeheader()
            for cell in cells.values():
                writer.writerow({**cell, **{c: round(cell[c]) for c in sums}})
    return dest


STATE_TOML = """
output_dir = "{out}"

[state]
name = "Riverbend State"
id = "riverbend-state"
state_fips = "99"

[[regions]]
name = "Upper Riverbend"
id = "upper"
state_fips = "99"
counties = ["99001", "99003"]

[[regions]]
name = "Lower Riverbend"
id = "lower"
state_fips = "99"
counties = ["99005"]

[years]
base = 2024
target = 2034
history_start = 2016  # fewer backtest windows: the test is about the run, not the forecast

[inputs]
industry_employment    = {{ source = "qcew", paths = ["{demo}/qcew/*-a-*.csv", "{state}/*-a-99000.csv"] }}
staffing_patterns      = {{ source = "oews_staffing", path = "{demo}/oews/nat3d_M2024_dl.xlsx" }}
occupation_projections = {{ source = "ep", path = "{demo}/ep/occupation.xlsx" }}
completions            = {{ source = "ipeds_completions", paths = ["{demo}/ipeds/c2022_a.csv", "{demo}/ipeds/c2023_a.csv", "{demo}/ipeds/c2024_a.csv"] }}
providers              = {{ source = "ipeds_hd", path = "{demo}/ipeds/hd2024.csv" }}
cip_soc                = {{ source = "cip_soc", path = "{demo}/cip_soc/CIP2020_SOC2018_Crosswalk.csv" }}
training_inventory     = {{ source = "training_inventory", path = "{demo}/inventory/training_inventory.csv" }}

[parameters]
naics_digits = 3
completion_years = [2022, 2023, 2024]
continuing_study = 0.10

[engine]
workers = 2
"""


@pytest.fixture(scope="session")
def demo_state(tmp_path_factory) -> Path:
    """A regions.toml over the synthetic demo: two regions (two counties and one) of state 99."""
    base = tmp_path_factory.mktemp("demo-state")
    state = write_state_slices(base / "state-qcew")
    path = base / "regions.toml"
    path.write_text(STATE_TOML.format(out=base / "runs", demo=DEMO, state=state), encoding="utf-8")
    return path
