"""Autocoder models trained once per session: on the hand-made O*NET fixture and the real O*NET."""

from __future__ import annotations

import time
from pathlib import Path

import pytest

from align.postings.autocoder import Autocoder, load_autocoder

FIXTURE_ONET = Path(__file__).resolve().parents[1] / "fixtures" / "autocode" / "db_28_1_text"


@pytest.fixture(scope="session")
def fixture_model(tmp_path_factory: pytest.TempPathFactory) -> Autocoder:
    return load_autocoder(FIXTURE_ONET, cache_dir=tmp_path_factory.mktemp("autocode_cache"))


@pytest.fixture(scope="session")
def real_onet(real_data: Path) -> Path:
    folder = real_data / "onet" / "db_27_0_text"
    if not folder.is_dir():
        pytest.skip(f"real O*NET release not found at {folder}")
    return folder


@pytest.fixture(scope="session")
def real_model(real_onet: Path, tmp_path_factory: pytest.TempPathFactory) -> Autocoder:
    """Trained from O*NET 27.0 (63,500 titles): about 6 s on 2 cores, so the full model is used."""
    start = time.perf_counter()
    model = load_autocoder(real_onet, cache_dir=tmp_path_factory.mktemp("autocode_real"))
    model.holdout["train_seconds"] = time.perf_counter() - start
    return model
