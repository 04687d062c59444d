"""A finished run folder is written once, by one run, and every later check reads the disk."""

from __future__ import annotations

import json
import os
import shutil
import subprocess
import sys
from pathlib import Path

import pandas as pd
import pytest

from align import config as config_mod
from align.cli import main
from align.diff import _inputs, region_warning
from align.errors import AlignError, ConfigError
from align.pipeline import reproduce
from align.runs import OWNER, clean_stale, file_hashes, load_run, verify
from align.store import write_table

ROOT = Path(__file__).resolve().parents[2]
DEMO = ROOT / "data" / "demo"


@pytest.fixture
def run_copy(demo_run_folder, tmp_path) -> Path:
    folder = tmp_path / "riverbend-demo" / demo_run_folder.name
    shutil.copytree(demo_run_folder, folder)
    return folder


def test_the_manifest_hashes_every_file_and_every_input(demo_run_folder):
    manifest = json.loads((demo_run_folder / "manifest.json").read_text(encoding="utf-8"))
    assert manifest["files"] == file_hashes(demo_run_folder)
    assert {"gaps.csv", "gaps.parquet", "reference/cip_soc.parquet"} <= set(manifest["files"])
    tables = {i["table"] for i in manifest["inputs"]}
    assert {"participants", "postings_onet", "onet_related", "industry_employment"} <= tables
    assert all(len(i["sha256"]) == 64 for i in manifest["inputs"])


def test_verify_and_reproduce_name_the_file_that_changed_or_went_missing(run_copy):
    assert verify(run_copy) == []
    gaps = run_copy / "gaps.csv"
    gaps.write_text(gaps.read_text(encoding="utf-8").replace("undersupply", "balanced", 1), encoding="utf-8")
    (run_copy / "duplication.parquet").unlink()
    (run_copy / "notes.txt").write_text("added by hand", encoding="utf-8")
    problems = reproduce(run_copy)
    assert problems == ["file missing from the run folder: duplication.parquet",
                        "file changed since the run: gaps.csv", "file not written by the run: notes.txt"]
    assert main(["verify", str(run_copy)]) == 1


def test_an_unfinished_folder_is_never_taken_for_a_run_and_stale_ones_are_cleaned(run_copy):
    root = run_copy.parent
    dead = root / ".incomplete-20260101T000000Z-deadbeef-000000-x"
    shutil.copytree(run_copy, dead)
    (dead / OWNER).write_text(f"{os.uname().nodename} 999999999", encoding="utf-8")
    live = root / ".incomplete-20260101T000000Z-cafe-000000-y"
    live.mkdir()
    (live / OWNER).write_text(f"{os.uname().nodename} {os.getpid()}", encoding="utf-8")
    for folder in (dead, live):
        with pytest.raises(AlignError, match="unfinished run"):
            load_run(folder)
    assert main(["reproduce", str(dead)]) == 2
    assert clean_stale(root) == [dead]
    assert live.is_dir() and not dead.exists()


def _region_toml(tmp_path: Path, output_dir: Path) -> Path:
    text = (DEMO / "region.toml").read_text(encoding="utf-8").replace('output_dir = "../../runs"',
                                                                       f'output_dir = "{output_dir}"')
    cfg = DEMO / f".test-{tmp_path.name}.toml"
    cfg.write_text(text, encoding="utf-8")
    return cfg


def test_an_unwritable_output_folder_is_reported_before_any_work(tmp_path, monkeypatch):
    blocker = tmp_path / "not-a-folder"
    blocker.write_text("a file where the runs should go", encoding="utf-8")
    cfg = config_mod.load(DEMO / "region.toml").model_copy(update={"output_dir": str(blocker)})

    def never(*args, **kwargs):
        raise AssertionError("inputs were read before the output folder was checked")

    monkeypatch.setattr("align.pipeline.read_inputs", never)
    from align.pipeline import run
    from align.progress import Progress

    with pytest.raises(AlignError, match="cannot write run folders in"):
        run(cfg, progress=Progress(0, enabled=False))


def test_two_runs_of_one_configuration_at_once_both_finish_complete_and_distinct(tmp_path):
    out = tmp_path / "runs"
    # the demo without postings and outcomes: the race is in writing the folder, not in the stages
    script = ("import sys; from align import config; from align.pipeline import run; from align.progress import "
              "Progress; c = config.load(sys.argv[1]); c = c.model_copy(update={'output_dir': sys.argv[2], "
              "'postings': None, 'outcomes': None, 'inputs': c.inputs.model_copy(update={'postings': None, 'employer_hiring_plans': None, "
              "'partner_inventory': None})}); "
              "print(run(c, progress=Progress(0, enabled=False), report=False).folder)")
    procs = [subprocess.Popen([sys.executable, "-c", script, str(DEMO / "region.toml"), str(out)],
                              stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True) for _ in range(2)]
    results = [p.communicate(timeout=600) for p in procs]
    assert [p.returncode for p in procs] == [0, 0], [r[1][-2000:] for r in results]
    folders = [Path(r[0].strip().splitlines()[-1]) for r in results]
    assert folders[0] != folders[1]
    assert sorted(p.name for p in (out / "riverbend-demo").iterdir()) == sorted(f.name for f in folders)
    for folder in folders:
        assert verify(folder) == []
    files = [json.loads((f / "manifest.json").read_text(encoding="utf-8"))["files"] for f in folders]
    assert files[0] == files[1] and len(files[0]) >= 40  # the same complete set of tables, byte for byte


def test_derived_runs_leave_the_parent_unchanged_and_name_it(run_copy, capsys):
    before = file_hashes(run_copy)
    assert main(["pathways", str(run_copy), "--sector", "99"]) == 2
    err = capsys.readouterr().err
    assert "--sector '99' is not a SOC major group" in err and "29" in err
    assert main(["pathways", str(run_copy), "--sector", "29"]) == 0
    child = Path(capsys.readouterr().out.strip().splitlines()[-1].removeprefix("pathways: "))
    assert main(["report", str(run_copy), "--no-pdf"]) == 0
    reported = Path(capsys.readouterr().out.strip().splitlines()[0].removeprefix("report: ")).parent
    assert file_hashes(run_copy) == before and verify(run_copy) == []
    parent_id = json.loads((run_copy / "manifest.json").read_text(encoding="utf-8"))["run_id"]
    for folder, command in ((child, "align pathways"), (reported, "align report")):
        manifest = json.loads((folder / "manifest.json").read_text(encoding="utf-8"))
        assert folder.parent == run_copy.parent and folder != run_copy
        assert manifest["parent"]["run_id"] == parent_id and manifest["derived"]["command"] == command
        assert verify(folder) == []
    ladders = pd.read_parquet(child / "ladders.parquet")
    assert ladders["end_soc_code"].str.startswith("29").all()
    assert (reported / "report.html").is_file()


def test_diff_compares_inputs_by_content_and_warns_about_other_regions(demo_run_folder, tmp_path, capsys):
    a = json.loads((demo_run_folder / "manifest.json").read_text(encoding="utf-8"))
    moved = {**a, "inputs": [{**i, "path": "elsewhere/" + i["path"], "vintage": None} for i in a["inputs"]]}
    assert _inputs(a, moved).empty
    changed = {**a, "inputs": [{**a["inputs"][0], "sha256": "0" * 64}, *a["inputs"][1:]]}
    assert _inputs(a, changed)["change"].tolist() == ["changed"]
    other = {**a, "region": {**a["region"], "slug": "elsewhere", "counties": ["39049"]}}
    assert "different regions" in region_warning(a, other)
    assert region_warning(a, a) is None
    folder = tmp_path / "copy"
    shutil.copytree(demo_run_folder, folder)
    (folder / "manifest.json").write_text(json.dumps(moved), encoding="utf-8")
    assert main(["diff", str(demo_run_folder), str(folder)]) == 0
    text = capsys.readouterr().out
    assert "inputs changed: 0" in text and "nan" not in text.lower().replace("financ", "")


def test_formula_cells_are_neutralised_in_csv_but_numbers_kept(tmp_path):
    df = pd.DataFrame({"program": ['=HYPERLINK("http://x","click")', "@SUM(A1)", "Nursing", "-5"],
                       "gap": [-5.0, 1.0, 2.0, 3.0]})
    path = write_table(df, tmp_path / "t.csv")
    back = pd.read_csv(path)
    assert back["program"].tolist() == ['\'=HYPERLINK("http://x","click")', "'@SUM(A1)", "Nursing", "-5"]
    assert back["gap"].tolist() == [-5.0, 1.0, 2.0, 3.0]
    assert pd.read_parquet(write_table(df, tmp_path / "t.parquet"))["program"].iloc[0].startswith("=")


@pytest.mark.parametrize("bad", ["../../x", "a/b", ".hidden", "x y"])
def test_a_region_id_must_be_a_plain_slug(tmp_path, bad):
    text = (DEMO / "region.toml").read_text(encoding="utf-8").replace('id = "riverbend-demo"', f'id = "{bad}"')
    path = tmp_path / "region.toml"
    path.write_text(text, encoding="utf-8")
    with pytest.raises(ConfigError, match="plain slug"):
        config_mod.load(path, require_files=False)
