"""Accuracy on real regional history: New York counties and labour market regions × sector, 2000–2012.

The New York State DOL QCEW export (``../shared/data/real/qcew_ny/``, read by the ``qcew_ny``
connector) gives 13 years of annual average employment for the state, its 62 counties and its
10 labour market regions. Series: every county and region × 2-digit private sector (ranges as
BLS writes them, ``31-33``) plus all government; confidential years are missing (never zero).
Reference for each series: the state's own series for the same sector (AREATYPE State).

Exercises (scored only inside 2000–2012; everything else — backtests, model choice, interval
calibration — uses the data up to the origin only):

* data through 2007 → 2008–2012 (5 years), through 2008 → 2009–2012, through 2009 → 2010–2012.

``--dev`` runs the in-training pseudo-exercises the engine's rules were set on instead: data
through 2004 → 2005–2007 and through 2005 → 2006–2007 (scored no later than 2007, before every
scored origin's held-back years).

Scored per series on the held-back years (MASE scaled by the in-sample naive MAE to the origin):
the chosen forecast against naive, random walk with drift, a pooled sector-trend baseline (the
series grows at its state sector's average growth to the origin) and the state-share rule (the
region's share of its state sector held at its last three years' average, times the state
sector's damped-trend forecast); the share of series whose direction of change from the origin
to the last held-back year is right, beside the 'always up' rule; and the share of held-back
values inside the 80% interval, by horizon. Beside them a *hindsight bound*, not a forecast: the
series keeps its origin share of its state sector while the sector follows its actual path (the
recession included), which says how much of the error any model that foresaw the state's future
could remove; what is left is the area's own movement.

Two error scales. The goal's figure is the *mean of per-series MASE* (each series' mean
absolute error over its own naive MAE, then averaged: every series counts alike, so a quiet
series that jumps weighs as much as New York City). Beside it, *pooled MASE* is Σ|error| /
Σ scale over all held-back values: series count by their volatility, which is nearer to how
many jobs the errors are. Both are printed; the goal stays on the first.
Goals (issue 12): MASE ≤ 0.90 × the better of naive and drift, direction right ≥ 70%, 80%
coverage 70–90% at every horizon.

Run: ``python benchmarks/regional_accuracy.py [--data PATH] [--dev]``.
"""

from __future__ import annotations

import argparse
import os
import sys
import time
from pathlib import Path

import numpy as np
import pandas as pd

ROOT = Path(__file__).resolve().parents[1]
DEFAULT = Path(os.environ.get("ALIGN_REAL_DATA", ROOT.parent / "shared" / "data" / "real")) / "qcew_ny"
EXERCISES = ((2007, 5), (2008, 4), (2009, 3))
DEV_EXERCISES = ((2004, 3), (2005, 2))
AREA_TYPES = ("County", "Labor Market Area")
GOVERNMENT = "GOV"
FORECASTS = ("forecast", "forecast_naive", "drift", "trend", "share", "hindsight")
MIN_TRAIN = 3  # regional histories are short: at 5 points (the default) the 2004 origin has no backtest


def load(folder: Path) -> tuple[pd.DataFrame, pd.DataFrame]:
    """(panel, reference): area × sector series and the state's series for each sector."""
    from align_connectors.state_qcew import NewYorkQCEWConnector

    ny = NewYorkQCEWConnector()
    frames = [ny.parse(p) for p in sorted(folder.glob("qcew_annual_*.txt"))]
    t = pd.concat(frames, ignore_index=True)
    sector = (t["own_code"] == "5") & t["agglvl_code"].str.endswith("4")
    gov = (t["own_code"] == "8") & (t["naics_code"] == "10")
    t = t[sector | gov].assign(sector=lambda d: np.where(d["own_code"] == "8", GOVERNMENT, d["naics_code"]))
    state = t[t["area_type"] == "State"]
    areas = t[t["area_type"].isin(AREA_TYPES)]
    panel = pd.DataFrame({"series_id": areas["area_fips"] + "|" + areas["sector"],
                          "period": areas["period"], "value": areas["employment"],
                          "sector": areas["sector"], "area_type": areas["area_type"]})
    # a series needs a published value at some point; missing years stay missing
    panel = panel[panel.groupby("series_id")["value"].transform(lambda v: v.notna().any())]
    ref_by_sector = state.set_index(["sector", "period"])["employment"]
    reference = panel[["series_id", "period", "sector"]].copy()
    reference["value"] = ref_by_sector.reindex(pd.MultiIndex.from_frame(reference[["sector", "period"]])).to_numpy()
    return panel.reset_index(drop=True), reference[["series_id", "period", "value"]].reset_index(drop=True)


def sector_trend(train: pd.DataFrame, ref_train: pd.DataFrame, steps: pd.Series,
                 ids: pd.Series) -> np.ndarray:
    """Pooled sector-trend baseline: last value × (1 + state sector's mean growth)^steps."""
    r = ref_train.dropna().sort_values(["series_id", "period"]).groupby("series_id")["value"]
    growth = np.exp((np.log(r.last()) - np.log(r.first())) / (r.size() - 1).clip(lower=1))
    last = train.dropna(subset=["value"]).sort_values("period").groupby("series_id")["value"].last()
    return ids.map(last).to_numpy() * ids.map(growth).to_numpy() ** steps.to_numpy()


def state_share(train: pd.DataFrame, ref_train: pd.DataFrame, steps: pd.Series, ids: pd.Series) -> np.ndarray:
    """The economist's baseline: the region's share of its state sector held at its average of the
    last three years, times the state sector's damped-trend forecast (ETS(A,Ad,N), as the engine's)."""
    from align.demand import models as M

    years = sorted(train["period"].unique())[-3:]
    y = train[train["period"].isin(years)].pivot(index="series_id", columns="period", values="value")
    r = ref_train.pivot_table(index="series_id", columns="period", values="value")
    share = (y / r.reindex(index=y.index, columns=y.columns)).mean(axis=1)
    R = r.reindex(index=share.index).to_numpy(dtype=float)
    H = int(steps.max())
    ok = np.isfinite(R).all(axis=1)
    Rf = np.full((len(R), H), np.nan)
    Rf[ok] = M.damped(R[ok], H)
    path = pd.DataFrame(Rf, index=share.index, columns=range(1, H + 1)).mul(share, axis=0).stack()
    return pd.MultiIndex.from_arrays([ids, steps]).map(path.to_dict().get).to_numpy(dtype=float)


def hindsight(fc: pd.DataFrame, ref_train: pd.DataFrame, reference: pd.DataFrame) -> np.ndarray:
    """Not a forecast: a bound. The series keeps its share of the state sector at the origin while
    the state sector follows its *actual* path (the recession included): what a model that knew the
    state's future, but nothing more about the area, would reach. Naive where the state is missing."""
    r = ref_train.dropna().sort_values("period").groupby("series_id")["value"].last()
    actual = reference.set_index(["series_id", "period"])["value"]
    ahead = actual.reindex(pd.MultiIndex.from_frame(fc[["series_id", "period"]])).to_numpy(dtype=float)
    out = fc["last"].to_numpy() * ahead / fc["series_id"].map(r).to_numpy(dtype=float)
    return np.where(np.isfinite(out), out, fc["forecast_naive"].to_numpy())


def trend_weights(train: pd.DataFrame, ref_train: pd.DataFrame, horizon: int) -> tuple[float, float, float]:
    """The (a, b, φ) the ``pooled_trend`` model fits on this exercise's training data (one pool)."""
    from align.demand import models as M
    from align.demand.backtest import fill_interior

    y = train.pivot(index="series_id", columns="period", values="value")
    r = ref_train.pivot_table(index="series_id", columns="period", values="value").reindex(
        index=y.index, columns=y.columns)
    a, b, phi = M.fit_trend_weights(fill_interior(y.to_numpy(float)), fill_interior(r.to_numpy(float)), horizon)
    return float(a), float(b), float(phi)


def evaluate(panel: pd.DataFrame, reference: pd.DataFrame, origin: int, horizon: int,
             **kw: object) -> dict[str, object]:
    """Forecast from data through ``origin``; score against the held-back years."""
    from align.demand.forecast import forecast_panel

    train = panel[panel["period"] <= origin]
    # a series is forecast only if its latest training year is published
    live = set(train.loc[(train["period"] == origin) & train["value"].notna(), "series_id"])
    train = train[train["series_id"].isin(live)]
    ref_train = reference[(reference["period"] <= origin) & reference["series_id"].isin(live)]
    test = panel[(panel["period"] > origin) & (panel["period"] <= origin + horizon)].dropna(subset=["value"])
    res = forecast_panel(train[["series_id", "period", "value", "sector"]], horizon, reference=ref_train,
                         **{"min_train": MIN_TRAIN, "category": "sector",
                            "pool_over": "all New York counties and labour market regions", **kw})
    fc = res.forecasts.merge(test[["series_id", "period", "value"]], on=["series_id", "period"], how="inner")
    tr = train.dropna(subset=["value"]).sort_values(["series_id", "period"])
    g = tr.groupby("series_id")["value"]
    scale = g.diff().abs().groupby(tr["series_id"]).mean()  # in-sample naive MAE (the MASE scale)
    fc["scale"] = fc["series_id"].map(scale)
    fc = fc[fc["scale"] > 0]
    first_p, last_p = tr.groupby("series_id")["period"].first(), tr.groupby("series_id")["period"].last()
    slope = (g.last() - g.first()) / (last_p - first_p).clip(lower=1)
    fc["drift"] = fc["series_id"].map(g.last()) + fc["series_id"].map(slope) * fc["steps_ahead"]
    fc["trend"] = sector_trend(train, ref_train, fc["steps_ahead"], fc["series_id"])
    fc["share"] = state_share(train, ref_train, fc["steps_ahead"], fc["series_id"])
    fc["share"] = fc["share"].fillna(fc["forecast_naive"])  # no state series: the share rule is naive
    fc["last"] = fc["series_id"].map(g.last())
    fc["hindsight"] = hindsight(fc, ref_train, reference)
    for col in FORECASTS:
        fc[f"ae_{col}"] = np.abs(fc["value"] - fc[col]) / fc["scale"]
        fc[f"abs_{col}"] = np.abs(fc["value"] - fc[col])
    fc["in80"] = (fc["value"] >= fc["lo80"]) & (fc["value"] <= fc["hi80"])
    per = fc.groupby("series_id")[[c for c in fc.columns if c.startswith("ae_")]].mean()
    pooled = {c: fc[f"abs_{c}"].sum() / fc["scale"].sum() for c in FORECASTS}
    end = fc.sort_values("period").groupby("series_id").last()
    moved = end["value"] != end["last"]
    up = end["value"] > end["last"]
    direction = ((end["forecast"] > end["last"]) == up)[moved]
    always_up = up[moved]
    trend_dir = ((end["trend"] > end["last"]) == up)[moved]
    cov = fc.groupby("steps_ahead")["in80"].mean()
    return {
        "series": len(per), "values": len(fc),
        "mase": per["ae_forecast"].mean(), "naive": per["ae_forecast_naive"].mean(),
        "drift": per["ae_drift"].mean(), "trend": per["ae_trend"].mean(), "share": per["ae_share"].mean(),
        "pooled": pooled, "weights": trend_weights(train[["series_id", "period", "value"]], ref_train, horizon),
        "share_direction": ((end["share"] > end["last"]) == up)[moved].mean(),
        "hindsight": per["ae_hindsight"].mean(),
        "hindsight_direction": ((end["hindsight"] > end["last"]) == up)[moved].mean(),
        "direction": direction.mean(), "always_up": always_up.mean(), "trend_direction": trend_dir.mean(),
        "coverage": cov.to_dict(), "coverage_all": fc["in80"].mean(),
        "models": res.forecasts.drop_duplicates("series_id")["model"].value_counts().to_dict(),
    }


def report(r: dict[str, object], origin: int, horizon: int) -> bool:
    better = min(r["naive"], r["drift"])
    ratio = r["mase"] / better
    cov = r["coverage"]
    print(f"\nthrough {origin} → {origin + 1}–{origin + horizon} ({r['series']} series, {r['values']} values)")
    pool = r["pooled"]
    print(f"  mean MASE  chosen {r['mase']:.3f}   naive {r['naive']:.3f}   drift {r['drift']:.3f}   "
          f"sector trend {r['trend']:.3f}   state share {r['share']:.3f}")
    print(f"  ratio chosen / better of naive and drift {ratio:.3f} (goal ≤ 0.90); "
          f"/naive {r['mase'] / r['naive']:.3f}, /drift {r['mase'] / r['drift']:.3f}, "
          f"/sector trend {r['mase'] / r['trend']:.3f}, /state share {r['mase'] / r['share']:.3f}")
    print(f"  pooled MASE (Σ|error| / Σ scale)  chosen {pool['forecast']:.3f}   naive {pool['forecast_naive']:.3f}   "
          f"drift {pool['drift']:.3f}   sector trend {pool['trend']:.3f}   state share {pool['share']:.3f}; ratio "
          f"chosen / better of naive and drift {pool['forecast'] / min(pool['forecast_naive'], pool['drift']):.3f}")
    print(f"  direction of change right: chosen {r['direction']:.1%} (goal ≥ 70%), always up "
          f"{r['always_up']:.1%}, always down (= naive: no change counts as not up) "
          f"{1 - r['always_up']:.1%}, sector trend {r['trend_direction']:.1%}, state share {r['share_direction']:.1%}")
    print(f"  hindsight bound (not a forecast: origin share × the state sector's actual path): mean MASE "
          f"{r['hindsight']:.3f}, {r['hindsight'] / better:.3f} of the better of naive and drift; direction right "
          f"{r['hindsight_direction']:.1%}")
    a, b, phi = r["weights"]
    print(f"  pooled_trend weights fitted on the training data, pool-wide (each sector with 30+ series fits "
          f"its own): {a:g} × sector trend + {b:g} × own lead, φ = {phi:g}")
    print("  80% interval coverage by horizon: "
          + ", ".join(f"h{int(h)} {c:.1%}" for h, c in cov.items()) + f" (all {r['coverage_all']:.1%}; goal 70–90% each)")
    print(f"  models chosen: {r['models']}")
    return ratio <= 0.9 and r["direction"] >= 0.7 and all(0.7 <= c <= 0.9 for c in cov.values())


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--data", type=Path, default=DEFAULT)
    ap.add_argument("--dev", action="store_true", help="in-training pseudo-exercises (scored up to 2007)")
    args = ap.parse_args(argv)
    if not args.data.is_dir():
        print(f"regional_accuracy: New York QCEW files not found at {args.data}; skipped", file=sys.stderr)
        return 0
    t0 = time.perf_counter()
    panel, reference = load(args.data)
    print(f"New York QCEW panel: {panel['series_id'].nunique()} county and region × sector series, "
          f"{panel['period'].min()}–{panel['period'].max()} ({time.perf_counter() - t0:.1f} s to read)")
    ok, rows = True, []
    for origin, h in DEV_EXERCISES if args.dev else EXERCISES:
        r = evaluate(panel, reference, origin, h)
        ok &= report(r, origin, h)
        rows.append(r)
    mase = np.mean([r["mase"] for r in rows])
    better = np.mean([min(r["naive"], r["drift"]) for r in rows])
    print(f"\nall exercises: chosen / better of naive and drift {mase / better:.3f}, direction right "
          f"{np.mean([r['direction'] for r in rows]):.1%} (always up {np.mean([r['always_up'] for r in rows]):.1%})")
    pooled = np.mean([r["pooled"]["forecast"] for r in rows]) / np.mean(
        [min(r["pooled"]["forecast_naive"], r["pooled"]["drift"]) for r in rows])
    print(f"pooled MASE: chosen / better of naive and drift {pooled:.3f}")
    print(f"goals met: {'yes' if ok else 'NO'}   ({time.perf_counter() - t0:.1f} s)")
    return 0


if __name__ == "__main__":
    sys.exit(main())
