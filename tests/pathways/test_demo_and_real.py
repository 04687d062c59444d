"""The demo extras (synthetic O*NET-layout files and participant records) and the real O*NET 27.0 files."""

from __future__ import annotations

from pathlib import Path

import pandas as pd
import pytest

from align import connector
from align.cli import main
from align.demo import catalog as cat
from align.demo.extras import generate_extras
from align.outcomes import compute_metrics, read_records
from align.pathways import build_pathways


@pytest.fixture(scope="module")
def demo(tmp_path_factory: pytest.TempPathFactory) -> list[Path]:
    return generate_extras(tmp_path_factory.mktemp("demo"))


def _demand() -> pd.DataFrame:  # demo occupations with national employment as a stand-in for openings
    return pd.DataFrame({"soc_code": [o[0] for o in cat.OCCUPATIONS],
                         "occupation_title": [o[1] for o in cat.OCCUPATIONS],
                         "annual_openings": [o[2] / 10 for o in cat.OCCUPATIONS],
                         "typical_entry_education": [o[7] for o in cat.OCCUPATIONS]})


def _wages() -> pd.DataFrame:
    return pd.DataFrame({"soc_code": [o[0] for o in cat.OCCUPATIONS], "wage_annual_median": [o[6] for o in cat.OCCUPATIONS]})


def test_extras_are_deterministic_and_detected(demo: list[Path], tmp_path: Path) -> None:
    again = generate_extras(tmp_path)
    assert [p.read_bytes() for p in demo] == [p.read_bytes() for p in again]
    names = [connector.detect(p).name for p in demo[:3]]
    assert names == ["onet_occupations", "onet_related", "onet_job_zones"]
    jz = connector.get("onet_job_zones").parse(demo[2]).set_index("soc_code")["job_zone"]
    assert jz["35-3023"] == 1 and jz["29-1171"] == 5 and jz["47-2111"] == 3   # apprenticeship lifts HS to 3


def test_demo_metrics_show_planted_differences(demo: list[Path]) -> None:
    t = compute_metrics(read_records(demo[3]), salt="demo").set_index(["group_type", "group_id", "metric"]).sort_index()
    thin = t.loc[("program", "130009:51.0801:2", "employment_rate_q2")]
    assert thin["is_suppressed"] and thin["suppression"].startswith("primary")
    weak = t.loc[("program", "130003:51.0801:2", "employment_rate_q2"), "metric_value"]
    peer = t.loc[("program", "130006:51.0801:2", "employment_rate_q2"), "metric_value"]
    assert weak < peer - 0.15   # planted: 55% vs 70% employment chance
    region = t.loc["region", "region"]["metric_value"]
    assert region["externship_hire_rate_any_employer"] >= region["externship_hire_rate_same_employer"] > 0.3
    assert "DEMO-00001" not in t.to_csv()


def test_demo_pathways(demo: list[Path]) -> None:
    related = connector.get("onet_related").parse(demo[1])
    zones = connector.get("onet_job_zones").parse(demo[2])
    out = build_pathways(_demand(), None, None, None, related, zones, _wages())
    e = set(zip(out["pathways"]["soc_code"], out["pathways"]["related_soc_code"], strict=True))
    assert ("31-1131", "29-2061") in e and ("29-1141", "29-1171") in e
    assert "31-1131" in set(out["entry_points"]["soc_code"])


@pytest.fixture(scope="module")
def real_onet(real_data: Path) -> dict[str, pd.DataFrame]:
    d = real_data / "onet" / "db_27_0_text"
    return {"related": connector.get("onet_related").parse(d / "Related Occupations.txt"),
            "zones": connector.get("onet_job_zones").parse(d / "Job Zones.txt"), "dir": d}


def test_real_onet_edges(real_onet: dict) -> None:
    out = build_pathways(_demand(), None, None, None, real_onet["related"], real_onet["zones"], _wages())
    e = out["pathways"].set_index(["soc_code", "related_soc_code"])
    # Related Occupations.txt: 31-1131.00 → 29-2061.00 Primary-Short 2, → 29-1141.00 Primary-Short 3
    # (and 29-1141.01 at 5, folded into the same edge); Job Zones.txt: 31-1131.00 3, 29-1141.00 4
    assert e.loc[("31-1131", "29-2061"), "relatedness_index"] == 2
    assert e.loc[("31-1131", "29-1141"), "relatedness_index"] == 3
    assert e.loc[("31-1131", "29-1141"), ["job_zone", "related_job_zone"]].tolist() == [3, 4]
    assert e.loc[("31-1131", "29-1141"), "wage_gain"] == 93600 - 39530


def test_real_onet_through_cli(real_onet: dict, demo_run_folder: Path, tmp_path: Path, capsys) -> None:
    import shutil

    parent = tmp_path / "run"
    shutil.copytree(demo_run_folder, parent)
    assert main(["pathways", str(parent), "--onet", str(real_onet["dir"])]) == 0
    folder = Path(capsys.readouterr().out.strip().splitlines()[-1].removeprefix("pathways: "))
    edges = pd.read_csv(folder / "pathways.csv", dtype=str)
    assert (edges["soc_code"] == "31-1131").sum() >= 2
