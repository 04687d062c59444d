"""What-if and year-over-year comparison: `align whatif`, `align diff`."""

from __future__ import annotations

import argparse


def _whatif(args: argparse.Namespace) -> int:
    from align.report.comparison import render_comparison
    from align.runs import load_run, write_run
    from align.scenario import apply, changed, compare, comparison_chart, load_scenario
    from align.store import neutralise_formulas

    base = load_run(args.run)
    scenario = load_scenario(args.scenario)
    result = apply(base, scenario)
    for note in result.warnings[len(base.warnings):]:
        print(f"note: {note}")
    comparison = compare(base, result)
    moved = changed(comparison)
    fig = comparison_chart(comparison)
    extras = {"comparison.csv": neutralise_formulas(comparison).to_csv(index=False, lineterminator="\n"),
              "comparison.html": render_comparison(comparison, moved, base.manifest,
                                                   scenario.model_dump(mode="json"), fig)}
    # beside the base run, never inside it: a finished run folder is not written again
    result.manifest["parent"] = {"run_id": base.manifest.get("run_id"), "folder": str(base.folder.resolve())}
    folder = write_run(result, root=base.folder.resolve().parent, name=f"{base.folder.name}--{scenario.name}",
                       extras=extras)
    print(f"{scenario.name}: {len(moved)} occupations moved, {int(moved['flag_changed'].sum())} flags changed")
    for r in moved.head(10).itertuples():
        print(f"  {r.soc_code} {_title(r.occupation_title)} gap {r.gap_base:8.1f} → {r.gap_scenario:8.1f}"
              f"  {_shown(r.flag_base)} → {_shown(r.flag_scenario)}")
    print(f"scenario folder: {folder}")
    return 0


def add_whatif(sub: argparse._SubParsersAction) -> None:
    p = sub.add_parser("whatif", help="apply a scenario (TOML) to a finished run and compare")
    p.add_argument("run", help="run folder (runs/<region>/<run-id>)")
    p.add_argument("scenario", help="scenario.toml")
    p.set_defaults(func=_whatif)


def _diff(args: argparse.Namespace) -> int:
    from align.diff import diff_runs
    from align.runs import load_run
    from align.store import write_table

    d = diff_runs(load_run(args.run_a), load_run(args.run_b))
    if d.warning:
        print(f"warning: {d.warning}")
    print(f"inputs changed: {len(d.inputs)}")
    for r in d.inputs.itertuples():
        vintages = f"  {r.vintage_a} → {r.vintage_b}" if (r.vintage_a or r.vintage_b) else ""
        print(f"  {r.change:8} {r.table}: {r.path}{vintages}")
    print(f"settings changed: {len(d.parameters)}")
    for r in d.parameters.itertuples():
        print(f"  {r.setting}: {_shown(r.a)} → {_shown(r.b)}")
    occ = d.occupations
    for label, col in (("openings", "annual_openings"), ("effective supply", "effective_supply")):
        moved = occ[occ[f"{col}_change"].abs() > 0.5].sort_values(f"{col}_change", key=abs, ascending=False)
        print(f"{label} changed for {len(moved)} occupations" + (", largest:" if len(moved) else ""))
        for r in moved.head(5).itertuples():
            print(f"  {r.soc_code} {_title(r.occupation_title)} {_number(getattr(r, col + '_a'))} → "
                  f"{_number(getattr(r, col + '_b'))}")
    flags = d.flag_changes
    print(f"flags changed: {len(flags)}")
    for r in flags.itertuples():
        print(f"  {r.soc_code} {_title(r.occupation_title).strip()}: {_shown(r.flag_a)} → {_shown(r.flag_b)}")
    if args.output:
        write_table(d.occupations, args.output)
        print(f"per-occupation changes: {args.output}")
    return 0


def _missing(v: object) -> bool:
    return v is None or (isinstance(v, float) and v != v)


def _shown(v: object) -> str:
    """A value for the terminal: a missing one reads as a word, never as ``nan``."""
    return "(none)" if _missing(v) else repr(v) if not isinstance(v, str) else v


def _number(v: object) -> str:
    return f"{'(none)':>9}" if _missing(v) else f"{v:9,.1f}"


def _title(v: object) -> str:
    return f"{'' if _missing(v) else str(v)[:50]:50}"


def add_diff(sub: argparse._SubParsersAction) -> None:
    p = sub.add_parser("diff", help="what changed between two runs: inputs, settings, openings, supply, flags")
    p.add_argument("run_a")
    p.add_argument("run_b")
    p.add_argument("-o", "--output", help="write the per-occupation comparison (.csv or .parquet)")
    p.set_defaults(func=_diff)
