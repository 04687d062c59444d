"""A small file in each registered connector's published layout, for the contract suite and the
bad-input benchmark (``benchmarks/bad_input.py``). Own fixtures, or ``real:`` files under
``../shared/data/real`` where no small fixture exists."""

from __future__ import annotations

from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]
FX = ROOT / "tests" / "fixtures"
DEMO = ROOT / "data" / "demo"
ONET = FX / "onet" / "db_28_0_text"

SAMPLES: dict[str, str | Path] = {
    "employer_hiring_plans": FX / "partners" / "employer_hiring_plans.csv",
    "partner_inventory": FX / "partners" / "partner_inventory.csv",
    "bls_api": FX / "bls_api" / "small_response.json",
    "cip_codes": FX / "cip" / "CIPCode_small.csv",
    "cip_soc": FX / "cip" / "crosswalk_small.csv",
    "ep": DEMO / "ep" / "occupation.xlsx",
    "fred": FX / "fred" / "small.txt",
    "ipeds_codebook": "real:ipeds/completions_c_a/varlist.xlsx",
    "ipeds_completions": FX / "ipeds" / "c2023_a.csv",
    "ipeds_hd": FX / "ipeds" / "hd2023.csv",
    "ipeds_trend": FX / "ipeds" / "TrendGenerator-Table-small.csv",
    "oews": DEMO / "oews" / "MSA_M2024_dl.xlsx",
    "oews_docs": "real:oews/oesm20ma_file_descriptions.xlsx",
    "oews_staffing": DEMO / "oews" / "nat3d_M2024_dl.xlsx",
    "onet_education": ONET / "Education, Training, and Experience.txt",
    "onet_education_categories": ONET / "Education, Training, and Experience Categories.txt",
    "onet_job_zone_reference": ONET / "Job Zone Reference.txt",
    "onet_job_zones": ONET / "Job Zones.txt",
    "onet_occupations": ONET / "Occupation Data.txt",
    "onet_readme": ONET / "Read Me.txt",
    "onet_related": ONET / "Related Occupations.txt",
    "onet_scales": ONET / "Scales Reference.txt",
    "onet_titles": ONET / "Alternate Titles.txt",
    "oews_database": FX / "oews_database" / "oews_may2025_test_areas_cross_industry.csv",
    "postings_csv": FX / "postings" / "lightcast_export.csv",
    "qcew": FX / "qcew" / "2024-a-39049.csv",
    "qcew_ny": FX / "qcew_ny" / "qcew_annual_2011.txt",
    "state_projections": FX / "projections" / "oh_longterm.csv",
    "training_inventory": FX / "inventory" / "inventory_long.csv",
    "usajobs": FX / "postings" / "usajobs_small.json",
}
BINARY = (".xlsx", ".xls", ".zip", ".parquet")
PROSE = {"onet_readme"}  # free text with no records: a cut cannot be told from a short read-me
