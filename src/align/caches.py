"""Where align keeps what it can always recompute (parsed inputs, compiled templates), never results.

Its own module so that the report can find the cache folder without importing the parsing code
(``align.parsecache`` fingerprints every connector; the report must not import connectors).
"""

from __future__ import annotations

import os
from pathlib import Path

ENV = "ALIGN_PARSE_CACHE"


def folder() -> Path | None:
    """The parse cache: ``$ALIGN_PARSE_CACHE``, else ``~/.cache/align/parsed``; none when set to ``off``."""
    value = os.environ.get(ENV, "").strip()
    if value.lower() in ("off", "0", "no", "false"):
        return None
    return Path(value) if value else Path.home() / ".cache" / "align" / "parsed"
