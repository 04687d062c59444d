"""One contract for every registered connector, checked alike (as scikit-learn checks estimators).

For each connector and a small file in its published layout: sniffing never raises, the parsed
table validates against its contract, a file cut short is refused naming the row, an unknown
option is refused, and byte-level mutations of the file (hypothesis) end in a correct parse or
one of align's own errors, never another exception.
"""

from __future__ import annotations

from pathlib import Path

import pandas as pd
import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from align import connector, schemas
from align.errors import AlignError, InputError

ROOT = Path(__file__).resolve().parents[2]
FX = ROOT / "tests" / "fixtures"
DEMO = ROOT / "data" / "demo"
ONET = FX / "onet" / "db_28_0_text"

# a small file in each connector's published layout (own fixtures; "real:" = ../shared/data/real)
SAMPLES: dict[str, str | Path] = {
    "bls_api": FX / "bls_api" / "small_response.json",
    "cip_codes": FX / "cip" / "CIPCode_small.csv",
    "cip_soc": FX / "cip" / "crosswalk_small.csv",
    "employer_hiring_plans": FX / "partners" / "employer_hiring_plans.csv",
    "ep": DEMO / "ep" / "occupation.xlsx",
    "fred": FX / "fred" / "small.txt",
    "ipeds_codebook": "real:ipeds/completions_c_a/varlist.xlsx",
    "ipeds_completions": FX / "ipeds" / "c2023_a.csv",
    "ipeds_hd": FX / "ipeds" / "hd2023.csv",
    "ipeds_trend": FX / "ipeds" / "TrendGenerator-Table-small.csv",
    "oews": DEMO / "oews" / "MSA_M2024_dl.xlsx",
    "oews_docs": "real:oews/oesm20ma_file_descriptions.xlsx",
    "oews_staffing": DEMO / "oews" / "nat3d_M2024_dl.xlsx",
    "partner_inventory": FX / "partners" / "partner_inventory.csv",
    "onet_education": ONET / "Education, Training, and Experience.txt",
    "onet_education_categories": ONET / "Education, Training, and Experience Categories.txt",
    "onet_job_zone_reference": ONET / "Job Zone Reference.txt",
    "onet_job_zones": ONET / "Job Zones.txt",
    "onet_occupations": ONET / "Occupation Data.txt",
    "onet_readme": ONET / "Read Me.txt",
    "onet_related": ONET / "Related Occupations.txt",
    "onet_scales": ONET / "Scales Reference.txt",
    "onet_titles": ONET / "Alternate Titles.txt",
    "postings_csv": FX / "postings" / "lightcast_export.csv",
    "qcew": FX / "qcew" / "2024-a-39049.csv",
    "state_projections": FX / "projections" / "oh_longterm.csv",
    "training_inventory": FX / "inventory" / "inventory_long.csv",
    "usajobs": FX / "postings" / "usajobs_small.json",
}
BINARY = (".xlsx", ".xls", ".zip", ".parquet")
PROSE = {"onet_readme"}  # free text with no records: a cut cannot be told from a short read-me
NAMES = sorted(connector.connectors())


def _sample(name: str, request: pytest.FixtureRequest) -> Path:
    spec = SAMPLES.get(name)
    if spec is None:
        pytest.skip(f"connector {name!r} has no contract sample: add a small file in its layout to SAMPLES")
    if isinstance(spec, str) and spec.startswith("real:"):
        return request.getfixturevalue("real_data") / spec[5:]
    return Path(spec)


def _copy(sample: Path, tmp_path: Path, data: bytes) -> Path:
    """``data`` written under the sample's own name (some connectors read the year from it)."""
    folder = tmp_path / sample.parent.name  # O*NET reads its release from the folder name
    folder.mkdir(parents=True, exist_ok=True)
    path = folder / sample.name
    path.write_bytes(data)
    return path


@pytest.fixture(params=NAMES)
def case(request: pytest.FixtureRequest) -> tuple[connector.Connector, Path]:
    return connector.connectors()[request.param], _sample(request.param, request)


def test_every_sample_belongs_to_a_registered_connector():
    assert set(SAMPLES) <= set(NAMES)


def test_sniff_never_raises(case, tmp_path):
    c, sample = case
    assert c.sniff(sample) in (True, False)
    odd = [tmp_path / "missing.csv", tmp_path, _copy(sample, tmp_path / "empty", b""),
           _copy(sample, tmp_path / "noise", bytes(range(256)) * 8)]
    for path in odd:
        assert c.sniff(path) in (True, False), path


def test_the_parsed_sample_validates(case):
    c, sample = case
    table = c.parse(sample)
    assert len(table) > 0
    schemas.validate(table, c.table, origin=str(sample))


def test_an_unknown_option_is_refused(case):
    c, sample = case
    with pytest.raises(InputError, match=r"unknown option.*colums"):
        c.parse(sample, colums={"posting_id": "ID"})


def test_a_file_cut_short_is_refused_naming_the_row(case, tmp_path):
    c, sample = case
    if c.name in PROSE:
        pytest.skip("a prose file has no records to count")
    data = sample.read_bytes()
    if sample.suffix.lower() in BINARY:
        with pytest.raises(InputError):
            c.parse(_copy(sample, tmp_path, data[: len(data) // 2]))
        return
    lines = data.splitlines(keepends=True)
    cut = max(1, int(len(lines) * 0.6))
    if cut >= len(lines):
        cut = len(lines) - 1
    line = lines[cut]
    half = b"".join(lines[:cut]) + line[: max(1, len(line.rstrip()) // 3)]
    with pytest.raises(InputError) as err:
        c.parse(_copy(sample, tmp_path, half))
    assert err.value.row is not None, str(err.value)


_mutation = st.one_of(
    st.tuples(st.just("cut"), st.floats(0.05, 0.95)),
    st.tuples(st.just("drop"), st.floats(0, 1), st.integers(1, 40)),
    st.tuples(st.just("insert"), st.floats(0, 1), st.binary(min_size=1, max_size=12)),
    st.tuples(st.just("flip"), st.floats(0, 1), st.integers(0, 255)),
    st.tuples(st.just("repeat_line"), st.floats(0, 1)),
)


def _mutate(data: bytes, m: tuple) -> bytes:
    kind, at = m[0], int(m[1] * max(len(data) - 1, 0))
    if kind == "cut":
        return data[:at]
    if kind == "drop":
        return data[:at] + data[at + m[2]:]
    if kind == "insert":
        return data[:at] + m[2] + data[at:]
    if kind == "flip":
        return data[:at] + bytes([m[2]]) + data[at + 1:]
    lines = data.splitlines(keepends=True)
    i = int(m[1] * max(len(lines) - 1, 0))
    return b"".join([*lines[:i + 1], *lines[i:]])


@pytest.mark.parametrize("name", NAMES)
@settings(max_examples=6, deadline=None, derandomize=True,
          suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow])
@given(mutation=_mutation)
def test_mutated_files_end_in_a_parse_or_a_named_error(name, mutation, request, tmp_path):
    c = connector.connectors()[name]
    sample = _sample(name, request)
    path = _copy(sample, tmp_path / "fuzz", _mutate(sample.read_bytes(), mutation))
    try:
        table = c.parse(path)
    except AlignError:
        return
    assert isinstance(table, pd.DataFrame)
    schemas.validate(table, c.table, origin=str(path))
