"""The support-services view: pathways whose programs lack the services completion depends on,
and completion and retention for participants who did and did not receive support.

"Completion" is the shared credential attainment rate and "retention" the retention with the
same employer from Q2 to Q4 (:mod:`align.outcomes.metrics`), so the numbers here are the ones
every partner already reports. A pathway lacks a service when none of its programs offers it
(from the partner inventory). The with/without comparison is descriptive: people who get
childcare differ from those who do not in more than childcare, so it says where to look, not
what support causes.
"""

from __future__ import annotations

import numpy as np
import pandas as pd

from align import schemas
from align.outcomes.metrics import METRIC_BY_ID, person_outcomes
from align.outcomes.suppress import suppress
from align.partners.vocabulary import SUPPORT_SERVICES

COMPLETION, RETENTION = "credential_attainment_rate", "retention_same_employer"
#: services completion most often depends on (childcare and transportation are the barriers
#: participants name most; coaching is the service with the strongest trial evidence)
ESSENTIAL = ("childcare", "transportation", "coaching")


def program_pathways(inventory: pd.DataFrame | None, records: pd.DataFrame | None) -> pd.Series:
    """Each program's pathway: the partner inventory's, else the one most participant records give."""
    found = pd.Series(dtype=object)
    if records is not None and "pathway" in records.columns:
        r = records.dropna(subset=["pathway"])
        if len(r):
            found = r.groupby("program_id")["pathway"].agg(lambda s: s.value_counts().index[0])
    if inventory is not None and "pathway" in inventory.columns:
        named = inventory.dropna(subset=["pathway"]).drop_duplicates("program_id").set_index("program_id")["pathway"]
        found = named.combine_first(found)
    return found


def pathway_support(inventory: pd.DataFrame, pathways: pd.Series, metrics: pd.DataFrame | None, *,
                    essential: tuple[str, ...] | list[str] = ESSENTIAL, region_id: str = "region") -> pd.DataFrame:
    """Table ``pathway_support``: per pathway, the services its programs offer and miss, and its completion."""
    services = inventory[inventory["item_kind"] == "support_service"].groupby("program_id")["item"].agg(set)

    def rate(gtype: str, gid: str, metric: str) -> float:
        if metrics is None or not len(metrics):
            return np.nan
        m = metrics[(metrics["group_type"] == gtype) & (metrics["group_id"] == gid) & (metrics["metric"] == metric)]
        return float(m["metric_value"].iloc[0]) if len(m) and pd.notna(m["metric_value"].iloc[0]) else np.nan

    rows = []
    for pathway, progs in pathways.groupby(pathways, sort=True):
        ids = sorted(progs.index)
        offered = set().union(*[services.get(p, set()) for p in ids])
        missing = [s for s in essential if s not in offered]
        rows.append({"pathway": pathway, "n_programs": len(ids),
                     "services_offered": "; ".join(SUPPORT_SERVICES[s] for s in sorted(offered)),
                     "essential_missing": "; ".join(SUPPORT_SERVICES[s] for s in missing),
                     "lacks_essential": bool(missing),
                     "completion_rate": rate("pathway", str(pathway), COMPLETION),
                     "completion_rate_region": rate("region", region_id, COMPLETION),
                     "retention_rate": rate("pathway", str(pathway), RETENTION), "programs": "; ".join(ids)})
    out = pd.DataFrame(rows, columns=["pathway", "n_programs", "services_offered", "essential_missing",
                                      "lacks_essential", "completion_rate", "completion_rate_region",
                                      "retention_rate", "programs"])
    return schemas.validate(out, "pathway_support", origin="pathway_support")


def support_outcomes(records: pd.DataFrame, *, min_cell: int = 10, as_of: str | None = None,
                     hire_window_days: int = 180, region_id: str = "region") -> pd.DataFrame:
    """Table ``support_outcomes``: completion and retention with and without each service (and any).

    Each service splits the region's participants in two, so the two halves add up to the
    region's cell: when one half is suppressed the other is too (complementary suppression).
    """
    p = records.reset_index(drop=True)
    got = p["support_received"].fillna("").map(lambda t: {s.strip() for s in t.split(";") if s.strip()})
    outcomes = person_outcomes(p, as_of=as_of, hire_window_days=hire_window_days)
    groups = {("region", region_id): pd.Series(True, index=p.index)}
    services = sorted(set().union(*got)) if len(got) else []
    parts = []
    for service in ["any", *services]:
        took = got.map(bool) if service == "any" else got.map(lambda s, x=service: x in s)
        cells = [("support", f"{service}|received"), ("support", f"{service}|not received")]
        groups[cells[0]], groups[cells[1]] = took, ~took
        parts.append((("region", region_id), cells))
    rows = []
    for (gtype, gid), mask in groups.items():
        for metric in (COMPLETION, RETENTION):
            den = int(outcomes.loc[mask, f"{metric}:den"].sum())
            num = int((outcomes.loc[mask, f"{metric}:num"] & outcomes.loc[mask, f"{metric}:den"]).sum())
            rows.append({"group_type": gtype, "group_id": gid, "metric": metric,
                         "metric_label": METRIC_BY_ID[metric].label, "numerator": float(num),
                         "denominator": float(den), "metric_value": num / den if den else np.nan})
    table = suppress(pd.DataFrame(rows), min_cell=min_cell, partitions=parts)
    table = table[table["group_type"] == "support"].copy()
    split = table["group_id"].str.split("|", n=1, expand=True)
    table["service"], table["received"] = split[0], split[1] == "received"
    table["metric_value"] = table["metric_value"].round(4)
    out = table[["service", "received", "metric", "numerator", "denominator", "metric_value", "is_suppressed",
                 "suppression", "metric_label"]]
    return schemas.validate(out, "support_outcomes", origin="support_outcomes")
