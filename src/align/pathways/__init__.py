"""Career pathways: entry points, advancement ladders, stackable credentials and pathway gaps.

Built from the run's own tables (occupation demand, gaps, programs, the CIP–SOC crosswalk) plus
O*NET related occupations and job zones and OEWS wages, so each ladder step carries the same
openings and shortage flag the gap report shows. :func:`build_pathways` is pure: tables in,
validated tables out.
"""

from __future__ import annotations

import pandas as pd

from align import schemas
from align.pathways.gaps import pathway_gaps
from align.pathways.graph import PathwayParams, build_edges, build_nodes, occupation_wages
from align.pathways.ladders import entry_points, find_ladders
from align.pathways.stacks import find_stacks

__all__ = ["PathwayParams", "build_pathways", "occupation_wages"]

TABLES = ("pathways", "entry_points", "ladders", "stacks", "pathway_gaps")


def build_pathways(demand: pd.DataFrame, gaps: pd.DataFrame | None, programs: pd.DataFrame | None,
                   cip_soc: pd.DataFrame | None, onet_related: pd.DataFrame | None,
                   job_zones: pd.DataFrame | None, wages: pd.DataFrame | None, *,
                   params: PathwayParams | None = None, starts: list[str] | None = None
                   ) -> dict[str, pd.DataFrame]:
    """Pathway tables for one region.

    ``starts`` names starting occupations for the ladders; by default ladders start at every
    entry point. Returns ``pathways`` (upward edges), ``entry_points``, ``ladders``, ``stacks``
    and ``pathway_gaps``, each validated against its table contract.
    """
    params = params or PathwayParams()
    nodes = build_nodes(demand, gaps, programs, cip_soc, job_zones, wages, params)
    edges = build_edges(nodes, onet_related, params, cip_soc)
    entries = entry_points(nodes, edges, params)
    ladders = find_ladders(nodes, edges, starts=starts if starts is not None else entries["soc_code"],
                           params=params)
    out = {
        "pathways": edges,
        "entry_points": entries,
        "ladders": ladders,
        "stacks": find_stacks(nodes, programs, cip_soc, params),
        "pathway_gaps": pathway_gaps(nodes, ladders),
    }
    return {name: schemas.validate(_tidy(df), name, origin=name) for name, df in out.items()}


def _tidy(df: pd.DataFrame) -> pd.DataFrame:
    """Round money and shares for stable files; missing stays missing."""
    out = df.copy()
    for c in out.columns:
        if c.endswith("_pct"):
            out[c] = pd.to_numeric(out[c], errors="coerce").round(4)
        elif c.startswith(("wage", "related_wage")) or c.endswith("openings"):
            out[c] = pd.to_numeric(out[c], errors="coerce").round(2)
    return out
