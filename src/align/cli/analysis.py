"""Standalone analyses on files: `align forecast`, `align autocode`, `align metrics`, `align pathways`."""

from __future__ import annotations

import argparse
import sys
from pathlib import Path


def _forecast(args: argparse.Namespace) -> int:
    import pandas as pd

    from align.demand.forecast import forecast_panel
    from align.errors import InputError
    from align.store import write_table

    def read(path: str) -> pd.DataFrame:
        p = Path(path)
        if not p.exists():
            raise InputError("file not found", file=p)
        if p.suffix.lower() == ".parquet":
            return pd.read_parquet(p)
        return pd.read_csv(p, dtype={"series_id": str, "period": str}, keep_default_na=False,
                           na_values=[""])

    panel = read(args.input)
    reference = read(args.reference) if args.reference else None
    big = panel["series_id"].nunique() > 20_000 if "series_id" in panel.columns else False

    def progress(done: int, total: int) -> None:
        print(f"forecast: {done:,}/{total:,} series backtested", file=sys.stderr, flush=True)

    res = forecast_panel(panel, args.horizon, models=args.models, n_origins=args.origins,
                         reference=reference, progress=progress if big or args.progress else None,
                         pool_by=args.pool_by, category=args.category, origin=str(args.input))
    write_table(res.forecasts, Path(args.output))
    if args.backtest_report:
        write_table(res.backtest, Path(args.backtest_report))
    sel = res.accuracy.groupby("model")[["mase", "coverage80"]].mean()  # over pools, if any

    def shown(value: float, fmt: str) -> str:
        return "— (too little history to backtest)" if pd.isna(value) else format(value, fmt)

    print(f"forecast: {res.forecasts['series_id'].nunique():,} series × {args.horizon} periods → "
          f"{args.output}; backtest MASE selected {shown(sel.loc['selected', 'mase'], '.3f')}, naive "
          f"{shown(sel.loc['naive', 'mase'], '.3f')}; 80% interval coverage "
          f"{shown(sel.loc['selected', 'coverage80'], '.0%')}", file=sys.stderr)
    return 0


def add_forecast(sub: argparse._SubParsersAction) -> None:
    p = sub.add_parser("forecast", help="backtest a model menu and forecast a long panel with intervals")
    p.add_argument("input", help="panel (.csv or .parquet) with columns series_id, period, value")
    p.add_argument("-o", "--output", required=True, help="forecast table (.csv or .parquet)")
    p.add_argument("--horizon", type=int, required=True, help="periods to forecast")
    p.add_argument("--backtest-report", help="per-series, per-model backtest errors (.csv or .parquet)")
    p.add_argument("--models", nargs="+", help="models to run (naive is always run as the baseline)")
    p.add_argument("--origins", type=int, default=10, help="backtest windows per horizon (default 10)")
    p.add_argument("--reference", help="reference series: national (period, value) or one per series "
                   "(series_id, period, value), e.g. the state's series of each regional industry; "
                   "adds shift_share, shrink, global, pooled_trend and (in a pool of 50+ series) stack to the menu")
    p.add_argument("--pool-by", help="panel column whose values are forecast as separate pools "
                   "(pooled models and interval calibration see only their pool)")
    p.add_argument("--category", help="panel column the global model may use as a feature (e.g. sector)")
    p.add_argument("--progress", action="store_true", help="report progress on stderr")
    p.set_defaults(func=_forecast)


def _autocode(args: argparse.Namespace) -> int:
    from align.errors import LayoutError
    from align.postings.autocoder import (
        agreement,
        attach,
        code_titles,
        load_autocoder,
    )
    from align.postings.corrections import read_titles_table
    from align.store import write_table

    src = Path(args.input)
    table = read_titles_table(src)
    if args.title_column not in table.columns:
        likely = [c for c in table.columns if "title" in str(c).lower()]
        hint = f"; try --title-column {likely[0]}" if likely else ""
        raise LayoutError(f"no {args.title_column!r} column{hint}", file=src, column=args.title_column,
                          expected=f"a title column (found {list(table.columns)})")
    for flag, col in (("--industry-column", args.industry_column), ("--context-column", args.context_column)):
        if col and col not in table.columns and col not in {"naics_code", "description"}:
            raise LayoutError(f"no {col!r} column for {flag}", file=src, column=col)
    industry = table[args.industry_column] if args.industry_column in table.columns else None
    context = table[args.context_column] if args.context_column in table.columns else None
    model = load_autocoder(Path(args.onet) if args.onet else None,
                           census_index=Path(args.census_index) if args.census_index else None,
                           corrections=Path(args.corrections) if args.corrections else None,
                           cache_dir=Path(args.cache) if args.cache else None)
    coded = code_titles(table[args.title_column], model, threshold=args.threshold,
                        industry=industry, context=context)
    check = ""
    if "soc_code" in table.columns:
        coded["autocode_agrees"], share, n = agreement(table["soc_code"], coded["autocode_soc_code"], origin=str(src))
        check = (f"; agrees with the input's soc_code on {share:.0%} of the {n:,} titles both code"
                 if n else "; the input's soc_code column is empty")
    out = attach(table, coded, origin=str(src))
    write_table(out, Path(args.output))
    n = len(coded)
    used = [f"industry from {args.industry_column}"] * (industry is not None) + \
        [f"context from {args.context_column}"] * (context is not None)
    print(f"autocode: {n:,} titles, {coded['autocode_soc_code'].notna().mean() if n else 0:.0%} coded at "
          f"confidence ≥ {args.threshold}, {int(coded['autocode_review'].sum()):,} "
          f"({coded['autocode_review'].mean() if n else 0:.0%}) flagged for review, "
          f"{int((coded['autocode_source'] == 'correction').sum()):,} from corrections{check} "
          f"({', '.join([model.release or 'O*NET', *(['Census index'] if model.sources.get('census_index') else []), *used])})"
          f" → {args.output}", file=sys.stderr)
    return 0


_AUTOCODE_HELP = """\
Codes each title to a 6-digit SOC 2018 code. The output is the input table, every column kept
as it was (an existing soc_code is never changed), followed by these new columns:
  autocode_soc_code       the coder's SOC (empty below --threshold)
  autocode_soc_title      that SOC's title ('unknown' below --threshold)
  autocode_confidence     calibrated probability the code is right (0-1)
  autocode_review         true where a person should check: close call, unlike any learned
                          title, low confidence, or below --threshold
  autocode_review_reason  why it is flagged
  autocode_alternatives   top five codes with their scores, best first
  autocode_source         model, correction (from --corrections), or none (blank title or
                          no word the coder learned: no code)
  autocode_agrees         only when the input has a soc_code column: whether the coder agrees
An input that already has autocode_* columns is refused rather than overwritten."""


def add_autocode(sub: argparse._SubParsersAction) -> None:
    p = sub.add_parser("autocode", help="code job titles to 6-digit SOC (learnt from O*NET and the Census index)",
                       description=_AUTOCODE_HELP, formatter_class=argparse.RawDescriptionHelpFormatter)
    p.add_argument("input", help="CSV or Parquet with a title column (every column is kept unchanged)")
    p.add_argument("-o", "--output", required=True, help="coded table (.csv or .parquet)")
    p.add_argument("--onet", help="O*NET text release folder (db_27_0_text); default $ALIGN_ONET")
    p.add_argument("--census-index", help="Census 2022 Alphabetical Index of Occupations (xlsx or CSV) to learn "
                                          "from as well; default $ALIGN_CENSUS_INDEX")
    p.add_argument("--corrections", help="CSV of title, soc_code corrections, applied first and learnt from")
    p.add_argument("--threshold", type=float, default=0.5,
                   help="confidence below which a title gets no code (default 0.5)")
    p.add_argument("--title-column", default="title", help="column holding the titles (default title)")
    p.add_argument("--industry-column", default="naics_code",
                   help="NAICS column steering the coder by industry (default naics_code, used if present)")
    p.add_argument("--context-column", default="description",
                   help="description or industry text column (default description, used if present)")
    p.add_argument("--cache", help="model cache folder (default $ALIGN_AUTOCODE_CACHE, else ~/.cache/align/autocode)")
    p.set_defaults(func=_autocode)


def _metrics(args: argparse.Namespace) -> int:
    from align.outcomes import compute_metrics, prepare_records, read_records, resolve_salt
    from align.store import write_table

    path = Path(args.records)
    salt, note = resolve_salt(args.salt_env)
    if note:
        print(f"note: {note}", file=sys.stderr)
    records = prepare_records(read_records(path), salt=salt, origin=str(path))
    table = compute_metrics(records, min_cell=args.min_cell, as_of=args.as_of,
                            hire_window_days=args.hire_window, region_id=args.region)
    write_table(table, Path(args.output))
    print(f"metrics: {len(records):,} participant records → {len(table):,} cells "
          f"({int(table['is_suppressed'].sum()):,} suppressed) → {args.output}", file=sys.stderr)
    return 0


def add_metrics(sub: argparse._SubParsersAction) -> None:
    p = sub.add_parser("metrics", help="shared outcome metrics from participant records, small cells suppressed")
    p.add_argument("records", help="participant records (.csv or .parquet) in the documented template")
    p.add_argument("-o", "--output", required=True, help="metrics table (.csv or .parquet)")
    p.add_argument("--min-cell", type=int, default=10, help="smallest numerator/denominator shown (default 10)")
    p.add_argument("--salt-env", default="ALIGN_HASH_SALT",
                   help="environment variable holding the hashing salt (default ALIGN_HASH_SALT; unset: a one-off salt, with a note)")
    p.add_argument("--as-of", help="date (YYYY-MM-DD) wage records are complete through")
    p.add_argument("--hire-window", type=int, default=180, help="days after an externship a hire counts (180)")
    p.add_argument("--region", default="region", help="id for the region-wide rows")
    p.set_defaults(func=_metrics)


def _pathways(args: argparse.Namespace) -> int:
    from align import connector
    from align.errors import AlignError, InputError
    from align.pathways import PathwayParams, build_pathways
    from align.runs import derive_run, load_run
    from align.stages import keyed, unkeyed

    target = Path(args.target)
    if target.suffix == ".toml":  # a region: the planning run maps pathways when O*NET inputs are set
        from align import config as config_mod
        from align.pipeline import RUN_STEPS, run
        from align.progress import Progress

        config = config_mod.load(target)
        if config.inputs.onet_related is None:
            raise InputError("no O*NET related-occupations input", file=target,
                             expected="inputs.onet_related (and onet_job_zones) in the configuration")
        result = run(config, progress=Progress(total=RUN_STEPS))
        print(f"pathways: {result.folder}")
        return 0
    base = load_run(target)
    tables = {name: unkeyed(name, df) for name, df in base.tables.items()}  # one region, as a stage sees it
    if args.onet:
        for source, name in (("onet_related", "Related Occupations.txt"), ("onet_job_zones", "Job Zones.txt")):
            path = Path(args.onet) / name
            if not path.is_file():
                raise InputError("O*NET file not found", file=path, expected=f"the O*NET text folder with {name!r}")
            tables[source] = connector.get(source).parse(path)
    if "onet_related" not in tables:
        raise InputError("the run has no O*NET related occupations", file=target, expected="--onet DIR")
    if args.wages:
        source = connector.get(args.wages_source) if args.wages_source else connector.detect(Path(args.wages))
        tables["occupation_wages"] = source.parse(Path(args.wages))
    if args.sector is not None:
        groups = sorted({str(c)[:2] for c in tables["occupation_demand"]["soc_code"]})
        if str(args.sector).strip() not in groups:
            raise AlignError(f"--sector {args.sector!r} is not a SOC major group of this run's occupations; "
                             f"valid: {', '.join(groups)}")
    params = PathwayParams(min_wage_gain=args.min_wage_gain, max_steps=args.max_steps, sector=args.sector)
    out = build_pathways(tables["occupation_demand"], tables["gaps"], tables["programs"], tables["cip_soc"],
                         tables["onet_related"], tables.get("onet_job_zones"), tables.get("occupation_wages"),
                         params=params)
    out = {name: keyed(name, df, base.config.region.slug) for name, df in out.items()}
    parameters = {"onet": args.onet, "wages": args.wages, "wages_source": args.wages_source,
                  "min_wage_gain": args.min_wage_gain, "max_steps": args.max_steps, "sector": args.sector}
    inputs = {k: tables[k] for k in ("onet_related", "onet_job_zones", "occupation_wages") if k in tables}
    folder = derive_run(base, {**inputs, **out}, command="align pathways", parameters=parameters)
    counts = {name: len(df) for name, df in out.items()}
    counts["ladders"] = out["ladders"]["ladder_id"].nunique() if "ladder_id" in out["ladders"] else 0
    print("pathways: " + ", ".join(f"{n:,} {name}" for name, n in counts.items()) + f" → {folder}",
          file=sys.stderr)
    print(f"pathways: {folder}")
    return 0


def add_pathways(sub: argparse._SubParsersAction) -> None:
    p = sub.add_parser("pathways", help="career ladders, entry points, stacks and pathway gaps")
    p.add_argument("target", help="region.toml (runs the planning run), or a finished run folder")
    p.add_argument("--onet", help="O*NET text release folder (Related Occupations, Job Zones); "
                                  "default: the run's own O*NET inputs")
    p.add_argument("--wages", help="OEWS (or EP) file with median wages, instead of the run's")
    p.add_argument("--wages-source", help="connector for --wages (detected from the layout by default)")
    p.add_argument("--min-wage-gain", type=float, default=0.10, help="wage gain that makes an edge upward (0.10)")
    p.add_argument("--max-steps", type=int, default=3, help="longest ladder in steps (3)")
    p.add_argument("--sector", help="SOC major group the ladders should end in (e.g. 29)")
    p.set_defaults(func=_pathways)
