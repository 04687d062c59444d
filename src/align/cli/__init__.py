"""The ``align`` command line: one subcommand per job an analyst does.

Each subcommand lives with its neighbours in a small module (planning, data, whatif, analysis)
as an ``add_*`` function that declares its arguments and a function that runs it. Errors align
raises on purpose (:class:`~align.errors.AlignError`), and files that cannot be read or written,
are printed as one line (no traceback; set ALIGN_DEBUG=1 to see one) and exit with status 2.
Any other exception is a bug and keeps its traceback.
"""

from __future__ import annotations

import argparse
import os
import sys
from collections.abc import Callable

from align.cli import analysis, data, planning, publish, whatif
from align.errors import AlignError

SUBCOMMANDS: list[Callable[[argparse._SubParsersAction], None]] = [
    planning.add_run, data.add_fetch, whatif.add_whatif, whatif.add_diff, data.add_ingest, analysis.add_forecast,
    planning.add_report, planning.add_reproduce, planning.add_verify, analysis.add_pathways, analysis.add_metrics,
    analysis.add_autocode, publish.add_publish,
]


def build_parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(prog="align", description="align: regional workforce planning — training supply against employer demand.")
    parser.add_argument("--version", action="version", version=f"align {_version()}")
    sub = parser.add_subparsers(dest="command", required=True)
    for add in SUBCOMMANDS:
        add(sub)
    return parser


def _version() -> str:
    from align import __version__

    return __version__


def main(argv: list[str] | None = None) -> int:
    args = build_parser().parse_args(argv)
    try:
        return int(args.func(args) or 0)
    except AlignError as exc:
        print(f"align: error: {exc}", file=sys.stderr)
        return 2
    except OSError as exc:
        # a file or folder that cannot be opened or written: the user's to fix, one line
        # (ALIGN_DEBUG=1 shows the traceback)
        if os.environ.get("ALIGN_DEBUG"):
            raise
        where = f"{exc.filename}: " if getattr(exc, "filename", None) else ""
        print(f"align: error: {where}{exc.strerror or exc}", file=sys.stderr)
        return 2
    except Exception:
        # anything else is a bug in align, not a mistake of the user's: keep the traceback
        print("align: internal error (a bug in align; please report it with the traceback below)",
              file=sys.stderr)
        raise
    except KeyboardInterrupt:
        print("align: interrupted", file=sys.stderr)
        return 130


if __name__ == "__main__":
    sys.exit(main())
