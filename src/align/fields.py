"""The field dictionary: every column name align writes, with its type, unit and meaning.

This is the one place a column is defined. Table schemas (:mod:`align.schemas`) are built from
it and the report's data dictionary is printed from it, so a column means the same thing in
every table, file and chart.
"""

from __future__ import annotations

from dataclasses import dataclass, replace
from typing import Literal

Kind = Literal["soc", "cip", "naics", "fips", "state_fips", "str", "int", "float", "bool"]


@dataclass(frozen=True)
class Field:
    name: str
    kind: Kind
    unit: str
    description: str
    minimum: float | None = None
    """Smallest valid value (``schemas.validate`` refuses anything below it), None: unbounded."""
    maximum: float | None = None

    @property
    def valid_range(self) -> str:
        if self.minimum is None and self.maximum is None:
            return ""
        lo = "" if self.minimum is None else f"{self.minimum:g}"
        hi = "" if self.maximum is None else f"{self.maximum:g}"
        return f"{lo} to {hi}" if hi else f"at least {lo}" if lo else f"at most {hi}"


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
    _f("thin_programs", "str", "", "Programs in the cluster with few completers beside larger peers."),
    _f("supply_low", "float", "persons/yr", "Least effective supply the occupation could get under any allocation."),
    _f("supply_high", "float", "persons/yr", "Most effective supply the occupation could get under any allocation."),
    _f("robustness", "str", "", "Whether the shortage or surplus holds under every allocation of completers."),
    _f("naive_demand", "float", "jobs/yr", "Sum of the openings of every occupation a program maps to (double counts)."),
    _f("inflation", "float", "jobs/yr", "naive_demand − allocated demand: what the naive method overstates."),
    _f("n_occupations", "int", "", "Occupations a program maps to."),
    _f("completers_sd", "float", "persons/yr", "Year-to-year standard deviation of completers over the years averaged."),
    _f("supply_sd", "float", "persons/yr", "Standard deviation of effective supply from year-to-year swings in completers."),
    _f("cip_series", "cip", "", "4-digit CIP series (e.g. 51.08): the wider view of a duplication cluster."),
    _f("n_cip_codes", "int", "", "Distinct 6-digit CIP codes in a series cluster."),
    # --- fields added by connectors: QCEW, BLS API ---
    _f("area_fips", "str", "", "QCEW area code as published: county FIPS 39049, state 39000, US000, MSA C1814, CSA CS198."),
    _f("own_code", "str", "", "Ownership code as published: QCEW 0 total, 1 federal, 2 state, 3 local, 5 private; OEWS 5 private, 123 government, 1235 all."),
    _f("agglvl_code", "str", "", "QCEW aggregation level (e.g. 70 county total, 74 county NAICS sector, 78 county 6-digit)."),
    _f("size_code", "str", "", "QCEW establishment size class (0 = all sizes)."),
    _f("qtr", "str", "", "Quarter of a QCEW value: 1 to 4, or A for the annual average."),
    _f("establishments", "float", "establishments", "Establishments (annual average for annual rows, the quarter's count for quarterly rows)."),
    _f("total_wages", "float", "USD", "Total wages paid in the period (the year for annual rows, the quarter for quarterly rows)."),
    _f("avg_annual_pay", "float", "USD/yr", "Average annual pay per job (QCEW annual rows only)."),
    _f("avg_weekly_wage", "float", "USD/week", "Average weekly wage per job."),
    _f("disclosure_code", "str", "", "Publisher's disclosure code: N = withheld for confidentiality, '-' = no report that quarter, empty = published."),
    _f("missing_reason", "str", "", "Why the row's values are missing (suppression or no report), None when published."),
    _f("period_code", "str", "", "BLS time-series period: M01..M12 months, M13 annual average, Q01..Q05 quarters, S01..S03, A01 annual."),
    _f("period_name", "str", "", "BLS period name as published (January, Annual, 1st Quarter...)."),
    _f("value", "float", "as published", "Value of a BLS time series in the series' own unit (e.g. thousands of jobs for CES, persons for CPS levels)."),
    _f("footnote_codes", "str", "", "BLS footnote codes on the value joined by ',' (e.g. P = preliminary), None when there are none."),
    _f("footnotes", "str", "", "BLS footnote texts on the value joined by '; ', None when there are none."),
    _f("is_latest", "bool", "", "The API marked this as the series' latest published value."),
    # --- fields added by connectors: OEWS, EP, state projections ---
    _f("area_title", "str", "", "Name of the area a row describes, as published (state, MSA, U.S.)."),
    _f("state_abbr", "str", "", "Postal abbreviation of the (primary) state, e.g. OH; US for national rows."),
    _f("o_group", "str", "", "SOC level of the row: total, major, minor, broad or detailed."),
    _f("soc_vintage", "str", "", "SOC edition the codes follow: 2000, 2000/2010 hybrid, 2010 or 2018."),
    _f("employment_missing_reason", "str", "", "Why employment is missing (publisher's marker in words), else empty."),
    _f("employment_rse", "float", "percent", "Relative standard error of the employment estimate (OEWS EMP_PRSE)."),
    _f("jobs_per_1000", "float", "per 1,000 jobs", "Occupation employment per 1,000 jobs in the area."),
    _f("location_quotient", "float", "ratio", "Occupation's share of area employment / its national share."),
    _f("annual_only", "bool", "", "OEWS publishes only annual wages for the occupation (ANNUAL = TRUE)."),
    _f("hourly_only", "bool", "", "OEWS publishes only hourly wages for the occupation (HOURLY = TRUE)."),
    *[f for col, unit, what in [
        ("wage_hourly_mean", "$/hour", "Mean hourly wage"),
        ("wage_annual_mean", "$/year", "Mean annual wage"),
        ("wage_hourly_p10", "$/hour", "10th percentile hourly wage"),
        ("wage_hourly_p25", "$/hour", "25th percentile hourly wage"),
        ("wage_hourly_median", "$/hour", "Median hourly wage"),
        ("wage_hourly_p75", "$/hour", "75th percentile hourly wage"),
        ("wage_hourly_p90", "$/hour", "90th percentile hourly wage"),
        ("wage_annual_p10", "$/year", "10th percentile annual wage"),
        ("wage_annual_p25", "$/year", "25th percentile annual wage"),
        ("wage_annual_median", "$/year", "Median annual wage"),
        ("wage_annual_p75", "$/year", "75th percentile annual wage"),
        ("wage_annual_p90", "$/year", "90th percentile annual wage"),
    ] for f in (
        _f(col, "float", unit, f"{what} (missing where not published)."),
        _f(f"{col}_missing_reason", "str", "", f"Why {col} is missing (publisher's marker in words), else empty."),
        _f(f"{col}_top_code", "float", unit, f"Top-code bound where {col} was published as at or above it (#, >=$...); the true value is at least this."),
    )],
    _f("naics_level", "str", "", "Industry aggregation level as published (OEWS I_GROUP: sector, 3-digit, 4-digit...)."),
    _f("occupation_type", "str", "", "BLS EP row type: Line item (an occupation) or Summary (an aggregate)."),
    _f("depth", "int", "level", "Hierarchy depth of the row (0 = total), from the published indentation or SOC level."),
    _f("base_year", "int", "year", "Base year of a projection."),
    _f("target_year", "int", "year", "Target (projected) year of a projection."),
    _f("employment_change", "float", "jobs", "employment_target − employment_base."),
    _f("employment_change_rate", "float", "fraction", "Employment change over the projection period as a fraction of the base (0.043 = 4.3 %)."),
    _f("separations_rate", "float", "fraction/yr", "Annual total occupational separations rate (exits + transfers)."),
    _f("self_employed_share", "float", "fraction", "Share of the occupation's base-year employment that is self-employed."),
    *[_f(f"attainment_{k}", "float", "fraction", f"Share of workers aged 25+ in the occupation whose highest education is {v} (BLS EP Table 5.3).")
      for k, v in [("less_than_high_school", "less than a high school diploma"),
                   ("high_school", "a high school diploma or equivalent"),
                   ("some_college", "some college, no degree"), ("associate", "an associate's degree"),
                   ("bachelor", "a bachelor's degree"), ("master", "a master's degree"),
                   ("doctoral", "a doctoral or professional degree")]],
    _f("doc_item", "str", "", "Item a documentation row describes (a file name, a field or a marker)."),
    _f("doc_text", "str", "", "What the publisher's documentation says about the item."),
    _f("doc_kind", "str", "", "Kind of documentation row: file, field, marker or note."),
    # --- fields added by connectors: IPEDS, CIP, O*NET, postings, inventory ---
    _f("completers_men", "float", "persons/yr", "Awards conferred to men (IPEDS CTOTALM)."),
    _f("completers_women", "float", "persons/yr", "Awards conferred to women (IPEDS CTOTALW)."),
    _f("completers_missing_reason", "str", "", "Why a published completers count is missing (e.g. N/A = not applicable)."),
    _f("highest_degree_offered", "str", "", "IPEDS Trend Generator institution category (highest degree offered)."),
    _f("city", "str", "", "City as published."),
    _f("county_name", "str", "", "County name as published."),
    _f("sector", "str", "", "IPEDS sector code (0 administrative unit, 1 public 4-year, ..., 9 private for-profit < 2-year)."),
    _f("variable_name", "str", "", "Variable (column) name in a published data dictionary."),
    _f("variable_title", "str", "", "Variable title in a published data dictionary."),
    _f("code_value", "str", "", "A coded value of the variable (missing on the variable's own row)."),
    _f("value_label", "str", "", "Label of the coded value as published."),
    _f("frequency", "int", "rows", "Number of rows with the coded value in the documented file."),
    _f("is_no_match", "bool", "", "Crosswalk NO MATCH row (99.9999 / 99-9999): the code has no counterpart, kept on purpose."),
    _f("cip_level", "int", "digits", "Depth of a CIP code: 2 (family), 4 (series) or 6 (program)."),
    _f("cip_action", "str", "", "CIP 2010→2020 change published with the code (New, Moved from, Deleted, ...)."),
    _f("cip_definition", "str", "", "CIP program definition as published."),
    _f("is_live", "bool", "", "The CIP code is valid for reporting (not Deleted, Moved to, or Reserved)."),
    _f("onet_soc_code", "soc", "", "O*NET-SOC 2019 code with its suffix, e.g. 11-1011.03."),
    _f("related_onet_soc_code", "soc", "", "O*NET-SOC code of the related occupation."),
    _f("related_soc_code", "soc", "", "Related occupation rolled up to its 6-digit SOC 2018 code."),
    _f("relatedness_tier", "str", "", "O*NET relatedness tier (Primary-Short, Primary-Long, Supplemental)."),
    _f("relatedness_index", "int", "rank", "O*NET rank of the related occupation (1 = most related)."),
    _f("occupation_description", "str", "", "Occupation description as published."),
    _f("title", "str", "", "Job title as published (a posting's title, an O*NET alternate or reported title)."),
    _f("short_title", "str", "", "O*NET short form of an alternate title, where given."),
    _f("title_source", "str", "", "Which O*NET file a title comes from: alternate or reported."),
    _f("title_source_codes", "str", "", "O*NET source codes of an alternate title (e.g. 08,10)."),
    _f("in_my_next_move", "str", "", "Y/N: the reported title is shown in My Next Move (O*NET)."),
    _f("job_zone", "int", "zone", "O*NET job zone 1-5 (preparation needed)."),
    _f("job_zone_name", "str", "", "O*NET job zone name."),
    _f("job_zone_experience", "str", "", "O*NET job zone: experience needed."),
    _f("job_zone_education", "str", "", "O*NET job zone: education needed."),
    _f("job_zone_training", "str", "", "O*NET job zone: job training needed."),
    _f("job_zone_examples", "str", "", "O*NET job zone: example occupations."),
    _f("svp_range", "str", "", "Specific Vocational Preparation range of the job zone."),
    _f("onet_date", "str", "", "Month the O*NET value was last updated (YYYY-MM)."),
    _f("domain_source", "str", "", "O*NET data source (Incumbent, Occupational Expert, Analyst, ...)."),
    _f("element_id", "str", "", "O*NET content model element id, e.g. 2.D.1."),
    _f("element_name", "str", "", "O*NET content model element name."),
    _f("scale_id", "str", "", "O*NET scale id, e.g. RL (required level of education)."),
    _f("scale_name", "str", "", "O*NET scale name."),
    _f("scale_minimum", "float", "", "Lowest value of the O*NET scale."),
    _f("scale_maximum", "float", "", "Highest value of the O*NET scale."),
    _f("category", "int", "", "Category number on a categorical O*NET scale."),
    _f("category_description", "str", "", "Label of the O*NET category."),
    _f("data_value", "float", "", "O*NET rating (percent of respondents for categorical scales)."),
    _f("sample_size", "int", "respondents", "O*NET N (respondents behind the rating)."),
    _f("standard_error", "float", "", "Standard error of the O*NET rating (missing where n/a)."),
    _f("ci_lower", "float", "", "Lower 95% confidence bound of the O*NET rating (missing where n/a)."),
    _f("ci_upper", "float", "", "Upper 95% confidence bound of the O*NET rating (missing where n/a)."),
    _f("recommend_suppress", "str", "", "O*NET Recommend Suppress flag Y/N (missing where n/a)."),
    _f("release", "str", "", "Release name as published (e.g. August 2022 Release)."),
    _f("license", "str", "", "Licence the source is published under."),
    _f("posting_id", "str", "", "Job posting id (source id, or source:row where the export has none)."),
    _f("employer", "str", "", "Hiring organisation as published."),
    _f("department", "str", "", "Parent department or agency (USAJOBS DepartmentName)."),
    _f("location_text", "str", "", "Posting location as published (the first/primary location)."),
    _f("locations", "str", "", "Every location of a multi-location posting, '; '-separated."),
    _f("n_locations", "int", "", "Number of locations listed on the posting."),
    _f("posted_date", "str", "", "Date the posting was published (ISO YYYY-MM-DD)."),
    _f("expiry_date", "str", "", "Date the posting closes (ISO YYYY-MM-DD)."),
    _f("salary_min", "float", "USD", "Lowest advertised pay, in the unit of salary_interval."),
    _f("salary_max", "float", "USD", "Highest advertised pay, in the unit of salary_interval."),
    _f("salary_interval", "str", "", "Pay interval as published (Per Year, Per Hour, ...)."),
    _f("job_category", "str", "", "Source's job category (USAJOBS occupational series code, LinkedIn work type)."),
    _f("employer_sector", "str", "", "Employer's sector/industry as published (not NAICS)."),
    _f("url", "str", "", "Link to the posting."),
    _f("program_name", "str", "", "Program name as the provider publishes it."),
    _f("award_type", "str", "", "Training inventory award vocabulary term (e.g. certificate_lt_12wk, apprenticeship)."),
    # --- fields added by forecasting ---
    _f("date", "str", "", "First day of the observation's month or quarter, ISO format (2019-07-01)."),
    _f("forecast_naive", "float", "jobs", "Naive (no change) baseline forecast for the same period."),
    _f("steps_ahead", "int", "periods", "Periods between the series' last observed value and the forecast period."),
    _f("forecast_note", "str", "", "How gaps, suppressed latest years or a too-short history were handled."),
    _f("horizon", "int", "periods", "Forecast horizon of a backtest error (1 = one period ahead)."),
    _f("smape", "float", "percent", "Symmetric mean absolute percentage error in the backtest (0–200)."),
    _f("n_origins", "int", "", "Backtest origins (windows) scored."),
    _f("n_series", "int", "", "Series included in a summary row."),
    _f("coverage80", "float", "fraction", "Share of held-back backtest values inside the 80% interval."),
    _f("coverage95", "float", "fraction", "Share of held-back backtest values inside the 95% interval."),
    # --- fields added by pathways and outcomes ---
    _f("related_occupation_title", "str", "", "Title of the related (next-step) occupation."),
    _f("related_job_zone", "int", "zone", "O*NET job zone of the related occupation."),
    _f("entry_rank", "int", "rank", "Typical entry education as a rank (0 none/high school … 5 doctorate)."),
    _f("related_entry_rank", "int", "rank", "Entry education rank of the related occupation."),
    _f("related_wage_annual_median", "float", "$/year", "Median annual wage of the related occupation."),
    _f("wage_gain", "float", "$/year", "Median annual wage of this step minus that of the previous one."),
    _f("wage_gain_pct", "float", "fraction", "Wage gain as a share of the starting wage."),
    _f("related_annual_openings", "float", "jobs/yr", "Annual openings of the related occupation in the region."),
    _f("related_flag", "str", "", "Gap flag of the related occupation."),
    _f("is_high_demand", "bool", "", "Occupation has a shortage flag or openings in the top quantile (and above the minimum)."),
    _f("edge_reason", "str", "", "Why the edge counts as advancement (job zone, education, wage), in words."),
    _f("ladder_id", "str", "", "Identifier of one ranked advancement ladder."),
    _f("ladder_rank", "int", "rank", "Rank of the ladder among those from the same start (1 = best wage gain)."),
    _f("step", "int", "", "Position on the ladder (0 = starting occupation)."),
    _f("start_soc_code", "soc", "", "First occupation of the ladder."),
    _f("end_soc_code", "soc", "", "Last (high-demand) occupation of the ladder."),
    _f("wage_gain_cumulative_pct", "float", "fraction", "Wage at this step over the starting wage, minus one."),
    _f("n_reachable", "int", "", "High-demand occupations reachable from the entry point within the step limit."),
    _f("min_steps", "int", "steps", "Fewest steps from the entry point to a high-demand occupation."),
    _f("reachable", "str", "", "SOC codes of the reachable high-demand occupations, '; '-separated."),
    _f("best_wage_gain_pct", "float", "fraction", "Largest wage gain to a reachable high-demand occupation."),
    _f("cip_family", "str", "", "4-digit CIP series (e.g. 51.38) grouping programs into a stack."),
    _f("stack_step", "int", "", "Position of the award rank within its CIP family's stack."),
    _f("award_rank", "int", "rank", "Award rank (1 certificate, 2 associate, 3 bachelor, 4 master, 5 doctorate)."),
    _f("award_rank_label", "str", "", "Award rank in words."),
    _f("award_levels", "str", "", "IPEDS award levels offered at this rank, '; '-separated."),
    _f("stack_kind", "str", "", "within provider, across providers, or single level (no regional stack)."),
    _f("occupations", "str", "", "SOC codes the family trains for that need this award rank, '; '-separated."),
    _f("is_broken", "bool", "", "The stack has openings at this rank and no regional program at it."),
    _f("gap_kind", "str", "", "shortage, no regional training, or both."),
    _f("n_ladders", "int", "", "Ladders the occupation is a step on."),
    _f("ladders", "str", "", "Ladder ids the occupation is a step on (first ten), '; '-separated."),
    _f("person_key", "str", "", "Salted HMAC-SHA256 of the participant id (the raw id is never stored)."),
    _f("pathway", "str", "", "Career pathway the participant's program belongs to (partner-assigned)."),
    _f("enrol_date", "str", "", "Date the participant enrolled (ISO YYYY-MM-DD)."),
    _f("exit_date", "str", "", "Date the participant exited (ISO YYYY-MM-DD; blank while enrolled)."),
    _f("in_training", "bool", "", "Participant was in a training service (the credential rate's denominator)."),
    _f("credential", "str", "", "Recognised credential earned, as named by the provider."),
    _f("credential_date", "str", "", "Date the credential was earned (ISO YYYY-MM-DD)."),
    _f("externship", "bool", "", "Participant started an externship."),
    _f("externship_completed", "bool", "", "Participant completed the externship."),
    _f("externship_employer", "str", "", "Employer id of the externship (e.g. UI account or FEIN, as the partner records it)."),
    _f("externship_end_date", "str", "", "Date the externship ended (ISO YYYY-MM-DD)."),
    _f("hire_date", "str", "", "Date of the first hire after (or at the end of) training (ISO YYYY-MM-DD)."),
    _f("hire_employer", "str", "", "Employer id of that hire."),
    _f("wage_pre", "float", "$/quarter", "Quarterly earnings before enrolment (average of available quarters)."),
    *[_f(f"wage_q{q}", "float", "$/quarter", f"Earnings in the {o} quarter after the exit quarter (blank: no wage record).")
      for q, o in ((1, "1st"), (2, "2nd"), (3, "3rd"), (4, "4th"))],
    *[_f(f"employer_q{q}", "str", "", f"Main employer id in the {o} quarter after exit.")
      for q, o in ((1, "1st"), (2, "2nd"), (3, "3rd"), (4, "4th"))],
    _f("group_type", "str", "", "Level a metric is reported at: region, provider, program or pathway."),
    _f("group_id", "str", "", "Id of the region, provider, program or pathway."),
    _f("metric", "str", "", "Outcome metric id (definitions in the report appendix)."),
    _f("metric_label", "str", "", "Outcome metric in words."),
    _f("definition", "str", "", "How the metric is computed: numerator, denominator, window."),
    _f("numerator", "float", "persons", "Participants counted in the numerator (missing where suppressed or n/a)."),
    _f("denominator", "float", "persons", "Participants in the denominator (missing where suppressed)."),
    _f("metric_value", "float", "", "Rate (0-1) or median in $ per quarter; missing where suppressed."),
    _f("suppression", "str", "", "Why a cell is hidden: primary (small cell) or complementary; blank if shown."),
    # --- fields added by postings ---
    _f("soc_title", "str", "", "Title of the SOC a job title was coded to ('unknown' below the confidence threshold)."),
    _f("confidence", "float", "probability", "Calibrated probability that the coded SOC is right (from held-out O*NET titles)."),
    _f("soc_alternatives", "str", "", "Top-5 SOC codes for a title with their scores (0-1), best first, '; '-separated."),
    _f("duplicate_of", "str", "", "posting_id of the earlier posting this one repeats (missing if it is the kept one)."),
    _f("posting_period", "str", "", "Period postings are counted in: 2024-05, 2024Q2, 2024, all, or undated."),
    _f("n_postings", "float", "postings", "De-duplicated postings coded to the occupation (0 is a count, not missing)."),
    _f("mean_confidence", "float", "probability", "Mean coding confidence of the postings counted."),
    _f("openings_rank_pct", "float", "fraction", "Percentile rank of projected annual openings across occupations."),
    _f("postings_rank_pct", "float", "fraction", "Percentile rank of postings volume across occupations."),
    _f("agreement_label", "str", "", "Postings vs projections: both high, both low, postings only, projections only."),
    _f("rank_correlation", "float", "", "Spearman rank correlation of postings volume and annual openings across occupations."),
]

# Valid ranges: a value outside is not an estimate but a broken file or join. Counts and money
# are never negative; shares, rates and probabilities lie in [0, 1]; no area employs more people
# than the United States (about 160 million jobs), so 200 million bounds every employment value.
_JOBS = (0.0, 2e8)
_FRACTION = (0.0, 1.0)
_RANGES: dict[str, tuple[float | None, float | None]] = {
    **dict.fromkeys(["employment", "employment_base", "employment_target"], _JOBS),
    **dict.fromkeys(["establishments", "total_wages", "avg_annual_pay", "avg_weekly_wage", "completers",
                     "completers_men", "completers_women", "capacity_seats", "exits_annual", "transfers_annual",
                     "completers_allocated", "effective_supply", "completers_sd", "supply_sd", "employment_rse",
                     "location_quotient", "salary_min", "salary_max", "n_postings", "numerator", "denominator",
                     "wage_pre", "wage_q1", "wage_q2", "wage_q3", "wage_q4", "combined_supply"], (0.0, None)),
    **dict.fromkeys(["share_of_industry_employment", "labor_force_exit_rate", "occupational_transfer_rate",
                     "separations_rate", "self_employed_share", "share", "probability_shortage", "hhi",
                     "coverage80", "coverage95", "confidence", "mean_confidence",
                     *[f"attainment_{k}" for k in ("less_than_high_school", "high_school", "some_college",
                                                   "associate", "bachelor", "master", "doctoral")]], _FRACTION),
    **{f"wage_{w}{s}": (0.0, None) for w in ("hourly_mean", "annual_mean", "hourly_p10", "hourly_p25",
                                             "hourly_median", "hourly_p75", "hourly_p90", "annual_p10",
                                             "annual_p25", "annual_median", "annual_p75", "annual_p90")
       for s in ("", "_top_code")},
    "jobs_per_1000": (0.0, 1000.0),
    "employment_change_rate": (-1.0, None),
    **dict.fromkeys(["period", "year", "base_year", "target_year"], (1900.0, 2100.0)),
}
_ALL = [replace(f, minimum=_RANGES[f.name][0], maximum=_RANGES[f.name][1]) if f.name in _RANGES else f
        for f in _ALL]

FIELDS: dict[str, Field] = {f.name: f for f in _ALL}
if len(FIELDS) != len(_ALL):  # one definition per name, or the dictionary would contradict itself
    _seen: set[str] = set()
    raise RuntimeError(f"fields defined twice: {sorted({f.name for f in _ALL if f.name in _seen or _seen.add(f.name)})}")
