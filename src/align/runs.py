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
import os
import secrets
import shutil
import socket
import tempfile
from collections.abc import Iterator
from contextlib import contextmanager
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
        "run_id": new_run_id(fingerprint, created),
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


def new_run_id(fingerprint: str, created: dt.datetime | None = None) -> str:
    """Time, configuration fingerprint and a random part: two runs started in the same second
    of the same configuration still get distinct ids, and an id is never handed out twice."""
    created = created or dt.datetime.now(dt.UTC)
    return f"{created:%Y%m%dT%H%M%SZ}-{fingerprint[:8]}-{secrets.token_hex(3)}"


def _pkg_version(name: str) -> str | None:
    try:
        return version(name)
    except PackageNotFoundError:
        return None


INCOMPLETE = ".incomplete-"
OWNER = ".owner"  # inside a folder being written: "host pid", so a stale one can be recognised
MANIFEST = "manifest.json"


def writable_root(root: Path) -> Path:
    """Create ``root`` and prove it can be written, before any work is done."""
    try:
        root.mkdir(parents=True, exist_ok=True)
        with tempfile.NamedTemporaryFile(dir=root, prefix=".align-write-test-"):
            pass
    except OSError as exc:
        raise AlignError(f"cannot write run folders in {root}: {exc.strerror or exc}") from None
    return root


def _new_temporary(root: Path, name: str) -> Path:
    """A hidden folder for one run's files that carries its owner from the moment it is visible.

    It is made under a staging name that :func:`clean_stale` never looks at, given its owner
    file, and only then renamed to the ``.incomplete-`` name: another run cleaning up can never
    take it for one left by a dead process.
    """
    staging = Path(tempfile.mkdtemp(prefix=f".staging-{name}-", dir=root))
    write_text(staging / OWNER, f"{socket.gethostname()} {os.getpid()}")
    tmp = root / f"{INCOMPLETE}{staging.name.removeprefix('.staging-')}"
    os.rename(staging, tmp)
    return tmp


def clean_stale(root: Path) -> list[Path]:
    """Remove folders left half-written by runs that died (their owning process is gone)."""
    removed = []
    for tmp in sorted(Path(root).glob(f"{INCOMPLETE}*")):
        if tmp.is_dir() and not _owner_alive(tmp):
            shutil.rmtree(tmp, ignore_errors=True)
            removed.append(tmp)
    return removed


def _owner_alive(tmp: Path) -> bool:
    try:
        host, pid = (tmp / OWNER).read_text(encoding="utf-8").split()
    except (OSError, ValueError):
        return False  # no owner file: a folder from before owners were written, or a broken one
    if host != socket.gethostname():
        return True  # another machine's run: not ours to judge
    try:
        os.kill(int(pid), 0)
    except ProcessLookupError:
        return False
    except (PermissionError, ValueError):
        return True
    return True


def file_hashes(folder: Path) -> dict[str, str]:
    """sha256 of every file in a run folder (relative POSIX paths), the manifest itself excepted."""
    folder = Path(folder)
    return {p.relative_to(folder).as_posix(): sha256_file(p) for p in sorted(folder.rglob("*"))
            if p.is_file() and p.relative_to(folder).as_posix() not in (MANIFEST, OWNER)}


@dataclass
class StagedFolder:
    """A run folder being written: files go under ``path``; ``manifest`` is written last, with hashes."""

    path: Path
    final: Path
    manifest: dict = field(default_factory=dict)


@contextmanager
def atomic_folder(root: Path, name: str) -> Iterator[StagedFolder]:
    """Write a run folder ``root/name`` all at once: under a hidden temporary folder of its own, renamed
    into place only when the body finished and the manifest (the sha256 of every other file) is written.

    Anything left half-written inside it by a process that died (a nested run's hidden folder) is
    removed first; on any error nothing is kept.
    """
    root = writable_root(root)
    clean_stale(root)
    final = root / name
    if final.exists():
        raise AlignError(f"run folder {final} already exists (a scenario of that name was applied before? "
                         f"rename the scenario or remove the folder)")
    staged = StagedFolder(_new_temporary(root, final.name), final)
    tmp = staged.path
    try:
        yield staged
        for nested in {p.parent for p in tmp.rglob(f"{INCOMPLETE}*")}:
            clean_stale(nested)
        staged.manifest["files"] = file_hashes(tmp)
        write_text(tmp / MANIFEST, json.dumps(staged.manifest, indent=2, sort_keys=True, default=str))
        if file_hashes(tmp) != staged.manifest["files"]:  # something else touched the folder meanwhile
            raise AlignError(f"{tmp}: files changed while the run was being written; nothing was kept")
        os.rename(tmp, final)
        (final / OWNER).unlink()  # only now: a folder without its owner may be cleaned by another run
    except BaseException:
        shutil.rmtree(tmp, ignore_errors=True)
        raise


def write_run(result: RunResult, *, report: bool = True, root: Path | None = None,
              name: str | None = None, pdf: bool = True, report_options: dict | None = None,
              extras: dict[str, str] | None = None) -> Path:
    """Write every table (CSV and Parquet), the report and the manifest into a new folder.

    The folder is assembled under a hidden temporary name of its own (two runs at once never
    share one) and renamed into place only when everything has been written (:func:`atomic_folder`);
    the manifest, written last, holds the sha256 of every other file in the folder, so ``verify``
    can tell whether anything changed afterwards. A finished folder is never written again, so files
    that belong with the run (a scenario's comparison) come in ``extras`` (name → text).
    """
    config = result.config
    root = root or (config.base_dir / config.output_dir / config.region.slug).resolve()
    try:
        with atomic_folder(root, name or result.manifest["run_id"]) as staged:
            tmp = staged.path

            def write_tables() -> None:
                outputs = {}
                for table in OUTPUT_TABLES:
                    if table in result.tables:
                        for ext in ("csv", "parquet"):
                            path = write_table(result.tables[table], tmp / f"{table}.{ext}")
                            outputs[f"{table}.{ext}"] = sha256_file(path)
                for table in (*REFERENCE_TABLES,
                              *[t for t in result.tables if t not in OUTPUT_TABLES + REFERENCE_TABLES]):
                    if table in result.tables:
                        write_table(result.tables[table], tmp / "reference" / f"{table}.parquet")
                result.manifest["outputs"] = {k: outputs[k] for k in sorted(outputs) if k.endswith(".csv")}

            if report:  # the tables are written while the PDFs lay out (the reports read none of the files)
                from align.report.build import write_reports

                result.folder = tmp
                write_reports(result.tables, result.manifest, tmp,
                              **{"pdf": pdf, **(report_options or {})}, alongside=write_tables)
            else:
                write_tables()
            for extra, text in (extras or {}).items():
                write_text(tmp / extra, text)
            staged.manifest = result.manifest
    except BaseException:
        result.folder = None
        raise
    result.folder = staged.final
    return staged.final


def derive_run(parent: RunResult, tables: dict[str, pd.DataFrame], *, command: str, parameters: dict,
               report_options: dict | None = None) -> Path:
    """Write what a command derived from a finished run as a new, complete run folder.

    The parent folder is left exactly as it was; the new one sits beside it, with its own id and
    manifest naming the parent, the command and its parameters.
    """
    if parent.folder is None:
        raise AlignError("a derived run needs a parent run folder")
    manifest = {k: v for k, v in parent.manifest.items() if k not in ("outputs", "files", "parent", "derived")}
    manifest.update(run_id=new_run_id(parent.manifest.get("fingerprint", "0" * 8)),
                    created_utc=dt.datetime.now(dt.UTC).replace(microsecond=0).isoformat(),
                    parent={"run_id": parent.manifest.get("run_id"), "folder": str(Path(parent.folder).resolve())},
                    derived={"command": command, "parameters": parameters})
    child = RunResult(parent.config, {**parent.tables, **tables}, manifest, warnings=list(parent.warnings))
    return write_run(child, root=Path(parent.folder).resolve().parent, report_options=report_options)


def load_run(folder: str | Path) -> RunResult:
    """Load a finished run — its configuration and every table — for what-if analysis."""
    folder = Path(folder)
    manifest_path = folder / MANIFEST
    if folder.name.startswith(INCOMPLETE) or (folder / OWNER).exists():
        raise AlignError(f"{folder}: an unfinished run (interrupted or still being written), not a run folder")
    if not manifest_path.is_file():
        raise AlignError(f"{folder}: not a finished align run (no manifest.json)")
    manifest = json.loads(manifest_path.read_text(encoding="utf-8"))
    config = RunConfig.model_validate({**manifest["config"], "base_dir": folder})
    tables = {p.stem: pd.read_parquet(p) for p in sorted(folder.glob("*.parquet"))}
    tables.update({p.stem: pd.read_parquet(p) for p in sorted((folder / "reference").glob("*.parquet"))})
    return RunResult(config, tables, manifest, folder=folder, warnings=list(manifest.get("warnings", [])))


def verify(folder: str | Path) -> list[str]:
    """Check every file of a finished run against the sha256 its manifest recorded.

    Returns the problems (a file changed, missing, or added since the run); empty: intact.
    """
    run = load_run(folder)
    folder = Path(folder)
    recorded = run.manifest.get("files")
    if recorded is None:  # runs written before every file was hashed: their CSV tables only
        recorded = run.manifest.get("outputs", {})
        present = {k: sha256_file(folder / k) for k in recorded if (folder / k).is_file()}
    else:
        present = file_hashes(folder)
    problems = [f"file missing from the run folder: {name}" for name in sorted(set(recorded) - set(present))]
    problems += [f"file changed since the run: {name}" for name in sorted(set(recorded) & set(present))
                 if recorded[name] != present[name]]
    problems += [f"file not written by the run: {name}" for name in sorted(set(present) - set(recorded))]
    return problems
