"""The pathways stage: career moves from O*NET related occupations, where the run has them."""

from __future__ import annotations

from align.config import RunConfig
from align.pathways import build_pathways
from align.stages import Stage, StageResult, Tables

TABLES = ("pathways", "entry_points", "ladders", "stacks", "pathway_gaps")


def pathways(config: RunConfig, t: Tables) -> StageResult:
    """Career pathways from O*NET related occupations, where the run has them."""
    if "onet_related" not in t:
        return StageResult(notes=["skipped: no O*NET related-occupations input configured"])
    out = build_pathways(t["occupation_demand"], t["gaps"], t["programs"], t["cip_soc"], t["onet_related"],
                         t.get("onet_job_zones"), t.get("occupation_wages"))
    return StageResult(out, [f"{len(out['pathways'])} upward moves, {len(out['entry_points'])} entry points, "
                             f"{len(out['pathway_gaps'])} pathway gaps"])


PATHWAYS = Stage("pathways", pathways, "Mapping career pathways",
                 reads=("occupation_demand", "gaps", "programs", "cip_soc", "onet_related", "onet_job_zones",
                        "occupation_wages"),
                 writes=TABLES)
