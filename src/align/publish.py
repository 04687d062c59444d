"""One shared dataset for partners: a run's tables as a Frictionless Data Package and a DuckDB file.

Partners who read the same numbers must also read the same definitions, so the package is built
from the field dictionary (:mod:`align.fields`): every column carries its type, unit and
description, every table its primary key, and the metric definitions travel as a table of their
own. The CSVs are the run's own files, copied byte for byte (their sha256 is the one the run's
manifest records), and the DuckDB database holds the same tables, with the descriptions as column
comments, for analysts who want SQL. Only the run's published tables go in — never the reference
tables, which hold survey answers and other inputs — and the package is a new folder beside the
run, never inside it: a finished run folder does not change.
"""

from __future__ import annotations

import json
import re
import shutil
from pathlib import Path

import pandas as pd

from align import schemas
from align.errors import AlignError
from align.fields import FIELDS
from align.runs import OUTPUT_TABLES, load_run
from align.store import sha256_file, write_table, write_text

TYPES = {"soc": "string", "cip": "string", "naics": "string", "fips": "string", "state_fips": "string",
         "str": "string", "int": "integer", "float": "number", "bool": "boolean"}
DATABASE = "align.duckdb"


def metric_definitions(tables: dict[str, pd.DataFrame]) -> pd.DataFrame:
    """Every metric id a published table uses, with its definition (outcomes and employer survey)."""
    from align.outcomes import metric_definitions as outcome_definitions
    from align.partners.employers import CELL_METRICS

    rows = [outcome_definitions()]
    if "employer_demand" in tables:
        rows.append(pd.DataFrame(
            [(m, label, f"Employer hiring-plan survey, per occupation and region: {how} of the answering employers' "
                        f"values; withheld where fewer than the minimum employers answer or one employer holds the "
                        f"dominance share or more (with complementary suppression).")
             for m, (label, how) in CELL_METRICS.items()], columns=["metric", "metric_label", "definition"]))
    return schemas.validate(pd.concat(rows, ignore_index=True), "metric_definitions")


def _field(name: str, dtype: str) -> dict:
    f = FIELDS.get(name)
    kind = TYPES[f.kind] if f else ("number" if dtype.startswith("float") else
                                    "integer" if dtype.startswith(("int", "Int")) else
                                    "boolean" if dtype == "bool" else "string")
    if kind == "integer" and dtype.startswith("float"):  # the column holds decimals on disk ("3.0")
        kind = "number"
    out = {"name": name, "type": kind, "description": f.description if f else ""}
    if f and f.unit:
        out["unit"] = f.unit
    if kind == "boolean":
        out.update(trueValues=["True"], falseValues=["False"])
    if f and kind in ("number", "integer"):
        bounds = {k: v for k, v in (("minimum", f.minimum), ("maximum", f.maximum)) if v is not None}
        if bounds:
            out["constraints"] = {k: (int(v) if kind == "integer" else v) for k, v in bounds.items()}
    return out


def _resource(table: str, csv: Path, frame: pd.DataFrame) -> dict:
    schema: dict = {"fields": [_field(c, str(frame[c].dtype)) for c in frame.columns], "missingValues": [""]}
    contract = schemas.TABLES.get(table)
    if contract and contract.key and set(contract.key) <= set(frame.columns) \
            and not frame.duplicated(list(contract.key)).any() and frame[list(contract.key)].notna().all().all():
        schema["primaryKey"] = list(contract.key)
    return {"name": table, "path": f"data/{csv.name}", "profile": "tabular-data-resource", "format": "csv",
            "mediatype": "text/csv", "encoding": "utf-8", "bytes": csv.stat().st_size,
            "hash": f"sha256:{sha256_file(csv)}", "schema": schema}


def _slug(text: str) -> str:
    return re.sub(r"[^a-z0-9._-]+", "-", text.lower()).strip("-") or "align-run"


def publish(run_folder: str | Path, dest: str | Path | None = None) -> Path:
    """Write ``datapackage.json``, ``data/*.csv`` and ``align.duckdb`` into a new folder; return it.

    ``dest`` defaults to ``<run folder>-datapackage`` beside the run. The folder is assembled
    under a hidden name and renamed into place when complete.
    """
    run = load_run(run_folder)
    folder = Path(run_folder).resolve()
    final = Path(dest).resolve() if dest else folder.parent / f"{folder.name}-datapackage"
    if final == folder or folder in final.parents:
        raise AlignError(f"{final}: the package must go outside the run folder (finished runs never change)")
    if final.exists():
        raise AlignError(f"{final} already exists: choose another folder (-o) or remove it")
    published = [t for t in OUTPUT_TABLES if (folder / f"{t}.csv").is_file()]
    if not published:
        raise AlignError(f"{folder}: no published tables (*.csv) in the run folder")
    tmp = final.parent / f".incomplete-{final.name}"
    shutil.rmtree(tmp, ignore_errors=True)
    (tmp / "data").mkdir(parents=True)
    try:
        frames = {t: run.tables[t] for t in published}
        for t in published:
            shutil.copyfile(folder / f"{t}.csv", tmp / "data" / f"{t}.csv")
        frames["metric_definitions"] = metric_definitions(run.tables)
        write_table(frames["metric_definitions"], tmp / "data" / "metric_definitions.csv")
        frames["data_dictionary"] = schemas.data_dictionary([t for t in frames if t in schemas.TABLES])
        write_table(frames["data_dictionary"], tmp / "data" / "data_dictionary.csv")
        m = run.manifest
        descriptor = {
            "name": _slug(f"{m['region']['slug']}-{m['run_id']}"),
            "title": f"align planning run: {m['region']['name']}",
            "description": (f"Tables of align run {m['run_id']} for {m['region']['name']} (base year "
                            f"{m['config']['years']['base']}, projected to {m['config']['years']['target']}). "
                            f"Column meanings and units are in each field; metric definitions in the "
                            f"metric_definitions resource. Suppressed cells are empty, never zero."),
            "version": m.get("align_version", ""), "created": m.get("created_utc", ""),
            "sources": [{"title": f"{i['table']} ({i['source']})", "path": i["path"],
                         **({"version": str(i["vintage"])} if i.get("vintage") else {})} for i in m.get("inputs", [])],
            "resources": [_resource(t, tmp / "data" / f"{t}.csv", frames[t]) for t in frames],
            "align": {"run_id": m["run_id"], "fingerprint": m.get("fingerprint"), "region": m["region"]},
        }
        write_text(tmp / "datapackage.json", json.dumps(descriptor, indent=2, ensure_ascii=False))
        write_duckdb(frames, tmp / DATABASE)
        tmp.rename(final)
    except BaseException:
        shutil.rmtree(tmp, ignore_errors=True)
        raise
    return final


def write_duckdb(frames: dict[str, pd.DataFrame], path: Path) -> Path:
    """The same tables in one DuckDB file, each column commented with its dictionary description."""
    import duckdb

    con = duckdb.connect(str(path))
    try:
        for name, frame in frames.items():
            con.register("frame", frame)
            con.execute(f'CREATE TABLE "{name}" AS SELECT * FROM frame')
            con.unregister("frame")
            for col in frame.columns:
                f = FIELDS.get(col)
                if f:
                    text = f.description + (f" [{f.unit}]" if f.unit else "")
                    con.execute(f'COMMENT ON COLUMN "{name}"."{col}" IS ' + "'" + text.replace("'", "''") + "'")
    finally:
        con.close()
    return path
