"""matching.terms gives exactly what scikit-learn's own word analyzer and transform give."""

import pickle
import random

import numpy as np
import pytest
from sklearn.feature_extraction.text import HashingVectorizer, TfidfVectorizer

from matching.terms import WordBigrams, fold_text, stop_list, tfidf_transform

WORDS = ["Nguyễn", "Đức", "đặng", "ĐẶNG", "học", "máy", "machine", "learning", "the", "of",
         "and", "a", "is", "5G", "6G", "x", "qubit", "quantum", "bán_dẫn", "chip", "I",
         "ø", "Ωmega", "20nm", "co-design", "RISC-V", "it's", "tôi", "của", "AI", "ai",
         "deep", "neural", "network", "networks", "semiconductor", "packaging"]
SEPARATORS = [" ", "  ", ", ", ". ", "\n", " - ", "/", "; ", "\t", "(", ") "]


def _corpus(seed: int, n: int) -> list[str]:
    rng = random.Random(seed)
    texts = ["", "the of and a", "x y z", "Học máy và học sâu", "đĐ ĐĐ đđ",
             "the the the machine the learning", "Ａｉ full-width ＡＩ", "tab\tand\nnew line"]
    for _ in range(n):
        k = rng.randint(0, 40)
        texts.append("".join(rng.choice(WORDS) + rng.choice(SEPARATORS) for _ in range(k)))
    return texts


@pytest.mark.parametrize("stop", [None, "english"])
def test_the_features_are_scikit_learns_word_analyzer_with_fold_text(stop):
    reference = TfidfVectorizer(preprocessor=fold_text, stop_words=stop,
                                ngram_range=(1, 2)).build_analyzer()
    mine = WordBigrams(stop_list(stop))
    texts = _corpus(1, 300)
    assert [mine(t) for t in texts] == [reference(t) for t in texts]
    assert WordBigrams()("Nguyễn Đức học máy") == ["nguyen", "duc", "hoc", "may", "nguyen duc",
                                          "duc hoc", "hoc may"]
    # stop words are dropped before the pairs are made
    assert WordBigrams(stop_list("english"))("deep of the learning") == [
        "deep", "learning", "deep learning"]


def test_a_fitted_vectorizer_and_its_fast_transform_match_scikit_learns():
    train, other = _corpus(2, 400), _corpus(3, 120) + ["unseen words only", "learning"]
    old = TfidfVectorizer(preprocessor=fold_text, stop_words="english", sublinear_tf=True,
                          ngram_range=(1, 2), min_df=2)
    new = TfidfVectorizer(analyzer=WordBigrams(stop_list("english")), sublinear_tf=True,
                          min_df=2)
    a, b = old.fit_transform(train), new.fit_transform(train)
    assert new.vocabulary_ == old.vocabulary_ and len(new.vocabulary_) > 50
    np.testing.assert_array_equal(new.idf_, old.idf_)
    assert abs(a - b).max() == 0
    expected = old.transform(other)
    fast = tfidf_transform(new, other)
    assert fast.shape == expected.shape and fast.dtype == expected.dtype
    assert fast.has_sorted_indices
    np.testing.assert_allclose(fast.toarray(), expected.toarray(), rtol=1e-12, atol=1e-15)
    # a repeated word is one column with its count (sublinear: 1 + log count)
    row = tfidf_transform(new, ["learning learning learning deep"])
    assert row.nnz == len({"learning", "deep", "learning learning", "learning deep"}
                          & new.vocabulary_.keys())
    np.testing.assert_allclose(row.toarray(), old.transform(["learning learning learning deep"])
                               .toarray(), rtol=1e-12)
    # nothing known: an empty row, not an error
    assert tfidf_transform(new, ["zzz qqq"]).nnz == 0
    assert tfidf_transform(new, []).shape == (0, len(new.vocabulary_))


def test_the_fast_transform_refuses_a_vectorizer_it_does_not_know():
    vec = TfidfVectorizer().fit(["some words here", "more words"])
    with pytest.raises(TypeError, match="WordBigrams"):
        tfidf_transform(vec, ["words"])


def test_hashed_features_are_unchanged():
    texts = _corpus(4, 200)
    old = HashingVectorizer(preprocessor=fold_text, ngram_range=(1, 2), n_features=2**18,
                            alternate_sign=False, norm=None, dtype=np.float32)
    new = HashingVectorizer(analyzer=WordBigrams(), n_features=2**18, alternate_sign=False,
                            norm=None, dtype=np.float32)
    assert abs(old.transform(texts) - new.transform(texts)).max() == 0


def test_the_analyzer_pickles_and_compares_by_its_stop_words():
    a = WordBigrams(stop_list("english"))
    assert pickle.loads(pickle.dumps(a)) == a
    assert a != WordBigrams() and hash(a) == hash(WordBigrams(stop_list("english")))
    assert stop_list(None) == frozenset() and "the" in stop_list("english")


def test_folding_is_lower_case_without_marks_and_d_for_đ():
    import re
    import unicodedata

    def reference(text: str) -> str:
        text = text.lower().translate(str.maketrans({"đ": "d", "ð": "d", "ɖ": "d"}))
        return re.sub("[\u0300-\u036f]+", "", unicodedata.normalize("NFD", text))

    for text in [*_corpus(5, 200), "ĐẶNG Thị Ðào", "\u212a elvin İstanbul", "Ɖ ð Ð", "ascii ONLY",
                 "Nguyễn Đức Hiếu ø Ωmega 𝔸"]:
        assert fold_text(text) == reference(text)
    assert fold_text("ĐẶNG Thị") == "dang thi" and fold_text("K") == "k"
