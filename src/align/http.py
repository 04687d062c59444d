"""The one HTTP session every connector uses: cached, retried, offline-capable, key-safe.

Upstream services (BLS, NCES, O*NET) are slow, rate-limited and sometimes down, and a planning
run must be repeatable next year from what was downloaded this year. So every request goes
through one :class:`Session`:

- responses are cached in SQLite (requests-cache) under a cache folder (default
  ``$ALIGN_HTTP_CACHE``, else ``~/.cache/align/http``), POST bodies included, so a re-run asks the network nothing new;
- in offline mode only the cache answers, and a request it cannot answer raises
  :class:`~align.errors.OfflineMiss` naming the URL;
- connection errors, timeouts, 429 and 5xx answers are retried with exponential backoff,
  honouring ``Retry-After``; the sleep function is injectable so tests never sleep;
- every request has a timeout and a descriptive User-Agent;
- API keys (``registrationkey``, ``api_key``...) are kept out of the cache keys, the stored
  requests, log lines, error messages and reprs.

Connectors do not build sessions: they call :func:`current_session`, which returns the session
the caller installed with :func:`use_session` (``align fetch`` does that) or a default one.
"""

from __future__ import annotations

import contextlib
import contextvars
import email.utils
import logging
import os
import re
import time
from collections.abc import Callable, Iterator
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

import requests
import requests_cache

from align import __version__
from align.errors import OfflineMiss, UpstreamError

log = logging.getLogger("align.http")

def user_cache_dir() -> Path:
    """Where HTTP responses are cached: ``$ALIGN_HTTP_CACHE``, else the user's cache folder
    (``$XDG_CACHE_HOME/align/http``, by default ``~/.cache/align/http``) — never the folder the
    command happens to be run from."""
    env = os.environ.get("ALIGN_HTTP_CACHE", "").strip()
    if env:
        return Path(env).expanduser()
    base = os.environ.get("XDG_CACHE_HOME", "").strip() or Path.home() / ".cache"
    return Path(base) / "align" / "http"


DEFAULT_CACHE_DIR = "user cache"  # resolved by user_cache_dir() when a session is made
PROJECT_URL = "https://pypi.org/project/align-workforce/"
USER_AGENT = f"align/{__version__} (+{PROJECT_URL})"
RETRY_STATUS = frozenset({429, 500, 502, 503, 504})

# Parameter names whose values are secrets: dropped from cache keys and stored requests, and
# redacted from every message. Matching is case-insensitive.
SECRET_PARAMS: tuple[str, ...] = (
    "registrationkey", "api_key", "apikey", "api-key", "key", "access_token", "token",
    "Authorization", "Authorization-Key", "Proxy-Authorization", "X-API-Key",
)
# Environment variables holding keys; their values are redacted wherever they appear.
SECRET_ENV: tuple[str, ...] = ("BLS_API_KEY", "USAJOBS_API_KEY", "ONET_API_KEY")

_NAMES = "|".join(re.escape(p) for p in sorted(SECRET_PARAMS, key=len, reverse=True))
_QUERY_SECRET = re.compile(rf"(?i)([?&;]|^)({_NAMES})=[^&#\s'\"]*")
_JSON_SECRET = re.compile(rf"(?i)(['\"]({_NAMES})['\"]\s*:\s*)(['\"])(?:(?!\3).)*\3")
_HEADER_SECRET = re.compile(rf"(?i)\b({_NAMES})(:\s*)\S+")
REDACTED = "***"


def redact(text: object) -> str:
    """``text`` with API keys replaced by ``***``: query parameters, JSON fields, headers and
    the literal values of the key environment variables."""
    out = str(text)
    for var in SECRET_ENV:
        secret = os.environ.get(var)
        if secret and len(secret) >= 4:
            out = out.replace(secret, REDACTED)
    out = _QUERY_SECRET.sub(lambda m: f"{m.group(1)}{m.group(2)}={REDACTED}", out)
    out = _JSON_SECRET.sub(lambda m: f"{m.group(1)}{m.group(3)}{REDACTED}{m.group(3)}", out)
    return _HEADER_SECRET.sub(lambda m: f"{m.group(1)}{m.group(2)}{REDACTED}", out)


def api_key(env: str = "BLS_API_KEY") -> str | None:
    """The key in environment variable ``env``, or None when it is unset or blank."""
    value = os.environ.get(env, "").strip()
    return value or None


def retry_after_seconds(value: str | None, *, now: datetime | None = None) -> float | None:
    """Seconds to wait from a ``Retry-After`` header (delta-seconds or an HTTP date)."""
    if not value:
        return None
    value = value.strip()
    if re.fullmatch(r"\d+(\.\d+)?", value):
        return float(value)
    try:
        when = email.utils.parsedate_to_datetime(value)
    except (TypeError, ValueError):
        return None
    if when.tzinfo is None:
        when = when.replace(tzinfo=UTC)
    return max(0.0, (when - (now or datetime.now(UTC))).total_seconds())


class Session(requests_cache.CachedSession):
    """A requests session with align's cache, offline mode, retries, timeout and User-Agent."""

    def __init__(
        self,
        cache_dir: str | Path | None = DEFAULT_CACHE_DIR,
        *,
        offline: bool = False,
        retries: int = 4,
        backoff: float = 1.0,
        max_wait: float = 300.0,
        timeout: float | tuple[float, float] = (10.0, 120.0),
        sleep: Callable[[float], None] = time.sleep,
        expire_after: int | float | None = -1,
    ) -> None:
        """``cache_dir=None`` keeps the cache in memory (tests); ``expire_after=-1`` never expires,
        because a planning run pins what it downloaded (refresh with a new cache or ``refresh=True``)."""
        if cache_dir == DEFAULT_CACHE_DIR:
            cache_dir = user_cache_dir()
        if cache_dir is None:
            backend: Any = "memory"
            cache_name: str | Path = "align-http"
        else:
            Path(cache_dir).mkdir(parents=True, exist_ok=True)
            backend = "sqlite"
            cache_name = Path(cache_dir) / "http_cache.sqlite"
        super().__init__(
            cache_name=cache_name,
            backend=backend,
            expire_after=expire_after,
            allowable_codes=(200,),
            allowable_methods=("GET", "HEAD", "POST"),
            ignored_parameters=SECRET_PARAMS,
            match_headers=False,
        )
        self.cache_dir = None if cache_dir is None else Path(cache_dir)
        self.offline = offline
        self.retries = retries
        self.backoff = backoff
        self.max_wait = max_wait
        self.timeout = timeout
        self.sleep = sleep
        self.headers["User-Agent"] = USER_AGENT

    def request(self, method: str, url: str, *args: Any, **kwargs: Any) -> requests.Response:  # type: ignore[override]
        """Send a request through the cache; retry transient failures; honour offline mode."""
        kwargs.setdefault("timeout", self.timeout)
        shown = redact(url)
        if self.offline:
            response = super().request(method, url, *args, only_if_cached=True, **kwargs)
            # requests-cache answers a miss with a synthetic 504 (marked from_cache)
            if not getattr(response, "from_cache", False) or response.status_code == 504:
                raise OfflineMiss(f"offline: {method} {shown} is not in the HTTP cache"
                                  f"{f' at {self.cache_dir}' if self.cache_dir else ''}; "
                                  "run once online to fill it")
            log.debug("cache %s %s", method, shown)
            return response
        attempt = 0
        while True:
            try:
                response = super().request(method, url, *args, **kwargs)
            except (requests.ConnectionError, requests.Timeout) as exc:
                if attempt >= self.retries:
                    raise UpstreamError(f"{method} {shown}: {type(exc).__name__} after "
                                        f"{attempt + 1} attempt(s): {redact(exc)}") from None
                wait = self._wait(attempt, None)
                log.info("retry %s %s in %.1fs after %s", method, shown, wait, type(exc).__name__)
            else:
                if response.status_code not in RETRY_STATUS or attempt >= self.retries:
                    log.debug("%s %s %s%s", method, shown, response.status_code,
                              " (cache)" if getattr(response, "from_cache", False) else "")
                    return response
                wait = self._wait(attempt, response.headers.get("Retry-After"))
                log.info("retry %s %s in %.1fs after HTTP %s", method, shown, wait,
                         response.status_code)
                response.close()
            self.sleep(wait)
            attempt += 1

    def _wait(self, attempt: int, retry_after: str | None) -> float:
        told = retry_after_seconds(retry_after)
        wait = told if told is not None else self.backoff * (2 ** attempt)
        return min(wait, self.max_wait)

    def __repr__(self) -> str:
        where = self.cache_dir or "memory"
        return f"<align.http.Session cache={where} offline={self.offline} retries={self.retries}>"


def raise_for_status(response: requests.Response, *, what: str = "") -> requests.Response:
    """Raise :class:`UpstreamError` (URL redacted) unless the answer is 2xx."""
    if 200 <= response.status_code < 300:
        return response
    reason = response.reason or ""
    body = redact(response.text[:200]) if response.text else ""
    label = f"{what}: " if what else ""
    raise UpstreamError(f"{label}{response.request.method if response.request else 'GET'} "
                        f"{redact(response.url)} answered HTTP {response.status_code} {reason}"
                        f"{f' — {body}' if body else ''}")


_CURRENT: contextvars.ContextVar[Session | None] = contextvars.ContextVar("align_http_session",
                                                                          default=None)
_DEFAULT: list[Session] = []


def current_session() -> Session:
    """The session installed by :func:`use_session`, else one default cached session."""
    session = _CURRENT.get()
    if session is not None:
        return session
    if not _DEFAULT:
        cache_dir = user_cache_dir()
        offline = os.environ.get("ALIGN_OFFLINE", "").strip().lower() in ("1", "true", "yes")
        _DEFAULT.append(Session(cache_dir, offline=offline))
    return _DEFAULT[0]


@contextlib.contextmanager
def use_session(session: Session) -> Iterator[Session]:
    """Make ``session`` the one connectors get from :func:`current_session` inside the block."""
    token = _CURRENT.set(session)
    try:
        yield session
    finally:
        _CURRENT.reset(token)
