"""The local training inventory: programs IPEDS does not cover, in a documented CSV template.

Eligible Training Provider List (ETPL) programs, registered apprenticeships and non-credit
courses are real supply that no national file counts. Boards keep them in spreadsheets; this
connector reads the template in ``data/templates/training_inventory.csv`` (documented in
``docs/training_inventory.md``) and validates every row, naming the file, row and column of
each problem, so a partner's file is fixed at the source rather than patched in the pipeline.

Layouts: wide (``completers_2023, completers_2024, ...`` columns) or long (``year`` and
``completers`` columns). Rows whose ``provider_id`` starts with ``EXAMPLE`` (the template's
example rows) are skipped. The output is long: one row per program and year (a program with no
completers reported keeps one row with year and completers missing).
"""

from __future__ import annotations

import re
from pathlib import Path
from typing import Any, ClassVar

import pandas as pd

from align import codes
from align.connector import Connector
from align.errors import CodeError, InputError
from align_connectors._published import (
    header_line,
    read_csv_text,
    read_text,
    reject_options,
    require_columns,
    validate_table,
)

#: award_type vocabulary → IPEDS-like award level code (text). Codes 20/21/2/3/5 are the IPEDS
#: AWLEVEL codes for the same length of award; the ``N*`` codes are align's own for awards IPEDS
#: has no code for, so they never collide with IPEDS completions.
AWARD_TYPES: dict[str, tuple[str, str]] = {
    "certificate_lt_12wk": ("20", "Certificate of less than 12 weeks"),
    "certificate_12wk_1yr": ("21", "Certificate of at least 12 weeks but less than 1 year"),
    "certificate_1_2yr": ("2", "Certificate of at least 1 but less than 2 years"),
    "associate": ("3", "Associate's degree"),
    "certificate_2_4yr": ("4", "Certificate of at least 2 but less than 4 years"),
    "bachelor": ("5", "Bachelor's degree"),
    "industry_credential": ("N1", "Industry-recognised credential (non-credit)"),
    "apprenticeship": ("N2", "Registered apprenticeship completion certificate"),
    "pre_apprenticeship": ("N3", "Pre-apprenticeship"),
    "non_credit_other": ("N9", "Other non-credit training"),
}
PROVIDER_KINDS = ("etpl", "apprenticeship", "other")
REQUIRED = ["provider_id", "provider_name", "provider_kind", "program_name", "award_type",
            "work_based_learning"]
OPTIONAL = ["county_fips", "cip_code", "soc_code", "capacity_seats", "year", "completers"]
_WIDE = re.compile(r"^completers_(\d{4})$")
_YES = {"yes": True, "y": True, "true": True, "1": True,
        "no": False, "n": False, "false": False, "0": False}


class TrainingInventoryConnector(Connector):
    """A training inventory CSV in align's template → ``training_inventory``."""

    name = "training_inventory"
    table = "training_inventory"
    description = "Local training inventory (ETPL, apprenticeship, non-credit) in align's CSV template"
    layouts: ClassVar[str] = (
        "align template: provider_id,provider_name,provider_kind,county_fips,program_name,"
        "cip_code,soc_code,award_type,capacity_seats,completers_YYYY...,work_based_learning"
    )

    def sniff(self, path: Path) -> bool:
        head = [h.strip().strip('"').lower() for h in header_line(Path(path)).split(",")]
        return set(REQUIRED) <= set(head)

    def parse(self, path: Path, *, keep_examples: bool = False, **options: Any) -> pd.DataFrame:
        """Validate the template and return one row per program × year."""
        path = Path(path)
        file = str(path)
        reject_options(options, file=file, expected="keep_examples")
        raw = read_csv_text(read_text(path), file=file)
        raw.columns = [str(c).strip().lower() for c in raw.columns]
        require_columns(raw.columns, REQUIRED, file=file)
        raw = raw.apply(lambda c: c.str.strip())
        raw.index = pd.RangeIndex(2, len(raw) + 2)  # file row numbers (header = row 1)
        raw = raw[(raw != "").any(axis=1)]
        if not keep_examples:
            raw = raw[~raw["provider_id"].str.upper().str.startswith("EXAMPLE")]
        wide = {int(m.group(1)): c for c in raw.columns if (m := _WIDE.match(c))}
        long_layout = "completers" in raw.columns
        if wide and long_layout:
            raise InputError("both completers_YYYY columns and a completers column", file=file,
                             expected="one layout: wide (completers_2024, ...) or long (year, completers)")
        if long_layout and "year" not in raw.columns:
            raise InputError("a completers column without a year column", file=file,
                             column="completers", expected="year and completers columns")

        programs = []
        for row, r in raw.iterrows():
            programs.append(self._program(r, int(row), file))
        base = pd.DataFrame(programs, index=raw.index, columns=[
            "provider_id", "provider_name", "provider_kind", "program_name", "award_type",
            "award_level", "work_based_learning", "program_id", "county_fips", "cip_code",
            "soc_code", "capacity_seats"])

        if wide:
            parts = []
            for year, column in sorted(wide.items()):
                part = base.copy()
                part["year"] = year
                part["completers"] = [self._count(v, int(i), file, column, allow_blank=True)
                                      for i, v in raw[column].items()]
                parts.append(part)
            out = pd.concat(parts)
            has_any = out.groupby(level=0)["completers"].transform(lambda s: s.notna().any())
            # keep reported years; a program with no year reported keeps one row
            keep = out["completers"].notna() | (~has_any & (out["year"] == min(wide)))
            out = out[keep]
            out.loc[out["completers"].isna(), "year"] = None
        elif long_layout:
            out = base.copy()
            out["year"] = [self._year(v, int(i), file) for i, v in raw["year"].items()]
            out["completers"] = [self._count(v, int(i), file, "completers", allow_blank=True)
                                 for i, v in raw["completers"].items()]
        else:
            out = base.copy()
            out["year"] = None
            out["completers"] = None
        out = out.sort_index(kind="stable").reset_index(drop=True)
        out["year"] = pd.array(out["year"], dtype="Int64")
        out["completers"] = pd.to_numeric(out["completers"]).astype("float64")
        out["source"] = f"{self.name}:{path.name}"
        return validate_table(out, self.table, origin=file)

    # -- row checks -------------------------------------------------------------------------

    def _program(self, r: pd.Series, row: int, file: str) -> dict[str, Any]:
        def need(column: str) -> str:
            value = r.get(column, "")
            if not value:
                raise InputError("empty", file=file, row=row, column=column, expected="a value")
            return value

        provider_id, name, program = need("provider_id"), need("provider_name"), need("program_name")
        kind = need("provider_kind").lower()
        if kind not in PROVIDER_KINDS:
            raise InputError(f"unknown provider kind {kind!r}", file=file, row=row,
                             column="provider_kind", expected=" / ".join(PROVIDER_KINDS))
        award = need("award_type").lower()
        if award not in AWARD_TYPES:
            raise InputError(f"unknown award type {award!r}", file=file, row=row,
                             column="award_type", expected=", ".join(AWARD_TYPES))
        wbl = need("work_based_learning").lower()
        if wbl not in _YES:
            raise InputError(f"not yes/no: {r['work_based_learning']!r}", file=file, row=row,
                             column="work_based_learning", expected="yes or no")
        cip = self._code(r.get("cip_code", ""), codes.cip, row, file, "cip_code")
        soc = self._code(r.get("soc_code", ""), codes.soc, row, file, "soc_code")
        if cip is None and soc is None:
            raise InputError("neither cip_code nor soc_code given", file=file, row=row,
                             column="cip_code", expected="a CIP code, or a SOC code for apprenticeships")
        county = self._code(r.get("county_fips", ""), codes.fips, row, file, "county_fips")
        if county is not None and len(r.get("county_fips", "")) < 4:
            raise InputError(f"county FIPS {r['county_fips']!r} has no state part", file=file,
                             row=row, column="county_fips", expected="5 digits, e.g. 39049")
        seats = self._count(r.get("capacity_seats", ""), row, file, "capacity_seats",
                            allow_blank=True)
        level = AWARD_TYPES[award][0]
        return {
            "provider_id": provider_id, "provider_name": name, "provider_kind": kind,
            "program_name": program, "award_type": award, "award_level": level,
            "work_based_learning": _YES[wbl], "program_id": f"{provider_id}:{cip or soc}:{level}",
            "county_fips": county, "cip_code": cip, "soc_code": soc, "capacity_seats": seats,
        }

    @staticmethod
    def _code(value: str, normaliser: Any, row: int, file: str, column: str) -> str | None:
        if not value:
            return None
        try:
            return normaliser(value)
        except CodeError as exc:
            raise CodeError(exc.detail, file=file, row=row, column=column,
                            expected=exc.expected) from None

    @staticmethod
    def _count(value: str, row: int, file: str, column: str, *, allow_blank: bool) -> float | None:
        if value == "" and allow_blank:
            return None
        text = value.replace(",", "")
        if not re.fullmatch(r"\d+(\.0+)?", text):
            raise InputError(f"not a count: {value!r}", file=file, row=row, column=column,
                             expected="a whole number ≥ 0, or blank if unknown")
        return float(text)

    @staticmethod
    def _year(value: str, row: int, file: str) -> int | None:
        if value == "":
            return None
        if not re.fullmatch(r"(19|20)\d{2}", value):
            raise InputError(f"not a year: {value!r}", file=file, row=row, column="year",
                             expected="a 4-digit year, e.g. 2024")
        return int(value)
