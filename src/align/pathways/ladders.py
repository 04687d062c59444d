"""Entry points and ranked advancement ladders over the upward pathway graph.

A ladder is a path of upward edges, at most ``max_steps`` long, that ends in a high-demand
occupation. Ladders are ranked per starting occupation by the wage gained from start to end
(then by the end occupation's openings), so the first ladder is the best-paid route into demand.
"""

from __future__ import annotations

from collections.abc import Iterable

import pandas as pd

from align.pathways.graph import PathwayParams

LADDER_COLUMNS = ["ladder_id", "ladder_rank", "step", "start_soc_code", "end_soc_code", "soc_code",
                  "occupation_title", "job_zone", "typical_entry_education", "wage_annual_median",
                  "wage_gain", "wage_gain_cumulative_pct", "annual_openings", "flag", "is_high_demand",
                  "n_programs", "programs"]


#: the node fields a ladder step repeats
_STEP_FIELDS = ("occupation_title", "job_zone", "typical_entry_education", "flag", "is_high_demand", "n_programs",
                "programs")


def _adjacency(edges: pd.DataFrame) -> dict[str, list[str]]:
    adj: dict[str, list[str]] = {}
    for a, b in zip(edges["soc_code"], edges["related_soc_code"], strict=True):
        adj.setdefault(a, []).append(b)
    return adj


def paths_from(start: str, adj: dict[str, list[str]], max_steps: int) -> Iterable[tuple[str, ...]]:
    """Every simple path of 1..max_steps upward edges starting at ``start`` (no revisits)."""
    stack: list[tuple[str, ...]] = [(start,)]
    while stack:
        path = stack.pop()
        if len(path) > 1:
            yield path
        if len(path) - 1 >= max_steps:
            continue
        for nxt in reversed(adj.get(path[-1], [])):
            if nxt not in path:
                stack.append((*path, nxt))


def find_ladders(nodes: pd.DataFrame, edges: pd.DataFrame, *, starts: Iterable[str],
                 params: PathwayParams, targets: set[str] | None = None) -> pd.DataFrame:
    """Ranked ladders (one row per step) from each start into high-demand (or given) targets."""
    node = nodes.set_index("soc_code")
    if targets is None:
        hd = node.index[node["is_high_demand"].astype(bool)]
        targets = {s for s in hd if params.sector is None or s.startswith(params.sector.rstrip("-"))}
    adj = _adjacency(edges)
    # plain dicts: a ladder step is a few look-ups, and pandas' per-label access cost most of the stage
    wage = node["wage_annual_median"].astype(float).to_dict()
    openings = node["annual_openings"].astype(float).to_dict()
    info = node[list(_STEP_FIELDS)].to_dict("index")
    rows: list[dict] = []
    n_ladder = 0
    for start in sorted(set(starts)):
        found = [p for p in paths_from(start, adj, params.max_steps) if p[-1] in targets]
        if not found:
            continue

        def key(p: tuple[str, ...]) -> tuple:
            gain = wage[p[-1]] / wage[p[0]] - 1 if wage[p[0]] > 0 else float("nan")
            return (-(gain if gain == gain else -1e9), -openings[p[-1]], len(p), p)

        for rank, path in enumerate(sorted(found, key=key)[: params.ladders_per_start], start=1):
            n_ladder += 1
            lid = f"L{n_ladder:04d}"
            for step, soc in enumerate(path):
                r = info[soc]
                prev = wage[path[step - 1]] if step else float("nan")
                rows.append({
                    "ladder_id": lid, "ladder_rank": rank, "step": step, "start_soc_code": path[0],
                    "end_soc_code": path[-1], "soc_code": soc, "occupation_title": r["occupation_title"],
                    "job_zone": r["job_zone"], "typical_entry_education": r["typical_entry_education"],
                    "wage_annual_median": wage[soc], "wage_gain": wage[soc] - prev,
                    "wage_gain_cumulative_pct": wage[soc] / wage[path[0]] - 1 if wage[path[0]] > 0 else float("nan"),
                    "annual_openings": openings[soc], "flag": r["flag"],
                    "is_high_demand": bool(r["is_high_demand"]), "n_programs": int(r["n_programs"]),
                    "programs": r["programs"],
                })
    return pd.DataFrame(rows, columns=LADDER_COLUMNS)


def entry_points(nodes: pd.DataFrame, edges: pd.DataFrame, params: PathwayParams) -> pd.DataFrame:
    """Entry-level occupations from which a high-demand occupation is reachable within max_steps."""
    node = nodes.set_index("soc_code")
    targets = {s for s in node.index[node["is_high_demand"].astype(bool)]
               if params.sector is None or s.startswith(params.sector.rstrip("-"))}
    adj = _adjacency(edges)
    wage = node["wage_annual_median"].astype(float)
    rows = []
    for soc in node.index[node["is_entry_level"].astype(bool)]:
        reach: dict[str, int] = {}
        for p in paths_from(soc, adj, params.max_steps):
            if p[-1] in targets:
                reach[p[-1]] = min(reach.get(p[-1], 99), len(p) - 1)
        if not reach:
            continue
        r = node.loc[soc]
        best = max((wage[t] / wage[soc] - 1 for t in reach if wage[soc] > 0), default=float("nan"))
        rows.append({"soc_code": soc, "occupation_title": r["occupation_title"], "job_zone": r["job_zone"],
                     "typical_entry_education": r["typical_entry_education"],
                     "wage_annual_median": wage[soc], "annual_openings": r["annual_openings"],
                     "n_reachable": len(reach), "min_steps": min(reach.values()),
                     "reachable": "; ".join(sorted(reach)), "best_wage_gain_pct": best,
                     "n_programs": int(r["n_programs"]), "programs": r["programs"]})
    cols = ["soc_code", "occupation_title", "job_zone", "typical_entry_education", "wage_annual_median",
            "annual_openings", "n_reachable", "min_steps", "reachable", "best_wage_gain_pct",
            "n_programs", "programs"]
    return pd.DataFrame(rows, columns=cols)
