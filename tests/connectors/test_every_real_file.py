"""Every file in ../shared/data/real is recognised by the right connector and parses.

The list of files is read from the folder itself, so a file added there without a reader fails
here instead of going unnoticed; each file's expected reader is named by where it lives, so a
layout detected as the wrong source fails too.
"""

from __future__ import annotations

from fnmatch import fnmatch
from pathlib import Path

import pandas as pd
import pytest

from align import connector
from align.errors import UpstreamError
from align.postings.census_index import read_census_index
from conftest import REAL

#: glob under the real folder -> the connector that must recognise it (first match wins)
EXPECTED = [
    ("bls_api/*", "bls_api"),
    ("ces/*", "fred"),
    ("cip_soc/CIPCode*", "cip_codes"),
    ("cip_soc/*", "cip_soc"),
    ("derived/c20*_a_*.csv", "ipeds_completions"),
    ("derived/oews_*", "oews_database"),
    ("ep/*", "ep"),
    ("ipeds/TrendGenerator*", "ipeds_trend"),
    ("ipeds/completions_c_a/varlist.xlsx", "ipeds_codebook"),
    ("ipeds/completions_c_a/*", "ipeds_completions"),
    ("ipeds/hd*", "ipeds_hd"),
    ("oews/natsector_*", "oews_staffing"),
    ("oews/*_file_descriptions.xlsx", "oews_docs"),
    ("oews/*", "oews"),
    ("onet/*/Alternate Titles.txt", "onet_titles"),
    ("onet/*/Sample of Reported Titles.txt", "onet_titles"),
    ("onet/*/Education, Training, and Experience Categories.txt", "onet_education_categories"),
    ("onet/*/Education, Training, and Experience.txt", "onet_education"),
    ("onet/*/Job Zone Reference.txt", "onet_job_zone_reference"),
    ("onet/*/Job Zones.txt", "onet_job_zones"),
    ("onet/*/Occupation Data.txt", "onet_occupations"),
    ("onet/*/Read Me.txt", "onet_readme"),
    ("onet/*/Related Occupations.txt", "onet_related"),
    ("onet/*/Scales Reference.txt", "onet_scales"),
    ("postings/usajobs_*", "usajobs"),
    ("postings/*", "postings_csv"),
    ("projections_state/*", "state_projections"),
    ("qcew/*", "qcew"),
    ("qcew_ny/qcew_annual_*.txt", "qcew_ny"),
]
DOCUMENTATION = {"PROVENANCE.md", "qcew_ny/QCEW.Readme.txt"}  # prose about the files, not data
CENSUS_INDEX = "derived/census_occupation_index_2022_train.csv"  # read by the autocoder, not ingested
REFUSED = {"bls_api/response_REQUEST_NOT_PROCESSED.json": UpstreamError}  # the API's own refusal, recorded

FILES = sorted(str(p.relative_to(REAL)) for p in REAL.rglob("*") if p.is_file()) if REAL.is_dir() else []


def _expected(rel: str) -> str | None:
    return next((name for pattern, name in EXPECTED if fnmatch(rel, pattern)), None)


@pytest.mark.parametrize("rel", FILES)
def test_real_file_is_recognised_and_parses(rel: str, real_data: Path):
    path = real_data / rel
    if rel in DOCUMENTATION:
        assert path.read_text(errors="replace").strip()
        return
    if rel == CENSUS_INDEX:
        assert len(read_census_index(path)) > 10_000
        return
    expected = _expected(rel)
    assert expected is not None, f"{rel}: no reader expected for this file: add it to EXPECTED"
    found = connector.detect(path)
    assert found.name == expected, f"{rel} detected as {found.name}, expected {expected}"
    if rel in REFUSED:
        with pytest.raises(REFUSED[rel], match=rel.split("/")[-1]):
            found.parse(path)
        return
    table = found.parse(path)
    assert isinstance(table, pd.DataFrame) and len(table) > 0
