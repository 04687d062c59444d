"""The two partner templates: parsed as published, and every bad cell named by file, row and column."""

from __future__ import annotations

from pathlib import Path

import pandas as pd
import pytest

from align import connector
from align.errors import CodeError, InputError, LayoutError
from align.partners.templates import write_templates

ROOT = Path(__file__).resolve().parents[2]
TEMPLATES = ROOT / "data" / "templates"
PLAN_HEADER = ("employer_id,employer_name,job_title,soc_code,county_fips,hires_year1,hires_year2,hires_year3,"
               "starting_wage,wage_period,required_credential,externship_slots,apprenticeship_slots,survey_year")
INVENTORY_HEADER = "program_id,partner_id,partner_name,partner_kind,pathway,item_kind,item,annual_amount,notes"


def _write(tmp_path: Path, name: str, text: str) -> Path:
    path = tmp_path / name
    path.write_text(text, encoding="utf-8")
    return path


def plans(tmp_path: Path, *rows: str, header: str = PLAN_HEADER) -> Path:
    return _write(tmp_path, "plans.csv", "\n".join([header, *rows]) + "\n")


def inventory(tmp_path: Path, *rows: str) -> Path:
    return _write(tmp_path, "inventory.csv", "\n".join([INVENTORY_HEADER, *rows]) + "\n")


def test_committed_templates_are_the_generated_ones(tmp_path: Path) -> None:
    for path in write_templates(tmp_path):
        assert path.read_bytes() == (TEMPLATES / path.name).read_bytes(), path.name


@pytest.mark.parametrize("name", ["employer_hiring_plans", "partner_inventory"])
def test_csv_and_xlsx_templates_read_the_same(name: str) -> None:
    source = connector.get(name)
    assert connector.detect(TEMPLATES / f"{name}.csv").name == name
    assert connector.detect(TEMPLATES / f"{name}.xlsx").name == name
    assert len(source.parse(TEMPLATES / f"{name}.csv")) == 0      # EXAMPLE rows are skipped
    csv = source.parse(TEMPLATES / f"{name}.csv", keep_examples=True).drop(columns="source")
    xlsx = source.parse(TEMPLATES / f"{name}.xlsx", keep_examples=True).drop(columns="source")
    assert len(csv) >= 2
    pd.testing.assert_frame_equal(csv, xlsx)


def test_plans_parse_by_hand(tmp_path: Path) -> None:
    path = plans(tmp_path,
                 "E1,Acme,CNC Machinist,,39049,12,15,,21.50,hour,certificate,2,,2025",
                 'E1,Acme,,51-4121,39049,"1,200",,,"$52,000",year,,,4,2025',
                 "E2,,Registered Nurse,,,0,,,,,license,,,")
    t = connector.get("employer_hiring_plans").parse(path)
    assert list(t["employer_id"]) == ["E1", "E1", "E2"]
    assert t.loc[0, "starting_wage_annual"] == 21.50 * 2080 == 44720.0
    assert t.loc[1, "starting_wage_annual"] == 52000.0 and t.loc[1, "hires_year1"] == 1200.0
    assert t.loc[1, "soc_code"] == "51-4121" and pd.isna(t.loc[0, "soc_code"])
    assert t.loc[0, "hires_year2"] == 15.0 and pd.isna(t.loc[0, "hires_year3"])   # blank: not answered, not 0
    assert t.loc[2, "hires_year1"] == 0.0 and t.loc[2, "required_credential"] == "license"
    assert t.loc[0, "county_fips"] == "39049" and t["survey_year"].tolist()[:2] == [2025, 2025]


@pytest.mark.parametrize(("row", "column", "words"), [
    ("E1,,Welder,,,abc,,,,,,,,", "hires_year1", "not a count"),
    ("E1,,Welder,,,,,,,,,,,", "hires_year1", "not a count"),          # year 1 is required: 0, not blank
    ("E1,,Welder,,,5,,3,,,,,,", "hires_year2", "without hires_year2"),
    ("E1,,,,,5,,,,,,,,", "job_title", "neither job_title nor soc_code"),
    ("E1,,,29-11,,5,,,,,,,,", "soc_code", "not a SOC code"),
    ("E1,,,29-1140,,5,,,,,,,,", "soc_code", "a group, not a detailed occupation"),
    ("E1,,Welder,,,5,,,21,day,,,,", "wage_period", "unknown term"),
    ("E1,,Welder,,,5,,,21,,,,,", "wage_period", "empty"),
    ("E1,,Welder,,,5,,,2100,hour,,,,", "starting_wage", "implausible wage"),
    ("E1,,Welder,,,5,,,,,phd,,,", "required_credential", "unknown term"),
    ("E1,,Welder,,,5,,,,,,1.5,,", "externship_slots", "not a count"),
    ("E1,,Welder,,,5,,,,,,,,25", "survey_year", "not a year"),
])
def test_plan_errors_name_row_and_column(tmp_path: Path, row: str, column: str, words: str) -> None:
    path = plans(tmp_path, "E0,,Welder,,,1,,,,,,,,", row)
    with pytest.raises(InputError) as err:
        connector.get("employer_hiring_plans").parse(path)
    assert err.value.row == 3 and err.value.column == column and words in err.value.detail
    assert str(path) in str(err.value)


def test_plan_duplicates_and_missing_columns(tmp_path: Path) -> None:
    with pytest.raises(InputError, match=r"row 3, column 'job_title': duplicate employer and job \(also on row 2\)"):
        connector.get("employer_hiring_plans").parse(plans(tmp_path, "E1,,Welder,,,1,,,,,,,,", "E1,,welder,,,2,,,,,,,,"))
    with pytest.raises(LayoutError, match="hires_year1"):
        connector.get("employer_hiring_plans").parse(plans(tmp_path, "E1,Welder", header="employer_id,job_title"))
    with pytest.raises(CodeError) as err:
        connector.get("employer_hiring_plans").parse(plans(tmp_path, "E1,,Welder,,9A049,1,,,,,,,,"))
    assert err.value.column == "county_fips" and err.value.row == 2


def test_inventory_parses_by_hand(tmp_path: Path) -> None:
    path = inventory(tmp_path,
                     "130001:51.0801:2,WDB,Board,workforce_board,health,funding,wioa_title_i_ita,\"$120,000\",",
                     "130001:51.0801:2,CBO,Family Services,community_org,health,support_service,Childcare,,",
                     "130001:51.0801:2,RCC,College,college,health,work_based_learning,externship,,note")
    t = connector.get("partner_inventory").parse(path)
    assert t["annual_amount"].tolist()[0] == 120000.0 and t["annual_amount"].isna().tolist()[1:] == [True, True]
    assert t["item"].tolist() == ["wioa_title_i_ita", "childcare", "externship"]   # terms are case-folded
    assert set(t["pathway"]) == {"health"}


@pytest.mark.parametrize(("row", "column", "words"), [
    ("130001:51.0801:2,WDB,Board,board,,funding,pell,,", "partner_kind", "unknown term"),
    ("130001:51.0801:2,WDB,Board,workforce_board,,money,pell,,", "item_kind", "unknown term"),
    ("130001:51.0801:2,WDB,Board,workforce_board,,funding,childcare,,", "item", "unknown term"),
    ("130001:51.0801:2,WDB,Board,workforce_board,,support_service,childcare,5000,", "annual_amount", "not funding"),
    ("130001:51.0801:2,WDB,Board,workforce_board,,funding,pell,lots,", "annual_amount", "not an amount"),
    ("51.0801,WDB,Board,workforce_board,,funding,pell,,", "program_id", "not a program id"),
    ("130001:51.0801:2,,Board,workforce_board,,funding,pell,,", "partner_id", "empty"),
])
def test_inventory_errors_name_row_and_column(tmp_path: Path, row: str, column: str, words: str) -> None:
    path = inventory(tmp_path, "130001:51.0801:2,WDB,Board,workforce_board,,funding,perkins_v,,", row)
    with pytest.raises(InputError) as err:
        connector.get("partner_inventory").parse(path)
    assert (err.value.row, err.value.column) == (3, column) and words in err.value.detail


def test_inventory_lists_the_vocabulary_and_refuses_duplicates(tmp_path: Path) -> None:
    with pytest.raises(InputError, match="wioa_title_i_ita, wioa_title_i_ojt, wioa_title_ii_adult_ed, perkins_v"):
        connector.get("partner_inventory").parse(
            inventory(tmp_path, "130001:51.0801:2,WDB,Board,workforce_board,,funding,ITA,,"))
    with pytest.raises(InputError, match="duplicate program, partner and item"):
        connector.get("partner_inventory").parse(inventory(
            tmp_path, "130001:51.0801:2,WDB,Board,workforce_board,,funding,pell,,",
            "130001:51.0801:2,WDB,Board,workforce_board,,funding,pell,100,"))


def test_xlsx_errors_name_the_sheet(tmp_path: Path) -> None:
    import openpyxl

    book = openpyxl.load_workbook(TEMPLATES / "employer_hiring_plans.xlsx")
    book["hiring_plans"]["F3"] = "twelve"
    path = tmp_path / "survey.xlsx"
    book.save(path)
    with pytest.raises(InputError) as err:
        connector.get("employer_hiring_plans").parse(path, keep_examples=True)
    assert (err.value.sheet, err.value.row, err.value.column) == ("hiring_plans", 3, "hires_year1")
