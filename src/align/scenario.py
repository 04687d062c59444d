"""What-if analysis: change a table or a parameter of a finished run and re-run only what it feeds.

A scenario is data (pydantic, or TOML for the CLI): demand shocks in an industry or occupation,
supply changes to programs, new and closed programs, parameter changes and a new target year.
:func:`apply` edits the tables the scenario changes and re-runs the stages that the changed
tables and parameters feed, as each stage declares them (:mod:`align.stages`) — no refetch; a
change to a stage that reads the inputs as published is refused, saying so. :func:`compare`
sets scenario runs beside the base, occupation by occupation.
"""

from __future__ import annotations

import tomllib
from pathlib import Path
from typing import Any

import pandas as pd
from pydantic import BaseModel, ConfigDict, Field, ValidationError, model_validator

from align import schemas
from align.config import Parameters, RunConfig
from align.errors import AlignError, ConfigError, InputError
from align.notes import as_text
from align.pipeline import STAGES
from align.runs import RunResult
from align.stages import Stage, affected, changed_keys, keyed, unkeyed
from align.supply.education import award_label

IMPACT_COLUMNS = ["employment_base", "employment_target", "employment_target_lo80", "employment_target_hi80"]


class _Strict(BaseModel):
    model_config = ConfigDict(extra="forbid", frozen=True)


class DemandShock(_Strict):
    """Jobs added (or removed, if negative) in one industry or one occupation from a year on."""

    industry: str | None = Field(default=None, description="NAICS code as in the run, e.g. 622")
    occupation: str | None = Field(default=None, description="SOC code, e.g. 29-1141")
    jobs: float
    start_year: int
    phase_in_years: int = Field(default=1, ge=1, description="Reach the full number over this many years.")

    @model_validator(mode="after")
    def _one_target(self) -> DemandShock:
        if (self.industry is None) == (self.occupation is None):
            raise ValueError("a demand shock names exactly one of 'industry' or 'occupation'")
        return self

    def jobs_in(self, year: int) -> float:
        """Jobs in place in ``year``: a linear phase-in from ``start_year``."""
        if year < self.start_year:
            return 0.0
        return self.jobs * min(1.0, (year - self.start_year + 1) / self.phase_in_years)


class SupplyChange(_Strict):
    """Add or remove completers of an existing program (or every program of a provider)."""

    program_id: str | None = None
    provider_id: str | None = None
    add_completers: float = 0.0

    @model_validator(mode="after")
    def _one_target(self) -> SupplyChange:
        if (self.program_id is None) == (self.provider_id is None):
            raise ValueError("a supply change names exactly one of 'program_id' or 'provider_id'")
        return self


class NewProgram(_Strict):
    provider_id: str
    provider_name: str
    cip_code: str | None = None
    soc_code: str | None = None
    award_level: str
    completers: float = Field(ge=0)

    @model_validator(mode="after")
    def _code(self) -> NewProgram:
        if self.cip_code is None and self.soc_code is None:
            raise ValueError("a new program needs a cip_code (or a soc_code for an apprenticeship)")
        return self


class Scenario(_Strict):
    name: str = Field(pattern=r"^[A-Za-z0-9][A-Za-z0-9_.-]*$")
    description: str = ""
    demand: list[DemandShock] = Field(default_factory=list)
    supply: list[SupplyChange] = Field(default_factory=list)
    new_programs: list[NewProgram] = Field(default_factory=list)
    close_programs: list[str] = Field(default_factory=list)
    parameters: dict[str, Any] = Field(default_factory=dict)
    target_year: int | None = None
    history_start: int | None = Field(default=None, description="Forecast from this year's employment on "
                                      "(years.history_start): the industry forecasts are refitted.")


def load_scenario(path: str | Path) -> Scenario:
    """Read a scenario from TOML, naming the first problem in one line."""
    path = Path(path)
    if not path.is_file():
        raise ConfigError(f"{path}: scenario file not found")
    try:
        return Scenario.model_validate(tomllib.loads(path.read_text(encoding="utf-8")))
    except tomllib.TOMLDecodeError as exc:
        raise ConfigError(f"{path}: not valid TOML: {exc}") from None
    except ValidationError as exc:
        err = exc.errors()[0]
        where = ".".join(str(p) for p in err["loc"]) or "(top level)"
        raise ConfigError(f"{path}: '{where}': {err['msg']}") from None


def apply(base: RunResult, scenario: Scenario) -> RunResult:
    """The run as it would be under ``scenario``: same tables, re-run from the first change.

    A changed parameter or target year re-runs every stage that depends on it (as the stages
    declare); a changed table re-runs the stages it feeds. Edits to a table are applied after the
    stage that writes it has run again, so an industry shock lands on the new forecast.
    """
    config = _scenario_config(base.config, scenario)
    keys = changed_keys(base.config.public_dict(), config.public_dict())
    edits: dict[str, Any] = {}
    industry = [s for s in scenario.demand if s.industry is not None]
    occupation = [s for s in scenario.demand if s.occupation is not None]
    if industry:
        edits["industry_projection"] = lambda t: _shock(t, "naics_code", industry, config)
    if occupation:  # occupation shocks land on the occupation projection, once industries are occupations
        edits["occupation_projection"] = lambda t: _shock(t, "soc_code", occupation, config)
    if scenario.supply or scenario.new_programs or scenario.close_programs:
        edits["programs"] = lambda t: _change_programs(t, scenario)
    plan = affected(STAGES, config, keys=keys, tables=edits)
    _refuse_what_cannot_rerun(scenario, plan, keys, edits)
    tables, warnings = dict(base.tables), []
    rewritten = {name for s in plan for name in s.writes}
    for name, edit in edits.items():
        if name not in rewritten:
            tables[name] = _edited(name, tables[name], edit, config)
    for s in plan:
        try:
            result = s(config, tables, rerun=True)
        except KeyError as exc:
            raise AlignError(f"scenario {scenario.name}: the run does not keep table {exc}, which stage {s.name} "
                             f"needs to run again (a run written by an older align?): run `align run` "
                             f"again and apply the scenario to the new run") from None
        for name, edit in edits.items():
            if name in result.tables:
                result.tables[name] = _edited(name, result.tables[name], edit, config)
        tables.update(result.tables)
        warnings += [as_text(w) for w in result.warnings]
    supplied = set(tables["allocation"]["program_id"])
    for p in scenario.new_programs:
        pid = f"{p.provider_id}:{p.cip_code or p.soc_code}:{p.award_level}"
        if pid not in supplied:
            warnings.append(f"new program {pid} supplies no occupation in the demand table (its code maps to none, "
                            f"or its award is below their entry education)")
    manifest = {**base.manifest, "scenario": scenario.model_dump(mode="json"),
                "base_run": base.manifest.get("run_id"), "config": config.public_dict(),
                "rerun_stages": [s.name for s in plan]}
    return RunResult(config, tables, manifest, warnings=[*base.warnings, *warnings])


def _scenario_config(config: RunConfig, scenario: Scenario) -> RunConfig:
    """The base run's configuration with the scenario's parameters and target year."""
    if scenario.parameters:
        merged = {**config.parameters.model_dump(), **scenario.parameters}
        try:
            params = Parameters.model_validate(merged)
        except ValidationError as exc:
            err = exc.errors()[0]
            raise ConfigError(f"scenario {scenario.name}: parameters.{'.'.join(map(str, err['loc']))}: "
                              f"{err['msg']}") from None
        config = config.model_copy(update={"parameters": params})
    if scenario.target_year is not None and scenario.target_year != config.years.target:
        if scenario.target_year <= config.years.base:
            raise ConfigError(f"scenario {scenario.name}: target year must come after {config.years.base}")
        config = config.model_copy(update={"years": config.years.model_copy(update={"target": scenario.target_year})})
    if scenario.history_start is not None:
        if scenario.history_start >= config.years.base:
            raise ConfigError(f"scenario {scenario.name}: history_start must come before the base year "
                              f"{config.years.base}")
        config = config.model_copy(update={"years": config.years.model_copy(
            update={"history_start": scenario.history_start})})
    return config


def _refuse_what_cannot_rerun(scenario: Scenario, plan: list[Stage], keys: set[str], edits: dict) -> None:
    """A stage that reads the inputs as published (which a run does not keep) cannot be re-run here."""
    for s in plan:
        if s.inputs and s.rerun is None:
            why = sorted(k for k in keys if s.depends_on(k)) or sorted(set(edits) & set(s.reads))
            raise ConfigError(
                f"scenario {scenario.name}: {', '.join(why)} feeds the {s.name} stage, which reads the inputs "
                f"{', '.join(s.inputs)} as published; a finished run keeps only the slice it used, so this change "
                f"cannot be re-run from the run: change region.toml and run `align run` again")


def _edited(name: str, table: pd.DataFrame, edit: Any, config: RunConfig) -> pd.DataFrame:
    """A scenario's edit to one table, made on the table as its stage computes it (one region)."""
    return keyed(name, edit(unkeyed(name, table)), config.region.slug)


def _shock(projection: pd.DataFrame, key: str, shocks: list[DemandShock], config: Any) -> pd.DataFrame:
    out = projection.set_index(key).copy()
    base_year, target_year = config.years.base, config.years.target
    for s in shocks:
        code = s.industry if key == "naics_code" else s.occupation
        if s.start_year > target_year:
            raise InputError(f"the shock to {code} starts in {s.start_year}, after the target year {target_year}, "
                             f"so it would change nothing", file="scenario demand shock",
                             expected=f"a start_year up to {target_year}")
        if code not in out.index:
            what = "industry" if key == "naics_code" else "occupation"
            raise InputError(f"{what} {code!r} is not in this run", file=f"scenario demand shock ({what})",
                             expected=f"one of {', '.join(list(out.index)[:8])}, …")
        at_base, at_target = s.jobs_in(base_year), s.jobs_in(target_year)
        out.loc[code, "employment_base"] += at_base
        for col in IMPACT_COLUMNS[1:]:
            out.loc[code, col] += at_target
        if (out.loc[code, IMPACT_COLUMNS] < 0).any():
            raise InputError(f"removing {-s.jobs:,.0f} jobs leaves {code} with negative employment",
                             file="scenario demand shock", expected="a reduction no larger than the employment")
    return out.reset_index()


def _change_programs(programs: pd.DataFrame, scenario: Scenario) -> pd.DataFrame:
    out = programs.copy()
    for change in scenario.supply:
        mask = (out["program_id"] == change.program_id) if change.program_id else (
            out["provider_id"] == change.provider_id)
        if not mask.any():
            what = f"program {change.program_id!r}" if change.program_id else f"provider {change.provider_id!r}"
            raise InputError(f"{what} is not in this run", file="scenario supply change",
                             expected="a program_id or provider_id from programs.csv")
        new = out.loc[mask, "completers"] + change.add_completers
        if (new < 0).any():
            raise InputError(f"removing {-change.add_completers:g} completers leaves a negative count "
                             f"(current {out.loc[mask, 'completers'].min():g})", file="scenario supply change",
                             expected="a reduction no larger than the current completers")
        out.loc[mask, "completers"] = new
    for pid in scenario.close_programs:
        if pid not in set(out["program_id"]):
            raise InputError(f"program {pid!r} is not in this run", file="scenario close_programs",
                             expected="a program_id from programs.csv")
    out = out[~out["program_id"].isin(scenario.close_programs)]
    rows = []
    for p in scenario.new_programs:
        code = p.cip_code or p.soc_code
        rows.append({"program_id": f"{p.provider_id}:{code}:{p.award_level}", "provider_id": p.provider_id,
                     "provider_name": p.provider_name, "cip_code": p.cip_code, "soc_code": p.soc_code,
                     "award_level": p.award_level, "award_label": award_label(p.award_level),
                     "completers": p.completers, "completers_sd": 0.0, "provider_kind": "scenario"})
    if rows:
        added = pd.DataFrame(rows)
        clash = set(added["program_id"]) & set(out["program_id"])
        if clash:
            raise InputError(f"new program(s) {sorted(clash)} already exist", file="scenario new_programs",
                             expected="a change to the existing program instead")
        out = pd.concat([out, added], ignore_index=True)
    return schemas.validate(out, "programs", origin="scenario programs")


COMPARED = ("annual_openings", "effective_supply", "gap", "supply_demand_ratio", "probability_shortage")


def compare(base: RunResult, *scenarios: RunResult) -> pd.DataFrame:
    """Per occupation and scenario: the change in openings, supply, gap, ratio, probability and flag."""
    b = base.tables["gaps"].set_index("soc_code")
    frames = []
    for scn in scenarios:
        name = scn.manifest.get("scenario", {}).get("name", "scenario")
        s = scn.tables["gaps"].set_index("soc_code")
        idx = b.index.union(s.index)
        frame = pd.DataFrame({"scenario": name, "occupation_title": b["occupation_title"].reindex(idx)
                              .fillna(s["occupation_title"].reindex(idx))}, index=idx)
        for col in COMPARED:
            frame[f"{col}_base"] = b[col].reindex(idx)
            frame[f"{col}_scenario"] = s[col].reindex(idx)
            frame[f"{col}_change"] = frame[f"{col}_scenario"] - frame[f"{col}_base"]
        frame["flag_base"] = b["flag"].reindex(idx)
        frame["flag_scenario"] = s["flag"].reindex(idx)
        frame["flag_changed"] = frame["flag_base"].fillna("") != frame["flag_scenario"].fillna("")
        frames.append(frame.rename_axis("soc_code").reset_index())
    out = pd.concat(frames, ignore_index=True) if frames else pd.DataFrame()
    return out.sort_values(["scenario", "gap_change"], key=lambda c: c.abs() if c.name == "gap_change" else c,
                           ascending=[True, False]).reset_index(drop=True)


def changed(comparison: pd.DataFrame, tolerance: float = 0.05) -> pd.DataFrame:
    """Only the occupations a scenario moved (any compared value by more than ``tolerance``)."""
    moved = pd.concat([comparison[f"{c}_change"].abs() > tolerance for c in COMPARED[:3]], axis=1).any(axis=1)
    return comparison[moved | comparison["flag_changed"]]


def comparison_chart(comparison: pd.DataFrame, n: int = 12) -> Any:
    """A matplotlib figure of the largest changes in gap, per scenario."""
    import matplotlib.pyplot as plt

    top = changed(comparison).reindex(changed(comparison)["gap_change"].abs().sort_values(ascending=False).index)
    top = top.head(n).iloc[::-1]
    fig, ax = plt.subplots(figsize=(7.5, 0.4 * max(len(top), 1) + 1.2))
    several = top["scenario"].nunique() > 1  # name the scenario only when there is more than one
    labels = [f"{t[:48]}{f' ({s})' if several else ''}" for t, s in zip(top["occupation_title"], top["scenario"],
                                                                         strict=True)]
    colours = ["#D55E00" if v > 0 else "#0072B2" for v in top["gap_change"]]
    ax.barh(labels, top["gap_change"], color=colours)
    ax.axvline(0, color="#333333", lw=0.8)
    ax.set_xlabel("Change in gap (openings − supply) per year; < 0 means the shortage shrinks")
    ax.spines[["top", "right"]].set_visible(False)
    fig.tight_layout()
    return fig
