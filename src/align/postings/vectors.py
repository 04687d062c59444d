"""TF-IDF vectors and a logistic calibration without importing scikit-learn when a run codes postings.

Importing scikit-learn costs more than a second (it imports ``scipy.stats``): a fifth of the demo
run, spent to apply three fitted objects. Training still fits them with scikit-learn; what the
saved model keeps is their fitted state (vocabulary, idf, coefficients), applied here with the
same float32 arithmetic in the same order, so every number is the one scikit-learn would give,
to the last bit (``tests/postings/test_vectors.py`` compares them).
"""

from __future__ import annotations

import re
from collections.abc import Callable, Iterable
from dataclasses import dataclass
from typing import Any

import numpy as np
import scipy.sparse as sp

WORD = r"(?u)\b\w\w+\b"  # scikit-learn's default token pattern
_WHITE = re.compile(r"\s\s+")


def _counts(docs: Iterable[str], analyze: Callable[[str], list[str]], vocabulary: dict[str, int] | None
            ) -> tuple[sp.csr_array, dict[str, int]]:
    """Term counts, as CountVectorizer builds them (a fixed ``vocabulary``, or one grown in order)."""
    grow = vocabulary is None
    vocab: dict[str, int] = {} if grow else vocabulary  # type: ignore[assignment]
    j_indices: list[int] = []
    values: list[int] = []
    indptr = [0]
    for doc in docs:
        counter: dict[int, int] = {}
        for feature in analyze(doc):
            idx = vocab.get(feature)
            if idx is None:
                if not grow:
                    continue
                idx = vocab[feature] = len(vocab)
            counter[idx] = counter.get(idx, 0) + 1
        j_indices.extend(counter.keys())
        values.extend(counter.values())
        indptr.append(len(j_indices))
    x = sp.csr_array((np.asarray(values, dtype=np.intc), np.asarray(j_indices, dtype=np.int32),
                      np.asarray(indptr, dtype=np.int32)), shape=(len(indptr) - 1, len(vocab)), dtype=np.float32)
    x.sort_indices()
    return x, vocab


def normalise_rows(x: sp.csr_matrix | sp.csr_array, norm: str) -> None:
    """Scale each row to unit ``norm`` ("l1" or "l2") in place, summing in double precision in
    stored order, as scikit-learn's ``normalize`` does (rows of zeros stay as they are)."""
    data, indptr = x.data, x.indptr
    lengths = np.diff(indptr)
    total = np.zeros(len(lengths), dtype=np.float64)
    terms = np.abs(data) if norm == "l1" else data * data
    for k in range(int(lengths.max()) if len(lengths) else 0):  # position k of every row long enough
        rows = np.flatnonzero(lengths > k)
        total[rows] += terms[indptr[rows] + k].astype(np.float64)
    if norm == "l2":
        total = np.sqrt(total)
    scale = np.repeat(total, lengths)
    keep = scale != 0
    data[keep] = (data[keep].astype(np.float64) / scale[keep]).astype(data.dtype)


@dataclass
class Tfidf:
    """A fitted ``TfidfVectorizer`` (l2 norm): ``analyzer`` a function of a text, else lower-cased
    words of ``token_pattern`` (stop words need no list: they are not in the vocabulary)."""

    vocabulary: dict[str, int]
    idf: np.ndarray
    sublinear_tf: bool = False
    analyzer: Callable[[str], list[str]] | None = None
    token_pattern: str = WORD

    @classmethod
    def of(cls, vec: Any) -> Tfidf:
        """The fitted state of a scikit-learn ``TfidfVectorizer`` this class can apply exactly."""
        p = vec.get_params()
        word = p["analyzer"] == "word" and p["ngram_range"] == (1, 1) and p["tokenizer"] is None \
            and p["preprocessor"] is None and p["lowercase"]
        if not ((callable(p["analyzer"]) or word) and p["norm"] == "l2" and p["use_idf"] and p["input"] == "content"
                and p["strip_accents"] is None and not p["binary"] and p["dtype"] is np.float32):
            raise ValueError(f"a TfidfVectorizer with options {p} is not one Tfidf applies")
        return cls(vocabulary=dict(vec.vocabulary_), idf=np.asarray(vec.idf_).copy(), sublinear_tf=p["sublinear_tf"],
                   analyzer=p["analyzer"] if callable(p["analyzer"]) else None, token_pattern=p["token_pattern"])

    def _analyze(self) -> Callable[[str], list[str]]:
        if self.analyzer is not None:
            return self.analyzer
        find = re.compile(self.token_pattern).findall
        return lambda doc: find(doc.lower())

    def transform(self, docs: Iterable[str]) -> sp.csr_matrix:
        x, _ = _counts(docs, self._analyze(), self.vocabulary)
        return _weigh(x, self.idf, self.sublinear_tf)


def _weigh(x: sp.csr_array, idf: np.ndarray, sublinear_tf: bool) -> sp.csr_matrix:
    if sublinear_tf:
        np.log(x.data, x.data)
        x.data += 1.0
    x.data *= idf[x.indices]
    normalise_rows(x, "l2")
    return sp.csr_matrix(x)


def char_wb(n: int) -> Callable[[str], list[str]]:
    """scikit-learn's ``char_wb`` analyzer for ``n``-grams: lower case, each word padded by a space."""

    def grams(doc: str) -> list[str]:
        out = []
        for w in _WHITE.sub(" ", doc.lower()).split():
            w = f" {w} "
            out += [w[i:i + n] for i in range(max(len(w) - n + 1, 1))]
        return out

    return grams


def fit_transform(docs: list[str], analyze: Callable[[str], list[str]]) -> sp.csr_matrix:
    """``TfidfVectorizer(analyzer=..., dtype=float32).fit_transform(docs)`` with its defaults (smooth
    idf, l2 norm, every term kept, vocabulary in alphabetical order)."""
    x, vocab = _counts(docs, analyze, None)
    x = x[:, np.arange(x.shape[1])]  # scikit-learn takes every kept column (here all): the same layout
    order = np.empty(len(vocab), dtype=x.indices.dtype)
    for new, (_, old) in enumerate(sorted(vocab.items())):
        order[old] = new
    x.indices = order.take(x.indices, mode="clip")
    df = np.bincount(x.indices, minlength=x.shape[1]).astype(np.float32)
    df += 1.0
    idf = np.full_like(df, fill_value=x.shape[0] + 1, dtype=np.float32)
    idf /= df
    np.log(idf, out=idf)
    idf += 1.0
    return _weigh(x, idf, False)


@dataclass
class Logistic:
    """A fitted binary ``LogisticRegression``: ``predict_proba`` as scikit-learn computes it."""

    coef: np.ndarray
    intercept: np.ndarray

    @classmethod
    def of(cls, model: Any) -> Logistic:
        if len(model.classes_) != 2:
            raise ValueError("Logistic applies a binary logistic regression only")
        return cls(coef=np.asarray(model.coef_).copy(), intercept=np.asarray(model.intercept_).copy())

    def predict_proba(self, x: np.ndarray) -> np.ndarray:
        from scipy.special import expit

        scores = (np.asarray(x, dtype=np.float64) @ self.coef.T + self.intercept).reshape(-1)
        p = expit(scores)
        return np.stack([1 - p, p], axis=1)
