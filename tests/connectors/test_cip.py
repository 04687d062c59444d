"""CIP 2020 codes and the CIP 2020 - SOC 2018 crosswalk, NO MATCH rows kept and flagged."""

from __future__ import annotations

from pathlib import Path

import pandas as pd
import pytest

from align import connector
from align.cli import main
from align.errors import LayoutError
from align_connectors.cip import CROSSWALK_SHEETS, CIPCodesConnector, CIPSOCConnector

XW = CIPSOCConnector()
CODES = CIPCodesConnector()


def test_crosswalk_csv_with_bom(fixtures: Path) -> None:
    df = XW.parse(fixtures / "cip" / "crosswalk_small.csv")
    assert len(df) == 5
    assert df.loc[0, "cip_code"] == "01.0000" and df.loc[0, "cip_title"] == "Agriculture, General"
    flagged = df[df.is_no_match]
    assert flagged["cip_code"].tolist() == ["01.0508", "99.9999"]
    assert flagged["soc_code"].tolist() == ["99-9999", "13-1074"]
    assert set(df.loc[df.cip_code == "11.0701", "soc_code"]) == {"15-1221", "15-1252"}


def test_cip_codes_small(fixtures: Path) -> None:
    df = CODES.parse(fixtures / "cip" / "CIPCode_small.csv").set_index("cip_code")
    assert df.loc["01", "cip_level"] == 2 and df.loc["01.01", "cip_level"] == 4
    assert df.loc["01.0101", "cip_level"] == 6
    assert df.loc["01.0101", "cip_title"] == "Agricultural Business and Management, General"
    assert '"farm"' in df.loc["01.0101", "cip_definition"]  # doubled quotes inside a quoted cell
    live = df["is_live"]
    assert not live["01.0309"]  # Moved from (old code)
    assert live["01.1004"]  # Moved to (the code now used)
    assert not live["01.0480"]  # Reserved
    assert not live["45.14"]  # Deleted


@pytest.fixture(scope="module")
def crosswalk(real_data: Path) -> pd.DataFrame:
    return XW.parse(real_data / "cip_soc" / "CIP2020_SOC2018_Crosswalk.csv")


def test_real_crosswalk_csv(real_data: Path, crosswalk: pd.DataFrame, tmp_path: Path) -> None:
    assert len(crosswalk) == 6_097
    row = crosswalk[crosswalk.cip_code == "01.0508"].iloc[0]  # 01.0508,Taxidermy/Taxidermist.,99-9999,NO MATCH
    assert row.soc_code == "99-9999" and row.is_no_match and row.cip_title == "Taxidermy/Taxidermist"
    # 194 unmatched CIP codes + 180 unmatched SOC codes (the workbook's Unmatched sheets)
    assert crosswalk["is_no_match"].sum() == 374
    assert ((crosswalk.cip_code == "99.9999") & crosswalk.is_no_match).sum() == 180
    assert crosswalk["cip_code"].str.match(r"^\d{2}\.\d{4}$").all()
    assert {"19-1011", "19-1012", "19-1013"} <= set(crosswalk.loc[crosswalk.cip_code == "01.0000", "soc_code"])
    path = real_data / "cip_soc" / "CIP2020_SOC2018_Crosswalk.csv"
    assert connector.detect(path).name == "cip_soc"
    out = tmp_path / "cip_soc.csv"
    assert main(["ingest", str(path), "-o", str(out)]) == 0
    assert pd.read_csv(out, dtype=str).loc[0, "cip_code"] == "01.0000"


def test_real_crosswalk_workbook(real_data: Path, crosswalk: pd.DataFrame) -> None:
    path = real_data / "cip_soc" / "CIP2020_SOC2018_Crosswalk.xlsx"
    assert connector.detect(path).name == "cip_soc"
    sheet = XW.parse(path)
    pd.testing.assert_frame_equal(sheet, crosswalk)  # the CSV is the CIP-SOC sheet saved as CSV
    sizes = {"SOC-CIP": 6_093, "New CIP": 1_076, "New SOC": 415, "Added Matches": 1_007,
             "Unmatched CIP Codes": 194, "Unmatched SOC Codes": 180}
    for name in CROSSWALK_SHEETS[1:]:
        df = XW.parse(path, sheet=name)
        assert len(df) == sizes[name], name
    soc_cip = XW.parse(path, sheet="SOC-CIP")  # SOC columns first: read by name
    assert set(soc_cip.loc[soc_cip.soc_code == "11-1011", "cip_code"]) >= {"44.0401", "52.0101"}
    assert XW.parse(path, sheet="Unmatched CIP Codes")["is_no_match"].all()
    with pytest.raises(LayoutError, match="File Guide"):
        XW.parse(path, sheet="File Guide")
    with pytest.raises(LayoutError, match="not found"):
        XW.parse(path, sheet="CIP_SOC")


def test_real_cip_codes(real_data: Path, tmp_path: Path) -> None:
    path = real_data / "cip_soc" / "CIPCode2020.csv"
    assert connector.detect(path).name == "cip_codes"
    df = CODES.parse(path)
    assert len(df) == 2_848
    assert df["cip_level"].value_counts().to_dict() == {6: 2_325, 4: 473, 2: 50}
    codes = df.set_index("cip_code")
    assert codes.loc["01.0000", "cip_title"] == "Agriculture, General"
    assert not codes.loc["01.0480", "is_live"]  # Reserved, not valid for IPEDS reporting
    assert not codes.loc["01.0309", "is_live"] and codes.loc["01.1004", "is_live"]
    # not live: Deleted (12), Moved from (149), 37 "Reserved." codes and families 21, 55 "RESERVED"
    assert (~df["is_live"]).sum() == 12 + 149 + 37 + 2
    assert not codes.loc["21", "is_live"] and codes.loc["21", "cip_title"] == "RESERVED"
    out = tmp_path / "cip.parquet"
    assert main(["ingest", "cip_codes", str(path), "-o", str(out)]) == 0
    assert pd.read_parquet(out)["cip_code"].iloc[0] == "01"
