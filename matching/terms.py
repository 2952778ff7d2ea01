"""The words and word pairs the matcher's text models count, and counting them fast.

scikit-learn's word analyzer (preprocess, ``\\b\\w\\w+\\b`` tokens, stop words dropped, then
unigrams and bigrams) spends most of its time in Python loops built for every n-gram range,
and its ``transform`` for a fitted vocabulary looks each feature up inside a ``try``. The
matcher vectorises each explained expert's documents and each new task text at query time,
so those loops are on the path of a ranking. :class:`WordBigrams` makes the same features as
the analyzer scikit-learn builds from ``preprocessor=fold_text, ngram_range=(1, 2)`` and the
same stop words, and :func:`tfidf_transform` gives what ``TfidfVectorizer.transform`` gives
for a vectorizer fitted with it (``tests/matcher/test_terms.py`` compares both).
"""

from __future__ import annotations

import re
import unicodedata
from collections.abc import Iterable, Sequence
from itertools import pairwise

import numpy as np
import scipy.sparse as sp
from sklearn.feature_extraction.text import TfidfVectorizer
from sklearn.preprocessing import normalize

__all__ = ["WordBigrams", "fold_text", "stop_list", "tfidf_transform"]

_COMBINING = re.compile("[\u0300-\u036f]+")
# scikit-learn's default token pattern is \b\w\w+\b; its matches, scanned left to right, are
# the runs of two or more word characters, which these find faster (the second for ASCII).
_WORD = re.compile(r"\w\w+")
_ASCII_WORD = re.compile(r"[0-9A-Z_a-z]{2,}")


def fold_text(text: str) -> str:
    """Lower case without diacritics, đ as d: the same words as ``registry.names.fold``
    gives for stored (already normalised) text, at a fraction of its cost on long text.
    ``fold`` also re-places tone marks (irrelevant once they are removed), collapses spaces
    (irrelevant to the tokenizer) and transliterates what is left to ASCII (``ø`` to ``o``,
    Greek letters), which only splits or joins a rare word differently."""
    text = text.lower()
    if text.isascii():  # most of a corpus in English: nothing to fold
        return text
    text = text.replace("đ", "d").replace("\u00f0", "d").replace("\u0256", "d")
    return _COMBINING.sub("", unicodedata.normalize("NFD", text))


def stop_list(name: str | None) -> frozenset[str]:
    """The stop words scikit-learn uses for ``stop_words=name`` (none for ``None``)."""
    return frozenset(TfidfVectorizer(stop_words=name).get_stop_words() or ())


class WordBigrams:
    """A text's features: its folded words of two or more letters or digits, stop words
    left out, then each pair of neighbouring words (after the stop words are gone) joined
    by a space. A callable analyzer for scikit-learn's vectorizers (picklable)."""

    def __init__(self, stop_words: Iterable[str] = ()) -> None:
        self.stop_words = frozenset(stop_words)

    def __call__(self, text: str) -> list[str]:
        text = fold_text(text)
        words = (_ASCII_WORD if text.isascii() else _WORD).findall(text)
        if self.stop_words:
            stop = self.stop_words
            words = [w for w in words if w not in stop]
        words.extend([f"{a} {b}" for a, b in pairwise(words)])
        return words

    def __eq__(self, other: object) -> bool:
        return isinstance(other, WordBigrams) and other.stop_words == self.stop_words

    def __hash__(self) -> int:
        return hash(self.stop_words)

    def __repr__(self) -> str:
        return f"WordBigrams(<{len(self.stop_words)} stop words>)"


def _counts(vocabulary: dict[str, int], analyzer: WordBigrams, texts: Sequence[str],
            dtype: type) -> sp.csr_matrix:
    """Rows of term counts over a fixed vocabulary (unknown features ignored)."""
    get = vocabulary.get
    cols: list[int] = []
    indptr = [0]
    for text in texts:
        cols.extend([j for j in map(get, analyzer(text)) if j is not None])
        indptr.append(len(cols))
    m = sp.csr_matrix((np.ones(len(cols), dtype=dtype), np.asarray(cols, dtype=np.int32),
                       np.asarray(indptr, dtype=np.int32)),
                      shape=(len(texts), len(vocabulary)))
    m.sum_duplicates()  # sorted columns, one entry per term and row
    return m


def tfidf_transform(vectorizer: TfidfVectorizer, texts: Sequence[str]) -> sp.csr_matrix:
    """``vectorizer.transform(texts)`` for a vectorizer fitted with a :class:`WordBigrams`
    analyzer, without scikit-learn's per-feature loop."""
    analyzer = vectorizer.analyzer
    if not isinstance(analyzer, WordBigrams):
        raise TypeError("tfidf_transform needs a vectorizer fitted with a WordBigrams analyzer")
    m = _counts(vectorizer.vocabulary_, analyzer, texts, vectorizer.dtype)
    if vectorizer.binary:
        m.data.fill(1)
    if vectorizer.sublinear_tf:
        np.log(m.data, out=m.data)
        m.data += 1.0
    if vectorizer.use_idf:
        m.data *= vectorizer.idf_[m.indices]
    if vectorizer.norm is not None and m.shape[0]:
        m = normalize(m, norm=vectorizer.norm, copy=False)
    return m
