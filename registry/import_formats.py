"""Reading import files: JSON Lines, JSON and CSV rows, each with its line number.

Every reader yields ``Row(line, value, error, raw_text)``: the parsed value, or why the row
cannot be read (a ``FieldError`` at path ``""``, the row as a whole, with its code); nothing here validates a profile (``registry.importer`` does). Formats (chosen by the file's extension, ``.gz`` allowed on top):

``.jsonl`` / ``.ndjson``
    One profile document per line, as ``registry.profile`` describes it. Blank lines are
    skipped, a byte-order mark is ignored, and a line over 1 MB is rejected without being
    parsed. Records of a ``chuyengia export`` file are accepted too: ``kind: "expert"`` records
    are imported (their ``meta`` is ignored) and records of other kinds are counted as ignored.
``.json``
    A JSON array of profile documents (or a single document). A ``.json`` file that actually
    holds one document per line is read as JSON Lines.
``.csv``
    UTF-8 (a BOM is fine), comma-separated, one header row naming some of these columns
    (names are case-sensitive; an unknown column rejects the whole file before anything is
    written):

    ====================  ===============================================================
    fullName              required
    id, externalKey,      identity; without ``id`` it derives from ``orcid``, then
    orcid, email          ``externalKey``, then ``email`` (one of them is needed)
    honorific             GS., PGS., TS., ThS., KS., TSKH. or BS.
    headline, bio         text
    phone, homepage       text
    residenceCountry      ISO 3166-1 alpha-2 (required), ``city`` optional
    diaspora              DOMESTIC, OVERSEAS or RETURNEE (default from the country)
    nationalities         country codes separated by ``;`` such as ``VN;US``
    languages             ISO 639-1 codes separated by ``;`` such as ``vi;en``
    yearsExperience,      whole numbers
    hIndex, citations,
    birthYear
    availability          FULL_TIME, PART_TIME, ADVISORY or UNAVAILABLE
    availableFrom         YYYY-MM-DD
    visibility            PUBLIC, REGISTERED (default) or PRIVATE
    willingToRelocate,    true/false (also yes/no, 1/0, có/không)
    remoteOk,
    contactConsent,
    verified,
    currentForeignResearchPost
    gender                FEMALE, MALE or OTHER
    skills                ``skill-id:level[:years]`` separated by ``;``, such as
                          ``machine-learning:4:6;deep-learning:3``
    organization, title,  the current job: a reference organization id (``viettel``) or a
    since,                name with ``organizationCountry`` (default: residenceCountry);
    organizationCountry   ``since`` is the year it started
    ====================  ===============================================================

    Empty cells are treated as absent. Publications, patents, projects and the rest of a
    career need the JSON Lines format.
"""

from __future__ import annotations

import csv
import gzip
import io
import json
import re
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import IO, Any

from registry.errors import Code, FieldError, RegistryError

__all__ = [
    "CSV_COLUMNS",
    "MAX_ROW_BYTES",
    "Row",
    "clip",
    "count_lines",
    "detect_format",
    "file_rows",
    "raw_text",
    "read_rows",
]

MAX_ROW_BYTES = 1_000_000
_RAW_TEXT_CHARS = 200
_BOM = "\ufeff"

_CSV_TEXT = ("id", "externalKey", "orcid", "email", "fullName", "honorific", "headline", "bio",
             "phone", "homepage", "residenceCountry", "city", "diaspora", "availability",
             "availableFrom", "visibility", "gender")
_CSV_INTS = ("yearsExperience", "hIndex", "citations", "birthYear")
_CSV_BOOLS = ("willingToRelocate", "remoteOk", "contactConsent", "verified",
              "currentForeignResearchPost")
_CSV_LISTS = ("nationalities", "languages")
_CSV_JOB = ("organization", "title", "since", "organizationCountry")
CSV_COLUMNS = frozenset(_CSV_TEXT + _CSV_INTS + _CSV_BOOLS + _CSV_LISTS + _CSV_JOB
                        + ("skills",))
_TRUE = frozenset(("true", "yes", "y", "1", "x", "có", "co"))
_FALSE = frozenset(("false", "no", "n", "0", "không", "khong"))
_INT = re.compile(r"[+-]?\d{1,9}")


@dataclass(frozen=True)
class Row:
    """One parsed row: a value, or the reason it could not be parsed."""

    line: int
    value: Any
    error: FieldError | None
    raw_text: str


def _unreadable(line: int, code: Code, reason: str, raw: str, **params: Any) -> Row:
    """A row that cannot be read, and why (``reason`` speaks of the row as a whole)."""
    return Row(line, None, FieldError("", code, reason, params), raw)


def clip(text: str) -> str:
    """The start of a row's text, for reports."""
    text = text.strip()
    return text if len(text) <= _RAW_TEXT_CHARS else text[: _RAW_TEXT_CHARS - 1] + "…"


def raw_text(value: Any) -> str:
    try:
        return clip(json.dumps(value, ensure_ascii=False, default=str)[: _RAW_TEXT_CHARS * 2])
    except (TypeError, ValueError):
        return clip(repr(value))


def detect_format(path: Path) -> str:
    """``jsonl``, ``json`` or ``csv`` from the file's extension (a ``.gz`` suffix is skipped)."""
    suffixes = [s.lower() for s in path.suffixes]
    if suffixes and suffixes[-1] == ".gz":
        suffixes = suffixes[:-1]
    ext = suffixes[-1] if suffixes else ""
    found = {".jsonl": "jsonl", ".ndjson": "jsonl", ".json": "json", ".csv": "csv"}.get(ext)
    if found is None:
        raise RegistryError(
            f"cannot tell the format of {path.name} from its extension; name it .jsonl, "
            ".json or .csv, or pass the format (jsonl, json or csv)")
    return found


def _open_binary(path: Path) -> IO[bytes]:
    return gzip.open(path, "rb") if path.suffix.lower() == ".gz" else open(path, "rb")


def count_lines(path: Path) -> int | None:
    if path.suffix.lower() == ".gz":
        return None
    count = 0
    with open(path, "rb") as f:
        while chunk := f.read(1 << 20):
            count += chunk.count(b"\n")
    return count


def _json_lines(stream: IO[bytes], first_line: int = 1) -> Iterator[Row]:
    line = first_line - 1
    while True:
        chunk = stream.readline(MAX_ROW_BYTES + 1)
        if not chunk:
            return
        line += 1
        if len(chunk) > MAX_ROW_BYTES and not chunk.endswith(b"\n"):
            size = len(chunk)
            while (rest := stream.readline(1 << 20)) and not rest.endswith(b"\n"):
                size += len(rest)
            size += len(rest)
            yield _unreadable(line, Code.TOO_LARGE, f"is longer than 1 MB ({size:,} bytes); "
                              "split the record or shorten its texts",
                              clip(chunk[:400].decode("utf-8", "replace")),
                              limit=MAX_ROW_BYTES, actual=size)
            continue
        try:
            text = chunk.decode("utf-8")
        except UnicodeDecodeError as exc:
            yield _unreadable(line, Code.INVALID_UTF8, f"is not valid UTF-8 (bad byte at "
                              f"position {exc.start}); save the file as UTF-8",
                              clip(chunk[:400].decode("utf-8", "replace")), position=exc.start)
            continue
        text = text.lstrip(_BOM)
        if not text.strip():
            continue
        try:
            value = json.loads(text)
        except json.JSONDecodeError as exc:
            yield _unreadable(line, Code.INVALID_JSON,
                              f"is not valid JSON: {exc.msg} at column {exc.colno}", clip(text),
                              column=exc.colno)
            continue
        yield Row(line, value, None, clip(text))


def _json_document(path: Path) -> Iterator[Row]:
    with _open_binary(path) as stream:
        data = stream.read()
    try:
        text = data.decode("utf-8").lstrip(_BOM)
    except UnicodeDecodeError as exc:
        yield _unreadable(data.count(b"\n", 0, exc.start) + 1, Code.INVALID_UTF8,
                          f"is not valid UTF-8 (bad byte at offset {exc.start}); nothing was "
                          "read", "", position=exc.start)
        return
    start = len(text) - len(text.lstrip())
    if text[start:start + 1] != "[":
        try:
            value = json.loads(text)
        except json.JSONDecodeError:
            # Not one document: most likely JSON Lines saved with a .json name.
            yield from _json_lines(io.BytesIO(data))
            return
        yield Row(text.count("\n", 0, start) + 1, value, None, raw_text(value))
        return
    decoder = json.JSONDecoder()
    pos, line, counted = start + 1, 1, 0
    while True:
        while pos < len(text) and text[pos] in " \t\r\n,":
            pos += 1
        if pos >= len(text):
            yield _unreadable(line, Code.INVALID_JSON, "the JSON array is not closed with ]",
                              "")
            return
        if text[pos] == "]":
            return
        line += text.count("\n", counted, pos)
        counted = pos
        try:
            value, end = decoder.raw_decode(text, pos)
        except json.JSONDecodeError as exc:
            yield _unreadable(exc.lineno, Code.INVALID_JSON, f"is not valid JSON: {exc.msg} "
                              f"at column {exc.colno}; the rest of the file was not read",
                              clip(text[pos:pos + 400]), column=exc.colno)
            return
        if len(text[pos:end].encode("utf-8")) > MAX_ROW_BYTES:
            yield _unreadable(line, Code.TOO_LARGE, "is longer than 1 MB; split the record "
                              "or shorten its texts", clip(text[pos:pos + 400]),
                              limit=MAX_ROW_BYTES)
        else:
            yield Row(line, value, None, clip(text[pos:min(end, pos + 400)]))
        pos = end


def _csv_value(key: str, cell: str) -> Any:
    if key in _CSV_INTS or key == "since":
        return int(cell) if _INT.fullmatch(cell) else cell
    if key in _CSV_BOOLS:
        low = cell.lower()
        return True if low in _TRUE else False if low in _FALSE else cell
    if key in _CSV_LISTS:
        return [part.strip() for part in cell.split(";") if part.strip()]
    return cell


def _csv_skills(cell: str) -> list[dict[str, Any]]:
    skills = []
    for entry in (e.strip() for e in cell.split(";")):
        if not entry:
            continue
        parts = [p.strip() for p in entry.split(":")]
        item: dict[str, Any] = {"skill": parts[0]}
        for key, part in zip(("level", "years"), parts[1:3]):
            item[key] = int(part) if _INT.fullmatch(part) else part
        skills.append(item)
    return skills


def _csv_profile(cells: dict[str, str]) -> dict[str, Any]:
    raw: dict[str, Any] = {}
    for key, cell in cells.items():
        cell = cell.strip()
        if not cell or key in _CSV_JOB:
            continue
        raw[key] = _csv_skills(cell) if key == "skills" else _csv_value(key, cell)
    org = cells.get("organization", "").strip()
    if org:
        country = cells.get("organizationCountry", "").strip() or raw.get("residenceCountry")
        since = cells.get("since", "").strip()
        raw["employment"] = [{
            "organization": org if re.fullmatch(r"[a-z0-9]+(?:-[a-z0-9]+)*", org)
            else {"name": org, "country": country},
            "title": cells.get("title", "").strip() or None,
            "from": _csv_value("since", since) if since else None,
        }]
    return raw


def _csv_stream(binary: IO[bytes]) -> Iterator[Row]:
    if csv.field_size_limit() < MAX_ROW_BYTES:
        csv.field_size_limit(MAX_ROW_BYTES)
    # Undecodable bytes become lone surrogates, which validation reports by field.
    stream = io.TextIOWrapper(binary, encoding="utf-8-sig", errors="surrogateescape",
                              newline="")
    reader = csv.reader(stream)
    try:
        header = [h.strip() for h in next(reader)]
    except StopIteration:
        return
    problem = _header_problem(header)
    if problem:
        yield Row(1, None, problem, clip(",".join(header)))
        return
    line = reader.line_num + 1
    while True:
        try:
            record = next(reader)
        except StopIteration:
            return
        except csv.Error as exc:
            yield _unreadable(line, Code.INVALID_CSV, f"is not valid CSV ({exc})", "")
            line = reader.line_num + 1
            continue
        text = clip(",".join(record))
        here, line = line, reader.line_num + 1
        if not record or not any(cell.strip() for cell in record):
            continue
        if len(record) != len(header):
            yield _unreadable(here, Code.FIELD_COUNT, f"has {len(record)} fields; the header "
                              f"has {len(header)}", text, actual=len(record),
                              expected=len(header))
            continue
        if sum(len(cell) for cell in record) > MAX_ROW_BYTES:
            yield _unreadable(here, Code.TOO_LARGE, "is longer than 1 MB; shorten its texts",
                              text, limit=MAX_ROW_BYTES)
            continue
        yield Row(here, _csv_profile(dict(zip(header, record))), None, text)


def _header_problem(header: list[str]) -> FieldError | None:
    unknown = [h for h in header if h not in CSV_COLUMNS]
    if unknown:
        return FieldError(
            "", Code.UNKNOWN_COLUMNS,
            f"the header has unknown columns {', '.join(repr(u) for u in unknown)}; "
            f"known columns are {', '.join(sorted(CSV_COLUMNS))}; nothing was imported",
            {"value": unknown, "allowed": sorted(CSV_COLUMNS)})
    repeated = sorted({h for h in header if header.count(h) > 1})
    if repeated:
        return FieldError("", Code.REPEATED_COLUMNS, f"the header repeats columns "
                          f"{', '.join(repeated)}; nothing was imported", {"value": repeated})
    if "fullName" not in header:
        return FieldError("", Code.MISSING_COLUMN,
                          "the header has no fullName column; nothing was imported",
                          {"value": "fullName"})
    return None


def read_rows(data: bytes, fmt: str) -> Iterator[tuple[int, Any, FieldError | None]]:
    """The rows of an import held in memory (an upload through the API), read as the file
    formats are: ``(line, document, None)``, or ``(line, None, error)`` for a row that cannot
    be read (bad JSON, wrong number of CSV fields, an unknown CSV column in the header).
    ``fmt`` is ``jsonl`` or ``csv``. The documents still need ``import_experts``."""
    if fmt == "jsonl":
        rows = _json_lines(io.BytesIO(data))
    elif fmt == "csv":
        rows = _csv_stream(io.BytesIO(data))
    else:
        raise RegistryError(f"unknown import format {fmt!r}; use jsonl or csv")
    for row in rows:
        yield row.line, row.value, row.error


def file_rows(path: Path, fmt: str) -> Iterator[Row]:
    """The rows of an import file in format ``fmt`` (``jsonl``, ``json`` or ``csv``)."""
    if fmt == "jsonl":
        with _open_binary(path) as stream:
            yield from _json_lines(stream)
    elif fmt == "json":
        yield from _json_document(path)
    elif fmt == "csv":
        with _open_binary(path) as stream:
            yield from _csv_stream(stream)
    else:
        raise RegistryError(f"unknown import format {fmt!r}; use jsonl, json or csv")
