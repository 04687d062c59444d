"""One demo run per test session; report tests read its tables and folder."""

from __future__ import annotations

from pathlib import Path

import pandas as pd
import pytest

from align import config as config_mod
from align.pipeline import run
from align.progress import Progress
from align.runs import RunResult

ROOT = Path(__file__).resolve().parents[2]


@pytest.fixture(scope="session")
def demo_run(tmp_path_factory: pytest.TempPathFactory) -> RunResult:
    """The bundled demo region, run once and written (with its reports) to a temporary folder."""
    cfg = config_mod.load(ROOT / "data" / "demo" / "region.toml")
    out = tmp_path_factory.mktemp("runs")
    cfg = cfg.model_copy(update={"output_dir": str(out.resolve())})
    return run(cfg, progress=Progress(total=6, enabled=False), write=True)


@pytest.fixture()
def demo_tables(demo_run: RunResult) -> dict[str, pd.DataFrame]:
    """A fresh copy of the demo run's tables that a test may change."""
    return {k: v.copy() for k, v in demo_run.tables.items()}
