"""Field validators: each accepts good input (normalised) and reports bad input by its path."""

from __future__ import annotations

import datetime as dt
import unicodedata

import pytest

from registry.errors import Code, FieldError, ValidationError
from registry.validation import ISO_639_1, Validator


def only_error(v: Validator) -> FieldError:
    assert len(v.errors) == 1, v.errors
    return v.errors[0]


def check_rejects(method: str, value, *args, path: str = "expert.field", **kwargs) -> str:
    """Run one check that must fail; return its reason after checking the path."""
    v = Validator()
    assert getattr(v, method)(path, value, *args, **kwargs) is None
    error = only_error(v)
    assert error.path == path
    return error.reason


# --- the collector --------------------------------------------------------------------------


def test_collects_every_error_before_raising():
    v = Validator()
    v.required_str("fullName", "")
    v.country("country", "XX")
    v.email("contact.email", "not-an-address")
    assert not v.ok
    with pytest.raises(ValidationError) as caught:
        v.raise_if_any()
    assert [e.path for e in caught.value.errors] == ["fullName", "country", "contact.email"]
    assert "country: must be an ISO 3166-1 alpha-2 country code" in str(caught.value)


def test_no_errors_means_no_raise():
    v = Validator()
    assert v.required_str("fullName", "Lê Lợi") == "Lê Lợi"
    assert v.ok
    v.raise_if_any()


def test_add_records_a_custom_error():
    v = Validator()
    v.add("skills.2.level", Code.OUT_OF_RANGE, "must be between 1 and 5", min=1, max=5)
    assert v.errors == [FieldError("skills.2.level", Code.OUT_OF_RANGE, "must be between 1 and 5",
                                   {"min": 1, "max": 5})]


# --- strings --------------------------------------------------------------------------------


def test_required_str_normalises_the_name():
    v = Validator()
    raw = unicodedata.normalize("NFD", "  \u00d0ặng   Thị Thủy ")
    assert v.required_str("fullName", raw) == "Đặng Thị Thuỷ"
    assert v.ok


def test_required_str_keeps_line_breaks_and_tabs_in_multiline_text():
    v = Validator()
    text = "Dòng một\r\n\tdòng hai"
    assert v.required_str("bio", text, max_length=2000, multiline=True) == "Dòng một\ndòng hai"
    assert v.ok


def test_required_str_without_normalising_only_composes():
    v = Validator()
    assert v.required_str("title", "  hòa  bình ", normalize=False) == "hòa  bình"


@pytest.mark.parametrize("value", [None, "", "   ", "\u200b"])
def test_required_str_rejects_missing_text(value):
    assert check_rejects("required_str", value) == "is required"


def test_required_str_reports_the_length():
    reason = check_rejects("required_str", "x" * 345, max_length=200)
    assert reason == "must be at most 200 characters (got 345)"


def test_required_str_counts_characters_after_composition():
    v = Validator()
    assert v.required_str("name", unicodedata.normalize("NFD", "Nguyễn"), max_length=6)


@pytest.mark.parametrize(
    ("value", "expected"),
    [
        ("Lê\x00Lợi", "must not contain control characters (U+0000 at 2)"),
        ("Lê\x1bLợi", "must not contain control characters (U+001B at 2)"),
        ("abc\rdef", "must not contain control characters (U+000D at 3)"),
        ("Lê\ud800Lợi", "is not valid Unicode (lone surrogate at position 2)"),
        ("\u202eiLợ eL", "must not contain bidirectional controls (U+202E)"),
    ],
)
def test_required_str_rejects_unsafe_characters(value, expected):
    assert check_rejects("required_str", value) == expected


def test_required_str_rejects_other_types():
    assert check_rejects("required_str", 42) == "must be text (got int)"


def test_optional_str_accepts_absence():
    v = Validator()
    assert v.optional_str("nickname", None) is None
    assert v.optional_str("nickname", "  ") is None
    assert v.optional_str("nickname", " Út ") == "Út"
    assert v.ok
    assert check_rejects("optional_str", "x" * 5, max_length=4).startswith("must be at most 4")


# --- contact --------------------------------------------------------------------------------


def test_email_is_normalised_without_a_dns_lookup():
    v = Validator()
    assert v.email("email", " an.nguyen@Example.ORG ") == "an.nguyen@example.org"
    assert v.email("email", "trần@ví-dụ.vn") is not None
    assert v.ok


@pytest.mark.parametrize("value", ["not-an-address", "a@", "@b.org", "a b@c.org", "a@b"])
def test_email_rejects_bad_addresses(value):
    assert check_rejects("email", value).startswith("must be an e-mail address such as")


def test_optional_email():
    v = Validator()
    assert v.email("email", None, required=False) is None
    assert v.ok
    assert check_rejects("email", None) == "is required"


@pytest.mark.parametrize(
    ("value", "expected"),
    [
        ("+84 24 3825 2345", "+842438252345"),
        ("+1-415-555-0100", "+14155550100"),
        ("0912345678", "0912345678"),
        ("1234567", "1234567"),
    ],
)
def test_phone_accepts_and_compacts(value, expected):
    assert Validator().phone("phone", value) == expected


@pytest.mark.parametrize(
    "value", ["123456", "+" + "1" * 21, "+84 (24) 3825", "phone", "84+12345678", "+ 84123456"]
)
def test_phone_rejects(value):
    assert check_rejects("phone", value).startswith("must be a phone number of 7 to 20 digits")


# --- codes ----------------------------------------------------------------------------------


@pytest.mark.parametrize(("value", "expected"), [("VN", "VN"), ("vn", "VN"), (" us ", "US")])
def test_country_accepts_alpha2_in_any_case(value, expected):
    assert Validator().country("country", value) == expected


@pytest.mark.parametrize("value", ["XX", "VNM", "V", "Viet Nam", "704", 84])
def test_country_rejects_unknown_codes(value):
    reason = check_rejects("country", value)
    assert reason in {
        "must be an ISO 3166-1 alpha-2 country code such as VN or US",
        "must be text (got int)",
    }


def test_languages_are_lower_cased_and_deduplicated():
    v = Validator()
    assert v.languages("languages", ["vi", "EN", " fr ", "vi"]) == ["vi", "en", "fr"]
    assert v.languages("languages", []) == []
    assert v.ok


def test_languages_report_each_bad_item_by_index():
    v = Validator()
    assert v.languages("languages", ["vi", "xx", "eng", 3]) is None
    assert [e.path for e in v.errors] == ["languages.1", "languages.2", "languages.3"]
    assert v.errors[0].reason == "must be an ISO 639-1 language code such as vi or en"


def test_languages_reject_a_non_list_and_too_many():
    assert check_rejects("languages", "vi").startswith("must be a list")
    assert (
        check_rejects("languages", ["vi"] * 3, max_items=2) == "must have at most 2 items (got 3)"
    )


def test_iso_639_1_table_is_plausible():
    assert {"vi", "en", "fr", "zh", "ja", "ko", "de", "ru"} <= ISO_639_1
    assert all(len(code) == 2 and code.islower() for code in ISO_639_1)
    assert "iw" not in ISO_639_1  # withdrawn; he is the code for Hebrew


# --- numbers and dates ----------------------------------------------------------------------


def test_integer_in_range():
    v = Validator()
    assert v.integer("experienceYears", 10, min=0, max=80) == 10
    assert v.integer("experienceYears", 0, min=0, max=80) == 0
    assert v.ok


@pytest.mark.parametrize(
    ("value", "expected"),
    [
        (81, "must be between 0 and 80 (got 81)"),
        (-1, "must be between 0 and 80 (got -1)"),
        (2.5, "must be a whole number (got 2.5)"),
        ("10", "must be a whole number (got '10')"),
        (True, "must be a whole number (got True)"),
    ],
)
def test_integer_rejects(value, expected):
    assert check_rejects("integer", value, min=0, max=80) == expected


def test_number_in_range():
    v = Validator()
    assert v.number("score", 0.75, min=0, max=1) == 0.75
    assert v.number("score", 1, min=0, max=1) == 1.0
    assert v.ok


@pytest.mark.parametrize(
    ("value", "expected"),
    [
        (1.5, "must be between 0 and 1 (got 1.5)"),
        (float("nan"), "must be a finite number"),
        (float("inf"), "must be a finite number"),
        ("0.5", "must be a number (got '0.5')"),
        (False, "must be a number (got False)"),
    ],
)
def test_number_rejects(value, expected):
    assert check_rejects("number", value, min=0, max=1) == expected


def test_year_defaults_to_1900_until_ten_years_ahead():
    this_year = dt.date.today().year
    v = Validator()
    assert v.year("phdYear", 1900) == 1900
    assert v.year("phdYear", this_year + 10) == this_year + 10
    assert v.ok
    expected = f"must be between 1900 and {this_year + 10} (got {this_year + 11})"
    assert check_rejects("year", this_year + 11) == expected
    assert check_rejects("year", 1899).startswith("must be between 1900 and")
    assert (
        check_rejects("year", 2030, min=2000, max=2025)
        == "must be between 2000 and 2025 (got 2030)"
    )


def test_date_in_iso_format():
    v = Validator()
    assert v.date("decidedOn", "2025-08-26") == dt.date(2025, 8, 26)
    assert v.date("decidedOn", dt.date(2024, 12, 22)) == dt.date(2024, 12, 22)
    assert v.ok


@pytest.mark.parametrize("value", ["2025-02-30", "26/08/2025", "20250826", "2025-8-26", "soon"])
def test_date_rejects(value):
    reason = check_rejects("date", value)
    assert reason.startswith("must be a date written YYYY-MM-DD")
    assert repr(value) in reason


# --- choices, lists, identifiers ------------------------------------------------------------


def test_choice_accepts_a_member_and_lists_the_options_otherwise():
    allowed = {"open_selection", "direct_assignment"}
    assert Validator().choice("awardMode", "open_selection", allowed) == "open_selection"
    reason = check_rejects("choice", "lottery", allowed)
    assert reason == "must be one of direct_assignment, open_selection (got 'lottery')"


def test_list_max():
    v = Validator()
    assert v.list_max("skills", ("ai", "5g"), max_items=3) == ["ai", "5g"]
    assert v.ok
    assert check_rejects("list_max", list(range(4)), max_items=3) == (
        "must have at most 3 items (got 4)"
    )
    assert check_rejects("list_max", "ai", max_items=3) == "must be a list (got str)"


@pytest.mark.parametrize(
    "value", ["https://vast.vn", "http://example.org/profile?id=1#top", "https://[2001:db8::1]/"]
)
def test_url_accepts_web_addresses(value):
    assert Validator().url("homepage", value) == value


@pytest.mark.parametrize(
    ("value", "expected"),
    [
        ("ftp://example.org", "must be a web address starting with http:// or https://"),
        ("javascript:alert(1)", "must be a web address starting with http:// or https://"),
        ("example.org", "must be a web address starting with http:// or https://"),
        ("https://", "must be a web address starting with http:// or https://"),
        ("https://example.org:99999/", "must be a web address starting with http:// or https://"),
        ("https://exa mple.org", "must not contain spaces or control characters"),
        ("https://user:pw@example.org", "must not contain a user name or password"),
        ("https://example.org/" + "a" * 2000, "must be at most 2000 characters (got 2020)"),
    ],
)
def test_url_rejects(value, expected):
    assert check_rejects("url", value) == expected


@pytest.mark.parametrize(
    ("value", "expected"),
    [
        ("0000-0002-1825-0097", "0000-0002-1825-0097"),
        ("https://orcid.org/0000-0001-5109-3700", "0000-0001-5109-3700"),
        ("0000-0002-1694-233x", "0000-0002-1694-233X"),
    ],
)
def test_orcid_accepts_valid_ids(value, expected):
    assert Validator().orcid("orcid", value) == expected


def test_orcid_rejects_a_wrong_check_digit_and_bad_format():
    assert check_rejects("orcid", "0000-0002-1825-0098") == (
        "is not a valid ORCID iD (wrong check digit); copy it from orcid.org"
    )
    for bad in ["0000000218250097", "0000-0002-1825-009", "abcd-0002-1825-0097"]:
        assert check_rejects("orcid", bad) == "must be an ORCID iD such as 0000-0002-1825-0097"


@pytest.mark.parametrize(
    ("value", "expected"),
    [
        ("10.1000/xyz123", "10.1000/xyz123"),
        ("doi:10.1038/NATURE12373", "10.1038/nature12373"),
        ("https://doi.org/10.1109/5.771073", "10.1109/5.771073"),
    ],
)
def test_doi_accepts_and_strips_prefixes(value, expected):
    assert Validator().doi("doi", value) == expected


@pytest.mark.parametrize("value", ["11.1000/xyz", "10.10/xyz", "10.1000/", "10.1000/a b", "xyz"])
def test_doi_rejects(value):
    assert check_rejects("doi", value) == "must be a DOI such as 10.1000/xyz123"


@pytest.mark.parametrize("value", ["nguyen-van-an", "vast", "task-2025-01"])
def test_slug_accepts(value):
    assert Validator().slug("id", value) == value


@pytest.mark.parametrize(
    "value", ["Nguyen-Van-An", "nguyễn", "a--b", "-a", "a-", "a_b", "a b", "a" * 65]
)
def test_slug_rejects(value):
    assert check_rejects("slug", value).startswith("must be lower-case letters a-z and digits")
