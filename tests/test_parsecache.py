"""The parse cache gives back exactly the table the connector parses, and a changed file misses it."""

from __future__ import annotations

from pathlib import Path

import pandas as pd
import pytest

from align import config as config_mod
from align import connector, parsecache
from align.errors import ConfigError
from align.store import sha256_file

ROOT = Path(__file__).resolve().parents[1]


def _check_every_input(cfg_path: Path, cache: Path, monkeypatch: pytest.MonkeyPatch) -> int:
    monkeypatch.setenv(parsecache.ENV, str(cache))
    cfg = config_mod.load(cfg_path)
    n = 0
    for name in type(cfg.inputs).model_fields:
        spec = getattr(cfg.inputs, name)
        if spec is None:
            continue
        source = connector.get(spec.source)
        for path in cfg.input_files(name)[:3]:
            fresh = source.parse(path, **spec.options)
            digest = sha256_file(path)
            first = parsecache.parse(source, path, digest, spec.options)   # parses and stores
            again = parsecache.parse(source, path, digest, spec.options)   # reads the stored table
            pd.testing.assert_frame_equal(first, fresh)
            pd.testing.assert_frame_equal(again, fresh, check_dtype=True, check_exact=True)
            n += 1
    return n


def test_cached_tables_equal_fresh_parses_demo(tmp_path, monkeypatch):
    assert _check_every_input(ROOT / "data" / "demo" / "region.toml", tmp_path, monkeypatch) > 10
    assert len(list(tmp_path.glob("*.parquet"))) > 10


@pytest.mark.realdata
def test_cached_tables_equal_fresh_parses_columbus(real_data, tmp_path, monkeypatch):
    try:
        n = _check_every_input(ROOT / "data" / "examples" / "columbus-oh" / "region.toml", tmp_path, monkeypatch)
    except ConfigError as exc:
        pytest.skip(f"real files not where the example expects them: {exc}")
    assert n >= 9


def test_a_changed_file_or_option_misses_and_off_disables(tmp_path, monkeypatch):
    calls = []

    class Source:
        name = "fake"

        def parse(self, path, **options):
            calls.append(options)
            return pd.DataFrame({"code": ["01.0101"], "n": [options.get("n", 1)]})

    monkeypatch.setenv(parsecache.ENV, str(tmp_path))
    f = tmp_path / "in.csv"
    f.write_text("x", encoding="utf-8")
    parsecache.parse(Source(), f, "a" * 64, {})
    parsecache.parse(Source(), f, "a" * 64, {})
    assert len(calls) == 1
    parsecache.parse(Source(), f, "b" * 64, {})           # other bytes
    out = parsecache.parse(Source(), f, "a" * 64, {"n": 2})  # other options
    assert len(calls) == 3 and out["n"].item() == 2 and out["code"].item() == "01.0101"
    monkeypatch.setenv(parsecache.ENV, "off")
    parsecache.parse(Source(), f, "a" * 64, {})
    assert len(calls) == 4
