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
           ("industry_title", "source", "vintage"), nullable=("employment",)),
        _t("staffing_patterns", ("geography", "naics_code", "soc_code"),
           ("geography", "naics_code", "soc_code", "share_of_industry_employment"),
           ("occupation_title", "is_suppressed", "source", "vintage"),
           nullable=("share_of_industry_employment",)),
        _t("separation_rates", ("soc_code",),
           ("soc_code", "labor_force_exit_rate", "occupational_transfer_rate"),
           ("occupation_title", "typical_entry_education", "work_experience", "on_the_job_training",
            "source", "vintage"),
           nullable=("labor_force_exit_rate", "occupational_transfer_rate")),
        _t("providers", ("provider_id",), ("provider_id", "provider_name", "provider_kind"),
           ("county_fips", "state_fips", "cbsa", "source", "vintage"), nullable=("county_fips", "cbsa")),
        _t("completions", ("provider_id", "cip_code", "award_level", "year"),
           ("provider_id", "cip_code", "award_level", "year", "completers"), ("source", "vintage")),
        _t("programs", ("program_id",),
           ("program_id", "provider_id", "cip_code", "award_level", "completers"),
           ("provider_name", "cip_title", "award_label", "capacity_seats", "work_based_learning",
            "provider_kind"), nullable=("capacity_seats",)),
        _t("cip_soc", ("cip_code", "soc_code"), ("cip_code", "soc_code"),
           ("cip_title", "occupation_title", "vintage")),
        _t("industry_forecast", ("series_id", "period"),
           ("series_id", "period", "forecast", "lo80", "hi80", "lo95", "hi95", "model"),
           ("mase", "mase_naive")),
        _t("occupation_demand", ("soc_code",),
           ("soc_code", "occupation_title", "employment_base", "employment_target", "growth_annual",
            "exits_annual", "transfers_annual", "annual_openings", "annual_openings_low",
            "annual_openings_high"),
           ("employment_target_lo80", "employment_target_hi80", "typical_entry_education")),
        _t("allocation", ("program_id", "soc_code"),
           ("program_id", "soc_code", "share", "completers_allocated", "openings_allocated"),
           ("provider_id", "cip_code", "award_level", "effective_supply")),
        _t("occupation_supply", ("soc_code",),
           ("soc_code", "completers_allocated", "effective_supply", "n_programs"), ("programs",)),
        _t("gaps", ("soc_code",),
           ("soc_code", "occupation_title", "annual_openings", "effective_supply", "gap",
            "supply_demand_ratio", "flag", "reason"),
           ("annual_openings_low", "annual_openings_high", "probability_shortage", "growth_annual",
            "exits_annual", "transfers_annual", "n_programs", "programs", "typical_entry_education"),
           nullable=("supply_demand_ratio", "probability_shortage")),
        _t("duplication", ("cluster_id",),
           ("cluster_id", "cip_code", "award_level", "n_providers", "combined_supply",
            "allocated_demand", "excess_supply", "hhi", "is_duplicated", "providers"),
           ("cip_title", "award_label")),
        # --- tables added by connectors: QCEW, BLS API ---
        # --- tables added by connectors: OEWS, EP, state projections ---
        # --- tables added by connectors: IPEDS, CIP, O*NET, postings, inventory ---
    ]
}


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
    out = df.copy()
    for name in schema.columns:
        if name not in out.columns:
            continue
        out[name] = _coerce(out[name], FIELDS[name], where, nullable=name in schema.nullable)
    if len(schema.key):
        dup = out.duplicated(list(schema.key), keep=False)
        if dup.any():
            first = out.loc[dup, list(schema.key)].iloc[0].to_dict()
            raise SchemaError(f"duplicate key {first} ({int(dup.sum())} rows)", file=where,
                              column=", ".join(schema.key), expected="a unique key")
    ordered = [c for c in schema.columns if c in out.columns]
    rest = [c for c in out.columns if c not in ordered]
    return out[ordered + rest].reset_index(drop=True)


def _coerce(col: pd.Series, field: Field, where: str, *, nullable: bool) -> pd.Series:
    null = col.isna()
    if null.any() and not nullable and field.kind not in ("str",):
        row = int(np.flatnonzero(null.to_numpy())[0])
        raise SchemaError("missing value", file=where, row=row + 1, column=field.name,
                          expected=f"a {field.kind} value in every row")
    if field.kind in _CODE_NORMALISERS:
        return _coerce_codes(col, field, where)
    if field.kind in ("float", "int"):
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
        mapped = col.map({True: True, False: False, "True": True, "False": False, "true": True,
                          "false": False, 1: True, 0: False, "Y": True, "N": False})
        if mapped.isna().any():
            row = int(np.flatnonzero(mapped.isna().to_numpy())[0])
            raise SchemaError(f"not a yes/no value: {col.iloc[row]!r}", file=where, row=row + 1,
                              column=field.name, expected="true/false")
        return mapped.astype(bool)
    return col.astype(object).where(~null, None)


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
        [(f.name, f.kind, f.unit, f.description) for f in (FIELDS[n] for n in names)],
        columns=["field", "type", "unit", "description"],
    )
