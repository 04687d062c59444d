"""Table contracts: which fields each canonical table holds, its key, and validation.

A stage's output is validated before anything downstream sees it, so a broken join or a code
read as a number stops the run at the stage that caused it, naming the table and column.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np
import pandas as pd

from align import codes
from align.errors import SchemaError
from align.fields import FIELDS, Field

_CODE_NORMALISERS = {
    "soc": codes.soc,
    "cip": codes.cip,
    "naics": codes.naics,
    "fips": codes.fips,
    "state_fips": codes.state_fips,
}


@dataclass(frozen=True)
class TableSchema:
    name: str
    key: tuple[str, ...]
    required: tuple[str, ...]
    optional: tuple[str, ...] = ()
    nullable: tuple[str, ...] = ()

    @property
    def columns(self) -> tuple[str, ...]:
        return self.required + self.optional

    def fields(self) -> list[Field]:
        return [FIELDS[c] for c in self.columns]


def _t(name: str, key: tuple[str, ...], required: tuple[str, ...], optional: tuple[str, ...] = (),
       nullable: tuple[str, ...] = ()) -> TableSchema:
    unknown = [c for c in (*required, *optional) if c not in FIELDS]
    if unknown:  # a schema may only use dictionary fields
        raise KeyError(f"table {name}: fields not in the field dictionary: {unknown}")
    return TableSchema(name, key, required, optional, nullable)


TABLES: dict[str, TableSchema] = {
    t.name: t
    for t in [
        _t("industry_employment", ("region_id", "naics_code", "period"),
           ("region_id", "naics_code", "period", "employment", "is_suppressed"),
           ("industry_title", "source", "vintage", "is_estimated"), nullable=("employment",)),
        _t("staffing_patterns", ("geography", "naics_code", "soc_code"),
           ("geography", "naics_code", "soc_code", "share_of_industry_employment"),
           ("occupation_title", "is_suppressed", "source", "vintage"),
           nullable=("share_of_industry_employment",)),
        _t("separation_rates", ("soc_code",),
           ("soc_code", "labor_force_exit_rate", "occupational_transfer_rate"),
           ("occupation_title", "typical_entry_education", "work_experience", "on_the_job_training",
            "self_employed_share", "source", "vintage"),
           nullable=("labor_force_exit_rate", "occupational_transfer_rate", "self_employed_share")),
        _t("providers", ("provider_id",), ("provider_id", "provider_name", "provider_kind"),
           ("county_fips", "state_fips", "cbsa", "source", "vintage"), nullable=("county_fips", "cbsa")),
        _t("completions", ("provider_id", "cip_code", "award_level", "year"),
           ("provider_id", "cip_code", "award_level", "year", "completers"), ("source", "vintage")),
        _t("programs", ("program_id",),
           ("program_id", "provider_id", "cip_code", "award_level", "completers"),
           ("provider_name", "cip_title", "award_label", "capacity_seats", "work_based_learning",
            "provider_kind", "soc_code", "program_name", "completers_sd"),
           nullable=("cip_code", "capacity_seats", "soc_code", "work_based_learning", "program_name",
                     "completers_sd")),
        _t("cip_soc", ("cip_code", "soc_code"), ("cip_code", "soc_code"),
           ("cip_title", "occupation_title", "vintage")),
        _t("industry_forecast", ("series_id", "period"),
           ("series_id", "period", "forecast", "lo80", "hi80", "lo95", "hi95", "model"),
           ("mase", "mase_naive"),
           # a series too short to backtest has no error history to size its interval from
           nullable=("mase", "mase_naive", "lo80", "hi80", "lo95", "hi95")),
        _t("industry_projection", ("naics_code",),
           ("naics_code", "employment_base", "employment_target", "employment_target_lo80",
            "employment_target_hi80"), nullable=("employment_target_lo80", "employment_target_hi80")),
        _t("occupation_projection", ("soc_code",),
           ("soc_code", "employment_base", "employment_target", "employment_target_lo80",
            "employment_target_hi80"), ("employment_wage_salary", "employment_self_employed"),
           nullable=("employment_target_lo80", "employment_target_hi80")),
        _t("occupation_control", ("soc_code",),
           ("soc_code", "employment_pattern", "employment_control", "employment_controlled", "control_status"),
           ("occupation_title",), nullable=("employment_control", "employment_controlled")),
        _t("occupation_demand", ("soc_code",),
           ("soc_code", "occupation_title", "employment_base", "employment_target", "growth_annual",
            "exits_annual", "transfers_annual", "annual_openings", "annual_openings_low",
            "annual_openings_high"),
           ("employment_target_lo80", "employment_target_hi80", "typical_entry_education",
            "on_the_job_training", "work_experience", "employment_wage_salary", "employment_self_employed"),
           nullable=("annual_openings_low", "annual_openings_high", "employment_target_lo80",
                     "employment_target_hi80")),
        _t("allocation", ("program_id", "soc_code"),
           ("program_id", "soc_code", "share", "completers_allocated", "openings_allocated"),
           ("provider_id", "cip_code", "award_level", "effective_supply", "match"), nullable=("cip_code",)),
        _t("supply_accounts", ("program_id",),
           ("program_id", "completers", "regional_share", "outside_region", "continuing_study_share",
            "continuing_study", "post_licensure", "not_occupation_specific", "completers_allocated", "unallocated"),
           ("provider_id", "provider_name", "cip_code", "cip_title", "award_level", "award_label", "program_kind",
            "account_note"), nullable=("cip_code",)),
        _t("not_occupation_specific", ("program_id",),
           ("program_id", "completers", "not_occupation_specific"),
           ("provider_name", "cip_code", "cip_title", "award_level", "award_label", "program_kind",
            "continuing_study", "completers_allocated", "account_note"), nullable=("cip_code",)),
        _t("occupation_supply", ("soc_code",),
           ("soc_code", "completers_allocated", "effective_supply", "n_programs"), ("programs",)),
        _t("gaps", ("soc_code",),
           ("soc_code", "occupation_title", "annual_openings", "effective_supply", "gap",
            "supply_demand_ratio", "flag", "reason"),
           ("annual_openings_low", "annual_openings_high", "probability_shortage", "growth_annual",
            "exits_annual", "transfers_annual", "n_programs", "programs", "typical_entry_education",
            "on_the_job_training", "work_experience", "supply_low", "supply_high", "robustness",
            "wage_annual_median", "supply_sd", "usual_routes", "routes_not_covered", "coverage", "material", "board_list",
            "rank"),
           nullable=("supply_demand_ratio", "probability_shortage", "wage_annual_median",
                     "annual_openings_low", "annual_openings_high", "rank")),
        _t("duplication", ("cluster_id",),
           ("cluster_id", "cip_code", "award_level", "n_providers", "combined_supply",
            "allocated_demand", "excess_supply", "hhi", "is_duplicated", "providers"),
           ("cip_title", "award_label", "thin_programs", "material")),
        _t("duplication_series", ("cluster_id",),
           ("cluster_id", "cip_series", "award_level", "n_providers", "n_cip_codes", "combined_supply",
            "allocated_demand", "excess_supply", "hhi", "is_duplicated", "providers"),
           ("award_label", "thin_programs", "material")),
        _t("double_count_audit", ("program_id",),
           ("program_id", "naive_demand", "n_occupations", "openings_allocated", "inflation")),
        # --- tables added by connectors: QCEW, BLS API ---
        _t("area_industry_employment",
           ("area_fips", "own_code", "naics_code", "agglvl_code", "size_code", "period", "qtr"),
           ("area_fips", "own_code", "naics_code", "agglvl_code", "size_code", "period", "qtr",
            "employment", "establishments", "total_wages", "is_suppressed"),
           ("avg_annual_pay", "avg_weekly_wage", "disclosure_code", "missing_reason", "source",
            "vintage", "industry_title", "area_type", "area_title", "industry_published"),
           nullable=("employment", "establishments", "total_wages", "avg_annual_pay",
                     "avg_weekly_wage")),
        _t("bls_series", ("series_id", "period", "period_code"),
           ("series_id", "period", "period_code", "value", "is_latest"),
           ("period_name", "footnote_codes", "footnotes", "source", "vintage"), nullable=("value",)),
        # --- tables added by connectors: OEWS, EP, state projections ---
        _t("occupation_employment", ("geography", "soc_code", "o_group", "period"),
           ("geography", "soc_code", "occupation_title", "o_group", "employment", "period",
            "soc_vintage"),
           ("area_title", "state_abbr", "employment_missing_reason", "employment_rse",
            "jobs_per_1000", "location_quotient",
            *[c for w in ("hourly_mean", "annual_mean", "hourly_p10", "hourly_p25", "hourly_median",
                          "hourly_p75", "hourly_p90", "annual_p10", "annual_p25", "annual_median",
                          "annual_p75", "annual_p90")
              for c in (f"wage_{w}", f"wage_{w}_missing_reason", f"wage_{w}_top_code")],
            "annual_only", "hourly_only", "is_suppressed", "source", "vintage"),
           nullable=("employment", "employment_rse", "jobs_per_1000", "location_quotient",
                     *[f"wage_{w}{s}" for w in ("hourly_mean", "annual_mean", "hourly_p10",
                                                  "hourly_p25", "hourly_median", "hourly_p75",
                                                  "hourly_p90", "annual_p10", "annual_p25",
                                                  "annual_median", "annual_p75", "annual_p90")
                       for s in ("", "_top_code")])),
        _t("occupation_projections", ("geography", "soc_code"),
           ("geography", "soc_code", "occupation_title", "base_year", "target_year"),
           ("area_title", "occupation_type", "depth", "employment_base", "employment_target",
            "employment_change", "employment_change_rate", "labor_force_exit_rate",
            "occupational_transfer_rate", "separations_rate", "exits_annual", "transfers_annual",
            "annual_openings", "self_employed_share", "typical_entry_education", "work_experience",
            "on_the_job_training", "wage_hourly_median", "wage_hourly_median_missing_reason",
            "wage_annual_median", "wage_annual_median_missing_reason", "wage_annual_median_top_code",
            "attainment_less_than_high_school", "attainment_high_school", "attainment_some_college",
            "attainment_associate", "attainment_bachelor", "attainment_master",
            "attainment_doctoral", "source", "vintage"),
           nullable=("depth", "employment_base", "employment_target", "employment_change",
                     "employment_change_rate", "labor_force_exit_rate",
                     "occupational_transfer_rate", "separations_rate", "exits_annual",
                     "transfers_annual", "annual_openings", "self_employed_share",
                     "wage_hourly_median", "wage_annual_median", "wage_annual_median_top_code",
                     "attainment_less_than_high_school", "attainment_high_school",
                     "attainment_some_college", "attainment_associate", "attainment_bachelor",
                     "attainment_master", "attainment_doctoral")),
        _t("source_documentation", ("doc_kind", "doc_item"), ("doc_kind", "doc_item", "doc_text"),
           ("source", "vintage")),
        # --- tables added by connectors: IPEDS, CIP, O*NET, postings, inventory ---
        _t("award_levels", ("award_level",), ("award_level", "award_label")),
        _t("ipeds_codebook", ("variable_name", "code_value"), ("variable_name",),
           ("variable_title", "code_value", "value_label", "frequency", "vintage"),
           nullable=("frequency",)),
        _t("ipeds_trend", ("year", "award_label", "highest_degree_offered"),
           ("year", "award_label", "highest_degree_offered", "completers"),
           ("completers_missing_reason", "source"), nullable=("completers",)),
        _t("cip_codes", ("cip_code",), ("cip_code", "cip_title", "cip_level", "is_live"),
           ("cip_action", "cip_definition", "vintage")),
        _t("onet_occupations", ("onet_soc_code",), ("onet_soc_code", "soc_code", "occupation_title"),
           ("occupation_description", "vintage")),
        _t("onet_titles", (), ("onet_soc_code", "soc_code", "title", "title_source"),
           ("short_title", "title_source_codes", "in_my_next_move", "vintage")),
        _t("onet_related", ("onet_soc_code", "related_onet_soc_code"),
           ("onet_soc_code", "soc_code", "related_onet_soc_code", "related_soc_code",
            "relatedness_tier", "relatedness_index"), ("vintage",)),
        _t("onet_job_zones", ("onet_soc_code",), ("onet_soc_code", "soc_code", "job_zone"),
           ("onet_date", "domain_source", "vintage")),
        _t("onet_job_zone_reference", ("job_zone",), ("job_zone", "job_zone_name"),
           ("job_zone_experience", "job_zone_education", "job_zone_training", "job_zone_examples",
            "svp_range", "vintage")),
        _t("onet_education", ("onet_soc_code", "element_id", "scale_id", "category"),
           ("onet_soc_code", "soc_code", "element_id", "element_name", "scale_id", "category",
            "data_value"),
           ("category_description", "sample_size", "standard_error", "ci_lower", "ci_upper",
            "recommend_suppress", "onet_date", "domain_source", "vintage"),
           nullable=("category", "sample_size", "standard_error", "ci_lower", "ci_upper")),
        _t("onet_education_categories", ("element_id", "scale_id", "category"),
           ("element_id", "element_name", "scale_id", "category", "category_description"),
           ("vintage",)),
        _t("onet_scales", ("scale_id",), ("scale_id", "scale_name", "scale_minimum", "scale_maximum"),
           ("vintage",)),
        _t("onet_release", ("vintage",), ("vintage", "release"), ("license", "source")),
        _t("postings", ("posting_id",), ("posting_id", "title", "source"),
           ("employer", "department", "location_text", "city", "state_abbr", "state_fips",
            "county_fips", "locations", "n_locations", "posted_date", "expiry_date", "soc_code",
            "salary_min", "salary_max", "salary_interval", "job_category", "employer_sector", "url"),
           nullable=("state_fips", "county_fips", "soc_code", "salary_min", "salary_max")),
        _t("training_inventory", ("provider_id", "program_name", "award_type", "year"),
           ("provider_id", "provider_name", "provider_kind", "program_name", "award_type",
            "award_level", "work_based_learning"),
           ("program_id", "county_fips", "cip_code", "soc_code", "capacity_seats", "year",
            "completers", "source"),
           nullable=("county_fips", "cip_code", "soc_code", "capacity_seats", "year", "completers")),
        # --- tables added by forecasting ---
        _t("series_observations", ("series_id", "date"), ("series_id", "date", "value"),
           ("vintage", "source"), nullable=("value",)),
        _t("series_forecast", ("series_id", "date"),
           ("series_id", "date", "forecast", "lo80", "hi80", "lo95", "hi95", "model"),
           ("mase", "mase_naive", "forecast_naive", "steps_ahead", "forecast_note"),
           nullable=("mase", "mase_naive")),
        _t("forecast_backtest", ("series_id", "model", "horizon"),
           ("series_id", "model", "horizon", "mase", "smape", "n_origins"), ("pool_over",),
           nullable=("mase", "smape")),
        _t("forecast_accuracy", ("model",), ("model", "n_series", "mase", "smape", "coverage80",
                                             "coverage95"), ("pool_over",),
           nullable=("mase", "smape", "coverage80", "coverage95")),
        # --- tables added by pathways and outcomes ---
        _t("pathways", ("soc_code", "related_soc_code"),
           ("soc_code", "occupation_title", "related_soc_code", "related_occupation_title",
            "relatedness_tier", "relatedness_index", "wage_gain", "wage_gain_pct", "edge_reason"),
           ("job_zone", "related_job_zone", "entry_rank", "related_entry_rank", "wage_annual_median",
            "related_wage_annual_median", "related_annual_openings", "related_flag", "is_high_demand"),
           nullable=("relatedness_index", "wage_gain", "wage_gain_pct", "job_zone", "related_job_zone",
                     "wage_annual_median", "related_wage_annual_median")),
        _t("entry_points", ("soc_code",),
           ("soc_code", "occupation_title", "n_reachable", "min_steps", "reachable"),
           ("job_zone", "typical_entry_education", "wage_annual_median", "annual_openings",
            "best_wage_gain_pct", "n_programs", "programs"),
           nullable=("job_zone", "wage_annual_median", "best_wage_gain_pct")),
        _t("ladders", ("ladder_id", "step"),
           ("ladder_id", "ladder_rank", "step", "start_soc_code", "end_soc_code", "soc_code",
            "occupation_title", "wage_annual_median", "wage_gain", "wage_gain_cumulative_pct",
            "annual_openings", "n_programs", "programs"),
           ("job_zone", "typical_entry_education", "flag", "is_high_demand"),
           nullable=("wage_annual_median", "wage_gain", "wage_gain_cumulative_pct", "job_zone")),
        _t("stacks", ("cip_family", "award_rank"),
           ("cip_family", "stack_step", "award_rank", "award_rank_label", "n_programs", "programs",
            "stack_kind", "is_broken", "reason"),
           ("award_levels", "providers", "n_providers", "occupations", "annual_openings")),
        _t("pathway_gaps", ("soc_code",),
           ("soc_code", "occupation_title", "annual_openings", "gap_kind", "n_ladders", "reason"),
           ("flag", "typical_entry_education", "wage_annual_median", "n_programs", "ladders"),
           nullable=("wage_annual_median",)),
        _t("participants", ("person_key", "program_id", "enrol_date"),
           ("person_key", "program_id", "provider_id", "enrol_date", "in_training", "externship",
            "externship_completed"),
           ("pathway", "exit_date", "credential", "credential_date", "externship_employer",
            "externship_end_date", "hire_date", "hire_employer", "wage_pre", "wage_q1", "wage_q2",
            "wage_q3", "wage_q4", "employer_q1", "employer_q2", "employer_q3", "employer_q4",
            "support_received"),
           nullable=("wage_pre", "wage_q1", "wage_q2", "wage_q3", "wage_q4")),
        _t("metrics", ("group_type", "group_id", "metric"),
           ("group_type", "group_id", "metric", "numerator", "denominator", "metric_value",
            "is_suppressed", "suppression"), ("metric_label",),
           nullable=("numerator", "denominator", "metric_value")),
        _t("metric_definitions", ("metric",), ("metric", "metric_label", "definition")),
        # --- tables added by postings ---
        _t("postings_occupation", ("soc_code", "posting_period"),
           ("soc_code", "posting_period", "n_postings"), ("mean_confidence",),
           nullable=("mean_confidence",)),
        _t("postings_agreement", ("soc_code",),
           ("soc_code", "annual_openings", "n_postings", "agreement_label", "rank_correlation"),
           ("occupation_title", "openings_rank_pct", "postings_rank_pct"),
           nullable=("annual_openings", "rank_correlation", "openings_rank_pct", "postings_rank_pct")),
        # --- tables added by the partner side ---
        _t("employer_hiring_plans", (),
           ("employer_id", "hires_year1", "source"),
           ("employer_name", "job_title", "soc_code", "county_fips", "hires_year2", "hires_year3",
            "starting_wage_annual", "required_credential", "externship_slots", "apprenticeship_slots",
            "survey_year", "soc_source", "soc_title", "confidence", "hires_annual"),
           nullable=("soc_code", "county_fips", "hires_year2", "hires_year3", "starting_wage_annual",
                     "externship_slots", "apprenticeship_slots", "survey_year", "confidence")),
        _t("partner_inventory", ("program_id", "partner_id", "item_kind", "item"),
           ("program_id", "partner_id", "partner_name", "partner_kind", "item_kind", "item"),
           ("pathway", "annual_amount", "notes", "source"), nullable=("annual_amount",)),
        _t("employer_demand", ("group_type", "group_id", "metric"),
           ("group_type", "group_id", "metric", "n_employers", "metric_value", "is_suppressed", "suppression"),
           ("metric_label",), nullable=("n_employers", "metric_value")),
        _t("demand_signals", ("soc_code",),
           ("soc_code", "occupation_title", "annual_openings", "employer_hires_annual", "employer_signal",
            "signal_agreement"),
           ("flag", "gap", "n_postings", "openings_rank_pct", "postings_rank_pct", "postings_signal",
            "n_employers", "employer_hires_ratio", "starting_wage_annual", "wage_annual_median",
            "is_suppressed", "suppression"),
           nullable=("employer_hires_annual", "n_postings", "openings_rank_pct", "postings_rank_pct",
                     "n_employers", "employer_hires_ratio", "starting_wage_annual", "wage_annual_median")),
        _t("externships", ("soc_code",),
           ("soc_code", "occupation_title", "externship_need", "externship_slots", "externship_balance"),
           ("apprenticeship_slots", "need_programs", "is_suppressed", "suppression"),
           nullable=("externship_slots", "externship_balance", "apprenticeship_slots")),
        _t("program_funding", ("program_id",),
           ("program_id", "n_funding_streams", "funding_streams", "annual_funding"),
           ("provider_name", "program_name", "pathway", "support_services", "work_based_learning_kinds",
            "partners", "serves_soc_code", "serves_occupation_title")),
        _t("occupation_funding", ("soc_code",),
           ("soc_code", "occupation_title", "annual_openings", "n_funding_streams", "funding_allocated",
            "funding_per_opening", "is_funded", "arithmetic"),
           ("flag", "gap", "funding_streams"), nullable=("funding_per_opening",)),
        _t("funding_coordination", ("program_id",),
           ("program_id", "n_funding_streams", "funding_streams", "unfunded_soc_code", "unfunded_gap", "reason"),
           ("provider_name", "program_name", "serves_soc_code", "serves_occupation_title", "serves_gap",
            "unfunded_occupation_title"), nullable=("serves_gap",)),
        _t("pathway_support", ("pathway",),
           ("pathway", "n_programs", "services_offered", "essential_missing", "lacks_essential"),
           ("completion_rate", "completion_rate_region", "retention_rate", "programs"),
           nullable=("completion_rate", "completion_rate_region", "retention_rate")),
        _t("data_dictionary", ("field",), ("field", "type", "unit", "valid_range", "description")),
        _t("support_outcomes", ("service", "received", "metric"),
           ("service", "received", "metric", "numerator", "denominator", "metric_value", "is_suppressed",
            "suppression"), ("metric_label",), nullable=("numerator", "denominator", "metric_value")),
    ]
}


REGION_KEY = "region_id"
# Tables that describe one region: a run keys them by ``region_id`` (stamped by the stage runner,
# :mod:`align.stages`), so the tables of many regions concatenate and partition without a clash.
# The rest are published references shared by every region (staffing patterns, rates, crosswalks).
PER_REGION = frozenset({
    "industry_employment", "area_industry_employment", "industry_forecast", "forecast_accuracy", "forecast_backtest",
    "industry_projection", "occupation_projection", "occupation_control", "occupation_demand",
    "regional_completions", "regional_providers", "programs", "allocation", "occupation_supply", "supply_accounts",
    "not_occupation_specific", "double_count_audit", "unallocated_programs", "gaps", "duplication",
    "duplication_series", "pathways", "entry_points", "ladders", "stacks", "pathway_gaps", "metrics",
    "postings", "postings_occupation", "postings_agreement", "employer_hiring_plans", "partner_inventory",
    "demand_signals", "employer_demand", "externships", "program_funding", "occupation_funding",
    "funding_coordination", "pathway_support", "support_outcomes"})


def key_of(table: str, df: pd.DataFrame) -> tuple[str, ...]:
    """The table's key in ``df``: its contract's key, led by ``region_id`` where the table is per region."""
    key = TABLES[table].key
    if table in PER_REGION and REGION_KEY in df.columns and REGION_KEY not in key:
        return (REGION_KEY, *key)
    return key


def validate(df: pd.DataFrame, table: str, *, origin: str | None = None) -> pd.DataFrame:
    """Check ``df`` against the named table's contract and return it with canonical types.

    Codes are normalised (and must arrive as text), numbers coerced, nulls allowed only where
    the contract says so, and the key must be unique. Extra columns are kept at the end.
    """
    schema = TABLES[table]
    where = origin or f"table {table}"
    missing = [c for c in schema.required if c not in df.columns]
    if missing:
        raise SchemaError(f"missing column(s) {missing}", file=where, expected=f"columns {list(schema.required)}")
    out = df.copy(deep=False)  # copy-on-write: changing out never reaches df
    present = [name for name in schema.columns if name in out.columns]
    for name in present:
        col = out[name]
        canonical = _coerce(col, FIELDS[name], where, nullable=name in schema.nullable)
        if canonical is not col:  # a column already canonical is kept as it is
            out[name] = canonical
    for name in present:
        _check_range(out[name], FIELDS[name], where)
    if table in SHARE_GROUPS:
        _check_share_sums(out, table, where)
    if not len(schema.key):  # a table without a key still never holds the same row twice
        twice = out.duplicated(keep="first")
        if twice.any():
            row = int(np.flatnonzero(twice.to_numpy())[0])
            raise SchemaError(f"row repeated exactly ({int(twice.sum())} repeats; a line copied twice?)", file=where,
                              row=row + 1, expected="each row once")
    key = list(key_of(table, out))
    if key:
        dup = out.duplicated(key, keep=False)
        if dup.any():
            first = out.loc[dup, key].iloc[0].to_dict()
            raise SchemaError(f"duplicate key {first} ({int(dup.sum())} rows)", file=where,
                              column=", ".join(key), expected="a unique key")
    rest = [c for c in out.columns if c not in schema.columns]
    if list(out.columns) != present + rest:
        out = out[present + rest]
    index = out.index
    plain = isinstance(index, pd.RangeIndex) and index.start == 0 and index.step == 1 and index.name is None
    return out if plain else out.reset_index(drop=True)


def _coerce(col: pd.Series, field: Field, where: str, *, nullable: bool) -> pd.Series:
    null = col.isna()
    if null.any() and not nullable and field.kind not in ("str",):
        row = int(np.flatnonzero(null.to_numpy())[0])
        raise SchemaError("missing value", file=where, row=row + 1, column=field.name,
                          expected=f"a {field.kind} value in every row")
    if field.kind in _CODE_NORMALISERS:
        if null.any():  # nullable code column: normalise what is there, keep the rest missing
            out = pd.Series(None, index=col.index, dtype=object, name=col.name)
            out[~null] = _coerce_codes(col[~null], field, where)
            return out
        return _coerce_codes(col, field, where)
    if field.kind in ("float", "int"):
        if (field.kind == "float" and col.dtype == np.float64) or (
                field.kind == "int" and col.dtype == np.int64 and not nullable):
            return col  # already the canonical type (the missing values were checked above)
        num = pd.to_numeric(col, errors="coerce")
        bad = num.isna() & ~null
        if bad.any():
            row = int(np.flatnonzero(bad.to_numpy())[0])
            raise SchemaError(f"not a number: {col.iloc[row]!r}", file=where, row=row + 1,
                              column=field.name, expected=field.kind)
        if field.kind == "int":
            if (num.dropna() % 1 != 0).any():
                raise SchemaError("not a whole number", file=where, column=field.name, expected="int")
            return num.astype("Int64") if nullable else num.astype("int64")
        return num.astype("float64")
    if field.kind == "bool":
        if col.dtype == bool:
            return col
        if null.any():
            out = pd.Series(None, index=col.index, dtype=object, name=col.name)
            out[~null] = _coerce(col[~null], field, where, nullable=False)
            return out
        mapped = col.map({True: True, False: False, "True": True, "False": False, "true": True,
                          "false": False, "Y": True, "N": False})
        if mapped.isna().any():
            row = int(np.flatnonzero(mapped.isna().to_numpy())[0])
            raise SchemaError(f"not a yes/no value: {col.iloc[row]!r}", file=where, row=row + 1,
                              column=field.name, expected="true/false")
        return mapped.astype(bool)
    if col.dtype == object and not null.any():
        return col
    return col.astype(object).where(~null, None)


# Shares that split one whole: within each group they may fall short of 1 (suppressed or summary
# rows left out) but never exceed it by more than rounding.
SHARE_GROUPS: dict[str, tuple[tuple[str, ...], str, float]] = {
    "staffing_patterns": (("geography", "naics_code"), "share_of_industry_employment", 1.02),
}


def _check_range(col: pd.Series, field: Field, where: str) -> None:
    """Refuse a value outside the field's valid range, naming the first row that breaks it."""
    if (field.minimum is None and field.maximum is None) or not pd.api.types.is_numeric_dtype(col.dtype):
        return
    values = col.to_numpy(dtype=float, na_value=np.nan)
    bad = np.zeros(len(values), dtype=bool)
    if field.minimum is not None:
        bad |= values < field.minimum
    if field.maximum is not None:
        bad |= values > field.maximum
    bad |= np.isinf(values)
    if bad.any():
        i = int(np.flatnonzero(bad)[0])
        raise SchemaError(f"implausible value {values[i]:g} ({int(bad.sum())} row(s) out of range)", file=where,
                          row=i + 1, column=field.name,
                          expected=f"{field.valid_range}{' ' + field.unit if field.unit else ''}")


def _check_share_sums(df: pd.DataFrame, table: str, where: str) -> None:
    keys, column, limit = SHARE_GROUPS[table]
    if column not in df.columns or not set(keys) <= set(df.columns):
        return
    sums = df.groupby(list(keys), sort=True)[column].sum()
    over = sums[sums > limit]
    if len(over):
        key = dict(zip(keys, over.index[0] if isinstance(over.index[0], tuple) else (over.index[0],), strict=True))
        raise SchemaError(f"{column} sums to {over.iloc[0]:.3g} for {key} ({len(over)} group(s) above {limit:g})",
                          file=where, column=column, expected="the shares of one whole summing to at most 1")


def _coerce_codes(col: pd.Series, field: Field, where: str) -> pd.Series:
    if pd.api.types.is_float_dtype(col.dtype) or pd.api.types.is_integer_dtype(col.dtype):
        raise SchemaError(f"codes stored as numbers ({col.dtype})", file=where, column=field.name,
                          expected="codes as text")
    return codes.normalise_column(col, _CODE_NORMALISERS[field.kind], file=where, column=field.name)


def data_dictionary(tables: list[str] | None = None) -> pd.DataFrame:
    """The fields used by the given tables (all by default), for the report's appendix."""
    names: list[str] = []
    for t in tables or list(TABLES):
        names += [c for c in TABLES[t].columns if c not in names]
    return pd.DataFrame(
        [(f.name, f.kind, f.unit, f.valid_range, f.description) for f in (FIELDS[n] for n in names)],
        columns=["field", "type", "unit", "valid_range", "description"],
    )
