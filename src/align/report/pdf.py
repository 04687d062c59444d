"""Lay the report's HTML out for print: page numbers, tables that do not break mid-row.

Two engines, tried in order: headless Chromium's print-to-PDF (about 2 s for the demo report;
installed in CI) and WeasyPrint (a Python package, about 10 s; needs the Pango library, which
desktop Linux, macOS with Homebrew and any machine with Chromium already have). Both read the same HTML and its ``@media print``/``@page``
rules, so the PDF says exactly what the web page says. When neither works the caller gets
``None`` and a one-line reason instead of an exception.
"""

from __future__ import annotations

import contextlib
import os
import shutil
import signal
import subprocess
import tempfile
from pathlib import Path

from align.store import atomic_write

ENGINES = ("chromium", "weasyprint")  # Chromium first: 5x faster where installed
CHROMIUM_NAMES = ("chromium", "chromium-browser", "google-chrome", "google-chrome-stable")
CHROMIUM_FLAGS = ("--headless", "--no-sandbox", "--disable-gpu", "--disable-background-networking",
                  "--disable-component-update", "--disable-sync", "--no-first-run", "--disable-extensions",
                  "--no-pdf-header-footer", "--run-all-compositor-stages-before-draw")


def find_chromium() -> str | None:
    """The Chromium executable (``ALIGN_CHROMIUM`` overrides), or None when none is installed."""
    env = os.environ.get("ALIGN_CHROMIUM")
    if env:
        return env if Path(env).exists() or shutil.which(env) else None
    for name in CHROMIUM_NAMES:
        found = shutil.which(name)
        if found:
            return found
    return None


def _weasyprint(html: str, dest: Path) -> None:
    try:
        import weasyprint
    except (ImportError, OSError) as exc:  # OSError: the package is there but Pango is not
        raise RuntimeError(f"WeasyPrint unavailable ({type(exc).__name__}: {str(exc).splitlines()[0]})") from exc

    def fetch_nothing(url: str, *args: object, **kwargs: object) -> dict:
        raise ValueError(f"report must be self-contained; refused to fetch {url}")

    doc = weasyprint.HTML(string=html, url_fetcher=fetch_nothing)
    atomic_write(dest, lambda p: doc.write_pdf(str(p)))


def _chromium(html: str, dest: Path, timeout: float = 120) -> None:
    exe = find_chromium()
    if exe is None:
        raise RuntimeError("no Chromium found on PATH (chromium, chromium-browser, google-chrome)")
    with tempfile.TemporaryDirectory(prefix="align-pdf-") as tmp:
        src = Path(tmp) / "report.html"
        src.write_text(html, encoding="utf-8")
        out = Path(tmp) / "report.pdf"
        cmd = [exe, *CHROMIUM_FLAGS, f"--user-data-dir={tmp}/profile", f"--print-to-pdf={out}", src.as_uri()]
        returncode, stderr = _run_in_own_group(cmd, timeout)
        if not out.exists() or out.stat().st_size == 0:
            tail = (stderr or "").strip().splitlines()[-1:] or ["no output"]
            raise RuntimeError(f"Chromium wrote no PDF (exit {returncode}: {tail[0]})")
        atomic_write(dest, lambda p: shutil.copyfile(out, p))


def _run_in_own_group(cmd: list[str], timeout: float) -> tuple[int, str]:
    """Run Chromium in a process group of its own and end the whole group when done.

    Chromium forks zygote, GPU and renderer children; killing only the parent on a timeout or an
    interrupt would leave them running after align has exited.
    """
    proc = subprocess.Popen(cmd, stdout=subprocess.DEVNULL, stderr=subprocess.PIPE, text=True,
                            start_new_session=True)
    try:
        _, stderr = proc.communicate(timeout=timeout)
        return proc.returncode, stderr
    except subprocess.TimeoutExpired as exc:
        raise RuntimeError(f"Chromium did not finish printing within {timeout:.0f} s") from exc
    finally:
        with contextlib.suppress(ProcessLookupError, PermissionError):
            os.killpg(proc.pid, signal.SIGKILL)  # the group outlives a parent that has exited
        if proc.poll() is None:
            proc.wait()


def render_pdf(html: str, dest: Path, *, engine: str = "auto") -> tuple[Path | None, str | None]:
    """Write ``dest`` with the first engine that works; returns (path or None, note or None)."""
    order = ENGINES if engine == "auto" else (engine,)
    html = html.replace("<details>", "<details open>")  # paper cannot be clicked: print the arithmetic
    reasons = []
    for name in order:
        try:
            (_weasyprint if name == "weasyprint" else _chromium)(html, Path(dest))
        except RuntimeError as exc:
            reasons.append(str(exc))
            continue
        return Path(dest), None
    return None, ("report.pdf skipped: " + "; ".join(reasons)
                  + ". Install WeasyPrint (pip install weasyprint) or Chromium to get the PDF;"
                  " report.html prints the same content from a browser.")
