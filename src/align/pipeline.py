"""One annual planning run, end to end: inputs → demand → supply → match → report.

The run is a chain of stages (:mod:`align.stages`), each declared in the domain package that owns
it and listed here once, in order:

    industry       QCEW slices → regional industry employment → forecasts → industry_projection
    references     one staffing pattern, separation rates, the crosswalk, the control area's mix
    programs       the region's completions (and inventory) → programs
    occupations    industry_projection × staffing pattern → occupation_projection
    openings       occupation_projection × separation rates → occupation_demand
    supply         programs × crosswalk × demand → allocation, occupation_supply, audit
    match          demand × supply → gaps, duplication; then pathways, postings, outcomes, partners

Every table a stage reads is kept in the run (the reference tables under ``reference/``), so a
scenario can replace one table or parameter and re-run only the stages it feeds
(:mod:`align.scenario`). This module reads the inputs, runs the stages and records what went in;
:mod:`align.runs` writes and reads the run folder.
"""

from __future__ import annotations

import os
import tempfile
from collections.abc import Callable, Mapping, Sequence
from contextlib import ExitStack
from pathlib import Path

import pandas as pd

from align import connector, parsecache
from align.background import Pending, in_background
from align.config import RunConfig
from align.coverage import check_coverage
from align.demand import stages as demand
from align.errors import AlignError
from align.match import stages as match
from align.notes import as_text, board_caveats, operator_notes
from align.outcomes import stages as outcomes
from align.partners import stages as partners
from align.pathways import stages as pathways
from align.places import county_names
from align.postings import stages as postings
from align.progress import Progress
from align.runs import RunResult, build_manifest, load_run, verify, writable_root, write_run
from align.stages import Stage, StageResult, affected, check_order, steps
from align.store import sha256_file
from align.supply import stages as supply

STAGES: tuple[Stage, ...] = (
    demand.INDUSTRY_INPUTS, demand.INDUSTRY, demand.REFERENCES, demand.INDUSTRY_TITLES,
    supply.SUPPLY_INPUTS, supply.PROGRAMS, postings.CODE_POSTINGS,
    demand.OCCUPATIONS, demand.OPENINGS, supply.SUPPLY, match.MATCH, pathways.PATHWAYS, postings.AGREEMENT,
    outcomes.OUTCOMES, partners.PARTNERS,
)
check_order(STAGES, RunConfig.model_fields["inputs"].annotation.model_fields)
READ, WRITE = "Reading inputs through their connectors", "Writing tables, manifest and report"
RUN_STEPS = 2 + sum(s.title is not None for s in STAGES)  # the most a run announces: read, every stage, write


def run_steps(config: RunConfig) -> int:
    """Steps this configuration's run announces: reading, each stage that runs for it, writing."""
    return 2 + steps(STAGES, config)


def stage(name: str) -> Stage:
    """The stage called ``name``."""
    for s in STAGES:
        if s.name == name:
            return s
    raise AlignError(f"unknown stage {name!r}; one of {[s.name for s in STAGES]}")


# --- inputs -----------------------------------------------------------------------------------

def read_inputs(config: RunConfig) -> tuple[dict[str, pd.DataFrame], list[dict], list[str]]:
    """Parse every configured input through its connector; record each file's hash.

    Returns the tables, one record per file (for the manifest) and the notes the report must
    show (accepted gaps). Inputs made of many files are checked for duplicates and gaps first
    (:mod:`align.coverage`).
    """
    tables: dict[str, pd.DataFrame] = {}
    records: list[dict] = []
    per_file: dict[str, list[tuple[str, pd.DataFrame]]] = {}
    for name in type(config.inputs).model_fields:
        spec = getattr(config.inputs, name)
        if spec is None:
            continue
        source = connector.get(spec.source)
        frames = []
        for path in config.input_files(name):
            digest = sha256_file(path)
            frames.append(parsecache.parse(source, path, digest, spec.options))
            records.append({"table": name, "source": spec.source, "path": _relative(path, config.base_dir),
                            "sha256": digest, "bytes": path.stat().st_size,
                            "vintage": _vintage(frames[-1])})
        per_file[name] = [(r["path"], f) for r, f in zip([r for r in records if r["table"] == name], frames,
                                                          strict=True)]
        tables[name] = pd.concat(frames, ignore_index=True) if len(frames) > 1 else frames[0]
    return tables, records, _coverage_notes(config, tables, per_file)


def _coverage_notes(config: RunConfig, tables: dict[str, pd.DataFrame],
                    per_file: dict[str, list[tuple[str, pd.DataFrame]]]) -> list[str]:
    counties = config.region.counties
    providers = tables["providers"]
    regional = providers.loc[providers["county_fips"].isin(counties), "provider_id"]
    notes = check_coverage("industry_employment", per_file["industry_employment"], expected=counties,
                           accepted=config.inputs.industry_employment.accept_gaps)
    notes += check_coverage("completions", per_file["completions"], expected=regional,
                            accepted=config.inputs.completions.accept_gaps,
                            years=config.parameters.completion_years)
    return notes


def side_inputs(config: RunConfig) -> list[dict]:
    """Manifest records for the files read outside the connectors: participant records and the
    O*NET folder the postings autocoder learns from (every file in it)."""
    files: list[tuple[str, Path]] = []
    if config.outcomes is not None:
        files.append(("participants", config.base_dir / config.outcomes.records))
    if config.postings is not None:
        folder = config.base_dir / config.postings.onet
        files += [("postings_onet", p) for p in sorted(folder.rglob("*")) if p.is_file()]
    return [{"table": table, "source": table, "path": _relative(path, config.base_dir), "sha256": sha256_file(path),
             "bytes": path.stat().st_size, "vintage": None} for table, path in files]


def _relative(path: Path, base: Path) -> str:
    """The input's path relative to the configuration's folder, as the manifest records it."""
    return Path(os.path.relpath(path.resolve(), base.resolve())).as_posix()


def _vintage(df: pd.DataFrame) -> str | None:
    if "vintage" in df.columns and df["vintage"].notna().any():
        return ", ".join(sorted({str(v) for v in df["vintage"].dropna().unique()})[:5])
    return None



# --- the stages ---------------------------------------------------------------------------------

def run_stage(s: Stage, config: RunConfig, tables: Mapping[str, pd.DataFrame],
              inputs: Mapping[str, pd.DataFrame] | None = None, *, progress: Progress | None = None,
              rerun: bool = False) -> StageResult:
    """Run one stage, announcing it (when it has a title) and printing its notes."""
    if s.title is None or progress is None:
        return s(config, tables, inputs, rerun=rerun)
    with progress.stage(s.title) as notes:
        result = s(config, tables, inputs, rerun=rerun)
        notes.extend(result.notes)
    return result


def run_from(name: str, config: RunConfig, tables: Mapping[str, pd.DataFrame], *,
             progress: Progress | None = None) -> StageResult:
    """Re-run stage ``name`` and every stage its tables feed, on a copy of a finished run's ``tables``.

    Returns every table (the new ones in place of the old) and the re-run stages' notes and warnings.
    """
    first = stage(name)
    plan = [first, *affected(STAGES[STAGES.index(first) + 1:], config, tables=first.writes)]
    out, notes, warnings = dict(tables), [], []
    for s in plan:
        if s.applies(config):
            result = run_stage(s, config, out, progress=progress, rerun=True)
            out.update(result.tables)
            notes += result.notes
            warnings += result.warnings
    return StageResult(out, notes, warnings)


# --- stages beside the chain -------------------------------------------------------------------

#: a stage starts beside the others when at least this many stages run before the first one that needs it
BESIDE_AFTER = 6


def beside_the_chain(stages: Sequence[Stage]) -> list[Stage]:
    """Stages that read no run table (only inputs and the configuration) and whose tables no stage
    needs for a while: they are worked out in a second process (:mod:`align.background`) from the
    start, so on two cores the rest of the run does not wait for them (postings, outcomes)."""
    out = []
    for i, s in enumerate(stages):
        readers = [j for j, later in enumerate(stages) if j > i and set(later.reads) & set(s.writes)]
        if not s.reads and (not readers or readers[0] >= BESIDE_AFTER):
            out.append(s)
    return out


def _work(s: Stage, config: RunConfig, inputs: Mapping[str, pd.DataFrame]) -> Callable[[], StageResult]:
    return lambda: s(config, {}, inputs)


def _collect(s: Stage, pending: Pending[StageResult], progress: Progress | None) -> StageResult:
    """The result of a stage worked out beside the chain, announced at its place in the run."""
    if s.title is None or progress is None:
        return pending.result()
    with progress.stage(s.title) as notes:
        result = pending.result()
        notes.extend(result.notes)
    return result


# --- the whole run ----------------------------------------------------------------------------

def run(config: RunConfig, *, progress: Progress | None = None, write: bool = True,
        report: bool = True, pdf: bool = True, inputs: tuple | None = None,
        stages: Sequence[Stage] = STAGES) -> RunResult:
    """Run every stage for one region and (by default) write the run folder, PDFs included.

    ``inputs`` (what :func:`read_inputs` returned) and ``stages`` (the same stages, one of them
    given its work from outside) let a multi-region run read each input once and forecast every
    region as one panel (:mod:`align.multiregion`).
    """
    progress = progress or Progress(total=RUN_STEPS)
    progress.total = run_steps(config)
    warnings: list[str] = []
    if write:  # an output folder that cannot be written is said before the work, not after it
        writable_root((config.base_dir / config.output_dir / config.region.slug).resolve())
    with progress.stage(READ) as notes:
        inputs, records, accepted = inputs or read_inputs(config)
        records = records + side_inputs(config)
        warnings.extend(accepted)
        notes.append(f"{len(records)} files")
    tables: dict[str, pd.DataFrame] = {}
    with ExitStack() as beside:
        early = {s.name: beside.enter_context(in_background(_work(s, config, inputs))) for s in beside_the_chain(
            [s for s in stages if s.applies(config)])}
        for s in stages:
            if s.applies(config):
                result = _collect(s, early[s.name], progress) if s.name in early else run_stage(
                    s, config, tables, inputs, progress=progress)
                tables.update(result.tables)
                warnings.extend(as_text(w) for w in result.warnings)
    result = RunResult(config, tables, build_manifest(config, records, tables, warnings), warnings=warnings)
    result.manifest["region"]["county_names"] = county_names(inputs.get("providers"), config.region.counties)
    if write:
        with progress.stage(WRITE) as notes:
            result.folder = write_run(result, report=report, pdf=pdf)
            notes.append(str(result.folder))
    for w in board_caveats(warnings):
        progress._print(f"      note: {w}")
    for w in operator_notes(warnings):
        progress._print(f"      note for the operator: {w}")
    return result


def reproduce(folder: str | Path, *, config_dir: str | Path | None = None) -> list[str]:
    """Check a finished run's files, then run its manifest again and list every difference.

    The folder's files must be those the run wrote (:func:`align.runs.verify`); the inputs must be
    the same bytes the manifest records (read from the folder the original configuration lived in,
    or ``config_dir``); the run is then repeated in a scratch folder and each table compared by hash.
    """
    problems = verify(folder)
    if problems:
        return problems
    original = load_run(folder)
    base = Path(config_dir or original.manifest.get("config_dir") or ".")
    config = RunConfig.model_validate({**original.manifest["config"], "base_dir": base.resolve()})
    for record in original.manifest["inputs"]:
        path = base / record["path"]
        if not path.is_file():
            problems.append(f"input missing: {record['table']} {path}")
        elif sha256_file(path) != record["sha256"]:
            problems.append(f"input changed since the run: {record['table']} {path}")
    if problems:
        return problems
    if "derived" in original.manifest:
        return [f"a run derived by `{original.manifest['derived'].get('command')}` from run "
                f"{original.manifest.get('parent', {}).get('run_id')}: reproduce that run instead"]
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
