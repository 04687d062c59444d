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

    @property
    def flag_changes(self) -> pd.DataFrame:
        return self.occupations[self.occupations["flag_changed"]]


def diff_runs(a: RunResult, b: RunResult) -> RunDiff:
    occupations = compare(a, _as_scenario(b)).drop(columns="scenario")
    occupations.columns = [c.replace("_base", "_a").replace("_scenario", "_b") for c in occupations.columns]
    return RunDiff(_inputs(a.manifest, b.manifest), _parameters(a.manifest["config"], b.manifest["config"]),
                   occupations)


def _as_scenario(run: RunResult) -> RunResult:
    manifest = {**run.manifest, "scenario": {"name": run.manifest.get("run_id", "b")}}
    return RunResult(run.config, run.tables, manifest, folder=run.folder)


def _inputs(a: dict, b: dict) -> pd.DataFrame:
    def index(manifest: dict) -> dict[tuple[str, str], dict]:
        return {(i["table"], i["path"]): i for i in manifest.get("inputs", [])}

    ia, ib = index(a), index(b)
    rows = []
    for key in sorted(set(ia) | set(ib)):
        x, y = ia.get(key), ib.get(key)
        if x and y and x["sha256"] == y["sha256"]:
            continue
        change = "added" if x is None else "removed" if y is None else "changed"
        rows.append({"table": key[0], "path": key[1], "change": change,
                     "vintage_a": (x or {}).get("vintage"), "vintage_b": (y or {}).get("vintage"),
                     "sha256_a": (x or {}).get("sha256"), "sha256_b": (y or {}).get("sha256")})
    return pd.DataFrame(rows, columns=["table", "path", "change", "vintage_a", "vintage_b", "sha256_a", "sha256_b"])


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
