"""The planning run and its report: `align run`, `align report`."""

from __future__ import annotations

import argparse
from pathlib import Path


def _run(args: argparse.Namespace) -> int:
    from align import config as config_mod
    from align.pipeline import RUN_STEPS, run
    from align.progress import Progress

    config = config_mod.load(args.config)
    result = run(config, progress=Progress(total=RUN_STEPS, enabled=not args.quiet), pdf=not args.no_pdf)
    print(f"report: {result.report_path}")
    packet = result.folder / "report.pdf" if result.folder else None
    if packet is not None and packet.exists():
        print(f"board packet: {packet}")
    return 0


def add_run(sub: argparse._SubParsersAction) -> None:
    p = sub.add_parser("run", help="the annual planning run for one region (region.toml)")
    p.add_argument("config", help="path to region.toml")
    p.add_argument("-q", "--quiet", action="store_true", help="no progress on stderr")
    p.add_argument("--no-pdf", action="store_true", help="skip the board packet and appendix PDFs")
    p.set_defaults(func=_run)


def _report(args: argparse.Namespace) -> int:
    from align.report import load_run_tables, write_reports

    folder = Path(args.run_folder)
    tables, manifest = load_run_tables(folder)
    outcome = write_reports(tables, manifest, folder, pdf=not args.no_pdf)
    for path in outcome.paths:
        print(f"report: {path}")
    return 0


def add_report(sub: argparse._SubParsersAction) -> None:
    p = sub.add_parser("report", help="rebuild report.html, .pdf and .xlsx from a finished run's tables")
    p.add_argument("run_folder", help="a run folder written by `align run` (runs/<region>/<run-id>)")
    p.add_argument("--no-pdf", action="store_true", help="skip the board packet and appendix PDFs")
    p.set_defaults(func=_report)


def _reproduce(args: argparse.Namespace) -> int:
    from align.runs import load_run, reproduce

    problems = reproduce(args.run, config_dir=args.config_dir)
    if problems:
        for p in problems:
            print(f"  {p}")
        print("not reproduced")
        return 1
    n = len(load_run(args.run).manifest.get("outputs", {}))
    print(f"reproduced: the same inputs gave all {n} tables byte for byte")
    return 0


def add_reproduce(sub: argparse._SubParsersAction) -> None:
    p = sub.add_parser("reproduce", help="run a finished run's manifest again and check every table is identical")
    p.add_argument("run", help="run folder (runs/<region>/<run-id>)")
    p.add_argument("--config-dir", help="folder the inputs' paths are relative to (default: as recorded)")
    p.set_defaults(func=_reproduce)
