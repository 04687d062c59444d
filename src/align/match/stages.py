"""The match stage: openings against supply, occupation by occupation, and duplicated effort.

A :class:`align.stages.Stage`: a pure function of the configuration and its declared tables, for
one region, returning its tables with its notes.
"""

from __future__ import annotations

from align.config import RunConfig
from align.frames import joined
from align.match.duplication import find_duplication
from align.match.gaps import Materiality, compute_gaps
from align.pathways.graph import occupation_wages
from align.stages import Stage, StageResult, Tables, rounded
from align.supply.allocation import allocation_table, supply_bounds, supply_edges
from align.supply.findings import contributions, inventory_occupations, supply_notes
from align.supply.routes import training_routes
from align.supply.spread import supply_sd
from align.supply.stages import SUPPLY, eligibility, factors, supply_rules


def match(config: RunConfig, t: Tables) -> StageResult:
    """Gaps, flags with their arithmetic, and duplicated effort."""
    p, f = config.parameters, factors(config)
    programs, demand, allocation = t["programs"], t["occupation_demand"], t["allocation"]
    edges, _, _, lower = supply_edges(programs, t["cip_soc"], demand, rules=supply_rules(config),
                                      **eligibility(config))
    alt_mode = "education-weighted" if p.allocation != "education-weighted" else "proportional"
    alt = allocation_table(edges, mode=alt_mode, factors=f)
    spread = supply_sd(allocation, programs, f) if p.supply_uncertainty and "completers_sd" in programs.columns \
        else None
    lower = lower.merge(programs[["program_id", "provider_name", "award_label"]], on="program_id")
    lower_text = joined(lower["soc_code"], lower["provider_name"] + " " + lower["award_label"].str.lower(), ", ",
                        distinct=True)
    gaps = compute_gaps(demand, t["occupation_supply"], supply_bounds(edges, f), contributions(allocation, programs),
                        bands=p.flag_bands, min_openings=p.min_openings, factors=f,
                        alternative_supply=alt.groupby("soc_code")["effective_supply"].sum(), supply_sd=spread,
                        below_level=lower_text,
                        routes=training_routes(demand, inventory_occupations(programs, allocation)),
                        materiality=Materiality.of(p),
                        supply_notes=supply_notes(allocation, programs))
    if "occupation_wages" in t:
        wages = occupation_wages(t["occupation_wages"]).set_index("soc_code")["wage_annual_median"]
        gaps = gaps.assign(wage_annual_median=gaps["soc_code"].map(wages))
    dup = {name: find_duplication(programs, allocation, factors=f, series=series, margin=p.duplication_margin,
                                  thin_completers=p.thin_program_completers,
                                  material_supply=p.duplication_material_supply,
                                  material_excess=p.duplication_material_excess)
           for name, series in (("duplication", False), ("duplication_series", True))}
    notes = [", ".join(f"{n} {flag}" for flag, n in gaps["flag"].value_counts().items())]
    return StageResult({"gaps": rounded(gaps), **{k: rounded(v) for k, v in dup.items()}}, notes)


MATCH = Stage("match", match, "Matching openings with supply",
              reads=("programs", "cip_soc", "occupation_demand", "allocation", "occupation_supply", "occupation_wages"),
              writes=("gaps", "duplication", "duplication_series"),
              config=(*SUPPLY.config, "parameters.supply_uncertainty", "parameters.flag_bands",
                      "parameters.min_openings", "parameters.min_program_supply", "parameters.material_gap",
                      "parameters.min_program_share", "parameters.duplication_margin",
                      "parameters.thin_program_completers", "parameters.duplication_material_supply",
                      "parameters.duplication_material_excess"))
