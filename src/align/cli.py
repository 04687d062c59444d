"""The ``align`` command line: one subcommand per job an analyst does.

Each subcommand is a small function taking parsed arguments; errors that align raises on
purpose are printed as one line (no traceback) and exit with status 2.
"""

from __future__ import annotations

import argparse
import sys
from collections.abc import Callable
from pathlib import Path

from align.errors import AlignError

Command = Callable[[argparse.Namespace], int]


def _ingest(args: argparse.Namespace) -> int:
    from align import connector
    from align.store import write_table

    if args.list:
        for name, c in connector.connectors().items():
            print(f"{name:22} → {c.table:24} {c.description}")
        return 0
    if args.file is None or args.output is None:
        raise AlignError("usage: align ingest [SOURCE] FILE -o OUT (or align ingest --list)")
    path = Path(args.file)
    c = connector.get(args.source) if args.source else connector.detect(path)
    table = c.parse(path)
    write_table(table, Path(args.output))
    print(f"{c.name}: {len(table):,} rows → {args.output}")
    return 0


def _add_ingest(sub: argparse._SubParsersAction) -> None:
    p = sub.add_parser("ingest", help="parse one published file into its canonical table")
    p.add_argument("parts", nargs="*", metavar="[SOURCE] FILE")
    p.add_argument("-o", "--output", help="output table (.csv or .parquet)")
    p.add_argument("--list", action="store_true", help="list the installed sources")
    p.set_defaults(func=_ingest_dispatch)


def _ingest_dispatch(args: argparse.Namespace) -> int:
    parts = list(args.parts)
    if len(parts) > 2:
        raise AlignError("usage: align ingest [SOURCE] FILE -o OUT")
    args.source = parts[0] if len(parts) == 2 else None
    args.file = parts[-1] if parts else None
    return _ingest(args)


SUBCOMMANDS: list[Callable[[argparse._SubParsersAction], None]] = [_add_ingest]


def build_parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(prog="align", description=__doc__.splitlines()[0])
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
    except KeyboardInterrupt:
        print("align: interrupted", file=sys.stderr)
        return 130


if __name__ == "__main__":
    sys.exit(main())
