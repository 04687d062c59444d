"""The report in a real browser: headless Chromium loads report.html from disk with networking off."""

from __future__ import annotations

import re
import subprocess
from pathlib import Path

import pytest
from PIL import Image

from align.report.pdf import find_chromium

pytestmark = pytest.mark.browser
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
    assert re.search(r'<p id="headline"><strong>\d+ occupations? where regional training falls short', dom.stdout)
    assert re.search(r'<th data-sort="text" tabindex="0">Occupation</th>', dom.stdout)  # the sort script ran
    assert "Method and sources" in dom.stdout
