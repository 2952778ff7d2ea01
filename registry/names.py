"""Vietnamese names and text: normalising, folding for search, splitting and collation.

This module owns every rule about how Vietnamese text is written and compared:

* ``normalize_text`` gives one canonical spelling (NFC, one tone-placement style, the real
  Đ/đ instead of look-alikes, tidy whitespace). Stored names go through it.
* ``fold`` and ``name_variants`` give search keys. Different people share folded names, so a
  folded string is for finding candidates, never for identity.
* ``split_name`` knows family / middle / given order and multi-syllable family names.
* ``sort_key``, ``sort_string`` and ``person_sort_key`` implement Vietnamese collation.

Tone placement: the canonical style puts the tone mark on the main vowel of the syllable, as
Decision 1989/QĐ-BGDĐT (2018, art. 8) prescribes: ``hoà, xoá, khoẻ, thuỷ`` (often called the
"new style"). The old style (``hòa, xóa, khỏe, thủy``) is only different for the open
syllables ``oa``, ``oe`` and ``uy``; both spellings normalise to the new style.

Collation: letters in the order a ă â b c d đ e ê (f) g h i (j) k l m n o ô ơ p q r s t u ư
v (w) x y (z), digits before letters, case-insensitive. Text is compared syllable by syllable,
as dictionaries do: a syllable's letters first, then its tone, in the order ngang (none) <
huyền (grave) < hỏi (hook) < ngã (tilde) < sắc (acute) < nặng (dot below); exact code points
only break ties.
"""

from __future__ import annotations

import re
import unicodedata
from functools import lru_cache

from anyascii import anyascii

__all__ = [
    "COMPOUND_FAMILY_NAMES",
    "REGIONAL_FAMILY_VARIANTS",
    "SortKey",
    "fold",
    "name_variants",
    "normalize_text",
    "person_sort_key",
    "person_sort_string",
    "sort_key",
    "sort_string",
    "split_name",
]

# Family names of more than one syllable. Data, not code: extend it when a record needs it.
# "Nguyễn Phúc" is left out on purpose: Phúc is a very common middle name.
COMPOUND_FAMILY_NAMES: tuple[str, ...] = (
    "Công Tằng Tôn Nữ",
    "Công Huyền Tôn Nữ",
    "Công Tôn Nữ",
    "Tôn Thất",
    "Tôn Nữ",
    "Hoàng Phủ",
    "Âu Dương",
    "Gia Cát",
    "Tư Mã",
)

# One family name written differently in the North and the South.
REGIONAL_FAMILY_VARIANTS: tuple[tuple[str, ...], ...] = (("Hoàng", "Huỳnh"), ("Vũ", "Võ"))

# Combining tone marks in collation order; index = tone number (0 is ngang, no mark).
_TONES = ("", "\u0300", "\u0309", "\u0303", "\u0301", "\u0323")
_TONE_OF = {mark: i for i, mark in enumerate(_TONES) if mark}
# Marks that make a different letter (â ă ơ ...) rather than a tone.
_MODIFIERS = frozenset("\u0302\u0306\u031b")
_VOWELS = frozenset("aăâeêioôơuưy")
_MARKED_VOWELS = frozenset("ăâêôơư")
# Longest first, so "ngh" is found before "ng" and "n".
_INITIALS_TEXT = "ngh ng gh kh nh ph th tr ch b c d đ g h k l m n p r s t v x"
_INITIALS = tuple(_INITIALS_TEXT.split())
_FINALS = frozenset(("", "c", "ch", "m", "n", "ng", "nh", "p", "t"))
# Vowel sequences a Vietnamese syllable can have (after a "qu" or "gi" initial is removed).
_NUCLEI_TEXT = """a ă â e ê i o ô ơ u ư y ai ao au ay âu ây eo êu ia iê iu oa oă oe oi oo ôi ơi ua uâ uê
    ui uô uơ uy ưa ưi ươ ưu yê iêu oai oao oay oeo uây uôi uya uyê uyu ươi ươu yêu"""
_NUCLEI = frozenset(_NUCLEI_TEXT.split())
# Open syllables where the two styles disagree; canonical (main-vowel) style marks the 2nd.
_MAIN_VOWEL_SECOND = frozenset(("oa", "oe", "uy"))

# Look-alikes typed for Đ/đ: Icelandic eth and African D. Replaced only at the start of a
# word that is a Vietnamese syllable, so "Guðrún" keeps its eth.
_D_LOOKALIKES = {"\u00d0": "\u0110", "\u0189": "\u0110", "\u00f0": "\u0111", "\u0256": "\u0111"}
_INVISIBLE = dict.fromkeys(map(ord, "\u200b\u2060\ufeff\u00ad"))
_WORD = re.compile(r"(?:[^\W\d_]|[\u0300-\u036f])+")
_SPACES = re.compile(r"\s+")
_HSPACES = re.compile(r"[^\S\n]+")


def _parse_syllable(letters: str) -> tuple[str, str, str] | None:
    """Split a lower-case, toneless syllable into (initial, vowels, final), or None."""
    initial = next((i for i in _INITIALS if letters.startswith(i)), "")
    rest = letters[len(initial) :]
    # "qu" and "gi" count as one consonant when a vowel follows (quý, già, giữa; but gìn).
    if letters.startswith(("qu", "gi")) and len(letters) > 2 and letters[2] in _VOWELS:
        initial, rest = letters[:2], letters[2:]
    n = 0
    while n < len(rest) and rest[n] in _VOWELS:
        n += 1
    vowels, final = rest[:n], rest[n:]
    if vowels not in _NUCLEI or final not in _FINALS:
        return None
    return initial, vowels, final


def _tone_position(vowels: str, final: str) -> int:
    """Index in ``vowels`` of the vowel that carries the tone, in the canonical style."""
    marked = [i for i, v in enumerate(vowels) if v in _MARKED_VOWELS]
    if marked:
        return marked[-1]  # ươ, uô, iê carry it on the second; ưa, ưu on ư
    if len(vowels) == 1 or final:
        return len(vowels) - 1
    if len(vowels) == 3:
        return 1  # oai, oay, uyu, oeo
    return 1 if vowels in _MAIN_VOWEL_SECOND else 0  # hoà, thuỷ; but mùa, kìa, tai


def _respell_syllable(word: str) -> str | None:
    """One Vietnamese syllable with its tone on the canonical vowel, or None if not one."""
    letters: list[str] = []  # each letter with its modifiers, without tone
    tones: list[str] = []
    for ch in unicodedata.normalize("NFD", word):
        if ch in _TONE_OF:
            tones.append(ch)  # wherever it was typed: on a vowel, a consonant, at the end
        elif unicodedata.combining(ch):
            if ch not in _MODIFIERS or not letters:
                return None  # ü, å ...: not a Vietnamese letter
            letters[-1] += ch
        else:
            letters.append(ch)
    letters = [unicodedata.normalize("NFC", x) for x in letters]
    lowered = "".join(letters).lower()
    parsed = _parse_syllable(lowered) if len(lowered) == len(letters) else None
    if parsed is None or len(tones) > 1:
        return None
    if tones:
        initial, vowels, final = parsed
        letters[len(initial) + _tone_position(vowels, final)] += tones[0]
    return unicodedata.normalize("NFC", "".join(letters))


@lru_cache(maxsize=1 << 16)
def _normalize_word(word: str) -> str:
    """Canonical spelling of one word if it is a Vietnamese syllable; else just NFC."""
    if word[0] in _D_LOOKALIKES:
        fixed = _respell_syllable(_D_LOOKALIKES[word[0]] + word[1:])
        if fixed is not None:
            return fixed
    return _respell_syllable(word) or unicodedata.normalize("NFC", word)


def normalize_text(s: str, *, multiline: bool = False) -> str:
    """Canonical form of a name or text: NFC, one tone style, real Đ, tidy whitespace.

    Whitespace runs become one space and the ends are stripped; with ``multiline`` line breaks
    are kept (each line tidied, CRLF read as LF). Zero-width spaces, BOMs and soft hyphens
    are removed.

    >>> normalize_text("  Ðặng   Thị  Thủy ")
    'Đặng Thị Thuỷ'
    """
    if s.isascii():
        # No tone marks, no look-alikes and nothing invisible: only whitespace to tidy.
        s = s.replace("\r\n", "\n")
        if multiline:
            return "\n".join(_HSPACES.sub(" ", ln).strip() for ln in s.split("\n")).strip("\n")
        return _SPACES.sub(" ", s).strip()
    s = unicodedata.normalize("NFC", s.replace("\r\n", "\n")).translate(_INVISIBLE)
    if multiline:
        lines = (_HSPACES.sub(" ", line).strip() for line in s.split("\n"))
        s = "\n".join(lines).strip("\n")
    else:
        s = _SPACES.sub(" ", s).strip()
    return _WORD.sub(lambda m: _normalize_word(m.group()), s)


def fold(s: str) -> str:
    """Search key: lower case, no diacritics, đ as d, ASCII only, single spaces.

    >>> fold("Nguyễn  Đức"), fold("Ɖặng")
    ('nguyen duc', 'dang')
    """
    s = normalize_text(s).lower().replace("đ", "d")
    s = "".join(c for c in unicodedata.normalize("NFD", s) if not unicodedata.combining(c))
    return _SPACES.sub(" ", anyascii(s).lower()).strip()


@lru_cache(maxsize=2)
def _compound_keys(plain: bool) -> tuple[list[str], ...]:
    """The words of each compound family name as ``split_name`` compares them: folded (for
    a name written without diacritics) or lower case."""
    return tuple([fold(w) if plain else w.lower() for w in normalize_text(c).split(" ")]
                 for c in COMPOUND_FAMILY_NAMES)


@lru_cache(maxsize=1 << 12)  # a profile's search and sort keys split its name twice
def split_name(full_name: str) -> tuple[str, str, str]:
    """Split a Vietnamese-order name into (family, middle, given).

    Multi-syllable family names come from ``COMPOUND_FAMILY_NAMES``; middle may be empty; a
    single word is taken as the given name.

    >>> split_name("Tôn Thất Tùng")
    ('Tôn Thất', '', 'Tùng')
    """
    words = normalize_text(full_name).split(" ")
    if words == [""]:
        return "", "", ""
    if len(words) == 1:
        return "", "", words[0]
    # Without diacritics ("Ton That Tung") match folded; with them, exactly, so that the
    # common "Hoàng Phú ..." is not taken for the family name "Hoàng Phủ".
    plain = full_name.isascii()
    key = [fold(w) if plain else w.lower() for w in words]
    family_len = 1
    for parts in _compound_keys(plain):
        if len(parts) < len(words) and key[: len(parts)] == parts:
            family_len = len(parts)
            break
    family = " ".join(words[:family_len])
    return family, " ".join(words[family_len:-1]), words[-1]


def name_variants(full_name: str) -> set[str]:
    """Folded search keys a record of this person may have been written as.

    Covers the name as given, given-name-first orders used abroad ("Duc Nguyen", "Minh Duc
    Nguyen", "Duc Minh Nguyen"), the name without middle names, and the regional spellings
    of the family name (Hoàng/Huỳnh, Vũ/Võ).
    """
    family, middle, given = split_name(full_name)
    if not family:
        return {fold(given)} if given else set()
    families = {family}
    for group in REGIONAL_FAMILY_VARIANTS:
        if fold(family) in {fold(g) for g in group}:
            families.update(group)
    variants = set()
    for fam in families:
        for order in (
            (fam, middle, given),
            (fam, given),
            (given, fam),
            (middle, given, fam),
            (given, middle, fam),
        ):
            variants.add(fold(" ".join(part for part in order if part)))
    return variants


# Collation ------------------------------------------------------------------------------

_ALPHABET = "0123456789aăâbcdđeêfghijklmnoôơpqrstuưvwxyz"
_LETTER_INDEX = {c: i for i, c in enumerate(_ALPHABET)}
# sort_string codes: one ASCII letter per alphabet position ('A'..'Z' then 'a'..'z' ascend).
_CODE_CHARS = "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz"
# The separators order below every code char, and end-of-text below next-word, so a
# shorter text sorts first exactly as a shorter tuple does.
_END_OF_LETTERS, _NEXT_WORD, _END_OF_TEXT, _NEXT_PART = ".", "-", ",", " "

_Word = tuple[tuple[int, ...], int]
SortKey = tuple[tuple[_Word, ...], tuple[int, ...]]


def _collation_words(s: str) -> list[_Word]:
    """Each word of ``s`` as (letter indices, tone); punctuation separates words."""
    words: list[_Word] = []
    letters: list[int] = []
    tone = 0
    for ch in s.lower():
        base = ""
        for part in unicodedata.normalize("NFD", ch):
            if part in _TONE_OF:
                tone = tone or _TONE_OF[part]
            elif not unicodedata.combining(part) or part in _MODIFIERS:
                base += part
        base = unicodedata.normalize("NFC", base)
        if base not in _LETTER_INDEX:
            base = anyascii(base).lower()  # ü -> u, ø -> o, 中 -> zhong; punctuation stays
        codes = [_LETTER_INDEX[c] for c in base if c in _LETTER_INDEX]
        if not base:
            continue  # a stray combining mark belongs to the word it is in
        if codes:
            letters.extend(codes)
        elif letters:
            words.append((tuple(letters), tone))
            letters, tone = [], 0
    if letters:
        words.append((tuple(letters), tone))
    return words


def sort_key(s: str) -> SortKey:
    """Vietnamese collation key for ``sorted(..., key=sort_key)``.

    >>> sorted(["Em", "Đạt", "Dũng", "ăn", "an", "ân"], key=sort_key)
    ['an', 'ăn', 'ân', 'Dũng', 'Đạt', 'Em']
    """
    text = normalize_text(s)
    return tuple(_collation_words(text)), tuple(map(ord, text))


def sort_string(s: str) -> str:
    """ASCII string that orders like ``sort_key`` under plain byte-wise comparison.

    Store it as a property and ``ORDER BY`` it; it is not meant to be read.
    """
    text = normalize_text(s)
    words = (
        "".join(_CODE_CHARS[i] for i in letters) + _END_OF_LETTERS + str(tone)
        for letters, tone in _collation_words(text)
    )
    # Fixed-width hex keeps code-point order, and a shorter text stays a prefix.
    tie_break = "".join(f"{ord(c):06X}" for c in text)
    return _NEXT_WORD.join(words) + _END_OF_TEXT + tie_break


def person_sort_key(full_name: str) -> tuple[SortKey, SortKey, SortKey]:
    """Key that sorts people the Vietnamese way: by given name, then family, then middle."""
    family, middle, given = split_name(full_name)
    return sort_key(given), sort_key(family), sort_key(middle)


def person_sort_string(full_name: str) -> str:
    """``sort_string`` counterpart of ``person_sort_key``, for storing and ``ORDER BY``."""
    family, middle, given = split_name(full_name)
    return _NEXT_PART.join(sort_string(part) for part in (given, family, middle))
