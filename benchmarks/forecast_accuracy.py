"""Accuracy on real history: 74 national CES industry series (FRED download, 1939–2019).

Monthly values → annual averages (full years only). Two exercises, each using only the data up
to its origin for everything (backtests, model choice, interval calibration):

* data through 2008 → forecast 2009–2018 (10 years, through the Great Recession);
* data through 2013 → forecast 2014–2018 (5 years).

Scored on the held-back years: MASE (scaled by each series' in-sample naive MAE up to the
origin) of the chosen forecasts, of random walk with drift and of naive, and the share of
held-back values inside the 80% and 95% intervals. Targets (issue 4): chosen no worse than
drift, at least 10% better than naive, 80% coverage between 70% and 90%.

``--dev`` runs the *in-training* pseudo-exercises instead (data through 1988, 1993, 1998 and
2003, scored on years up to 2008 at the latest, so inside the training data of both real
exercises). The engine's rules (combination by default, the switching margin, symmetric
inflated intervals, 10 windows per horizon) were chosen on these, never on the held-back
2009–2018 years.

Run: ``python benchmarks/forecast_accuracy.py [--data PATH] [--dev]``.
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
DEFAULT = Path(os.environ.get("ALIGN_REAL_DATA", ROOT.parent / "shared" / "data" / "real")) / "ces" / "US_employment_fpp3_Monthly_subset.txt"
EXERCISES = ((2008, 10), (2013, 5))
DEV_EXERCISES = ((1988, 10), (1993, 5), (1998, 10), (2003, 5))


def evaluate(annual: pd.DataFrame, origin: int, horizon: int, **kw: object) -> dict[str, float]:
    """Forecast from data through ``origin`` and score against the held-back years."""
    from align.demand.forecast import forecast_panel

    train = annual[annual["period"] <= origin]
    test = annual[(annual["period"] > origin) & (annual["period"] <= origin + horizon)]
    res = forecast_panel(train, horizon, **kw)
    fc = res.forecasts.merge(test, on=["series_id", "period"], how="inner")
    # in-sample naive MAE per series up to the origin (the MASE scale)
    tr = train.sort_values(["series_id", "period"])
    scale = tr.groupby("series_id")["value"].apply(lambda v: np.abs(np.diff(v.to_numpy())).mean())
    fc["scale"] = fc["series_id"].map(scale)
    # drift baseline from the same training data (last value + average change)
    g = tr.groupby("series_id")["value"]
    slope = (g.last() - g.first()) / (g.size() - 1)
    fc["drift"] = fc["series_id"].map(g.last()) + fc["series_id"].map(slope) * fc["steps_ahead"]
    per = fc.assign(
        ae=lambda d: np.abs(d["value"] - d["forecast"]) / d["scale"],
        ae_drift=lambda d: np.abs(d["value"] - d["drift"]) / d["scale"],
        ae_naive=lambda d: np.abs(d["value"] - d["forecast_naive"]) / d["scale"],
        in80=lambda d: (d["value"] >= d["lo80"]) & (d["value"] <= d["hi80"]),
        in95=lambda d: (d["value"] >= d["lo95"]) & (d["value"] <= d["hi95"]),
    ).groupby("series_id")[["ae", "ae_drift", "ae_naive", "in80", "in95"]].mean()
    sel = res.accuracy.set_index("model")
    in80 = (fc["value"] >= fc["lo80"]) & (fc["value"] <= fc["hi80"])
    return {"cov80_by_horizon": in80.groupby(fc["steps_ahead"]).mean().to_dict(),
        "series": len(per), "mase": per["ae"].mean(), "mase_drift": per["ae_drift"].mean(),
        "mase_naive": per["ae_naive"].mean(), "cov80": per["in80"].mean(), "cov95": per["in95"].mean(),
        "bt_mase": sel.loc["selected", "mase"], "bt_cov80": sel.loc["selected", "coverage80"],
        "models": res.forecasts.drop_duplicates("series_id")["model"].value_counts().to_dict(),
    }


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--data", type=Path, default=DEFAULT)
    ap.add_argument("--dev", action="store_true",
                    help="in-training pseudo-exercises (origins up to 2003, scored up to 2008)")
    args = ap.parse_args(argv)
    if not args.data.exists():
        print(f"forecast_accuracy: real CES file not found at {args.data}; skipped", file=sys.stderr)
        return 0
    from align_connectors.fred import FREDConnector, annual_averages

    t0 = time.perf_counter()
    annual = annual_averages(FREDConnector().parse(args.data))
    print(f"CES annual panel: {annual['series_id'].nunique()} series, "
          f"{annual['period'].min()}–{annual['period'].max()}")
    total = {"mase": [], "mase_drift": [], "mase_naive": [], "cov80": [], "cov95": []}
    ok = True
    for origin, h in DEV_EXERCISES if args.dev else EXERCISES:
        r = evaluate(annual, origin, h)
        for k in total:
            total[k].append(r[k])
        vs_drift, vs_naive = r["mase"] / r["mase_drift"], r["mase"] / r["mase_naive"]
        print(f"\nthrough {origin} → {origin + 1}–{origin + h} ({r['series']} series)")
        print(f"  mean MASE  chosen {r['mase']:.3f}   drift {r['mase_drift']:.3f}   naive {r['mase_naive']:.3f}")
        print(f"  ratio chosen/drift {vs_drift:.3f} (target ≤ 1.00)   chosen/naive {vs_naive:.3f} (target ≤ 0.90)")
        print(f"  interval coverage of held-back years: 80% → {r['cov80']:.1%} (target 70–90%), "
              f"95% → {r['cov95']:.1%}")
        print("  80% coverage by horizon: " + ", ".join(
            f"h{int(h)} {c:.0%}" for h, c in r["cov80_by_horizon"].items()))
        print(f"  (backtest inside the training data: MASE {r['bt_mase']:.3f}, 80% coverage {r['bt_cov80']:.1%})")
        print(f"  models chosen: {r['models']}")
        ok &= vs_drift <= 1.0 and vs_naive <= 0.9 and 0.7 <= r["cov80"] <= 0.9
    print(f"\nboth exercises: chosen/drift {np.mean(total['mase']) / np.mean(total['mase_drift']):.3f}, "
          f"chosen/naive {np.mean(total['mase']) / np.mean(total['mase_naive']):.3f}, "
          f"80% coverage {np.mean(total['cov80']):.1%}, 95% coverage {np.mean(total['cov95']):.1%}")
    print(f"targets met: {'yes' if ok else 'NO'}   ({time.perf_counter() - t0:.1f} s)")
    return 0


if __name__ == "__main__":
    sys.exit(main())
