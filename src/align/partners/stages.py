"""The partner stage: employer-reported demand, coordinated funding and support services beside the gaps."""

from __future__ import annotations

import dataclasses

from align.config import Partners, RunConfig
from align.outcomes import prepare_records, read_records, resolve_salt
from align.partners import PartnerSettings, partner_views
from align.partners.employers import code_plans
from align.stages import Stage, StageResult, Tables

VIEWS = ("demand_signals", "employer_demand", "externships", "program_funding", "occupation_funding",
         "funding_coordination", "pathway_support", "support_outcomes")


def has_partner_inputs(config: RunConfig) -> bool:
    return config.inputs.employer_hiring_plans is not None or config.inputs.partner_inventory is not None


def settings(config: RunConfig) -> PartnerSettings:
    p, o = config.partners or Partners(), config.outcomes
    return PartnerSettings(min_employers=p.min_employers, dominance=p.dominance, far_more_ratio=p.far_more_ratio,
                           stacked_streams=p.stacked_streams, essential_services=tuple(p.essential_services),
                           min_cell=o.min_cell if o else 10, unknown_programs=p.unknown_programs)


def partners(config: RunConfig, t: Tables) -> StageResult:
    """The partner views from the survey (titles coded here) and the inventory, with support outcomes."""
    p, o, notes, warnings = config.partners or Partners(), config.outcomes, [], []
    plans = t.get("employer_hiring_plans")
    if plans is not None:
        from align.postings.autocoder import load_autocoder  # only where a plan needs coding

        onet = p.onet or (config.postings.onet if config.postings else None)
        model = load_autocoder(config.base_dir / onet) if onet and plans["soc_code"].isna().any() else None
        plans = code_plans(plans, model, threshold=p.threshold).drop(columns="employer_name", errors="ignore")
    records = None
    if o is not None:
        raw = read_records(config.base_dir / o.records)
        if "support_received" in raw.columns:  # keys are not kept: any salt will do
            records = prepare_records(raw, salt=resolve_salt(o.salt_env)[0], origin=o.records)
        else:
            notes.append("participant records carry no support_received column: no with/without-support comparison")
    out = partner_views(t, region_id=config.region.slug, settings=settings(config), plans=plans,
                        inventory=t.get("partner_inventory"), records=records,
                        outcome_options={"as_of": o.as_of, "hire_window_days": o.hire_window_days} if o else None,
                        notes=notes, warnings=warnings)
    kept = {"employer_hiring_plans": plans} if plans is not None else {}  # reference only: never published
    if "partner_inventory" in t:
        kept["partner_inventory"] = t["partner_inventory"]
    return StageResult({**out, **kept}, notes, warnings)


def refresh(config: RunConfig, t: Tables) -> StageResult:
    """The partner views again after a scenario changed demand or supply, from the coded survey and
    the inventory the run keeps (support outcomes do not depend on either, so they stay)."""
    if "employer_hiring_plans" not in t and "partner_inventory" not in t:
        return StageResult()
    warnings: list[str] = []
    chosen = dataclasses.replace(settings(config), unknown_programs="note")  # e.g. a closed program
    out = partner_views(t, region_id=config.region.slug, settings=chosen, plans=t.get("employer_hiring_plans"),
                        inventory=t.get("partner_inventory"), warnings=warnings)
    return StageResult(out, warnings=warnings)


PARTNERS = Stage("partners", partners, "Setting employer plans, funding and support services beside the gaps",
                 inputs=("employer_hiring_plans", "partner_inventory"),
                 reads=("gaps", "postings_agreement", "programs", "allocation", "occupation_demand", "metrics",
                        "employer_hiring_plans", "partner_inventory"),
                 writes=(*VIEWS, "employer_hiring_plans", "partner_inventory"),
                 config=("partners", "outcomes", "postings.onet", "region"), when=has_partner_inputs, rerun=refresh)
