"""Small-cell suppression with complementary suppression.

Primary: a cell whose denominator (or, for a rate, numerator) is under ``min_cell`` is hidden.
Complementary: counts add up — a region's exiters are the sum of its providers', a provider's
the sum of its programs' — so if exactly one child of a published total is hidden, it could be
recovered by subtraction. The smallest other child is then hidden too (or, if there is none, the
total itself), repeated until no hidden cell can be recovered from one equation. Cells of
different groupings that cover exactly the same people (a pathway served by one provider) are one
cell published twice: hiding one hides the other. Hidden cells keep no numbers: numerator,
denominator and value are missing, and ``suppression`` says why.
"""

from __future__ import annotations

import numpy as np
import pandas as pd


def _partitions(table: pd.DataFrame, program_provider: dict[str, str]) -> list[tuple[tuple[str, str], list[tuple[str, str]]]]:
    """(parent cell, child cells) pairs whose child counts add up to the parent's."""
    ids = {g: sorted(set(table.loc[table["group_type"] == g, "group_id"])) for g in table["group_type"].unique()}
    parts = []
    for region in ids.get("region", []):
        for child in ("provider", "program", "pathway"):
            if ids.get(child):
                parts.append((("region", region), [(child, c) for c in ids[child]]))
    for prov in ids.get("provider", []):
        kids = [("program", p) for p in ids.get("program", []) if program_provider.get(p) == prov]
        if kids:
            parts.append((("provider", prov), kids))
    return parts


def suppress(table: pd.DataFrame, *, min_cell: int = 10, program_provider: dict[str, str] | None = None,
             kinds: dict[str, str] | None = None,
             same_people: list[list[tuple[str, str]]] | None = None,
             partitions: list[tuple[tuple[str, str], list[tuple[str, str]]]] | None = None,
             primary: dict[tuple[str, str, str], str] | None = None) -> pd.DataFrame:
    """Mark and blank suppressed cells of a long metrics table (group_type, group_id, metric, …).

    ``partitions`` adds (parent, children) cells whose counts add up beyond the region → provider →
    program ones; ``primary`` adds reasons of the caller's own, keyed (group_type, group_id, metric)
    (e.g. one employer dominating an employer-survey cell).
    """
    out = table.copy()
    out["is_suppressed"] = False
    out["suppression"] = ""
    kinds = kinds or {}
    parts = _partitions(out, program_provider or {}) + list(partitions or [])
    for metric, idx in out.groupby("metric").groups.items():
        cells = out.loc[idx]
        key = list(zip(cells["group_type"], cells["group_id"], strict=True))
        den = dict(zip(key, cells["denominator"], strict=True))
        num = dict(zip(key, cells["numerator"], strict=True))
        why: dict[tuple[str, str], str] = {}
        for k in key:
            if den[k] < min_cell:
                why[k] = f"primary: denominator {int(den[k])} < {min_cell}"
            elif kinds.get(metric, "rate") == "rate" and pd.notna(num[k]) and num[k] < min_cell:
                why[k] = f"primary: numerator {int(num[k])} < {min_cell}"
            elif (k[0], k[1], metric) in (primary or {}):
                why[k] = f"primary: {primary[(k[0], k[1], metric)]}"
        changed = True
        while changed:
            changed = False
            for twins in same_people or []:
                hidden_twin = next((t for t in twins if t in why), None)
                for t in twins:
                    if hidden_twin is not None and t not in why and t in den:
                        why[t] = f"complementary: same people as {hidden_twin[0]} {hidden_twin[1]}"
                        changed = True
            for parent, children in parts:
                if parent in why or parent not in den:
                    continue
                kids = [c for c in children if c in den]
                hidden = [c for c in kids if c in why]
                if len(hidden) != 1:
                    continue
                shown = sorted((c for c in kids if c not in why), key=lambda c: (den[c], c))
                target = shown[0] if shown else parent
                why[target] = f"complementary: protects {hidden[0][0]} {hidden[0][1]}"
                changed = True
        for k, reason in why.items():
            row = cells.index[[kk == k for kk in key]][0]
            out.loc[row, ["numerator", "denominator", "metric_value"]] = np.nan
            out.loc[row, "is_suppressed"] = True
            out.loc[row, "suppression"] = reason
    return out
