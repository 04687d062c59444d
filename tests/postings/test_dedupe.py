"""De-duplication on planted reposts and cross-board copies (tests/fixtures/autocode/postings_export.csv)."""

from __future__ import annotations

from pathlib import Path

import pandas as pd

from align import connector
from align.postings.dedupe import dedupe_postings, employer_key

FIXTURE_ONET = Path(__file__).resolve().parents[1] / "fixtures" / "autocode" / "db_28_1_text"

EXPORT = FIXTURE_ONET.parent / "postings_export.csv"


def _posts() -> pd.DataFrame:
    return connector.get("postings_csv").parse(EXPORT)


def test_employer_key_ignores_legal_suffixes() -> None:
    assert employer_key("Riverside Health Inc.") == employer_key("Riverside Health, LLC") == "riverside health"
    assert employer_key(None) == ""


def test_planted_reposts_are_marked_and_the_earliest_kept() -> None:
    posts = _posts()
    res = dedupe_postings(posts, window_days=60)
    dup = res.postings.set_index("posting_id")["duplicate_of"]
    # rows 3 (19 days later, suffix differs) and 4 (undated, plural title) repeat row 2
    assert dup["postings_export:3"] == "postings_export:2"
    assert dup["postings_export:4"] == "postings_export:2"
    # July is outside the 60-day window: a new posting; Dayton is another place
    assert pd.isna(dup["postings_export:5"]) and pd.isna(dup["postings_export:6"])
    # "Welder - Second Shift" is not near enough to "Welder"; Senior Software Engineer is another job
    assert pd.isna(dup["postings_export:8"]) and pd.isna(dup["postings_export:10"])
    assert res.n_duplicates == 2 and abs(res.duplicate_rate - 2 / 10) < 1e-12
    assert len(res.kept) == 8 and "postings_export:2" in set(res.kept["posting_id"])


def test_window_and_similarity_are_configurable() -> None:
    posts = _posts()
    wide = dedupe_postings(posts, window_days=365)
    assert wide.postings.set_index("posting_id")["duplicate_of"]["postings_export:5"] == "postings_export:2"
    loose = dedupe_postings(posts, similarity=0.5)
    assert loose.n_duplicates > 2


def test_earliest_is_kept_whatever_the_row_order() -> None:
    posts = _posts().iloc[::-1].reset_index(drop=True)
    res = dedupe_postings(posts)
    assert "postings_export:2" in set(res.kept["posting_id"])
    assert "postings_export:3" not in set(res.kept["posting_id"])


def test_real_linkedin_sample_duplicate_rate(real_data: Path) -> None:
    posts = connector.get("postings_csv").parse(real_data / "postings" / "ai_ml_jobs_linkedin.csv")
    res = dedupe_postings(posts)
    # lines 14 and 15 of the file are the same "AI/ML Engineer" at "Unreal Staffing, Inc" (4/29/2024)
    dup = res.postings.set_index("posting_id")["duplicate_of"]
    assert dup["ai_ml_jobs_linkedin:15"] == "ai_ml_jobs_linkedin:14"
    assert 0 < res.duplicate_rate < 0.5
    print(f"LinkedIn sample: {res.n_duplicates} duplicates of {len(posts)} ({res.duplicate_rate:.1%})")


def test_empty_table() -> None:
    res = dedupe_postings(_posts().iloc[0:0])
    assert res.duplicate_rate == 0 and res.kept.empty
