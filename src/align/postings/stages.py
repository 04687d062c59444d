"""The postings stages: posting titles coded to occupations (once per run, from the input), then
set beside the projections — a volume and an agreement label, never a replacement for openings."""

from __future__ import annotations

from align import schemas
from align.config import RunConfig
from align.notes import operator
from align.postings.agreement import postings_agreement
from align.stages import Stage, StageResult, Tables


def has_postings(config: RunConfig) -> bool:
    return config.inputs.postings is not None


def code_postings(config: RunConfig, t: Tables) -> StageResult:
    """Code posting titles to SOC, de-duplicate re-posts and count per occupation."""
    if "postings" not in t or config.postings is None:
        if "postings" in t:
            return StageResult(warnings=[operator("postings given but no [postings] section (O*NET folder): "
                                                  "postings not coded")])
        return StageResult()
    # imported here: a run without postings never loads the coder, and one with postings codes them
    # in a second process (beside the stage chain), which alone then imports it
    from align.postings.autocoder import load_autocoder
    from align.postings.pipeline import postings_signal

    p = config.postings
    model = load_autocoder(config.base_dir / p.onet,
                           census_index=config.base_dir / p.census_index if p.census_index else None,
                           corrections=config.base_dir / p.corrections if p.corrections else None)
    signal = postings_signal(t["postings"], model, threshold=p.threshold, window_days=p.window_days,
                             period="year", counties=config.region.counties)
    s = signal.summary
    notes = [f"{int(s['postings']):,} postings, {s['share_coded']:.0%} coded above {p.threshold:g} confidence "
             f"({s['share_review']:.0%} flagged for review), {s['duplicate_rate']:.1%} duplicates"]
    return StageResult({"postings": signal.postings, "postings_occupation": signal.by_occupation}, notes)


def agreement(config: RunConfig, t: Tables) -> StageResult:
    """Postings beside the projections: volume per occupation and how far the two rankings agree."""
    if "postings" not in t:
        return StageResult(notes=["skipped: no postings input configured"])
    kept = t["postings"]
    kept = kept[kept["duplicate_of"].isna()] if "duplicate_of" in kept.columns else kept
    table = postings_agreement(kept, t["occupation_demand"])
    a = table.set_index("soc_code")
    gaps = t["gaps"].assign(n_postings=lambda g: g["soc_code"].map(a["n_postings"]),
                            agreement_label=lambda g: g["soc_code"].map(a["agreement_label"]))
    rho = table.attrs.get("rank_correlation")
    notes = [f"{int(table['n_postings'].sum()):,} postings coded to the region's occupations"
             + (f"; rank correlation with openings {rho:.2f}" if rho is not None else "")]
    return StageResult({"postings_agreement": table, "gaps": schemas.validate(gaps, "gaps", origin="gaps")}, notes)


CODE_POSTINGS = Stage("code_postings", code_postings, "Coding job postings to occupations", inputs=("postings",),
                      writes=("postings", "postings_occupation"), config=("postings", "region.counties"),
                      when=has_postings)
AGREEMENT = Stage("postings", agreement, "Comparing job postings with the projections",
                  reads=("postings", "occupation_demand", "gaps"), writes=("postings_agreement", "gaps"))
