"""The connector registry: plug-ins found by entry point, files recognised by their layout."""

from __future__ import annotations

from pathlib import Path

import pytest

from align import connector
from align.errors import AlignError, InputError


def test_bundled_connectors_are_found_through_entry_points():
    found = connector.connectors()
    for name in ("qcew", "oews", "oews_staffing", "ep", "ipeds_completions", "ipeds_hd", "cip_soc",
                 "onet_related", "usajobs", "postings_csv", "training_inventory", "bls_api", "fred"):
        assert name in found, name
        assert found[name].table, name


def test_an_unknown_layout_lists_what_was_expected(tmp_path):
    path = tmp_path / "mystery.csv"
    path.write_text("a,b\n1,2\n", encoding="utf-8")
    with pytest.raises(InputError) as err:
        connector.detect(path)
    text = str(err.value)
    assert str(path) in text and "layout not recognised" in text
    assert "  - qcew: " in text and "  - ep: " in text


def test_unknown_source_names_the_installed_ones():
    with pytest.raises(AlignError, match=r"unknown source 'qcw'.*qcew"):
        connector.get("qcw")


def test_cli_errors_are_one_line_not_tracebacks(tmp_path, capsys):
    from align.cli import main

    assert main(["ingest", "ep", str(tmp_path / "nope.xlsx"), "-o", str(tmp_path / "x.csv")]) == 2
    assert main(["ingest", "ep", str(tmp_path), "-o", str(tmp_path / "x.csv")]) == 2
    demo = Path(__file__).resolve().parents[2] / "data" / "demo" / "qcew" / "2024-a-99001.csv"
    assert main(["ingest", "qcew", str(demo), "-o", str(tmp_path / "x.txt")]) == 2
    err = capsys.readouterr().err.strip().splitlines()
    assert len(err) == 3 and all(line.startswith("align: error: ") for line in err)
    assert "file not found" in err[0] and "not a file" in err[1] and "use .csv or .parquet" in err[2]
