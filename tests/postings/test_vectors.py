"""The TF-IDF and calibration applied without scikit-learn give scikit-learn's numbers, bit for bit."""

from __future__ import annotations

import numpy as np
import pytest
import scipy.sparse as sp
from sklearn.feature_extraction.text import TfidfVectorizer
from sklearn.linear_model import LogisticRegression
from sklearn.preprocessing import normalize

from align.postings.titles import normalise_title, title_features
from align.postings.vectors import Logistic, Tfidf, char_wb, fit_transform, normalise_rows

TITLES = ["Registered Nurse", "registered nurse - ICU", "Nurse, Registered (RN)", "Sr. Software Engineer II",
          "software engineer", "Cashier", "cashier / stocker", "Licensed Practical Nurse LPN", "  spaced   out  ",
          "Heavy and Tractor-Trailer Truck Driver", "CDL-A truck driver (OTR) $2,000 sign-on bonus", "a", "",
          "Électricien apprentice", "HVAC supervisor", "Supervisor of HVAC mechanics and installers"]


def _same(ours: sp.csr_matrix, theirs: sp.csr_matrix) -> None:
    assert ours.shape == theirs.shape
    for part in ("indptr", "indices", "data"):
        np.testing.assert_array_equal(getattr(ours, part), getattr(theirs, part), strict=True)


def test_char_trigram_fit_transform_is_scikit_learns():
    docs = [t if t else "_" for t in TITLES] * 3 + ["registered nurse"]
    theirs = TfidfVectorizer(analyzer="char_wb", ngram_range=(3, 3), dtype=np.float32).fit_transform(docs)
    _same(fit_transform(docs, char_wb(3)), theirs)


def test_title_features_transform_is_scikit_learns():
    train = [normalise_title(t) for t in TITLES if t]
    vec = TfidfVectorizer(analyzer=title_features, sublinear_tf=True, dtype=np.float32).fit(train)
    query = [normalise_title(t) for t in [*TITLES, "nurse registered icu", "unheard of words"]]
    _same(Tfidf.of(vec).transform(query), vec.transform(query))


def test_word_transform_with_stop_words_is_scikit_learns():
    docs = ["Provide care to patients in hospitals and the community.", "Drive a truck; deliver the goods.",
            "Write and test software for the computers of others.", "The and of to"]
    vec = TfidfVectorizer(stop_words="english", sublinear_tf=True, dtype=np.float32).fit(docs)
    query = [*docs, "PATIENTS and software, trucks!", ""]
    _same(Tfidf.of(vec).transform(query), vec.transform(query))


def test_options_it_cannot_apply_are_refused():
    with pytest.raises(ValueError, match="not one Tfidf applies"):
        Tfidf.of(TfidfVectorizer(ngram_range=(1, 2), dtype=np.float32).fit(["alpha beta gamma", "beta gamma delta"]))


@pytest.mark.parametrize("norm", ["l1", "l2"])
def test_row_normalisation_is_scikit_learns(norm):
    rng = np.random.default_rng(0)
    m = sp.random(300, 80, density=0.3, format="csr", dtype=np.float32, random_state=rng)
    m.data[m.indptr[5]:m.indptr[6]] = 0  # a row of zeros stays zeros
    theirs = normalize(m, norm=norm)
    ours = m.copy()
    normalise_rows(ours, norm)
    _same(ours, theirs)


def test_logistic_probabilities_are_scikit_learns():
    rng = np.random.default_rng(1)
    x = rng.random((400, 4))
    y = (x[:, 0] + rng.normal(0, 0.3, 400)) > 0.5
    model = LogisticRegression(C=10.0, max_iter=1000).fit(x, y, sample_weight=rng.random(400))
    np.testing.assert_array_equal(Logistic.of(model).predict_proba(x), model.predict_proba(x), strict=True)
