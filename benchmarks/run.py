"""Run every benchmark (``make bench``): forecast speed, accuracy on real CES and NY regional history,
autocoder speed and accuracy, and the whole `align run` on the demo and Columbus.

Extra arguments go to the speed benchmark (e.g. ``python benchmarks/run.py --scale``);
``--nation`` adds the synthetic-nation scale benchmark (``scale.py``, at 1 and 2 Dask workers).
"""

from __future__ import annotations

import sys
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))

import autocode_accuracy
import autocode_speed
import forecast_accuracy
import forecast_speed
import regional_accuracy
import run_speed
import scale


def main(argv: list[str] | None = None) -> int:
    argv = sys.argv[1:] if argv is None else argv
    nation = "--nation" in argv
    argv = [a for a in argv if a != "--nation"]
    print("== forecast speed ==")
    rc = forecast_speed.main(argv)
    print("\n== forecast accuracy (real CES history) ==")
    rc = rc or forecast_accuracy.main([])
    print("\n== forecast accuracy (real New York county and region × sector history) ==")
    rc = rc or regional_accuracy.main([])
    print("\n== title autocoder speed (100,000 titles) ==")
    rc = rc or autocode_speed.main([])
    print("\n== title autocoder accuracy (Census index and O*NET hold-outs) ==")
    rc = rc or autocode_accuracy.main([])
    print("\n== align run, report included (median of 3; targets: demo 5 s, Columbus 8 s) ==")
    rc = rc or run_speed.main([])
    if nation:
        print("\n== a synthetic nation: 3,143 counties × 90 industries × 800 occupations (target: 10 min, 8 GB) ==")
        rc = rc or scale.main([])
    return rc


if __name__ == "__main__":
    sys.exit(main())
