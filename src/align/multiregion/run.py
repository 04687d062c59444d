"""A state run: every region of a state in one run, one run folder, one manifest.

The steps, each over all regions at once (on the :class:`~align.multiregion.engine.Engine`):

1. read every input once (the connectors, as a single-region run does) and plan the regions;
2. collect each region's (and the state's) industry panel, exactly as a single-region run builds
   it, and forecast them as one panel, pooled by region (``forecast_panel(pool_by=...)``) in
   chunks of regions, so every region's backtests and intervals are its own;
3. each region's industry projection, and the proportional reconciliation to the state's own;
4. each region's complete run (:func:`align.pipeline.run` with the shared inputs and its slice
   of the forecast) written to ``regions/<id>/`` as the folder a single-region run writes, then
   the reconciled demand, supply and gaps of the same region;
5. the statewide tables and report, the manifest, and one rename that makes the folder appear.

A region's tables in ``regions/<id>/`` are those of ``align run`` on the same region (tested);
the reconciled numbers are the separate statewide tables.
"""

from __future__ import annotations

import dataclasses
import datetime as dt
import functools
import hashlib
import json
from dataclasses import dataclass, field
from pathlib import Path

import pandas as pd

from align import pipeline
from align.config import Region, RunConfig
from align.demand import stages as demand
from align.demand.forecast import ForecastResult, forecast_panel
from align.errors import AlignError
from align.match import stages as match
from align.multiregion import reconcile as R
from align.multiregion import statewide as S
from align.multiregion.areas import plan_regions
from align.multiregion.config import StateConfig
from align.multiregion.engine import Engine
from align.progress import Progress
from align.runs import (
    PACKAGES,
    RunResult,
    _pkg_version,
    atomic_folder,
    load_run,
    new_run_id,
    verify,
    write_run,
)
from align.stages import Stage
from align.store import sha256_file, write_table
from align.supply import stages as supply

POOL = "region_id"  # what the forecast panel pools over: each region's series are their own pool
STATE_TABLES = ("regions", "reconciliation", "region_reconciliation", "state_industry_projection",
                "state_occupation_demand", "state_gaps", "region_gaps", "cross_region_duplication",
                "unshared_industries")
RECONCILED_STAGES = (demand.OCCUPATIONS, demand.OPENINGS, supply.SUPPLY, match.MATCH)  # demand to gaps
KEPT = ("industry_projection", "occupation_demand", "gaps", "programs", "allocation", "duplication")  # what the state view reads


@dataclass
class StateResult(RunResult):
    """A state run: its configuration, the statewide tables and manifest, and the regions it planned."""

    config: StateConfig  # type: ignore[assignment]
    regions: list[Region] = field(default_factory=list)


# --- what runs on the workers -----------------------------------------------------------------

@dataclass
class _Panel(Exception):
    """Raised by :func:`_capture` to hand back the panel a region's run would forecast."""

    panel: pd.DataFrame
    horizon: int
    reference: pd.DataFrame | None
    pool_over: str | None = None


def _capture(panel: pd.DataFrame, horizon: int, *, reference: pd.DataFrame | None = None,
             origin: str = "", pool_over: str | None = None) -> ForecastResult:
    raise _Panel(panel, horizon, reference, pool_over)


def industry_stage(forecaster) -> Stage:
    """The pipeline's industry stage, its forecast handed in (the rest of the stage unchanged)."""
    return dataclasses.replace(demand.INDUSTRY, fn=functools.partial(demand.industry, forecaster=forecaster))


def region_panel(config: RunConfig, shared: tuple) -> _Panel:
    """The industry panel (and state reference) the pipeline would forecast for this region.

    Taken from the pipeline's own industry stage, stopped at its forecast call, so the panel is
    the single-region run's by construction rather than by a copy of its code.
    """
    area = demand.INDUSTRY_INPUTS(config, {}, shared[0]).tables
    try:
        industry_stage(_capture)(config, area)
    except _Panel as p:
        return p
    raise AlignError(f"{config.region.slug}: the industry stage forecast nothing")


def forecast_all(ids: list[str], panels: list[_Panel], executor=None) -> dict[str, ForecastResult]:
    """Every region's panel forecast as one panel pooled by region (one per horizon), its pools on
    ``executor`` (a Dask client's), then handed back to each region as its own run would get it."""
    by_horizon: dict[int, list[tuple[str, _Panel]]] = {}
    for rid, p in zip(ids, panels, strict=True):
        by_horizon.setdefault(p.horizon, []).append((rid, p))
    out = {}
    for horizon, group in by_horizon.items():
        panel = pd.concat([p.panel.assign(**{POOL: rid, "series_id": rid + "|" + p.panel["series_id"].astype(str)})
                           for rid, p in group], ignore_index=True)
        refs = [p.reference.assign(series_id=lambda d, r=rid: r + "|" + d["series_id"].astype(str))
                for rid, p in group if p.reference is not None]
        if refs and len(refs) != len(group):
            raise AlignError("some regions have a state reference series and some do not: one panel needs one menu")
        result = forecast_panel(panel, horizon, reference=pd.concat(refs, ignore_index=True) if refs else None,
                                pool_by=POOL, origin="industry_employment", executor=executor)
        out.update({rid: region_part(result, rid, p.pool_over) for rid, p in group})
    return out


def region_part(result: ForecastResult, region_id: str, pool_over: str | None = None) -> ForecastResult:
    """One region's slice of the panel forecast, with its own series ids and the name of its pool
    (``pool_over``) as its own run writes them."""
    prefix = region_id + "|"

    def strip(df: pd.DataFrame) -> pd.DataFrame:
        rows = df[df["series_id"].astype(str).str.startswith(prefix)]
        rows = rows.assign(series_id=rows["series_id"].str.removeprefix(prefix)).reset_index(drop=True)
        return rows.assign(pool_over=pool_over) if pool_over is not None and "pool_over" in rows else rows

    accuracy = result.accuracy[result.accuracy[POOL] == region_id].drop(columns=POOL).reset_index(drop=True)
    if pool_over is not None and "pool_over" in accuracy:
        accuracy = accuracy.assign(pool_over=pool_over)
    return ForecastResult(strip(result.forecasts), strip(result.backtest), accuracy, result.frequency,
                          [s.removeprefix(prefix) for s in result.skipped if s.startswith(prefix)])


def _replay(expected: _Panel, forecast: ForecastResult):
    """A forecaster that returns the region's part of the panel forecast, after checking that it is
    asked about the very panel that was forecast."""

    def forecaster(panel: pd.DataFrame, horizon: int, *, reference: pd.DataFrame | None = None,
                   origin: str = "", pool_over: str | None = None) -> ForecastResult:
        same_ref = (reference is None) == (expected.reference is None) and (
            reference is None or reference.reset_index(drop=True).equals(expected.reference.reset_index(drop=True)))
        if horizon != expected.horizon or not panel.reset_index(drop=True).equals(
                expected.panel.reset_index(drop=True)) or not same_ref:
            raise AlignError("the region's industry panel changed between planning and its run")
        return forecast
    return forecaster


def region_projection(config: RunConfig, shared: tuple, panel: _Panel, forecast: ForecastResult) -> pd.DataFrame:
    """The region's industry projection from its part of the panel forecast (the state's, here)."""
    area = demand.INDUSTRY_INPUTS(config, {}, shared[0]).tables
    return industry_stage(_replay(panel, forecast))(config, area).tables["industry_projection"]


def region_run(job: tuple, shared: tuple, folder: Path, *, report: bool, pdf: bool) -> dict:
    """One region's complete run, written to ``folder/<id>`` as a single-region run writes it.

    Returns its tables (kept on the worker for :func:`reconciled_run`). A retried task (its first
    worker died) finds either no folder (the write never finished: its hidden folder is cleaned)
    or a finished, intact one, which it keeps.
    """
    config, panel, forecast = job
    stages = [industry_stage(_replay(panel, forecast)) if s is demand.INDUSTRY else s for s in pipeline.STAGES]
    result = pipeline.run(config, progress=Progress(0, enabled=False), write=False, inputs=shared, stages=stages)
    final = folder / config.region.slug
    if final.exists() and not verify(final):
        result = load_run(final)
    else:
        write_run(result, root=folder, name=config.region.slug, report=report, pdf=pdf)
    return {"config": config, "tables": result.tables, "run_id": result.manifest["run_id"]}


def projection_of(out: dict) -> pd.DataFrame:
    return out["tables"]["industry_projection"]


def reconciled_run(out: dict, reconciled: pd.DataFrame | None) -> dict:
    """The region's demand, supply and gaps again from its reconciled industry projection.

    Returns the few tables the statewide view reads, the region's own and reconciled.
    """
    config, own = out["config"], out["tables"]
    if reconciled is None:
        return {"own": {k: own[k] for k in KEPT}, "reconciled": {k: own[k] for k in KEPT}, "run_id": out["run_id"]}
    tables = {**own, "industry_projection": reconciled}
    for stage in RECONCILED_STAGES:
        tables.update(stage(config, tables).tables)
    return {"own": {k: own[k] for k in KEPT}, "reconciled": {k: tables[k] for k in KEPT}, "run_id": out["run_id"]}


# --- the run ----------------------------------------------------------------------------------

def run_state(config: StateConfig, *, scheduler: str | None = None, progress: Progress | None = None,
              report: bool = True, pdf: bool = True, region_pdf: bool | None = None,
              task=region_run) -> StateResult:
    """Run every region of the state and write one run folder (``runs/<state-id>/<run-id>/``).

    ``scheduler`` sends the work to an existing Dask cluster; ``region_pdf`` (default: ``pdf``)
    whether each region's folder gets its PDFs too; ``task`` is the per-region step (a test
    replaces it to lose a worker mid-run).
    """
    progress = progress or Progress(total=6)
    progress.total = 6
    state = config.region_config(config.state_region())
    root = (config.base_dir / config.output_dir / config.state.id).resolve()
    with progress.stage("Reading inputs once for every region") as notes:
        inputs, records, accepted = pipeline.read_inputs(state)
        regions = plan_regions(config, inputs["industry_employment"])
        configs = [config.region_config(r) for r in regions]
        notes.append(f"{len(records)} files; {len(regions)} regions planned")
    names = {r.slug: r.name for r in regions}
    engine = Engine(config.engine, scheduler, progress)
    manifest = state_manifest(config, regions, records, accepted, engine.describe())
    with engine, atomic_folder(root, manifest["run_id"]) as staging:
        shared = engine.share((inputs, records, accepted))
        with progress.stage(f"Forecasting every region's industries as one panel ({engine.describe()})") as notes:
            everyone = [*configs, state]
            panels = engine.map(region_panel, everyone, shared, label="panels",
                                names=[c.region.slug for c in everyone])
            forecasts = forecast_all([c.region.slug for c in everyone], panels, engine.executor())
            notes.append(f"{sum(p.panel['series_id'].nunique() for p in panels):,} series in "
                         f"{len(everyone)} pools (the regions and the state)")
        with progress.stage(f"Running each of the {len(regions)} regions") as notes:
            jobs = [(c, p, forecasts[c.region.slug]) for c, p in zip(configs, panels, strict=False)]
            runs = engine.map(task, jobs, shared, staging.path / "regions", label="regions",
                              names=[r.slug for r in regions], keep=True, report=report,
                              pdf=pdf if region_pdf is None else region_pdf)
            notes.append(f"{len(regions)} region folders under regions/")
        with progress.stage("Reconciling the regions' industry projections to the state's") as notes:
            state_projection = region_projection(state, (inputs, records, accepted), panels[-1],
                                                 forecasts[state.region.slug])
            regional = S.stack(dict(zip(names, engine.map(projection_of, runs, label="projections",
                                                          names=list(names)), strict=True)))
            table = R.reconcile(regional, state_projection)
            summary = R.by_region(table, names)
            outs = engine.map(reconciled_run, runs, label="reconciled regions", names=list(names),
                              reconciled=None) if not config.reconcile else engine.map(
                _reconciled_job, list(zip(runs, names, strict=True)), table, label="reconciled regions",
                names=list(names))
            notes.append(f"{summary['jobs_moved'].sum():,.0f} target-year jobs moved in all"
                         if config.reconcile else "not reconciled (reconcile = false)")
        with progress.stage("Adding up the regions: the statewide tables") as notes:
            tables = statewide_tables(config, regions, outs, table, summary, state_projection, regional)
            short = tables["state_gaps"]["scope"].value_counts()
            notes.append(", ".join(f"{n} {k}" for k, n in short.items() if k))
        with progress.stage("Writing the statewide tables, report and manifest") as notes:
            for entry, out in zip(manifest["regions"], outs, strict=True):
                entry["run_id"] = out["run_id"]
            result = StateResult(config, tables, manifest, warnings=list(accepted), regions=regions)
            write_state(result, staging.path, report=report, pdf=pdf)
            staging.manifest = manifest
            notes.append(str(staging.final))
    result.folder = staging.final
    return result


def _reconciled_job(job: tuple, table: pd.DataFrame) -> dict:
    out, region_id = job
    return reconciled_run(out, R.reconciled_projection(table, region_id))


def statewide_tables(config: StateConfig, regions: list[Region], outs: list[dict], table: pd.DataFrame,
                     summary: pd.DataFrame, state_projection: pd.DataFrame,
                     regional: pd.DataFrame) -> dict[str, pd.DataFrame]:
    ids = [r.slug for r in regions]
    names = {r.slug: r.name for r in regions}
    own = {rid: o["own"] for rid, o in zip(ids, outs, strict=True)}
    rec = {rid: o["reconciled"] for rid, o in zip(ids, outs, strict=True)}
    gaps = S.region_gaps({r: t["gaps"] for r, t in own.items()}, {r: t["gaps"] for r, t in rec.items()})
    sums = table.groupby("naics_code")[["employment_base", "employment_target", "employment_base_reconciled",
                                        "employment_target_reconciled"]].sum().add_prefix("regions_")
    state = state_projection.set_index("naics_code").join(sums, how="outer").reset_index()
    pairs = S.neighbour_pairs(ids, config.neighbours)
    return {
        "regions": pd.DataFrame({"region_id": ids, "region_name": [r.name for r in regions],
                                 "counties": [";".join(r.counties) for r in regions],
                                 "n_counties": [len(r.counties) for r in regions],
                                 "report": [f"regions/{rid}/report.html" for rid in ids]}),
        "reconciliation": table, "region_reconciliation": summary, "state_industry_projection": state,
        "unshared_industries": R.unshared(regional, state_projection),
        "state_occupation_demand": S.state_occupation_demand({r: t["occupation_demand"] for r, t in rec.items()}),
        "region_gaps": gaps, "state_gaps": S.state_gaps(gaps, names, config.parameters),
        "cross_region_duplication": S.cross_region_duplication(
            {r: t["programs"] for r, t in rec.items()}, {r: t["allocation"] for r, t in rec.items()},
            {r: t["duplication"] for r, t in rec.items()}, pairs, config.parameters),
    }


def state_manifest(config: StateConfig, regions: list[Region], records: list[dict], warnings: list[str],
                   engine: str) -> dict:
    """The one manifest of the state run (each region's folder also keeps its own, as a run does)."""
    fingerprint = hashlib.sha256(json.dumps({"config": config.public_dict(), "inputs": [r["sha256"] for r in records]},
                                            sort_keys=True).encode()).hexdigest()
    created = dt.datetime.now(dt.UTC).replace(microsecond=0)
    return {
        "kind": "state", "run_id": new_run_id(fingerprint, created), "created_utc": created.isoformat(),
        "fingerprint": fingerprint, "state": config.state.model_dump(), "config": config.public_dict(),
        "config_dir": str(config.base_dir.resolve()), "inputs": records, "engine": engine,
        "regions": [{"id": r.slug, "name": r.name, "counties": r.counties, "folder": f"regions/{r.slug}",
                     "run_id": None} for r in regions],
        "packages": {name: _pkg_version(name) for name in (*PACKAGES, "dask", "distributed")},
        "warnings": list(warnings),
    }


def write_state(result: StateResult, folder: Path, *, report: bool, pdf: bool) -> None:
    """The statewide tables (CSV and Parquet) and report into the folder being written."""
    outputs = {}
    for name in STATE_TABLES:
        for ext in ("csv", "parquet"):
            write_table(result.tables[name], folder / f"{name}.{ext}")
        outputs[f"{name}.csv"] = sha256_file(folder / f"{name}.csv")
    result.manifest["outputs"] = outputs
    if report:
        from align.report.statewide import write_state_reports

        write_state_reports(result.tables, result.manifest, folder, pdf=pdf)
