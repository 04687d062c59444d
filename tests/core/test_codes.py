import pytest

from align import codes
from align.errors import CodeError


@pytest.mark.parametrize(("raw", "expected"), [
    ("15-1252", "15-1252"), ("151252", "15-1252"), ("' 29-1141", "29-1141"), ('="13-2011"', "13-2011"),
    ("\ufeff11-1011", "11-1011"), ("11-1011.03", "11-1011.03"),
])
def test_soc_published_spellings(raw, expected):
    assert codes.soc(raw) == expected


def test_onet_code_rolls_up_to_soc():
    assert codes.soc_from_onet("11-1011.03") == "11-1011"


@pytest.mark.parametrize(("raw", "expected"), [
    ('="01.0101"', "01.0101"), ("01.0101", "01.0101"), ("51.38", "51.38"), ("01", "01"), (" 51.3801 ", "51.3801"),
])
def test_cip_published_spellings(raw, expected):
    assert codes.cip(raw) == expected


@pytest.mark.parametrize("raw", ["1.0101", "1.01", "51.381", "abc", ""])
def test_cip_without_leading_zero_or_malformed_is_rejected(raw):
    with pytest.raises(CodeError):
        codes.cip(raw)


@pytest.mark.parametrize("value", [1.0101, 151252.0, float("nan"), None])
def test_floats_never_become_codes(value):
    for normaliser in (codes.soc, codes.cip, codes.naics, codes.fips):
        with pytest.raises(CodeError):
            normaliser(value)


def test_naics_keeps_ranges_and_fips_pads():
    assert codes.naics("31-33") == "31-33"
    assert codes.naics("323117") == "323117"
    assert codes.fips("1089") == "01089"
    assert codes.state_fips(" 1") == "01"
    with pytest.raises(CodeError):
        codes.fips("123456")


def test_normalise_column_names_file_row_and_column():
    import pandas as pd

    col = pd.Series(["15-1252", "oops"], name="OCC_CODE")
    with pytest.raises(CodeError) as err:
        codes.normalise_column(col, codes.soc, file="x.csv", first_row=2)
    assert "x.csv" in str(err.value) and "row 3" in str(err.value) and "OCC_CODE" in str(err.value)
