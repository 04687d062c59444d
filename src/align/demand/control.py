"""Occupational employment controlled to published area estimates, as state projection shops do.

A staffing pattern (national, by sector) gives a region a first occupational mix; the published
OEWS estimate for the closest area (the region's metro, else its state) says what the mix really
is. The base-year industry × occupation matrix is fitted to both by iterative proportional
fitting (RAS): its rows to the region's industry employment, its columns to the area's
occupation shares scaled to the region's total. Where the control area is larger than the region
(a state for one of its labour market regions) and its industry employment is known, the fit is
made on the area's own industries instead and the fitted staffing pattern applied to the
region's: the area's mix is a state-wide average (New York's is New York City's), so forcing it
onto a manufacturing region would take its engineers away, while the area's within-industry
staffing is what state projection shops apply to their sub-state areas. What the control cannot say is left to the
pattern: an occupation without a published value (suppressed, or not published in that area)
keeps its pattern employment, and a control occupation no industry of the pattern employs is
listed, not forced in. The fitted matrix divided by industry employment is the region's own
staffing pattern, used for every period and bound.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np
import pandas as pd
from scipy import sparse

from align.demand.occupations import StaffingMatrix
from align.errors import InputError

CONTROLLED = "controlled"
NO_CONTROL = "no published value: pattern kept"
NOT_IN_PATTERN = "not in the staffing pattern: left out"


@dataclass(frozen=True)
class Fit:
    table: np.ndarray
    iterations: int
    max_column_error: float  # largest |fitted − target| / target over the controlled columns

    @property
    def converged(self) -> bool:
        return self.max_column_error < 1e-6


def ipf(seed: np.ndarray, row_totals: np.ndarray, col_totals: np.ndarray, *, tol: float = 1e-9,
        max_iter: int = 2000) -> Fit:
    """Scale ``seed`` so its rows sum to ``row_totals`` and its columns to ``col_totals`` (RAS).

    Alternate row and column scaling, ending on the rows, so the row totals (industry employment)
    hold exactly; the columns hold to ``tol`` (relative) once converged. Zero cells stay zero.
    """
    x = np.asarray(seed, dtype=float)
    r, c = np.asarray(row_totals, dtype=float), np.asarray(col_totals, dtype=float)
    if x.shape != (len(r), len(c)):
        raise ValueError(f"seed is {x.shape}, totals are {len(r)} rows × {len(c)} columns")
    if (x < 0).any() or (r < 0).any() or (c < 0).any():
        raise ValueError("seed and totals must not be negative")
    if not np.isclose(r.sum(), c.sum(), rtol=1e-9):
        raise ValueError(f"row totals sum to {r.sum():,.6g}, column totals to {c.sum():,.6g}")
    for what, sums, targets in (("row", x.sum(axis=1), r), ("column", x.sum(axis=0), c)):
        empty = (sums == 0) & (targets > 0)
        if empty.any():
            raise ValueError(f"{what} {int(np.flatnonzero(empty)[0])} has a positive total but no seed cells")

    def scale(sums: np.ndarray, targets: np.ndarray) -> np.ndarray:
        return np.divide(targets, sums, out=np.zeros_like(targets), where=sums > 0)

    error, i = np.inf, 0
    for i in range(1, max_iter + 1):  # noqa: B007 (the count is reported)
        x *= scale(x.sum(axis=1), r)[:, None]
        cols = x.sum(axis=0)
        error = float(np.max(np.abs(cols - c) / np.where(c > 0, c, 1.0), initial=0.0))
        if error < tol:
            break
        x *= scale(cols, c)[None, :]
    x *= scale(x.sum(axis=1), r)[:, None]
    cols = x.sum(axis=0)
    error = float(np.max(np.abs(cols - c) / np.where(c > 0, c, 1.0), initial=0.0))
    return Fit(x, i, error)


def dissimilarity(a: pd.Series, b: pd.Series) -> float:
    """Index of dissimilarity of two mixes: half the sum of absolute share differences (0 to 1)."""
    both = pd.concat([a, b], axis=1).fillna(0.0)
    shares = both / both.sum()
    return float(0.5 * (shares.iloc[:, 0] - shares.iloc[:, 1]).abs().sum())


@dataclass(frozen=True)
class Controlled:
    matrix: StaffingMatrix  # the region's fitted staffing pattern
    table: pd.DataFrame  # one row per occupation: pattern, control, controlled employment, status
    dissimilarity_before: float
    dissimilarity_after: float
    fit: Fit
    area: str
    period: int | None

    def moved_most(self, n: int = 5) -> pd.DataFrame:
        t = self.table.dropna(subset=["employment_controlled"])
        change = t["employment_controlled"] - t["employment_pattern"]
        return t.assign(change=change).reindex(change.abs().sort_values(ascending=False).index).head(n)


# Codes that moved to another SOC group between the 2010 and 2018 editions (BLS, "2010 to 2018 SOC
# crosswalk", https://www.bls.gov/soc/2018/crosswalks_used_by_agencies.htm): the group bridge below
# cannot find these. OEWS publishes 31-1121 and 31-1122 together as 31-1120.
SOC_2010_MOVES = {"43-5081": ("53-7065",), "39-9021": ("31-1120", "31-1122"), "31-1011": ("31-1120", "31-1121")}
MAX_GROUP_RATIO = 3.0  # a group is bridged only where its control and pattern shares are this close


def bridge_editions(control: pd.Series, pattern: pd.Series) -> tuple[pd.Series, list[str]]:
    """Control jobs of codes the pattern lacks, carried to the pattern's unmatched codes of the same SOC group.

    Between SOC editions codes split and merge, mostly inside their broad group (2010's 35-3021
    became 2018's 35-3023) or minor group (15-1132 became 15-1252 and 15-1253); a few moved further
    (:data:`SOC_2010_MOVES`). ``control`` holds the control's codes with no pattern counterpart,
    ``pattern`` the pattern's codes with no control value, both as shares of their totals. Each
    group's control share is divided among its pattern codes by their pattern employment, but only
    where the two shares are within :data:`MAX_GROUP_RATIO` of each other: a small retired code
    must not set the level of a large new one. Returns the new control values (pattern codes) and
    the control codes used.
    """
    values: dict[str, float] = {}
    used: list[str] = []
    left, open_codes = control.copy(), pattern.copy()
    for old, successors in SOC_2010_MOVES.items():
        target = next((c for c in successors if c in open_codes.index), None)
        if old in left.index and target is not None:
            values[target] = values.get(target, 0.0) + float(left[old])
            used.append(old)
            left = left.drop(old)
    open_codes = open_codes.drop([c for c in values if c in open_codes.index])
    for width in (6, 4):  # broad group "35-302" (35-3020), then minor group "35-3" (35-3000)
        for group, jobs in left.groupby(left.index.str[:width]).sum().items():
            targets = open_codes[open_codes.index.str[:width] == group]
            if targets.empty or not 1 / MAX_GROUP_RATIO <= jobs / targets.sum() <= MAX_GROUP_RATIO:
                continue
            values.update((targets / targets.sum() * jobs).to_dict())
            codes = left.index[left.index.str[:width] == group]
            used += list(codes)
            left = left.drop(codes)
            open_codes = open_codes.drop(targets.index)
    return pd.Series(values, dtype=float), used


def control_to_area(matrix: StaffingMatrix, industry_employment: pd.Series, control: pd.Series,
                    *, area: str = "", period: int | None = None, bridge: bool = False,
                    area_employment: pd.Series | None = None) -> Controlled:
    """Fit the region's base-year industry × occupation matrix to ``control``'s occupation mix.

    ``industry_employment`` is indexed like ``matrix.naics`` (base-year jobs per industry);
    ``control`` is the area's published employment per detailed SOC code (missing where not
    published). Its shares, not its level, are used: the control may be another year or a larger
    area than the region, so it is scaled to the region's total. With ``bridge`` (a control coded
    in another SOC edition) codes without a counterpart are matched by SOC group
    (:func:`bridge_editions`). With ``area_employment`` (the control area's own base-year jobs
    per industry, indexed like ``industry_employment``) the fit is made on the area's industries
    and its staffing pattern applied to the region's (see the module docstring).
    """
    region_e = industry_employment.reindex(matrix.naics).fillna(0.0).to_numpy(float)
    if area_employment is None:
        fitted_here = _fit_to_control(matrix, region_e, control, area=area, bridge=bridge)
        return Controlled(*fitted_here, area, period)
    area_e = area_employment.reindex(matrix.naics).fillna(0.0).to_numpy(float)
    at_area = _fit_to_control(matrix, area_e, control, area=area, bridge=bridge)
    applied = StaffingMatrix(matrix.naics, matrix.soc, at_area[0].shares)
    pattern = pd.Series(region_e @ matrix.shares.toarray(), index=matrix.soc)
    fitted = pd.Series(region_e @ applied.shares.toarray(), index=matrix.soc)
    table = at_area[1].set_index("soc_code")
    share = table["employment_control"] / table["employment_control"].sum()
    table["employment_control"] = share * region_e.sum()  # the area's mix at the region's size
    table["employment_pattern"] = pattern.reindex(table.index).fillna(0.0)
    table["employment_controlled"] = fitted.reindex(table.index).where(table["control_status"] != NOT_IN_PATTERN)
    common = table.index[table["control_status"] == CONTROLLED]
    target = table.loc[common, "employment_control"]
    return Controlled(applied, table.reset_index(), dissimilarity(pattern[common], target),
                      dissimilarity(fitted[common], target), at_area[4], area, period)


def _fit_to_control(matrix: StaffingMatrix, e: np.ndarray, control: pd.Series, *, area: str, bridge: bool
                    ) -> tuple[StaffingMatrix, pd.DataFrame, float, float, Fit]:
    """The RAS fit of ``e`` (jobs per industry) × the pattern to ``control``'s occupation shares."""
    shares = matrix.shares.toarray()
    seed = e[:, None] * shares
    pattern = pd.Series(seed.sum(axis=0), index=matrix.soc)
    published = control.dropna()
    published = published[published > 0]
    if published.empty:
        raise InputError(f"no published occupation employment for control area {area!r}",
                         file="occupation_control", expected="detailed occupations with employment")
    in_pattern = published.index.isin(matrix.soc) & (pattern.reindex(published.index).fillna(0) > 0).to_numpy()
    matched = published[in_pattern]
    if bridge:
        unmatched = pattern[(pattern > 0) & ~pattern.index.isin(published.index)]
        bridged, used = bridge_editions(published[~in_pattern] / published.sum(), unmatched / pattern.sum())
        in_pattern = in_pattern | published.index.isin(used)
        matched = pd.concat([matched, bridged * published.sum()])
    total = float(e.sum())
    kept = pattern[~pattern.index.isin(matched.index)]  # no published value: the pattern's jobs stand
    targets = pd.Series(kept, index=matrix.soc).fillna(0.0)
    targets[matched.index] = matched / matched.sum() * (total - kept.sum())
    if (targets < 0).any():
        raise InputError("occupations without a control value hold more jobs than the region has",
                         file="occupation_control")
    fit = ipf(seed, e, targets.to_numpy())
    fitted = pd.Series(fit.table.sum(axis=0), index=matrix.soc)
    with np.errstate(divide="ignore", invalid="ignore"):
        new = np.where(e[:, None] > 0, fit.table / e[:, None], shares)  # an industry with no base jobs keeps its pattern
    region_matrix = StaffingMatrix(matrix.naics, matrix.soc, sparse.csr_matrix(new))

    left_out = published[~in_pattern]
    codes = pd.Index(matrix.soc).union(left_out.index)
    status = pd.Series(NO_CONTROL, index=codes)
    status[matched.index] = CONTROLLED
    status[left_out.index] = NOT_IN_PATTERN
    control_jobs = targets.reindex(codes).where(status == CONTROLLED)
    control_jobs = control_jobs.fillna(left_out.reindex(codes) / published.sum() * total)
    table = pd.DataFrame({"employment_pattern": pattern.reindex(codes).fillna(0.0), "employment_control": control_jobs,
                          "employment_controlled": fitted.reindex(codes).where(status != NOT_IN_PATTERN),
                          "control_status": status}).rename_axis("soc_code")
    common = matched.index
    return (region_matrix, table.reset_index(), dissimilarity(pattern[common], matched),
            dissimilarity(fitted[common], matched), fit)


def control_summary(table: pd.DataFrame) -> dict:
    """What the manifest records of a control: dissimilarity before and after, the largest moves."""
    done = table[table["control_status"] == CONTROLLED].set_index("soc_code")
    change = (table["employment_controlled"] - table["employment_pattern"]).fillna(0.0)
    moved = table.assign(change=change).reindex(change.abs().sort_values(ascending=False).index).head(10)
    return {"dissimilarity_before": round(dissimilarity(done["employment_pattern"], done["employment_control"]), 4),
            "dissimilarity_after": round(dissimilarity(done["employment_controlled"], done["employment_control"]), 4),
            "occupations": table["control_status"].value_counts().to_dict(),
            "moved_most": [{"soc_code": r.soc_code, "change": round(float(r.change), 1)} for r in moved.itertuples()]}


def control_series(occupations: pd.DataFrame, area: str | list[str], *, origin: str = "occupation_control"
                   ) -> tuple[pd.Series, str, int | None]:
    """The detailed-occupation employment of the first of ``area`` found in an OEWS table."""
    wanted = [area] if isinstance(area, str) else list(area)
    found = set(occupations["geography"].astype(str))
    chosen = next((a for a in wanted if a in found), None)
    if chosen is None:
        raise InputError(f"no OEWS estimates for area {' or '.join(map(repr, wanted))}", file=origin,
                         expected=f"one of {sorted(found)[:12]} (parameters.control_area)")
    rows = occupations[(occupations["geography"].astype(str) == chosen) & (occupations["o_group"] == "detailed")]
    period = int(rows["period"].max()) if "period" in rows and rows["period"].notna().any() else None
    series = rows.drop_duplicates("soc_code").set_index("soc_code")["employment"].astype(float)
    return series, chosen, period
