"""Completeness of multi-file inputs: every key exactly once, no gap the user has not accepted.

One QCEW county-year file missing, or downloaded twice, moves a region's base-year employment by
half without any parse error: each file is fine, the set of files is not. So every input that
arrives as many files is checked along its keys — county x year x quarter for QCEW,
institution x year for IPEDS completions — before any stage runs. A duplicate is always an
error; a gap is an error unless the input's ``accept_gaps`` names it, and then the run records
it as a note the report shows.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from pathlib import Path

import pandas as pd

from align.errors import InputError


@dataclass(frozen=True)
class Coverage:
    """The keys one input must cover: an entity column and the columns of its period."""

    entity: str
    entity_label: str
    periods: tuple[str, ...]
    hint: str

    def key(self, entity: object, period: tuple) -> str:
        return " ".join([str(entity), *map(str, period)])


COVERAGE = {
    "industry_employment": Coverage("area_fips", "county", ("period", "qtr"),
                                    "a county file not downloaded, or cut short?"),
    "completions": Coverage("provider_id", "institution", ("year",),
                            "an institution that did not report that year, or a file cut short?"),
}


def check_coverage(name: str, files: list[tuple[str, pd.DataFrame]], *, expected: Iterable[str],
                   accepted: Iterable[str] = (), years: Iterable[int] | None = None) -> list[str]:
    """Refuse duplicates and unaccepted gaps in one input; return a note per accepted gap.

    ``files`` are (path as recorded, parsed table) pairs; ``expected`` the entities that must
    appear in every period (the region's counties; its institutions that report at all);
    ``years``, where the configuration names them, must each be in the files.
    """
    spec = COVERAGE[name]
    cols = [spec.entity, *spec.periods]
    keys = pd.concat([df[cols].drop_duplicates().assign(_file=path) for path, df in files if len(df)],
                     ignore_index=True) if any(len(df) for _, df in files) else pd.DataFrame(columns=[*cols, "_file"])
    _refuse_duplicates(name, spec, keys)
    expected = sorted(set(expected))
    if years is not None:
        present = set(keys[spec.periods[0]].astype(int))
        absent = sorted(set(int(y) for y in years) - present)
        if absent:
            raise InputError(f"no rows for year(s) {', '.join(map(str, absent))} in any of its "
                             f"{len(files)} file(s)", file=f"inputs.{name}",
                             expected="a file for each configured year, or those years removed from the configuration")
    mine = keys[keys[spec.entity].isin(expected)]
    periods = sorted(set(mine[list(spec.periods)].itertuples(index=False, name=None)))
    if name == "completions":  # an institution that never reports awards nothing: not a gap
        expected = sorted(set(mine[spec.entity]))
    have = set(mine[cols].itertuples(index=False, name=None))
    gaps = [spec.key(e, p) for p in periods for e in expected if (e, *p) not in have]
    accepted = set(accepted)
    unaccepted = [g for g in gaps if g not in accepted]
    if unaccepted:
        shown = ", ".join(unaccepted[:8]) + (f" and {len(unaccepted) - 8} more" if len(unaccepted) > 8 else "")
        raise InputError(f"{len(unaccepted)} {spec.entity_label} x {' x '.join(spec.periods)} key(s) missing "
                         f"from its files: {shown} ({spec.hint})",
                         file=f"inputs.{name}",
                         expected=f"every {spec.entity_label} in every period, or the gap accepted with "
                                  f"accept_gaps = {unaccepted[:3]!r} in [inputs.{name}]")
    return [f"no {name.replace('_', ' ')} data for {spec.entity_label} {g}: a gap the configuration accepts "
            f"([inputs.{name}] accept_gaps)" for g in gaps]


def _refuse_duplicates(name: str, spec: Coverage, keys: pd.DataFrame) -> None:
    cols = [spec.entity, *spec.periods]
    counts = keys.groupby(cols, sort=True)["_file"].nunique()
    twice = counts[counts > 1]
    if twice.empty:
        return
    first = twice.index[0]
    first = first if isinstance(first, tuple) else (first,)
    mask = pd.Series(True, index=keys.index)
    for c, v in zip(cols, first, strict=True):
        mask &= keys[c] == v
    where = sorted(Path(f).name for f in keys.loc[mask, "_file"])
    raise InputError(f"{len(twice)} {spec.entity_label} x {' x '.join(spec.periods)} key(s) appear in more than "
                     f"one file, e.g. {spec.key(first[0], first[1:])} in {', '.join(where)} (a file downloaded twice?)",
                     file=f"inputs.{name}", expected="each key in exactly one file")
