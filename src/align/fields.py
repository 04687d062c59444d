"""The field dictionary: every column name align writes, with its type, unit and meaning.

This is the one place a column is defined. Table schemas (:mod:`align.schemas`) are built from
it and the report's data dictionary is printed from it, so a column means the same thing in
every table, file and chart.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Literal

Kind = Literal["soc", "cip", "naics", "fips", "state_fips", "str", "int", "float", "bool"]


@dataclass(frozen=True)
class Field:
    name: str
    kind: Kind
    unit: str
    description: str


def _f(name: str, kind: Kind, unit: str, description: str) -> Field:
    return Field(name, kind, unit, description)


_ALL = [
    # identifiers and codes
    _f("region_id", "str", "", "Slug of the planning region (from region.toml)."),
    _f("geography", "str", "", "Area a staffing pattern or rate was measured in (e.g. US, a state or MSA code)."),
    _f("soc_code", "soc", "", "Standard Occupational Classification 2018 code, e.g. 29-1141."),
    _f("occupation_title", "str", "", "Occupation title as published with the code."),
    _f("cip_code", "cip", "", "Classification of Instructional Programs 2020 code, e.g. 51.3801."),
    _f("cip_title", "str", "", "Program (CIP) title as published."),
    _f("naics_code", "naics", "", "Industry code as published (NAICS, or a QCEW/NAICS range such as 31-33)."),
    _f("industry_title", "str", "", "Industry title."),
    _f("county_fips", "fips", "", "5-digit county FIPS code (2-digit state + 3-digit county)."),
    _f("state_fips", "state_fips", "", "2-digit state FIPS code."),
    _f("provider_id", "str", "", "Training provider id (IPEDS UNITID, or an inventory id)."),
    _f("provider_name", "str", "", "Training provider name."),
    _f("provider_kind", "str", "", "Where the provider's data comes from: ipeds, etpl, apprenticeship or other."),
    _f("program_id", "str", "", "Program id: provider, CIP code and award level joined by ':'."),
    _f("award_level", "str", "", "Award level: IPEDS AWLEVEL code as text (e.g. 3 = associate's)."),
    _f("award_label", "str", "", "Award level in words."),
    _f("cbsa", "str", "", "Core-based statistical area (metro) code, where known."),
    _f("period", "int", "year", "Reference year of the value."),
    _f("source", "str", "", "Connector or file the row came from."),
    _f("vintage", "str", "", "Release of the source (e.g. QCEW 2024 annual, EP 2024-34)."),
    # industry demand
    _f("employment", "float", "jobs", "Employment (annual average)."),
    _f("is_suppressed", "bool", "", "True where the publisher withheld the value (it is then missing, never zero)."),
    _f("share_of_industry_employment", "float", "fraction", "Share of the industry's employment in the occupation (0–1)."),
    # separations
    _f("labor_force_exit_rate", "float", "fraction/yr", "Annual share of workers leaving the labour force (BLS EP)."),
    _f("occupational_transfer_rate", "float", "fraction/yr", "Annual share of workers moving to another occupation (BLS EP)."),
    _f("typical_entry_education", "str", "", "BLS typical education needed for entry."),
    _f("work_experience", "str", "", "BLS work experience in a related occupation."),
    _f("on_the_job_training", "str", "", "BLS typical on-the-job training."),
    # supply
    _f("year", "int", "year", "Academic year of the award (ending year, e.g. 2024 = 2023-24)."),
    _f("completers", "float", "persons/yr", "Awards conferred (first majors), averaged over the configured years."),
    _f("capacity_seats", "float", "seats", "Seats the provider reports for the program, where given."),
    _f("work_based_learning", "bool", "", "The program includes an externship, apprenticeship or clinical placement."),
    # demand stage outputs
    _f("employment_base", "float", "jobs", "Occupation employment in the base year."),
    _f("employment_target", "float", "jobs", "Projected occupation employment in the target year."),
    _f("employment_target_lo80", "float", "jobs", "Lower 80% bound of projected target-year employment."),
    _f("employment_target_hi80", "float", "jobs", "Upper 80% bound of projected target-year employment."),
    _f("growth_annual", "float", "jobs/yr", "(employment_target − employment_base) / years."),
    _f("exits_annual", "float", "jobs/yr", "Labour-force exits: exit rate × average employment over the period."),
    _f("transfers_annual", "float", "jobs/yr", "Occupational transfers: transfer rate × average employment over the period."),
    _f("annual_openings", "float", "jobs/yr", "Annual openings = growth_annual + exits_annual + transfers_annual (BLS method)."),
    _f("annual_openings_low", "float", "jobs/yr", "Annual openings at the lower 80% forecast bound."),
    _f("annual_openings_high", "float", "jobs/yr", "Annual openings at the upper 80% forecast bound."),
    # forecast
    _f("series_id", "str", "", "Identifier of one forecast series."),
    _f("forecast", "float", "jobs", "Point forecast."),
    _f("lo80", "float", "jobs", "Lower bound of the 80% prediction interval."),
    _f("hi80", "float", "jobs", "Upper bound of the 80% prediction interval."),
    _f("lo95", "float", "jobs", "Lower bound of the 95% prediction interval."),
    _f("hi95", "float", "jobs", "Upper bound of the 95% prediction interval."),
    _f("model", "str", "", "Forecast model chosen for the series by backtest."),
    _f("mase", "float", "ratio", "Backtest mean absolute scaled error of the chosen model (lower is better; 1 = naive in-sample)."),
    _f("mase_naive", "float", "ratio", "Backtest MASE of the naive (no change) baseline on the same windows."),
    # allocation and supply outputs
    _f("share", "float", "fraction", "Share of the program's completers allocated to the occupation."),
    _f("completers_allocated", "float", "persons/yr", "Completers allocated to the occupation."),
    _f("openings_allocated", "float", "jobs/yr", "Openings of the occupation allocated to the program."),
    _f("effective_supply", "float", "persons/yr", "Allocated completers × retention × participation × (1 − continuing study)."),
    _f("n_programs", "int", "", "Number of regional programs feeding the occupation."),
    _f("programs", "str", "", "Programs supplying the occupation with their contributions."),
    # gaps
    _f("gap", "float", "jobs/yr", "annual_openings − effective_supply (positive = shortage)."),
    _f("supply_demand_ratio", "float", "ratio", "effective_supply / annual_openings."),
    _f("flag", "str", "", "Undersupply, slight undersupply, balanced, slight oversupply, oversupply, no regional program, or below minimum."),
    _f("reason", "str", "", "The arithmetic behind the flag in words."),
    _f("probability_shortage", "float", "probability", "Probability that openings exceed supply given the forecast uncertainty."),
    # duplication
    _f("cluster_id", "str", "", "Duplication cluster: CIP code and award level."),
    _f("n_providers", "int", "", "Providers offering the cluster's program."),
    _f("combined_supply", "float", "persons/yr", "Combined effective supply of the cluster's programs."),
    _f("allocated_demand", "float", "jobs/yr", "Openings allocated to the cluster's programs."),
    _f("excess_supply", "float", "persons/yr", "combined_supply − allocated_demand."),
    _f("hhi", "float", "index", "Herfindahl–Hirschman concentration of providers' shares (0–1)."),
    _f("providers", "str", "", "Providers in the cluster with their completers."),
    _f("is_duplicated", "bool", "", "Combined supply exceeds allocated demand by more than the configured margin."),
    # --- fields added by connectors: QCEW, BLS API ---
    # --- fields added by connectors: OEWS, EP, state projections ---
    # --- fields added by connectors: IPEDS, CIP, O*NET, postings, inventory ---
    # --- fields added by forecasting ---
]

FIELDS: dict[str, Field] = {f.name: f for f in _ALL}
