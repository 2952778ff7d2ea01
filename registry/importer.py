"""Bulk import of expert profiles: JSON Lines, JSON and CSV files, checked row by row.

Every row goes through ``validate_profile``; a bad row is reported with its line number and
every invalid field (``line 7: skills.2.level: must be between 1 and 5 (got 9)``) and the
valid rows are written in batches, one transaction per batch, through the same
``write_profiles`` path as the API and the demo seed, so no profile is ever half-written. A row
whose content equals what is stored (same content hash) is skipped as *unchanged*: importing a
file twice changes nothing, versions included.

A row updates the stored expert that any of its identifiers (id, ORCID iD, external key,
e-mail) names, so a record first imported by e-mail and again with an ORCID iD added stays
one expert; a row whose identifiers name different experts is rejected as a conflict
(``registry.identity``). When two rows of one import are the same expert (a shared identifier,
or both naming one stored expert), the first wins and the later one is rejected as a
duplicate of the first. Fields an import does not own (``verified``, ``registeredBy``) keep
their stored value unless the row sets them, and account links are never touched. The counts
are what the database did: of two overlapping imports of one new expert, one reports it
created.

An import made for an HR agency (``agency``) may only create profiles and change the ones that
agency registered and no expert has claimed: the rows that reach any other stored profile, by
whichever identifier, are rejected (``registry.ownership``, checked under lock in the writing
transaction, on the experts the identity resolution found).

Checking overlaps with writing: a writer thread commits one batch while the next is
validated, in worker processes for a large import on a machine with cores to spare
(validation is pure Python and CPU-bound).

The file formats (JSON Lines, JSON, CSV and its columns) are described in
``registry.import_formats``.
"""

from __future__ import annotations

import logging
import multiprocessing
import os
import queue
import threading
import time
import uuid
from collections import deque
from collections.abc import Callable, Iterable, Iterator
from concurrent.futures import Future, ProcessPoolExecutor
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any, Protocol

from neo4j import ManagedTransaction

from registry import audit, identity
from registry.db import Database
from registry.errors import Code, FieldError, RegistryError, ValidationError
from registry.import_formats import (
    CSV_COLUMNS,
    MAX_ROW_BYTES,
    Row,
    count_lines,
    detect_format,
    file_rows,
    raw_text,
    read_rows,
)
from registry.ownership import import_refusals
from registry.profile import content_hash, validate_profile
from registry.profile_write import write_profiles

__all__ = [
    "CSV_COLUMNS",
    "MAX_ROW_BYTES",
    "ImportResult",
    "RejectedRow",
    "detect_format",
    "import_experts",
    "import_experts_file",
    "read_rows",
]

log = logging.getLogger(__name__)

# Keys of an export record that are not part of the profile document.
_RECORD_ONLY = ("kind", "meta", "links")


@dataclass(frozen=True)
class RejectedRow:
    """A row that was not imported: its line in the file, why (each problem with its path,
    ``""`` for the row as a whole, and code), and the start of its text."""

    line: int
    errors: tuple[FieldError, ...]
    raw_text: str

    @property
    def reason(self) -> str:
        """Every problem in English, ``path: reason`` joined by ``; ``."""
        return "; ".join(str(e) for e in self.errors)

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
    # line -> (expert id, "CREATED" | "UPDATED" | "UNCHANGED") for every row written or skipped
    outcomes: dict[int, tuple[str, str]] = field(default_factory=dict)

    @property
    def accepted(self) -> int:
        return self.created + self.updated + self.unchanged

    def summary(self) -> str:
        rate = f", {self.accepted / self.seconds:,.0f} profiles/s" if self.seconds > 0 else ""
        ignored = f", {self.ignored} other records ignored" if self.ignored else ""
        return (f"{self.created} created, {self.updated} updated, {self.unchanged} unchanged, "
                f"{len(self.rejected)} rejected{ignored} in {self.seconds:.1f} s{rate}")


def _text(row: Row) -> str:
    return row.raw_text or (raw_text(row.value) if row.value is not None else "")


# ---------------------------------------------------------------------------------------------
# Writing: batches, one transaction each, on a thread of their own
# ---------------------------------------------------------------------------------------------


@dataclass
class _Counts:
    created: int = 0
    updated: int = 0
    unchanged: int = 0
    rejected: list[RejectedRow] = field(default_factory=list)
    experts: dict[str, int] = field(default_factory=dict)  # expert id -> line, once written
    outcomes: dict[int, tuple[str, str]] = field(default_factory=dict)

    def add(self, other: _Counts) -> None:
        self.created += other.created
        self.updated += other.updated
        self.unchanged += other.unchanged
        self.rejected += other.rejected
        self.experts.update(other.experts)
        self.outcomes.update(other.outcomes)


@dataclass(frozen=True)
class ValidRow:
    """A valid row on its way to the database."""

    line: int
    doc: dict[str, Any]
    row: Row
    explicit_id: bool  # the row gave its id (else it was derived from the identifiers)
    given: frozenset[str]  # which of the fields the import does not own the row sets


# Fields an import row does not own: kept as stored unless the row sets them (an export
# being restored does). ``registeredBy`` of an importing account applies to new profiles.
_NOT_OWNED = ("verified", "registeredBy")


def settle(item: ValidRow, stored: dict[str, Any] | None, registered_by: str | None
           ) -> dict[str, Any]:
    """The document to write for a valid row: the stored expert's id, and the fields the
    import does not own as stored (or as the row sets them); ``stored`` is None for a new one."""
    doc = dict(item.doc)
    if stored is None:
        doc["verified"] = bool(doc.get("verified")) if "verified" in item.given else False
        if registered_by:
            doc["registeredBy"] = registered_by
        return doc
    doc["id"] = stored["id"]
    for key in _NOT_OWNED:
        if key not in item.given or (key == "registeredBy" and registered_by):
            doc[key] = stored.get(key)
    doc["verified"] = bool(doc.get("verified"))
    return doc


class _Writer:
    """Writes batches on a background thread while the caller validates the next one.

    The queue holds at most two batches, so a slow database slows the reader down instead of
    filling memory. The first error stops the writer and is raised in the caller's thread.
    """

    def __init__(self, db: Database, result: ImportResult, *, registered_by: str | None,
                 agency: str | None, source: str):
        self.db = db
        self.result = result
        self.registered_by = registered_by
        self.agency = agency
        self.source = source
        self.run_id = str(uuid.uuid4())
        self.error: BaseException | None = None
        self.lock = threading.Lock()
        self.written: dict[str, int] = {}  # expert id -> line of the row that wrote it
        self.queue: queue.Queue[list[ValidRow] | None] = queue.Queue(maxsize=2)
        self.thread = threading.Thread(target=self._loop, name="chuyengia-import-writer",
                                       daemon=True)
        self.thread.start()

    def submit(self, batch: list[ValidRow]) -> None:
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

    def _work(self, tx: ManagedTransaction, items: list[ValidRow]) -> _Counts:
        # Runs again when the driver retries: it reads, decides and returns, and changes no
        # state of the writer.
        counts = _Counts()
        docs = [it.doc for it in items]
        identity.hold(tx, docs)
        found = identity.resolve(tx, docs, [it.explicit_id for it in items])
        refused = self._refusals(tx, found)
        changed: list[dict[str, Any]] = []
        lines: dict[str, int] = {}
        for item, who in zip(items, found, strict=True):
            if who.conflict is not None:
                counts.rejected.append(RejectedRow(item.line, (who.conflict,), _text(item.row)))
                continue
            doc = settle(item, who.stored, self.registered_by)
            first = lines.get(doc["id"]) or self.written.get(doc["id"])
            if first is not None:
                counts.rejected.append(RejectedRow(item.line, (FieldError(
                    "", Code.DUPLICATE_ROW, f"duplicate of line {first} (both are expert "
                    f"{doc['id']})", {"line": first, "value": doc["id"]}),), _text(item.row)))
                continue
            if doc["id"] in refused:
                code, reason = refused[doc["id"]]
                path = identity.matched_by(item.doc, item.explicit_id, who.stored or {})
                counts.rejected.append(RejectedRow(item.line, (FieldError(
                    path, code, reason, {"value": doc["id"]}),), _text(item.row)))
                continue
            lines[doc["id"]] = item.line
            if who.stored is not None and who.stored.get("contentHash") == content_hash(doc):
                counts.unchanged += 1
                continue
            changed.append(doc)
        counts.experts = lines
        written = write_profiles(tx, changed, skip_unchanged=True)
        counts.created = sum(written.values())
        counts.updated = len(written) - counts.created
        counts.unchanged += len(changed) - len(written)
        counts.outcomes = {
            line: (eid, "UNCHANGED" if eid not in written else
                   "CREATED" if written[eid] else "UPDATED") for eid, line in lines.items()}
        if written:
            audit.record(tx, actor_id=self.registered_by, action=audit.AuditAction.IMPORT,
                         subject_kind="Import", subject_id=self.run_id,
                         detail={"source": self.source[-200:], "created": counts.created,
                                 "updated": counts.updated})
        return counts

    def _refusals(self, tx: ManagedTransaction, found: list[identity.Identified]
                  ) -> dict[str, tuple[Code, str]]:
        """For an agency's import: the stored experts the rows reach that it may not change."""
        ids = sorted({who.stored["id"] for who in found if who.stored and who.conflict is None})
        if self.agency is None or not ids:
            return {}
        return import_refusals(tx, ids, account_id=self.agency)

    def _write(self, batch: list[ValidRow]) -> None:
        try:
            counts = self.db.write(self._work, batch)
        except ValidationError:
            # A constraint the documents cannot see (an ORCID iD another expert took since
            # the batch was read): find the rows at fault one by one, keep the others.
            counts = _Counts()
            for item in batch:
                try:
                    one = self.db.write(self._work, [item])
                except ValidationError as exc:
                    counts.rejected.append(
                        RejectedRow(item.line, tuple(exc.errors), _text(item.row)))
                    continue
                self.written.update(one.experts)
                counts.add(one)
        with self.lock:
            self.written.update(counts.experts)
            self.result.created += counts.created
            self.result.updated += counts.updated
            self.result.unchanged += counts.unchanged
            self.result.rejected += counts.rejected
            self.result.outcomes.update(counts.outcomes)


# ---------------------------------------------------------------------------------------------
# The import loop
# ---------------------------------------------------------------------------------------------


_Checked = tuple[dict[str, Any] | None, tuple[FieldError, ...]]


def _validate_many(raws: list[dict[str, Any]]) -> list[_Checked]:
    """Validate profile documents: (document, ()) or (None, errors) each. Module-level, so
    worker processes can run it."""
    out: list[_Checked] = []
    for raw in raws:
        try:
            out.append((validate_profile(raw), ()))
        except ValidationError as exc:
            out.append((None, tuple(exc.errors)))
    return out


def _candidate(row: Row, result: ImportResult) -> dict[str, Any] | None:
    """The row's profile document to validate, or None after recording why it is left out."""
    if row.error is not None:
        result.rejected.append(RejectedRow(row.line, (row.error,), _text(row)))
        return None
    raw = row.value
    if not isinstance(raw, dict):
        result.rejected.append(RejectedRow(row.line, (FieldError(
            "", Code.NOT_OBJECT,
            f"must be a JSON object of profile fields (got {type(raw).__name__})"),),
            _text(row)))
        return None
    if "kind" in raw:
        if raw["kind"] != "expert":
            result.ignored += 1
            return None
        raw = {k: v for k, v in raw.items() if k not in _RECORD_ONLY}
    return raw


def _chunks(rows: Iterable[Row], size: int, result: ImportResult, bar: Any
            ) -> Iterator[tuple[list[Row], list[dict[str, Any]]]]:
    """Rows in file order, ``size`` candidates at a time, with the documents to validate."""
    kept: list[Row] = []
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


_Chunk = tuple[list[Row], list[dict[str, Any]]]


def _validated(chunks: Iterator[_Chunk], workers: int
               ) -> Iterator[tuple[list[Row], list[dict[str, Any]], list[_Checked]]]:
    """Validation results chunk by chunk, in order; in worker processes when ``workers``."""
    if workers < 1:
        for kept, raws in chunks:
            yield kept, raws, _validate_many(raws)
        return
    # Validation is pure Python and CPU-bound: processes, not threads. "spawn", because the
    # parent runs driver and writer threads that a fork would copy in an unknown state.
    with ProcessPoolExecutor(max_workers=workers,
                             mp_context=multiprocessing.get_context("spawn")) as pool:
        pending: deque[tuple[list[Row], list[dict[str, Any]], Future[Any]]] = deque()
        for kept, raws in chunks:
            pending.append((kept, raws, pool.submit(_validate_many, raws)))
            if len(pending) > 2 * workers:
                kept0, raws0, future = pending.popleft()
                yield kept0, raws0, future.result()
        while pending:
            kept0, raws0, future = pending.popleft()
            yield kept0, raws0, future.result()


def _workers(requested: int | None, total: int | None, batch_size: int) -> int:
    """Validation processes: as asked, else one per spare core for a large import, else none
    (starting processes costs more than it saves on a few batches)."""
    if requested is not None:
        return max(0, requested)
    if total is None or total <= 4 * batch_size:
        return 0
    return max(0, min(8, (os.cpu_count() or 1) - 1))


class RowSink(Protocol):
    """Where the valid rows of an import go, a batch at a time in file order: the database
    (``_Writer``) or the files of an offline initial load (``registry.initial_load``)."""

    def submit(self, batch: list[ValidRow]) -> None: ...

    def close(self) -> None: ...


def _import(db: Database, rows: Iterable[Row], *, batch_size: int, registered_by: str | None,
            progress: bool, total: int | None, source: str, workers: int | None,
            agency: str | None = None,
            sink: Callable[[ImportResult], RowSink] | None = None) -> ImportResult:
    if batch_size < 1:
        raise ValueError("batch_size must be at least 1")
    started = time.perf_counter()
    result = ImportResult()
    bar = None
    if progress:
        from tqdm import tqdm

        bar = tqdm(total=total, unit=" rows", desc="import", smoothing=0.1, mininterval=0.5)
    writer = (sink(result) if sink is not None else
              _Writer(db, result, registered_by=registered_by, agency=agency, source=source))
    first_line: dict[tuple[str, str], tuple[int, str]] = {}  # identifier -> line, expert id
    validated = _validated(_chunks(rows, batch_size, result, bar),
                           _workers(workers, total, batch_size))
    try:
        for kept, raws, checked in validated:
            batch: list[ValidRow] = []
            for row, raw, (doc, errors) in zip(kept, raws, checked, strict=True):
                if doc is None:
                    result.rejected.append(RejectedRow(row.line, errors, _text(row)))
                    continue
                ids = identity.keys(doc)
                same = next((key for key in ids if key in first_line), None)
                if same is not None:
                    what = (f"expert id {doc['id']}" if same[0] == "id"
                            else f"{identity.label(same[0])} {same[1]}")
                    first, first_id = first_line[same]
                    result.rejected.append(RejectedRow(row.line, (FieldError(
                        "", Code.DUPLICATE_ROW, f"duplicate of line {first} (same identity, "
                        f"{what})", {"line": first, "value": first_id}),), _text(row)))
                    continue
                first_line.update((key, (row.line, doc["id"])) for key in ids)
                batch.append(ValidRow(row.line, doc, row, explicit_id=raw.get("id") is not None,
                                   given=frozenset(k for k in _NOT_OWNED
                                                   if raw.get(k) is not None)))
            writer.submit(batch)
    finally:
        try:
            validated.close()  # stops the validation processes, if any
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
    agency: str | None = None,
) -> ImportResult:
    """Import ``(line_number, profile_document)`` pairs; see the module docstring.

    ``registered_by`` (an account id) is stored on each written profile and recorded in the
    audit trail as the actor of the import. With ``agency`` (an HR agency's account id) the
    rows that reach existing profiles that agency did not register, or that their expert
    claimed, are rejected. Returns the counts and the rejected rows.
    """
    if total is None and isinstance(rows, list | tuple):
        total = len(rows)
    # The text of a row is only needed when it is rejected (see _text).
    parsed = (Row(line, value, None, "") for line, value in rows)
    return _import(db, parsed, batch_size=batch_size, registered_by=registered_by,
                   progress=progress, total=total, source=source, workers=workers,
                   agency=agency)


def import_experts_file(
    db: Database,
    path: Path | str,
    *,
    fmt: str | None = None,
    progress: bool = False,
    batch_size: int = 500,
    registered_by: str | None = None,
    workers: int | None = None,
    sink: Callable[[ImportResult], RowSink] | None = None,
) -> ImportResult:
    """Import a JSON Lines, JSON or CSV file of profiles (format from the extension unless
    ``fmt`` says); see the module docstring for the formats and what is rejected. ``sink``
    makes the place the valid rows go to (the database by default) for the result."""
    path = Path(path)
    if not path.is_file():
        raise RegistryError(f"{path} is not a file")
    fmt = fmt or detect_format(path)
    if fmt not in ("jsonl", "json", "csv"):
        raise RegistryError(f"unknown import format {fmt!r}; use jsonl, json or csv")
    total = count_lines(path) if fmt != "json" else None
    return _import(db, file_rows(path, fmt), batch_size=batch_size, registered_by=registered_by,
                   progress=progress, total=total, source=path.name, workers=workers, sink=sink)
