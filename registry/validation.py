"""Field validators that collect every problem of an input before anything is written.

A ``Validator`` is made per input. Each method checks one field, records a ``FieldError`` with
the field's path when the value is wrong, and returns the normalised value (``None`` when the
value was wrong or absent). Nothing raises halfway: call ``raise_if_any()`` once at the end, so
the caller learns about every bad field at once.

    v = Validator()
    name = v.required_str("fullName", data.get("fullName"), max_length=200)
    country = v.country("country", data.get("country"))
    v.raise_if_any()
"""

from __future__ import annotations

import datetime as dt
import math
import re
import unicodedata
from typing import TYPE_CHECKING, Any
from urllib.parse import urlsplit

from email_validator import EmailNotValidError, validate_email
from iso3166 import countries_by_alpha2

from registry.errors import Code, FieldError, ValidationError
from registry.names import normalize_text

if TYPE_CHECKING:
    from collections.abc import Iterable

__all__ = ["ISO_639_1", "Validator"]

# ISO 639-1 codes in current use (the withdrawn bh, in, iw, ji, mo, sh are left out).
# Kept as text so that it reads like the standard's table.
_ISO_639_1_TEXT = """
    aa ab ae af ak am an ar as av ay az ba be bg bi bm bn bo br bs ca ce ch co cr cs cu cv
    cy da de dv dz ee el en eo es et eu fa ff fi fj fo fr fy ga gd gl gn gu gv ha he hi ho hr
    ht hu hy hz ia id ie ig ii ik io is it iu ja jv ka kg ki kj kk kl km kn ko kr ks ku kv kw
    ky la lb lg li ln lo lt lu lv mg mh mi mk ml mn mr ms mt my na nb nd ne ng nl nn no nr nv
    ny oc oj om or os pa pi pl ps pt qu rm rn ro ru rw sa sc sd se sg si sk sl sm sn so sq sr
    ss st su sv sw ta te tg th ti tk tl tn to tr ts tt tw ty ug uk ur uz ve vi vo wa wo xh yi
    yo za zh zu"""
ISO_639_1: frozenset[str] = frozenset(_ISO_639_1_TEXT.split())

_BIDI_CONTROLS = frozenset("\u202a\u202b\u202c\u202d\u202e\u2066\u2067\u2068\u2069")
# Anything the character loop below would refuse; most text has none, so it is skipped.
_SUSPECT = re.compile(
    "[\x00-\x08\x0b-\x1f\x7f-\x9f\ud800-\udfff\u202a-\u202e\u2066-\u2069]"
)
_PHONE = re.compile(r"\+?[0-9][0-9 \-]*")
_ORCID = re.compile(r"(\d{4})-(\d{4})-(\d{4})-(\d{3}[\dX])")
_ORCID_PREFIX = re.compile(r"^(?:https?://)?(?:www\.)?orcid\.org/", re.IGNORECASE)
_DOI = re.compile(r"10\.\d{4,9}/\S+")
_DOI_PREFIX = re.compile(r"^(?:doi:\s*|(?:https?://)?(?:dx\.)?doi\.org/)", re.IGNORECASE)
_DATE = re.compile(r"\d{4}-\d{2}-\d{2}")
_SLUG = re.compile(r"[a-z0-9]+(?:-[a-z0-9]+)*")


def _orcid_check_digit(digits: str) -> str:
    """ISO 7064 MOD 11-2 check character over the first 15 digits of an ORCID iD."""
    total = 0
    for d in digits:
        total = (total + int(d)) * 2
    result = (12 - total % 11) % 11
    return "X" if result == 10 else str(result)


def _shorten(value: Any, limit: int = 40) -> str:
    text = repr(value)
    return text if len(text) <= limit else text[: limit - 3] + "..."


class Validator:
    """Collects ``FieldError`` s; every check returns the normalised value or ``None``."""

    def __init__(self) -> None:
        self.errors: list[FieldError] = []

    def add(self, path: str, code: Code, reason: str, **params: Any) -> None:
        """Record that ``path`` is wrong: its ``code`` and ``params`` for programs, the
        ``reason`` in English for people."""
        self.errors.append(FieldError(path, code, reason, params))

    @property
    def ok(self) -> bool:
        return not self.errors

    def raise_if_any(self) -> None:
        if self.errors:
            raise ValidationError(list(self.errors))

    # Helpers ------------------------------------------------------------------------------

    def out_of_range(self, path: str, min: float, max: float, value: Any) -> None:
        """Record that ``value`` is not in ``[min, max]``."""
        self.add(path, Code.OUT_OF_RANGE, f"must be between {min} and {max} (got {value})",
                 min=min, max=max)

    def _too_long(self, path: str, limit: int, actual: int) -> None:
        self.add(path, Code.TOO_LONG, f"must be at most {limit} characters (got {actual})",
                 limit=limit, actual=actual)

    def _missing(self, path: str, value: Any, required: bool) -> bool:
        """True if there is no value; records "is required" when one was needed."""
        absent = value is None or (isinstance(value, str) and not value.strip())
        if absent and required:
            self.add(path, Code.REQUIRED, "is required")
        return absent

    def _text(self, path: str, value: Any, required: bool) -> str | None:
        """A stripped string, or None (recording why) when absent or not a string."""
        if self._missing(path, value, required):
            return None
        if not isinstance(value, str):
            self.add(path, Code.NOT_TEXT, f"must be text (got {type(value).__name__})")
            return None
        return value.strip()

    # Text ---------------------------------------------------------------------------------

    def required_str(
        self,
        path: str,
        value: Any,
        *,
        max_length: int = 200,
        multiline: bool = False,
        normalize: bool = True,
        required: bool = True,
    ) -> str | None:
        """Text of at most ``max_length`` characters after normalisation.

        Rejects invalid Unicode (lone surrogates), control characters other than newline and
        tab, and bidirectional overrides (they can make a name display as another). With
        ``normalize`` the text goes through ``names.normalize_text`` (NFC, one tone style,
        whitespace tidied; line breaks kept when ``multiline``); else it is only NFC.
        """
        if self._missing(path, value, required):
            return None
        if not isinstance(value, str):
            self.add(path, Code.NOT_TEXT, f"must be text (got {type(value).__name__})")
            return None
        value = value.replace("\r\n", "\n")
        for i, ch in enumerate(value if _SUSPECT.search(value) else ""):
            if "\ud800" <= ch <= "\udfff":
                self.add(path, Code.INVALID_UNICODE,
                         f"is not valid Unicode (lone surrogate at position {i})", position=i)
                return None
            if ch in _BIDI_CONTROLS:
                char = f"U+{ord(ch):04X}"
                self.add(path, Code.BIDI_CONTROL,
                         f"must not contain bidirectional controls ({char})", char=char)
                return None
            if unicodedata.category(ch) == "Cc" and ch not in "\n\t":
                char = f"U+{ord(ch):04X}"
                self.add(path, Code.CONTROL_CHARACTER,
                         f"must not contain control characters ({char} at {i})", char=char)
                return None
        if normalize:
            text = normalize_text(value, multiline=multiline)
        else:
            text = unicodedata.normalize("NFC", value).strip()
        if not text:
            if required:
                self.add(path, Code.REQUIRED, "is required")
            return None
        if len(text) > max_length:
            self._too_long(path, max_length, len(text))
            return None
        return text

    def optional_str(
        self, path: str, value: Any, *, max_length: int = 200, multiline: bool = False
    ) -> str | None:
        """Like ``required_str``; an absent or blank value is ``None`` and no error."""
        return self.required_str(
            path, value, max_length=max_length, multiline=multiline, required=False
        )

    def email(self, path: str, value: Any, *, required: bool = True) -> str | None:
        """An e-mail address, normalised; the domain is not looked up."""
        text = self._text(path, value, required)
        if text is None:
            return None
        try:
            return validate_email(text, check_deliverability=False).normalized
        except EmailNotValidError as exc:
            self.add(path, Code.INVALID_EMAIL,
                     f"must be an e-mail address such as an@example.org ({exc})")
            return None

    def phone(self, path: str, value: Any, *, required: bool = True) -> str | None:
        """A phone number of 7-20 digits; returned as ``+`` and digits only."""
        text = self._text(path, value, required)
        if text is None:
            return None
        digits = re.sub(r"\D", "", text)
        if not _PHONE.fullmatch(text) or not 7 <= len(digits) <= 20:
            self.add(
                path, Code.INVALID_PHONE,
                "must be a phone number of 7 to 20 digits, optionally starting with + and "
                "grouped by spaces or dashes, such as +84 24 3825 2345",
                min=7, max=20,
            )
            return None
        return ("+" if text.startswith("+") else "") + digits

    def country(self, path: str, value: Any, *, required: bool = True) -> str | None:
        """An ISO 3166-1 alpha-2 code, any case in, upper case out."""
        text = self._text(path, value, required)
        if text is None:
            return None
        code = text.upper()
        if len(code) != 2 or code not in countries_by_alpha2:
            self.add(path, Code.INVALID_COUNTRY,
                     "must be an ISO 3166-1 alpha-2 country code such as VN or US")
            return None
        return code

    def languages(
        self, path: str, value: Any, *, max_items: int = 20, required: bool = True
    ) -> list[str] | None:
        """A list of ISO 639-1 codes, lower case, without repeats (first one kept)."""
        items = self.list_max(path, value, max_items=max_items, required=required)
        if items is None:
            return None
        codes: list[str] = []
        valid = True
        for i, item in enumerate(items):
            code = item.strip().lower() if isinstance(item, str) else None
            if code not in ISO_639_1:
                self.add(f"{path}.{i}", Code.INVALID_LANGUAGE,
                         "must be an ISO 639-1 language code such as vi or en")
                valid = False
            elif code not in codes:
                codes.append(code)
        return codes if valid else None

    # Numbers and dates --------------------------------------------------------------------

    def integer(
        self, path: str, value: Any, *, min: int, max: int, required: bool = True
    ) -> int | None:
        """A whole number in ``[min, max]``."""
        if self._missing(path, value, required):
            return None
        if isinstance(value, bool) or not isinstance(value, int):
            self.add(path, Code.NOT_INTEGER, f"must be a whole number (got {_shorten(value)})")
            return None
        if not min <= value <= max:
            self.out_of_range(path, min, max, value)
            return None
        return value

    def number(
        self, path: str, value: Any, *, min: float, max: float, required: bool = True
    ) -> float | None:
        """A finite number in ``[min, max]``, returned as float."""
        if self._missing(path, value, required):
            return None
        if isinstance(value, bool) or not isinstance(value, int | float):
            self.add(path, Code.NOT_NUMBER, f"must be a number (got {_shorten(value)})")
            return None
        number = float(value)
        if not math.isfinite(number):
            self.add(path, Code.NOT_NUMBER, "must be a finite number")
            return None
        if not min <= number <= max:
            self.out_of_range(path, min, max, value)
            return None
        return number

    def year(
        self,
        path: str,
        value: Any,
        *,
        min: int = 1900,
        max: int | None = None,
        required: bool = True,
    ) -> int | None:
        """A year from ``min`` to ``max`` (default: ten years after the current one)."""
        latest = dt.date.today().year + 10 if max is None else max
        return self.integer(path, value, min=min, max=latest, required=required)

    def date(self, path: str, value: Any, *, required: bool = True) -> dt.date | None:
        """A calendar date written ``YYYY-MM-DD`` (or a ``date``)."""
        if isinstance(value, dt.date) and not isinstance(value, dt.datetime):
            return value
        text = self._text(path, value, required)
        if text is None:
            return None
        try:
            if not _DATE.fullmatch(text):
                raise ValueError
            return dt.date.fromisoformat(text)
        except ValueError:
            self.add(path, Code.INVALID_DATE,
                     f"must be a date written YYYY-MM-DD such as 2025-08-26 (got {text!r})")
            return None

    # Choices, collections and identifiers -------------------------------------------------

    def choice(
        self, path: str, value: Any, allowed: Iterable[str], *, required: bool = True
    ) -> str | None:
        """One of ``allowed``, matched exactly."""
        options = sorted(allowed)
        if self._missing(path, value, required):
            return None
        if value not in options:
            self.add(path, Code.UNKNOWN_VALUE,
                     f"must be one of {', '.join(options)} (got {_shorten(value)})",
                     allowed=options)
            return None
        return value

    def list_max(
        self, path: str, value: Any, *, max_items: int, required: bool = True
    ) -> list[Any] | None:
        """A list (or tuple) of at most ``max_items`` items; the items are not checked."""
        if self._missing(path, value, required):
            return None
        if not isinstance(value, list | tuple):
            self.add(path, Code.NOT_LIST, f"must be a list (got {type(value).__name__})")
            return None
        if len(value) > max_items:
            self.add(path, Code.TOO_MANY,
                     f"must have at most {max_items} items (got {len(value)})",
                     limit=max_items, actual=len(value))
            return None
        return list(value)

    def url(
        self, path: str, value: Any, *, max_length: int = 2000, required: bool = True
    ) -> str | None:
        """An absolute http or https URL with a host and no credentials."""
        text = self._text(path, value, required)
        if text is None:
            return None
        try:
            parts = urlsplit(text)
            parts.port  # noqa: B018 -- raises ValueError on a bad port
        except ValueError:
            parts = None
        if parts is None or parts.scheme.lower() not in {"http", "https"} or not parts.hostname:
            self.add(path, Code.INVALID_URL,
                     "must be a web address starting with http:// or https://")
        elif any(ch.isspace() or unicodedata.category(ch) == "Cc" for ch in text):
            self.add(path, Code.URL_HAS_SPACES, "must not contain spaces or control characters")
        elif parts.username is not None or parts.password is not None:
            self.add(path, Code.URL_HAS_CREDENTIALS, "must not contain a user name or password")
        elif len(text) > max_length:
            self._too_long(path, max_length, len(text))
        else:
            return text
        return None

    def orcid(self, path: str, value: Any, *, required: bool = True) -> str | None:
        """An ORCID iD with a correct check digit; ``https://orcid.org/`` prefix removed."""
        text = self._text(path, value, required)
        if text is None:
            return None
        ident = _ORCID_PREFIX.sub("", text).upper()
        match = _ORCID.fullmatch(ident)
        if not match:
            self.add(path, Code.INVALID_ORCID, "must be an ORCID iD such as 0000-0002-1825-0097")
            return None
        digits = "".join(match.groups())
        if _orcid_check_digit(digits[:15]) != digits[15]:
            self.add(path, Code.ORCID_CHECK_DIGIT,
                     "is not a valid ORCID iD (wrong check digit); copy it from orcid.org")
            return None
        return ident

    def doi(self, path: str, value: Any, *, required: bool = True) -> str | None:
        """A DOI such as ``10.1000/xyz123``; ``doi:`` and ``https://doi.org/`` prefixes removed.

        DOIs are case-insensitive, so the returned form is lower case to compare equal.
        """
        text = self._text(path, value, required)
        if text is None:
            return None
        ident = _DOI_PREFIX.sub("", text)
        if not _DOI.fullmatch(ident):
            self.add(path, Code.INVALID_DOI, "must be a DOI such as 10.1000/xyz123")
            return None
        return ident.lower()

    def slug(
        self, path: str, value: Any, *, max_length: int = 64, required: bool = True
    ) -> str | None:
        """An identifier of lower-case ASCII letters and digits joined by single hyphens."""
        text = self._text(path, value, required)
        if text is None:
            return None
        if not _SLUG.fullmatch(text) or len(text) > max_length:
            self.add(
                path, Code.INVALID_SLUG,
                "must be lower-case letters a-z and digits joined by single hyphens, "
                f"such as nguyen-van-an, at most {max_length} characters",
                limit=max_length,
            )
            return None
        return text
