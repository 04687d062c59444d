"""Speed: `align run` end to end, report and PDFs included, on the demo and on Columbus.

Each region runs ``--repeat`` times (default 3) as a fresh process (``align run -q``, so imports
count, as they do for a user) into a temporary output folder. Prints the median wall time, the
median CPU time of the process (user + system: what the run costs when the machine is shared),
and the ratio of the median wall time to the target: 5 s for the demo, 8 s for Columbus on a
2-core machine. A ratio above 1 misses the target (printed, not an error). Columbus is skipped when ``../shared/data/real``
is not beside the checkout.

Run: ``python benchmarks/run_speed.py [--repeat 3] [--only demo|columbus] [--no-pdf]``.
"""

from __future__ import annotations

import argparse
import os
import re
import resource
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
REGIONS = {"demo": (ROOT / "data" / "demo" / "region.toml", 5.0),
           "columbus": (ROOT / "data" / "examples" / "columbus-oh" / "region.toml", 8.0)}
ALIGN = Path(sys.executable).with_name("align")


def _config_into(config: Path, out: Path) -> Path:
    """A copy of ``config`` beside it (relative input paths keep working) writing its runs to ``out``."""
    text = re.sub(r'(?m)^output_dir\s*=.*$', f'output_dir = "{out.as_posix()}"', config.read_text(encoding="utf-8"))
    copy = config.with_name(f".bench-{os.getpid()}-{config.name}")
    copy.write_text(text, encoding="utf-8")
    return copy


def time_run(config: Path, *, pdf: bool = True) -> tuple[float, float]:
    """(wall seconds, CPU seconds of the child) for one `align run` in a new process."""
    with tempfile.TemporaryDirectory(prefix="align-bench-") as tmp:
        copy = _config_into(config, Path(tmp))
        try:
            before = resource.getrusage(resource.RUSAGE_CHILDREN)
            start = time.perf_counter()
            cmd = [str(ALIGN), "run", str(copy), "-q", *([] if pdf else ["--no-pdf"])]
            subprocess.run(cmd, check=True, capture_output=True, env={"ALIGN_HASH_SALT": "bench", **os.environ})
            wall = time.perf_counter() - start
            after = resource.getrusage(resource.RUSAGE_CHILDREN)
        finally:
            copy.unlink(missing_ok=True)
    return wall, (after.ru_utime - before.ru_utime) + (after.ru_stime - before.ru_stime)


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--repeat", type=int, default=3)
    ap.add_argument("--only", choices=sorted(REGIONS))
    ap.add_argument("--no-pdf", action="store_true", help="time `align run --no-pdf` instead")
    args = ap.parse_args(argv)
    print(f"{'region':<10} {'median wall':>12} {'median CPU':>11} {'target':>7} {'ratio':>6}  runs (wall s)")
    for name, (config, target) in REGIONS.items():
        if args.only and name != args.only:
            continue
        if name == "columbus" and not (ROOT.parent / "shared" / "data" / "real").exists():
            print(f"{name:<10} skipped: ../shared/data/real is not beside the checkout")
            continue
        runs = [time_run(config, pdf=not args.no_pdf) for _ in range(args.repeat)]
        wall = statistics.median(w for w, _ in runs)
        cpu = statistics.median(c for _, c in runs)
        ratio = wall / target
        print(f"{name:<10} {wall:>10.2f} s {cpu:>9.2f} s {target:>5.0f} s {ratio:>6.2f}  "
              + ", ".join(f"{w:.2f}" for w, _ in runs))
    print(f"load average now: {', '.join(f'{v:.1f}' for v in os.getloadavg())} "
          "(wall times above the CPU time mean the machine was shared)")
    return 0


if __name__ == "__main__":
    sys.exit(main())
