"""Shared outcome metrics from participant records, with hashed ids and small-cell suppression.

One definition of each metric for every partner (:mod:`align.outcomes.metrics`), participant
ids hashed with a secret salt on the way in (:mod:`align.outcomes.records`), and cells too small
to publish hidden with complementary suppression (:mod:`align.outcomes.suppress`).
"""

from __future__ import annotations

from align.outcomes.metrics import METRICS, compute_metrics, metric_cells, metric_definitions
from align.outcomes.records import SALT_ENV, hash_id, prepare_records, read_records, resolve_salt

__all__ = ["METRICS", "SALT_ENV", "compute_metrics", "hash_id", "metric_cells", "metric_definitions",
           "prepare_records", "read_records", "resolve_salt"]
