"""The stage contract: what each stage of a planning run reads, writes and depends on.

A stage is a pure function of the run's configuration and the tables it declares; it returns its
tables with its notes and warnings (:class:`StageResult`), so it can run in another process (a
Dask worker, for one region of many) and nothing it says is lost or shared. The pipeline lists
the stages once, in order (:data:`align.pipeline.STAGES`); the progress count, the stage titles
and the stages a scenario must re-run are derived from these declarations.

Two kinds of table come in: ``inputs`` are the connectors' tables as published (a fresh run reads
them once; a finished run does not keep them), ``reads`` are the run's own tables (kept in the run
folder). A stage that reads an input therefore cannot be re-run from a finished run.

Every stage computes one region. The runner keys each per-region table it writes by ``region_id``
(:data:`align.schemas.PER_REGION`) and hands a stage its tables without that key, so a stage body
never sees it: the tables of many regions concatenate and partition without changing a number.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable, Mapping, Sequence
from dataclasses import dataclass, field
from typing import Any

import pandas as pd

from align import schemas
from align.config import RunConfig
from align.errors import AlignError
from align.notes import AlignWarning, as_warning

Tables = Mapping[str, pd.DataFrame]


@dataclass
class StageResult:
    """What one stage produced: its tables, the notes for its progress line, its warnings.

    Warnings may be given as text (an :func:`align.notes.operator` note or a caveat); they are
    kept as :class:`align.notes.Caveat` or :class:`align.notes.OperatorNote`.
    """

    tables: dict[str, pd.DataFrame] = field(default_factory=dict)
    notes: list[str] = field(default_factory=list)
    warnings: list[AlignWarning] = field(default_factory=list)

    def __post_init__(self) -> None:
        self.warnings = [as_warning(w) for w in self.warnings]


@dataclass(frozen=True)
class Stage:
    """One stage's declaration: a name, a title to announce (None: run silently), the connector
    ``inputs`` and run tables it ``reads`` (optional ones are passed when present), the tables it
    ``writes``, the configuration keys it depends on (dotted: ``parameters.naics_digits``, ``years``)
    and the function. ``when`` says whether the stage runs for a configuration at all; ``rerun`` is
    how a stage that reads inputs is run again from a finished run's tables (else it cannot be)."""

    name: str
    fn: Callable[[RunConfig, Tables], StageResult]
    title: str | None = None
    inputs: tuple[str, ...] = ()
    reads: tuple[str, ...] = ()
    writes: tuple[str, ...] = ()
    config: tuple[str, ...] = ()
    when: Callable[[RunConfig], bool] | None = None
    rerun: Callable[[RunConfig, Tables], StageResult] | None = None

    def applies(self, config: RunConfig) -> bool:
        return self.when is None or bool(self.when(config))

    def depends_on(self, key: str) -> bool:
        """Whether the configuration key (dotted) is, contains or lies inside one this stage reads."""
        return any(k == key or key.startswith(k + ".") or k.startswith(key + ".") for k in self.config)

    def __call__(self, config: RunConfig, tables: Tables, inputs: Tables | None = None, *,
                 rerun: bool = False) -> StageResult:
        """Run the stage on its declared tables; its per-region tables come back keyed by region."""
        fn = self.fn
        if rerun and self.inputs:
            if self.rerun is None:
                raise AlignError(f"stage {self.name} reads inputs a finished run does not keep "
                                 f"({', '.join(self.inputs)}), so it cannot be run again from the run")
            fn = self.rerun
        given = {n: unkeyed(n, tables[n]) for n in self.reads if n in tables}
        if not rerun:
            given.update({n: inputs[n] for n in self.inputs if inputs is not None and n in inputs})
        result = fn(config, given)
        undeclared = sorted(set(result.tables) - set(self.writes))
        if undeclared:
            raise AlignError(f"stage {self.name} wrote tables it does not declare: {', '.join(undeclared)}")
        result.tables = {n: keyed(n, df, config.region.slug) for n, df in result.tables.items()}
        return result


def keyed(name: str, df: pd.DataFrame, region: str) -> pd.DataFrame:
    """``df`` with ``region_id`` as its first column, where ``name`` is a per-region table."""
    if name not in schemas.PER_REGION or schemas.REGION_KEY in df.columns:
        return df
    return df.assign(**{schemas.REGION_KEY: region})[[schemas.REGION_KEY, *df.columns]]


def unkeyed(name: str, df: pd.DataFrame) -> pd.DataFrame:
    """``df`` as a stage computes it (one region): without the key the runner added."""
    schema = schemas.TABLES.get(name)
    if name not in schemas.PER_REGION or schemas.REGION_KEY not in df.columns or (
            schema is not None and schemas.REGION_KEY in schema.required):
        return df
    return df.drop(columns=schemas.REGION_KEY)


def steps(stages: Iterable[Stage], config: RunConfig) -> int:
    """The stages a run of ``config`` announces."""
    return sum(s.title is not None and s.applies(config) for s in stages)


def check_order(stages: Sequence[Stage], inputs: Iterable[str]) -> None:
    """Every table a stage reads is an input or written by a stage before it; names are unique."""
    names = [s.name for s in stages]
    twice = sorted({n for n in names if names.count(n) > 1})
    if twice:
        raise AlignError(f"stage names listed twice: {', '.join(twice)}")
    inputs = set(inputs)
    for stage in stages:
        unknown = sorted(set(stage.inputs) - inputs)
        if unknown:
            raise AlignError(f"stage {stage.name} reads inputs no configuration has: {', '.join(unknown)}")
    written: set[str] = set()
    for stage in stages:
        late = sorted(n for n in stage.reads if n not in written and n not in stage.writes
                      and any(n in s.writes for s in stages))
        if late:
            raise AlignError(f"stage {stage.name} reads {', '.join(late)} before any stage writes it")
        written |= set(stage.writes)


def changed_keys(before: Mapping[str, Any], after: Mapping[str, Any], prefix: str = "") -> set[str]:
    """Dotted keys whose values differ between two configurations (as dictionaries)."""
    out: set[str] = set()
    for key in set(before) | set(after):
        a, b = before.get(key), after.get(key)
        path = f"{prefix}{key}"
        if isinstance(a, Mapping) and isinstance(b, Mapping):
            out |= changed_keys(a, b, path + ".")
        elif a != b:
            out.add(path)
    return out


def affected(stages: Sequence[Stage], config: RunConfig, *, keys: Iterable[str] = (),
             tables: Iterable[str] = ()) -> list[Stage]:
    """The stages, in order, that changed configuration keys or changed tables feed (directly or
    through the tables of a stage they feed)."""
    keys, dirty = set(keys), set(tables)
    out = []
    for stage in stages:
        if not stage.applies(config):
            continue
        if dirty & set(stage.reads) or any(stage.depends_on(k) for k in keys):
            out.append(stage)
            dirty |= set(stage.writes)
    return out


def rounded(df: pd.DataFrame, digits: int = 3) -> pd.DataFrame:
    """Floats rounded, so tables are stable and readable (sub-person precision means nothing here)."""
    floats = df.select_dtypes("float").columns
    return df.assign(**{c: df[c].to_numpy(dtype="float64").round(digits) for c in floats})
