"""One annual planning run, end to end: inputs → demand → supply → match → report.

Each stage is a function from validated tables to validated tables; this module only wires them
together, records what went in (files, hashes, parameters, model choices) and writes the run
folder atomically, so an interrupted run never leaves a folder that looks finished.
"""

from __future__ import annotations

import datetime as dt
import hashlib
import json
import shutil
from dataclasses import dataclass, field
from importlib.metadata import PackageNotFoundError, version
from pathlib import Path

import pandas as pd

from align import __version__, connector, schemas
from align.config import RunConfig
from align.demand.forecast import forecast_panel
from align.demand.industry import regional_industry_employment
from align.demand.occupations import staffing_matrix, to_occupations, unmatched_industries
from align.demand.openings import annual_openings
from align.errors import AlignError, InputError
from align.match.duplication import find_duplication
from align.match.gaps import compute_gaps
from align.progress import Progress
from align.store import sha256_file, write_table, write_text
from align.supply.allocation import Factors, allocate, eligible_edges, supply_bounds
from align.supply.programs import build_programs

TABLE_OUTPUTS = ("industry_employment", "industry_forecast", "occupation_demand", "programs", "allocation",
                 "occupation_supply", "gaps", "duplication", "double_count_audit", "unallocated_programs")
PACKAGES = ("numpy", "pandas", "scipy", "statsmodels", "scikit-learn", "pyarrow", "openpyxl", "xlrd",
            "pydantic", "jinja2", "matplotlib")


@dataclass
class RunResult:
    config: RunConfig
    tables: dict[str, pd.DataFrame]
    manifest: dict
    inputs: dict[str, pd.DataFrame] = field(default_factory=dict)
    folder: Path | None = None

    @property
    def report_path(self) -> Path | None:
        return self.folder / "report.html" if self.folder else None


def read_inputs(config: RunConfig) -> tuple[dict[str, pd.DataFrame], list[dict]]:
    """Parse every configured input through its connector; record each file's hash."""
    tables: dict[str, pd.DataFrame] = {}
    records: list[dict] = []
    for name in type(config.inputs).model_fields:
        spec = getattr(config.inputs, name)
        if spec is None:
            continue
        source = connector.get(spec.source)
        frames = []
        for path in config.input_files(name):
            frames.append(source.parse(path, **spec.options))
            records.append({"table": name, "source": spec.source, "path": _relative(path, config.base_dir),
                            "sha256": sha256_file(path), "bytes": path.stat().st_size,
                            "vintage": _vintage(frames[-1])})
        tables[name] = pd.concat(frames, ignore_index=True) if len(frames) > 1 else frames[0]
    return tables, records


def _relative(path: Path, base: Path) -> str:
    try:
        return str(path.resolve().relative_to(base.resolve()))
    except ValueError:
        return str(path)


def _vintage(df: pd.DataFrame) -> str | None:
    if "vintage" in df.columns and df["vintage"].notna().any():
        return ", ".join(sorted({str(v) for v in df["vintage"].dropna().unique()})[:5])
    return None


def demand_stage(config: RunConfig, inputs: dict[str, pd.DataFrame], notes: list[str],
                 warnings: list[str]) -> dict[str, pd.DataFrame]:
    p, years = config.parameters, config.years
    industry = regional_industry_employment(
        inputs["industry_employment"], region_id=config.region.slug, counties=config.region.counties,
        ownerships=p.ownerships, naics_digits=p.naics_digits)
    history = industry[industry["period"] <= years.base]
    if years.history_start:
        history = history[history["period"] >= years.history_start]
    observed = history.dropna(subset=["employment"])
    missing = sorted(set(history["naics_code"]) - set(observed["naics_code"]))
    if missing:
        warnings.append(f"industries with every year suppressed, not forecast: {', '.join(missing)}")
    panel = observed.rename(columns={"naics_code": "series_id", "employment": "value"})[
        ["series_id", "period", "value"]]
    last = int(panel["period"].max())
    if last < years.base:
        warnings.append(f"employment observed only to {last}; base year {years.base} is itself a forecast")
    result = forecast_panel(panel, years.target - last, origin="industry_employment")
    fc = result.forecasts
    chosen = fc.drop_duplicates("series_id")["model"].value_counts()
    notes.append(f"{panel['series_id'].nunique()} industries, models chosen: "
                 + ", ".join(f"{m} {n}" for m, n in chosen.items()))

    path = pd.concat([observed.rename(columns={"naics_code": "series_id", "employment": "forecast"})[
        ["series_id", "period", "forecast"]].assign(lo80=lambda d: d["forecast"], hi80=lambda d: d["forecast"]),
        fc[["series_id", "period", "forecast", "lo80", "hi80"]]], ignore_index=True)
    base = path[path["period"] == years.base].set_index("series_id")
    target = path[path["period"] == years.target].set_index("series_id")
    values = pd.DataFrame({"base": base["forecast"], "target": target["forecast"],
                           "target_lo80": target["lo80"], "target_hi80": target["hi80"]}).dropna()

    matrix = staffing_matrix(inputs["staffing_patterns"], p.staffing_geography)
    unmatched = unmatched_industries(list(values.index), matrix)
    if unmatched:
        warnings.append(f"industries without a staffing pattern (their jobs are not assigned to "
                        f"occupations): {', '.join(unmatched)}")
    occ = to_occupations(values, matrix)
    occ = occ[occ["base"] > 0]

    rates = separation_rates(inputs["occupation_projections"])
    titles = _titles(inputs)
    missing_rates = sorted(set(occ.index) - set(rates.index))
    if missing_rates:
        warnings.append(f"no separation rates for {len(missing_rates)} occupations; their major group's "
                        f"rates are used: {', '.join(missing_rates[:10])}")
    r = rates.reindex(occ.index)
    major = rates.reindex([f"{s[:2]}-0000" for s in occ.index]).set_axis(occ.index)
    r = r.fillna(major)
    horizon = years.horizon
    point = annual_openings(occ["base"], occ["target"], horizon, r["labor_force_exit_rate"],
                            r["occupational_transfer_rate"])
    low = annual_openings(occ["base"], occ["target_lo80"], horizon, r["labor_force_exit_rate"],
                          r["occupational_transfer_rate"])["annual_openings"]
    high = annual_openings(occ["base"], occ["target_hi80"], horizon, r["labor_force_exit_rate"],
                           r["occupational_transfer_rate"])["annual_openings"]
    demand = pd.DataFrame({
        "soc_code": occ.index, "occupation_title": titles.reindex(occ.index).fillna("").to_numpy(),
        "employment_base": occ["base"].to_numpy(), "employment_target": occ["target"].to_numpy(),
        **{c: point[c].to_numpy() for c in point.columns},
        "annual_openings_low": low.to_numpy(), "annual_openings_high": high.to_numpy(),
        "employment_target_lo80": occ["target_lo80"].to_numpy(),
        "employment_target_hi80": occ["target_hi80"].to_numpy(),
        "typical_entry_education": r["typical_entry_education"].to_numpy(),
    })
    demand = schemas.validate(_round(demand), "occupation_demand", origin="occupation_demand")
    notes.append(f"{len(demand)} occupations, {demand['annual_openings'].sum():,.0f} openings/yr")
    return {"industry_employment": industry, "industry_forecast": fc, "occupation_demand": demand,
            "forecast_accuracy": result.accuracy}


def separation_rates(projections: pd.DataFrame) -> pd.DataFrame:
    """Exit and transfer rates and entry education per SOC code (detailed and summary rows)."""
    need = ["soc_code", "labor_force_exit_rate", "occupational_transfer_rate"]
    missing = [c for c in need if c not in projections.columns]
    if missing:
        raise InputError(f"missing column(s) {missing}", file="occupation_projections",
                         expected="an Employment Projections table with separation rates (Table 1.10)")
    cols = need + [c for c in ("typical_entry_education",) if c in projections.columns]
    rates = projections[cols].drop_duplicates("soc_code").set_index("soc_code")
    if "typical_entry_education" not in rates.columns:
        rates["typical_entry_education"] = None
    return rates


def _titles(inputs: dict[str, pd.DataFrame]) -> pd.Series:
    staffing = inputs["staffing_patterns"]
    titles = pd.Series(dtype=object)
    if "occupation_title" in staffing.columns:
        titles = staffing.dropna(subset=["occupation_title"]).drop_duplicates("soc_code").set_index(
            "soc_code")["occupation_title"]
    ep = inputs["occupation_projections"]
    if "occupation_title" in ep.columns:
        extra = ep.drop_duplicates("soc_code").set_index("soc_code")["occupation_title"].str.strip()
        titles = titles.combine_first(extra)
    return titles


def supply_stage(config: RunConfig, inputs: dict[str, pd.DataFrame], demand: pd.DataFrame,
                 notes: list[str]) -> dict[str, pd.DataFrame]:
    p = config.parameters
    factors = Factors(p.retention, p.participation, p.continuing_study)
    cip_soc = inputs["cip_soc"]
    cip_titles = cip_soc.drop_duplicates("cip_code").set_index("cip_code")["cip_title"] \
        if "cip_title" in cip_soc.columns else None
    programs = build_programs(inputs["completions"], inputs["providers"], counties=config.region.counties,
                              years=p.completion_years, cip_titles=cip_titles)
    alloc = allocate(programs, cip_soc, demand, mode=p.allocation, factors=factors,
                     allow_below_entry=p.allow_below_entry_education)
    edges, _ = eligible_edges(programs, cip_soc, demand, allow_below_entry=p.allow_below_entry_education)
    bounds = supply_bounds(edges, factors)
    table = alloc.table.merge(programs[["program_id", "provider_name", "award_label", "cip_title"]]
                              if "cip_title" in programs else programs[["program_id", "provider_name", "award_label"]],
                              on="program_id")
    table["text"] = (table["provider_name"] + " " + table["cip_code"] + " " + table["award_label"] + ": "
                     + table["effective_supply"].round(1).astype(str))
    supply = table.groupby("soc_code").agg(completers_allocated=("completers_allocated", "sum"),
                                           effective_supply=("effective_supply", "sum"),
                                           n_programs=("program_id", "nunique")).reset_index()
    supply["programs"] = supply["soc_code"].map(table.groupby("soc_code")["text"].agg("; ".join))
    supply = schemas.validate(_round(supply), "occupation_supply", origin="occupation_supply")
    notes.append(f"{len(programs)} regional programs, {programs['completers'].sum():,.0f} completers/yr, "
                 f"{len(alloc.unallocated)} supplying no occupation in demand")
    return {"programs": _round(programs), "allocation": _round(alloc.table), "occupation_supply": supply,
            "double_count_audit": _round(alloc.audit), "unallocated_programs": alloc.unallocated,
            "_bounds": bounds, "_contributions": table, "_factors": factors}


def match_stage(config: RunConfig, demand: pd.DataFrame, supply: dict) -> dict[str, pd.DataFrame]:
    p = config.parameters
    gaps = compute_gaps(demand, supply["occupation_supply"], supply["_bounds"], supply["_contributions"],
                        bands=p.flag_bands, min_openings=p.min_openings, factors=supply["_factors"])
    dup = find_duplication(supply["programs"], supply["allocation"], factors=supply["_factors"],
                           margin=p.duplication_margin, thin_completers=p.thin_program_completers)
    return {"gaps": _round(gaps), "duplication": _round(dup)}


def _round(df: pd.DataFrame, digits: int = 3) -> pd.DataFrame:
    """Round floats so tables are stable and readable (sub-person precision means nothing here)."""
    out = df.copy()
    floats = out.select_dtypes("float").columns
    out[floats] = out[floats].round(digits)
    return out


def run(config: RunConfig, *, progress: Progress | None = None, write: bool = True,
        report: bool = True) -> RunResult:
    """Run every stage for one region and (by default) write the run folder."""
    progress = progress or Progress(total=6)
    warnings: list[str] = []
    with progress.stage("Reading inputs through their connectors") as notes:
        inputs, records = read_inputs(config)
        notes.append(f"{len(records)} files")
    with progress.stage("Forecasting industry employment and occupation openings") as notes:
        demand = demand_stage(config, inputs, notes, warnings)
    with progress.stage("Allocating program completers to occupations") as notes:
        supply = supply_stage(config, inputs, demand["occupation_demand"], notes)
    with progress.stage("Matching openings with supply") as notes:
        match = match_stage(config, demand["occupation_demand"], supply)
        counts = match["gaps"]["flag"].value_counts()
        notes.append(", ".join(f"{n} {f}" for f, n in counts.items()))
    tables = {**{k: v for k, v in demand.items()}, **{k: v for k, v in supply.items() if not k.startswith("_")},
              **match}
    manifest = build_manifest(config, records, tables, warnings)
    result = RunResult(config, tables, manifest, inputs)
    if write:
        with progress.stage("Writing tables and the manifest") as notes:
            result.folder = write_run(result, report=report)
            notes.append(str(result.folder))
    for w in warnings:
        progress._print(f"      note: {w}")
    return result


def build_manifest(config: RunConfig, records: list[dict], tables: dict[str, pd.DataFrame],
                   warnings: list[str]) -> dict:
    fingerprint = hashlib.sha256(json.dumps(
        {"config": config.public_dict(), "inputs": [r["sha256"] for r in records]}, sort_keys=True).encode()
    ).hexdigest()
    created = dt.datetime.now(dt.UTC).replace(microsecond=0)
    fc = tables["industry_forecast"].drop_duplicates("series_id")
    return {
        "align_version": __version__,
        "run_id": f"{created:%Y%m%dT%H%M%SZ}-{fingerprint[:8]}",
        "created_utc": created.isoformat(),
        "fingerprint": fingerprint,
        "region": {"name": config.region.name, "slug": config.region.slug, "counties": config.region.counties},
        "config": config.public_dict(),
        "inputs": records,
        "packages": {name: _pkg_version(name) for name in PACKAGES},
        "models": {"chosen": fc["model"].value_counts().sort_index().to_dict(),
                   "accuracy": tables["forecast_accuracy"].to_dict(orient="records")},
        "warnings": warnings,
    }


def _pkg_version(name: str) -> str | None:
    try:
        return version(name)
    except PackageNotFoundError:
        return None


def write_run(result: RunResult, *, report: bool = True) -> Path:
    """Write every table (CSV and Parquet), the manifest and the report into a new run folder."""
    config = result.config
    root = (config.base_dir / config.output_dir / config.region.slug).resolve()
    final = root / result.manifest["run_id"]
    if final.exists():
        raise AlignError(f"run folder {final} already exists")
    tmp = root / f".incomplete-{result.manifest['run_id']}"
    tmp.mkdir(parents=True, exist_ok=False)
    try:
        outputs = {}
        for name in (*TABLE_OUTPUTS, "forecast_accuracy"):
            if name not in result.tables:
                continue
            for ext in ("csv", "parquet"):
                path = write_table(result.tables[name], tmp / f"{name}.{ext}")
                outputs[f"{name}.{ext}"] = sha256_file(path)
        result.manifest["outputs"] = {k: outputs[k] for k in sorted(outputs) if k.endswith(".csv")}
        write_text(tmp / "manifest.json", json.dumps(result.manifest, indent=2, sort_keys=True, default=str))
        if report:
            from align.report import build_reports

            result.folder = tmp
            build_reports(result, tmp)
        tmp.rename(final)
    except BaseException:
        shutil.rmtree(tmp, ignore_errors=True)
        result.folder = None
        raise
    result.folder = final
    return final
