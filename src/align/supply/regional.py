"""How much of an institution's IPEDS report belongs to the region.

IPEDS counts completers per reporting unit (UNITID). A unit whose report covers campuses outside
the region, or online students who live elsewhere, would count all of them as local supply. The
completions files (C_A) say nothing about where completers live or study, and the directory (HD)
gives only the unit's own county and whether it belongs to a multi-campus or multi-institution
organisation (F1SYSTYP, F1SYSCOD, F1SYSNAM). So the share counted as regional is a stated
setting per provider (``[parameters.regional_share]``, e.g. from the unit's campus enrolment or
IPEDS Fall Enrollment distance-education counts: exclusively-online students located outside the
state, EFDEEX2–EFDEEX4, over all students), and the directory flags the units that probably need
one: a member of an organisation with no other unit in IPEDS reports the organisation's campuses
under one UNITID.
"""

from __future__ import annotations

import pandas as pd


def regional_shares(programs: pd.DataFrame, shares: dict[str, float]) -> pd.Series:
    """Share of each program's completers counted as regional (1 unless its provider has a setting)."""
    return programs["provider_id"].astype(str).map(shares).fillna(1.0).astype(float)


def single_unit_systems(providers: pd.DataFrame, regional_ids: set[str]) -> pd.DataFrame:
    """Regional providers that belong to an organisation (F1SYSTYP 1) with no other IPEDS unit.

    Such a unit most likely reports the organisation's campuses elsewhere under its one UNITID.
    Returns provider_id, provider_name, system_name.
    """
    cols = ["provider_id", "provider_name", "system_name"]
    if "system_code" not in providers.columns:
        return pd.DataFrame(columns=cols)
    systems = providers[providers["system_code"].notna()]
    members = systems.groupby("system_code")["provider_id"].transform("nunique")
    lone = systems[(members == 1) & systems["provider_id"].isin(regional_ids)]
    return lone[cols].sort_values("provider_id").reset_index(drop=True)
