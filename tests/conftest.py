"""Shared test fixtures: where the real published files live, and small paths helpers."""

from __future__ import annotations

import os
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[1]
FIXTURES = Path(__file__).resolve().parent / "fixtures"
REAL = Path(os.environ.get("ALIGN_REAL_DATA", ROOT.parent / "shared" / "data" / "real"))


@pytest.fixture(scope="session")
def real_data() -> Path:
    """The folder of real published files (../shared/data/real); tests skip where it is absent."""
    if not REAL.is_dir():
        pytest.skip(f"real published files not found at {REAL} (set ALIGN_REAL_DATA to point at them)")
    return REAL


@pytest.fixture(scope="session")
def fixtures() -> Path:
    return FIXTURES


@pytest.fixture(scope="session")
def demo_run_folder(tmp_path_factory) -> Path:
    """One finished demo planning run (no report), shared by the tests that read a run folder."""
    from align import config
    from align.pipeline import run
    from align.progress import Progress

    out = tmp_path_factory.mktemp("demo-runs")
    cfg = config.load(ROOT / "data" / "demo" / "region.toml").model_copy(update={"output_dir": str(out)})
    return run(cfg, progress=Progress(0, enabled=False), report=False).folder


@pytest.fixture(scope="session")
def real_example(real_data, tmp_path_factory):
    """Runs ``data/examples/<name>/region.toml`` on the real files (no report); skips where they are absent."""
    return lambda name: _run_example(name, tmp_path_factory)


def _run_example(name: str, tmp_path_factory):
    from align import config
    from align.errors import ConfigError
    from align.pipeline import run
    from align.progress import Progress

    try:
        cfg = config.load(ROOT / "data" / "examples" / name / "region.toml")
    except ConfigError as exc:  # the examples read ../shared/data/real beside the checkout
        pytest.skip(f"real files not where the example expects them: {exc}")
    cfg = cfg.model_copy(update={"output_dir": str(tmp_path_factory.mktemp("runs"))})
    return run(cfg, progress=Progress(0, enabled=False), report=False)


@pytest.fixture(autouse=True)
def _private_http_cache(tmp_path_factory, monkeypatch):
    """Each test gets its own HTTP cache: a response cached by an earlier run must never answer."""
    monkeypatch.setenv("ALIGN_HTTP_CACHE", str(tmp_path_factory.mktemp("http-cache")))
