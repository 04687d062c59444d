"""The supply stages: the region's completions → programs → completers allocated to occupations.

Each is a :class:`align.stages.Stage`: a pure function of the configuration and its declared
tables, for one region, returning its tables with its notes and warnings.
"""

from __future__ import annotations

import pandas as pd

from align import joins, schemas
from align.config import RunConfig
from align.errors import AlignError
from align.frames import joined
from align.stages import Stage, StageResult, Tables, rounded
from align.supply.accounts import SupplyRules, check_conservation, not_occupation_specific
from align.supply.allocation import Factors, allocate
from align.supply.findings import contributions, regional_notes
from align.supply.programs import build_programs, inventory_programs, regional_providers
from align.supply.regional import single_unit_systems


def factors(config: RunConfig) -> Factors:
    p = config.parameters
    return Factors(p.retention, p.participation)


def supply_rules(config: RunConfig) -> SupplyRules:
    """How each program's completers are counted: continuing study, general fields, post-licensure, region."""
    p = config.parameters
    return SupplyRules(continuing_study=p.continuing_study, general_related_share=p.general_related_share,
                       rn_to_bsn_share=p.rn_to_bsn_share, post_licensure_share=dict(p.post_licensure_share),
                       regional_share=dict(p.regional_share))


def eligibility(config: RunConfig) -> dict:
    """Which program × occupation pairs may count, as the configuration says (see docs/matching.md)."""
    p = config.parameters
    return {"allow_below_entry": p.allow_below_entry_education, "experienced_entry": p.experienced_entry,
            "prefer_matching_level": p.prefer_matching_level, "tolerance": p.entry_education_tolerance,
            "max_overqualification": p.max_overqualification}


def supply_inputs(config: RunConfig, t: Tables) -> StageResult:
    """The region's providers and their completions (every year given), kept in the run so that
    supply parameters can be changed in a scenario; the joins between the files are measured first.

    A provider is marked ``single_unit_system`` here, where the whole directory is at hand: the only
    IPEDS unit of its organisation, whose report may cover campuses outside the region.
    """
    completions, providers = t["completions"], t["providers"]
    limit = config.parameters.max_join_loss
    in_state = providers["state_fips"] == config.region.state_fips
    counted = completions[completions["provider_id"].isin(providers.loc[in_state, "provider_id"])]
    county = counted["provider_id"].map(providers.set_index("provider_id")["county_fips"])
    losses = [
        joins.measure("completions -> providers", "provider_id (UNITID)", "completers",
                      completions["completers"], completions["provider_id"],
                      completions["provider_id"].isin(providers["provider_id"]),
                      "institutions missing from the directory file: is it the same year and complete?"),
        joins.measure("providers -> region counties", "county_fips (COUNTYCD)", "completers in the state",
                      counted["completers"], counted["provider_id"], county.notna(),
                      "institutions whose county code is blank cannot be placed in the region"),
    ]
    warnings = [n for loss in losses if (n := joins.check(loss, limit)) is not None]
    regional = regional_providers(providers, config.region.counties)
    lone = single_unit_systems(providers, set(regional["provider_id"]))
    regional["single_unit_system"] = regional["provider_id"].map(lone.set_index("provider_id")["system_name"])
    out = {"regional_providers": regional.reset_index(drop=True),
           "regional_completions": completions[completions["provider_id"].isin(regional["provider_id"])]
           .reset_index(drop=True)}
    if "training_inventory" in t:
        out["training_inventory"] = t["training_inventory"]
    return StageResult(out, warnings=warnings)


def programs(config: RunConfig, t: Tables) -> StageResult:
    """Regional programs from IPEDS completions and, where configured, the training inventory."""
    p = config.parameters
    completions, providers, cip_soc = t["regional_completions"], t["regional_providers"], t["cip_soc"]
    titles = cip_soc.drop_duplicates("cip_code").set_index("cip_code")["cip_title"] \
        if "cip_title" in cip_soc.columns else None
    table = build_programs(completions, providers, counties=config.region.counties, years=p.completion_years,
                           cip_titles=titles)
    table["single_unit_system"] = table["provider_id"].map(providers.set_index("provider_id")["single_unit_system"])
    if "training_inventory" in t:
        extra = inventory_programs(t["training_inventory"], counties=config.region.counties,
                                   years=p.completion_years, cip_titles=titles)
        table = schemas.validate(pd.concat([table, extra], ignore_index=True), "programs", origin="programs")
    listed = set(cip_soc["cip_code"])
    loss = joins.measure("programs -> cip_soc", "cip_code", "regional completers",
                         table["completers"], table["cip_code"].fillna("(none)"),
                         table["cip_code"].isna() | table["cip_code"].isin(listed),
                         "CIP codes absent from the crosswalk file, not even as NO MATCH: is it complete?")
    joined = joins.check(loss, p.max_join_loss)
    notes = [f"{len(table)} regional programs, {table['completers'].sum():,.0f} completers a year"]
    return StageResult({"programs": rounded(table)}, notes,
                       completion_year_caveats(config, completions) + ([joined] if joined else []))


def completion_year_caveats(config: RunConfig, completions: pd.DataFrame) -> list[str]:
    """What the report must say when the completions describe other years than the base."""
    base = config.years.base
    years = config.parameters.completion_years or sorted(set(completions["year"].dropna().astype(int)))
    if years and (min(years) > base + 1 or max(years) < base - 1):
        return [f"supply is the completions of {', '.join(map(str, years))}, not of the base year {base} "
                f"(the years the completions input holds): programs opened or closed since then are "
                f"{'not yet' if max(years) < base else 'already'} counted"]
    return []


def supply(config: RunConfig, t: Tables) -> StageResult:
    """Completers allocated to occupations (no double counting), every completer accounted for, the audit."""
    p = config.parameters
    alloc = allocate(t["programs"], t["cip_soc"], t["occupation_demand"], mode=p.allocation,
                     factors=factors(config), rules=supply_rules(config), **eligibility(config))
    gap = check_conservation(alloc.accounts)
    if gap > 1e-6:
        raise AlignError(f"supply accounts do not add up: a program's completers differ from its accounts by {gap:g}")
    table = contributions(alloc.table, t["programs"])
    by_occupation = table.groupby("soc_code").agg(completers_allocated=("completers_allocated", "sum"),
                                                  effective_supply=("effective_supply", "sum"),
                                                  n_programs=("program_id", "nunique")).reset_index()
    by_occupation["programs"] = by_occupation["soc_code"].map(joined(table["soc_code"], table["text"]))
    by_occupation = schemas.validate(rounded(by_occupation), "occupation_supply", origin="occupation_supply")
    accounts = alloc.accounts  # unrounded, so that every program's accounts add up to its completers exactly
    notes = [f"{len(alloc.unallocated)} programs supply no occupation in demand ({p.allocation} allocation); "
             f"{accounts['not_occupation_specific'].sum():,.0f} completers a year not occupation-specific, "
             f"{accounts['continuing_study'].sum():,.0f} continue studying"]
    return StageResult({"allocation": rounded(alloc.table), "occupation_supply": by_occupation,
                        "double_count_audit": rounded(alloc.audit), "unallocated_programs": rounded(alloc.unallocated),
                        "supply_accounts": accounts, "not_occupation_specific": not_occupation_specific(accounts)},
                       notes, regional_notes(t["programs"], p.regional_share))


SUPPLY_INPUTS = Stage("supply_inputs", supply_inputs, inputs=("completions", "providers", "training_inventory"),
                      writes=("regional_completions", "regional_providers", "training_inventory"),
                      config=("region", "parameters.max_join_loss"))
PROGRAMS = Stage("programs", programs, "Collecting regional programs",
                 reads=("regional_completions", "regional_providers", "training_inventory", "cip_soc"),
                 writes=("programs",),
                 config=("region.counties", "years.base", "parameters.completion_years", "parameters.max_join_loss"))
SUPPLY = Stage("supply", supply, "Allocating program completers to occupations",
               reads=("programs", "cip_soc", "occupation_demand"),
               writes=("allocation", "occupation_supply", "double_count_audit", "unallocated_programs",
                       "supply_accounts", "not_occupation_specific"),
               config=("parameters.allocation", "parameters.retention", "parameters.participation",
                       "parameters.continuing_study", "parameters.general_related_share",
                       "parameters.rn_to_bsn_share", "parameters.post_licensure_share", "parameters.regional_share",
                       "parameters.allow_below_entry_education", "parameters.experienced_entry",
                       "parameters.prefer_matching_level", "parameters.entry_education_tolerance",
                       "parameters.max_overqualification"))
