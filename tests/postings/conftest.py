"""Autocoder models trained once per session: on the hand-made fixtures and the real files."""

from __future__ import annotations

import time
from pathlib import Path

import pytest

from align.postings.autocoder import Autocoder, load_autocoder

FIXTURES = Path(__file__).resolve().parents[1] / "fixtures" / "autocode"
FIXTURE_ONET = FIXTURES / "db_28_1_text"
FIXTURE_CENSUS = FIXTURES / "census_index_2022.csv"


@pytest.fixture(scope="session")
def fixture_model(tmp_path_factory: pytest.TempPathFactory) -> Autocoder:
    """Learnt from the tiny O*NET folder alone."""
    return load_autocoder(FIXTURE_ONET, cache_dir=tmp_path_factory.mktemp("autocode_cache"))


@pytest.fixture(scope="session")
def census_model(tmp_path_factory: pytest.TempPathFactory) -> Autocoder:
    """Learnt from the tiny O*NET folder and the tiny Census index."""
    return load_autocoder(FIXTURE_ONET, census_index=FIXTURE_CENSUS,
                          cache_dir=tmp_path_factory.mktemp("autocode_census_cache"))


def _present(path: Path, what: str) -> Path:
    if not path.exists():
        pytest.skip(f"{what} not found at {path}")
    return path


@pytest.fixture(scope="session")
def real_onet(real_data: Path) -> Path:
    return _present(real_data / "onet" / "db_27_0_text", "real O*NET release")


@pytest.fixture(scope="session")
def real_census(real_data: Path) -> Path:
    return _present(real_data / "derived" / "census_occupation_index_2022_train.csv",
                    "real Census occupation index")


@pytest.fixture(scope="session")
def real_model(real_onet: Path, tmp_path_factory: pytest.TempPathFactory) -> Autocoder:
    """Trained from O*NET 27.0 alone (63,500 titles)."""
    start = time.perf_counter()
    model = load_autocoder(real_onet, cache_dir=tmp_path_factory.mktemp("autocode_real"))
    model.holdout["train_seconds"] = time.perf_counter() - start
    return model


@pytest.fixture(scope="session")
def real_census_model(real_onet: Path, real_census: Path, tmp_path_factory: pytest.TempPathFactory) -> Autocoder:
    """Trained from O*NET 27.0 and the Census 2022 index (about 100,000 titles)."""
    return load_autocoder(real_onet, census_index=real_census,
                          cache_dir=tmp_path_factory.mktemp("autocode_real_census"))
