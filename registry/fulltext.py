"""Turning what a person typed into a safe Lucene query for Neo4j's full-text indexes.

The text is folded (diacritics and đ removed, lower case) and split into words; every Lucene
operator character is dropped, so input can never change the query's structure. Words are
joined with AND (all must match); the last word may match as a prefix for type-ahead. At most
``MAX_WORDS`` words (``MAX_ANY_WORDS`` when any may match) of at most ``MAX_WORD_LENGTH``
characters are kept, each once.
"""

from __future__ import annotations

import functools
import re
from collections.abc import Collection

from registry.names import fold, normalize_text

__all__ = ["exact_name_query", "lucene_query", "words"]

_WORD = re.compile(r"[a-z0-9]+")
_STOP = frozenset("a an and the of for in on to with by or".split())
MAX_WORDS = 12  # all must match: a search box's words
# Any may match: a task's description; its informative words spread beyond the first few.
MAX_ANY_WORDS = 48
# Longer than any real word; Lucene refuses a prefix query whose automaton passes 1000 states.
MAX_WORD_LENGTH = 64


def words(text: str, limit: int | None = MAX_WORDS) -> list[str]:
    """The searchable words of ``text``, folded, without repeats, at most ``limit`` (all of
    them with ``None``)."""
    return list(_words(text or "")[:limit])


@functools.lru_cache(maxsize=512)  # the matcher splits a new task's text twice
def _words(text: str) -> tuple[str, ...]:
    return tuple(dict.fromkeys(w[:MAX_WORD_LENGTH] for w in _WORD.findall(fold(text))
                               if w not in _STOP))


def lucene_query(text: str, *, prefix_last: bool = False, any_word: bool = False,
                 leave_out: Collection[str] = ()) -> str | None:
    """A Lucene query for ``text``, or ``None`` when nothing searchable remains. Words in
    ``leave_out`` are dropped before the word limit applies, unless none would be left."""
    limit = MAX_ANY_WORDS if any_word else MAX_WORDS
    terms = words(text, None)
    if leave_out:
        terms = [w for w in terms if w not in leave_out] or terms
    terms = terms[:limit]
    if not terms:
        return None
    parts = list(terms)
    if prefix_last and len(parts[-1]) >= 2:
        parts[-1] = f"({parts[-1]} OR {parts[-1]}*)"
    return (" OR " if any_word else " AND ").join(parts)


_LETTERS = re.compile(r"[^\W\d_]+")


def exact_name_query(text: str) -> str | None:
    """A query for the names as written (the ``expert_name_exact`` index): the words of
    ``text`` that carry diacritics or letters such as đ, in the stored spelling (NFC, one tone
    style, real Đ), lower case, any of them; ``None`` when the text has none, since a word
    typed without diacritics says nothing about which spelling was meant. Letters only, so no
    Lucene operator can get in."""
    terms = [w for w in _LETTERS.findall(normalize_text(text.lower()).lower()) if not w.isascii()]
    terms = list(dict.fromkeys(w[:MAX_WORD_LENGTH] for w in terms))[:MAX_WORDS]
    return " OR ".join(terms) if terms else None
