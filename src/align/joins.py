"""Joins between inputs, measured: what failed to join, and how much of the total it carried.

A UNITID written as a float, a directory with blank county codes or a crosswalk cut to its
header joins to nothing, and the programs behind it vanish from supply without an error. Every
join between inputs therefore reports its loss as a share of what matters downstream (jobs,
completers, programs). Above the configured ``max_join_loss`` the run stops naming the key and
a few examples; below it the loss is an operator note in the run log and the manifest.
"""

from __future__ import annotations

from dataclasses import dataclass

import pandas as pd

from align.errors import InputError
from align.notes import operator


@dataclass(frozen=True)
class JoinLoss:
    """What one join left behind: the lost keys and the share of the measure they carried."""

    join: str         # e.g. "completions -> providers"
    key: str          # the key column, e.g. "provider_id (UNITID)"
    measure: str      # what the share is of, e.g. "completers"
    lost: float
    total: float
    examples: list[str]
    why: str          # what to check

    @property
    def share(self) -> float:
        return self.lost / self.total if self.total > 0 else 0.0

    def text(self) -> str:
        shown = ", ".join(self.examples[:5]) + (" ..." if len(self.examples) > 5 else "")
        return (f"{self.join}: {self.share:.1%} of {self.measure} ({self.lost:,.0f} of {self.total:,.0f}) did not "
                f"join on {self.key}, e.g. {shown} ({self.why})")


def measure(join: str, key: str, measure: str, values: pd.Series, keys: pd.Series, matched: pd.Series,
            why: str) -> JoinLoss:
    """The loss of one join: ``values`` (the measure per row), ``keys`` and whether each row joined."""
    lost = ~matched.astype(bool)
    by_key = values[lost].groupby(keys[lost]).sum().sort_values(ascending=False)
    return JoinLoss(join, key, measure, float(values[lost].sum()), float(values.sum()),
                    [str(k) for k in by_key.index[:8]], why)


def check(loss: JoinLoss, limit: float) -> str | None:
    """Raise when ``loss`` exceeds ``limit``; when less was lost, return a note for the operator (run
    log and manifest): a loss within the tolerance, in keys a board does not read."""
    if loss.lost <= 0:
        return None
    if loss.share > limit:
        raise InputError(loss.text(), expected=f"at most {limit:.0%} lost (parameters.max_join_loss)")
    return operator(loss.text())
