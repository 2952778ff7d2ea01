"""What people type becomes a Lucene query that cannot change its own structure."""

from __future__ import annotations

from registry.fulltext import MAX_ANY_WORDS, MAX_WORDS, exact_name_query, lucene_query, words


def test_operators_are_dropped_and_text_folded():
    assert lucene_query('Nguyễn Đức" OR title:x* AND (y)') == "nguyen AND duc AND title AND x AND y"


def test_all_words_for_a_search_box_any_word_for_a_task():
    text = " ".join(f"word{i}" for i in range(100))
    assert len(lucene_query(text).split(" AND ")) == MAX_WORDS
    assert len(lucene_query(text, any_word=True).split(" OR ")) == MAX_ANY_WORDS


def test_repeated_words_count_once():
    assert words("chip chip design chip") == ["chip", "design"]


def test_prefix_for_type_ahead_and_nothing_searchable():
    assert lucene_query("hoc ma", prefix_last=True) == "hoc AND (ma OR ma*)"
    assert lucene_query("+-&|!(){}[]^~*?:\\/") is None


def test_words_left_out_before_the_limit_unless_none_would_remain():
    assert lucene_query("research on quantum sensing", any_word=True,
                        leave_out={"research"}) == "quantum OR sensing"
    text = " ".join(f"common{i}" for i in range(20)) + " " + " ".join(
        f"rare{i}" for i in range(60))
    common = {f"common{i}" for i in range(20)}
    terms = lucene_query(text, any_word=True, leave_out=common).split(" OR ")
    assert terms == [f"rare{i}" for i in range(MAX_ANY_WORDS)]  # the limit counts kept words
    # A text of nothing but left-out words is still searched for, whole.
    assert lucene_query("research research on", any_word=True,
                        leave_out={"research"}) == "research"


def test_the_exact_name_query_keeps_the_words_typed_with_diacritics():
    # look-alike Đ, old tone style, upper case: the stored spelling; plain words say nothing
    assert exact_name_query("Ðặng THỊ Hòa Nguyen") == "đặng OR thị OR hoà"
    assert exact_name_query("Nguyen Van Hung") is None
    assert exact_name_query('Đặng") OR name:* AND (Hùng~2)') == "đặng OR hùng"
    assert exact_name_query("+-&|!(){}[]^~*?:\\/ 12") is None
