"""Agreement labels on a hand-made table; aggregation; the whole postings path; align autocode."""

from __future__ import annotations

from pathlib import Path

import numpy as np
import pandas as pd
import pytest

from align import connector
from align.cli import main
from align.errors import InputError
from align.postings import autocoder as ac
from align.postings.aggregate import posting_period
from align.postings.agreement import postings_agreement
from align.postings.autocoder import code_titles, load_autocoder
from align.postings.pipeline import code_postings, combine, postings_signal

FIXTURE_ONET = Path(__file__).resolve().parents[1] / "fixtures" / "autocode" / "db_28_1_text"

EXPORT = FIXTURE_ONET.parent / "postings_export.csv"

DEMAND = pd.DataFrame({
    "soc_code": ["29-1141", "51-4121", "15-1252", "41-2011"],
    "occupation_title": ["Registered Nurses", "Welders", "Software Developers", "Cashiers"],
    "annual_openings": [900.0, 40.0, 300.0, 700.0],
})


def test_agreement_labels_on_a_hand_made_table() -> None:
    postings = pd.DataFrame({"soc_code": ["29-1141"] * 50 + ["51-4121"] * 30 + ["15-1252"] * 2
                             + ["99-9999"] * 5})
    out = postings_agreement(postings, DEMAND).set_index("soc_code")
    # postings 50, 30, 2, 0 → rank pct 1, .75, .5, .25; openings 900, 40, 300, 700 → 1, .25, .5, .75
    assert out.loc["29-1141", "agreement_label"] == "both high"
    assert out.loc["51-4121", "agreement_label"] == "postings only"
    assert out.loc["15-1252", "agreement_label"] == "both low"
    assert out.loc["41-2011", "agreement_label"] == "projections only"
    assert out.loc["41-2011", "n_postings"] == 0  # no postings is a count of zero
    # Spearman of (900,40,300,700) vs (50,30,2,0): ranks (4,1,2,3) vs (4,3,2,1) → rho 0.2
    assert out["rank_correlation"].iloc[0] == pytest.approx(0.2)
    assert out.attrs["postings_outside_demand"] == 5


def test_agreement_from_aggregated_counts_and_errors() -> None:
    agg = pd.DataFrame({"soc_code": ["29-1141", "29-1141", "41-2011"],
                        "posting_period": ["2024Q1", "2024Q2", "2024Q1"], "n_postings": [3, 4, 1]})
    out = postings_agreement(agg, DEMAND).set_index("soc_code")
    assert out.loc["29-1141", "n_postings"] == 7
    with pytest.raises(InputError):
        postings_agreement(agg, DEMAND.drop(columns="annual_openings"))
    with pytest.raises(InputError):
        postings_agreement(agg, DEMAND, high_quantile=1.0)
    same = postings_agreement(pd.DataFrame({"soc_code": []}), DEMAND)
    assert np.isnan(same["rank_correlation"]).all()  # no postings at all: no correlation


def test_posting_period() -> None:
    d = pd.Series(["2024-05-29", None, "2023-12-31"])
    assert list(posting_period(d, "month")) == ["2024-05", "undated", "2023-12"]
    assert list(posting_period(d, "quarter")) == ["2024Q2", "undated", "2023Q4"]
    assert list(posting_period(d, "year")) == ["2024", "undated", "2023"]


def test_postings_path_on_the_fixture_export(fixture_model) -> None:
    posts = connector.get("postings_csv").parse(EXPORT)
    res = postings_signal(posts, fixture_model, threshold=0.3, period="quarter", state_fips="39")
    assert res.summary["duplicate_rate"] == pytest.approx(0.2)
    assert res.summary["share_coded"] == pytest.approx(0.9)  # all but Zxqv Blorptastic
    table = res.by_occupation.set_index(["soc_code", "posting_period"])["n_postings"]
    # nurses kept: Columbus 2024-03-01 and 2024-07-15, Dayton 2024-03-02
    assert table[("29-1141", "2024Q1")] == 2 and table[("29-1141", "2024Q3")] == 1
    assert table[("51-4121", "2024Q1")] == 2 and table[("15-1252", "2024Q2")] == 2
    agreement = postings_agreement(res.by_occupation, DEMAND)
    assert set(agreement["agreement_label"]) <= {"both high", "both low", "postings only",
                                                 "projections only"}


def test_whole_postings_path_on_the_shared_usajobs_response(real_model, real_data: Path) -> None:
    path = real_data / "postings" / "usajobs_search_response_2items.json"
    assert connector.detect(path).name == "usajobs"
    posts = combine([connector.get("usajobs").parse(path)])
    res = postings_signal(posts, real_model, period="month")
    coded = res.postings.set_index("posting_id")
    # PositionTitle "COMPUTER SCIENTIST (DATA SCIENTIST/DATA ANALYST)" (DCSA, series 1550)
    assert coded.loc["DCSA-22-11428309-P", "soc_code"] == "15-1221"
    assert coded.loc["DCSA-22-11428309-P", "autocode_alternatives"].startswith("15-1221 ")
    assert coded.loc["DCSA-22-11428309-P", "soc_code_source"] == "autocoder"
    # "Data Scientist" (NNSA, series 1560): O*NET lists the title under 15-2051 and 19-2011
    assert coded.loc["22-NA-IM-02231-11441899-GOV", "autocode_alternatives"].split(" ")[0] == "15-2051"
    assert res.summary["duplicate_rate"] == 0 and res.summary["postings"] == 2
    assert "2022-03" in set(res.by_occupation["posting_period"])


def test_autocode_cli_keeps_columns(tmp_path: Path, monkeypatch: pytest.MonkeyPatch,
                                    capsys: pytest.CaptureFixture[str]) -> None:
    monkeypatch.setenv("ALIGN_AUTOCODE_CACHE", str(tmp_path / "cache"))
    out = tmp_path / "coded.csv"
    rc = main(["autocode", str(EXPORT), "-o", str(out), "--onet", str(FIXTURE_ONET),
               "--threshold", "0.3"])
    assert rc == 0
    coded = pd.read_csv(out, dtype=str, keep_default_na=False)
    assert list(coded.columns) == ["title", "location", "publishedAt", "companyName", "workType",
                                   "sector", *ac.CODED_COLUMNS]
    assert coded.loc[0, "autocode_soc_code"] == "29-1141" and coded.loc[9, "autocode_soc_title"] == "unknown"
    assert coded.loc[9, "autocode_review"] == "True"
    err = capsys.readouterr().err
    assert "10 titles, 90% coded at confidence ≥ 0.3, " in err and " flagged for review" in err
    # a coded file cannot be coded again into the same columns: refused, not overwritten
    assert main(["autocode", str(out), "-o", str(tmp_path / "again.csv"), "--onet", str(FIXTURE_ONET)]) == 2
    assert "already has column(s) ['autocode_soc_code'" in capsys.readouterr().err
    parquet = tmp_path / "coded.parquet"
    assert main(["autocode", str(EXPORT), "-o", str(parquet), "--onet", str(FIXTURE_ONET)]) == 0
    assert len(pd.read_parquet(parquet)) == 10


def test_autocode_cli_never_overwrites_an_existing_soc_code(tmp_path: Path, monkeypatch: pytest.MonkeyPatch,
                                                            capsys: pytest.CaptureFixture[str]) -> None:
    """The input's own codes stay as they were (even a wrong one); the coder's go beside them and
    are compared: 2 of the 3 rows with a code agree."""
    monkeypatch.setenv("ALIGN_AUTOCODE_CACHE", str(tmp_path / "cache"))
    src = tmp_path / "plan.csv"
    src.write_text("title,soc_code,naics_code\nRegistered Nurse,29-1141,622110\nWelder,51-4121.00,332312\n"
                   "Truck Driver,41-2011,484121\nCashier,,445110\n")
    out = tmp_path / "coded.csv"
    assert main(["autocode", str(src), "-o", str(out), "--onet", str(FIXTURE_ONET), "--threshold", "0.3"]) == 0
    coded = pd.read_csv(out, dtype=str, keep_default_na=False)
    assert list(coded["soc_code"]) == ["29-1141", "51-4121.00", "41-2011", ""]
    assert list(coded["autocode_soc_code"]) == ["29-1141", "51-4121", "53-3032", "41-2011"]
    assert list(coded["autocode_agrees"]) == ["True", "True", "False", ""]
    err = capsys.readouterr().err
    assert "agrees with the input's soc_code on 67% of the 3 titles both code" in err
    assert "industry from naics_code" in err
    src.write_text("title,soc_code\nWelder,welding\n")
    assert main(["autocode", str(src), "-o", str(out), "--onet", str(FIXTURE_ONET)]) == 2
    assert "soc_code 'welding' is not a SOC code" in capsys.readouterr().err


def test_postings_path_keeps_a_files_own_codes(fixture_model) -> None:
    posts = pd.DataFrame({"posting_id": ["1", "2", "3"], "title": ["Welder", "Welder", "Zxqv"],
                          "source": "x", "soc_code": ["47-2111", None, None]})
    coded = code_postings(posts, fixture_model, threshold=0.3).set_index("posting_id")
    assert list(coded["soc_code"].fillna("")) == ["47-2111", "51-4121", ""]
    assert list(coded["soc_code_source"]) == ["input", "autocoder", "none"]
    assert coded.loc["1", "autocode_agrees"] is False or not coded.loc["1", "autocode_agrees"]


def test_corrections_are_applied_first_and_learnt_from(tmp_path: Path) -> None:
    """A reviewer's two corrections: "Wireman" (O*NET: an electrician) is this employer's
    cable installer, and "Patient Care Tech" is a nursing assistant. The corrected titles get
    those codes with confidence 1; a title close to a correction now leans to it too."""
    fixes = tmp_path / "corrections.csv"
    fixes.write_text("title,soc_code\nWireman,49-9052\nPatient Care Tech,31-1131\n")
    model = load_autocoder(FIXTURE_ONET, corrections=fixes, cache_dir=tmp_path / "cache")
    out = code_titles(["Wireman", "WIREMAN II", "Patient Care Technician", "Patient Care Technician Lead",
                       "Electrician"], model, threshold=0)
    assert list(out["autocode_soc_code"]) == ["49-9052", "49-9052", "31-1131", "31-1131", "47-2111"]
    assert list(out["autocode_source"]) == ["correction", "correction", "correction", "model", "model"]
    assert list(out["autocode_confidence"][:3]) == [1.0, 1.0, 1.0] and not out["autocode_review"][:3].any()
    fixes.write_text("title,soc_code\nWireman,49-9052\nWIREMAN I,47-2111\n")
    with pytest.raises(InputError, match="rows 2 and 3 give one title"):
        load_autocoder(FIXTURE_ONET, corrections=fixes, cache_dir=tmp_path / "cache")
    fixes.write_text("title,soc_code\nWireman,49-9050\n")
    with pytest.raises(InputError, match="not a detailed SOC code"):
        load_autocoder(FIXTURE_ONET, corrections=fixes, cache_dir=tmp_path / "cache")


def test_autocode_cli_errors(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    bad = tmp_path / "jobs.csv"
    bad.write_text("job,employer\nWelder,X\n")
    assert main(["autocode", str(bad), "-o", str(tmp_path / "o.csv"), "--onet", str(FIXTURE_ONET)]) == 2
    assert "no 'title' column" in capsys.readouterr().err
    assert main(["autocode", str(tmp_path / "none.csv"), "-o", str(tmp_path / "o.csv")]) == 2


def test_autocode_cli_on_real_linkedin(real_onet: Path, real_data: Path, tmp_path: Path,
                                       monkeypatch: pytest.MonkeyPatch, real_model) -> None:
    monkeypatch.setenv("ALIGN_ONET", str(real_onet))
    out = tmp_path / "linkedin.parquet"
    assert main(["autocode", str(real_data / "postings" / "ai_ml_jobs_linkedin.csv"), "-o", str(out)]) == 0
    coded = pd.read_parquet(out)
    assert len(coded) == 862 and coded.loc[0, "title"] == "AI/ML Engineer"
    assert coded["autocode_review"].dtype == bool
