"""Bad input, tried as a hostile tester would: tally what align does with it.

    .venv/bin/python benchmarks/bad_input.py            # everything (a few minutes)
    .venv/bin/python benchmarks/bad_input.py --files    # single files only (under a minute)

Two parts, each case classified as one of

- **named error**: one of align's own errors (file, row, column where it applies);
- **correct**: parsed (or ran) and the result is what it should be — the same as the clean
  file where the damage is harmless (CRLF, formula-quoted codes), the damage flagged where it
  should be (a marker kept as a suppressed value, an accepted gap noted);
- **traceback**: any other exception (a bug);
- **silently wrong**: parsed or ran to the end, but with a result that should have been refused
  or differs from the clean one, and nothing said.

Part 1 damages one small file per registered connector (the contract suite's samples) in every
way below, plus seeded byte-level mutations. Part 2 damages a copy of the demo region and runs
the whole planning run on it (no report), comparing its headline numbers with the clean run's.
"""

from __future__ import annotations

import argparse
import random
import shutil
import sys
import tempfile
import traceback
import warnings
from collections import Counter
from collections.abc import Callable
from concurrent.futures import ProcessPoolExecutor
from dataclasses import dataclass
from pathlib import Path

import pandas as pd

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT / "tests" / "contract"))
from samples import BINARY, PROSE, SAMPLES  # noqa: E402

from align import connector, schemas  # noqa: E402
from align.errors import AlignError  # noqa: E402

REAL = ROOT.parent / "shared" / "data" / "real"
DEMO = ROOT / "data" / "demo"
OUTCOMES = ("named error", "correct", "traceback", "silently wrong")


# --- part 1: single files ----------------------------------------------------------------------

def _lines(data: bytes) -> list[bytes]:
    return data.splitlines(keepends=True)


def cut_mid_file(data: bytes) -> bytes:
    lines = _lines(data)
    i = max(1, min(len(lines) - 1, int(len(lines) * 0.6)))
    return b"".join(lines[:i]) + lines[i][: max(1, len(lines[i].rstrip()) // 3)]


def half_last_record(data: bytes) -> bytes:
    lines = _lines(data.rstrip(b"\r\n") + b"\n")
    last = lines[-1]
    return b"".join(lines[:-1]) + last[: max(1, len(last.rstrip()) // 2)]


def short_row(data: bytes) -> bytes:
    lines = _lines(data)
    i = max(1, len(lines) // 2)
    sep = b"\t" if b"\t" in lines[0] else b","
    cells = lines[i].rstrip(b"\r\n").split(sep)
    if len(cells) < 2:
        return data[: len(data) // 2]
    end = b"\r\n" if lines[i].endswith(b"\r\n") else b"\n"
    return b"".join([*lines[:i], sep.join(cells[:-2]) + end, *lines[i + 1:]])


def header_only(data: bytes) -> bytes:
    return _lines(data)[0]


def utf16(data: bytes) -> bytes:
    from align_connectors._published import decode

    return decode(data).encode("utf-16")


def crlf(data: bytes) -> bytes:
    return data.replace(b"\r\n", b"\n").replace(b"\n", b"\r\n")


def garbage(data: bytes) -> bytes:
    return bytes(random.Random(7).randrange(256) for _ in range(2048))


def binary_half(data: bytes) -> bytes:
    return data[: len(data) // 2]


def binary_flip(data: bytes) -> bytes:
    out = bytearray(data)
    for i in range(len(out) // 3, len(out) // 3 + 64):
        out[i] ^= 0xFF
    return bytes(out)


@dataclass(frozen=True)
class Damage:
    name: str
    change: Callable[[bytes], bytes]
    expect: str  # "refuse": must be an error; "same": must parse as the clean file (or be refused);
    #              "empty-or-refuse": no rows or an error; "refuse-or-same": an error, or no change
    text_only: bool = True


TEXT_DAMAGES = [
    Damage("cut mid-file", cut_mid_file, "refuse"),
    Damage("half-written last record", half_last_record, "refuse"),
    Damage("short row inside", short_row, "refuse"),
    Damage("header only", header_only, "empty-or-refuse"),
    Damage("empty file", lambda d: b"", "refuse"),
    Damage("random bytes", garbage, "refuse", text_only=False),
    Damage("re-saved as UTF-16", utf16, "same"),
    Damage("re-saved with CRLF", crlf, "same"),
    Damage("UTF-8 byte-order mark added", lambda d: d if d.startswith(b"\xef\xbb\xbf") else b"\xef\xbb\xbf" + d,
           "same"),
    Damage("row duplicated", lambda d: b"".join([*_lines(d)[:2], *_lines(d)[1:]]), "refuse-or-same"),
]
BINARY_DAMAGES = [
    Damage("cut in half", binary_half, "refuse", text_only=False),
    Damage("64 bytes corrupted", binary_flip, "refuse", text_only=False),
    Damage("empty file", lambda d: b"", "refuse", text_only=False),
    Damage("random bytes", garbage, "refuse", text_only=False),
    Damage("header only", lambda d: d, "same", text_only=False),  # placeholder: replaced below
]


def _sample(name: str) -> Path | None:
    spec = SAMPLES.get(name)
    if spec is None:
        return None
    if isinstance(spec, str) and spec.startswith("real:"):
        path = REAL / spec[5:]
        return path if path.is_file() else None
    return Path(spec)


def _write(sample: Path, folder: Path, data: bytes) -> Path:
    target = folder / sample.parent.name / sample.name
    target.parent.mkdir(parents=True, exist_ok=True)
    target.write_bytes(data)
    return target


def _same(a: pd.DataFrame, b: pd.DataFrame) -> bool:
    try:
        pd.testing.assert_frame_equal(a.reset_index(drop=True), b.reset_index(drop=True), check_dtype=False)
        return True
    except AssertionError:
        return False


def classify_parse(c: connector.Connector, path: Path, expect: str, clean: pd.DataFrame | None,
                   options: dict | None = None) -> tuple[str, str]:
    try:
        table = c.parse(path, **(options or {}))
        schemas.validate(table, c.table, origin=str(path))
    except AlignError as exc:
        return "named error", str(exc).splitlines()[0][:160]
    except Exception as exc:
        return "traceback", f"{type(exc).__name__}: {exc}"[:160]
    if expect == "refuse":
        if clean is not None and _same(table, clean):  # the damage hit a footer or padding, not data
            return "correct", "every data row intact; the damage was outside the data"
        return "silently wrong", f"parsed {len(table)} rows"
    if expect == "empty-or-refuse":
        return ("correct", "no rows") if len(table) == 0 else ("silently wrong", f"{len(table)} rows")
    if expect in ("same", "refuse-or-same"):
        return ("correct", "same as clean") if clean is not None and _same(table, clean) else \
            ("silently wrong", "differs from the clean file")
    return "correct", f"{len(table)} rows"


def file_cases(folder: Path, fuzz: int) -> list[tuple[str, str, str, str]]:
    rows = []
    for name, c in connector.connectors().items():
        sample = _sample(name)
        if sample is None:
            continue
        data = sample.read_bytes()
        clean = c.parse(sample)
        binary = sample.suffix.lower() in BINARY
        damages = [d for d in (BINARY_DAMAGES[:-1] if binary else TEXT_DAMAGES)
                   if not (name in PROSE and d.name in ("cut mid-file", "half-written last record",
                                                        "short row inside", "header only"))]
        if sample.suffix.lower() == ".json":
            damages = [d for d in damages if d.name not in ("short row inside", "header only", "re-saved as UTF-16",
                                                            "half-written last record")]
        for i, d in enumerate(damages):
            path = _write(sample, folder / f"{name}-{i}", d.change(data))
            outcome, detail = classify_parse(c, path, d.expect, clean)
            rows.append((name, d.name, outcome, detail))
        outcome, detail = classify_parse(c, sample, "refuse", clean, {"colums": {"x": "y"}})
        rows.append((name, "misspelt option", outcome, detail))
        rng = random.Random(name)
        for k in range(fuzz):
            mutated = _fuzz(data, rng)
            path = _write(sample, folder / f"{name}-fuzz{k}", mutated)
            outcome, detail = classify_parse(c, path, "any", clean)
            rows.append((name, "byte fuzz", outcome, detail))
    return rows


def _fuzz(data: bytes, rng: random.Random) -> bytes:
    at = rng.randrange(max(len(data), 1))
    kind = rng.choice(["cut", "drop", "insert", "flip", "repeat"])
    if kind == "cut":
        return data[:at]
    if kind == "drop":
        return data[:at] + data[at + rng.randint(1, 40):]
    if kind == "insert":
        return data[:at] + bytes(rng.randrange(256) for _ in range(rng.randint(1, 12))) + data[at:]
    if kind == "flip":
        return data[:at] + bytes([rng.randrange(256)]) + data[at + 1:]
    lines = _lines(data)
    i = rng.randrange(max(len(lines), 1))
    return b"".join([*lines[:i + 1], *lines[i:]])


# --- part 2: whole runs on a copy of the demo ---------------------------------------------------

def _edit(path: Path, old: str, new: str, count: int = 1) -> None:
    text = path.read_text(encoding="utf-8-sig")
    if old not in text:
        raise RuntimeError(f"case setup: {old!r} not in {path}")
    path.write_text(text.replace(old, new, count), encoding="utf-8")


def _qcew_cell(folder: Path, value: str, name: str = "2024-a-99001.csv", own: str = "5") -> None:
    path = folder / "qcew" / name
    lines = path.read_text(encoding="utf-8").splitlines()
    i = next(i for i, ln in enumerate(lines) if ln.startswith(f'"99001","{own}",') and ',"75",' in ln)
    cells = lines[i].split(",")
    cells[9] = value
    lines[i] = ",".join(cells)
    path.write_text("\n".join(lines) + "\n", encoding="utf-8")


def _xlsx_cell(path: Path, column: str, value: object) -> None:
    import openpyxl

    book = openpyxl.load_workbook(path)
    for ws in book.worksheets:
        header = [str(c.value).strip().upper() if c.value is not None else "" for c in ws[1]]
        if column in header:
            ws.cell(row=3, column=header.index(column) + 1, value=value)
            book.save(path)
            return
        for r in range(1, min(ws.max_row, 15) + 1):
            row = [str(c.value).strip() if c.value is not None else "" for c in ws[r]]
            if column in row:
                ws.cell(row=r + 3, column=row.index(column) + 1, value=value)
                book.save(path)
                return
    raise RuntimeError(f"case setup: no column {column} in {path}")


def _truncate(path: Path, share: float = 0.6) -> None:
    data = path.read_bytes()
    path.write_bytes(cut_mid_file(data) if path.suffix.lower() not in BINARY else data[: int(len(data) * share)])


def _config(folder: Path, old: str, new: str) -> None:
    _edit(folder / "region.toml", old, new)


RUNS: list[tuple[str, str, Callable[[Path], None]]] = [
    # (case, expectation, damage) — expectation: refuse, same (numbers as the clean run), flagged
    ("QCEW county-year file missing", "refuse", lambda f: (f / "qcew" / "2019-a-99003.csv").unlink()),
    ("QCEW file downloaded twice", "refuse",
     lambda f: shutil.copy(f / "qcew" / "2020-a-99001.csv", f / "qcew" / "2020-a-99001 (1).csv")),
    ("QCEW gap accepted in the configuration", "flagged",
     lambda f: ((f / "qcew" / "2019-a-99003.csv").unlink(),
                _config(f, 'paths = ["qcew/*-a-*.csv"] }', 'paths = ["qcew/*-a-*.csv"], accept_gaps = ["99003 2019 A"] }'))),
    ("QCEW county code re-saved as 99001.0", "same", lambda f: _edit(f / "qcew" / "2024-a-99001.csv", '"99001",', "99001.0,", -1)),
    ('QCEW county code as ="99001"', "same", lambda f: _edit(f / "qcew" / "2023-a-99001.csv", '"99001",', '"=""99001""",', -1)),
    ("QCEW re-saved with CRLF", "same", lambda f: (f / "qcew" / "2022-a-99005.csv").write_bytes(
        crlf((f / "qcew" / "2022-a-99005.csv").read_bytes()))),
    ("QCEW employment 1e12", "refuse", lambda f: _qcew_cell(f, "1000000000000")),
    ("QCEW negative employment", "refuse", lambda f: _qcew_cell(f, "-500")),
    ("QCEW ** marker in a county cell", "flagged", lambda f: _qcew_cell(f, "**")),
    ("QCEW (D) marker in a county cell", "flagged", lambda f: _qcew_cell(f, '"(D)"')),
    ("QCEW blank employment cell", "flagged", lambda f: _qcew_cell(f, '""')),
    ("QCEW file cut mid-file", "refuse", lambda f: _truncate(f / "qcew" / "2021-a-99001.csv")),
    ("QCEW short row", "refuse", lambda f: (f / "qcew" / "2021-a-99003.csv").write_bytes(
        short_row((f / "qcew" / "2021-a-99003.csv").read_bytes()))),
    ("QCEW re-saved as UTF-16", "refuse-or-same", lambda f: (f / "qcew" / "2024-a-99005.csv").write_bytes(
        utf16((f / "qcew" / "2024-a-99005.csv").read_bytes()))),
    ("IPEDS directory UNITID as floats", "same", lambda f: _edit(f / "ipeds" / "hd2024.csv", "\n13000", "\n13000", 0)
     or (f / "ipeds" / "hd2024.csv").write_text("\n".join(
         [ln if i == 0 else ln.replace(",", ".0,", 1) for i, ln in enumerate(
             (f / "ipeds" / "hd2024.csv").read_text(encoding="utf-8-sig").splitlines())]) + "\n", encoding="utf-8")),
    ("IPEDS directory header only", "refuse", lambda f: (f / "ipeds" / "hd2024.csv").write_text(
        (f / "ipeds" / "hd2024.csv").read_text(encoding="utf-8-sig").splitlines()[0] + "\n", encoding="utf-8")),
    ("IPEDS directory blank county codes", "refuse",
     lambda f: _edit(f / "ipeds" / "hd2024.csv", ',99001,"Alder County"', ',"","Alder County"', -1)),
    ("IPEDS directory cut mid-file", "refuse", lambda f: _truncate(f / "ipeds" / "hd2024.csv")),
    ("IPEDS completions file listed twice", "refuse",
     lambda f: (shutil.copy(f / "ipeds" / "c2024_a.csv", f / "ipeds" / "c2024_a (1).csv"),
                _config(f, '"ipeds/c2024_a.csv"]', '"ipeds/c2024_a.csv", "ipeds/c2024_a (1).csv"]'))),
    ("completion_years names a year with no file", "refuse",
     lambda f: _config(f, "completion_years = [2022, 2023, 2024]", "completion_years = [2021, 2022, 2023, 2024]")),
    ("IPEDS completions UNITID as floats", "same", lambda f: (f / "ipeds" / "c2023_a.csv").write_text("\n".join(
        [ln if i == 0 else ln.replace(",", ".0,", 1) for i, ln in enumerate(
            (f / "ipeds" / "c2023_a.csv").read_text(encoding="utf-8-sig").splitlines())]) + "\n", encoding="utf-8")),
    ("crosswalk header only", "refuse", lambda f: (f / "cip_soc" / "CIP2020_SOC2018_Crosswalk.csv").write_text(
        (f / "cip_soc" / "CIP2020_SOC2018_Crosswalk.csv").read_text(encoding="utf-8-sig").splitlines()[0] + "\n",
        encoding="utf-8")),
    ("crosswalk cut mid-file", "refuse", lambda f: _truncate(f / "cip_soc" / "CIP2020_SOC2018_Crosswalk.csv")),
    ("staffing share of 250%", "refuse", lambda f: _xlsx_cell(f / "oews" / "nat3d_M2024_dl.xlsx", "PCT_TOTAL", 250.0)),
    ("staffing workbook cut in half", "refuse", lambda f: _truncate(f / "oews" / "nat3d_M2024_dl.xlsx", 0.5)),
    ("EP workbook cut in half", "refuse", lambda f: _truncate(f / "ep" / "occupation.xlsx", 0.5)),
    ("OEWS wage workbook cut in half", "refuse", lambda f: _truncate(f / "oews" / "MSA_M2024_dl.xlsx", 0.5)),
    ("O*NET related occupations cut mid-file", "refuse", lambda f: _truncate(f / "onet" / "Related Occupations.txt")),
    ("O*NET job zones short row", "refuse", lambda f: (f / "onet" / "Job Zones.txt").write_bytes(
        short_row((f / "onet" / "Job Zones.txt").read_bytes()))),
    ("postings export cut mid-file", "refuse", lambda f: _truncate(f / "postings" / "postings_export.csv")),
    ("postings option misspelt", "refuse", lambda f: _config(f, "options = { columns =", "options = { colums =")),
    ("training inventory cut mid-file", "refuse", lambda f: _truncate(f / "inventory" / "training_inventory.csv")),
    ("participant records cut mid-file", "refuse",
     lambda f: _truncate(f / "participants" / "participant_records.csv")),
    ("region id ../../x", "refuse", lambda f: _config(f, 'id = "riverbend-demo"', 'id = "../../x"')),
    ("history_start after the base year", "refuse", lambda f: _config(f, "target = 2034", "target = 2034\nhistory_start = 2030")),
    ("as_of not a date", "refuse", lambda f: _config(f, 'as_of = "2025-06-30"', 'as_of = "30/06/2025"')),
    ("min_cell 0", "refuse", lambda f: _config(f, "min_cell = 10", "min_cell = 0")),
    ("output folder is a file", "refuse", lambda f: ((f / "blocked").write_text("x"),
                                                     _config(f, 'output_dir = "../../runs"', 'output_dir = "blocked"'))),
    ("formula in a program name", "neutralised",
     lambda f: _edit(f / "inventory" / "training_inventory.csv", "\n", '\n', 0) or _formula(f)),
]


def _formula(folder: Path) -> None:
    path = folder / "inventory" / "training_inventory.csv"
    frame = pd.read_csv(path, dtype=str, keep_default_na=False)
    frame.loc[0, "program_name"] = '=HYPERLINK("http://evil.example","Click")'
    frame.to_csv(path, index=False)


def headline(tables: dict[str, pd.DataFrame]) -> dict[str, float]:
    return {"openings": round(float(tables["occupation_demand"]["annual_openings"].sum()), 1),
            "completers": round(float(tables["programs"]["completers"].sum()), 1),
            "effective_supply": round(float(tables["occupation_supply"]["effective_supply"].sum()), 1),
            "programs": float(len(tables["programs"])),
            "employment": round(float(tables["industry_employment"]["employment"].sum()), 1)}


def run_case(args: tuple[int, str, str, dict[str, float] | None]) -> tuple[str, str, str, str]:
    _, case, expect, clean = args
    damage = dict((n, d) for n, _, d in RUNS)[case]
    from align import config as config_mod
    from align.pipeline import run
    from align.progress import Progress

    with tempfile.TemporaryDirectory(prefix="align-bad-run-") as scratch:
        folder = Path(scratch) / "demo"
        shutil.copytree(DEMO, folder, ignore=shutil.ignore_patterns("scenarios"))
        _config(folder, 'output_dir = "../../runs"', f'output_dir = "{Path(scratch) / "runs"}"') \
            if case != "output folder is a file" else None
        damage(folder)
        try:
            cfg = config_mod.load(folder / "region.toml")
            result = run(cfg, progress=Progress(0, enabled=False), report=False,
                         write=expect in ("neutralised", "refuse"))
        except AlignError as exc:
            return case, expect, "named error", str(exc).splitlines()[0][:200]
        except Exception as exc:
            return case, expect, "traceback", "".join(traceback.format_exception_only(exc)).strip()[:200]
        numbers = headline(result.tables)
        if expect == "refuse":
            return case, expect, "silently wrong", f"ran to the end: {numbers}"
        if expect in ("same", "refuse-or-same"):
            same = numbers == clean
            return case, expect, "correct" if same else "silently wrong", "same headline numbers" if same else \
                f"{numbers} vs clean {clean}"
        if expect == "flagged":
            noted = [w for w in result.warnings if "gap" in w or "suppress" in w or "withheld" in w]
            industry = result.tables["industry_employment"]
            unknown = int(industry["employment"].isna().sum())
            estimated = int(industry["is_estimated"].sum()) if "is_estimated" in industry else 0
            ok = (unknown > clean["missing_industry_years"] or estimated > clean["estimated_industry_years"]
                  or any("accepted gap" in w for w in result.warnings))
            return case, expect, "correct" if ok else "silently wrong", \
                f"{unknown} industry-years missing, {estimated} estimated and flagged (clean " \
                f"{clean['missing_industry_years']}, {clean['estimated_industry_years']}); {len(noted)} notes"
        if expect == "neutralised":
            text = (result.folder / "programs.csv").read_text(encoding="utf-8")
            ok = "'=HYPERLINK" in text and '\n=HYPERLINK' not in text and ',=HYPERLINK' not in text
            return case, expect, "correct" if ok else "silently wrong", "formula neutralised in programs.csv" \
                if ok else "formula written raw"
    return case, expect, "traceback", "unreachable"


def whole_runs(workers: int) -> list[tuple[str, str, str, str]]:
    from align import config as config_mod
    from align.pipeline import run
    from align.progress import Progress

    cfg = config_mod.load(DEMO / "region.toml")
    base = run(cfg, progress=Progress(0, enabled=False), write=False)
    clean = headline(base.tables)
    industry = base.tables["industry_employment"]
    clean_with_missing = {**clean, "missing_industry_years": int(industry["employment"].isna().sum()),
                          "estimated_industry_years": int(industry["is_estimated"].sum())
                          if "is_estimated" in industry else 0}
    jobs = []
    for i, (case, expect, _) in enumerate(RUNS):
        jobs.append((i, case, expect, clean_with_missing if expect == "flagged" else clean))
    with ProcessPoolExecutor(max_workers=workers) as pool:
        return list(pool.map(run_case, jobs))


def tally(rows: list[tuple], column: int) -> str:
    counts = Counter(r[column] for r in rows)
    return ", ".join(f"{counts.get(o, 0)} {o}" for o in OUTCOMES)


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--files", action="store_true", help="single files only")
    parser.add_argument("--runs", action="store_true", help="whole runs only")
    parser.add_argument("--fuzz", type=int, default=30, help="byte mutations per connector (30)")
    parser.add_argument("--workers", type=int, default=2, help="processes for the whole runs (2)")
    parser.add_argument("-v", "--verbose", action="store_true", help="print every case")
    args = parser.parse_args(argv)
    warnings.simplefilter("ignore")  # connectors' notes about odd but valid files are not outcomes
    with tempfile.TemporaryDirectory(prefix="align-bad-files-") as scratch:
        files = file_cases(Path(scratch), 0 if args.runs else args.fuzz) if not args.runs else []
    malformed = [r for r in files if r[1] != "byte fuzz"]
    fuzz = [r for r in files if r[1] == "byte fuzz"]
    print(f"malformed files: {len(malformed)} cases across {len({r[0] for r in malformed})} connectors: "
          f"{tally(malformed, 2)}")
    print(f"byte-level fuzz: {len(fuzz)} mutations: {tally(fuzz, 2)}")
    bad = [r for r in files if r[2] in ("traceback", "silently wrong")]
    for r in (files if args.verbose else bad):
        print(f"  {r[2]:14} {r[0]:26} {r[1]:26} {r[3]}")
    if args.files:
        return 1 if bad else 0
    runs = whole_runs(args.workers)
    print(f"whole runs on a copy of the demo: {len(runs)} cases: {tally(runs, 2)}")
    bad_runs = [r for r in runs if r[2] in ("traceback", "silently wrong")]
    for r in (runs if args.verbose else bad_runs):
        print(f"  {r[2]:14} {r[0]:42} [{r[1]}] {r[3]}")
    return 1 if bad or bad_runs else 0


if __name__ == "__main__":
    sys.exit(main())
