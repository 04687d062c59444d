"""Participant records: the shared template, validation, and salted hashing on the way in.

Partners send one row per enrolment (template in ``data/templates/participant_records.csv``,
documented in ``docs/participant_records.md``). The raw ``person_id`` is replaced by a salted
HMAC-SHA256 ``person_key`` as soon as the file is read, and the raw column is dropped, so no
table, file or log align writes can hold it. The salt comes from an environment variable and
is never written.
"""

from __future__ import annotations

import hashlib
import hmac
import os
import secrets
from pathlib import Path

import pandas as pd

from align import schemas
from align.errors import InputError

SALT_ENV = "ALIGN_HASH_SALT"
REQUIRED = ["person_id", "program_id", "provider_id", "enrol_date", "exit_date", "in_training"]
OPTIONAL = ["pathway", "credential", "credential_date", "externship", "externship_completed",
            "externship_employer", "externship_end_date", "hire_date", "hire_employer", "wage_pre",
            "wage_q1", "wage_q2", "wage_q3", "wage_q4", "employer_q1", "employer_q2", "employer_q3",
            "employer_q4"]
TEMPLATE_COLUMNS = REQUIRED + OPTIONAL
#: optional columns added to the template later (the template holds TEMPLATE_COLUMNS + EXTENSIONS);
#: read when present, blank otherwise, so files written to the first template stay valid
EXTENSIONS = ["support_received"]
DATES = ["enrol_date", "exit_date", "credential_date", "externship_end_date", "hire_date"]
WAGES = ["wage_pre", "wage_q1", "wage_q2", "wage_q3", "wage_q4"]
FLAGS = ["in_training", "externship", "externship_completed"]
_YES = {"y", "yes", "true", "1"}
_NO = {"n", "no", "false", "0", ""}


def resolve_salt(var: str = SALT_ENV) -> tuple[str, str | None]:
    """The hashing salt from ``var``, else a one-off random salt and a note saying so.

    Every command that hashes person ids (``align run``, ``align metrics``) takes its salt from
    here, so they behave alike. A one-off salt is safe because only suppressed aggregates leave
    align; what it costs is linking: hashed ids then differ from run to run, so records cannot be
    matched across years or partners. The note is for the operator (run log and manifest).
    """
    salt = os.environ.get(var, "")
    if salt:
        return salt, None
    return secrets.token_hex(16), (f"{var} is not set: person ids were hashed with a one-off random salt, so "
                                   f"hashed ids cannot be linked to other runs (set {var}, the same every "
                                   f"year, to link them)")


def hash_id(person_id: str, salt: str) -> str:
    """Salted HMAC-SHA256 of one person id (first 32 hex digits): stable under one salt."""
    if not salt:
        raise InputError("empty salt", expected="a non-empty secret salt")
    return hmac.new(salt.encode(), str(person_id).strip().encode(), hashlib.sha256).hexdigest()[:32]


def read_records(path: Path) -> pd.DataFrame:
    """A participant-records file (CSV or Parquet) as text columns, raw ids still present."""
    path = Path(path)
    if not path.exists():
        raise InputError("file not found", file=path)
    if path.suffix.lower() == ".parquet":
        return pd.read_parquet(path).astype("string").astype(object)
    import io

    raw = path.read_bytes()
    try:
        text = raw.decode("utf-8-sig")
    except UnicodeDecodeError:
        text = raw.decode("cp1252", errors="replace")
    return pd.read_csv(io.StringIO(text), dtype=str, keep_default_na=False)


def prepare_records(raw: pd.DataFrame, *, salt: str, origin: str = "participant records") -> pd.DataFrame:
    """Validate a records table, hash ``person_id`` into ``person_key`` and drop the raw id.

    Dates must be ISO (YYYY-MM-DD), wages numbers (blank = no wage record), flags Y/N. Errors
    name the row (1 = first data row) and column.
    """
    cols = [str(c).strip() for c in raw.columns]
    df = raw.set_axis(cols, axis=1)
    missing = [c for c in REQUIRED if c not in cols]
    if missing:
        raise InputError(f"missing column(s) {missing}", file=origin,
                         expected=f"the participant-records template columns {TEMPLATE_COLUMNS}")
    df = df.astype(object).where(df.notna(), "")
    df = df.map(lambda v: str(v).strip())
    for c in OPTIONAL + EXTENSIONS:
        if c not in df.columns:
            df[c] = ""
    ids = df["person_id"]
    if (ids == "").any():
        raise InputError("blank person id", file=origin, row=int((ids == "").to_numpy().argmax()) + 1,
                         column="person_id", expected="an id in every row")
    out = df[[c for c in TEMPLATE_COLUMNS + EXTENSIONS if c != "person_id"]].copy()
    out.insert(0, "person_key", [hash_id(v, salt) for v in ids])
    for c in DATES:
        out[c] = _dates(out[c], c, origin)
    for c in WAGES:
        out[c] = _numbers(out[c], c, origin)
    for c in FLAGS:
        out[c] = _flags(out[c], c, origin)
    out["support_received"] = _services(out["support_received"], origin)
    for c in ("program_id", "provider_id", "enrol_date"):
        blank = out[c].isna() | (out[c] == "")
        if blank.any():
            raise InputError("missing value", file=origin, row=int(blank.to_numpy().argmax()) + 1, column=c,
                             expected="a value in every row")
    out = out.replace({"": None})
    return schemas.validate(out, "participants", origin=origin)


def _dates(col: pd.Series, name: str, origin: str) -> pd.Series:
    parsed = pd.to_datetime(col.where(col != ""), format="%Y-%m-%d", errors="coerce")
    bad = parsed.isna() & (col != "")
    if bad.any():
        i = int(bad.to_numpy().argmax())
        raise InputError(f"not a date: {col.iloc[i]!r}", file=origin, row=i + 1, column=name,
                         expected="an ISO date YYYY-MM-DD or blank")
    return parsed.dt.strftime("%Y-%m-%d").where(parsed.notna(), None)


def _numbers(col: pd.Series, name: str, origin: str) -> pd.Series:
    text = col.str.replace(",", "", regex=False).str.replace("$", "", regex=False)
    num = pd.to_numeric(text.where(text != ""), errors="coerce")
    bad = num.isna() & (text != "")
    if bad.any() or (num < 0).any():
        i = int((bad | (num < 0)).to_numpy().argmax())
        raise InputError(f"not a wage amount: {col.iloc[i]!r}", file=origin, row=i + 1, column=name,
                         expected="quarterly earnings in dollars (≥ 0) or blank for no wage record")
    return num.astype("float64")


def _services(col: pd.Series, origin: str) -> pd.Series:
    """';'-separated support-service codes → the same codes sorted ('none' and blank: none received)."""
    from align.partners.vocabulary import SUPPORT_SERVICES

    out = []
    for i, text in enumerate(col):
        items = {t.strip().lower() for t in str(text).split(";") if t.strip()} - {"none"}
        unknown = sorted(items - set(SUPPORT_SERVICES))
        if unknown:
            raise InputError(f"unknown support service {unknown[0]!r}", file=origin, row=i + 1,
                             column="support_received",
                             expected="';'-separated codes from " + ", ".join(SUPPORT_SERVICES) + ", or none")
        out.append("; ".join(sorted(items)))
    return pd.Series(out, index=col.index, dtype=object)


def _flags(col: pd.Series, name: str, origin: str) -> pd.Series:
    low = col.str.lower()
    bad = ~low.isin(_YES | _NO)
    if bad.any():
        i = int(bad.to_numpy().argmax())
        raise InputError(f"not a yes/no value: {col.iloc[i]!r}", file=origin, row=i + 1, column=name,
                         expected="Y or N")
    return low.isin(_YES)
