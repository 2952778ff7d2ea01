"""Bulk import of expert profiles: JSON Lines, JSON and CSV files, checked row by row.

Every row goes through ``validate_profile``; a bad row is reported with its line number and
every invalid field (``line 7: skills.2.level: must be between 1 and 5 (got 9)``) and the
valid rows are written in batches, one transaction per batch, through the same
``write_profiles`` path as the API and the demo seed, so no profile is ever half-written. A row
whose content equals what is stored (same content hash) is skipped as *unchanged*: importing a
file twice changes nothing, versions included. When two rows of one file carry the same
identity (id, ORCID, external key or e-mail), the first wins and the later one is rejected as
a duplicate of the first. An import made for an HR agency (``agency``) may only create
profiles and change the ones that agency registered and no expert has claimed; the rows for
other existing profiles are rejected (``registry.ownership``, checked in the writing
transaction). Checking overlaps with writing: a writer thread commits one batch
while the next is validated, in worker processes for a large import on a machine with cores
to spare (validation is pure Python and CPU-bound).

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
from collections.abc import Iterable, Iterator
from concurrent.futures import Future, ProcessPoolExecutor
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from neo4j import ManagedTransaction

from registry import audit
from registry.db import Database
from registry.errors import Code, FieldError, RegistryError, ValidationError
from registry.experts import existing_hashes, write_profiles
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
from registry.ownership import identity_path, import_refusals
from registry.profile import content_hash, validate_profile

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
    refused: dict[str, tuple[Code, str]] = field(default_factory=dict)  # id -> code, reason


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
        self.queue: queue.Queue[list[tuple[int, dict[str, Any], Row]] | None] = \
            queue.Queue(maxsize=2)
        self.thread = threading.Thread(target=self._loop, name="chuyengia-import-writer",
                                       daemon=True)
        self.thread.start()

    def submit(self, batch: list[tuple[int, dict[str, Any], Row]]) -> None:
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
        if self.agency is not None:
            counts.refused = import_refusals(tx, [d["id"] for d in docs],
                                             account_id=self.agency)
            docs = [d for d in docs if d["id"] not in counts.refused]
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

    def _write(self, batch: list[tuple[int, dict[str, Any], Row]]) -> None:
        try:
            counts = self.db.write(self._work, [doc for _, doc, _ in batch])
        except ValidationError:
            # A constraint the documents cannot see (an ORCID another expert holds): find
            # the rows at fault one by one, keep the others.
            counts = _Counts()
            for line, doc, row in batch:
                try:
                    one = self.db.write(self._work, [doc])
                except ValidationError as exc:
                    with self.lock:
                        self.result.rejected.append(
                            RejectedRow(line, tuple(exc.errors), _text(row)))
                    continue
                counts.created += one.created
                counts.updated += one.updated
                counts.unchanged += one.unchanged
                counts.refused.update(one.refused)
        with self.lock:
            for line, doc, row in batch:
                if doc["id"] in counts.refused:
                    code, reason = counts.refused[doc["id"]]
                    self.result.rejected.append(RejectedRow(line, (FieldError(
                        identity_path(row.value), code, reason, {"value": doc["id"]}),),
                        _text(row)))
            self.result.created += counts.created
            self.result.updated += counts.updated
            self.result.unchanged += counts.unchanged


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


def _validated(chunks: Iterator[tuple[list[Row], list[dict[str, Any]]]], workers: int
               ) -> Iterator[tuple[list[Row], list[_Checked]]]:
    """Validation results chunk by chunk, in order; in worker processes when ``workers``."""
    if workers < 1:
        for kept, raws in chunks:
            yield kept, _validate_many(raws)
        return
    # Validation is pure Python and CPU-bound: processes, not threads. "spawn", because the
    # parent runs driver and writer threads that a fork would copy in an unknown state.
    with ProcessPoolExecutor(max_workers=workers,
                             mp_context=multiprocessing.get_context("spawn")) as pool:
        pending: deque[tuple[list[Row], Future[Any]]] = deque()
        for kept, raws in chunks:
            pending.append((kept, pool.submit(_validate_many, raws)))
            if len(pending) > 2 * workers:
                kept0, future = pending.popleft()
                yield kept0, future.result()
        while pending:
            kept0, future = pending.popleft()
            yield kept0, future.result()


def _workers(requested: int | None, total: int | None, batch_size: int) -> int:
    """Validation processes: as asked, else one per spare core for a large import, else none
    (starting processes costs more than it saves on a few batches)."""
    if requested is not None:
        return max(0, requested)
    if total is None or total <= 4 * batch_size:
        return 0
    return max(0, min(8, (os.cpu_count() or 1) - 1))


def _import(db: Database, rows: Iterable[Row], *, batch_size: int, registered_by: str | None,
            progress: bool, total: int | None, source: str, workers: int | None,
            agency: str | None = None) -> ImportResult:
    if batch_size < 1:
        raise ValueError("batch_size must be at least 1")
    started = time.perf_counter()
    result = ImportResult()
    bar = None
    if progress:
        from tqdm import tqdm

        bar = tqdm(total=total, unit=" rows", desc="import", smoothing=0.1, mininterval=0.5)
    writer = _Writer(db, result, registered_by=registered_by, agency=agency, source=source)
    first_line: dict[str, int] = {}
    validated = _validated(_chunks(rows, batch_size, result, bar),
                           _workers(workers, total, batch_size))
    try:
        for kept, checked in validated:
            batch: list[tuple[int, dict[str, Any], Row]] = []
            for row, (doc, errors) in zip(kept, checked):
                if doc is None:
                    result.rejected.append(RejectedRow(row.line, errors, _text(row)))
                    continue
                first = first_line.get(doc["id"])
                if first is not None:
                    result.rejected.append(RejectedRow(row.line, (FieldError(
                        "", Code.DUPLICATE_ROW, f"duplicate of line {first} (same identity, "
                        f"expert id {doc['id']})", {"line": first, "value": doc["id"]}),),
                        _text(row)))
                    continue
                first_line[doc["id"]] = row.line
                if registered_by:
                    doc["registeredBy"] = registered_by
                batch.append((row.line, doc, row))
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
    rows for existing profiles that agency did not register, or that their expert claimed, are
    rejected. Returns the counts and the rejected rows.
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
) -> ImportResult:
    """Import a JSON Lines, JSON or CSV file of profiles (format from the extension unless
    ``fmt`` says); see the module docstring for the formats and what is rejected."""
    path = Path(path)
    if not path.is_file():
        raise RegistryError(f"{path} is not a file")
    fmt = fmt or detect_format(path)
    if fmt not in ("jsonl", "json", "csv"):
        raise RegistryError(f"unknown import format {fmt!r}; use jsonl, json or csv")
    total = count_lines(path) if fmt != "json" else None
    return _import(db, file_rows(path, fmt), batch_size=batch_size, registered_by=registered_by,
                   progress=progress, total=total, source=path.name, workers=workers)
