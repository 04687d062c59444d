"""The outcomes stage: shared metrics from participant records (person ids hashed as they are read)."""

from __future__ import annotations

from align.config import RunConfig
from align.notes import operator
from align.outcomes import (
    compute_metrics,
    metric_definitions,
    prepare_records,
    read_records,
    resolve_salt,
)
from align.stages import Stage, StageResult, Tables


def outcomes(config: RunConfig, t: Tables) -> StageResult:
    """Shared outcome metrics from the participant records [outcomes] names, when it names them."""
    o = config.outcomes
    if o is None:
        return StageResult()
    salt, note = resolve_salt(o.salt_env)
    records = prepare_records(read_records(config.base_dir / o.records), salt=salt, origin=o.records)
    metrics = compute_metrics(records, min_cell=o.min_cell, as_of=o.as_of, hire_window_days=o.hire_window_days,
                              region_id=config.region.slug, origin=o.records)
    return StageResult({"metrics": metrics, "metric_definitions": metric_definitions()},
                       [f"{len(records)} participant records, {len(metrics)} metric cells"],
                       [operator(note)] if note else [])


OUTCOMES = Stage("outcomes", outcomes, "Computing shared outcome metrics", writes=("metrics", "metric_definitions"),
                 config=("outcomes", "region"))
