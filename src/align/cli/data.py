"""Getting published data in: `align fetch`, `align ingest`."""

from __future__ import annotations

import argparse
from pathlib import Path

from align.errors import AlignError, InputError


def _fetch(args: argparse.Namespace) -> int:
    from align import config as config_mod
    from align.fetch import FetchRequest, fetch_all
    from align.http import Session
    from align.rawstore import RawStore

    config = config_mod.load(args.config, require_files=False)
    jobs = [(name, spec) for name in type(config.inputs).model_fields
            if (spec := getattr(config.inputs, name)) is not None and spec.fetch]
    if not jobs:
        return _nothing_to_fetch(config)
    store = RawStore(config.base_dir / args.store) if args.store else RawStore()
    session = Session(offline=args.offline)
    for name, spec in jobs:
        folder = config.fetch_folder(name)
        folder.mkdir(parents=True, exist_ok=True)
        stored = fetch_all([FetchRequest(spec.source, options) for options in spec.fetch], store=store,
                           session=session, dest=folder)
        print(f"{name}: {len(stored)} file(s) in {folder}")
    return 0


def _nothing_to_fetch(config: object) -> int:
    """Say why there is nothing to download: every input is a local file, present or missing."""
    from align.errors import ConfigError

    present, missing = 0, []
    for name in type(config.inputs).model_fields:
        if getattr(config.inputs, name) is None:
            continue
        try:
            present += len(config.input_files(name))
        except ConfigError as exc:
            missing.append(str(exc))
    print("nothing to fetch: no input in this configuration has a 'fetch' list, so every input is read "
          "from local files (docs/fetch.md shows how to add one).")
    print(f"  {present} local file(s) present" + (f"; {len(missing)} input(s) missing:" if missing else
                                                  " — the configuration can run as it is."))
    for m in missing:
        print(f"  {m}")
    return 1 if missing else 0


def add_fetch(sub: argparse._SubParsersAction) -> None:
    p = sub.add_parser("fetch", help="download every input a region.toml asks for (cached; skips what is stored)")
    p.add_argument("config", help="path to region.toml")
    p.add_argument("--offline", action="store_true", help="serve only from the cache; fail on anything missing")
    p.add_argument("--store", help="raw store folder, relative to region.toml (default data/store/raw)")
    p.set_defaults(func=_fetch)


def _ingest(args: argparse.Namespace) -> int:
    from align import connector
    from align.store import write_table

    if args.list:
        found = connector.connectors()
        width = max(map(len, found)) + 1
        table_width = max(len(c.table) for c in found.values()) + 1
        for name, c in found.items():
            print(f"{name:{width}} → {c.table:{table_width}} {c.description}")
        return 0
    if args.file is None or args.output is None:
        raise AlignError("usage: align ingest [SOURCE] FILE -o OUT (or align ingest --list)")
    path = Path(args.file)
    if not path.is_file():
        raise InputError("file not found" if not path.exists() else "not a file", file=path,
                         expected="a published file to parse")
    c = connector.get(args.source) if args.source else connector.detect(path)
    table = c.parse(path)
    write_table(table, Path(args.output))
    print(f"{c.name}: {len(table):,} rows → {args.output}")
    return 0


def add_ingest(sub: argparse._SubParsersAction) -> None:
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
