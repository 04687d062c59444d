"""Speed: `align run` end to end, report and PDFs included, on the demo and on Columbus.

Each region runs ``--repeat`` times (default 3) as a fresh process (``align run -q``, so imports
count, as they do for a user) into a temporary output folder. Prints the median wall time, the
median CPU time of the process and its children (user + system: what the run costs, and the
steadier figure when the machine is shared), and the ratio of the median wall time to the
target: 5 s for the demo, 8 s for Columbus on a 2-core machine (above 1 misses it; printed, not
an error). Columbus is skipped when ``../shared/data/real`` is not beside the checkout.

Caches. A run reads its inputs through the parse cache (:mod:`align.parsecache`) and the demo's
postings through the autocoder's model cache. By default the benchmark measures a *warm* run,
as every run after a machine's first one is: one untimed run fills the caches first. ``--cold``
measures a *first run on a fresh machine* instead: every repeat gets new, empty parse and model
caches, so every published file is parsed and the autocoder is trained.

Baseline. ``--against DIR`` times another checkout of align (its ``src`` and ``connectors`` put
first on the path, with this interpreter and its packages) in the same session, alternating
run by run with this one, and prints this checkout's medians as a ratio of the baseline's: on
a shared machine the two see the same load. Without it, the ratios are against the figures
recorded before the speed work (``RECORDED``).

Run: ``python benchmarks/run_speed.py [--repeat 3] [--only demo|columbus] [--no-pdf] [--cold]
[--against DIR]``.
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
#: medians of 3 (wall s, CPU s) before the speed work of issue 14, warm caches, 2-core sandbox
#: (wall on a quiet machine, from the issue; CPU from the same code measured at the start of the work)
RECORDED = {"demo": (10.6, 10.6), "columbus": (17.0, 12.9)}


def _config_into(config: Path, out: Path) -> Path:
    """A copy of ``config`` beside it (relative input paths keep working) writing its runs to ``out``."""
    text = re.sub(r'(?m)^output_dir\s*=.*$', f'output_dir = "{out.as_posix()}"', config.read_text(encoding="utf-8"))
    copy = config.with_name(f".bench-{os.getpid()}-{config.name}")
    copy.write_text(text, encoding="utf-8")
    return copy


def _environment(checkout: Path | None, caches: Path | None) -> dict[str, str]:
    env = {"ALIGN_HASH_SALT": "bench", **os.environ}
    if checkout is not None:  # the other checkout's code first on the path
        paths = [str(checkout / "src"), str(checkout / "connectors"), env.get("PYTHONPATH", "")]
        env["PYTHONPATH"] = os.pathsep.join(p for p in paths if p)
    if caches is not None:
        env["ALIGN_PARSE_CACHE"] = str(caches / "parsed")
        env["ALIGN_AUTOCODE_CACHE"] = str(caches / "autocoder")
    return env


def time_run(config: Path, *, pdf: bool = True, checkout: Path | None = None, cold: bool = False
             ) -> tuple[float, float]:
    """(wall seconds, CPU seconds of the child and its own children) for one `align run` in a new process."""
    with tempfile.TemporaryDirectory(prefix="align-bench-") as tmp:
        copy = _config_into(config, Path(tmp))
        env = _environment(checkout, Path(tmp) / "caches" if cold else None)
        cmd = [str(sys.executable), "-c", "import sys; from align.cli import main; sys.exit(main())",
               "run", str(copy), "-q", *([] if pdf else ["--no-pdf"])]
        try:
            before = resource.getrusage(resource.RUSAGE_CHILDREN)
            start = time.perf_counter()
            subprocess.run(cmd, check=True, capture_output=True, env=env)
            wall = time.perf_counter() - start
            after = resource.getrusage(resource.RUSAGE_CHILDREN)
        finally:
            copy.unlink(missing_ok=True)
    return wall, (after.ru_utime - before.ru_utime) + (after.ru_stime - before.ru_stime)


def _medians(runs: list[tuple[float, float]]) -> tuple[float, float]:
    return statistics.median(w for w, _ in runs), statistics.median(c for _, c in runs)


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--repeat", type=int, default=3)
    ap.add_argument("--only", choices=sorted(REGIONS))
    ap.add_argument("--no-pdf", action="store_true", help="time `align run --no-pdf` instead")
    ap.add_argument("--cold", action="store_true", help="a first run: empty parse and autocoder caches")
    ap.add_argument("--against", type=Path, help="another checkout of align to time alongside, as the baseline")
    args = ap.parse_args(argv)
    base = "baseline" if args.against else "recorded"
    print(f"{'warm' if not args.cold else 'cold'} caches; ratios: this / {base} (below 1 is faster), "
          f"wall / target (above 1 misses it)")
    print(f"{'region':<9} {'wall':>7} {'CPU':>7} {base + ' wall':>14} {base + ' CPU':>13} {'wall ratio':>10} "
          f"{'CPU ratio':>9} {'target':>6} {'/target':>7}  runs (wall s)")
    for name, (config, target) in REGIONS.items():
        if args.only and name != args.only:
            continue
        if name == "columbus" and not (ROOT.parent / "shared" / "data" / "real").exists():
            print(f"{name:<9} skipped: ../shared/data/real is not beside the checkout")
            continue
        pdf = not args.no_pdf
        if not args.cold:  # fill the caches, untimed
            time_run(config, pdf=pdf)
            if args.against:
                time_run(config, pdf=pdf, checkout=args.against)
        ours, theirs = [], []
        for _ in range(args.repeat):
            ours.append(time_run(config, pdf=pdf, cold=args.cold))
            if args.against:
                theirs.append(time_run(config, pdf=pdf, checkout=args.against, cold=args.cold))
        wall, cpu = _medians(ours)
        ref_wall, ref_cpu = _medians(theirs) if theirs else RECORDED[name]
        print(f"{name:<9} {wall:>5.2f} s {cpu:>5.2f} s {ref_wall:>12.2f} s {ref_cpu:>11.2f} s {wall / ref_wall:>10.2f} "
              f"{cpu / ref_cpu:>9.2f} {target:>4.0f} s {wall / target:>7.2f}  " + ", ".join(f"{w:.2f}" for w, _ in ours))
    print(f"load average now: {', '.join(f'{v:.1f}' for v in os.getloadavg())} "
          "(wall well above CPU on one core's work means the machine was shared)")
    return 0


if __name__ == "__main__":
    sys.exit(main())
