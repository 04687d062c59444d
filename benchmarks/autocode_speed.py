"""Autocoder speed: code 100,000 job titles and print titles per second.

Titles are synthetic postings made from O*NET titles (seniority, shift, "- Remote" and
location noise added), so most are distinct — the harder case; real postings repeat titles and
are scored once per distinct normalised title. Uses the real O*NET folder when given
(``--onet DIR`` or ``ALIGN_ONET``), else the small test fixture, and the Census occupation index
beside it in ``../shared`` when present (``--census``).
"""

from __future__ import annotations

import argparse
import sys
import tempfile
import time
from pathlib import Path

import numpy as np

ROOT = Path(__file__).resolve().parents[1]
FIXTURE = ROOT / "tests" / "fixtures" / "autocode" / "db_28_1_text"
REAL = ROOT.parent / "shared" / "data" / "real" / "onet" / "db_27_0_text"
CENSUS = ROOT.parent / "shared" / "data" / "real" / "derived" / "census_occupation_index_2022_train.csv"


def synthetic_titles(base: list[str], n: int, seed: int = 0) -> list[str]:
    rng = np.random.default_rng(seed)
    pre = ["", "", "Senior ", "Sr. ", "Junior ", "Lead ", "Entry Level "]
    post = ["", "", " - Remote", " (Nights)", " II", " - Columbus, OH", " - Full Time", " $5k Sign-On Bonus"]
    picks = rng.integers(0, len(base), n)
    a, b = rng.integers(0, len(pre), n), rng.integers(0, len(post), n)
    return [f"{pre[i]}{base[j]}{post[k]}" for j, i, k in zip(picks, a, b, strict=True)]


def main(argv: list[str] | None = None) -> int:
    from align.postings import autocoder as ac

    p = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    p.add_argument("--onet", help="O*NET text release folder (default $ALIGN_ONET, the shared real one, or the fixture)")
    p.add_argument("-n", type=int, default=100_000, help="titles to code (default 100,000)")
    p.add_argument("--census", help="Census occupation index (default: the shared real one, if present)")
    args, _ = p.parse_known_args(argv)
    onet = Path(args.onet) if args.onet else ac.default_onet_dir() or (REAL if REAL.is_dir() else FIXTURE)
    census = Path(args.census) if args.census else (CENSUS if CENSUS.is_file() and onet == REAL else None)
    with tempfile.TemporaryDirectory() as cache:
        t0 = time.perf_counter()
        model = ac.load_autocoder(onet, census_index=census, cache_dir=Path(cache))
        train_s = time.perf_counter() - t0
        ac._MEMO.clear()
        t0 = time.perf_counter()
        ac.load_autocoder(onet, census_index=census, cache_dir=Path(cache))
        load_s = time.perf_counter() - t0
    base = ac.training_titles(onet)["title"].tolist()
    titles = synthetic_titles(base, args.n)
    distinct = len({ac.normalise_title(t) for t in titles})
    t0 = time.perf_counter()
    coded = ac.code_titles(titles, model)
    secs = time.perf_counter() - t0
    print(f"O*NET: {onet} ({model.release}); Census index: {census or 'not used'}; train {train_s:.1f} s, "
          f"load from cache {load_s:.2f} s")
    print(f"coded {len(titles):,} titles ({distinct:,} distinct after normalising) in {secs:.2f} s: "
          f"{len(titles) / secs:,.0f} titles/s; {coded['autocode_soc_code'].notna().mean():.1%} above the "
          f"{ac.DEFAULT_THRESHOLD} threshold, {coded['autocode_review'].mean():.1%} flagged for review")
    return 0


if __name__ == "__main__":
    sys.exit(main())
