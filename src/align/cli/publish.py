"""`align publish RUN`: the run's tables as one shared dataset for partners (align.publish)."""

from __future__ import annotations

import argparse
import sys


def _publish(args: argparse.Namespace) -> int:
    from align.publish import DATABASE, publish

    folder = publish(args.run, args.output)
    print(f"published: {folder / 'datapackage.json'} (and {DATABASE})", file=sys.stderr)
    print(folder)
    return 0


def add_publish(sub: argparse._SubParsersAction) -> None:
    p = sub.add_parser("publish", help="write a run's tables as a Frictionless Data Package and a DuckDB file")
    p.add_argument("run", help="a finished run folder (left unchanged)")
    p.add_argument("-o", "--output", help="new folder for the package (default: <run folder>-datapackage beside it)")
    p.set_defaults(func=_publish)
