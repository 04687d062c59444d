from pathlib import Path

import pytest

from align import config
from align.errors import ConfigError

DEMO = Path(__file__).resolve().parents[2] / "data" / "demo" / "region.toml"


def _write(tmp_path: Path, text: str) -> Path:
    path = tmp_path / "region.toml"
    path.write_text(text, encoding="utf-8")
    return path


def _demo_text() -> str:
    text = DEMO.read_text(encoding="utf-8")
    return text.replace('path = "', f'path = "{DEMO.parent}/').replace('paths = ["', f'paths = ["{DEMO.parent}/') \
        .replace(', "ipeds/', f', "{DEMO.parent}/ipeds/')


def test_demo_config_loads():
    c = config.load(DEMO)
    assert c.region.slug == "riverbend-demo"
    assert c.region.counties == ["99001", "99003", "99005"]
    assert c.years.horizon == 10
    assert len(c.input_files("industry_employment")) == 16 * 3


def test_unknown_key_is_named(tmp_path):
    path = _write(tmp_path, _demo_text().replace("retention = 0.80", "retention = 0.80\nretension = 0.8"))
    with pytest.raises(ConfigError, match=r"unknown key 'parameters.retension'"):
        config.load(path)


def test_wrong_type_is_named(tmp_path):
    path = _write(tmp_path, _demo_text().replace("retention = 0.80", 'retention = "most"'))
    with pytest.raises(ConfigError, match=r"'parameters.retention'"):
        config.load(path)


def test_missing_file_is_named(tmp_path):
    path = _write(tmp_path, _demo_text().replace("oews/nat3d_M2024_dl.xlsx", "oews/nope.xlsx"))
    with pytest.raises(ConfigError, match=r"inputs.staffing_patterns: no file matches"):
        config.load(path)


def test_target_must_follow_base_and_counties_are_codes(tmp_path):
    with pytest.raises(ConfigError, match="target year"):
        config.load(_write(tmp_path, _demo_text().replace("target = 2034", "target = 2020")))
    with pytest.raises(ConfigError, match=r"region\.counties"):
        config.load(_write(tmp_path, _demo_text().replace('"99005"]', '"9900X"]')))


def test_cli_stops_with_one_line(tmp_path, capsys):
    from align.cli import main

    path = _write(tmp_path, _demo_text().replace("retention = 0.80", "retention = 0.80\nretension = 0.8"))
    assert main(["run", str(path)]) == 2
    err = capsys.readouterr().err.strip().splitlines()
    assert len(err) == 1 and "retension" in err[0]


def test_configuration_reference_is_current():
    # docs/configuration.md is generated from the models: regenerate with python -m align.config
    doc = Path(__file__).resolve().parents[2] / "docs" / "configuration.md"
    assert doc.read_text(encoding="utf-8").strip() == config.reference().strip()
