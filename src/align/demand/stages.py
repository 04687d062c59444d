"""The demand stages: industry employment → forecast → occupations → annual openings.

Each is a :class:`align.stages.Stage`: a pure function of the configuration and its declared
tables, for one region, returning its tables with its notes and warnings.
"""

from __future__ import annotations

from collections.abc import Callable

import pandas as pd

from align import joins, schemas
from align.config import RunConfig
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
from align.demand.separation import rates_for, separation_rates
from align.notes import operator
from align.stages import Stage, StageResult, Tables, rounded

Forecaster = Callable[..., ForecastResult]  # forecast_panel's: (panel, horizon, *, reference, origin, pool_over)
PROJECTION_COLUMNS = ["employment_base", "employment_target", "employment_target_lo80", "employment_target_hi80"]
FORECAST_TABLES = ("industry_employment", "industry_forecast", "forecast_accuracy", "forecast_backtest",
                   "industry_projection")


def pattern_areas(config: RunConfig) -> list[str]:
    """The QCEW areas that may share out a county's suppressed cells: the state, then the nation."""
    return [f"{config.region.state_fips}000", "US000"]


def industry_inputs(config: RunConfig, t: Tables) -> StageResult:
    """The rows of the QCEW input the region's industries are made of (its counties, its state and
    the nation), kept in the run so that industry parameters can be changed in a scenario."""
    area = t["industry_employment"]
    keep = area["area_fips"].isin([*config.region.counties, *pattern_areas(config)])
    return StageResult({"area_industry_employment": area[keep].reset_index(drop=True)})


def industry(config: RunConfig, t: Tables, forecaster: Forecaster = forecast_panel) -> StageResult:
    """Regional industry employment, forecast to the target year, with 80% bounds.

    ``forecaster`` stands in for :func:`forecast_panel` (same arguments): a multi-region run
    forecasts every region's panel at once and hands each region its part (:mod:`align.multiregion`).
    """
    p, notes, warnings = config.parameters, [], []
    area = t["area_industry_employment"]
    patterns = [a for a in pattern_areas(config) if a in set(area["area_fips"])]
    employment = regional_industry_employment(
        area, region_id=config.region.slug, counties=config.region.counties, ownerships=p.ownerships,
        naics_digits=p.naics_digits, government_code=p.government_industry_code, pattern_areas=patterns)
    warnings += government_caveat(config, area)
    estimated = employment[employment["is_estimated"]]
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
    forecast = forecast_industries(config, employment, reference=reference, forecaster=forecaster)
    return StageResult({"industry_employment": employment, **forecast.tables}, notes + forecast.notes,
                       warnings + forecast.warnings)


def government_caveat(config: RunConfig, area: pd.DataFrame) -> list[str]:
    """What the report must say when the industry input counts government by level only."""
    code = config.parameters.government_industry_code
    gov = area[area["own_code"].isin(["1", "2", "3"]) & (area["naics_code"] != "10")]
    if code and gov.empty and area["own_code"].isin(["1", "2", "3", "8"]).any():
        return ["the industry input counts government by level only (federal, state, local), so public schools "
                f"and hospitals are staffed as government (industry {code}) "
                "until the occupational control places their teachers and nurses"]
    return []


def forecast_industries(config: RunConfig, industry: pd.DataFrame, reference: pd.DataFrame | None = None,
                        forecaster: Forecaster = forecast_panel) -> StageResult:
    """Forecast each industry from its history up to the base year; project base and target.

    ``reference`` (the state's series of each industry) lets the backtest consider the models
    that borrow from it (shift-share, shrinkage, the pooled model); it picks them only where they win.
    """
    years, notes, warnings = config.years, [], []
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
    result = forecaster(panel, years.target - last, reference=reference, origin="industry_employment",
                        pool_over=f"all industries of region {config.region.slug}")
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
        warnings.append(operator(f"industries not observed in the base year {years.base} are left out: "
                                 f"{', '.join(gone)}"))
    no_range = int(projection["employment_target_lo80"].isna().sum())
    if no_range:
        warnings.append(f"{no_range} industries have too little history for a forecast range, so the "
                        f"occupations they employ get no range of openings and no chance of shortage")
    projection = projection.rename_axis("naics_code").reset_index()
    return StageResult({"industry_forecast": rounded(fc), "forecast_accuracy": rounded(result.accuracy, 4),
                        "forecast_backtest": rounded(result.backtest, 4),
                        "industry_projection": schemas.validate(projection, "industry_projection")}, notes, warnings)


# --- the published references the later stages read -----------------------------------------

def references(config: RunConfig, t: Tables) -> StageResult:
    """The slices of the inputs the later stages read: one staffing pattern, rates, crosswalk."""
    preference = config.parameters.staffing_geography
    if isinstance(preference, str):
        preference = [preference]
    staffing = choose_patterns(t["staffing_patterns"], preference)
    optional = {name: t[name] for name in ("occupation_wages", "onet_related", "onet_job_zones") if name in t}
    if "occupation_control" in t:
        optional["control_estimates"] = control_estimates(config, t["occupation_control"])
    return StageResult({"staffing_patterns": staffing.reset_index(drop=True),
                        "separation_rates": separation_rates(t["occupation_projections"], staffing),
                        "cip_soc": t["cip_soc"], **optional})


def _state_industries(config: RunConfig, t: Tables, matrix: StaffingMatrix) -> pd.Series | None:
    """The state's base-year jobs per industry, arranged as the region's, where the input holds them."""
    area, p = t.get("area_industry_employment"), config.parameters
    state_area = f"{config.region.state_fips}000"
    if area is None or state_area not in set(area["area_fips"]):
        return None
    state = state_reference(area, state_area=state_area, ownerships=p.ownerships, naics_digits=p.naics_digits,
                            government_code=p.government_industry_code)
    state = state[state["period"] == config.years.base]
    if state.empty:
        return None
    jobs = state.set_index("series_id")[["value"]].rename(columns={"value": "employment_base"})
    return aligned_industries(jobs, matrix)["employment_base"].fillna(0.0)


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


def industry_titles(config: RunConfig, t: Tables) -> StageResult:
    """Name the industries (QCEW slices carry codes only) from the staffing pattern's titles, and
    measure how many base-year jobs the pattern covers (:mod:`align.joins`)."""
    industry, staffing = t["industry_employment"], t["staffing_patterns"]
    if "industry_title" in staffing.columns:
        titles = staffing.dropna(subset=["industry_title"]).drop_duplicates("naics_code").set_index("naics_code")[
            "industry_title"]
        known = set(titles.index)
        named = industry["naics_code"].map(lambda c: titles.get(pattern_code(c, known)))
        current = industry["industry_title"] if "industry_title" in industry.columns else named
        industry = industry.assign(industry_title=current.fillna(named))
    projection, known = t["industry_projection"], set(staffing["naics_code"])
    loss = joins.measure("industries -> staffing_patterns", "naics_code", "base-year jobs",
                         projection["employment_base"], projection["naics_code"],
                         projection["naics_code"].map(lambda c: pattern_code(c, known) in known),
                         "industries the staffing pattern does not cover get no occupations")
    note = joins.check(loss, config.parameters.max_join_loss)
    return StageResult({"industry_employment": industry}, warnings=[note] if note else [])


# --- occupations and openings -----------------------------------------------------------------

def occupations(config: RunConfig, t: Tables) -> StageResult:
    """Industry projections to occupations through the staffing pattern (one matrix product)."""
    notes, warnings = [], []
    matrix = staffing_matrix(t["staffing_patterns"])
    values = t["industry_projection"].set_index("naics_code")[PROJECTION_COLUMNS]
    unmatched = unmatched_industries(list(values.index), matrix)
    if unmatched:
        warnings.append(operator(f"industries without a staffing pattern (their jobs are not assigned to "
                                 f"occupations): {', '.join(unmatched)}"))
    out: dict[str, pd.DataFrame] = {}
    if "control_estimates" in t:
        matrix, out["occupation_control"] = _controlled(matrix, values, t, config, notes, warnings)
    occ = to_occupations(values, matrix)
    occ = occ[occ["employment_base"] > 0]
    if config.parameters.self_employment:
        occ = _with_self_employed(occ, t["separation_rates"], notes, warnings)
    out["occupation_projection"] = schemas.validate(occ.reset_index(), "occupation_projection")
    return StageResult(out, notes, warnings)


def _controlled(matrix: StaffingMatrix, values: pd.DataFrame, t: Tables, config: RunConfig,
                notes: list[str], warnings: list[str]) -> tuple[StaffingMatrix, pd.DataFrame]:
    """The staffing pattern fitted to the control area's occupation mix; the run says how far it moved."""
    base_year, estimates = config.years.base, t["control_estimates"]
    series, area, period = control_series(estimates, sorted(set(estimates["geography"].astype(str))))
    base = aligned_industries(values[["employment_base"]], matrix)["employment_base"]
    vintages = set(estimates["soc_vintage"].dropna()) if "soc_vintage" in estimates else set()
    area_jobs = _state_industries(config, t, matrix) if area == config.region.state_fips else None
    result = control_to_area(matrix, base, series, area=area, period=period, bridge=bool(vintages - {"2018"}),
                             area_employment=area_jobs)
    if area_jobs is not None:
        notes.append(f"the occupational control is fitted on the state's own industries (area {area}000) and its "
                     f"staffing pattern applied to the region's, so the region keeps its own industry mix")
    if period is not None and period != base_year:
        warnings.append(f"the occupational control is OEWS May {period}, the base year {base_year}: the area's "
                        f"{period} mix is taken for the region's {base_year} mix, scaled to its {base_year} total")
    table = result.table
    titles = pd.Series(dtype=object)
    for source in (estimates, t["staffing_patterns"]):  # the area's titles, else the pattern's
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
    return result.matrix, schemas.validate(rounded(table), "occupation_control", origin="occupation_control")


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


def openings(config: RunConfig, t: Tables) -> StageResult:
    """Annual openings by the BLS method, with the range implied by the forecast bounds."""
    warnings = []
    occ = t["occupation_projection"].set_index("soc_code")
    r, fallback = rates_for(occ.index, t["separation_rates"].set_index("soc_code"))
    if fallback:
        warnings.append(operator(f"no separation rates for {len(fallback)} occupations; their major group's (or "
                                 f"all occupations') rates are used: {', '.join(fallback[:10])}"))
    if "occupation_title" in t["staffing_patterns"].columns:
        oews = t["staffing_patterns"].drop_duplicates("soc_code").set_index("soc_code")["occupation_title"]
        r["occupation_title"] = r.get("occupation_title", pd.Series(index=r.index, dtype=object)).fillna(
            oews.reindex(r.index))
    years = config.years.horizon

    def for_target(target: str) -> pd.DataFrame:
        return annual_openings(occ["employment_base"], occ[target], years, r["labor_force_exit_rate"],
                               r["occupational_transfer_rate"])

    point = for_target("employment_target")
    split = [c for c in ("employment_wage_salary", "employment_self_employed") if c in occ.columns]
    demand = pd.concat([occ[PROJECTION_COLUMNS + split], point], axis=1)
    demand["annual_openings_low"] = for_target("employment_target_lo80")["annual_openings"]
    demand["annual_openings_high"] = for_target("employment_target_hi80")["annual_openings"]
    demand["occupation_title"] = r.get("occupation_title")
    demand["typical_entry_education"] = r.get("typical_entry_education")
    demand["on_the_job_training"] = r.get("on_the_job_training")
    demand["work_experience"] = r.get("work_experience")
    demand = schemas.validate(rounded(demand.reset_index()), "occupation_demand", origin="occupation_demand")
    notes = [f"{len(demand)} occupations, {demand['annual_openings'].sum():,.0f} openings a year"]
    return StageResult({"occupation_demand": demand}, notes, warnings)


INDUSTRY_INPUTS = Stage("industry_inputs", industry_inputs, inputs=("industry_employment",),
                        writes=("area_industry_employment",), config=("region",))
INDUSTRY = Stage("industry", industry, "Forecasting industry employment", reads=("area_industry_employment",),
                 writes=FORECAST_TABLES,
                 config=("region", "years", "parameters.ownerships", "parameters.naics_digits",
                         "parameters.government_industry_code", "parameters.state_reference"))
REFERENCES = Stage("references", references,
                   inputs=("staffing_patterns", "occupation_projections", "cip_soc", "occupation_wages",
                           "onet_related", "onet_job_zones", "occupation_control"),
                   writes=("staffing_patterns", "separation_rates", "cip_soc", "occupation_wages", "onet_related",
                           "onet_job_zones", "control_estimates"),
                   config=("parameters.staffing_geography", "parameters.control_area", "region.cbsa",
                           "region.state_fips"))
INDUSTRY_TITLES = Stage("industry_titles", industry_titles,
                        reads=("industry_employment", "industry_projection", "staffing_patterns"),
                        writes=("industry_employment",), config=("parameters.max_join_loss",))
OCCUPATIONS = Stage("occupations", occupations, "Turning industries into occupations",
                    reads=("staffing_patterns", "industry_projection", "control_estimates", "separation_rates",
                           "area_industry_employment"),
                    writes=("occupation_projection", "occupation_control"),
                    config=("years.base", "parameters.self_employment", "region.state_fips",
                            "parameters.ownerships", "parameters.naics_digits",
                            "parameters.government_industry_code"))
OPENINGS = Stage("openings", openings, "Computing annual openings",
                 reads=("occupation_projection", "separation_rates", "staffing_patterns"),
                 writes=("occupation_demand",), config=("years",))
