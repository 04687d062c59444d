"""Run every benchmark (``make bench``): forecast speed, accuracy on real CES history, autocoder speed
and the whole `align run` on the demo and Columbus.

Extra arguments go to the speed benchmark (e.g. ``python benchmarks/run.py --scale``).
"""

from __future__ import annotations

import sys
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))

import autocode_speed
import forecast_accuracy
import forecast_speed
import run_speed


def main(argv: list[str] | None = None) -> int:
    argv = sys.argv[1:] if argv is None else argv
    print("== forecast speed ==")
    rc = forecast_speed.main(argv)
    print("\n== forecast accuracy (real CES history) ==")
    rc = rc or forecast_accuracy.main([])
    print("\n== title autocoder speed (100,000 titles) ==")
    rc = rc or autocode_speed.main([])
    print("\n== align run, report included (median of 3; targets: demo 5 s, Columbus 8 s) ==")
    return rc or run_speed.main([])


if __name__ == "__main__":
    sys.exit(main())
