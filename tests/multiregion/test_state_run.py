"""A state run on the synthetic demo: each region equals its own run, the regions add up to the state,
and the same run on a real local Dask cluster of processes, losing a worker mid-write, gives the same files."""

from __future__ import annotations

import functools
import io
import json
import os
import sys
from pathlib import Path

import cloudpickle
import pandas as pd
import pytest

from align import pipeline
from align.multiregion import config as C
from align.multiregion.run import region_run, run_state
from align.progress import Progress
from align.runs import INCOMPLETE, verify


def run(path: Path, kind: str, stream: io.StringIO | None = None, **kw):
    cfg = C.load(path)
    cfg = cfg.model_copy(update={"engine": cfg.engine.model_copy(update={"kind": kind})})
    return run_state(cfg, report=True, pdf=False, progress=Progress(6, stream=stream or io.StringIO()), **kw)


@pytest.fixture(scope="module")
def serial(demo_state):
    return run(demo_state, "serial")


def outputs(folder: Path) -> dict[str, str]:
    """Every table's sha256, as the run's manifests recorded them (the state's and each region's)."""
    out = dict(json.loads((folder / "manifest.json").read_text())["outputs"])
    for region in sorted((folder / "regions").iterdir()):
        for name, digest in json.loads((region / "manifest.json").read_text())["outputs"].items():
            out[f"regions/{region.name}/{name}"] = digest
    return out


def test_each_region_is_the_run_of_that_region_alone(serial, tmp_path):
    for region in serial.regions:
        alone = pipeline.run(serial.config.region_config(region).model_copy(update={"output_dir": str(tmp_path)}),
                             progress=Progress(0, enabled=False), report=False)
        folder = serial.folder / "regions" / region.slug
        mine = json.loads((folder / "manifest.json").read_text())
        assert mine["outputs"] == alone.manifest["outputs"]  # every table, byte for byte
        assert len(mine["outputs"]) >= 15
        for ref in sorted((alone.folder / "reference").glob("*.parquet")):
            pd.testing.assert_frame_equal(pd.read_parquet(folder / "reference" / ref.name), pd.read_parquet(ref))
        assert mine["inputs"] == alone.manifest["inputs"]  # the same files, read once for every region
        assert not verify(folder)


def test_the_regions_add_up_to_the_state(serial):
    t = serial.tables
    state = t["state_industry_projection"].set_index("naics_code").dropna(subset=["regions_employment_base"])
    assert (state["regions_employment_target_reconciled"] - state["employment_target"]).abs().max() < 1e-6
    assert (state["regions_employment_base_reconciled"] - state["employment_base"]).abs().max() < 1e-6
    # the statewide occupation table is the regions' reconciled demand summed, read back from the files
    long = t["region_gaps"]
    sg = t["state_gaps"].set_index("soc_code")
    assert sg["annual_openings"].sum() == pytest.approx(long["annual_openings_reconciled"].sum())
    assert sg["effective_supply"].sum() == pytest.approx(long["effective_supply_reconciled"].sum())
    # the unreconciled columns are the regions' own gaps tables
    own = pd.read_parquet(serial.folder / "regions" / "upper" / "gaps.parquet").set_index("soc_code")
    upper = long[long["region_id"] == "upper"].set_index("soc_code")
    assert upper["annual_openings"].reindex(own.index).tolist() == own["annual_openings"].tolist()
    # every program is in one region: the regions' completers are the state's
    completers = sum(pd.read_parquet(serial.folder / "regions" / r.slug / "programs.parquet")["completers"].sum()
                     for r in serial.regions)
    assert completers > 0
    rec = t["region_reconciliation"].set_index("region_id")
    assert rec["employment_target_reconciled"].sum() == pytest.approx(
        state["employment_target"].sum(), rel=1e-9)


def test_the_run_folder_holds_each_region_and_the_statewide_report(serial):
    f = serial.folder
    assert sorted(p.name for p in (f / "regions").iterdir()) == ["lower", "upper"]
    for region in ("lower", "upper"):
        assert (f / "regions" / region / "report.html").is_file()
    html = (f / "report.html").read_text(encoding="utf-8")
    assert 'href="regions/upper/report.html"' in html and "Riverbend State" in html
    manifest = json.loads((f / "manifest.json").read_text())
    assert [r["id"] for r in manifest["regions"]] == ["upper", "lower"]
    assert all(r["run_id"] for r in manifest["regions"])
    assert not [p for p in f.parent.iterdir() if p.name.startswith(INCOMPLETE)]


def test_the_statewide_workbook_holds_every_statewide_table_in_words(serial):
    import openpyxl

    wb = openpyxl.load_workbook(serial.folder / "report.xlsx")
    assert wb.sheetnames == ["Read me", "Jobs statewide", "Jobs by region", "Duplication across regions", "Regions",
                             "Reconciliation", "Reconciliation by industry", "Statewide demand",
                             "Statewide industries", "Industries in no region", "Sources", "Data dictionary"]
    assert "Riverbend State" in wb["Read me"]["A1"].value
    t = serial.tables
    # one row per job, statewide shortages first and unjudged jobs last, with the table's numbers
    jobs = list(wb["Jobs statewide"].iter_rows(values_only=True))
    assert len(jobs) - 1 == len(t["state_gaps"])
    head = dict(zip(jobs[0], jobs[1], strict=True))
    g = t["state_gaps"].set_index("soc_code")
    order = ["statewide shortage", "local shortage", "short in some regions", "statewide surplus", "local surplus",
             "surplus in some regions", ""]
    scopes = [dict(zip(jobs[0], r, strict=True))["Statewide or local"] or "" for r in jobs[1:]]
    assert scopes[0] and scopes == sorted(scopes, key=order.index)  # statewide shortages first, unjudged last
    row = g.loc[head["SOC code"]]
    assert head["Job"] == row["occupation_title"] and head["Openings a year"] == pytest.approx(row["annual_openings"])
    assert len(list(wb["Jobs by region"].iter_rows())) - 1 == len(t["region_gaps"])
    regions = [r[0] for r in wb["Jobs by region"].iter_rows(min_row=2, values_only=True)]
    assert set(regions) == set(t["regions"]["region_name"])  # names, not ids, lead the row


def dying_region_run(job, shared, folder, *, report, pdf, marker: Path):
    """The first region task to run dies (its whole worker process) after writing its first table."""
    try:  # created atomically: when both region tasks start at once, only one of them dies
        fd = os.open(marker, os.O_CREAT | os.O_EXCL | os.O_WRONLY)
    except FileExistsError:
        fd = None
    if fd is not None:
        os.write(fd, str(os.getpid()).encode())
        os.close(fd)
        import align.runs

        real = align.runs.write_table

        def write_then_die(df, path):
            real(df, path)
            os._exit(1)
        align.runs.write_table = write_then_die
    return region_run(job, shared, folder, report=report, pdf=pdf)


def test_a_local_cluster_losing_a_worker_mid_write_gives_the_serial_files(serial, demo_state, tmp_path):
    cloudpickle.register_pickle_by_value(sys.modules[__name__])  # the workers cannot import this test file
    marker = tmp_path / "killed-once"
    stream = io.StringIO()
    dask = run(demo_state, "dask", stream, task=functools.partial(dying_region_run, marker=marker))
    assert marker.exists() and int(marker.read_text()) != os.getpid()  # a worker process died
    assert dask.manifest["engine"].startswith("embedded Dask cluster, 2 worker processes")
    assert outputs(dask.folder) == outputs(serial.folder)
    assert not list(dask.folder.rglob(f"{INCOMPLETE}*"))  # the dead worker's half-written folder is gone
    for region in dask.regions:
        assert not verify(dask.folder / "regions" / region.slug)
    log = stream.getvalue()
    assert "regions: 1 of 2 done" in log and "regions: 2 of 2 done" in log
