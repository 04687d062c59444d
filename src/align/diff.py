"""Year-over-year run comparison: what changed in the inputs, the parameters and the results.

A board that sees a different shortage list this year should be able to tell whether the
economy changed, the data were revised, or someone changed an assumption.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

import pandas as pd

from align.runs import RunResult
from align.scenario import compare


@dataclass(frozen=True)
class RunDiff:
    inputs: pd.DataFrame       # one row per input file that was added, removed or changed
    parameters: pd.DataFrame   # one row per configuration value that differs
    occupations: pd.DataFrame  # per occupation: openings, supply, gap, ratio and flag, before and after
    warning: str | None = None  # set when the runs are for different regions

    @property
    def flag_changes(self) -> pd.DataFrame:
        return self.occupations[self.occupations["flag_changed"]]


def diff_runs(a: RunResult, b: RunResult) -> RunDiff:
    occupations = compare(a, _as_scenario(b)).drop(columns="scenario")
    occupations.columns = [c.replace("_base", "_a").replace("_scenario", "_b") for c in occupations.columns]
    return RunDiff(_inputs(a.manifest, b.manifest), _parameters(a.manifest["config"], b.manifest["config"]),
                   occupations, region_warning(a.manifest, b.manifest))


def _as_scenario(run: RunResult) -> RunResult:
    manifest = {**run.manifest, "scenario": {"name": run.manifest.get("run_id", "b")}}
    return RunResult(run.config, run.tables, manifest, folder=run.folder)


def _inputs(a: dict, b: dict) -> pd.DataFrame:
    """Input files that differ, compared by content (sha256) within each table, never by path:
    the same bytes read from another folder are the same input."""
    def by_table(manifest: dict) -> dict[str, dict[str, dict]]:
        out: dict[str, dict[str, dict]] = {}
        for i in manifest.get("inputs", []):
            out.setdefault(i["table"], {})[i["sha256"]] = i
        return out

    ta, tb = by_table(a), by_table(b)
    rows = []
    for table in sorted(set(ta) | set(tb)):
        xa, xb = ta.get(table, {}), tb.get(table, {})
        gone = sorted((xa[h] for h in set(xa) - set(xb)), key=lambda r: r["path"])
        new = sorted((xb[h] for h in set(xb) - set(xa)), key=lambda r: r["path"])
        for i in range(max(len(gone), len(new))):
            x = gone[i] if i < len(gone) else None
            y = new[i] if i < len(new) else None
            change = "added" if x is None else "removed" if y is None else "changed"
            rows.append({"table": table, "path": (y or x)["path"], "change": change,
                         "vintage_a": (x or {}).get("vintage") or "", "vintage_b": (y or {}).get("vintage") or "",
                         "sha256_a": (x or {}).get("sha256") or "", "sha256_b": (y or {}).get("sha256") or ""})
    return pd.DataFrame(rows, columns=["table", "path", "change", "vintage_a", "vintage_b", "sha256_a", "sha256_b"])


def region_warning(a: dict, b: dict) -> str | None:
    """A sentence when two runs describe different regions (their numbers are not a change)."""
    ra, rb = a.get("region", {}), b.get("region", {})
    if (ra.get("slug"), sorted(ra.get("counties", []))) == (rb.get("slug"), sorted(rb.get("counties", []))):
        return None
    return (f"the runs are for different regions ({ra.get('name') or ra.get('slug')}: "
            f"{', '.join(ra.get('counties', []))}; {rb.get('name') or rb.get('slug')}: "
            f"{', '.join(rb.get('counties', []))}): differences are between regions, not over time")


def _parameters(a: dict, b: dict) -> pd.DataFrame:
    fa, fb = _flatten(a), _flatten(b)
    rows = [{"setting": k, "a": fa.get(k), "b": fb.get(k)} for k in sorted(set(fa) | set(fb))
            if fa.get(k) != fb.get(k) and not k.startswith("inputs.")]
    return pd.DataFrame(rows, columns=["setting", "a", "b"])


def _flatten(d: dict, prefix: str = "") -> dict[str, Any]:
    out: dict[str, Any] = {}
    for k, v in d.items():
        key = f"{prefix}{k}"
        if isinstance(v, dict):
            out.update(_flatten(v, key + "."))
        else:
            out[key] = v
    return out
