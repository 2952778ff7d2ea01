"""Vietnamese name handling: canonical spelling, search folding, splitting and collation."""

from __future__ import annotations

import random
import unicodedata

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from registry.names import (
    fold,
    name_variants,
    normalize_text,
    person_sort_key,
    person_sort_string,
    sort_key,
    sort_string,
    split_name,
)


def decomposed(s: str) -> str:
    return unicodedata.normalize("NFD", s)


# --- normalize_text -------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("old_style", "new_style"),
    [
        ("xóa", "xoá"),
        ("hòa", "hoà"),
        ("thủy", "thuỷ"),
        ("khỏe", "khoẻ"),
        ("Thủy", "Thuỷ"),
        ("HÒA", "HOÀ"),
        ("Nguyễn Thị Thủy", "Nguyễn Thị Thuỷ"),
        ("quý hóa", "quý hoá"),
    ],
)
def test_both_tone_styles_normalise_to_the_main_vowel_style(old_style, new_style):
    assert normalize_text(old_style) == new_style
    assert normalize_text(new_style) == new_style


@pytest.mark.parametrize(
    "word",
    [
        "của",
        "mùa",
        "kìa",
        "lửa",
        "quả",
        "quý",
        "già",
        "giữa",
        "gìn",
        "người",
        "thuở",
        "huệ",
        "ngoài",
        "xoáy",
        "khuỷu",
        "Huỳnh",
        "Nguyễn",
        "thuyền",
        "hoàn",
        "Quỳnh",
        "rượu",
        "Tuấn",
        "Đặng",
        "Oánh",
        "Khoa",
        "Anh",
    ],
)
def test_correctly_placed_tones_are_kept(word):
    assert normalize_text(word) == word


@pytest.mark.parametrize(
    ("typed", "expected"),
    [
        ("hòan", "hoàn"),  # tone on the medial of a closed syllable
        ("qúy", "quý"),  # u of "qu" is part of the consonant
        ("gìa", "già"),  # i of "gi" is part of the consonant
        ("muà", "mùa"),
        ("hoan\u0300", "hoàn"),  # tone typed after the word
        ("ho\u0300a", "hoà"),  # combining tone typed separately
        ("Vie\u0302\u0323t", "Việt"),
        ("Vie\u0323\u0302t", "Việt"),  # modifier and tone in the other order
    ],
)
def test_misplaced_or_separately_typed_tones_move_to_the_canonical_vowel(typed, expected):
    assert normalize_text(typed) == expected


def test_decomposed_input_is_composed():
    name = "Nguyễn Thị Thuỷ Đặng Ước"
    assert normalize_text(decomposed(name)) == name
    assert normalize_text(decomposed("Nguyễn Thị Thủy")) == "Nguyễn Thị Thuỷ"


@pytest.mark.parametrize(
    ("typed", "expected"),
    [
        ("\u00d0ặng", "Đặng"),  # Ð, Icelandic capital eth
        ("\u0189ặng", "Đặng"),  # Ɖ, African D
        ("\u00f0oàn", "đoàn"),  # ð
        ("\u0256ỗ", "đỗ"),  # ɖ
        ("\u00d0INH", "ĐINH"),
        ("Nguyễn \u00d0ức", "Nguyễn Đức"),
    ],
)
def test_lookalikes_of_d_with_stroke_become_the_vietnamese_letter(typed, expected):
    assert normalize_text(typed) == expected
    assert "\u0110" in expected or "\u0111" in expected


def test_lookalikes_are_kept_outside_vietnamese_words():
    assert normalize_text("Guðrún") == "Guðrún"
    assert normalize_text("\u00d0orðe") == "\u00d0orðe"


@pytest.mark.parametrize("word", ["Müller", "Hélène", "Luís", "José", "Noé", "Zoë", "Ångström"])
def test_foreign_names_are_only_composed(word):
    assert normalize_text(decomposed(word)) == word


def test_whitespace_is_collapsed_and_invisible_characters_removed():
    assert normalize_text("  Trần\u00a0 Văn\t\tAn \n") == "Trần Văn An"
    assert normalize_text("Lê\u200b Lợi\ufeff") == "Lê Lợi"


def test_multiline_keeps_line_breaks_but_tidies_each_line():
    text = "  Dòng  một \r\n\r\n  dòng   hai  \n"
    assert normalize_text(text, multiline=True) == "Dòng một\n\ndòng hai"


vietnamese_text = st.text(
    alphabet=st.sampled_from(
        list("aăâbcdđeêghiklmnoôơpqrstuưvxyAĂÂĐOƠ ")
        + list("\u0300\u0301\u0303\u0309\u0323")
        + list("ÐƉð-'.\n\t\u00a0")
        + list("üñ中𡨸\U00010100\uff0c")
    ),
    max_size=30,
)


@given(vietnamese_text)
def test_normalize_text_is_idempotent(text):
    once = normalize_text(text)
    assert normalize_text(once) == once
    assert unicodedata.is_normalized("NFC", once)


# --- fold -----------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("text", "folded"),
    [
        ("Nguyễn Đức", "nguyen duc"),
        ("ĐẶNG", "dang"),
        ("Ɖặng", "dang"),
        ("\u00d0ặng", "dang"),
        ("  Trần   Thị  Thủy ", "tran thi thuy"),
        ("Hoàng Phủ Ngọc Tường", "hoang phu ngoc tuong"),
        ("Võ Nguyên Giáp", "vo nguyen giap"),
        ("Guðrún", "gudrun"),
    ],
)
def test_fold(text, folded):
    assert fold(text) == folded


@pytest.mark.parametrize(("a", "b"), [("xóa", "xoá"), ("hòa", "hoà"), ("thủy", "thuỷ")])
def test_fold_ignores_tone_style(a, b):
    assert fold(a) == fold(b)


def test_fold_of_decomposed_input_matches():
    assert fold(decomposed("Nguyễn Đức Thuận")) == "nguyen duc thuan"


@given(vietnamese_text)
def test_fold_is_lower_case_ascii(text):
    folded = fold(text)
    assert folded.isascii()
    assert folded == folded.lower()
    assert "  " not in folded


# --- split_name -----------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("full_name", "parts"),
    [
        ("Nguyễn Minh Đức", ("Nguyễn", "Minh", "Đức")),
        ("Nguyễn Thị Minh Khai", ("Nguyễn", "Thị Minh", "Khai")),
        ("Lê Lợi", ("Lê", "", "Lợi")),
        ("Tôn Thất Tùng", ("Tôn Thất", "", "Tùng")),
        ("Tôn Nữ Thị Ninh", ("Tôn Nữ", "Thị", "Ninh")),
        ("Hoàng Phủ Ngọc Tường", ("Hoàng Phủ", "Ngọc", "Tường")),
        ("Âu Dương Lân", ("Âu Dương", "", "Lân")),
        ("Công Tằng Tôn Nữ Thị Xuân", ("Công Tằng Tôn Nữ", "Thị", "Xuân")),
        ("Ton That Tung", ("Ton That", "", "Tung")),
        ("Hoàng Phú Quý", ("Hoàng", "Phú", "Quý")),  # Phú is a middle name, not Hoàng Phủ
        ("Tôn Đức Thắng", ("Tôn", "Đức", "Thắng")),
        ("Tôn Thất", ("Tôn", "", "Thất")),  # a compound family name needs a given name too
        ("  Trần   Hưng  Đạo ", ("Trần", "Hưng", "Đạo")),
        ("Madonna", ("", "", "Madonna")),
        ("", ("", "", "")),
    ],
)
def test_split_name(full_name, parts):
    assert split_name(full_name) == parts


# --- name_variants --------------------------------------------------------------------------


def test_name_variants_cover_overseas_orders_and_dropped_middle_names():
    variants = name_variants("Nguyễn Minh Đức")
    assert {
        "nguyen minh duc",
        "duc nguyen",
        "minh duc nguyen",
        "duc minh nguyen",
        "nguyen duc",
    } <= variants
    assert fold("Duc Nguyen") in variants


@pytest.mark.parametrize(
    ("full_name", "other"),
    [
        ("Hoàng Văn Thái", "huynh van thai"),
        ("Huỳnh Tấn Phát", "hoang tan phat"),
        ("Võ Văn Kiệt", "vu van kiet"),
        ("Vũ Thị Lan", "vo thi lan"),
    ],
)
def test_name_variants_include_the_regional_family_name(full_name, other):
    assert other in name_variants(full_name)


def test_compound_family_names_are_not_given_regional_variants():
    variants = name_variants("Hoàng Phủ Ngọc Tường")
    assert "ngoc tuong hoang phu" in variants
    assert not any(v.startswith("huynh") or v.endswith("huynh phu") for v in variants)


def test_name_variants_of_a_single_word_and_of_nothing():
    assert name_variants("Madonna") == {"madonna"}
    assert name_variants("   ") == set()


# --- collation ------------------------------------------------------------------------------

ALPHABET_TEXT = "a ă â b c d đ e ê g h i k l m n o ô ơ p q r s t u ư v x y"
ALPHABET = ALPHABET_TEXT.split()


def test_letters_sort_in_vietnamese_alphabet_order():
    shuffled = ALPHABET[:]
    random.Random(7).shuffle(shuffled)
    assert sorted(shuffled, key=sort_key) == ALPHABET
    assert sorted(shuffled, key=sort_string) == ALPHABET


def test_tones_sort_ngang_huyen_hoi_nga_sac_nang():
    tones = ["a", "à", "ả", "ã", "á", "ạ"]
    typed = ["ạ", "ã", "a", "á", "ả", "à"]
    assert sorted(typed, key=sort_key) == tones
    assert sorted(typed, key=sort_string) == tones


@pytest.mark.parametrize(
    ("first", "second"),
    [
        ("Anh", "Ánh"),  # tone after letters
        ("An", "Anh"),  # a shorter word first
        ("Ánh", "Anha"),  # letters decide before tones
        ("Dũng", "Đạt"),  # d before đ
        ("Đạt", "Em"),  # đ before e
        ("an", "ăn"),
        ("ăn", "ân"),
        ("ân", "Bình"),
        ("Ong", "Ông"),
        ("Ông", "Ơn"),
        ("Út", "Ưng"),
        ("an", "Bình"),  # case-insensitive: "B" < "a" byte-wise but not here
        ("Anh Tuấn", "Ánh"),  # syllable by syllable, as dictionaries do
        ("Anh", "Anh Tuấn"),
        ("2", "a"),  # digits before letters
        ("Hoàng", "Huỳnh"),
    ],
)
def test_vietnamese_order(first, second):
    assert sort_key(first) < sort_key(second)
    assert sort_string(first) < sort_string(second)


def test_tone_style_and_decomposition_do_not_change_the_order():
    assert sort_key("hòa") == sort_key("hoà") == sort_key(decomposed("hoà"))
    assert sort_string("Thủy") == sort_string("Thuỷ")


def test_case_only_breaks_ties():
    names = ["bình", "Anh", "anh", "Ánh", "BÌNH"]
    ordered = sorted(names, key=sort_key)
    assert [fold(n) for n in ordered] == ["anh", "anh", "anh", "binh", "binh"]
    assert ordered[2] == "Ánh"


def test_ties_break_by_code_point_even_beyond_the_bmp():
    # Same letters and tones; only the punctuation differs, so code points decide.
    texts = ["An\U00010100", "An\uff0c", "An,", "An"]
    expected = ["An", "An,", "An\uff0c", "An\U00010100"]
    assert sorted(texts, key=sort_key) == expected
    assert sorted(texts, key=sort_string) == expected


FAMILIES = [
    "Nguyễn",
    "Trần",
    "Lê",
    "Phạm",
    "Hoàng",
    "Huỳnh",
    "Vũ",
    "Võ",
    "Đặng",
    "Bùi",
    "Tôn Thất",
    "Ðỗ",
]
MIDDLES = ["", "Văn", "Thị", "Minh", "Đức", "Thị Minh", "Ngọc"]
GIVENS = [
    "An",
    "Anh",
    "Ánh",
    "Ân",
    "Ăn",
    "Bình",
    "Dũng",
    "Đạt",
    "Em",
    "Hoà",
    "Hòa",
    "Thủy",
    "Thuỷ",
    "Ước",
    "Uyên",
    "Yến",
    "Quý",
    "Giang",
    "an",
    "ANH",
    "Zoé",
    "O'Neil",
    "Lan-Anh",
]

person_names = st.builds(
    lambda f, m, g, nfd: (decomposed if nfd else str)(" ".join(p for p in (f, m, g) if p)),
    st.sampled_from(FAMILIES),
    st.sampled_from(MIDDLES),
    st.sampled_from(GIVENS),
    st.booleans(),
)


def _sign(a, b):
    return (a > b) - (a < b)


@settings(max_examples=50, deadline=None)
@given(st.lists(person_names | vietnamese_text, min_size=200, max_size=200), st.randoms())
def test_sort_string_orders_like_sort_key(names, rnd):
    rnd.shuffle(names)
    assert sorted(names, key=sort_key) == sorted(names, key=lambda s: sort_string(s).encode())
    assert all(sort_string(n).isascii() for n in names)


@given(person_names | vietnamese_text, person_names | vietnamese_text)
def test_sort_string_agrees_with_sort_key_pairwise(a, b):
    assert _sign(sort_key(a), sort_key(b)) == _sign(sort_string(a), sort_string(b))
    assert (sort_key(a) == sort_key(b)) == (normalize_text(a) == normalize_text(b))


@given(person_names, person_names)
def test_person_sort_string_agrees_with_person_sort_key(a, b):
    assert _sign(person_sort_key(a), person_sort_key(b)) == _sign(
        person_sort_string(a), person_sort_string(b)
    )


def test_people_sort_by_given_name_then_family_then_middle():
    people = [
        "Trần Văn Bình",
        "Nguyễn Thị An",
        "Lê Văn An",
        "Lê Anh",
        "Lê Minh An",
        "Đặng Đạt",
        "Tôn Thất Dũng",
    ]
    expected = [
        "Lê Minh An",
        "Lê Văn An",
        "Nguyễn Thị An",
        "Lê Anh",
        "Trần Văn Bình",
        "Tôn Thất Dũng",
        "Đặng Đạt",
    ]
    assert sorted(people, key=person_sort_key) == expected
    assert sorted(people, key=person_sort_string) == expected
