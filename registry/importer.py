"""Bulk import of expert profiles: JSON Lines, JSON and CSV files, checked row by row.

Every row goes through ``validate_profile``; a bad row is reported with its line number and
every invalid field (``line 7: skills.2.level: must be between 1 and 5 (got 9)``) and the
valid rows are written in batches, one transaction per batch, through the same
``write_profiles`` path as the API and the demo seed, so no profile is ever half-written. A row
whose content equals what is stored (same content hash) is skipped as *unchanged*: importing a
file twice changes nothing, versions included. When two rows of one file carry the same
identity (id, ORCID, external key or e-mail), the first wins and the later one is rejected as
a duplicate of the first. Reading and checking overlap with writing: one thread validates the
next batch while another waits for Neo4j to commit the previous one.

Formats (chosen by the file's extension, ``.gz`` allowed on top):

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
import logging
import multiprocessing
import os
import queue
import re
import threading
import time
import uuid
from collections import deque
from collections.abc import Iterable, Iterator
from concurrent.futures import Future, ProcessPoolExecutor
from dataclasses import dataclass, field
from pathlib import Path
from typing import IO, Any

from neo4j import ManagedTransaction

from registry import audit
from registry.db import Database
from registry.errors import RegistryError, ValidationError
from registry.experts import existing_hashes, write_profiles
from registry.profile import content_hash, validate_profile

__all__ = [
    "MAX_ROW_BYTES", "CSV_COLUMNS", "RejectedRow", "ImportResult", "import_experts",
    "import_experts_file", "detect_format", "read_rows",
]

log = logging.getLogger(__name__)

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
# Keys of an export record that are not part of the profile document.
_RECORD_ONLY = ("kind", "meta", "links")


@dataclass(frozen=True)
class RejectedRow:
    """A row that was not imported: its line in the file, why, and the start of its text."""

    line: int
    reason: str
    raw_text: str

    def __str__(self) -> str:
        return f"line {self.line}: {self.reason}"


@dataclass
class ImportResult:
    created: int = 0
    updated: int = 0
    unchanged: int = 0
    ignored: int = 0
    rejected: list[RejectedRow] = field(default_factory=list)
    seconds: float = 0.0

    @property
    def accepted(self) -> int:
        return self.created + self.updated + self.unchanged

    def summary(self) -> str:
        rate = f", {self.accepted / self.seconds:,.0f} profiles/s" if self.seconds > 0 else ""
        ignored = f", {self.ignored} other records ignored" if self.ignored else ""
        return (f"{self.created} created, {self.updated} updated, {self.unchanged} unchanged, "
                f"{len(self.rejected)} rejected{ignored} in {self.seconds:.1f} s{rate}")


@dataclass(frozen=True)
class _Row:
    """One parsed row: a value, or the reason it could not be parsed."""

    line: int
    value: Any
    error: str | None
    raw_text: str


def _clip(text: str) -> str:
    text = text.strip()
    return text if len(text) <= _RAW_TEXT_CHARS else text[: _RAW_TEXT_CHARS - 1] + "…"


def _raw_text(value: Any) -> str:
    try:
        return _clip(json.dumps(value, ensure_ascii=False, default=str)[: _RAW_TEXT_CHARS * 2])
    except (TypeError, ValueError):
        return _clip(repr(value))


# ---------------------------------------------------------------------------------------------
# Writing: batches, one transaction each, on a thread of their own
# ---------------------------------------------------------------------------------------------


@dataclass
class _Counts:
    created: int = 0
    updated: int = 0
    unchanged: int = 0


class _Writer:
    """Writes batches on a background thread while the caller validates the next one.

    The queue holds at most two batches, so a slow database slows the reader down instead of
    filling memory. The first error stops the writer and is raised in the caller's thread.
    """

    def __init__(self, db: Database, result: ImportResult, *, registered_by: str | None,
                 source: str):
        self.db = db
        self.result = result
        self.registered_by = registered_by
        self.source = source
        self.run_id = str(uuid.uuid4())
        self.error: BaseException | None = None
        self.lock = threading.Lock()
        self.queue: queue.Queue[list[tuple[int, dict[str, Any], str]] | None] = \
            queue.Queue(maxsize=2)
        self.thread = threading.Thread(target=self._loop, name="chuyengia-import-writer",
                                       daemon=True)
        self.thread.start()

    def submit(self, batch: list[tuple[int, dict[str, Any], str]]) -> None:
        if self.error is not None:
            raise self.error
        if batch:
            self.queue.put(batch)

    def close(self) -> None:
        self.queue.put(None)
        self.thread.join()
        if self.error is not None:
            raise self.error

    def _loop(self) -> None:
        while (batch := self.queue.get()) is not None:
            if self.error is not None:
                continue  # drain: the caller sees the error on its next submit or close
            try:
                self._write(batch)
            except BaseException as exc:  # noqa: BLE001  (re-raised in the caller's thread)
                self.error = exc

    def _work(self, tx: ManagedTransaction, docs: list[dict[str, Any]]) -> _Counts:
        counts = _Counts()
        stored = existing_hashes(tx, [d["id"] for d in docs])
        changed = []
        for doc in docs:
            old = stored.get(doc["id"])
            if old is not None and old == content_hash(doc):
                counts.unchanged += 1
                continue
            changed.append(doc)
            if old is None:
                counts.created += 1
            else:
                counts.updated += 1
        if changed:
            write_profiles(tx, changed)
            audit.record(tx, actor_id=self.registered_by, action=audit.AuditAction.IMPORT,
                         subject_kind="Import", subject_id=self.run_id,
                         detail={"source": self.source[-200:], "created": counts.created,
                                 "updated": counts.updated})
        return counts

    def _write(self, batch: list[tuple[int, dict[str, Any], str]]) -> None:
        try:
            counts = self.db.write(self._work, [doc for _, doc, _ in batch])
        except ValidationError:
            # A constraint the documents cannot see (an ORCID another expert holds): find
            # the rows at fault one by one, keep the others.
            counts = _Counts()
            for line, doc, raw in batch:
                try:
                    one = self.db.write(self._work, [doc])
                except ValidationError as exc:
                    with self.lock:
                        self.result.rejected.append(RejectedRow(line, _reason(exc), raw))
                    continue
                counts.created += one.created
                counts.updated += one.updated
                counts.unchanged += one.unchanged
        with self.lock:
            self.result.created += counts.created
            self.result.updated += counts.updated
            self.result.unchanged += counts.unchanged


def _reason(exc: ValidationError) -> str:
    return "; ".join(f"{e.path}: {e.reason}" for e in exc.errors)


# ---------------------------------------------------------------------------------------------
# The import loop
# ---------------------------------------------------------------------------------------------


def _validate_many(raws: list[dict[str, Any]]) -> list[tuple[dict[str, Any] | None, str | None]]:
    """Validate profile documents: (document, None) or (None, reason) each. Module-level, so
    worker processes can run it."""
    out: list[tuple[dict[str, Any] | None, str | None]] = []
    for raw in raws:
        try:
            out.append((validate_profile(raw), None))
        except ValidationError as exc:
            out.append((None, _reason(exc)))
    return out


def _candidate(row: _Row, result: ImportResult) -> dict[str, Any] | None:
    """The row's profile document to validate, or None after recording why it is left out."""
    if row.error is not None:
        result.rejected.append(RejectedRow(row.line, row.error, row.raw_text))
        return None
    raw = row.value
    if not isinstance(raw, dict):
        result.rejected.append(RejectedRow(
            row.line, f"must be a JSON object of profile fields (got {type(raw).__name__})",
            row.raw_text))
        return None
    if "kind" in raw:
        if raw["kind"] != "expert":
            result.ignored += 1
            return None
        raw = {k: v for k, v in raw.items() if k not in _RECORD_ONLY}
    return raw


def _chunks(rows: Iterable[_Row], size: int, result: ImportResult, bar: Any
            ) -> Iterator[tuple[list[_Row], list[dict[str, Any]]]]:
    """Rows in file order, ``size`` candidates at a time, with the documents to validate."""
    kept: list[_Row] = []
    raws: list[dict[str, Any]] = []
    for row in rows:
        if bar is not None:
            bar.update(1)
        raw = _candidate(row, result)
        if raw is None:
            continue
        kept.append(row)
        raws.append(raw)
        if len(kept) >= size:
            yield kept, raws
            kept, raws = [], []
    if kept:
        yield kept, raws


def _validated(chunks: Iterator[tuple[list[_Row], list[dict[str, Any]]]], workers: int
               ) -> Iterator[tuple[list[_Row], list[tuple[dict[str, Any] | None, str | None]]]]:
    """Validation results chunk by chunk, in order; in worker processes when ``workers``."""
    if workers < 1:
        for kept, raws in chunks:
            yield kept, _validate_many(raws)
        return
    # Validation is pure Python and CPU-bound: processes, not threads. "spawn", because the
    # parent runs driver and writer threads that a fork would copy in an unknown state.
    with ProcessPoolExecutor(max_workers=workers,
                             mp_context=multiprocessing.get_context("spawn")) as pool:
        pending: deque[tuple[list[_Row], Future[Any]]] = deque()
        for kept, raws in chunks:
            pending.append((kept, pool.submit(_validate_many, raws)))
            if len(pending) > 2 * workers:
                kept0, future = pending.popleft()
                yield kept0, future.result()
        while pending:
            kept0, future = pending.popleft()
            yield kept0, future.result()


def _workers(requested: int | None, total: int | None, batch_size: int) -> int:
    if requested is not None:
        return max(0, requested)
    if total is not None and total <= 4 * batch_size:
        return 0  # starting processes costs more than it saves
    return max(0, min(8, (os.cpu_count() or 1) - 1))


def _import(db: Database, rows: Iterable[_Row], *, batch_size: int, registered_by: str | None,
            progress: bool, total: int | None, source: str, workers: int | None
            ) -> ImportResult:
    if batch_size < 1:
        raise ValueError("batch_size must be at least 1")
    started = time.perf_counter()
    result = ImportResult()
    bar = None
    if progress:
        from tqdm import tqdm

        bar = tqdm(total=total, unit=" rows", desc="import", smoothing=0.1, mininterval=0.5)
    writer = _Writer(db, result, registered_by=registered_by, source=source)
    first_line: dict[str, int] = {}
    try:
        chunks = _chunks(rows, batch_size, result, bar)
        for kept, checked in _validated(chunks, _workers(workers, total, batch_size)):
            batch: list[tuple[int, dict[str, Any], str]] = []
            for row, (doc, reason) in zip(kept, checked):
                if doc is None:
                    result.rejected.append(RejectedRow(row.line, str(reason), row.raw_text))
                    continue
                first = first_line.get(doc["id"])
                if first is not None:
                    result.rejected.append(RejectedRow(
                        row.line, f"duplicate of line {first} (same identity, expert id "
                                  f"{doc['id']})", row.raw_text))
                    continue
                first_line[doc["id"]] = row.line
                if registered_by:
                    doc["registeredBy"] = registered_by
                batch.append((row.line, doc, row.raw_text))
            writer.submit(batch)
    finally:
        try:
            writer.close()
        finally:
            if bar is not None:
                bar.close()
    result.rejected.sort(key=lambda r: r.line)
    result.seconds = time.perf_counter() - started
    log.info("import from %s: %s", source, result.summary())
    return result


def import_experts(
    db: Database,
    rows: Iterable[tuple[int, dict[str, Any]]],
    *,
    batch_size: int = 500,
    registered_by: str | None = None,
    progress: bool = False,
    total: int | None = None,
    source: str = "api",
    workers: int | None = None,
) -> ImportResult:
    """Import ``(line_number, profile_document)`` pairs; see the module docstring.

    ``registered_by`` (an account id) is stored on each written profile and recorded in the
    audit trail as the actor of the import. Returns the counts and the rejected rows.
    """
    parsed = (_Row(line, value, None, _raw_text(value)) for line, value in rows)
    return _import(db, parsed, batch_size=batch_size, registered_by=registered_by,
                   progress=progress, total=total, source=source, workers=workers)


# ---------------------------------------------------------------------------------------------
# Reading files
# ---------------------------------------------------------------------------------------------


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


def _count_lines(path: Path) -> int | None:
    if path.suffix.lower() == ".gz":
        return None
    count = 0
    with open(path, "rb") as f:
        while chunk := f.read(1 << 20):
            count += chunk.count(b"\n")
    return count


def _json_lines(stream: IO[bytes], first_line: int = 1) -> Iterator[_Row]:
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
            yield _Row(line, None, f"is longer than 1 MB ({size:,} bytes); split the record "
                                   "or shorten its texts", _clip(chunk[:400].decode(
                                       "utf-8", "replace")))
            continue
        try:
            text = chunk.decode("utf-8")
        except UnicodeDecodeError as exc:
            yield _Row(line, None, f"is not valid UTF-8 (bad byte at position {exc.start}); "
                                   "save the file as UTF-8",
                       _clip(chunk[:400].decode("utf-8", "replace")))
            continue
        text = text.lstrip(_BOM)
        if not text.strip():
            continue
        try:
            value = json.loads(text)
        except json.JSONDecodeError as exc:
            yield _Row(line, None, f"is not valid JSON: {exc.msg} at column {exc.colno}",
                       _clip(text))
            continue
        yield _Row(line, value, None, _clip(text))


def _json_document(path: Path) -> Iterator[_Row]:
    with _open_binary(path) as stream:
        data = stream.read()
    try:
        text = data.decode("utf-8").lstrip(_BOM)
    except UnicodeDecodeError as exc:
        yield _Row(data.count(b"\n", 0, exc.start) + 1, None,
                   f"is not valid UTF-8 (bad byte at offset {exc.start}); nothing was read",
                   "")
        return
    start = len(text) - len(text.lstrip())
    if text[start:start + 1] != "[":
        try:
            value = json.loads(text)
        except json.JSONDecodeError:
            # Not one document: most likely JSON Lines saved with a .json name.
            yield from _json_lines(io.BytesIO(data))
            return
        yield _Row(text.count("\n", 0, start) + 1, value, None, _raw_text(value))
        return
    decoder = json.JSONDecoder()
    pos, line, counted = start + 1, 1, 0
    while True:
        while pos < len(text) and text[pos] in " \t\r\n,":
            pos += 1
        if pos >= len(text):
            yield _Row(line, None, "the JSON array is not closed with ]", "")
            return
        if text[pos] == "]":
            return
        line += text.count("\n", counted, pos)
        counted = pos
        try:
            value, end = decoder.raw_decode(text, pos)
        except json.JSONDecodeError as exc:
            yield _Row(exc.lineno, None, f"is not valid JSON: {exc.msg} at column {exc.colno}; "
                                         "the rest of the file was not read",
                       _clip(text[pos:pos + 400]))
            return
        if len(text[pos:end].encode("utf-8")) > MAX_ROW_BYTES:
            yield _Row(line, None, "is longer than 1 MB; split the record or shorten its texts",
                       _clip(text[pos:pos + 400]))
        else:
            yield _Row(line, value, None, _clip(text[pos:min(end, pos + 400)]))
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


def _csv_rows(path: Path) -> Iterator[_Row]:
    with _open_binary(path) as binary:
        yield from _csv_stream(binary)


def _csv_stream(binary: IO[bytes]) -> Iterator[_Row]:
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
        yield _Row(1, None, problem, _clip(",".join(header)))
        return
    line = reader.line_num + 1
    while True:
        try:
            record = next(reader)
        except StopIteration:
            return
        except csv.Error as exc:
            yield _Row(line, None, f"is not valid CSV ({exc})", "")
            line = reader.line_num + 1
            continue
        text = _clip(",".join(record))
        here, line = line, reader.line_num + 1
        if not record or not any(cell.strip() for cell in record):
            continue
        if len(record) != len(header):
            yield _Row(here, None, f"has {len(record)} fields; the header has "
                                   f"{len(header)}", text)
            continue
        if sum(len(cell) for cell in record) > MAX_ROW_BYTES:
            yield _Row(here, None, "is longer than 1 MB; shorten its texts", text)
            continue
        yield _Row(here, _csv_profile(dict(zip(header, record))), None, text)


def _header_problem(header: list[str]) -> str | None:
    unknown = [h for h in header if h not in CSV_COLUMNS]
    if unknown:
        return (f"the header has unknown columns {', '.join(repr(u) for u in unknown)}; "
                f"known columns are {', '.join(sorted(CSV_COLUMNS))}; nothing was imported")
    repeated = sorted({h for h in header if header.count(h) > 1})
    if repeated:
        return f"the header repeats columns {', '.join(repeated)}; nothing was imported"
    if "fullName" not in header:
        return "the header has no fullName column; nothing was imported"
    return None


def read_rows(data: bytes, fmt: str) -> Iterator[tuple[int, Any, str | None]]:
    """The rows of an import held in memory (an upload through the API), read as the file
    formats are: ``(line, document, None)``, or ``(line, None, reason)`` for a row that cannot
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


def import_experts_file(
    db: Database,
    path: Path | str,
    *,
    fmt: str | None = None,
    progress: bool = False,
    batch_size: int = 500,
    registered_by: str | None = None,
    workers: int | None = None,
) -> ImportResult:
    """Import a JSON Lines, JSON or CSV file of profiles (format from the extension unless
    ``fmt`` says); see the module docstring for the formats and what is rejected."""
    path = Path(path)
    if not path.is_file():
        raise RegistryError(f"{path} is not a file")
    fmt = fmt or detect_format(path)
    if fmt == "jsonl":
        def rows() -> Iterator[_Row]:
            with _open_binary(path) as stream:
                yield from _json_lines(stream)
    elif fmt == "json":
        def rows() -> Iterator[_Row]:
            yield from _json_document(path)
    elif fmt == "csv":
        def rows() -> Iterator[_Row]:
            yield from _csv_rows(path)
    else:
        raise RegistryError(f"unknown import format {fmt!r}; use jsonl, json or csv")
    total = _count_lines(path) if fmt != "json" else None
    return _import(db, rows(), batch_size=batch_size, registered_by=registered_by,
                   progress=progress, total=total, source=path.name, workers=workers)
