"""The raw store: every downloaded file kept as the bytes received, with where and when.

A planning run must be re-runnable to the byte and auditable a year later, so nothing parsed
is trusted without the raw bytes behind it. Each download is kept at
``<root>/<source>/<sha256[:12]>/<name>`` (written atomically) with a JSON record beside it —
URL without secrets, sha256, size, retrieval time (UTC ISO), source, vintage — and the records
are what the run manifest embeds. ``has(url)``/``get(url)`` let ``align fetch`` skip what it
already holds, so the store (not the network) is the run's source of truth.

A "URL" here is the identity of one download. For a POST (the BLS API) the caller passes a
canonical URL that includes the request's parameters, e.g. ``...data/?seriesid=A,B&startyear=2015``.
"""

from __future__ import annotations

import hashlib
import json
import re
from dataclasses import asdict, dataclass, field
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

from align.errors import InputError
from align.http import redact
from align.store import sha256_bytes, sha256_file, write_bytes, write_text

DEFAULT_ROOT = Path("data/store/raw")
_SAFE_NAME = re.compile(r"[^A-Za-z0-9._-]+")


@dataclass(frozen=True)
class StoredFile:
    """One file in the raw store. ``status`` says how this call got it: fetched or cached."""

    source: str
    url: str
    path: Path
    sha256: str
    size: int
    retrieved_at: str
    vintage: str | None = None
    name: str = ""
    status: str = field(default="stored", compare=False)

    def record(self, root: Path | None = None) -> dict[str, Any]:
        """The JSON-ready record (path relative to the store root when given)."""
        out = asdict(self)
        out.pop("status")
        out["path"] = str(self.path.relative_to(root) if root else self.path)
        return out


def url_id(url: str) -> str:
    """A stable short id for a download URL (secrets removed first)."""
    return hashlib.sha256(redact(url).encode("utf-8")).hexdigest()[:16]


def safe_name(name: str) -> str:
    """A file name safe on every OS: path separators and odd characters become ``_``."""
    cleaned = _SAFE_NAME.sub("_", name.replace("\\", "/").rsplit("/", 1)[-1]).strip("._")
    return cleaned or "download"


class RawStore:
    """Files downloaded for runs, by source and content hash, with one record per URL."""

    def __init__(self, root: str | Path = DEFAULT_ROOT) -> None:
        self.root = Path(root)
        self._index: dict[str, StoredFile] | None = None

    # -- writing -------------------------------------------------------------------------
    def put(self, source: str, url: str, data: bytes, *, name: str, vintage: str | None = None,
            retrieved_at: datetime | None = None) -> StoredFile:
        """Keep ``data`` downloaded from ``url`` and record it; returns the stored file."""
        if not re.fullmatch(r"[A-Za-z0-9_.-]+", source):
            raise InputError(f"source name {source!r} is not a plain identifier",
                             expected="letters, digits, _ . -")
        digest = sha256_bytes(data)
        path = self.root / source / digest[:12] / safe_name(name)
        if not (path.exists() and path.stat().st_size == len(data) and sha256_file(path) == digest):
            write_bytes(path, data)
        when = (retrieved_at or datetime.now(UTC)).astimezone(UTC)
        stored = StoredFile(
            source=source, url=redact(url), path=path, sha256=digest, size=len(data),
            retrieved_at=when.isoformat(timespec="seconds").replace("+00:00", "Z"),
            vintage=vintage, name=path.name, status="fetched",
        )
        record_path = self.root / source / digest[:12] / f".{url_id(url)}.record.json"
        write_text(record_path, json.dumps(stored.record(self.root), indent=2, sort_keys=True) + "\n")
        self._load()[url_id(url)] = stored
        return stored

    # -- reading -------------------------------------------------------------------------
    def has(self, url: str) -> bool:
        """True when ``url`` was downloaded before and its bytes are still intact."""
        return self.get(url) is not None

    def get(self, url: str) -> StoredFile | None:
        """The stored file for ``url`` (status ``cached``), or None; a file whose bytes no
        longer match its recorded sha256 is treated as absent so it is fetched again."""
        stored = self._load().get(url_id(url))
        if stored is None or not stored.path.is_file():
            return None
        if stored.path.stat().st_size != stored.size or sha256_file(stored.path) != stored.sha256:
            return None
        return StoredFile(**{**asdict(stored), "status": "cached"})

    def records(self) -> list[dict[str, Any]]:
        """Every record, sorted by source and URL, for the run manifest."""
        items = sorted(self._load().values(), key=lambda s: (s.source, s.url, s.retrieved_at))
        return [s.record(self.root) for s in items]

    def _load(self) -> dict[str, StoredFile]:
        if self._index is None:
            index: dict[str, StoredFile] = {}
            for rec_path in sorted(self.root.glob("*/*/.*.record.json")):
                try:
                    rec = json.loads(rec_path.read_text(encoding="utf-8"))
                    stored = StoredFile(**{**rec, "path": self.root / rec["path"]})
                except (OSError, ValueError, TypeError, KeyError) as exc:
                    raise InputError(f"unreadable raw-store record: {exc}", file=rec_path,
                                     expected="a JSON record written by align") from None
                index[url_id(stored.url)] = stored
            self._index = index
        return self._index

    def __repr__(self) -> str:
        return f"<RawStore {self.root}>"
