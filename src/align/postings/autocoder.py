"""Job title → 6-digit SOC autocoder, trained at run time from files the user has.

Postings, employer hiring plans and participant records carry a free-text title and no
occupation code; they reach the gap analysis only once each title is coded to SOC. The coder
learns from what the publishers provide for that purpose:

* O*NET's Alternate Titles (with their short forms), Sample of Reported Titles and occupation
  titles, every O*NET-SOC code rolled up to its 6-digit SOC 2018 code (required);
* the Census Bureau's 2022 Alphabetical Index of Occupations (optional, recommended: 34,000
  titles as survey coders meet them, with industry restrictions; see :mod:`census_index`);
* the user's own corrections (optional; :mod:`corrections`), applied first and learnt from.

The model is a nearest-neighbour vote over the distinct training titles in an order-free word
space (each word and each unordered word pair, :func:`titles.title_features`, so the index's
"Mechanic bicycle" meets "Bicycle Mechanic"), blended with each SOC's centroid in that space
(which lets words spread over many titles of one SOC add up). A record's industry (NAICS) reweights the
neighbours by the index's industry restrictions; a description (or industry text) reorders the
title's own candidates by their O*NET occupation descriptions.

``confidence`` is the probability the top code is right, fitted (logistic, on the top score, the
gap to the runner-up and the similarity to the nearest learned title) on training titles held out
of a first fit by a fixed hash of the normalised title. ``review`` is set where the top two codes
are close (score gap below ``CLOSE_GAP``), the title is unlike anything learned (nearest learned
title's similarity below ``NOVEL_SIMILARITY``) or the confidence is below the model's
``review_below`` (chosen on the held-out titles so that 95% of the titles not flagged are right).
The trained model is cached, keyed by the hash of every source file.
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
from align.postings import industry as ind
from align.postings.census_index import (
    Restriction,
    index_titles,
    parse_restriction,
    read_census_index,
)
from align.postings.corrections import CORRECTION_WEIGHT, read_corrections
from align.postings.titles import (
    bracketed,
    normalise_title,
    singular,
    strip_coder_notes,
    title_features,
)
from align.postings.vectors import Logistic, Tfidf, normalise_rows

__all__ = ["Autocoder", "attach", "code_titles", "load_autocoder", "normalise_title", "singular", "train",
           "training_titles"]

MODEL_VERSION = "5"
DEFAULT_THRESHOLD = 0.5
DEFAULT_CACHE_DIR = Path(os.environ.get("XDG_CACHE_HOME") or Path.home() / ".cache") / "align" / "autocode"
UNKNOWN = "unknown"
#: review when the runner-up's score is within this of the top score (scores are vote shares)
CLOSE_GAP = 0.15
#: review when the nearest learned title is less similar than this (cosine, order-free words)
NOVEL_SIMILARITY = 0.5
#: share of the unflagged held-out titles that must be right; sets ``review_below``
REVIEW_TARGET = 0.95
CENTROID_WEIGHT = 0.4  # share of the SOC centroid in the score; the rest is the neighbour vote
#: words that make a title another occupation than its other words say ("HVAC supervisor" is a
#: supervisor, "electrician helper" a helper); neighbours without the query's role count less
ROLE_WORDS = ("supervisor", "foreman", "forewoman", "manager", "director", "superintendent", "helper",
              "aide", "teacher", "instructor", "professor", "apprentice", "assistant")
ROLE_PENALTY = 0.7
CONTEXT_WEIGHT = 0.5  # how far a description can lift a candidate (score × (1 + w·similarity))

# --------------------------------------------------------------------------------------------
# training sources


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


def _onet_titles(onet_dir: Path) -> tuple[pd.DataFrame, dict[str, str]]:
    """O*NET title rows (title, soc_code, title_source, vintage) and SOC → description."""
    from align import connector

    files = find_onet_files(onet_dir)
    parts, descriptions = [], {}
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
        if "occupation_description" in o.columns:
            for soc, title, text in o[["soc_code", "occupation_title", "occupation_description"]].itertuples(index=False):
                descriptions[soc] = f"{descriptions.get(soc, '')} {title} {text if isinstance(text, str) else ''}"
    return pd.concat(parts, ignore_index=True), descriptions


def training_titles(onet_dir: Path, census_index: Path | None = None,
                    corrections: Path | None = None) -> pd.DataFrame:
    """Every training title: columns title, soc_code (detailed), weight, restriction,
    title_source (alternate, short, reported, occupation, census, correction), vintage.

    A Census title with a broad or combined code becomes one row per detailed code it supports,
    its weight shared among them; a correction weighs ``CORRECTION_WEIGHT`` titles.
    """
    onet, descriptions = _onet_titles(Path(onet_dir))
    parts = [onet.assign(weight=1.0, restriction="")]
    if census_index is not None:
        index = read_census_index(Path(census_index))
        own = index["soc_code_2018"][~index["soc_code_2018"].str.contains("X")
                                     & ~index["soc_code_2018"].str.endswith("0")]
        parts.append(index_titles(index, set(onet["soc_code"]) | set(own)))
    if corrections is not None:
        fixes = read_corrections(Path(corrections))
        parts.append(fixes[["title", "soc_code"]].assign(
            weight=CORRECTION_WEIGHT, restriction="", title_source="correction",
            vintage=f"corrections {Path(corrections).name}"))
    out = pd.concat(parts, ignore_index=True)
    out = out[out["title"].notna() & (out["title"].str.strip() != "")].reset_index(drop=True)
    out.attrs["descriptions"] = descriptions
    return out


def soc_titles(titles: pd.DataFrame) -> dict[str, str]:
    """SOC → a readable title: the O*NET occupation title where present, else the SOC's first
    O*NET title, else its first Census index title without coder notes."""
    order = {"occupation": 0, "census": 2, "correction": 3}
    ranked = titles.assign(rank=titles["title_source"].map(lambda t: order.get(t, 1)))
    ranked = ranked.sort_values("rank", kind="stable").drop_duplicates("soc_code")
    return {soc: strip_coder_notes(t) for soc, t in ranked[["soc_code", "title"]].itertuples(index=False)}


def _normalise_all(titles: pd.Series) -> pd.Series:
    """:func:`normalise_title` of each value, computed once per distinct value."""
    memo: dict[object, str] = {}
    out = [memo[t] if t in memo else memo.setdefault(t, normalise_title(t)) for t in titles]
    return pd.Series(out, index=titles.index, dtype=object)


def _expand_brackets(titles: pd.DataFrame) -> pd.DataFrame:
    """Training rows plus one per bracketed aside ("CRNA (Certified Registered Nurse
    Anesthetist)" also trains "Certified Registered Nurse Anesthetist"): normalising drops
    brackets, which are noise in postings but often the spelled-out title in the index."""
    has = titles["title"].str.contains(r"\(", regex=True, na=False)
    extra = titles[has].assign(title=lambda t: t["title"].map(lambda s: " ".join(bracketed(s))))
    return pd.concat([titles, extra[extra["title"].str.strip() != ""]], ignore_index=True)


# --------------------------------------------------------------------------------------------
# the model


@dataclass
class Prediction:
    codes: np.ndarray  # n × k SOC codes, best first
    scores: np.ndarray  # n × k scores (0-1)
    confidence: np.ndarray  # n, calibrated probability the first code is right
    similarity: np.ndarray  # n, cosine of the nearest learned title
    source: np.ndarray  # n: model, correction, or none (a blank title or no word learned)

    def take(self, rows: np.ndarray) -> Prediction:
        return Prediction(self.codes[rows], self.scores[rows], self.confidence[rows],
                          self.similarity[rows], self.source[rows])


@dataclass
class Autocoder:
    """A fitted title → SOC model (picklable; build with :func:`train` or :func:`load_autocoder`)."""

    classes: np.ndarray
    class_titles: dict[str, str]
    word_vectorizer: Any
    neighbours_t: sp.csr_matrix  # word features × distinct training titles
    role_columns: np.ndarray  # the features that are role words (ROLE_WORDS)
    role_titles: sp.csr_matrix  # role words × distinct training titles (1 where the title has it)
    row_title: np.ndarray  # training row → distinct title
    row_class: np.ndarray  # training row → class
    row_weight: np.ndarray
    restrictions: dict[int, Restriction]  # training row → its industry restriction (rows with one)
    centroids: sp.csr_matrix  # classes × word features (each SOC's titles, l2-normalised)
    context_vectorizer: Any = None
    context_docs: sp.csr_matrix | None = None  # classes × context words (O*NET descriptions)
    corrections: dict[str, str] = field(default_factory=dict)  # normalised title → SOC
    k: int = 20
    power: float = 4.0
    calibration: Any = None
    review_below: float = 0.0
    release: str | None = None
    sources: dict[str, str] = field(default_factory=dict)
    key: str = ""
    holdout: dict[str, float] = field(default_factory=dict)
    _labels: dict[tuple, sp.csr_matrix] = field(default_factory=dict, repr=False)

    def __getstate__(self) -> dict:
        return {**self.__dict__, "_labels": {}}

    def labels(self, sector: tuple = ()) -> sp.csr_matrix:
        """Distinct titles × classes vote shares, the rows weighted for a record in ``sector``
        (Census industry code blocks; empty = industry unknown: every row counts once)."""
        if sector not in self._labels:
            w = self.row_weight.astype(np.float32).copy()
            if sector:
                for i, r in self.restrictions.items():
                    w[i] *= _industry_factor(r, sector)
            n_titles = self.neighbours_t.shape[1]
            m = sp.csr_matrix((w, (self.row_title, self.row_class)), shape=(n_titles, len(self.classes)))
            normalise_rows(m, "l1")
            self._labels[sector] = m.tocsr()
        return self._labels[sector]

    def scores(self, normalised: Sequence[str], sector: tuple = (), chunk: int = 5000
               ) -> tuple[np.ndarray, np.ndarray]:
        """Per-class scores (n × classes, 0-1) for normalised titles, and each title's
        similarity to its nearest learned title."""
        out, near = [], []
        labels = self.labels(sector)
        for i in range(0, len(normalised), chunk):
            part = list(normalised[i:i + chunk])
            x = self.word_vectorizer.transform(part)
            vote, sim = _knn_votes(x, self.neighbours_t, labels, self.k, self.power,
                                   self.role_titles, self.role_columns)
            centroid = np.asarray((x @ self.centroids.T).todense(), dtype=np.float32)
            out.append((1 - CENTROID_WEIGHT) * vote + CENTROID_WEIGHT * centroid)
            near.append(sim)
        if not out:
            return np.zeros((0, len(self.classes)), dtype=np.float32), np.zeros(0, dtype=np.float32)
        return np.vstack(out), np.concatenate(near)

    def context_scores(self, texts: Sequence[str]) -> np.ndarray:
        """Similarity (n × classes, 0-1) of description or industry texts to each SOC's O*NET
        description; zeros where the model has no descriptions or a text is blank."""
        if self.context_vectorizer is None or self.context_docs is None:
            return np.zeros((len(texts), len(self.classes)), dtype=np.float32)
        x = self.context_vectorizer.transform(list(texts))
        return np.asarray((x @ self.context_docs.T).todense(), dtype=np.float32)

    def predict(self, titles: Iterable[object], k: int = 5, *, industry: Iterable[object] | None = None,
                context: Iterable[object] | None = None) -> Prediction:
        """Top-``k`` SOC codes and scores per title, the calibrated confidence of the first, the
        similarity to the nearest learned title, and whether a correction decided it.

        ``industry`` (NAICS codes) and ``context`` (description or industry text), one per title,
        are optional.
        """
        distinct, inverse = self.predict_distinct(titles, k, industry=industry, context=context)
        return distinct.take(inverse)

    def predict_distinct(self, titles: Iterable[object], k: int = 5, *,
                         industry: Iterable[object] | None = None,
                         context: Iterable[object] | None = None) -> tuple[Prediction, np.ndarray]:
        """:meth:`predict` for each distinct (title, industry, context), and each title's row in it
        (postings repeat titles heavily: each is scored once)."""
        norm = _normalise_all(pd.Series(list(titles), dtype=object)).tolist()
        n = len(norm)
        sectors = [ind.census_ranges(x) for x in industry] if industry is not None else [()] * n
        texts = [x if isinstance(x, str) else "" for x in context] if context is not None else [""] * n
        if len(sectors) != n or len(texts) != n:
            raise InputError("industry/context columns differ in length from the titles")
        frame = pd.DataFrame({"norm": pd.Series(norm, dtype=object), "sector": pd.Series(sectors, dtype=object),
                              "text": pd.Series(texts, dtype=object)})
        keys = frame["norm"]
        if industry is not None or context is not None:
            keys = keys + "\x1f" + frame["sector"].map(str) + "\x1f" + frame["text"]
        first, inverse = np.unique(keys.to_numpy(dtype=str), return_index=True, return_inverse=True)[1:]
        u = frame.iloc[first].reset_index(drop=True)
        kk = min(k, len(self.classes))
        s = np.zeros((len(u), len(self.classes)), dtype=np.float32)
        sim = np.zeros(len(u), dtype=np.float32)
        for rows in u.groupby(u["sector"].map(str)).indices.values():
            s[rows], sim[rows] = self.scores(u["norm"].iloc[rows].tolist(), u["sector"].iloc[rows[0]])
        described = (u["text"].str.strip() != "").to_numpy()
        if described.any():
            c = self.context_scores(u.loc[described, "text"].tolist())
            top = c.max(axis=1, keepdims=True)
            rel = np.divide(c, top, out=np.zeros_like(c), where=top > 0)
            s[described] = s[described] * (1 + CONTEXT_WEIGHT * rel) / (1 + CONTEXT_WEIGHT)
        top = np.argpartition(-s, kk - 1, axis=1)[:, :kk] if len(u) else np.zeros((0, kk), int)
        order = np.argsort(-np.take_along_axis(s, top, 1), axis=1, kind="stable")
        top = np.take_along_axis(top, order, 1)
        top_scores = np.take_along_axis(s, top, 1)
        conf = self.confidence(top_scores, sim)
        codes = self.classes[top].astype(object)
        source = np.full(len(u), "model", dtype=object)
        blank = (u["norm"] == "").to_numpy() | (top_scores[:, 0] <= 0)  # nothing it learned
        conf[blank], top_scores[blank], source[blank] = 0.0, 0.0, "none"
        for i, title in enumerate(u["norm"]):
            fix = self.corrections.get(title)
            if fix is not None:
                score_of = dict(zip(codes[i], top_scores[i], strict=True))
                rest = [c for c in codes[i] if c != fix][:kk - 1]
                codes[i] = [fix, *rest]
                top_scores[i] = [1.0, *(score_of[c] for c in rest)]
                conf[i], source[i] = 1.0, "correction"
        return Prediction(codes, top_scores, conf, sim, source), inverse

    def confidence(self, top_scores: np.ndarray, similarity: np.ndarray) -> np.ndarray:
        """Calibrated probability the first code is right (the top score itself when uncalibrated)."""
        top_scores = np.atleast_2d(np.asarray(top_scores, dtype=float))
        if self.calibration is None or not len(top_scores):
            return top_scores[:, 0].copy()
        return self.calibration.predict_proba(_calibration_features(top_scores, similarity))[:, 1]

    def review(self, pred: Prediction) -> tuple[np.ndarray, np.ndarray]:
        """Whether each coded title needs a person's look, and why (empty when not)."""
        gap = pred.scores[:, 0] - (pred.scores[:, 1] if pred.scores.shape[1] > 1 else 0)
        close = gap < CLOSE_GAP
        novel = pred.similarity < NOVEL_SIMILARITY
        low = pred.confidence < self.review_below
        reasons = []
        for i in range(len(gap)):
            if pred.source[i] != "model":
                reasons.append("" if pred.source[i] == "correction" else "no word the coder learned (or a blank title)")
                continue
            why = []
            if novel[i]:
                why.append(f"unlike any learned title (nearest {pred.similarity[i]:.2f})")
            if close[i]:
                why.append(f"close call: {pred.codes[i, 0]} {pred.scores[i, 0]:.2f} vs "
                           f"{pred.codes[i, 1]} {pred.scores[i, 1]:.2f}")
            if low[i] and not why:
                why.append(f"low confidence ({pred.confidence[i]:.2f})")
            reasons.append("; ".join(why))
        flagged = np.array([bool(r) for r in reasons], dtype=bool)
        return flagged, np.array(reasons, dtype=object)


def _industry_factor(r: Restriction, sector: tuple) -> float:
    """How much a training title with restriction ``r`` counts for a record in ``sector``."""
    if r.otherwise:
        return 0.5  # the fallback: it holds where the title's listed industries do not
    if r.usual:
        return 2.0 if ind.overlaps(r.allowed, sector) else 1.0
    if r.allowed:
        inside = ind.overlaps(r.allowed, sector) and not ind.covered(sector, r.excluded)
        return 4.0 if inside else 0.05
    if r.excluded:
        return 0.05 if ind.covered(sector, r.excluded) else 1.0
    return 1.0


def _calibration_features(top_scores: np.ndarray, similarity: np.ndarray) -> np.ndarray:
    s1 = top_scores[:, 0]
    s2 = top_scores[:, 1] if top_scores.shape[1] > 1 else np.zeros_like(s1)
    sim = np.asarray(similarity, dtype=float).reshape(-1)
    return np.column_stack([s1, s1 - s2, sim, s1 * sim])


def _knn_votes(xq: sp.csr_matrix, index_t: sp.csr_matrix, labels: sp.csr_matrix, k: int,
               power: float, role_titles: sp.csr_matrix | None = None, role_columns: np.ndarray | None = None,
               keep_within: float = 0.3) -> tuple[np.ndarray, np.ndarray]:
    """Share of each class among the ``k`` most similar training titles (weights sim**power), and
    the best similarity. A training title lacking a role word the query has ("supervisor",
    "helper": ``role_columns`` of the features, ``role_titles`` roles × titles) counts at
    ``ROLE_PENALTY`` of its similarity, so "HVAC supervisor" leans to supervisors of mechanics,
    not to HVAC mechanics. Neighbours below ``keep_within`` × the best are dropped before ranking:
    with power 4 their weight is under 1% of the best's, and ranking them was most of the time."""
    prod = (xq @ index_t).tocsr()
    n = prod.shape[0]
    counts = np.diff(prod.indptr)
    rows = np.repeat(np.arange(n), counts)
    best = np.zeros(n, dtype=np.float32)
    nz = counts > 0
    best[nz] = np.maximum.reduceat(prod.data, prod.indptr[:-1][nz])
    if role_titles is not None and role_columns is not None and len(role_columns):
        query_roles = (xq[:, role_columns] > 0).astype(np.float32)
        has_role = np.asarray(query_roles.sum(axis=1)).ravel() > 0
        if has_role.any():
            sharing = prod.multiply((query_roles @ role_titles) > 0)  # same similarity, shared role
            scale = np.where(has_role[rows], ROLE_PENALTY, 1.0).astype(np.float32)
            prod = (sp.csr_matrix((prod.data * scale, prod.indices, prod.indptr), shape=prod.shape)
                    + sharing * (1 - ROLE_PENALTY)).tocsr()
            prod.sort_indices()
            rows = np.repeat(np.arange(n), np.diff(prod.indptr))
    m = prod.data >= keep_within * best[rows]
    data, rows, cols = prod.data[m], rows[m], prod.indices[m]
    order = np.lexsort((-data, rows))
    starts = np.searchsorted(rows[order], np.arange(n))
    rank = np.arange(len(order)) - starts[rows[order]]
    keep = order[rank < k]
    weights = sp.csr_matrix((data[keep] ** power, (rows[keep], cols[keep])), shape=prod.shape)
    votes = np.asarray((weights @ labels).todense(), dtype=np.float32)
    total = votes.sum(axis=1, keepdims=True)
    return np.divide(votes, total, out=np.zeros_like(votes), where=total > 0), np.minimum(best, 1.0)


def _fit(rows: pd.DataFrame, names: dict[str, str], descriptions: dict[str, str]) -> Autocoder:
    """Fit on training rows with columns norm, soc_code, weight, restriction."""
    from sklearn.feature_extraction.text import TfidfVectorizer
    from sklearn.preprocessing import normalize

    classes, y = np.unique(rows["soc_code"].to_numpy(dtype=str), return_inverse=True)
    text = rows["norm"].to_numpy(dtype=str)
    weight = rows["weight"].to_numpy(dtype=np.float32)
    distinct, row_title = np.unique(text, return_inverse=True)
    word = TfidfVectorizer(analyzer=title_features, sublinear_tf=True, dtype=np.float32)
    x = word.fit_transform(distinct)
    roles = np.array(sorted(word.vocabulary_[w] for w in ROLE_WORDS if w in word.vocabulary_), dtype=np.int64)
    member = sp.csr_matrix((weight, (y, row_title)), shape=(len(classes), len(distinct)))
    centroids = normalize(member @ x).tocsr()
    parsed = {t: parse_restriction(t) for t in rows["restriction"].unique() if t}
    restrictions = {i: parsed[t] for i, t in enumerate(rows["restriction"].to_numpy(dtype=str))
                    if t and parsed[t] != Restriction()}
    context_vectorizer = context_docs = None
    if descriptions:
        docs = [descriptions.get(c, "") for c in classes]
        context_vectorizer = TfidfVectorizer(stop_words="english", sublinear_tf=True,
                                             dtype=np.float32).fit(docs)
        context_docs = context_vectorizer.transform(docs).tocsr()
    return Autocoder(classes=classes, class_titles={c: names.get(c, "") for c in classes},
                     word_vectorizer=Tfidf.of(word), neighbours_t=x.T.tocsr(), role_columns=roles,
                     role_titles=(x[:, roles].T > 0).astype(np.float32).tocsr(),
                     row_title=row_title.astype(np.int32), row_class=y.astype(np.int32),
                     row_weight=weight, restrictions=restrictions, centroids=centroids,
                     context_vectorizer=Tfidf.of(context_vectorizer) if context_vectorizer is not None else None,
                     context_docs=context_docs)


def hash_split(normalised: pd.Series, fraction: float, salt: str) -> np.ndarray:
    """Held-out mask from a fixed hash of each *normalised* title (salted, so the calibration
    split and a benchmark's split are independent); one title never sits on both sides."""
    cut = int(fraction * 2**32)

    def held(t: str) -> bool:
        return int.from_bytes(hashlib.sha256(f"{salt}\x1f{t}".encode()).digest()[:4], "big") < cut

    return normalised.map(held).to_numpy(dtype=bool)


def evaluate(model: Autocoder, titles: pd.Series, truth: pd.Series) -> pd.DataFrame:
    """Per distinct normalised title: the codes it may take (``truth``, a set per title), the
    model's top five, right at 6 digits / major group, confidence and review flag."""
    frame = pd.DataFrame({"norm": _normalise_all(titles).to_numpy(), "soc": truth.to_numpy()})
    frame = frame[frame["norm"] != ""]
    sets = frame.groupby("norm")["soc"].agg(lambda s: set().union(*[x if isinstance(x, set) else {x} for x in s]))
    pred = model.predict(list(sets.index), k=5)
    flagged, _ = model.review(pred)
    sets_l = sets.to_list()
    return pd.DataFrame({
        "title": sets.index, "truth": sets_l, "top1": pred.codes[:, 0],
        "right": [c in t for c, t in zip(pred.codes[:, 0], sets_l, strict=True)],
        "right_major": [c[:2] in {x[:2] for x in t} for c, t in zip(pred.codes[:, 0], sets_l, strict=True)],
        "right_top5": [bool(set(c) & t) for c, t in zip(pred.codes, sets_l, strict=True)],
        "confidence": pred.confidence, "similarity": pred.similarity, "review": flagged,
        "top_score": pred.scores[:, 0],
        "gap": pred.scores[:, 0] - pred.scores[:, 1],
    })


def summarise(ev: pd.DataFrame) -> dict[str, float]:
    """Top-1 / top-5 at 6 digits, top-1 at the major group, share flagged, accuracy unflagged."""
    kept = ev[~ev["review"]]
    return {"n_titles": float(len(ev)), "top1_soc": float(ev["right"].mean()),
            "top1_major": float(ev["right_major"].mean()), "top5_soc": float(ev["right_top5"].mean()),
            "share_review": float(ev["review"].mean()),
            "top1_unflagged": float(kept["right"].mean()) if len(kept) else float("nan")}


def _review_cut(ev: pd.DataFrame, target: float, weight: np.ndarray) -> float:
    """The lowest confidence cut at which the (weighted) titles not otherwise flagged and above it
    are at least ``target`` right (1.0 when no cut reaches it)."""
    keep = ~ev["review"].to_numpy()
    if not keep.any():
        return 0.0
    order = np.argsort(-ev["confidence"].to_numpy()[keep], kind="stable")
    right = ev["right"].to_numpy(dtype=float)[keep][order]
    w = weight[keep][order]
    running = np.cumsum(right * w) / np.cumsum(w)
    ok = np.flatnonzero(running >= target)
    return float(ev["confidence"].to_numpy()[keep][order][ok[-1]]) if len(ok) else 1.0


def _source_weights(ev: pd.DataFrame, rows: pd.DataFrame) -> np.ndarray:
    """Weights giving each training source (O*NET, Census index, corrections) the same total
    weight among the held-out titles: the confidence is calibrated for titles like any of them,
    not for whichever source happens to list the most titles."""
    group = rows["title_source"].map(lambda t: t if t in {"census", "correction"} else "onet")
    by_title = pd.Series(group.to_numpy(), index=rows["norm"].to_numpy())
    by_title = by_title[~by_title.index.duplicated()]
    g = by_title.reindex(ev["title"]).fillna("onet").to_numpy()
    counts = pd.Series(g).value_counts()
    return (1.0 / counts.reindex(g).to_numpy()) * len(g) / len(counts)


def train(titles: pd.DataFrame, *, holdout_fraction: float = 0.1, min_calibration: int = 500,
          release: str | None = None, key: str = "") -> Autocoder:
    """Fit the autocoder on a training-titles table (see :func:`training_titles`).

    A first fit leaves ``holdout_fraction`` of the distinct normalised titles out (fixed hash);
    its accuracy on them is kept in ``model.holdout``, and its scores vs right/wrong fit the
    confidence and the ``review_below`` cut (with fewer than ``min_calibration`` held-out titles,
    as in a tiny custom title list, the raw top score is the confidence and only the close-call
    and novelty rules flag). The model is then refitted on every title.
    """
    from sklearn.linear_model import LogisticRegression

    if titles.empty:
        raise InputError("no training titles", expected="O*NET title rows with soc_code")
    rows = _expand_brackets(titles)
    rows["norm"] = _normalise_all(rows["title"])
    for col, default in (("weight", 1.0), ("restriction", "")):
        if col not in rows.columns:
            rows[col] = default
    rows = rows[rows["norm"] != ""].reset_index(drop=True)
    names = soc_titles(titles)
    descriptions = titles.attrs.get("descriptions", {})
    corrections = dict(rows.loc[rows["title_source"] == "correction", ["norm", "soc_code"]]
                       .itertuples(index=False, name=None))
    model_holdout: dict[str, float] = {}
    calibration, review_below = None, 0.0
    held = hash_split(rows["norm"], holdout_fraction, "calibration") if holdout_fraction > 0 \
        else np.zeros(len(rows), dtype=bool)
    if held.any() and (~held).any():
        first = _fit(rows[~held], names, descriptions)
        ev = evaluate(first, rows.loc[held, "norm"], rows.loc[held, "soc_code"])
        if len(ev) >= min_calibration and ev["right"].nunique() == 2:
            weight = _source_weights(ev, rows[held])
            top = np.column_stack([ev["top_score"], ev["top_score"] - ev["gap"]])
            calibration = Logistic.of(LogisticRegression(C=10.0, max_iter=1000).fit(
                _calibration_features(top, ev["similarity"]), ev["right"].to_numpy(), sample_weight=weight))
            first.calibration = calibration
            ev = evaluate(first, ev["title"], ev["truth"])
            review_below = _review_cut(ev, REVIEW_TARGET, weight)
            first.review_below = review_below
            ev = evaluate(first, ev["title"], ev["truth"])
        model_holdout = summarise(ev)
    model = _fit(rows, names, descriptions)
    model.calibration, model.review_below, model.holdout = calibration, review_below, model_holdout
    model.corrections, model.release, model.key = corrections, release, key
    return model


# --------------------------------------------------------------------------------------------
# build once, cache, load


_MEMO: dict[str, Autocoder] = {}


def _cache_key(files: Iterable[Path]) -> str:
    from importlib.metadata import version  # not the import of scikit-learn itself: over a second

    h = hashlib.sha256(f"model {MODEL_VERSION} sklearn {version('scikit-learn')}".encode())
    for path in files:
        h.update(path.name.encode())
        h.update(hashlib.sha256(path.read_bytes()).digest())
    return h.hexdigest()[:16]


def default_onet_dir() -> Path | None:
    """The O*NET folder from ``ALIGN_ONET`` (O*NET is not bundled: the user points at it)."""
    value = os.environ.get("ALIGN_ONET", "").strip()
    return Path(value) if value else None


def default_census_index() -> Path | None:
    """The Census occupation index from ``ALIGN_CENSUS_INDEX`` (optional; not bundled)."""
    value = os.environ.get("ALIGN_CENSUS_INDEX", "").strip()
    return Path(value) if value else None


def default_cache_dir() -> Path:
    """``ALIGN_AUTOCODE_CACHE``, else the user's cache folder — never the working directory."""
    return Path(os.environ.get("ALIGN_AUTOCODE_CACHE", "") or DEFAULT_CACHE_DIR)


def load_autocoder(onet_dir: Path | None = None, *, census_index: Path | None = None,
                   corrections: Path | None = None, cache_dir: Path | None = None,
                   rebuild: bool = False, **train_options: Any) -> Autocoder:
    """The autocoder for these training sources: from the cache when built before, else trained
    and cached (``autocoder_<release>_<hash>.joblib``; the hash covers the bytes of the O*NET
    title files, the Census index and the corrections file, the model version and
    scikit-learn's version, so any new source or library retrains).

    ``onet_dir`` defaults to ``$ALIGN_ONET``, ``census_index`` to ``$ALIGN_CENSUS_INDEX``.
    """
    import joblib

    from align.store import atomic_write

    onet_dir = onet_dir or default_onet_dir()
    if onet_dir is None:
        raise InputError("no O*NET folder given", expected="--onet DIR or the ALIGN_ONET "
                         "environment variable pointing at an O*NET text release (db_27_0_text)")
    census_index = census_index or default_census_index()
    files = [p for paths in find_onet_files(Path(onet_dir)).values() for p in paths]
    for extra, what in ((census_index, "Census occupation index"), (corrections, "corrections file")):
        if extra is not None:
            if not Path(extra).is_file():
                raise InputError(f"{what} not found", file=extra)
            files.append(Path(extra))
    key = _cache_key(files) + ("-" + "-".join(f"{k}{v}" for k, v in sorted(train_options.items()))
                               if train_options else "")
    if not rebuild and key in _MEMO:
        return _MEMO[key]
    cache = Path(cache_dir) if cache_dir is not None else default_cache_dir()
    titles = training_titles(Path(onet_dir), census_index, corrections)
    release = next((v for v in titles.loc[titles["title_source"] != "census", "vintage"].dropna().unique()), None)
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
        model.sources = {"onet": str(onet_dir), "census_index": str(census_index or ""),
                         "corrections": str(corrections or "")}
        atomic_write(path, lambda tmp: joblib.dump(model, tmp, compress=3))
    _MEMO[key] = model
    return model


# --------------------------------------------------------------------------------------------
# coding a column of titles

#: the columns :func:`code_titles` writes (never an input's own column names)
CODED_COLUMNS = ("autocode_soc_code", "autocode_soc_title", "autocode_confidence", "autocode_review",
                 "autocode_review_reason", "autocode_alternatives", "autocode_source")


def code_titles(titles: Iterable[object], model: Autocoder, *, threshold: float = DEFAULT_THRESHOLD,
                k: int = 5, industry: Iterable[object] | None = None,
                context: Iterable[object] | None = None) -> pd.DataFrame:
    """The coder's answer for each title, in columns of its own (:data:`CODED_COLUMNS`).

    ``autocode_soc_code`` is missing below ``threshold`` (``autocode_soc_title`` "unknown"; the
    alternatives, ``15-1252 Software Developers (0.81); ...``, still listed); ``autocode_review``
    is true where a person should look (close call, unlike anything learned, low confidence or
    below the threshold), with the reason; ``autocode_source`` says whether a correction or the
    model decided (``none``: a blank title or one with no word the coder learned: no code).
    """
    if not 0.0 <= threshold <= 1.0:
        raise InputError(f"confidence threshold {threshold}", expected="a number from 0 to 1")
    titles = list(titles)
    pred, inverse = model.predict_distinct(titles, k=k, industry=industry, context=context)
    flagged, reasons = model.review(pred)
    known = (pred.confidence >= threshold) & (pred.source != "none")
    below = ~known & (pred.source != "none")
    reasons = np.where(below & (reasons == ""), f"confidence below {threshold:g}", reasons)
    top = pred.codes[:, 0] if len(pred.codes) else np.array([], dtype=object)
    names = model.class_titles
    alternatives = ["; ".join(f"{c} {names.get(c, '')} ({s:.2f})" for c, s in zip(row_codes, row_scores, strict=True)
                              if s > 0) for row_codes, row_scores in zip(pred.codes, pred.scores, strict=True)]
    distinct = pd.DataFrame({
        "autocode_soc_code": pd.Series(np.where(known, top, None), dtype=object),
        "autocode_soc_title": pd.Series(np.where(known, [names.get(c, "") for c in top], UNKNOWN), dtype=object),
        "autocode_confidence": np.round(pred.confidence.astype(float), 4),
        "autocode_review": flagged | below,
        "autocode_review_reason": pd.Series(reasons, dtype=object),
        "autocode_alternatives": pd.Series(alternatives, dtype=object),
        "autocode_source": pd.Series(pred.source, dtype=object),
    })
    return distinct.iloc[inverse].reset_index(drop=True)


def attach(table: pd.DataFrame, coded: pd.DataFrame, *, origin: str = "input") -> pd.DataFrame:
    """``table`` with the coder's columns appended; refuses when ``table`` already has one of
    them (say, a file coded before), because an input column is never overwritten."""
    clash = [c for c in coded.columns if c in table.columns]
    if clash:
        raise InputError(f"the table already has column(s) {clash}", file=origin, column=clash[0],
                         expected="a table without autocode_* columns (rename or drop them to code it again)")
    return pd.concat([table.reset_index(drop=True), coded.reset_index(drop=True)], axis=1)


def agreement(existing: pd.Series, coded: pd.Series, *, origin: str = "input"
              ) -> tuple[pd.Series, float, int]:
    """Where a table already has SOC codes: per row whether the coder agrees (missing where
    either is missing), the share agreeing among rows that have both, and that number of rows.
    An input code that is not a SOC code is an error naming its row (O*NET codes roll up)."""
    from align import codes
    from align.errors import CodeError

    text = existing.astype("string").str.strip()
    have = (text.notna() & text.ne("")).to_numpy() & coded.notna().to_numpy()
    agree = pd.Series(pd.NA, index=existing.index, dtype="boolean")
    for i in np.flatnonzero(have):
        try:
            mine = codes.soc_from_onet(text.iloc[i])
        except CodeError:
            raise InputError(f"soc_code {text.iloc[i]!r} is not a SOC code", file=origin, row=i + 2,
                             column="soc_code", expected="e.g. 29-1141 (or the column left empty)") from None
        agree.iloc[i] = mine == coded.iloc[i]
    n = int(have.sum())
    return agree, (float(agree[have].mean()) if n else float("nan")), n
