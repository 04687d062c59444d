import pandas as pd
import pytest

from align import schemas
from align.errors import SchemaError
from align.fields import FIELDS


def test_every_table_column_is_in_the_field_dictionary():
    for table in schemas.TABLES.values():
        for column in table.columns:
            assert column in FIELDS, (table.name, column)


def test_validate_normalises_codes_and_coerces_numbers():
    df = pd.DataFrame({"soc_code": ["291141"], "labor_force_exit_rate": ["0.028"],
                       "occupational_transfer_rate": [0.021]})
    out = schemas.validate(df, "separation_rates")
    assert out.loc[0, "soc_code"] == "29-1141"
    assert out.loc[0, "labor_force_exit_rate"] == pytest.approx(0.028)


def test_numbers_come_back_in_the_contract_type_whatever_they_arrive_as():
    df = pd.DataFrame({"soc_code": ["29-1141", "29-2061"], "labor_force_exit_rate": [0, 1],  # whole numbers
                       "occupational_transfer_rate": [0.021, 0.03]})
    out = schemas.validate(df, "separation_rates")
    assert out["labor_force_exit_rate"].dtype == "float64" and out["occupational_transfer_rate"].dtype == "float64"
    counts = pd.DataFrame({"soc_code": ["29-1141"], "posting_period": ["2024"], "n_postings": [324]})
    assert schemas.validate(counts, "postings_occupation")["n_postings"].dtype == "float64"  # a float field


def test_validate_refuses_codes_stored_as_numbers():
    df = pd.DataFrame({"cip_code": [1.0101], "soc_code": ["15-1252"]})
    with pytest.raises(SchemaError, match="codes stored as numbers"):
        schemas.validate(df, "cip_soc")


def test_validate_names_missing_columns_and_duplicate_keys():
    with pytest.raises(SchemaError, match="missing column"):
        schemas.validate(pd.DataFrame({"soc_code": ["15-1252"]}), "separation_rates")
    dup = pd.DataFrame({"cip_code": ["51.3801", "51.3801"], "soc_code": ["29-1141", "29-1141"]})
    with pytest.raises(SchemaError, match="duplicate key"):
        schemas.validate(dup, "cip_soc")


def test_missing_values_only_where_the_contract_allows():
    ok = pd.DataFrame({"region_id": ["r"], "naics_code": ["622"], "period": [2020], "employment": [None],
                       "is_suppressed": [True]})
    assert pd.isna(schemas.validate(ok, "industry_employment").loc[0, "employment"])
    bad = pd.DataFrame({"soc_code": ["29-1141"], "completers_allocated": [None], "effective_supply": [1.0],
                        "n_programs": [1]})
    with pytest.raises(SchemaError, match="missing value"):
        schemas.validate(bad, "occupation_supply")


def test_data_dictionary_lists_fields_with_units():
    dd = schemas.data_dictionary(["gaps"])
    row = dd.set_index("field").loc["annual_openings"]
    assert row["unit"] == "jobs/yr" and "growth" in row["description"]


def test_nullable_code_and_bool_columns_keep_missing_values():
    df = pd.DataFrame({"provider_id": ["1", "2"], "provider_name": ["A", "B"], "provider_kind": ["ipeds"] * 2,
                       "county_fips": ["1089", None]})
    out = schemas.validate(df, "providers")
    assert out["county_fips"].iloc[0] == "01089" and pd.isna(out["county_fips"].iloc[1])

