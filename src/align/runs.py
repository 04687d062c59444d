"""A run on disk: the run folder's tables, manifest and report, written atomically, read back.

Everything a later session needs to trust or re-use a run — the configuration, every input's
hash, the package versions, the models chosen, and the tables each stage produced or read — is
in the folder, so a run can be audited, reported again or used for what-if analysis without the
original files.
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

from align import __version__
from align.config import RunConfig
from align.demand.control import control_summary
from align.errors import AlignError
from align.store import sha256_file, write_table, write_text

OUTPUT_TABLES = ("industry_employment", "industry_forecast", "forecast_accuracy", "forecast_backtest",
                 "occupation_demand", "occupation_control",
                 "programs", "allocation", "occupation_supply", "gaps", "duplication", "duplication_series",
                 "double_count_audit", "supply_accounts", "not_occupation_specific",
                 "unallocated_programs", "pathways", "entry_points", "ladders", "stacks", "pathway_gaps",
                 "metrics", "postings_occupation", "postings_agreement",
                 # the partner side (align.partners)
                 "demand_signals", "employer_demand", "externships", "program_funding", "occupation_funding",
                 "funding_coordination", "pathway_support", "support_outcomes")
REFERENCE_TABLES = ("industry_projection", "occupation_projection", "staffing_patterns", "separation_rates",
                    "cip_soc", "occupation_wages", "onet_related", "onet_job_zones", "postings")
PACKAGES = ("numpy", "pandas", "scipy", "statsmodels", "scikit-learn", "pyarrow", "openpyxl", "xlrd",
            "pydantic", "jinja2", "matplotlib")


@dataclass
class RunResult:
    """A run's configuration, every table it produced or read, and its manifest."""

    config: RunConfig
    tables: dict[str, pd.DataFrame]
    manifest: dict
    folder: Path | None = None
    warnings: list[str] = field(default_factory=list)

    @property
    def report_path(self) -> Path | None:
        return self.folder / "report.html" if self.folder else None

    def __getitem__(self, name: str) -> pd.DataFrame:
        return self.tables[name]


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
        "config_dir": str(config.base_dir.resolve()),
        "inputs": records,
        "packages": {name: _pkg_version(name) for name in PACKAGES},
        "models": {"chosen": fc["model"].value_counts().sort_index().to_dict(),
                   "accuracy": tables["forecast_accuracy"].to_dict(orient="records")},
        "warnings": list(warnings),
        **({"occupation_control": control_summary(tables["occupation_control"])}
           if "occupation_control" in tables else {}),
    }


def _pkg_version(name: str) -> str | None:
    try:
        return version(name)
    except PackageNotFoundError:
        return None


def write_run(result: RunResult, *, report: bool = True, root: Path | None = None,
              name: str | None = None, pdf: bool = True) -> Path:
    """Write every table (CSV and Parquet), the manifest and the report into a new folder.

    The folder is assembled under a hidden temporary name and renamed into place only when
    everything has been written.
    """
    config = result.config
    root = root or (config.base_dir / config.output_dir / config.region.slug).resolve()
    final = root / (name or result.manifest["run_id"])
    if final.exists():
        raise AlignError(f"run folder {final} already exists (a scenario of that name was applied before? "
                         f"rename the scenario or remove the folder)")
    tmp = root / f".incomplete-{final.name}"
    shutil.rmtree(tmp, ignore_errors=True)
    tmp.mkdir(parents=True)
    try:
        outputs = {}
        for table in OUTPUT_TABLES:
            if table in result.tables:
                for ext in ("csv", "parquet"):
                    path = write_table(result.tables[table], tmp / f"{table}.{ext}")
                    outputs[f"{table}.{ext}"] = sha256_file(path)
        for table in (*REFERENCE_TABLES, *[t for t in result.tables if t not in OUTPUT_TABLES + REFERENCE_TABLES]):
            if table in result.tables:
                write_table(result.tables[table], tmp / "reference" / f"{table}.parquet")
        result.manifest["outputs"] = {k: outputs[k] for k in sorted(outputs) if k.endswith(".csv")}
        write_text(tmp / "manifest.json", json.dumps(result.manifest, indent=2, sort_keys=True, default=str))
        if report:
            from align.report import build_reports

            result.folder = tmp
            build_reports(result, tmp, pdf=pdf)
        tmp.rename(final)
    except BaseException:
        shutil.rmtree(tmp, ignore_errors=True)
        result.folder = None
        raise
    result.folder = final
    return final


def load_run(folder: str | Path) -> RunResult:
    """Load a finished run — its configuration and every table — for what-if analysis."""
    folder = Path(folder)
    manifest_path = folder / "manifest.json"
    if not manifest_path.is_file():
        raise AlignError(f"{folder}: not a finished align run (no manifest.json)")
    manifest = json.loads(manifest_path.read_text(encoding="utf-8"))
    config = RunConfig.model_validate({**manifest["config"], "base_dir": folder})
    tables = {p.stem: pd.read_parquet(p) for p in sorted(folder.glob("*.parquet"))}
    tables.update({p.stem: pd.read_parquet(p) for p in sorted((folder / "reference").glob("*.parquet"))})
    return RunResult(config, tables, manifest, folder=folder, warnings=list(manifest.get("warnings", [])))


def reproduce(folder: str | Path, *, config_dir: str | Path | None = None) -> list[str]:
    """Run a finished run's manifest again and list every difference (empty: reproduced).

    The inputs must be the same bytes the manifest records (read from the folder the original
    configuration lived in, or ``config_dir``); the run is then repeated in a scratch folder and
    each table compared by hash.
    """
    import tempfile

    # the pipeline builds runs and this module only stores them, so it is imported here
    from align.pipeline import RUN_STEPS, run
    from align.progress import Progress

    original = load_run(folder)
    base = Path(config_dir or original.manifest.get("config_dir") or ".")
    config = RunConfig.model_validate({**original.manifest["config"], "base_dir": base.resolve()})
    problems = []
    for record in original.manifest["inputs"]:
        path = base / record["path"]
        if not path.is_file():
            problems.append(f"input missing: {record['table']} {path}")
        elif sha256_file(path) != record["sha256"]:
            problems.append(f"input changed since the run: {record['table']} {path}")
    if problems:
        return problems
    with tempfile.TemporaryDirectory(prefix="align-reproduce-") as scratch:
        again = run(config.model_copy(update={"output_dir": scratch}), progress=Progress(RUN_STEPS), report=False)
        recorded = original.manifest.get("outputs", {})
        for name, digest in sorted(recorded.items()):
            path = again.folder / name
            if not path.is_file():
                problems.append(f"table not produced again: {name}")
            elif sha256_file(path) != digest:
                problems.append(f"table differs: {name}")
    return problems
