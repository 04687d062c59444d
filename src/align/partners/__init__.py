"""The partner side of alignment: employer-reported demand, coordinated funding, support services.

Public data say where the region's training falls short; the partners' own facts say what they
are doing about it. Three inputs, each in a documented template: the employer hiring-plan survey
(:mod:`align.partners.employers`), the partner inventory of funding streams, support services and
work-based learning (:mod:`align.partners.funding`, :mod:`align.partners.support`), and the
optional ``support_received`` column of the participant records. :func:`partner_views` turns
them, beside the run's gaps, into the tables the report and ``align publish`` show.
"""

from __future__ import annotations

from dataclasses import dataclass

import pandas as pd

from align.errors import InputError
from align.partners import employers, funding, support

__all__ = ["PartnerSettings", "partner_views"]


@dataclass(frozen=True)
class PartnerSettings:
    """The thresholds of the partner views (``[partners]`` in region.toml)."""

    min_employers: int = 3
    dominance: float = 0.8
    far_more_ratio: float = 2.0
    stacked_streams: int = 3
    essential_services: tuple[str, ...] = support.ESSENTIAL
    min_cell: int = 10
    unknown_programs: str = "error"


def partner_views(tables: dict[str, pd.DataFrame], *, region_id: str, settings: PartnerSettings,
                  plans: pd.DataFrame | None = None, inventory: pd.DataFrame | None = None,
                  records: pd.DataFrame | None = None, outcome_options: dict | None = None,
                  notes: list[str] | None = None, warnings: list[str] | None = None) -> dict[str, pd.DataFrame]:
    """Every partner table the inputs allow, from the run's tables and the (coded) partner inputs.

    ``plans`` must already be coded (:func:`employers.code_plans`); ``records`` are prepared
    participant records carrying ``support_received``.
    """
    notes = notes if notes is not None else []
    warnings = warnings if warnings is not None else []
    out: dict[str, pd.DataFrame] = {}
    if plans is not None:
        cells = employers.employer_cells(plans, region_id=region_id, min_employers=settings.min_employers,
                                         dominance=settings.dominance)
        signals = employers.demand_signals(cells, tables["gaps"], tables.get("postings_agreement"),
                                           far_more_ratio=settings.far_more_ratio)
        outside = signals.attrs.get("answers_outside_demand", [])
        if outside:
            warnings.append(f"employer answers for {len(outside)} occupation(s) the run does not project, "
                            f"left out of the signals: {', '.join(outside[:10])}")
        uncoded = int(plans["soc_code"].isna().sum())
        if uncoded:
            warnings.append(f"{uncoded} employer answer(s) with titles the autocoder could not code with "
                            f"confidence: not counted (see reference/employer_hiring_plans.parquet)")
        out.update(employer_demand=cells, demand_signals=signals)
        notes.append(f"{plans['employer_id'].nunique()} employers, "
                     f"{int((signals['employer_signal'] == 'far more').sum())} occupation(s) where they report "
                     f"far more hires than projected")
    if inventory is not None:
        _check_programs(inventory, tables["programs"], settings, warnings)
        known = inventory[inventory["program_id"].isin(tables["programs"]["program_id"])]
        per_program = funding.program_funding(known, tables["programs"], tables["allocation"],
                                               tables["occupation_demand"])
        per_occupation = funding.occupation_funding(per_program, known, tables["programs"], tables["allocation"],
                                                    tables["gaps"])
        out.update(program_funding=per_program, occupation_funding=per_occupation,
                   funding_coordination=funding.funding_coordination(per_program, per_occupation,
                                                                     stacked=settings.stacked_streams),
                   pathway_support=support.pathway_support(
                       known, support.program_pathways(known, records), tables.get("metrics"),
                       essential=settings.essential_services, region_id=region_id))
        metrics = tables.get("metrics")
        if metrics is not None and (metrics["group_type"] == "pathway").any():
            recorded = set(metrics.loc[metrics["group_type"] == "pathway", "group_id"])
            unmatched = sorted(set(out["pathway_support"]["pathway"]) - recorded)
            if unmatched:
                warnings.append(f"pathway(s) in the partner inventory that no participant record names (spelling "
                                f"must match): {', '.join(unmatched)}; their completion is not shown")
        notes.append(f"{known['program_id'].nunique()} programs in the partner inventory, "
                     f"{len(out['funding_coordination'])} with stacked funding beside a larger unfunded shortage")
    if plans is not None:
        need = employers.externship_need(tables["programs"], tables["allocation"], inventory)
        out["externships"] = employers.externships(out["employer_demand"], need, tables["occupation_demand"],
                                                   tables["programs"])
    if records is not None:
        out["support_outcomes"] = support.support_outcomes(records, min_cell=settings.min_cell,
                                                           region_id=region_id, **(outcome_options or {}))
    return out


def _check_programs(inventory: pd.DataFrame, programs: pd.DataFrame, settings: PartnerSettings,
                    warnings: list[str]) -> None:
    """A program id the run does not know is a typo until the user says otherwise."""
    unknown = sorted(set(inventory["program_id"]) - set(programs["program_id"]))
    if not unknown:
        return
    if settings.unknown_programs == "error":
        raise InputError(f"program id(s) not among the run's programs: {', '.join(unknown[:5])}",
                         file="partner_inventory", column="program_id",
                         expected="ids from the run's programs.csv (or set [partners] unknown_programs = "
                                  "\"note\" to leave such rows out with a note)")
    warnings.append(f"partner inventory rows for {len(unknown)} program(s) the run does not have, left out: "
                    f"{', '.join(unknown[:10])}")
