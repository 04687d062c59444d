"""The planning run and its report: `align run`, `align report`."""

from __future__ import annotations

import argparse


def _run(args: argparse.Namespace) -> int:
    from align import config as config_mod
    from align.errors import AlignError
    from align.multiregion import config as state_mod
    from align.pipeline import RUN_STEPS, run
    from align.progress import Progress

    if state_mod.is_state_config(args.config):
        return _run_state(args)
    if args.scheduler:
        raise AlignError("--scheduler sends a multi-region run (regions.toml) to a Dask cluster; "
                         f"{args.config} plans one region")
    config = config_mod.load(args.config)
    result = run(config, progress=Progress(total=RUN_STEPS, enabled=not args.quiet), pdf=not args.no_pdf)
    print(f"report: {result.report_path}")
    packet = result.folder / "report.pdf" if result.folder else None
    if packet is not None and packet.exists():
        print(f"board packet: {packet}")
    return 0


def _run_state(args: argparse.Namespace) -> int:
    from align.multiregion import config as state_mod
    from align.multiregion.run import run_state
    from align.progress import Progress

    result = run_state(state_mod.load(args.config), scheduler=args.scheduler, pdf=not args.no_pdf,
                       progress=Progress(total=6, enabled=not args.quiet))
    print(f"statewide report: {result.report_path}")
    packet = result.folder / "report.pdf" if result.folder else None
    if packet is not None and packet.exists():
        print(f"statewide board packet: {packet}")
    print(f"{len(result.regions)} regions: {result.folder / 'regions'}")
    return 0


def add_run(sub: argparse._SubParsersAction) -> None:
    p = sub.add_parser("run", help="the annual planning run for one region (region.toml), or for every region "
                                   "of a state (regions.toml)")
    p.add_argument("config", help="path to region.toml, or to a multi-region regions.toml")
    p.add_argument("--scheduler", metavar="ADDRESS", help="with regions.toml: run on the Dask cluster at this "
                                                          "address (default: [engine] scheduler, else a local "
                                                          "cluster of worker processes)")
    p.add_argument("-q", "--quiet", action="store_true", help="no progress on stderr")
    p.add_argument("--no-pdf", action="store_true", help="skip the board packet and appendix PDFs")
    p.set_defaults(func=_run)


def _report(args: argparse.Namespace) -> int:
    from align.runs import derive_run, load_run

    parent = load_run(args.run_folder)
    options = {"pdf": not args.no_pdf}
    folder = derive_run(parent, {}, command="align report", parameters=options, report_options=options)
    for path in sorted(p for p in folder.iterdir() if p.name.startswith("report") or p.suffix == ".pdf"):
        print(f"report: {path}")
    return 0


def add_report(sub: argparse._SubParsersAction) -> None:
    p = sub.add_parser("report", help="report a finished run again (html, pdf, xlsx) into a new run folder "
                                      "beside it; the finished folder is never changed")
    p.add_argument("run_folder", help="a run folder written by `align run` (runs/<region>/<run-id>)")
    p.add_argument("--no-pdf", action="store_true", help="skip the board packet and appendix PDFs")
    p.set_defaults(func=_report)


def _reproduce(args: argparse.Namespace) -> int:
    from align.pipeline import reproduce
    from align.runs import load_run

    problems = reproduce(args.run, config_dir=args.config_dir)
    if problems:
        for p in problems:
            print(f"  {p}")
        print("not reproduced")
        return 1
    manifest = load_run(args.run).manifest
    print(f"reproduced: every file of the run is as written ({len(manifest.get('files', {}))} files), and the "
          f"same inputs gave all {len(manifest.get('outputs', {}))} tables byte for byte")
    return 0


def _verify(args: argparse.Namespace) -> int:
    from align.runs import verify

    problems = verify(args.run)
    for p in problems:
        print(f"  {p}")
    print("changed since the run" if problems else "intact: every file matches the manifest's sha256")
    return 1 if problems else 0


def add_verify(sub: argparse._SubParsersAction) -> None:
    p = sub.add_parser("verify", help="check every file of a finished run against the manifest's sha256")
    p.add_argument("run", help="run folder (runs/<region>/<run-id>)")
    p.set_defaults(func=_verify)


def add_reproduce(sub: argparse._SubParsersAction) -> None:
    p = sub.add_parser("reproduce", help="run a finished run's manifest again and check every table is identical")
    p.add_argument("run", help="run folder (runs/<region>/<run-id>)")
    p.add_argument("--config-dir", help="folder the inputs' paths are relative to (default: as recorded)")
    p.set_defaults(func=_reproduce)
