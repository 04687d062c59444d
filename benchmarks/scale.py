"""Scale: a synthetic nation through align's own steps, at 1 and at 2 Dask worker processes.

3,143 counties in 51 states × 90 industries × 800 occupations × 10 years (2015–2024), seeded.
Each step calls the library's function, as a run does:

* **forecast** — :func:`align.demand.forecast.forecast_panel` on all 247,389 county × industry
  series at once, the whole menu (naive, drift, damped, ARIMA, theta, shift-share, shrinkage,
  the global tree model, the combination) with its rolling-origin backtests, 10 years ahead, each
  state one pool (its series' reference is the state's series of the same industry; the state's
  series learn together). The pools run on the Dask workers (``client.get_executor()``).
* **staffing** — :func:`align.demand.occupations.to_occupations`: every county's base, target
  and 80% bounds as columns of one (industries × counties·4) matrix, one sparse product with
  the (industries × occupations) staffing pattern: 2.5 M county × occupation rows.
* **openings** — :func:`align.demand.openings.annual_openings` on all 2.5 M rows at once.
* **supply and gaps** — each county's programs allocated to its occupations and its gaps table,
  by the run's own stages (:func:`align.supply.stages.supply`, :func:`align.match.stages.match`,
  parameters of ``data/demo/region.toml``), counties in batches on the Dask workers.

Prints a per-step table (wall, CPU of the whole process tree, CPU/wall, peak resident memory
of the tree: this process and the workers) for each worker count, the 2-worker speed-up, and
checks the two runs give identical numbers. Goal (issue 15): ≤ 10 minutes, < 8 GB on 2 cores.

Run: ``python benchmarks/scale.py [--workers 1 2] [--counties 3143] [--models drift combo]``.
"""

from __future__ import annotations

import argparse
import sys
import time
import warnings
from dataclasses import dataclass
from pathlib import Path

import numpy as np
import pandas as pd

sys.path.insert(0, str(Path(__file__).resolve().parent))

from measure import Steps

ROOT = Path(__file__).resolve().parents[1]
STATES = [f"{s:02d}" for s in range(1, 57) if s not in (3, 7, 14, 43, 52)]  # the 50 states and DC
COUNTIES, INDUSTRIES, OCCUPATIONS, YEARS, HORIZON = 3143, 90, 800, range(2015, 2025), 10
MAJOR_GROUPS = [11, 13, 15, 17, 19, 21, 23, 25, 27, 29, 31, 33, 35, 37, 39, 41, 43, 45, 47, 49, 51, 53]
EDUCATION = ["No formal educational credential", "High school diploma or equivalent",
             "Some college, no degree", "Postsecondary nondegree award", "Associate's degree",
             "Bachelor's degree", "Master's degree", "Doctoral or professional degree"]
AWARDS = ["20", "21", "2", "3", "5", "7", "18"]
BATCHES_PER_WORKER = 8


@dataclass
class Nation:
    panel: pd.DataFrame        # series_id (county:naics), period, value, state, naics
    reference: pd.DataFrame    # series_id, period, value: the state's series of the same industry
    staffing: pd.DataFrame     # geography, naics_code, soc_code, share_of_industry_employment, occupation_title
    rates: pd.DataFrame        # separation_rates (EP layout)
    programs: pd.DataFrame     # programs (IPEDS-derived layout) with county_fips
    cip_soc: pd.DataFrame


def nation(n_counties: int = COUNTIES, seed: int = 0) -> Nation:
    """The synthetic nation (same seed, same nation), vectorised: a few seconds."""
    rng = np.random.default_rng(seed)
    every = np.arange(min(n_counties, len(STATES)))  # every state has a county
    state = np.sort(np.concatenate([every, rng.choice(len(STATES), n_counties - len(every),
                                                      p=rng.dirichlet(np.full(len(STATES), 2.0)))]))
    within = np.arange(n_counties) - np.searchsorted(state, state)
    counties = np.array([f"{STATES[s]}{2 * k + 1:03d}" for s, k in zip(state, within, strict=True)])
    naics = np.array([str(c) for c in np.sort(rng.choice(np.arange(111, 999), INDUSTRIES, replace=False))])
    T = len(YEARS)
    # employment: county size × industry mix, state-industry trends, a shared cycle, noise
    size = rng.lognormal(9.5, 1.4, n_counties)
    mix = rng.dirichlet(np.full(INDUSTRIES, 0.6), n_counties)                     # (c, i)
    trend = rng.normal(0.01, 0.02, (len(STATES), INDUSTRIES))[state]              # (c, i)
    cycle = rng.normal(0, 0.02, (INDUSTRIES, T))
    growth = trend[:, :, None] + cycle[None] + rng.normal(0, 0.04, (n_counties, INDUSTRIES, T))
    level = (size[:, None] * mix)[:, :, None] * np.exp(np.cumsum(growth, axis=2))
    level = np.round(level)
    present = level[:, :, -1] >= 5                                               # tiny cells: no series
    values = np.where(rng.random(level.shape) < 0.03, np.nan, level)              # suppressed cells
    c_idx, i_idx = np.nonzero(present)
    sid = pd.Categorical(np.char.add(np.char.add(counties[c_idx], ":"), naics[i_idx]))
    panel = pd.DataFrame({"series_id": np.repeat(sid, T), "period": np.tile(np.array(YEARS), len(c_idx)),
                          "value": values[c_idx, i_idx].ravel(),
                          "state": pd.Categorical(np.repeat(np.array(STATES)[state[c_idx]], T)),
                          "naics": pd.Categorical(np.repeat(naics[i_idx], T))})
    state_total = np.zeros((len(STATES), INDUSTRIES, T))
    np.add.at(state_total, state, level)
    reference = pd.DataFrame({"series_id": panel["series_id"], "period": panel["period"],
                              "value": state_total[state[c_idx], i_idx].ravel()})
    # occupations: SOC-shaped codes in the 22 major groups, EP-like separation rates
    per_group = np.bincount(rng.integers(0, len(MAJOR_GROUPS), OCCUPATIONS), minlength=len(MAJOR_GROUPS))
    soc = np.array([f"{g}-{1011 + 10 * k:04d}" for g, n in zip(MAJOR_GROUPS, per_group, strict=True)
                    for k in range(n)])
    titles = np.array([f"Occupation {s}" for s in soc])
    edu = rng.choice(EDUCATION, OCCUPATIONS, p=[.12, .3, .03, .1, .08, .27, .05, .05])
    rates = pd.DataFrame({"soc_code": soc, "labor_force_exit_rate": rng.uniform(0.01, 0.06, OCCUPATIONS).round(4),
                          "occupational_transfer_rate": rng.uniform(0.02, 0.09, OCCUPATIONS).round(4),
                          "occupation_title": titles, "typical_entry_education": edu,
                          "work_experience": rng.choice(["None", "Less than 5 years", "5 years or more"],
                                                        OCCUPATIONS, p=[.9, .06, .04]),
                          "on_the_job_training": rng.choice(["None", "Short-term on-the-job training",
                                                             "Moderate-term on-the-job training"],
                                                            OCCUPATIONS, p=[.5, .3, .2])})
    # staffing: each industry employs ~150 occupations
    rows = []
    for code in naics:
        occ = np.sort(rng.choice(OCCUPATIONS, 150, replace=False))
        share = rng.dirichlet(np.full(150, 0.5)) * rng.uniform(0.93, 1.0)
        rows.append(pd.DataFrame({"geography": "00", "naics_code": code, "soc_code": soc[occ],
                                  "share_of_industry_employment": share, "occupation_title": titles[occ]}))
    staffing = pd.concat(rows, ignore_index=True)
    # training: 400 CIP codes, each mapped to 1–4 occupations; ~30 programs per county
    cips = np.array([f"{c // 10000:02d}.{c % 10000:04d}" for c in np.sort(rng.choice(np.arange(10000, 529999), 400,
                                                                                          replace=False))])
    k = rng.integers(1, 5, len(cips))
    cip_soc = pd.DataFrame({"cip_code": np.repeat(cips, k), "soc_code": soc[rng.integers(0, OCCUPATIONS, k.sum())]}
                           ).drop_duplicates(ignore_index=True)
    n_prog = rng.poisson(np.clip(size / size.mean() * 30, 3, 400))
    county_of = np.repeat(np.arange(n_counties), n_prog)
    provider = np.array([f"{counties[c]}{rng.integers(1, 4)}" for c in county_of])
    cip = rng.choice(cips, len(county_of))
    award = rng.choice(AWARDS, len(county_of), p=[.12, .15, .1, .25, .25, .1, .03])
    programs = pd.DataFrame({"program_id": [f"{p}:{c}:{a}" for p, c, a in zip(provider, cip, award, strict=True)],
                             "provider_id": provider, "cip_code": cip, "award_level": award,
                             "completers": rng.lognormal(2.5, 1.0, len(county_of)).round(1),
                             "provider_name": [f"College {p}" for p in provider],
                             "award_label": award, "provider_kind": "ipeds", "county_fips": counties[county_of]}
                            ).drop_duplicates("program_id", ignore_index=True)
    return Nation(panel, reference, staffing, rates, programs, cip_soc)


def forecast(nat: Nation, executor: object, models: list[str] | None = None) -> pd.DataFrame:
    from align.demand.forecast import forecast_panel

    res = forecast_panel(nat.panel.drop(columns="naics").assign(sector=nat.panel["naics"]), HORIZON,
                         reference=nat.reference, pool_by="state", category="sector", models=models,
                         backtest_detail=False, executor=executor,
                         progress=lambda d, n: print(f"  forecast {d:,}/{n:,} series", file=sys.stderr, flush=True))
    return res.forecasts


def staffing(nat: Nation, fc: pd.DataFrame) -> pd.DataFrame:
    """County × occupation base, target and 80% bounds from one sparse matrix product."""
    from align.demand.occupations import staffing_matrix, to_occupations

    base = nat.panel[nat.panel["period"] == YEARS[-1]].set_index("series_id")["value"]
    target = fc[fc["period"] == YEARS[-1] + HORIZON].set_index("series_id")
    values = pd.DataFrame({"employment_base": base.reindex(target.index).to_numpy(),
                           "employment_target": target["forecast"].to_numpy(),
                           "employment_target_lo80": target["lo80"].fillna(target["forecast"]).to_numpy(),
                           "employment_target_hi80": target["hi80"].fillna(target["forecast"]).to_numpy()},
                          index=target.index.astype(str))
    values = values.dropna(subset=["employment_base"])  # latest year suppressed: no base (as a run)
    county, naics = values.index.str.split(":", n=1).str[0], values.index.str.split(":", n=1).str[1]
    wide = values.set_axis(pd.MultiIndex.from_arrays([county, naics], names=["county", "naics_code"])
                           ).unstack("county", fill_value=0.0)  # an industry a county lacks employs nobody
    occ = to_occupations(wide, staffing_matrix(nat.staffing))    # (occupations × quantity·county)
    long = occ.T.stack().unstack(level=0)                          # (county, soc) × quantity
    long.index = long.index.set_names(["county", "soc_code"])
    long = long[long["employment_base"] > 0].reset_index()
    long["county"] = long["county"].astype("category")
    long["soc_code"] = long["soc_code"].astype("category")
    return long


def openings(nat: Nation, occ: pd.DataFrame) -> pd.DataFrame:
    from align.demand.openings import annual_openings

    r = nat.rates.set_index("soc_code").reindex(occ["soc_code"].astype(str))
    exit_, transfer = r["labor_force_exit_rate"].to_numpy(), r["occupational_transfer_rate"].to_numpy()

    def one(target: str) -> pd.DataFrame:
        return annual_openings(occ["employment_base"], occ[target], HORIZON, pd.Series(exit_, index=occ.index),
                               pd.Series(transfer, index=occ.index))

    out = pd.concat([occ, one("employment_target")], axis=1)
    out["annual_openings_low"] = one("employment_target_lo80")["annual_openings"]
    out["annual_openings_high"] = one("employment_target_hi80")["annual_openings"]
    for col in ("occupation_title", "typical_entry_education", "work_experience", "on_the_job_training"):
        out[col] = pd.Categorical(r[col].to_numpy())
    return out


def county_gaps(demand: pd.DataFrame, programs: pd.DataFrame, cip_soc: pd.DataFrame,
                rates: pd.DataFrame) -> pd.DataFrame:
    """Supply allocation and gaps for a batch of counties, by the run's own stages; one row per
    county × flag (count, openings, supply, gap) comes back, the gaps tables stay on the worker."""
    from align import config as C
    from align import schemas
    from align.match.stages import match
    from align.supply.stages import supply

    cfg = C.load(ROOT / "data" / "demo" / "region.toml")
    out = []
    for county, d in demand.groupby("county", observed=True, sort=True):
        d = d.drop(columns="county").assign(**{c: d[c].astype(object) for c in (
            "soc_code", "occupation_title", "typical_entry_education", "work_experience", "on_the_job_training")})
        tables = {"occupation_demand": schemas.validate(d.reset_index(drop=True), "occupation_demand"),
                  "programs": programs[programs["county_fips"] == county].drop(columns="county_fips")
                  .reset_index(drop=True), "cip_soc": cip_soc, "separation_rates": rates}
        tables.update(supply(cfg, tables).tables)
        g = match(cfg, tables).tables["gaps"]
        flags, at = np.unique(g["flag"].to_numpy(dtype=str), return_inverse=True)
        out.append(pd.DataFrame({"flag": flags, "occupations": np.bincount(at),
                                 **{k: np.bincount(at, weights=g[c].to_numpy(dtype=float)) for k, c in (
                                     ("openings", "annual_openings"), ("supply", "effective_supply"), ("gap", "gap"))},
                                 "county": county}))
    return pd.concat(out, ignore_index=True)


def supply_and_gaps(nat: Nation, demand: pd.DataFrame, client: object, workers: int) -> pd.DataFrame:
    from align import schemas

    counties = demand["county"].cat.categories
    batches = np.array_split(np.asarray(counties), workers * BATCHES_PER_WORKER)
    # the stages read their inputs as the run's stages hand them over: validated tables
    programs = schemas.validate(nat.programs, "programs")
    cip_soc = client.scatter(schemas.validate(nat.cip_soc, "cip_soc"), broadcast=True)
    rates = client.scatter(schemas.validate(nat.rates, "separation_rates"), broadcast=True)
    futures = []
    for b in batches:
        d = demand[demand["county"].isin(b)]
        d = d.assign(county=d["county"].cat.remove_unused_categories())
        # the batch's rows go to the cluster as data, not inside the task graph
        rows, progs = client.scatter([d, programs[programs["county_fips"].isin(b)]])
        futures.append(client.submit(county_gaps, rows, progs, cip_soc, rates, pure=False))
    return pd.concat(client.gather(futures), ignore_index=True)


def run(nat: Nation, workers: int, models: list[str] | None = None) -> tuple[Steps, dict[str, pd.DataFrame]]:
    from distributed import Client, LocalCluster

    # a pool's arrays (up to ~14 MB) travel inside its task: Dask's advice to scatter them first
    # would only move the same bytes earlier, so its warning would repeat once per pool
    warnings.filterwarnings("ignore", message="Sending large graph", category=UserWarning)
    steps = Steps()
    with steps.step("start the Dask cluster"):
        cluster = LocalCluster(n_workers=workers, threads_per_worker=1, processes=True,
                               dashboard_address=None, memory_limit=0)
        client = Client(cluster)
    try:
        with steps.step("forecast (menu + backtests, 51 pools)"):
            fc = forecast(nat, client.get_executor(), models)
        with steps.step("staffing (one sparse product)"):
            occ = staffing(nat, fc)
        with steps.step("openings"):
            demand = openings(nat, occ)
        with steps.step("supply allocation and gaps"):
            gaps = supply_and_gaps(nat, demand, client, workers)
    finally:
        client.close()
        cluster.close()
    return steps, {"forecasts": fc, "demand": demand, "gaps": gaps}


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--workers", type=int, nargs="+", default=[1, 2])
    ap.add_argument("--counties", type=int, default=COUNTIES)
    ap.add_argument("--models", nargs="+", help="a smaller menu (default: the whole menu), for a quick check")
    args = ap.parse_args(argv)

    gen = Steps()
    with gen.step("generate the synthetic nation"):
        nat = nation(args.counties)
    n_series = nat.panel["series_id"].nunique()
    print(f"synthetic nation: {args.counties:,} counties in {len(STATES)} states, {INDUSTRIES} industries, "
          f"{OCCUPATIONS} occupations, {len(YEARS)} years: {n_series:,} industry series "
          f"({len(nat.panel):,} rows), {len(nat.programs):,} programs, {len(nat.cip_soc):,} crosswalk rows")
    print(gen.table())
    runs = {}
    for w in args.workers:
        t = time.perf_counter()
        steps, out = run(nat, w, args.models)
        runs[w] = (time.perf_counter() - t, steps, out)
        print(f"\n== {w} worker process(es) ==")
        print(steps.table())
        d, g = out["demand"], out["gaps"]
        print(f"{len(d):,} county × occupation rows, {d['annual_openings'].sum():,.0f} openings a year; flags: "
              + ", ".join(f"{f} {n:,}" for f, n in g.groupby("flag")["occupations"].sum().items()))
    walls = {w: r[0] for w, r in runs.items()}
    print("\nwall time by workers: " + ", ".join(f"{w}: {s:.0f} s" for w, s in walls.items())
          + (f"; speed-up {walls[1] / walls[2]:.2f}× at 2 workers" if 1 in walls and 2 in walls else "")
          + " (goal: ≤ 600 s, < 8 GB)")
    for name in ("forecast (menu + backtests, 51 pools)", "supply allocation and gaps"):
        print(f"{name}: " + ", ".join(f"{w} worker(s) {dict((r[0], r[1]) for r in runs[w][1].rows)[name]:.0f} s"
                                      for w in runs))
    outs = [r[2] for r in runs.values()]
    for o in outs[1:]:
        same = all(o[k].equals(outs[0][k]) for k in ("forecasts", "demand", "gaps"))
        print("results identical across worker counts" if same else "RESULTS DIFFER ACROSS WORKER COUNTS")
    return 0


if __name__ == "__main__":
    sys.exit(main())
