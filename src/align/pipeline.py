"""One annual planning run, end to end: inputs → demand → supply → match → report.

The run is a chain of stages, each a function from validated tables to validated tables:

    industry       industry employment → forecasts → industry_projection (base, target, bounds)
    occupations    industry_projection × staffing pattern → occupation_projection
    openings       occupation_projection × separation rates → occupation_demand
    supply         programs × crosswalk × demand → allocation, occupation_supply, audit
    match          demand × supply → gaps, duplication

Every table a stage reads is kept in the run (the reference tables under ``reference/``), so a
scenario can replace one table and re-run only the stages below it (:mod:`align.scenario`).
This module wires the stages and records what went in; :mod:`align.runs` writes and reads the
run folder.
"""

from __future__ import annotations

import dataclasses
import os
from collections.abc import Callable
from pathlib import Path

import numpy as np
import pandas as pd

from align import connector, joins, parsecache, schemas
from align.config import Partners, RunConfig
from align.coverage import check_coverage
from align.demand.base_year import average_base, base_year_caveat
from align.demand.control import (
    CONTROLLED,
    NO_CONTROL,
    NOT_IN_PATTERN,
    control_series,
    control_to_area,
)
from align.demand.forecast import ForecastResult, forecast_panel
from align.demand.industry import regional_industry_employment
from align.demand.occupations import (
    StaffingMatrix,
    aligned_industries,
    choose_patterns,
    pattern_code,
    staffing_matrix,
    to_occupations,
    unmatched_industries,
)
from align.demand.openings import annual_openings
from align.demand.reference import state_reference
from align.demand.self_employment import add_self_employed, self_employed_shares
from align.errors import AlignError, InputError
from align.match.duplication import find_duplication
from align.match.gaps import Materiality, compute_gaps
from align.notes import board_caveats, operator, operator_notes
from align.outcomes import (
    compute_metrics,
    metric_definitions,
    prepare_records,
    read_records,
    resolve_salt,
)
from align.partners import PartnerSettings, partner_views
from align.partners.employers import code_plans
from align.pathways import build_pathways
from align.pathways.graph import occupation_wages
from align.places import county_names
from align.postings.agreement import postings_agreement
from align.postings.autocoder import load_autocoder
from align.postings.pipeline import postings_signal
from align.progress import Progress
from align.runs import RunResult, build_manifest, writable_root, write_run
from align.store import sha256_file
from align.supply.accounts import SupplyRules, check_conservation, not_occupation_specific
from align.supply.allocation import Factors, allocate, below_level, supply_bounds, supply_edges
from align.supply.education import award_rank
from align.supply.programs import build_programs, inventory_programs
from align.supply.regional import single_unit_systems
from align.supply.routes import training_routes

Forecaster = Callable[..., ForecastResult]  # forecast_panel's signature: (panel, horizon, *, reference, origin)
RUN_STEPS = 13  # the most stages a run announces (with postings and partners); see run_steps()


def run_steps(config: RunConfig) -> int:
    """Stages this configuration's run announces: read, forecast, programs, [code postings],
    six downstream stages, outcomes, [partners], write."""
    return 11 + (config.inputs.postings is not None) + has_partner_inputs(config)



# --- inputs -----------------------------------------------------------------------------------

def read_inputs(config: RunConfig) -> tuple[dict[str, pd.DataFrame], list[dict], list[str]]:
    """Parse every configured input through its connector; record each file's hash.

    Returns the tables, one record per file (for the manifest) and the notes the report must
    show (accepted gaps). Inputs made of many files are checked for duplicates and gaps first
    (:mod:`align.coverage`).
    """
    tables: dict[str, pd.DataFrame] = {}
    records: list[dict] = []
    per_file: dict[str, list[tuple[str, pd.DataFrame]]] = {}
    for name in type(config.inputs).model_fields:
        spec = getattr(config.inputs, name)
        if spec is None:
            continue
        source = connector.get(spec.source)
        frames = []
        for path in config.input_files(name):
            digest = sha256_file(path)
            frames.append(parsecache.parse(source, path, digest, spec.options))
            records.append({"table": name, "source": spec.source, "path": _relative(path, config.base_dir),
                            "sha256": digest, "bytes": path.stat().st_size,
                            "vintage": _vintage(frames[-1])})
        per_file[name] = [(r["path"], f) for r, f in zip([r for r in records if r["table"] == name], frames,
                                                          strict=True)]
        tables[name] = pd.concat(frames, ignore_index=True) if len(frames) > 1 else frames[0]
    return tables, records, _coverage_notes(config, tables, per_file)


def _coverage_notes(config: RunConfig, tables: dict[str, pd.DataFrame],
                    per_file: dict[str, list[tuple[str, pd.DataFrame]]]) -> list[str]:
    counties = config.region.counties
    providers = tables["providers"]
    regional = providers.loc[providers["county_fips"].isin(counties), "provider_id"]
    notes = check_coverage("industry_employment", per_file["industry_employment"], expected=counties,
                           accepted=config.inputs.industry_employment.accept_gaps)
    notes += check_coverage("completions", per_file["completions"], expected=regional,
                            accepted=config.inputs.completions.accept_gaps,
                            years=config.parameters.completion_years)
    return notes


def side_inputs(config: RunConfig) -> list[dict]:
    """Manifest records for the files read outside the connectors: participant records and the
    O*NET folder the postings autocoder learns from (every file in it)."""
    files: list[tuple[str, Path]] = []
    if config.outcomes is not None:
        files.append(("participants", config.base_dir / config.outcomes.records))
    if config.postings is not None:
        folder = config.base_dir / config.postings.onet
        files += [("postings_onet", p) for p in sorted(folder.rglob("*")) if p.is_file()]
    return [{"table": table, "source": table, "path": _relative(path, config.base_dir), "sha256": sha256_file(path),
             "bytes": path.stat().st_size, "vintage": None} for table, path in files]


def _relative(path: Path, base: Path) -> str:
    """The input's path relative to the configuration's folder, as the manifest records it."""
    return Path(os.path.relpath(path.resolve(), base.resolve())).as_posix()


def _vintage(df: pd.DataFrame) -> str | None:
    if "vintage" in df.columns and df["vintage"].notna().any():
        return ", ".join(sorted({str(v) for v in df["vintage"].dropna().unique()})[:5])
    return None


def reference_tables(config: RunConfig, inputs: dict[str, pd.DataFrame]) -> dict[str, pd.DataFrame]:
    """The slices of the inputs the later stages read: one staffing pattern, rates, crosswalk."""
    preference = config.parameters.staffing_geography
    if isinstance(preference, str):
        preference = [preference]
    staffing = choose_patterns(inputs["staffing_patterns"], preference)
    optional = {name: inputs[name] for name in ("occupation_wages", "onet_related", "onet_job_zones")
                if name in inputs}
    if "occupation_control" in inputs:
        optional["control_estimates"] = control_estimates(config, inputs["occupation_control"])
    return {"staffing_patterns": staffing.reset_index(drop=True),
            "separation_rates": separation_rates(inputs["occupation_projections"], staffing),
            "cip_soc": inputs["cip_soc"], **optional}


def control_area(config: RunConfig) -> list[str]:
    """The OEWS areas the occupational mix may be controlled to, closest first."""
    area = config.parameters.control_area
    if area is not None:
        return [area] if isinstance(area, str) else list(area)
    return [a for a in (config.region.cbsa, config.region.state_fips) if a]


def control_estimates(config: RunConfig, occupations: pd.DataFrame) -> pd.DataFrame:
    """The closest area's detailed-occupation rows of the OEWS control input (kept for re-runs)."""
    _, area, _ = control_series(occupations, control_area(config))
    rows = occupations[(occupations["geography"].astype(str) == area) & (occupations["o_group"] == "detailed")]
    keep = [c for c in ("geography", "area_title", "soc_code", "occupation_title", "o_group", "employment",
                        "employment_missing_reason", "period", "soc_vintage", "source", "vintage") if c in rows]
    return rows[keep].reset_index(drop=True)


def separation_rates(projections: pd.DataFrame, staffing: pd.DataFrame | None = None) -> pd.DataFrame:
    """Exit and transfer rates, entry education and a title per SOC code (detailed and summary)."""
    need = ["soc_code", "labor_force_exit_rate", "occupational_transfer_rate"]
    missing = [c for c in need if c not in projections.columns]
    if missing:
        raise InputError(f"missing column(s) {missing}", file="occupation_projections",
                         expected="an Employment Projections table with separation rates (Table 1.10)")
    keep = need + [c for c in ("occupation_title", "typical_entry_education", "work_experience",
                               "on_the_job_training", "self_employed_share") if c in projections.columns]
    rates = projections[keep].drop_duplicates("soc_code").copy()
    if "occupation_title" in rates.columns:
        rates["occupation_title"] = rates["occupation_title"].str.strip()
    if staffing is not None and "occupation_title" in staffing.columns:
        # OEWS titles are the ones boards know; EP's sentence-case titles fill the rest
        oews = staffing.dropna(subset=["occupation_title"]).drop_duplicates("soc_code").set_index(
            "soc_code")["occupation_title"]
        rates["occupation_title"] = rates["soc_code"].map(oews).fillna(rates.get("occupation_title"))
    rates["source"] = "occupation_projections"
    return schemas.validate(rates, "separation_rates", origin="separation_rates")


# --- demand -----------------------------------------------------------------------------------

def stage_industry(config: RunConfig, inputs: dict[str, pd.DataFrame], notes: list[str],
                   warnings: list[str], forecaster: Forecaster | None = None) -> dict[str, pd.DataFrame]:
    """Regional industry employment, forecast to the target year, with 80% bounds.

    ``forecaster`` stands in for :func:`forecast_panel` (same arguments): a multi-region run
    forecasts every region's panel at once and hands each region its part (:mod:`align.multiregion`).
    """
    p = config.parameters
    area = inputs["industry_employment"]
    patterns = [a for a in (f"{config.region.state_fips}000", "US000") if a in set(area["area_fips"])]
    industry = regional_industry_employment(
        area, region_id=config.region.slug, counties=config.region.counties, ownerships=p.ownerships,
        naics_digits=p.naics_digits, government_code=p.government_industry_code, pattern_areas=patterns)
    warnings.extend(_input_year_caveats(config, inputs, area))
    estimated = industry[industry["is_estimated"]]
    if len(estimated):
        warnings.append(operator(
            f"{estimated['naics_code'].nunique()} industries include suppressed QCEW cells estimated as their "
            f"published parent minus its disclosed parts, shared out by "
            f"{'the same ownership and industries in QCEW area ' + ' or '.join(patterns) if patterns else 'establishment counts'} "
            f"(is_estimated in industry_employment): {', '.join(sorted(estimated['naics_code'].unique()))}"))
    reference = None
    state_area = f"{config.region.state_fips}000"
    if p.state_reference and state_area in set(area["area_fips"]):
        reference = state_reference(area, state_area=state_area, ownerships=p.ownerships,
                                    naics_digits=p.naics_digits, government_code=p.government_industry_code)
        notes.append(f"state reference series from area {state_area}")
    return {"industry_employment": industry,
            **forecast_industries(config, industry, notes, warnings, reference=reference, forecaster=forecaster)}


def _input_year_caveats(config: RunConfig, inputs: dict[str, pd.DataFrame], area: pd.DataFrame) -> list[str]:
    """What the report must say when inputs describe other years than the base, or lack detail."""
    out, base = [], config.years.base
    years = config.parameters.completion_years or sorted(set(inputs["completions"]["year"].dropna().astype(int)))
    if years and (min(years) > base + 1 or max(years) < base - 1):
        out.append(f"supply is the completions of {', '.join(map(str, years))}, not of the base year {base} "
                   f"(the years the completions input holds): programs opened or closed since then are "
                   f"{'not yet' if max(years) < base else 'already'} counted")
    gov = area[area["own_code"].isin(["1", "2", "3"]) & (area["naics_code"] != "10")]
    if config.parameters.government_industry_code and gov.empty and area["own_code"].isin(["1", "2", "3", "8"]).any():
        out.append("the industry input counts government by level only (federal, state, local), so public schools "
                   f"and hospitals are staffed as government (industry {config.parameters.government_industry_code}) "
                   "until the occupational control places their teachers and nurses")
    return out


def forecast_industries(config: RunConfig, industry: pd.DataFrame, notes: list[str],
                        warnings: list[str], reference: pd.DataFrame | None = None,
                        forecaster: Forecaster | None = None) -> dict[str, pd.DataFrame]:
    """Forecast each industry from its history up to the base year; project base and target.

    ``reference`` (the state's series of each industry) lets the backtest consider the models
    that borrow from it (shift-share, shrinkage, the pooled model); it picks them only where they win.
    """
    years = config.years
    history = industry[industry["period"] <= years.base]
    if years.history_start:
        history = history[history["period"] >= years.history_start]
    observed = history.dropna(subset=["employment"])
    missing = sorted(set(history["naics_code"]) - set(observed["naics_code"]))
    if missing:
        warnings.append(operator(f"industries with every year suppressed, not forecast: {', '.join(missing)}"))
    panel = observed.rename(columns={"naics_code": "series_id", "employment": "value"})[
        ["series_id", "period", "value"]]
    last = int(panel["period"].max())
    if last < years.base:
        warnings.append(f"employment data end in {last}, so the base year {years.base} is itself an estimate")
    if reference is not None:
        reference = reference[reference["period"] <= years.base].dropna(subset=["value"])
    result = (forecaster or forecast_panel)(panel, years.target - last, reference=reference,
                                            origin="industry_employment")
    fc = result.forecasts
    chosen = fc.drop_duplicates("series_id")["model"].value_counts()
    notes.append(f"{panel['series_id'].nunique()} industries; models chosen: "
                 + ", ".join(f"{m} {n}" for m, n in chosen.items()))
    path = pd.concat([
        observed.rename(columns={"naics_code": "series_id", "employment": "forecast"})[
            ["series_id", "period", "forecast"]].assign(lo80=lambda d: d["forecast"], hi80=lambda d: d["forecast"]),
        fc[["series_id", "period", "forecast", "lo80", "hi80"]]], ignore_index=True)
    base = path[path["period"] == years.base].set_index("series_id")
    target = path[path["period"] == years.target].set_index("series_id")
    projection = pd.DataFrame({"employment_base": base["forecast"], "employment_target": target["forecast"],
                               "employment_target_lo80": target["lo80"],
                               "employment_target_hi80": target["hi80"]}).dropna(
        subset=["employment_base", "employment_target"])
    if years.base_average:
        projection = average_base(projection, path[path["period"] <= last], years.base_average)
        warnings.append(f"the base level is the average of {', '.join(map(str, years.base_average))} "
                        f"(years.base_average), not {years.base} alone; the forecast's growth from {years.base} is kept")
    totals = observed.pivot_table(index="period", columns="naics_code", values="employment").dropna(axis=1).sum(axis=1)
    caveat = base_year_caveat(years.base, totals)
    if caveat:
        warnings.append(caveat)
    gone = sorted(set(observed["naics_code"]) - set(projection.index))
    if gone:
        warnings.append(f"industries not observed in the base year {years.base} are left out: {', '.join(gone)}")
    no_range = int(projection["employment_target_lo80"].isna().sum())
    if no_range:
        warnings.append(f"{no_range} industries have too little history for a forecast range, so the "
                        f"occupations they employ get no range of openings and no chance of shortage")
    projection = projection.rename_axis("naics_code").reset_index()
    return {"industry_forecast": _round(fc), "forecast_accuracy": _round(result.accuracy, 4),
            "forecast_backtest": _round(result.backtest, 4),
            "industry_projection": schemas.validate(projection, "industry_projection")}


PROJECTION_COLUMNS = ["employment_base", "employment_target", "employment_target_lo80", "employment_target_hi80"]


def stage_occupations(config: RunConfig, tables: dict[str, pd.DataFrame], notes: list[str],
                      warnings: list[str]) -> dict[str, pd.DataFrame]:
    """Industry projections to occupations through the staffing pattern (one matrix product)."""
    matrix = staffing_matrix(tables["staffing_patterns"])
    values = tables["industry_projection"].set_index("naics_code")[PROJECTION_COLUMNS]
    unmatched = unmatched_industries(list(values.index), matrix)
    if unmatched:
        warnings.append(operator(f"industries without a staffing pattern (their jobs are not assigned to "
                                 f"occupations): {', '.join(unmatched)}"))
    out: dict[str, pd.DataFrame] = {}
    if "control_estimates" in tables:
        matrix, out["occupation_control"] = _controlled(matrix, values, tables, config.years.base, notes, warnings)
    occ = to_occupations(values, matrix)
    occ = occ[occ["employment_base"] > 0]
    if config.parameters.self_employment:
        occ = _with_self_employed(occ, tables["separation_rates"], notes, warnings)
    out["occupation_projection"] = schemas.validate(occ.reset_index(), "occupation_projection")
    return out


def _controlled(matrix: StaffingMatrix, values: pd.DataFrame, tables: dict[str, pd.DataFrame], base_year: int,
                notes: list[str], warnings: list[str]) -> tuple[StaffingMatrix, pd.DataFrame]:
    """The staffing pattern fitted to the control area's occupation mix; the run says how far it moved."""
    estimates = tables["control_estimates"]
    series, area, period = control_series(estimates, sorted(set(estimates["geography"].astype(str))))
    base = aligned_industries(values[["employment_base"]], matrix)["employment_base"]
    vintages = set(estimates["soc_vintage"].dropna()) if "soc_vintage" in estimates else set()
    result = control_to_area(matrix, base, series, area=area, period=period, bridge=bool(vintages - {"2018"}))
    if period is not None and period != base_year:
        warnings.append(f"the occupational control is OEWS May {period}, the base year {base_year}: the area's "
                        f"{period} mix is taken for the region's {base_year} mix, scaled to its {base_year} total")
    table = result.table
    titles = pd.Series(dtype=object)
    for source in (estimates, tables["staffing_patterns"]):  # the area's titles, else the pattern's
        if "occupation_title" in source.columns:
            titles = titles.combine_first(source.drop_duplicates("soc_code").set_index("soc_code")["occupation_title"])
    table["occupation_title"] = table["soc_code"].map(titles)
    name = estimates["area_title"].dropna().iloc[0] if "area_title" in estimates and estimates[
        "area_title"].notna().any() else area
    movers = "; ".join(f"{r.occupation_title or r.soc_code} {r.change:+,.0f}"
                       for r in result.moved_most(5).itertuples())
    counts = table["control_status"].value_counts()
    left = table[table["control_status"] == NOT_IN_PATTERN]
    warnings.append(operator(
        f"occupational mix controlled to OEWS {name} (May {period}), scaled to the region's base-year total: "
        f"the staffing pattern's mix differed from it by a dissimilarity index of {result.dissimilarity_before:.3f} "
        f"(half the sum of absolute share differences over {counts.get(CONTROLLED, 0)} detailed occupations), "
        f"{result.dissimilarity_after:.3f} after the fit; largest moves: {movers}"
        + (f"; {counts.get(NO_CONTROL, 0)} occupations without a published value keep their pattern employment"
           if counts.get(NO_CONTROL, 0) else "")
        + (f"; {len(left)} published occupations ({left['employment_control'].sum():,.0f} jobs) that no industry "
           f"of the pattern employs are left out" if len(left) else "")
        + (f"; the control is coded in SOC {', '.join(sorted(vintages))}, the pattern in SOC 2018: codes that "
           f"changed between editions are matched within their SOC broad (else minor) group" if vintages - {"2018"}
           else "")))
    if not result.fit.converged:
        warnings.append(operator(f"the occupational control did not converge: columns off by up to "
                                 f"{result.fit.max_column_error:.1%} after {result.fit.iterations} iterations"))
    notes.append(f"controlled to {name}: dissimilarity {result.dissimilarity_before:.3f} → "
                 f"{result.dissimilarity_after:.3f} ({result.fit.iterations} IPF iterations)")
    return result.matrix, schemas.validate(_round(table), "occupation_control", origin="occupation_control")


def _with_self_employed(occ: pd.DataFrame, rates: pd.DataFrame, notes: list[str], warnings: list[str]) -> pd.DataFrame:
    """Wage-and-salary employment plus the self-employed (EP's share), as BLS's rates expect."""
    if "self_employed_share" not in rates.columns or rates["self_employed_share"].isna().all():
        warnings.append("the Employment Projections input has no self-employed share: employment and openings are "
                        "wage and salary only (exits and transfers are understated where self-employment is common)")
        return occ
    share, unknown = self_employed_shares(occ.index, rates.set_index("soc_code")["self_employed_share"])
    out = add_self_employed(occ, share)
    added = out["employment_self_employed"].sum()
    warnings.append(operator(f"{added:,.0f} self-employed workers added to {out['employment_wage_salary'].sum():,.0f} "
                             f"wage-and-salary jobs (Employment Projections' percent self-employed per occupation), "
                             f"so exits and transfers apply to total employment as BLS computes them"
                             + (f"; no share for {len(unknown)} occupations (taken as 0)" if unknown else "")))
    notes.append(f"{added:,.0f} self-employed added")
    return out


def stage_openings(config: RunConfig, tables: dict[str, pd.DataFrame], notes: list[str],
                   warnings: list[str]) -> dict[str, pd.DataFrame]:
    """Annual openings by the BLS method, with the range implied by the forecast bounds."""
    occ = tables["occupation_projection"].set_index("soc_code")
    rates = tables["separation_rates"].set_index("soc_code")
    r = rates.reindex(occ.index)
    missing = sorted(occ.index[r["labor_force_exit_rate"].isna() | r["occupational_transfer_rate"].isna()])
    if missing:
        # the occupation's major group, else all occupations: the fallback BLS itself publishes
        for fallback in ([f"{s[:2]}-0000" for s in occ.index], ["00-0000"] * len(occ)):
            for col in ("labor_force_exit_rate", "occupational_transfer_rate"):
                r[col] = r[col].fillna(rates[col].reindex(fallback).set_axis(occ.index))
        warnings.append(operator(f"no separation rates for {len(missing)} occupations; their major group's (or "
                                 f"all occupations') rates are used: {', '.join(missing[:10])}"))
    unrated = occ.index[r["labor_force_exit_rate"].isna() | r["occupational_transfer_rate"].isna()]
    if len(unrated):
        raise InputError(f"no separation rates for {', '.join(unrated[:10])}", file="occupation_projections",
                         expected="an EP table with these occupations, their major group or the total row")
    if "occupation_title" in tables["staffing_patterns"].columns:
        oews = tables["staffing_patterns"].drop_duplicates("soc_code").set_index("soc_code")["occupation_title"]
        r["occupation_title"] = r.get("occupation_title", pd.Series(index=r.index, dtype=object)).fillna(
            oews.reindex(r.index))
    years = config.years.horizon

    def openings(target: str) -> pd.DataFrame:
        return annual_openings(occ["employment_base"], occ[target], years, r["labor_force_exit_rate"],
                               r["occupational_transfer_rate"])

    point = openings("employment_target")
    split = [c for c in ("employment_wage_salary", "employment_self_employed") if c in occ.columns]
    demand = pd.concat([occ[PROJECTION_COLUMNS + split], point], axis=1)
    demand["annual_openings_low"] = openings("employment_target_lo80")["annual_openings"]
    demand["annual_openings_high"] = openings("employment_target_hi80")["annual_openings"]
    demand["occupation_title"] = r.get("occupation_title")
    demand["typical_entry_education"] = r.get("typical_entry_education")
    demand["on_the_job_training"] = r.get("on_the_job_training")
    demand["work_experience"] = r.get("work_experience")
    demand = schemas.validate(_round(demand.reset_index()), "occupation_demand", origin="occupation_demand")
    notes.append(f"{len(demand)} occupations, {demand['annual_openings'].sum():,.0f} openings a year")
    return {"occupation_demand": demand}


# --- supply and match -------------------------------------------------------------------------

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


def join_notes(config: RunConfig, inputs: dict[str, pd.DataFrame], tables: dict[str, pd.DataFrame]) -> list[str]:
    """Measure every join between inputs (:mod:`align.joins`): stop above the limit, else notes."""
    limit = config.parameters.max_join_loss
    completions, providers = inputs["completions"], inputs["providers"]
    in_state = providers["state_fips"] == config.region.state_fips
    counted = completions[completions["provider_id"].isin(providers.loc[in_state, "provider_id"])]
    county = counted["provider_id"].map(providers.set_index("provider_id")["county_fips"])
    programs = tables["programs"]
    listed = set(tables["cip_soc"]["cip_code"])
    projection = tables["industry_projection"]
    known = set(tables["staffing_patterns"]["naics_code"])
    losses = [
        joins.measure("completions -> providers", "provider_id (UNITID)", "completers",
                      completions["completers"], completions["provider_id"],
                      completions["provider_id"].isin(providers["provider_id"]),
                      "institutions missing from the directory file: is it the same year and complete?"),
        joins.measure("providers -> region counties", "county_fips (COUNTYCD)", "completers in the state",
                      counted["completers"], counted["provider_id"], county.notna(),
                      "institutions whose county code is blank cannot be placed in the region"),
        joins.measure("programs -> cip_soc", "cip_code", "regional completers",
                      programs["completers"], programs["cip_code"].fillna("(none)"),
                      programs["cip_code"].isna() | programs["cip_code"].isin(listed),
                      "CIP codes absent from the crosswalk file, not even as NO MATCH: is it complete?"),
        joins.measure("industries -> staffing_patterns", "naics_code", "base-year jobs",
                      projection["employment_base"], projection["naics_code"],
                      projection["naics_code"].map(lambda c: pattern_code(c, known) in known),
                      "industries the staffing pattern does not cover get no occupations"),
    ]
    return [n for loss in losses if (n := joins.check(loss, limit)) is not None]


def stage_programs(config: RunConfig, inputs: dict[str, pd.DataFrame], notes: list[str]) -> dict[str, pd.DataFrame]:
    """Regional programs from IPEDS completions and, where configured, the training inventory."""
    p = config.parameters
    cip_soc = inputs["cip_soc"]
    titles = cip_soc.drop_duplicates("cip_code").set_index("cip_code")["cip_title"] \
        if "cip_title" in cip_soc.columns else None
    programs = build_programs(inputs["completions"], inputs["providers"], counties=config.region.counties,
                              years=p.completion_years, cip_titles=titles)
    lone = single_unit_systems(inputs["providers"], set(programs["provider_id"]))
    programs["single_unit_system"] = programs["provider_id"].map(lone.set_index("provider_id")["system_name"])
    if "training_inventory" in inputs:
        extra = inventory_programs(inputs["training_inventory"], counties=config.region.counties,
                                   years=p.completion_years, cip_titles=titles)
        programs = schemas.validate(pd.concat([programs, extra], ignore_index=True), "programs", origin="programs")
    notes.append(f"{len(programs)} regional programs, {programs['completers'].sum():,.0f} completers a year")
    return {"programs": _round(programs)}


def contributions(allocation: pd.DataFrame, programs: pd.DataFrame) -> pd.DataFrame:
    """Allocation rows with a one-line description of each program's contribution."""
    table = allocation.merge(programs[["program_id", "provider_name", "award_label"]], on="program_id")
    code = table["cip_code"].fillna("") if "cip_code" in table else ""
    return table.assign(text=table["provider_name"] + " " + code + " " + table["award_label"] + ": "
                        + table["effective_supply"].round(1).astype(str))


def stage_supply(config: RunConfig, tables: dict[str, pd.DataFrame], notes: list[str],
                 warnings: list[str]) -> dict[str, pd.DataFrame]:
    """Completers allocated to occupations (no double counting), every completer accounted for, the audit."""
    p = config.parameters
    alloc = allocate(tables["programs"], tables["cip_soc"], tables["occupation_demand"], mode=p.allocation,
                     factors=factors(config), rules=supply_rules(config), **eligibility(config))
    gap = check_conservation(alloc.accounts)
    if gap > 1e-6:
        raise AlignError(f"supply accounts do not add up: a program's completers differ from its accounts by {gap:g}")
    table = contributions(alloc.table, tables["programs"])
    supply = table.groupby("soc_code").agg(completers_allocated=("completers_allocated", "sum"),
                                           effective_supply=("effective_supply", "sum"),
                                           n_programs=("program_id", "nunique")).reset_index()
    supply["programs"] = supply["soc_code"].map(table.groupby("soc_code")["text"].agg("; ".join))
    supply = schemas.validate(_round(supply), "occupation_supply", origin="occupation_supply")
    warnings.extend(regional_notes(tables["programs"], p.regional_share))
    accounts = alloc.accounts  # unrounded, so that every program's accounts add up to its completers exactly
    notes.append(f"{len(alloc.unallocated)} programs supply no occupation in demand ({p.allocation} allocation); "
                 f"{accounts['not_occupation_specific'].sum():,.0f} completers a year not occupation-specific, "
                 f"{accounts['continuing_study'].sum():,.0f} continue studying")
    return {"allocation": _round(alloc.table), "occupation_supply": supply,
            "double_count_audit": _round(alloc.audit), "unallocated_programs": _round(alloc.unallocated),
            "supply_accounts": accounts, "not_occupation_specific": not_occupation_specific(accounts)}


def regional_notes(programs: pd.DataFrame, shares: dict[str, float]) -> list[str]:
    """What the run counted of each provider whose IPEDS report may reach beyond the region."""
    out = []
    names = programs.drop_duplicates("provider_id").set_index("provider_id")["provider_name"]
    for pid, share in sorted(shares.items()):
        out.append(f"{names.get(pid, pid)} ({pid}): {share:.0%} of its IPEDS completers counted as the region's "
                   f"([parameters.regional_share])")
    if "single_unit_system" in programs.columns:
        lone = programs.dropna(subset=["single_unit_system"]).drop_duplicates("provider_id")
        for r in lone[~lone["provider_id"].isin(list(shares))].itertuples():
            out.append(f"{r.provider_name} ({r.provider_id}) belongs to an organisation with no other IPEDS unit "
                       f"({r.single_unit_system}), so its report may cover campuses outside the region; all its "
                       f"completers are counted as regional — set [parameters.regional_share] to apportion them")
    return out


def stage_match(config: RunConfig, tables: dict[str, pd.DataFrame], notes: list[str],
                warnings: list[str]) -> dict[str, pd.DataFrame]:
    """Gaps, flags with their arithmetic, and duplicated effort."""
    p, f = config.parameters, factors(config)
    edges, _, _ = supply_edges(tables["programs"], tables["cip_soc"], tables["occupation_demand"],
                               rules=supply_rules(config), **eligibility(config))
    alt_mode = "education-weighted" if p.allocation != "education-weighted" else "proportional"
    alt = allocate(tables["programs"], tables["cip_soc"], tables["occupation_demand"], mode=alt_mode, factors=f,
                   rules=supply_rules(config), **eligibility(config)).table
    supply_sd = None
    if p.supply_uncertainty and "completers_sd" in tables["programs"].columns:
        a = tables["allocation"].merge(tables["programs"][["program_id", "completers", "completers_sd"]],
                                       on="program_id")
        # the program's swings scale with the part of it that is allocated
        scale = (a["completers_allocated"] / a["completers"].where(a["completers"] > 0)).fillna(0.0)
        supply_sd = np.sqrt(((scale * f.product * a["completers_sd"].fillna(0.0)) ** 2)
                            .groupby(a["soc_code"]).sum())
    lower = below_level(tables["programs"], tables["cip_soc"], tables["occupation_demand"]).merge(
        tables["programs"][["program_id", "provider_name", "award_label"]], on="program_id")
    lower_text = (lower["provider_name"] + " " + lower["award_label"].str.lower()).groupby(lower["soc_code"]).agg(
        lambda s: ", ".join(sorted(set(s))))
    gaps = compute_gaps(tables["occupation_demand"], tables["occupation_supply"], supply_bounds(edges, f),
                        contributions(tables["allocation"], tables["programs"]), bands=p.flag_bands,
                        min_openings=p.min_openings, factors=f,
                        alternative_supply=alt.groupby("soc_code")["effective_supply"].sum(), supply_sd=supply_sd,
                        below_level=lower_text, routes=training_routes(tables["occupation_demand"],
                                                                       inventory_occupations(tables)),
                        materiality=Materiality(p.min_program_supply, p.material_gap, p.min_program_share),
                        supply_notes=supply_notes(tables["allocation"], tables["programs"]))
    if "occupation_wages" in tables:
        wages = occupation_wages(tables["occupation_wages"]).set_index("soc_code")["wage_annual_median"]
        gaps = gaps.assign(wage_annual_median=gaps["soc_code"].map(wages))
    dup = {name: find_duplication(tables["programs"], tables["allocation"], factors=f, series=series,
                                  margin=p.duplication_margin, thin_completers=p.thin_program_completers,
                                  material_supply=p.duplication_material_supply,
                                  material_excess=p.duplication_material_excess)
           for name, series in (("duplication", False), ("duplication_series", True))}
    notes.append(", ".join(f"{n} {flag}" for flag, n in gaps["flag"].value_counts().items()))
    return {"gaps": _round(gaps), **{k: _round(v) for k, v in dup.items()}}


def supply_notes(allocation: pd.DataFrame, programs: pd.DataFrame, share: float = 0.5,
                 one_provider: float = 0.75) -> pd.Series:
    """Per occupation, what its supply rests on, where a board should know: one provider supplying
    more than ``one_provider`` of it, or doctorates (hired in a national market) more than ``share``."""
    a = allocation.merge(programs[["program_id", "provider_id", "provider_name"]], on="program_id")
    total = a.groupby("soc_code")["effective_supply"].sum()
    by = a.groupby(["soc_code", "provider_id", "provider_name"])["effective_supply"].sum().reset_index()
    by["share"] = by["effective_supply"] / by["soc_code"].map(total)
    top = by[(by["share"] > one_provider) & (by.groupby("soc_code")["provider_id"].transform("nunique") > 1)]
    notes = pd.Series((top["provider_name"] + " supplies " + (100 * top["share"]).round().astype(int).astype(str)
                       + "%, so the finding rests on that one provider").to_numpy(), index=top["soc_code"].to_numpy())
    doctoral = a[award_rank(a["award_level"]) == 5].groupby("soc_code")["effective_supply"].sum() / total
    doctoral = doctoral[doctoral > share]
    phd = pd.Series("doctoral graduates make up " + (100 * doctoral).round().astype(int).astype(str)
                    + "% of this supply, and doctorates are hired in a national market", index=doctoral.index)
    both = pd.concat([notes, phd])
    return both.groupby(level=0).agg("; ".join)


def inventory_occupations(tables: dict[str, pd.DataFrame]) -> set[str]:
    """Occupations the run's training inventory (non-IPEDS programs) supplies."""
    programs = tables["programs"]
    if "provider_kind" not in programs.columns:
        return set()
    listed = set(programs.loc[programs["provider_kind"].fillna("ipeds") != "ipeds", "program_id"])
    a = tables["allocation"]
    return set(a.loc[a["program_id"].isin(listed), "soc_code"])


def stage_pathways(config: RunConfig, tables: dict[str, pd.DataFrame], notes: list[str],
                   warnings: list[str]) -> dict[str, pd.DataFrame]:
    """Career pathways from O*NET related occupations, where the run has them."""
    if "onet_related" not in tables:
        notes.append("skipped: no O*NET related-occupations input configured")
        return {}
    out = build_pathways(tables["occupation_demand"], tables["gaps"], tables["programs"], tables["cip_soc"],
                         tables["onet_related"], tables.get("onet_job_zones"), tables.get("occupation_wages"))
    notes.append(f"{len(out['pathways'])} upward moves, {len(out['entry_points'])} entry points, "
                 f"{len(out['pathway_gaps'])} pathway gaps")
    return out


def stage_postings(config: RunConfig, tables: dict[str, pd.DataFrame], notes: list[str],
                   warnings: list[str]) -> dict[str, pd.DataFrame]:
    """Postings beside the projections: volume, agreement label, never a replacement for openings."""
    if "postings" not in tables:
        notes.append("skipped: no postings input configured")
        return {}
    kept = tables["postings"]
    kept = kept[kept["duplicate_of"].isna()] if "duplicate_of" in kept.columns else kept
    agreement = postings_agreement(kept, tables["occupation_demand"])
    a = agreement.set_index("soc_code")
    gaps = tables["gaps"].assign(n_postings=lambda g: g["soc_code"].map(a["n_postings"]),
                                 agreement_label=lambda g: g["soc_code"].map(a["agreement_label"]))
    rho = agreement.attrs.get("rank_correlation")
    notes.append(f"{int(agreement['n_postings'].sum()):,} postings coded to the region's occupations"
                 + (f"; rank correlation with openings {rho:.2f}" if rho is not None else ""))
    return {"postings_agreement": agreement, "gaps": schemas.validate(gaps, "gaps", origin="gaps")}


DOWNSTREAM = {"occupations": stage_occupations, "openings": stage_openings, "supply": stage_supply,
              "match": stage_match, "pathways": stage_pathways, "postings": stage_postings}
TITLES = {"occupations": "Turning industries into occupations", "openings": "Computing annual openings",
          "supply": "Allocating program completers to occupations", "match": "Matching openings with supply",
          "pathways": "Mapping career pathways", "postings": "Comparing job postings with the projections"}


def code_postings_input(config: RunConfig, inputs: dict[str, pd.DataFrame], notes: list[str],
                        warnings: list[str]) -> dict[str, pd.DataFrame]:
    """Code posting titles to SOC, de-duplicate re-posts and count per occupation (once per run)."""
    if "postings" not in inputs or config.postings is None:
        if "postings" in inputs:
            warnings.append(operator("postings given but no [postings] section (O*NET folder): postings not coded"))
        return {}
    p = config.postings
    model = load_autocoder(config.base_dir / p.onet,
                           census_index=config.base_dir / p.census_index if p.census_index else None,
                           corrections=config.base_dir / p.corrections if p.corrections else None)
    signal = postings_signal(inputs["postings"], model, threshold=p.threshold, window_days=p.window_days,
                             period="year", counties=config.region.counties)
    s = signal.summary
    notes.append(f"{int(s['postings']):,} postings, {s['share_coded']:.0%} coded above {p.threshold:g} confidence "
                 f"({s['share_review']:.0%} flagged for review), {s['duplicate_rate']:.1%} duplicates")
    return {"postings": signal.postings, "postings_occupation": signal.by_occupation}


def stage_outcomes(config: RunConfig, notes: list[str], warnings: list[str]) -> dict[str, pd.DataFrame]:
    """Shared outcome metrics from participant records; person ids are hashed as they are read."""
    o = config.outcomes
    if o is None:
        return {}
    salt, note = resolve_salt(o.salt_env)
    if note:
        warnings.append(operator(note))
    records = prepare_records(read_records(config.base_dir / o.records), salt=salt, origin=o.records)
    metrics = compute_metrics(records, min_cell=o.min_cell, as_of=o.as_of, hire_window_days=o.hire_window_days,
                              region_id=config.region.slug, origin=o.records)
    notes.append(f"{len(records)} participant records, {len(metrics)} metric cells")
    return {"metrics": metrics, "metric_definitions": metric_definitions()}


def has_partner_inputs(config: RunConfig) -> bool:
    return config.inputs.employer_hiring_plans is not None or config.inputs.partner_inventory is not None


def stage_partners(config: RunConfig, inputs: dict[str, pd.DataFrame], tables: dict[str, pd.DataFrame],
                   progress: Progress, warnings: list[str]) -> dict[str, pd.DataFrame]:
    """Employer-reported demand, coordinated funding and support services beside the gaps (when given)."""
    if not has_partner_inputs(config):
        return {}
    with progress.stage("Setting employer plans, funding and support services beside the gaps") as notes:
        return _partner_tables(config, inputs, tables, notes, warnings)


def _partner_settings(config: RunConfig) -> PartnerSettings:
    p, o = config.partners or Partners(), config.outcomes
    return PartnerSettings(min_employers=p.min_employers, dominance=p.dominance, far_more_ratio=p.far_more_ratio,
                           stacked_streams=p.stacked_streams, essential_services=tuple(p.essential_services),
                           min_cell=o.min_cell if o else 10, unknown_programs=p.unknown_programs)


def refresh_partner_views(config: RunConfig, tables: dict[str, pd.DataFrame],
                          warnings: list[str]) -> dict[str, pd.DataFrame]:
    """The partner views again after a scenario changed demand or supply, from the coded survey and
    the inventory the run keeps as reference tables (support outcomes do not depend on either)."""
    if "employer_hiring_plans" not in tables and "partner_inventory" not in tables:
        return {}
    settings = dataclasses.replace(_partner_settings(config), unknown_programs="note")  # e.g. a closed program
    return partner_views(tables, region_id=config.region.slug, settings=settings,
                         plans=tables.get("employer_hiring_plans"), inventory=tables.get("partner_inventory"),
                         warnings=warnings)


def _partner_tables(config: RunConfig, inputs: dict[str, pd.DataFrame], tables: dict[str, pd.DataFrame],
                    notes: list[str], warnings: list[str]) -> dict[str, pd.DataFrame]:
    p, o = config.partners or Partners(), config.outcomes
    settings = _partner_settings(config)
    plans = inputs.get("employer_hiring_plans")
    if plans is not None:
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
    out = partner_views(tables, region_id=config.region.slug, settings=settings, plans=plans,
                        inventory=inputs.get("partner_inventory"), records=records,
                        outcome_options={"as_of": o.as_of, "hire_window_days": o.hire_window_days} if o else None,
                        notes=notes, warnings=warnings)
    kept = {"employer_hiring_plans": plans} if plans is not None else {}  # reference only: never published
    if "partner_inventory" in inputs:
        kept["partner_inventory"] = inputs["partner_inventory"]
    return {**out, **kept}


def run_from(stage: str, config: RunConfig, tables: dict[str, pd.DataFrame], *,
             progress: Progress | None = None, warnings: list[str] | None = None) -> dict[str, pd.DataFrame]:
    """Re-run ``stage`` and every stage below it on a copy of ``tables``; returns the new tables."""
    if stage not in DOWNSTREAM:
        raise AlignError(f"unknown stage {stage!r}; one of {list(DOWNSTREAM)}")
    progress = progress or Progress(total=0, enabled=False)
    warnings = warnings if warnings is not None else []
    out = dict(tables)
    names = list(DOWNSTREAM)
    for name in names[names.index(stage):]:
        with progress.stage(TITLES[name]) as notes:
            out.update(DOWNSTREAM[name](config, out, notes, warnings))
    return out


def _with_industry_titles(industry: pd.DataFrame, staffing: pd.DataFrame) -> pd.DataFrame:
    """Name the industries (QCEW slices carry codes only) from the staffing pattern's titles."""
    if "industry_title" not in staffing.columns:
        return industry
    titles = staffing.dropna(subset=["industry_title"]).drop_duplicates("naics_code").set_index("naics_code")[
        "industry_title"]
    known = set(titles.index)
    named = industry["naics_code"].map(lambda c: titles.get(pattern_code(c, known)))
    current = industry["industry_title"] if "industry_title" in industry.columns else named
    return industry.assign(industry_title=current.fillna(named))


def _round(df: pd.DataFrame, digits: int = 3) -> pd.DataFrame:
    """Round floats so tables are stable and readable (sub-person precision means nothing here)."""
    out = df.copy()
    floats = out.select_dtypes("float").columns
    out[floats] = out[floats].astype("float64").round(digits)
    return out


# --- the whole run ----------------------------------------------------------------------------

def run(config: RunConfig, *, progress: Progress | None = None, write: bool = True,
        report: bool = True, pdf: bool = True, inputs: tuple | None = None,
        forecaster: Forecaster | None = None) -> RunResult:
    """Run every stage for one region and (by default) write the run folder, PDFs included.

    ``inputs`` (what :func:`read_inputs` returned) and ``forecaster`` let a multi-region run read
    each input once and forecast all regions as one panel (:mod:`align.multiregion`).
    """
    progress = progress or Progress(total=RUN_STEPS)
    progress.total = run_steps(config)
    warnings: list[str] = []
    if write:  # an output folder that cannot be written is said before the work, not after it
        writable_root((config.base_dir / config.output_dir / config.region.slug).resolve())
    with progress.stage("Reading inputs through their connectors") as notes:
        inputs, records, accepted = inputs or read_inputs(config)
        records = records + side_inputs(config)
        warnings.extend(accepted)
        notes.append(f"{len(records)} files")
    with progress.stage("Forecasting industry employment") as notes:
        tables = stage_industry(config, inputs, notes, warnings, forecaster=forecaster)
    tables.update(reference_tables(config, inputs))
    tables["industry_employment"] = _with_industry_titles(tables["industry_employment"], tables["staffing_patterns"])
    with progress.stage("Collecting regional programs") as notes:
        tables.update(stage_programs(config, inputs, notes))
    warnings.extend(join_notes(config, inputs, tables))
    if "postings" in inputs:
        with progress.stage("Coding job postings to occupations") as notes:
            tables.update(code_postings_input(config, inputs, notes, warnings))
    tables = run_from("occupations", config, tables, progress=progress, warnings=warnings)
    with progress.stage("Computing shared outcome metrics") as notes:
        tables.update(stage_outcomes(config, notes, warnings))
    tables.update(stage_partners(config, inputs, tables, progress, warnings))
    result = RunResult(config, tables, build_manifest(config, records, tables, warnings), warnings=warnings)
    result.manifest["region"]["county_names"] = county_names(inputs.get("providers"), config.region.counties)
    if write:
        with progress.stage("Writing tables, manifest and report") as notes:
            result.folder = write_run(result, report=report, pdf=pdf)
            notes.append(str(result.folder))
    for w in board_caveats(warnings):
        progress._print(f"      note: {w}")
    for w in operator_notes(warnings):
        progress._print(f"      note for the operator: {w}")
    return result


