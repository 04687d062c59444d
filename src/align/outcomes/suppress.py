"""Small-cell suppression with complementary suppression.

Primary: a cell whose denominator (or, for a rate, numerator) is under ``min_cell`` is hidden.
Complementary: counts add up — a region's exiters are the sum of its providers', a provider's
the sum of its programs', a pathway's the sum of the programs that make it up — so every
published equation "parent = sum of children" with exactly one hidden cell in it would give
that cell away by subtraction. The smallest other child is then hidden too (or, if there is
none, the parent itself), repeated until no equation has a single hidden cell. With the people
behind each cell known, the equations are found from the cells themselves: wherever one cell's
people are exactly the union of other, disjoint cells' people, whatever the groupings are called.
Cells that cover exactly the same people (a pathway served by one provider) are one cell
published twice: hiding one hides the other. Hidden cells keep no numbers: numerator,
denominator and value are missing, and ``suppression`` says why.

``min_cell`` can never be set below :data:`MIN_CELL_FLOOR`: a cell of one or two people names
them.
"""

from __future__ import annotations

from collections.abc import Iterable

import numpy as np
import pandas as pd

from align.errors import ConfigError

MIN_CELL_FLOOR = 3
Cell = tuple[str, str]


def check_min_cell(min_cell: int) -> int:
    """``min_cell`` itself, or the error every entry point gives for one below the floor."""
    if isinstance(min_cell, bool) or not isinstance(min_cell, (int, np.integer)) or min_cell < MIN_CELL_FLOOR:
        raise ConfigError(f"minimum cell size {min_cell!r} is below the floor of {MIN_CELL_FLOOR}: "
                          f"smaller published cells identify people")
    return int(min_cell)


def partitions_from_people(people: dict[Cell, Iterable[int]]) -> list[tuple[Cell, list[Cell]]]:
    """Every (parent, children) whose children's people are disjoint and make up the parent's.

    Children are taken one grouping at a time (all providers, all programs...), so each
    equation is one a reader can form from one published table.
    """
    sets = {c: frozenset(v) for c, v in people.items()}
    by_type: dict[str, list[Cell]] = {}
    for c in sets:
        by_type.setdefault(c[0], []).append(c)
    parts = []
    for parent, members in sets.items():
        for gtype, cells in by_type.items():
            if gtype == parent[0]:
                continue
            kids = [c for c in cells if sets[c] and sets[c] <= members]
            if len(kids) < 1 or sum(len(sets[c]) for c in kids) != len(members):
                continue
            if frozenset().union(*(sets[c] for c in kids)) == members:
                parts.append((parent, sorted(kids)))
    return parts


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
             primary: dict[tuple[str, str, str], str] | None = None,
             people: dict[Cell, Iterable[int]] | None = None) -> pd.DataFrame:
    """Mark and blank suppressed cells of a long metrics table (group_type, group_id, metric, …).

    With ``people`` (the row ids behind each cell) every additive equation is found from the
    cells; without it, the region, provider and program nesting (``program_provider``) is used.
    ``partitions`` adds (parent, children) cells whose counts add up beyond those; ``primary`` adds
    reasons of the caller's own, keyed (group_type, group_id, metric) (e.g. one employer
    dominating an employer-survey cell). Callers counting people check ``min_cell`` against the
    floor (:func:`check_min_cell`); an employer survey counts employers under rules of its own.
    """
    out = table.copy()
    out["is_suppressed"] = False
    out["suppression"] = ""
    kinds = kinds or {}
    parts = (partitions_from_people(people) if people is not None else _partitions(out, program_provider or {})) \
        + list(partitions or [])
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
                if parent not in den:
                    continue
                kids = [c for c in children if c in den]
                hidden = [c for c in [parent, *kids] if c in why]
                if len(hidden) != 1:  # none hidden, or two unknowns in one equation: nothing given away
                    continue
                shown = sorted((c for c in kids if c not in why), key=lambda c: (den[c], c))
                target = shown[0] if shown else parent
                if target in why:
                    continue
                why[target] = f"complementary: protects {hidden[0][0]} {hidden[0][1]}"
                changed = True
        for k, reason in why.items():
            row = cells.index[[kk == k for kk in key]][0]
            out.loc[row, ["numerator", "denominator", "metric_value"]] = np.nan
            out.loc[row, "is_suppressed"] = True
            out.loc[row, "suppression"] = reason
    return out
