"""The report in a real browser: headless Chromium loads report.html from disk with networking off."""

from __future__ import annotations

import json
import os
import re
import shutil
import subprocess
from pathlib import Path

import pytest
from PIL import Image

pytestmark = pytest.mark.browser


def find_chromium() -> str | None:
    """The Chromium executable (``ALIGN_CHROMIUM`` overrides), or None when none is installed."""
    env = os.environ.get("ALIGN_CHROMIUM")
    if env:
        return env if Path(env).exists() or shutil.which(env) else None
    names = ("chromium", "chromium-browser", "google-chrome", "google-chrome-stable")
    return next((found for found in map(shutil.which, names) if found), None)


CHROMIUM = find_chromium()
FLAGS = ("--headless", "--no-sandbox", "--disable-gpu", "--disable-background-networking",
         "--disable-component-update", "--disable-sync", "--no-first-run", "--disable-extensions",
         "--hide-scrollbars", "--host-resolver-rules=MAP * ~NOTFOUND", "--proxy-server=http://127.0.0.1:9",
         "--enable-logging=stderr", "--v=0")


def _chromium(page: Path, profile: Path, *extra: str) -> subprocess.CompletedProcess:
    if CHROMIUM is None:
        pytest.skip("no Chromium on PATH (chromium, chromium-browser, google-chrome): "
                    "CI installs Debian's chromium; on a laptop install it to run this test")
    return subprocess.run([CHROMIUM, *FLAGS, f"--user-data-dir={profile}", *extra, page.as_uri()],
                          capture_output=True, text=True, timeout=120, check=False)


def _console(stderr: str) -> list[str]:
    return [line for line in stderr.splitlines() if ":CONSOLE" in line]


def test_console_messages_are_detected(tmp_path):
    """Control: a page that logs an error is caught, so a clean report's silence means something."""
    page = tmp_path / "bad.html"
    page.write_text("<p>x</p><script>console.error('boom'); missing_function();</script>", encoding="utf-8")
    proc = _chromium(page, tmp_path / "profile", "--dump-dom")
    assert any("missing_function" in line for line in _console(proc.stderr))


@pytest.mark.parametrize("width,height", [(1280, 2200), (390, 1800)], ids=["laptop", "phone"])
def test_report_renders_in_chromium(demo_run, tmp_path, width, height):
    page = demo_run.folder / "report.html"
    shot = tmp_path / "report.png"
    proc = _chromium(page, tmp_path / "profile", f"--window-size={width},{height}", f"--screenshot={shot}")
    assert shot.exists(), proc.stderr[-2000:]
    assert _console(proc.stderr) == []
    img = Image.open(shot).convert("L")
    assert img.size == (width, height)
    hist = img.histogram()
    dark = sum(hist[:128]) / (width * height)
    assert 0.005 < dark < 0.6  # text and charts on a white page: neither blank nor a black box
    dom = _chromium(page, tmp_path / "profile2", "--dump-dom")
    assert _console(dom.stderr) == []
    assert re.search(r'<p id="headline"><strong>\d+ jobs? where the region trains too few people', dom.stdout)
    assert re.search(r'<th data-sort="text" tabindex="0">Job</th>', dom.stdout)  # the sort script ran
    assert "Method and sources" in dom.stdout


# A script appended to a copy of the report: it clicks headers and follows links the way a reader would,
# and writes what it found into the page, which --dump-dom then returns.
PROBE = """<script>
(function () {
  var out = {};
  function column(table, idx) {
    return Array.prototype.map.call(table.tBodies[0].rows, function (r) { return r.cells[idx]; });
  }
  var table = document.getElementById("tbl-gaps");
  var heads = table.tHead.rows[0].cells, gapIdx = -1, jobIdx = 0;
  for (var i = 0; i < heads.length; i++) { if (heads[i].textContent.trim() === "Gap") { gapIdx = i; } }
  heads[gapIdx].click();
  out.gap_desc = column(table, gapIdx).map(function (td) { return parseFloat(td.getAttribute("data-v")); });
  heads[gapIdx].click();
  out.gap_asc = column(table, gapIdx).map(function (td) { return parseFloat(td.getAttribute("data-v")); });
  heads[jobIdx].click();
  out.jobs = column(table, jobIdx).map(function (td) { return td.textContent.trim().toLowerCase(); });
  out.aria = heads[jobIdx].getAttribute("aria-sort");
  out.anchors = Array.prototype.map.call(document.querySelectorAll("a[href^='#']"), function (a) {
    return [a.getAttribute("href"), !!document.getElementById(a.getAttribute("href").slice(1))]; });
  out.files = Array.prototype.map.call(document.querySelectorAll("a[href]:not([href^='#'])"), function (a) {
    return a.getAttribute("href"); });
  var pre = document.createElement("pre"); pre.id = "probe"; pre.textContent = JSON.stringify(out);
  document.body.appendChild(pre);
})();
</script>"""


def test_sortable_tables_and_links_work(demo_run, tmp_path):
    html = (demo_run.folder / "report.html").read_text(encoding="utf-8")
    page = tmp_path / "report.html"
    page.write_text(html.replace("</body>", PROBE + "</body>"), encoding="utf-8")
    dom = _chromium(page, tmp_path / "profile", "--dump-dom")
    assert _console(dom.stderr) == []
    found = json.loads(re.search(r'<pre id="probe">(.*?)</pre>', dom.stdout, flags=re.S).group(1)
                       .replace("&quot;", '"').replace("&amp;", "&").replace("&lt;", "<").replace("&gt;", ">"))
    assert found["gap_desc"] == sorted(found["gap_desc"], reverse=True)  # first click: largest first
    assert found["gap_asc"] == sorted(found["gap_asc"])                  # second click: the other way
    assert found["jobs"] == sorted(found["jobs"], reverse=True) and found["aria"] == "descending"
    assert found["anchors"] and all(ok for _, ok in found["anchors"])    # every in-page link has a target
    for name in found["files"]:                                           # the companions it links to exist
        assert (demo_run.folder / name).exists(), name
