"""Bad sets of files, each file fine: gaps, duplicates and failed joins never pass in silence."""

from __future__ import annotations

import shutil
from pathlib import Path

import pandas as pd
import pytest

from align import config as config_mod
from align.coverage import check_coverage
from align.demand.industry import regional_industry_employment
from align.errors import InputError
from align.pipeline import read_inputs

DEMO = Path(__file__).resolve().parents[2] / "data" / "demo"


@pytest.fixture
def demo(tmp_path) -> Path:
    """A copy of the demo region the test may damage."""
    folder = tmp_path / "demo"
    shutil.copytree(DEMO, folder, ignore=shutil.ignore_patterns("scenarios"))
    for path in (folder / "qcew").glob("*.csv"):  # four years are enough and keep the test quick
        if int(path.name[:4]) < 2021:
            path.unlink()
    return folder


@pytest.fixture(scope="module")
def clean_inputs():
    return read_inputs(config_mod.load(DEMO / "region.toml"))[0]


def _qcew(county: str, year: int, jobs: float = 100.0) -> pd.DataFrame:
    return pd.DataFrame({"area_fips": [county], "period": [year], "qtr": ["A"], "own_code": ["5"],
                         "naics_code": ["622"], "employment": [jobs], "is_suppressed": [False],
                         "agglvl_code": ["75"]})


def test_a_duplicated_county_year_file_is_an_error_naming_both_files():
    files = [("2024-a-99001.csv", _qcew("99001", 2024)), ("2024-a-99001 (1).csv", _qcew("99001", 2024))]
    with pytest.raises(InputError, match=r"99001 2024 A in 2024-a-99001 \(1\)\.csv, 2024-a-99001\.csv"):
        check_coverage("industry_employment", files, expected=["99001"])


def test_a_missing_county_year_is_an_error_unless_accepted_then_a_note():
    files = [("2023-a-99001.csv", _qcew("99001", 2023)), ("2024-a-99001.csv", _qcew("99001", 2024)),
             ("2024-a-99003.csv", _qcew("99003", 2024))]
    with pytest.raises(InputError, match=r"99003 2023 A.*accept_gaps = \['99003 2023 A'\]"):
        check_coverage("industry_employment", files, expected=["99001", "99003"])
    notes = check_coverage("industry_employment", files, expected=["99001", "99003"], accepted=["99003 2023 A"])
    assert notes == ["no industry employment data for county 99003 2023 A: a gap the configuration accepts "
                     "([inputs.industry_employment] accept_gaps)"]


def test_an_accepted_gap_makes_that_years_regional_total_unknown_not_a_partial_sum():
    area = pd.concat([_qcew("99001", 2023, 100), _qcew("99001", 2024, 110), _qcew("99003", 2024, 50)])
    out = regional_industry_employment(area, region_id="r", counties=["99001", "99003"], ownerships=["5"],
                                       naics_digits=3).set_index("period")["employment"]
    assert pd.isna(out[2023]) and out[2024] == 160.0


def test_a_blank_county_cell_makes_the_regional_total_unknown():
    area = pd.concat([_qcew("99001", 2024, 100), _qcew("99003", 2024, float("nan"))])
    out = regional_industry_employment(area, region_id="r", counties=["99001", "99003"], ownerships=["5"],
                                       naics_digits=3)
    assert out["employment"].isna().all()


def test_completion_years_absent_from_the_files_are_named():
    files = [("c2024_a.csv", pd.DataFrame({"provider_id": ["1"], "year": [2024]}))]
    with pytest.raises(InputError, match=r"year\(s\) 2021"):
        check_coverage("completions", files, expected=["1"], years=[2021, 2024])


def test_demo_copy_with_a_county_file_removed_or_duplicated_is_refused(demo):
    (demo / "qcew" / "2022-a-99003.csv").unlink()
    with pytest.raises(InputError, match="99003 2022 A"):
        read_inputs(config_mod.load(demo / "region.toml"))
    shutil.copy(demo / "qcew" / "2023-a-99001.csv", demo / "qcew" / "2023-a-99001 (1).csv")
    (demo / "qcew" / "2022-a-99003.csv").write_bytes((DEMO / "qcew" / "2022-a-99003.csv").read_bytes())
    with pytest.raises(InputError, match=r"more than one file.*99001 2023 A"):
        read_inputs(config_mod.load(demo / "region.toml"))


def test_excel_resaved_county_codes_read_the_same(tmp_path):
    from align import connector

    qcew = connector.get("qcew")
    clean = qcew.parse(DEMO / "qcew" / "2024-a-99001.csv")
    text = (DEMO / "qcew" / "2024-a-99001.csv").read_text(encoding="utf-8")
    for damaged in (text.replace('"99001",', "99001.0,").replace("\n", "\r\n"),
                    text.replace('"99001",', '"=""99001""",')):
        path = tmp_path / "2024-a-99001.csv"
        path.write_text(damaged, encoding="utf-8")
        pd.testing.assert_frame_equal(qcew.parse(path), clean)


def _join_notes(folder: Path, clean: dict[str, pd.DataFrame]):
    """The join notes of the demo's supply inputs with its directory replaced by the (damaged) one in ``folder``."""
    from align import connector
    from align.supply.stages import SUPPLY_INPUTS

    cfg = config_mod.load(DEMO / "region.toml")
    inputs = {**clean, "providers": connector.get("ipeds_hd").parse(folder / "ipeds" / "hd2024.csv")}
    return [str(w) for w in SUPPLY_INPUTS(cfg, {}, inputs).warnings]


def test_a_header_only_directory_stops_the_run_naming_the_key_and_examples(demo, clean_inputs):
    path = demo / "ipeds" / "hd2024.csv"
    path.write_text(path.read_text(encoding="utf-8-sig").splitlines()[0] + "\n", encoding="utf-8")
    with pytest.raises(InputError, match=r"completions -> providers: 100\.0% of completers.*provider_id.*e\.g\. 13000"):
        _join_notes(demo, clean_inputs)


def test_blank_county_codes_stop_the_run(demo, clean_inputs):
    path = demo / "ipeds" / "hd2024.csv"
    path.write_text(path.read_text(encoding="utf-8-sig").replace(',99001,"Alder County"', ',"","Alder County"'),
                    encoding="utf-8")
    with pytest.raises(InputError, match=r"providers -> region counties: .*county_fips"):
        _join_notes(demo, clean_inputs)


def test_unitids_written_as_floats_join_as_before(demo, clean_inputs):
    path = demo / "ipeds" / "hd2024.csv"
    lines = path.read_text(encoding="utf-8-sig").splitlines()
    path.write_text("\n".join([lines[0], *[ln.replace(",", ".0,", 1) for ln in lines[1:]]]) + "\n",
                    encoding="utf-8")
    assert not any("providers" in n for n in _join_notes(demo, clean_inputs))
