"""BLS Public Data API v2 (CES, LAUS, QCEW, OEWS, CPS time series) → bls_series.

The API answers POST https://api.bls.gov/publicAPI/v2/timeseries/data/ with JSON whose values
are strings, newest first, each with a list of footnotes (``[{}]`` when there are none) and
``"latest": "true"`` on the newest point. Its quirks decide the design:

- limits per request: 50 series and 20 years with a registration key (``BLS_API_KEY``), 25
  series and 10 years without. :func:`plan_batches` splits a request to fit, because the API
  silently truncates a longer range ("Year range has been reduced to the system-allowed limit
  of 10 years.") and the missing years would simply be absent;
- errors arrive with HTTP 200: ``status`` ``REQUEST_NOT_PROCESSED`` (e.g. the daily threshold)
  or a quota message. Those raise :class:`~align.errors.UpstreamError` and are never kept as
  data; other messages (truncation, no data for a series) become Python warnings;
- the key travels in the JSON body and is redacted from the cache, the raw store and messages.

``parse`` reads a saved response (or the merged response ``fetch`` writes) into the canonical
``bls_series`` table, oldest first. ``value`` stays in the series' own unit (CES levels are in
thousands of jobs; CPS levels in thousands of persons), as the API publishes it.
"""

from __future__ import annotations

import hashlib
import json
import warnings
from collections.abc import Iterable
from dataclasses import dataclass
from pathlib import Path
from typing import Any, ClassVar

import pandas as pd

from align import schemas
from align.connector import Connector
from align.errors import InputError, LayoutError, UpstreamError
from align_connectors._published import existing_file, read_text, to_number

API_URL = "https://api.bls.gov/publicAPI/v2/timeseries/data/"
KEY_ENV = "BLS_API_KEY"
LIMITS = {True: (50, 20), False: (25, 10)}  # registered? -> (series, years) per request
SUCCEEDED = "REQUEST_SUCCEEDED"
# Message fragments that mean the request was refused, even inside an HTTP 200 body.
REFUSALS = ("threshold", "quota", "exceeded", "not processed", "could not be serviced",
            "invalid key", "key provided by the user is invalid", "unauthorized")


class BLSAPIWarning(UserWarning):
    """A message the API returned with data (truncated range, series without data)."""


@dataclass(frozen=True)
class Batch:
    """One API request: up to the per-request limits of series and years."""

    series: tuple[str, ...]
    start_year: int
    end_year: int


def plan_batches(series: Iterable[str], start_year: int, end_year: int, *,
                 registered: bool) -> list[Batch]:
    """Split series and years into requests the API accepts whole (see :data:`LIMITS`)."""
    ids = list(dict.fromkeys(s.strip().upper() for s in series if s and s.strip()))
    if not ids:
        raise InputError("no series ids given", expected="one or more BLS series ids")
    if start_year > end_year:
        raise InputError(f"start year {start_year} is after end year {end_year}")
    max_series, max_years = LIMITS[registered]
    windows = [(y, min(y + max_years - 1, end_year)) for y in range(start_year, end_year + 1, max_years)]
    return [Batch(tuple(ids[i:i + max_series]), lo, hi)
            for lo, hi in windows for i in range(0, len(ids), max_series)]


def payload(batch: Batch, *, key: str | None, catalog: bool = False, calculations: bool = False,
            annual_average: bool = False) -> dict[str, Any]:
    """The JSON body of one request (the key only when given)."""
    body: dict[str, Any] = {"seriesid": list(batch.series), "startyear": str(batch.start_year),
                            "endyear": str(batch.end_year)}
    if key:
        body["registrationkey"] = key
        body.update(catalog=catalog, calculations=calculations, annualaverage=annual_average)
    return body


def store_url(batch: Batch, *, catalog: bool = False, calculations: bool = False,
              annual_average: bool = False) -> str:
    """The identity of one request in the raw store: the endpoint plus its body, no key."""
    return (f"{API_URL}?seriesid={','.join(batch.series)}&startyear={batch.start_year}"
            f"&endyear={batch.end_year}&catalog={str(catalog).lower()}"
            f"&calculations={str(calculations).lower()}&annualaverage={str(annual_average).lower()}")


def check_response(doc: Any, *, origin: str) -> list[str]:
    """Raise UpstreamError for a refused request; return the other messages (for warnings)."""
    if not isinstance(doc, dict) or "status" not in doc:
        raise LayoutError("not a BLS API response", file=origin,
                          expected='a JSON object with "status", "message" and "Results"')
    messages = [str(m) for m in (doc.get("message") or [])]
    status = str(doc.get("status"))
    refused = [m for m in messages if any(r in m.lower() for r in REFUSALS)]
    if status != SUCCEEDED or refused:
        said = " ".join(messages) or "no message"
        hint = ""
        if "threshold" in said.lower() or "quota" in said.lower():
            hint = (" — the daily request limit is used up; try again tomorrow, or set "
                    f"{KEY_ENV} (registered keys get 500 requests a day)")
        raise UpstreamError(f"{origin}: BLS API answered {status}: {said}{hint}")
    return messages


def _warn(messages: list[str], origin: str) -> None:
    for m in messages:
        warnings.warn(f"{origin}: BLS API: {m}", BLSAPIWarning, stacklevel=3)


def _footnotes(items: Any) -> tuple[str | None, str | None]:
    notes = [n for n in (items or []) if isinstance(n, dict) and n]
    codes = [str(n["code"]).strip() for n in notes if n.get("code")]
    texts = [str(n["text"]).strip() for n in notes if n.get("text")]
    return (",".join(codes) or None, "; ".join(texts) or None)


class BLSAPIConnector(Connector):
    name: ClassVar[str] = "bls_api"
    table: ClassVar[str] = "bls_series"
    description: ClassVar[str] = "BLS Public Data API v2 time series (CES, LAUS, QCEW, OEWS, CPS)"
    layouts: ClassVar[str] = ('BLS API v2 JSON response {"status", "responseTime", "message", '
                              '"Results": {"series": [{"seriesID", "data": [...]}]}}')

    def sniff(self, path: Path) -> bool:
        try:
            with open(path, "rb") as fh:
                head = fh.read(2048).lstrip(b"\xef\xbb\xbf").lstrip()
            if not head.startswith(b"{"):
                return False
            text = head.decode("utf-8", "replace")
            return '"status"' in text and ('"Results"' in text or '"responseTime"' in text)
        except Exception:
            return False

    def parse(self, path: Path, **options: Any) -> pd.DataFrame:
        """A saved API response → ``bls_series`` (oldest first); refused requests raise."""
        path = existing_file(path)
        try:
            doc = json.loads(read_text(path))
        except json.JSONDecodeError as exc:
            raise LayoutError(f"not valid JSON: {exc.msg}", file=path, row=exc.lineno,
                              expected="a BLS API JSON response") from None
        messages = check_response(doc, origin=str(path))
        _warn(messages, str(path))
        return self.table_from_response(doc, origin=str(path))

    def table_from_response(self, doc: dict[str, Any], *, origin: str) -> pd.DataFrame:
        results = doc.get("Results")
        if not isinstance(results, dict) or not isinstance(results.get("series"), list):
            raise LayoutError('no "Results.series" list', file=origin,
                              expected="the series list of a successful BLS API response")
        rows: list[dict[str, Any]] = []
        for s_i, series in enumerate(results["series"]):
            sid = str(series.get("seriesID", "")).strip() if isinstance(series, dict) else ""
            if not sid:
                raise LayoutError("series without seriesID", file=origin, row=s_i + 1,
                                  column="seriesID", expected="a BLS series id")
            for point in series.get("data") or []:
                try:
                    year, code = int(str(point["year"]).strip()), str(point["period"]).strip()
                    raw_value = point["value"]
                except (KeyError, TypeError, ValueError) as exc:
                    raise LayoutError(f"series {sid}: data point {point!r} is malformed ({exc})",
                                      file=origin, column="data",
                                      expected="year, period and value in every point") from None
                codes_, texts = _footnotes(point.get("footnotes"))
                rows.append({"series_id": sid, "period": year, "period_code": code,
                             "period_name": point.get("periodName"), "raw_value": raw_value,
                             "is_latest": str(point.get("latest", "")).strip().lower() == "true",
                             "footnote_codes": codes_, "footnotes": texts})
        columns = ["series_id", "period", "period_code", "value", "is_latest", "period_name",
                   "footnote_codes", "footnotes", "source", "vintage"]
        if not rows:
            return schemas.validate(pd.DataFrame({c: pd.Series(dtype=object) for c in columns})
                                    .astype({"period": "int64", "value": "float64",
                                             "is_latest": bool}), self.table, origin=origin)
        table = pd.DataFrame(rows)
        values, reason = to_number(table["raw_value"].astype(object))
        unreadable = reason.fillna("").str.startswith("unreadable")
        if unreadable.any():
            bad = table[unreadable.to_numpy()].iloc[0]
            raise InputError(f"series {bad.series_id} {bad.period} {bad.period_code}: value "
                             f"{bad.raw_value!r} is not a number", file=origin, column="value",
                             expected='a number as text, or "-" for no value')
        table["value"] = values.to_numpy()
        table["source"] = self.name
        table["vintage"] = None
        table = table.drop(columns="raw_value").sort_values(
            ["series_id", "period", "period_code"], kind="stable")
        return schemas.validate(table[columns], self.table, origin=origin)

    def fetch(self, dest: Path, **options: Any) -> Path:
        """Download series for a year range, batched to the API's limits, and write one merged
        response JSON to ``dest`` (each batch's raw answer is kept in the raw store).

        Options: ``series`` (ids), ``start_year``, ``end_year``, ``catalog``, ``calculations``,
        ``annual_average`` (the last three need a key), ``name`` (output file name).
        """
        from align.fetch import download
        from align.http import api_key
        from align.store import write_text

        allowed = {"series", "start_year", "end_year", "catalog", "calculations",
                   "annual_average", "name"}
        unknown = set(options) - allowed
        if unknown or not {"series", "start_year", "end_year"} <= set(options):
            raise InputError(f"bls_api fetch options {sorted(options)} are not valid",
                             expected="series=[...], start_year=, end_year= (optional catalog, "
                                      "calculations, annual_average, name)")
        series = options["series"]
        series = [series] if isinstance(series, str) else list(series)
        flags = {k: bool(options.get(k, False)) for k in ("catalog", "calculations", "annual_average")}
        key = api_key(KEY_ENV)
        if not key and any(flags.values()):
            warnings.warn(f"catalog/calculations/annual_average need a registration key ({KEY_ENV}); "
                          "requesting without them", BLSAPIWarning, stacklevel=2)
            flags = dict.fromkeys(flags, False)
        batches = plan_batches(series, int(options["start_year"]), int(options["end_year"]),
                               registered=key is not None)
        docs: list[dict[str, Any]] = []
        for batch in batches:
            ident = store_url(batch, **flags)

            def check(data: bytes, ident: str = ident) -> None:
                try:
                    doc = json.loads(data.decode("utf-8-sig"))
                except (UnicodeDecodeError, json.JSONDecodeError):
                    raise LayoutError("the answer is not JSON", file=ident,
                                      expected="a BLS API JSON response") from None
                check_response(doc, origin=ident)

            digest = hashlib.sha256(ident.encode()).hexdigest()[:10]
            stored = download(API_URL, method="POST", json=payload(batch, key=key, **flags),
                              source=self.name, store_url=ident, check=check,
                              name=f"bls-{batch.start_year}-{batch.end_year}-{digest}.json")
            doc = json.loads(stored.path.read_bytes().decode("utf-8-sig"))
            _warn(check_response(doc, origin=ident), ident)
            docs.append(doc)
        merged = merge_responses(docs)
        name = options.get("name") or (f"bls-{options['start_year']}-{options['end_year']}-"
                                       f"{hashlib.sha256(','.join(series).encode()).hexdigest()[:10]}.json")
        target = Path(dest) / str(name)
        write_text(target, json.dumps(merged, indent=1))
        return target


def merge_responses(docs: list[dict[str, Any]]) -> dict[str, Any]:
    """Several successful answers → one response of the same shape (series joined by id,
    points newest first, as the API orders them)."""
    by_id: dict[str, dict[str, Any]] = {}
    messages: list[str] = []
    for doc in docs:
        messages += [m for m in (doc.get("message") or []) if m not in messages]
        for series in (doc.get("Results") or {}).get("series", []):
            sid = series["seriesID"]
            merged = by_id.setdefault(sid, {k: v for k, v in series.items() if k != "data"} | {"data": []})
            merged["data"].extend(series.get("data") or [])
    for series in by_id.values():  # overlapping answers: keep each period once
        series["data"] = list({(str(p["year"]), str(p["period"])): p
                               for p in reversed(series["data"])}.values())
        series["data"].sort(key=lambda p: (int(p["year"]), str(p["period"])), reverse=True)
    return {"status": SUCCEEDED, "responseTime": sum(int(d.get("responseTime") or 0) for d in docs),
            "message": messages, "Results": {"series": list(by_id.values())}}
