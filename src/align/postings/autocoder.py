"""Job title → 6-digit SOC autocoder, trained from the O*NET title files.

Postings carry a free-text title and no occupation code, so they can only sit beside the
projections once each title is coded to SOC. The training set is what O*NET publishes for that
purpose: the Alternate Titles (with their short forms), the Sample of Reported Titles and the
occupation titles themselves, every O*NET-SOC code rolled up to its 6-digit SOC 2018 code.

The model mixes two scikit-learn TF-IDF views of a normalised title:

* a **character n-gram centroid** per SOC (robust to spelling, plurals and word order), and
* a **word n-gram nearest-neighbour vote** over the distinct training titles (precise where a
  posting title is close to a published title). Very common words are left out of the
  neighbour index (``max_df``) — they carry little signal and made the sparse product slow.

Each SOC's score is the mean of its centroid cosine and its neighbour vote share (0-1).
``confidence`` is not that raw score but the probability the top code is right, calibrated
(isotonic) on O*NET titles held out of a first fit — split by *normalised* title so a title
cannot sit on both sides of the split. Below the threshold the title is "unknown": no code,
the alternatives still listed. The trained model is cached per O*NET release and input hash.
"""

from __future__ import annotations

import hashlib
import os
import re
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import numpy as np
import pandas as pd
import scipy.sparse as sp

from align.errors import InputError

MODEL_VERSION = "1"
DEFAULT_THRESHOLD = 0.5
DEFAULT_CACHE_DIR = Path(os.environ.get("XDG_CACHE_HOME") or Path.home() / ".cache") / "align" / "autocode"
UNKNOWN = "unknown"

# --------------------------------------------------------------------------------------------
# title normalisation

_ABBREVIATIONS = {
    "sr": "senior", "jr": "junior", "mgr": "manager", "mngr": "manager", "asst": "assistant",
    "assoc": "associate", "engr": "engineer", "eng": "engineer", "admin": "administrator",
    "rep": "representative", "tech": "technician", "techs": "technician", "coord": "coordinator",
    "dir": "director", "supv": "supervisor", "spec": "specialist", "svc": "service",
    "rn": "registered nurse", "lpn": "licensed practical nurse", "lvn": "licensed vocational nurse",
    "cna": "certified nursing assistant", "cdl": "commercial driver", "ml": "machine learning",
    "ai": "artificial intelligence", "swe": "software engineer", "sw": "software",
    "dev": "developer", "qa": "quality assurance", "hr": "human resources", "it": "information technology",
    "vp": "vice president", "ceo": "chief executive officer", "cfo": "chief financial officer",
    "cpa": "certified public accountant", "hvac": "heating ventilation air conditioning",
}
# posting noise that says nothing about the occupation
_NOISE = re.compile(
    r"\b(?:\d+\s*%\s*remote|fully remote|remote|hybrid|on[\s-]?site|work from home|wfh|"
    r"full[\s-]?time|part[\s-]?time|contract(?:or)? to hire|temp to hire|per diem|prn|"
    r"urgent(?:ly)? hiring|hiring immediately|now hiring|sign[\s-]?on bonus|bonus|"
    r"entry[\s-]?level|senior|junior|mid[\s-]?level|level [ivx0-9]+|l[1-9]|[ivx]{1,4}|[1-9])\b"
)
_BRACKETS = re.compile(r"\([^)]*\)|\[[^\]]*\]|\{[^}]*\}")


def _singular(word: str) -> str:
    if len(word) > 3 and word.endswith("ies"):
        return word[:-3] + "y"
    if len(word) > 3 and word.endswith("s") and not word.endswith(("ss", "us", "is")):
        return word[:-1]
    return word


def normalise_title(text: object) -> str:
    """A title reduced to what identifies the occupation: lower case, abbreviations expanded,
    bracketed asides, seniority levels and posting noise ("100% Remote", "(L4)") removed,
    plurals folded (so "Registered Nurses" and "RN" meet "Registered Nurse")."""
    if not isinstance(text, str):
        return ""
    s = _BRACKETS.sub(" ", text.lower())
    s = re.sub(r"[^a-z0-9+#%]+", " ", s.replace("&", " and "))
    s = " ".join(_ABBREVIATIONS.get(w, w) for w in s.split())
    s = _NOISE.sub(" ", s)
    return " ".join(_singular(w) for w in s.split() if w not in {"at", "w", "and", "of", "the", "for", "%"})


# --------------------------------------------------------------------------------------------
# training data


def find_onet_files(onet_dir: Path) -> dict[str, list[Path]]:
    """The O*NET title files in a release folder, recognised by their header (not their name).

    Returns ``{"onet_titles": [...], "onet_occupations": [...]}``; raises when the folder has no
    title file, because a model trained on occupation titles alone would code poorly.
    """
    from align import connector

    onet_dir = Path(onet_dir)
    if not onet_dir.is_dir():
        raise InputError("O*NET folder not found", file=onet_dir,
                         expected="the unzipped O*NET text release (e.g. db_27_0_text)")
    found: dict[str, list[Path]] = {"onet_titles": [], "onet_occupations": []}
    for path in sorted(onet_dir.iterdir()):
        if not path.is_file() or path.suffix.lower() != ".txt":
            continue
        for name in found:
            if connector.get(name).sniff(path):
                found[name].append(path)
    if not found["onet_titles"]:
        raise InputError("no O*NET title file in the folder", file=onet_dir,
                         expected="'Alternate Titles.txt' and/or 'Sample of Reported Titles.txt' "
                                  "in the O*NET text layout")
    return found


def training_titles(onet_dir: Path) -> pd.DataFrame:
    """Every O*NET title with its 6-digit SOC: columns title, soc_code, title_source, vintage.

    Alternate titles, their short titles, reported titles and the occupation titles; the
    occupation titles also name each SOC (``soc_title``, the first O*NET title of the SOC).
    """
    from align import connector

    files = find_onet_files(onet_dir)
    parts = []
    for path in files["onet_titles"]:
        t = connector.get("onet_titles").parse(path)
        parts.append(t[["title", "soc_code", "title_source", "vintage"]])
        short = t[t["short_title"].notna()]
        if len(short):
            parts.append(short[["short_title", "soc_code", "vintage"]]
                         .rename(columns={"short_title": "title"}).assign(title_source="short"))
    for path in files["onet_occupations"]:
        o = connector.get("onet_occupations").parse(path)
        parts.append(o[["occupation_title", "soc_code", "vintage"]]
                     .rename(columns={"occupation_title": "title"}).assign(title_source="occupation"))
    out = pd.concat(parts, ignore_index=True)
    return out[out["title"].notna() & (out["title"].str.strip() != "")].reset_index(drop=True)


def soc_titles(titles: pd.DataFrame) -> dict[str, str]:
    """SOC → a readable title: the O*NET occupation title of the ``.00`` code where present."""
    occ = titles[titles["title_source"] == "occupation"]
    names = occ.drop_duplicates("soc_code").set_index("soc_code")["title"].to_dict()
    for soc, title in titles.drop_duplicates("soc_code")[["soc_code", "title"]].itertuples(index=False):
        names.setdefault(soc, title)
    return names


# --------------------------------------------------------------------------------------------
# the model


@dataclass
class Autocoder:
    """A fitted title → SOC model (picklable; build with :func:`train` or :func:`load_autocoder`)."""

    classes: np.ndarray
    class_titles: dict[str, str]
    char_vectorizer: Any
    word_vectorizer: Any
    centroids: sp.csr_matrix
    neighbours_t: sp.csr_matrix  # word features × distinct training titles
    neighbour_labels: sp.csr_matrix  # distinct training titles × classes (row shares)
    k: int = 10
    power: float = 4.0
    calibration: Any = None
    release: str | None = None
    key: str = ""
    holdout: dict[str, float] = field(default_factory=dict)

    def scores(self, normalised: Sequence[str], chunk: int = 5000) -> np.ndarray:
        """Per-class scores (n × classes, 0-1) for already normalised titles."""
        out = []
        for i in range(0, len(normalised), chunk):
            part = list(normalised[i:i + chunk])
            xc = self.char_vectorizer.transform(part)
            centroid = np.asarray((xc @ self.centroids.T).todense(), dtype=np.float32)
            vote = _knn_votes(self.word_vectorizer.transform(part), self.neighbours_t,
                              self.neighbour_labels, self.k, self.power)
            out.append(0.5 * (centroid + vote))
        if not out:
            return np.zeros((0, len(self.classes)), dtype=np.float32)
        return np.vstack(out)

    def predict(self, titles: Iterable[object], k: int = 5) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
        """Top-``k`` SOC codes and scores per title, and the calibrated confidence of the first.

        Titles are normalised and each distinct normalised title is scored once (postings
        repeat titles heavily). A title that normalises to nothing gets no code and confidence 0.
        """
        norm = pd.Series([normalise_title(t) for t in titles], dtype=object)
        uniq, inverse = np.unique(norm.to_numpy(dtype=str), return_inverse=True)
        s = self.scores(uniq)
        k = min(k, len(self.classes))
        top = np.argpartition(-s, k - 1, axis=1)[:, :k] if len(uniq) else np.zeros((0, k), int)
        order = np.argsort(-np.take_along_axis(s, top, 1), axis=1, kind="stable")
        top = np.take_along_axis(top, order, 1)
        top_scores = np.take_along_axis(s, top, 1)
        conf = self.confidence(top_scores[:, 0]) if len(uniq) else np.zeros(0)
        empty = uniq == ""
        conf[empty] = 0.0
        top_scores[empty] = 0.0
        return self.classes[top][inverse], top_scores[inverse], conf[inverse]

    def confidence(self, top_score: np.ndarray) -> np.ndarray:
        if self.calibration is None:
            return np.asarray(top_score, dtype=float)
        return np.asarray(self.calibration.predict(np.asarray(top_score, dtype=float)), dtype=float)


def _knn_votes(xq: sp.csr_matrix, index_t: sp.csr_matrix, labels: sp.csr_matrix, k: int,
               power: float) -> np.ndarray:
    """Share of each class among the ``k`` most similar training titles (weights sim**power)."""
    prod = (xq @ index_t).tocsr()
    n = prod.shape[0]
    rows = np.repeat(np.arange(n), np.diff(prod.indptr))
    order = np.lexsort((-prod.data, rows))
    rank = np.arange(len(order)) - prod.indptr[:-1][rows[order]]
    keep = order[rank < k]
    weights = sp.csr_matrix((prod.data[keep] ** power, (rows[keep], prod.indices[keep])),
                            shape=prod.shape)
    votes = np.asarray((weights @ labels).todense(), dtype=np.float32)
    total = votes.sum(axis=1, keepdims=True)
    return np.divide(votes, total, out=np.zeros_like(votes), where=total > 0)


def _fit(norm: pd.Series, soc: pd.Series, names: dict[str, str]) -> Autocoder:
    from sklearn.feature_extraction.text import TfidfVectorizer
    from sklearn.preprocessing import normalize

    classes, y = np.unique(soc.to_numpy(dtype=str), return_inverse=True)
    text = norm.to_numpy(dtype=str)
    char = TfidfVectorizer(analyzer="char_wb", ngram_range=(2, 4), sublinear_tf=True,
                           min_df=2 if len(text) > 2000 else 1, dtype=np.float32).fit(text)
    xc = char.transform(text)
    member = sp.csr_matrix((np.ones(len(y), np.float32), (y, np.arange(len(y)))),
                           shape=(len(classes), len(y)))
    centroids = normalize(member @ xc).tocsr()
    distinct, row = np.unique(text, return_inverse=True)
    word = TfidfVectorizer(analyzer="word", ngram_range=(1, 2), sublinear_tf=True,
                           token_pattern=r"[a-z0-9+#]+", max_df=0.01 if len(distinct) > 5000 else 1.0,
                           dtype=np.float32).fit(distinct)
    labels = normalize(sp.csr_matrix((np.ones(len(y), np.float32), (row, y)),
                                     shape=(len(distinct), len(classes))), norm="l1").tocsr()
    return Autocoder(classes=classes, class_titles={c: names.get(c, "") for c in classes},
                     char_vectorizer=char, word_vectorizer=word, centroids=centroids,
                     neighbours_t=word.transform(distinct).T.tocsr(), neighbour_labels=labels)


def _split(norm: pd.Series, fraction: float, seed: int) -> np.ndarray:
    """Held-out mask chosen per *normalised* title, so duplicates cannot leak across."""
    distinct = np.unique(norm.to_numpy(dtype=str))
    rng = np.random.default_rng(seed)
    held = set(rng.choice(distinct, size=max(1, round(len(distinct) * fraction)),
                          replace=False))
    return norm.isin(held).to_numpy()


def _holdout_metrics(model: Autocoder, norm: pd.Series, soc: pd.Series) -> tuple[dict[str, float], np.ndarray, np.ndarray]:
    """Top-1/top-5 accuracy at 6-digit SOC and 2-digit major group on held-out titles.

    A title O*NET lists under several SOCs counts as right when any of them is predicted.
    """
    truth = pd.DataFrame({"n": norm.to_numpy(), "soc": soc.to_numpy()}).groupby("n")["soc"].agg(set)
    names = truth.index.to_numpy(dtype=str)
    s = model.scores(names)
    top = np.argsort(-s, axis=1)[:, :5]
    codes = model.classes[top]
    sets = truth.to_list()
    majors = [{c[:2] for c in t} for t in sets]
    hit1 = np.array([c[0] in t for c, t in zip(codes, sets, strict=True)])
    metrics = {
        "n_titles": float(len(names)),
        "top1_soc": float(hit1.mean()),
        "top5_soc": float(np.mean([bool(set(c) & t) for c, t in zip(codes, sets, strict=True)])),
        "top1_major": float(np.mean([c[0][:2] in m for c, m in zip(codes, majors, strict=True)])),
        "top5_major": float(np.mean([bool({x[:2] for x in c} & m)
                                     for c, m in zip(codes, majors, strict=True)])),
    }
    return metrics, s[np.arange(len(s)), top[:, 0]], hit1


def train(titles: pd.DataFrame, *, holdout_fraction: float = 0.1, seed: int = 0,
          min_calibration: int = 500, release: str | None = None, key: str = "") -> Autocoder:
    """Fit the autocoder on a training-titles table (see :func:`training_titles`).

    A first fit leaves ``holdout_fraction`` of the distinct normalised titles out; its accuracy
    on them is kept in ``model.holdout`` and its top scores vs right/wrong calibrate
    ``confidence`` (with fewer than ``min_calibration`` held-out titles, as in a tiny custom
    title list, the raw top score is the confidence). The model is then refitted on every title.
    """
    from sklearn.isotonic import IsotonicRegression

    if titles.empty:
        raise InputError("no training titles", expected="O*NET title rows with soc_code")
    norm = titles["title"].map(normalise_title)
    keep = norm != ""
    norm, soc = norm[keep].reset_index(drop=True), titles.loc[keep, "soc_code"].reset_index(drop=True)
    names = soc_titles(titles)
    calibration = None
    metrics: dict[str, float] = {}
    held = _split(norm, holdout_fraction, seed) if holdout_fraction > 0 else np.zeros(len(norm), bool)
    if held.any() and (~held).any():
        first = _fit(norm[~held], soc[~held], names)
        metrics, top_scores, hit = _holdout_metrics(first, norm[held], soc[held])
    if metrics and metrics["n_titles"] >= min_calibration:
        calibration = IsotonicRegression(y_min=0.0, y_max=1.0, increasing=True,
                                         out_of_bounds="clip").fit(top_scores, hit.astype(float))
    model = _fit(norm, soc, names)
    model.calibration = calibration
    model.holdout = metrics
    model.release = release
    model.key = key
    return model


# --------------------------------------------------------------------------------------------
# build once, cache, load


_MEMO: dict[str, Autocoder] = {}


def _cache_key(files: dict[str, list[Path]]) -> str:
    import sklearn

    h = hashlib.sha256(f"model {MODEL_VERSION} sklearn {sklearn.__version__}".encode())
    for name in sorted(files):
        for path in files[name]:
            h.update(path.name.encode())
            h.update(hashlib.sha256(path.read_bytes()).digest())
    return h.hexdigest()[:16]


def default_onet_dir() -> Path | None:
    """The O*NET folder from ``ALIGN_ONET`` (O*NET is not bundled: the user points at it)."""
    value = os.environ.get("ALIGN_ONET", "").strip()
    return Path(value) if value else None


def default_cache_dir() -> Path:
    """``ALIGN_AUTOCODE_CACHE``, else the user's cache folder — never the working directory."""
    return Path(os.environ.get("ALIGN_AUTOCODE_CACHE", "") or DEFAULT_CACHE_DIR)


def load_autocoder(onet_dir: Path | None = None, *, cache_dir: Path | None = None,
                   rebuild: bool = False, **train_options: Any) -> Autocoder:
    """The autocoder for an O*NET release folder: from the cache when built before, else trained
    and cached (``autocoder_<release>_<hash>.joblib``; the hash covers the title files' bytes,
    the model version and scikit-learn's version, so a new release or library retrains)."""
    import joblib

    from align.store import atomic_write

    onet_dir = onet_dir or default_onet_dir()
    if onet_dir is None:
        raise InputError("no O*NET folder given", expected="--onet DIR or the ALIGN_ONET "
                         "environment variable pointing at an O*NET text release (db_27_0_text)")
    files = find_onet_files(Path(onet_dir))
    key = _cache_key(files) + ("-" + "-".join(f"{k}{v}" for k, v in sorted(train_options.items()))
                               if train_options else "")
    if not rebuild and key in _MEMO:
        return _MEMO[key]
    cache = Path(cache_dir) if cache_dir is not None else default_cache_dir()
    titles = training_titles(Path(onet_dir))
    release = next((v for v in titles["vintage"].dropna().unique()), None)
    slug = re.sub(r"[^a-z0-9]+", "_", (release or "onet").lower()).strip("_")
    path = cache / f"autocoder_{slug}_{key}.joblib"
    model: Autocoder | None = None
    if path.exists() and not rebuild:
        try:
            loaded = joblib.load(path)
            if isinstance(loaded, Autocoder) and loaded.key == key:
                model = loaded
        except Exception:  # a truncated or foreign cache file: rebuild it
            model = None
    if model is None:
        model = train(titles, release=release, key=key, **train_options)
        atomic_write(path, lambda tmp: joblib.dump(model, tmp, compress=3))
    _MEMO[key] = model
    return model


# --------------------------------------------------------------------------------------------
# coding a column of titles


def code_titles(titles: Iterable[object], model: Autocoder, *, threshold: float = DEFAULT_THRESHOLD,
                k: int = 5) -> pd.DataFrame:
    """soc_code, soc_title, confidence and soc_alternatives for each title.

    Below ``threshold`` the title is unknown: ``soc_code`` missing, ``soc_title`` "unknown",
    the alternatives (``15-1252 Software Developers (0.81); ...``) still listed for review.
    """
    if not 0.0 <= threshold <= 1.0:
        raise InputError(f"confidence threshold {threshold}", expected="a number from 0 to 1")
    codes, scores, conf = model.predict(titles, k=k)
    known = conf >= threshold
    top = codes[:, 0] if len(codes) else np.array([], dtype=str)
    names = model.class_titles
    alt_cache: dict[tuple, str] = {}

    def alternatives(row_codes: np.ndarray, row_scores: np.ndarray) -> str:
        key = (tuple(row_codes), tuple(np.round(row_scores, 3)))
        if key not in alt_cache:
            alt_cache[key] = "; ".join(f"{c} {names.get(c, '')} ({s:.2f})"
                                       for c, s in zip(row_codes, row_scores, strict=True) if s > 0)
        return alt_cache[key]

    return pd.DataFrame({
        "soc_code": pd.Series(np.where(known, top, None), dtype=object),
        "soc_title": pd.Series(np.where(known, [names.get(c, "") for c in top], UNKNOWN), dtype=object),
        "confidence": np.round(conf.astype(float), 4),
        "soc_alternatives": [alternatives(c, s) for c, s in zip(codes, scores, strict=True)],
    })


def read_titles_table(path: Path) -> pd.DataFrame:
    """A CSV (UTF-8 with or without BOM, else Windows-1252) or Parquet table, all text kept."""
    import io

    path = Path(path)
    if not path.exists():
        raise InputError("file not found", file=path)
    if path.suffix.lower() == ".parquet":
        try:
            return pd.read_parquet(path)
        except Exception as exc:
            raise InputError(f"cannot read parquet: {exc}", file=path) from None
    raw = path.read_bytes()
    try:
        text = raw.decode("utf-8-sig")
    except UnicodeDecodeError:
        text = raw.decode("cp1252", errors="replace")
    try:
        return pd.read_csv(io.StringIO(text), dtype=str, keep_default_na=False)
    except (pd.errors.ParserError, pd.errors.EmptyDataError, ValueError) as exc:
        raise InputError(f"cannot read as CSV: {exc}", file=path, expected="a CSV with a title column") from None
