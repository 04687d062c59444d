"""Download what a run needs: each connector's ``fetch`` through one session and one raw store.

``fetch_all`` is what ``align fetch region.toml`` calls. It installs the shared HTTP session
and the raw store for the duration, asks each connector to fetch, and prints one line per file
(fetched / cached / failed). Connectors download through :func:`download`, which consults the
store first, so a second ``align fetch`` costs no network at all — and works offline.
"""

from __future__ import annotations

import contextlib
import contextvars
import shutil
import sys
import tempfile
from collections.abc import Callable, Iterator
from dataclasses import dataclass, field, replace
from pathlib import Path
from typing import Any, TextIO

from align.errors import AlignError, UpstreamError
from align.http import Session, current_session, raise_for_status, redact, use_session
from align.rawstore import DEFAULT_ROOT, RawStore, StoredFile


@dataclass(frozen=True)
class FetchRequest:
    """One thing to download: a connector name and the options its ``fetch`` takes."""

    connector: str
    options: dict[str, Any] = field(default_factory=dict)

    def label(self) -> str:
        opts = ", ".join(f"{k}={v}" for k, v in sorted(self.options.items()))
        return f"{self.connector}({opts})"


class FetchFailed(UpstreamError):
    """Some downloads failed; ``stored`` holds the ones that worked, ``failures`` the others."""

    def __init__(self, failures: list[tuple[FetchRequest, str]], stored: list[StoredFile]) -> None:
        self.failures = failures
        self.stored = stored
        lines = "; ".join(f"{req.label()}: {why}" for req, why in failures)
        super().__init__(f"{len(failures)} download(s) failed: {lines}")


_STORE: contextvars.ContextVar[RawStore | None] = contextvars.ContextVar("align_raw_store",
                                                                         default=None)
_SEEN: contextvars.ContextVar[list[StoredFile] | None] = contextvars.ContextVar("align_fetch_seen",
                                                                               default=None)


def current_store() -> RawStore:
    """The raw store installed by :func:`use_store` (``fetch_all`` does), else the default."""
    return _STORE.get() or RawStore(DEFAULT_ROOT)


@contextlib.contextmanager
def use_store(store: RawStore) -> Iterator[RawStore]:
    token = _STORE.set(store)
    try:
        yield store
    finally:
        _STORE.reset(token)


def download(
    url: str,
    *,
    source: str,
    name: str,
    method: str = "GET",
    store_url: str | None = None,
    vintage: str | None = None,
    check: Callable[[bytes], None] | None = None,
    **request_kwargs: Any,
) -> StoredFile:
    """Get ``url`` from the raw store, or download it through the shared session and store it.

    ``store_url`` is the download's identity in the store when ``url`` alone is not (a POST
    whose body selects the data). ``check(bytes)`` runs before anything is stored, so an error
    answered with HTTP 200 raises instead of being kept as data.
    """
    store = current_store()
    key = store_url or url
    stored = store.get(key)
    if stored is None:
        session = current_session()
        response = session.request(method, url, **request_kwargs)
        raise_for_status(response, what=source)
        data = response.content
        if check is not None:
            try:
                check(data)
            except Exception:
                _forget(session, response)  # an error body must not be served again from cache
                raise
        stored = store.put(source, key, data, name=name, vintage=vintage)
        if getattr(response, "from_cache", False):
            stored = replace(stored, status="cached")
    seen = _SEEN.get()
    if seen is not None:
        seen.append(stored)
    return stored


def _forget(session: Session, response: Any) -> None:
    cache_key = getattr(response, "cache_key", None)
    if cache_key:
        session.cache.delete(cache_key)


def copy_to(stored: StoredFile, dest: Path) -> Path:
    """Copy a stored file into ``dest`` (a folder, created if needed) under its own name."""
    dest = Path(dest)
    dest.mkdir(parents=True, exist_ok=True)
    target = dest / stored.name
    shutil.copyfile(stored.path, target)
    return target


def fetch_all(
    requests: list[FetchRequest],
    *,
    store: RawStore,
    session: Session,
    dest: Path | None = None,
    progress: bool | TextIO = True,
    raise_on_error: bool = True,
) -> list[StoredFile]:
    """Run every request's connector ``fetch`` with ``session`` and ``store`` installed.

    Returns the stored files (one per download, in request order). Every request is tried even
    when one fails; failures are then raised together as :class:`FetchFailed` (or, with
    ``raise_on_error=False``, only reported). ``dest`` receives each connector's output file
    (default: a temporary folder, since the store keeps the bytes).
    """
    from align import connector as registry

    out = sys.stderr if progress is True else (progress or None)
    stored_all: list[StoredFile] = []
    failures: list[tuple[FetchRequest, str]] = []
    with contextlib.ExitStack() as stack:
        stack.enter_context(use_session(session))
        stack.enter_context(use_store(store))
        folder = Path(dest) if dest is not None else Path(stack.enter_context(
            tempfile.TemporaryDirectory(prefix="align-fetch-")))
        total = len(requests)
        for i, req in enumerate(requests, 1):
            seen: list[StoredFile] = []
            token = _SEEN.set(seen)
            try:
                registry.get(req.connector).fetch(folder, **req.options)
            except (AlignError, OSError, ValueError, TypeError) as exc:
                why = redact(exc)
                failures.append((req, why))
                _say(out, f"[{i}/{total}] failed   {req.label()}: {why}")
            finally:
                _SEEN.reset(token)
            for s in seen:
                _say(out, f"[{i}/{total}] {s.status:8} {s.source} {s.url} "
                          f"({s.size:,} bytes, sha256 {s.sha256[:12]})")
            stored_all.extend(seen)
    if failures and raise_on_error:
        raise FetchFailed(failures, stored_all)
    return stored_all


def _say(out: TextIO | None, line: str) -> None:
    if out is not None:
        print(line, file=out, flush=True)
