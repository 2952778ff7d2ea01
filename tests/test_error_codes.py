"""Every field error carries a stable code and the params its text needs, and the web pages
have Vietnamese and English text for every code."""

from __future__ import annotations

import re
from pathlib import Path

import pytest

from registry.errors import (
    REFERENCE_KINDS,
    Code,
    FieldError,
    NotAllowed,
    NotAllowedCode,
    ValidationError,
)
from registry.import_formats import read_rows
from registry.profile import validate_profile
from registry.validation import Validator

LOCALES = Path(__file__).resolve().parents[1] / "web" / "js" / "locales"


# --- construction -----------------------------------------------------------------------------


def test_a_field_error_cannot_be_made_without_a_code():
    with pytest.raises(TypeError):
        FieldError("fullName", "is required")  # type: ignore[call-arg]
    with pytest.raises(TypeError):
        FieldError("fullName", "REQUIRED", "is required")  # type: ignore[arg-type]
    with pytest.raises(TypeError):
        Validator().add("fullName", "is required")  # type: ignore[call-arg]


def test_a_refusal_cannot_be_made_without_a_code():
    with pytest.raises(TypeError):
        NotAllowed("only the expert may change this")  # type: ignore[call-arg]
    with pytest.raises(TypeError):
        NotAllowed("NOT_OWNER", "only the expert may change this")  # type: ignore[arg-type]
    assert NotAllowed(NotAllowedCode.NOT_OWNER, "only the expert").code == "NOT_OWNER"


def test_an_unknown_reference_names_what_kind_of_record_is_missing():
    with pytest.raises(ValueError, match="kind"):
        FieldError("skill", Code.UNKNOWN_REFERENCE, "is not a skill", {"value": "x"})
    ok = FieldError("skill", Code.UNKNOWN_REFERENCE, "is not a skill", {"kind": "skill"})
    assert ok.params["kind"] in REFERENCE_KINDS


def test_moving_an_error_keeps_its_code_and_params():
    error = FieldError("skills.2.level", Code.OUT_OF_RANGE, "must be between 1 and 5",
                       {"min": 1, "max": 5})
    moved = error.at("item.level")
    assert (moved.path, moved.code, moved.reason, moved.params) == \
        ("item.level", Code.OUT_OF_RANGE, "must be between 1 and 5", {"min": 1, "max": 5})
    assert ValidationError.at("x", Code.TOO_MANY, "too many", limit=3).errors[0].params == \
        {"limit": 3}


# --- what the validators report -----------------------------------------------------------


CASES = [
    ("required_str", ("",), {}, Code.REQUIRED, {}),
    ("required_str", (42,), {}, Code.NOT_TEXT, {}),
    ("required_str", ("a" * 201,), {}, Code.TOO_LONG, {"limit": 200, "actual": 201}),
    ("required_str", ("a\u202eb",), {}, Code.BIDI_CONTROL, {"char": "U+202E"}),
    ("required_str", ("a\x07b",), {}, Code.CONTROL_CHARACTER, {"char": "U+0007"}),
    ("required_str", ("a\ud800",), {}, Code.INVALID_UNICODE, {"position": 1}),
    ("email", ("not-an-address",), {}, Code.INVALID_EMAIL, {}),
    ("phone", ("12",), {}, Code.INVALID_PHONE, {"min": 7, "max": 20}),
    ("country", ("XX",), {}, Code.INVALID_COUNTRY, {}),
    ("integer", ("7",), {"min": 0, "max": 9}, Code.NOT_INTEGER, {}),
    ("integer", (10,), {"min": 0, "max": 9}, Code.OUT_OF_RANGE, {"min": 0, "max": 9}),
    ("number", ("x",), {"min": 0, "max": 1}, Code.NOT_NUMBER, {}),
    ("number", (float("nan"),), {"min": 0, "max": 1}, Code.NOT_NUMBER, {}),
    ("date", ("26/08/2025",), {}, Code.INVALID_DATE, {}),
    ("choice", ("MAYBE",), {"allowed": ["NO", "YES"]}, Code.UNKNOWN_VALUE,
     {"allowed": ["NO", "YES"]}),
    ("list_max", ("vi",), {"max_items": 2}, Code.NOT_LIST, {}),
    ("list_max", ([1, 2, 3],), {"max_items": 2}, Code.TOO_MANY, {"limit": 2, "actual": 3}),
    ("url", ("ftp://example.org",), {}, Code.INVALID_URL, {}),
    ("url", ("https://exa mple.org",), {}, Code.URL_HAS_SPACES, {}),
    ("url", ("https://u:p@example.org",), {}, Code.URL_HAS_CREDENTIALS, {}),
    ("url", ("https://example.org/" + "a" * 30,), {"max_length": 20}, Code.TOO_LONG,
     {"limit": 20, "actual": 50}),
    ("orcid", ("1234",), {}, Code.INVALID_ORCID, {}),
    ("orcid", ("0000-0002-1825-0098",), {}, Code.ORCID_CHECK_DIGIT, {}),
    ("doi", ("doi:xyz",), {}, Code.INVALID_DOI, {}),
    ("slug", ("Not A Slug",), {"max_length": 64}, Code.INVALID_SLUG, {"limit": 64}),
]


@pytest.mark.parametrize(("method", "args", "kwargs", "code", "params"), CASES,
                         ids=[f"{c[0]}-{c[3].value}" for c in CASES])
def test_each_check_reports_its_code_and_params(method, args, kwargs, code, params):
    v = Validator()
    assert getattr(v, method)("field", *args, **kwargs) is None
    (error,) = v.errors
    assert (error.path, error.code, dict(error.params)) == ("field", code, params)
    assert error.reason  # the English text stays for API clients


def test_a_language_list_reports_the_bad_item():
    v = Validator()
    v.languages("languages", ["vi", "xx"])
    assert [(e.path, e.code) for e in v.errors] == [("languages.1", Code.INVALID_LANGUAGE)]


def test_profile_checks_report_codes():
    with pytest.raises(ValidationError) as caught:
        validate_profile({
            "fullName": "Nguyễn Văn An", "email": "an@example.org", "residenceCountry": "VN",
            "shoeSize": 42,
            "skills": [{"skill": "no-such-skill", "level": 3},
                       {"skill": "robotics", "level": 3}, {"skill": "robotics", "level": 4}],
            "employment": [{"organization": "viettel", "from": 2020, "to": 2010}],
        })
    found = {e.path: (e.code, dict(e.params)) for e in caught.value.errors}
    assert found["shoeSize"] == (Code.UNKNOWN_FIELD, {})
    assert found["skills.0.skill"] == (Code.UNKNOWN_REFERENCE,
                                       {"kind": "skill", "value": "no-such-skill"})
    assert found["skills.2.skill"] == (Code.DUPLICATE, {"value": "robotics"})
    assert found["employment.0.to"] == (Code.BEFORE_START, {"field": "from", "start": 2020})


def test_a_misspelt_field_in_a_list_item_is_refused_not_dropped():
    # "scael" would otherwise leave the project at the default scale, silently.
    with pytest.raises(ValidationError) as caught:
        validate_profile({
            "fullName": "Nguyễn Văn An", "email": "an@example.org", "residenceCountry": "VN",
            "projects": [{"title": "Vệ tinh", "scael": "NATIONAL"}],
            "patents": [{"title": "Bộ lọc", "status": "GRANTED"}],
            "skills": [{"skill": "robotics", "level": 3, "yeras": 4}],
            "employment": [{"organization": {"nmae": "Công ty X", "country": "VN"}}],
        })
    found = {e.path: (e.code, e.reason) for e in caught.value.errors}
    assert found["projects.0.scael"] == (Code.UNKNOWN_FIELD, "is not a field of a project")
    assert found["patents.0.status"] == (Code.UNKNOWN_FIELD, "is not a field of a patent")
    assert found["skills.0.yeras"][0] == Code.UNKNOWN_FIELD
    assert found["employment.0.organization.nmae"] == (Code.UNKNOWN_FIELD,
                                                       "is not a field of an organization")


def test_every_field_a_profile_reads_back_with_is_accepted_again():
    full = validate_profile({
        "fullName": "Nguyễn Văn An", "email": "an@example.org", "residenceCountry": "VN",
        "skills": [{"skill": "robotics", "level": 3, "years": 4, "source": "SELF"}],
        "employment": [{"organization": {"name": "Công ty X", "country": "VN", "city": "Hà Nội",
                                         "kind": "COMPANY"}, "title": "CTO", "from": 2015,
                        "to": 2020}],
        "education": [{"organization": {"name": "Đại học Y", "country": "VN"},
                       "degree": "PHD", "field": "Robotics", "year": 2012}],
        "publications": [{"title": "A", "doi": "10.1000/x1", "abstract": "B", "year": 2020,
                          "venue": "C", "citations": 3}],
        "patents": [{"title": "D", "number": "VN-1", "year": 2021, "country": "VN",
                     "granted": True, "applied": True}],
        "projects": [{"title": "E", "summary": "F", "relation": "LED", "role": "PI",
                      "scale": "NATIONAL", "outcome": "APPLIED", "budgetUsd": 1000.0,
                      "startYear": 2019, "endYear": 2021, "interdisciplinary": True,
                      "areas": []}],
        "awards": [{"title": "G", "year": 2022, "international": True}],
    })
    again = {k: full[k] for k in ("fullName", "email", "residenceCountry", "skills",
                                  "publications", "patents", "projects", "awards")}
    for key in ("employment", "education"):  # read back with the organization as an object
        again[key] = [{**{k: v for k, v in item.items() if k != "organizationRef"},
                       "organization": item["organizationRef"]} for item in full[key]]
    assert validate_profile(again) == full


def test_unreadable_import_rows_report_codes():
    csv = "fullName,email\nAn,an@example.org,extra\n"
    ((line, value, error),) = list(read_rows(csv.encode(), "csv"))
    assert (line, value) == (2, None)
    assert (error.path, error.code, dict(error.params)) == \
        ("", Code.FIELD_COUNT, {"actual": 3, "expected": 2})
    ((_, _, error),) = list(read_rows(b"email\nan@example.org\n", "csv"))
    assert (error.code, error.params["value"]) == (Code.MISSING_COLUMN, "fullName")
    ((_, _, error),) = list(read_rows(b"\xff{}\n", "jsonl"))
    assert error.code is Code.INVALID_UTF8


# --- the web pages' texts -----------------------------------------------------------------


def _messages(name: str, prefix: str = "fieldError") -> dict[str, str]:
    text = (LOCALES / name).read_text(encoding="utf-8")
    pattern = rf'^\s*"({prefix}\.[A-Z0-9_]+)": "(.*)",$'
    return dict(re.findall(pattern, text, re.MULTILINE))


@pytest.mark.parametrize("locale", ["errors.vi.js", "errors.en.js"])
def test_the_pages_have_a_text_for_every_code(locale):
    messages = _messages(locale)
    assert {k.removeprefix("fieldError.") for k in messages} == {c.value for c in Code}
    refusals = _messages(locale, "notAllowed")
    assert {k.removeprefix("notAllowed.") for k in refusals} == {c.value for c in NotAllowedCode}


def test_vietnamese_and_english_texts_use_the_same_params():
    vi, en = _messages("errors.vi.js"), _messages("errors.en.js")
    placeholders = re.compile(r"\{(\w+)\}")
    for key, text in vi.items():
        assert set(placeholders.findall(text)) == set(placeholders.findall(en[key])), key


@pytest.mark.parametrize("locale", ["errors.vi.js", "errors.en.js"])
def test_every_kind_of_reference_has_a_name(locale):
    text = (LOCALES / locale).read_text(encoding="utf-8")
    named = set(re.findall(r'"fieldError\.kind\.(\w+)"', text))
    assert named == set(REFERENCE_KINDS)
