"""O*NET text-file connectors: every file of the release, codes rolled up to SOC."""

from __future__ import annotations

from pathlib import Path

import pandas as pd
import pytest

from align import connector
from align.cli import main
from align.errors import InputError
from align_connectors import onet

FILES = {  # file → (connector, rows in O*NET 27.0 per PROVENANCE.md)
    "Occupation Data.txt": ("onet_occupations", 1_016),
    "Alternate Titles.txt": ("onet_titles", 52_754),
    "Sample of Reported Titles.txt": ("onet_titles", 7_541),
    "Related Occupations.txt": ("onet_related", 18_460),
    "Job Zones.txt": ("onet_job_zones", 923),
    "Job Zone Reference.txt": ("onet_job_zone_reference", 5),
    "Education, Training, and Experience.txt": ("onet_education", 35_723),
    "Education, Training, and Experience Categories.txt": ("onet_education_categories", 41),
    "Scales Reference.txt": ("onet_scales", 29),
    "Read Me.txt": ("onet_readme", 1),
}


def _fx(fixtures: Path, name: str) -> Path:
    return fixtures / "onet" / "db_28_0_text" / name


def test_fixture_files(fixtures: Path) -> None:
    occ = onet.OnetOccupationsConnector().parse(_fx(fixtures, "Occupation Data.txt"))
    assert occ["soc_code"].tolist() == ["11-1011", "11-1011"]  # two O*NET codes, one SOC
    assert occ["onet_soc_code"].tolist() == ["11-1011.00", "11-1011.03"]
    assert occ["vintage"].unique().tolist() == ["O*NET 28.0"]  # from the db_28_0_text folder

    titles = onet.OnetTitlesConnector()
    alt = titles.parse(_fx(fixtures, "Alternate Titles.txt"))
    assert alt["title_source"].unique().tolist() == ["alternate"]
    assert alt["short_title"].tolist()[0] == "CEO" and pd.isna(alt["short_title"].tolist()[1])
    assert alt["title_source_codes"].tolist()[0] == "08,10"
    rep = titles.parse(_fx(fixtures, "Sample of Reported Titles.txt"))
    assert rep["title_source"].unique().tolist() == ["reported"]
    assert rep["in_my_next_move"].tolist() == ["Y", "N"]

    zones = onet.OnetJobZonesConnector().parse(_fx(fixtures, "Job Zones.txt"))
    assert zones["onet_date"].tolist() == ["2014-07", "2021-08"]
    with pytest.raises(InputError) as err:
        onet.OnetJobZonesConnector().parse(_fx(fixtures, "Job Zones bad.txt"))
    assert err.value.row == 2 and err.value.column == "Job Zone"

    ete = onet.OnetEducationConnector().parse(_fx(fixtures, "Education, Training, and Experience.txt"))
    expert = ete.iloc[1]
    assert expert.data_value == 55.56 and pd.isna(expert.standard_error)
    assert pd.isna(expert.ci_lower) and pd.isna(expert.recommend_suppress)

    readme = onet.OnetReadMeConnector().parse(_fx(fixtures, "Read Me.txt")).iloc[0]
    assert readme.vintage == "O*NET 28.0" and readme.release == "August 2023 Release"
    assert readme.license == "Creative Commons Attribution 4.0 International License"


def test_vintage_option_and_wrong_file(fixtures: Path, tmp_path: Path) -> None:
    plain = tmp_path / "Job Zones.txt"
    plain.write_bytes(_fx(fixtures, "Job Zones.txt").read_bytes())
    assert onet.OnetJobZonesConnector().parse(plain, vintage="O*NET 29.0")["vintage"].iloc[0] == "O*NET 29.0"
    from align.errors import LayoutError

    with pytest.raises(LayoutError, match="Job Zone"):
        onet.OnetJobZonesConnector().parse(_fx(fixtures, "Occupation Data.txt"))


@pytest.fixture(scope="module")
def real(real_data: Path) -> dict[str, pd.DataFrame]:
    folder = real_data / "onet" / "db_27_0_text"
    return {name: connector.get(source).parse(folder / name) for name, (source, _) in FILES.items()}


def test_real_every_file_detected_and_counted(real_data: Path, real: dict[str, pd.DataFrame]) -> None:
    folder = real_data / "onet" / "db_27_0_text"
    for name, (source, rows) in FILES.items():
        assert connector.detect(folder / name).name == source, name
        assert len(real[name]) == rows, name
        assert real[name]["vintage"].unique().tolist() == ["O*NET 27.0"], name


def test_real_values(real: dict[str, pd.DataFrame]) -> None:
    occ = real["Occupation Data.txt"].set_index("onet_soc_code")
    assert occ.loc["29-1141.00", "occupation_title"] == "Registered Nurses"
    assert occ.loc["11-1011.03", "soc_code"] == "11-1011"  # Chief Sustainability Officers
    zones = real["Job Zones.txt"].set_index("onet_soc_code")
    # 15-1252.00	4	11/2021	Analyst - Preliminary
    assert zones.loc["15-1252.00", "job_zone"] == 4 and zones.loc["15-1252.00", "onet_date"] == "2021-11"
    rel = real["Related Occupations.txt"]
    first = rel[(rel.onet_soc_code == "15-1252.00") & (rel.relatedness_index == 1)].iloc[0]
    assert first.related_onet_soc_code == "15-1299.08" and first.related_soc_code == "15-1299"
    assert first.relatedness_tier == "Primary-Short"
    ete = real["Education, Training, and Experience.txt"]
    # 11-1011.00 2.D.1 RL 6: 21.61, N 27, SE 9.79, CI 7.76-47.47
    ceo = ete[(ete.onet_soc_code == "11-1011.00") & (ete.scale_id == "RL") & (ete.category == 6)].iloc[0]
    assert (ceo.data_value, ceo.sample_size, ceo.standard_error) == (21.61, 27, 9.79)
    assert (ceo.ci_lower, ceo.ci_upper, ceo.onet_date) == (7.76, 47.47, "2014-07")
    # n/a confidence bounds are missing, not zero (18,152 rows)
    assert ete["ci_lower"].isna().sum() == 18_152
    scales = real["Scales Reference.txt"].set_index("scale_id")
    assert scales.loc["RL", "scale_maximum"] == 100
    ref = real["Job Zone Reference.txt"].set_index("job_zone")
    assert ref.loc[3, "job_zone_name"] == "Job Zone Three: Medium Preparation Needed"
    readme = real["Read Me.txt"].iloc[0]
    assert readme.release == "August 2022 Release"


def test_real_titles_through_cli(real_data: Path, tmp_path: Path) -> None:
    path = real_data / "onet" / "db_27_0_text" / "Sample of Reported Titles.txt"
    out = tmp_path / "titles.csv"
    assert main(["ingest", str(path), "-o", str(out)]) == 0
    df = pd.read_csv(out, dtype=str)
    ceo = df[(df.onet_soc_code == "11-1011.00") & (df.title == "Chief Executive Officer (CEO)")]
    assert ceo["in_my_next_move"].tolist() == ["Y"]


@pytest.mark.parametrize("name", sorted(FILES))
def test_real_every_file_through_cli(real_data: Path, tmp_path: Path, name: str) -> None:
    out = tmp_path / "out.parquet"
    assert main(["ingest", FILES[name][0], str(real_data / "onet" / "db_27_0_text" / name),
                 "-o", str(out)]) == 0
    assert len(pd.read_parquet(out)) == FILES[name][1]
