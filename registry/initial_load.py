"""The offline initial load: a registry's first large import, written by ``neo4j-admin``.

The transactional import (``registry.importer``) writes ~36 graph elements per profile through
Cypher, about 5 ms of CPU each on this kind of machine. A registry's first load (an agency's or
a ministry's whole file of experts, say) can instead build the store directly: the rows are
read and validated exactly as an import does (same rejections, same line numbers, the first of
two rows naming one expert wins), the graph they make is written as CSV files
(``registry.csv_graph``), and ``neo4j-admin database import full`` builds a new store from them
and from everything already stored. Then the running store is swapped for the new one.

It is for the project's own Neo4j (``NEO4J_URI`` unset) and a registry with no experts yet;
afterwards every import goes through the transactional path. The graph it makes is the one the
transactional import makes from the same file: the same nodes, relationships and properties
(``tests/test_initial_load.py`` compares the two), except that every expert's ``createdAt`` and
``updatedAt`` is the load's time and one audit event records the whole load.

Two steps, so nothing is half-done:

* ``prepare`` checks the registry has no experts (nor works), reads what is stored (reference
  data, accounts, programmes, tasks, migrations: kept as they are), validates the file, writes
  the files and runs ``neo4j-admin`` into a staging folder beside the data. The server keeps
  serving meanwhile; a failure leaves it untouched.
* ``install`` checks nothing was stored meanwhile (the whole stored graph is fingerprinted
  before and after), stops the server, moves the new store in and the old one aside, starts the
  server, re-creates the constraints and indexes that were defined (and waits for them to be
  online: search works at once), sets what the CSV cells could not hold, checks the experts are
  all there, and records the audit event. Should any of that fail, the old store is moved back
  and the staging folder removed.

The check before the stop is made a moment before the server goes down; a write that lands in
that moment would not be in the new store. Run it while nothing else writes (the API is down
during the restart anyway): it is a set-up step, not a routine import.
"""

from __future__ import annotations

import logging
import pickle
import shutil
import tempfile
import time
import uuid
from dataclasses import dataclass, field
from datetime import UTC, datetime
from pathlib import Path
from typing import IO, Any

import neo4j.time

from registry import audit
from registry.csv_graph import CsvGraph, admin_import_options, apply_fixups
from registry.db import Database, run
from registry.errors import RegistryError
from registry.fingerprint import graph_fingerprint
from registry.importer import ImportResult, ValidRow, import_experts_file, settle
from registry.localdb.server import LocalNeo4j
from registry.profile_write import expert_row, subgraph_rows

__all__ = ["InitialLoad"]

log = logging.getLogger(__name__)

STORED = "Stored"  # the id space of the nodes already stored (keyed by element id)
_WORK_LABELS = {"publications": ("Publication", "AUTHORED"), "patents": ("Patent", "INVENTED"),
                "awards": ("Award", "RECEIVED"), "projects": ("Project", None)}
# The relationship properties the write statements of ``registry.profile_write`` set.
_SKILL_PROPS = ("level", "years", "source")
_LINK_PROPS = {"works_at": ("WORKS_AT", ("title", "from", "to", "position")),
               "studied_at": ("STUDIED_AT", ("degree", "field", "year", "position"))}
_ORG_PROPS = ("id", "name", "nameFolded", "country", "city", "kind")

_COUNT_OWNED = """
CALL { MATCH (e:Expert) RETURN count(e) AS experts }
CALL { MATCH (w) WHERE w:Publication OR w:Patent OR w:Project OR w:Award RETURN count(w) AS works }
RETURN experts, works
"""
_NODES = "MATCH (n) RETURN elementId(n) AS eid, labels(n) AS labels, properties(n) AS props"
_RELATIONSHIPS = """
MATCH (a)-[r]->(b)
RETURN type(r) AS type, elementId(a) AS a, elementId(b) AS b, properties(r) AS props
"""
_CONSTRAINTS = "SHOW CONSTRAINTS YIELD createStatement RETURN createStatement AS statement"
# Lookup indexes are made by the import itself; constraints bring their own indexes.
_INDEXES = """
SHOW INDEXES YIELD type, owningConstraint, createStatement
WHERE type <> 'LOOKUP' AND owningConstraint IS NULL
RETURN createStatement AS statement
"""
_COUNT_EXPERTS = "MATCH (e:Expert) RETURN count(e) AS n"


@dataclass
class _Sink:
    """Receives the valid rows of the file (``registry.importer.RowSink``) and writes the
    graph they make, as ``write_profiles`` would write them in file order."""

    graph: CsvGraph
    result: ImportResult
    refs: dict[str, dict[str, str]]  # label -> stored id -> element id
    registered_by: str | None
    now: neo4j.time.DateTime
    # Every row's version of a work goes to a spool file; the last row's wins, as it does in
    # the database (only the index of each work's last version is kept in memory).
    last_version: dict[tuple[str, str], int] = field(default_factory=dict)
    spool: IO[bytes] = field(init=False)
    areas: dict[str, list[str]] = field(default_factory=dict)
    new_orgs: set[str] = field(default_factory=set)
    _spooled: int = 0

    def __post_init__(self) -> None:
        self.spool = tempfile.TemporaryFile(dir=self.graph.folder)  # noqa: SIM115  (see close)

    def _stored(self, label: str, key: str, what: str) -> tuple[str, str]:
        eid = self.refs.get(label, {}).get(key)
        if eid is None:
            raise RegistryError(f"{what} {key} is not in the registry's reference data; run "
                                "`chuyengia db migrate` and load again")
        return STORED, eid

    def _org(self, key: str) -> tuple[str, str]:
        eid = self.refs["Organization"].get(key)
        return (STORED, eid) if eid is not None else ("Organization", key)

    def submit(self, batch: list[ValidRow]) -> None:
        docs = [settle(item, None, self.registered_by) for item in batch]
        g = self.graph
        for item, doc in zip(batch, docs, strict=True):
            row = expert_row(doc)
            g.node("Expert", doc["id"], ("Expert",), {
                **row["props"], "id": doc["id"], "createdAt": self.now, "updatedAt": self.now,
                "version": 1})
            self.result.outcomes[item.line] = (doc["id"], "CREATED")
        self.result.created += len(docs)
        rows = subgraph_rows(docs)
        for r in rows["skills"]:
            g.relationship("HAS_SKILL", ("Expert", r["expert"]),
                           self._stored("Skill", r["skill"], "skill"),
                           {k: r.get(k) for k in _SKILL_PROPS})
        for r in rows["orgs"]:  # created by the first row naming them (MERGE ... ON CREATE)
            if r["id"] not in self.refs["Organization"] and r["id"] not in self.new_orgs:
                self.new_orgs.add(r["id"])
                g.node("Organization", r["id"], ("Organization",),
                       {**{k: r.get(k) for k in _ORG_PROPS}, "source": "PROFILE"})
        for param, (rel_type, keys) in _LINK_PROPS.items():
            for r in rows[param]:
                g.relationship(rel_type, ("Expert", r["expert"]), self._org(r["org"]),
                               {k: r.get(k) for k in keys})
        for param, (label, rel_type) in _WORK_LABELS.items():
            for r in rows[param]:
                work_id = r["props"]["id"]
                self.last_version[(label, work_id)] = self._spooled
                pickle.dump((label, work_id, r["props"]), self.spool, pickle.HIGHEST_PROTOCOL)
                self._spooled += 1
                if rel_type is None:  # a project: led or contributed to, in a role
                    g.relationship("LED" if r["led"] else "CONTRIBUTED", ("Expert", r["expert"]),
                                   (label, work_id), {"role": r["role"], "position": r["position"]})
                else:
                    g.relationship(rel_type, ("Expert", r["expert"]), (label, work_id),
                                   {"position": r["position"]})
        self.areas.update((r["id"], r["areas"]) for r in rows["project_areas"])

    def close(self) -> None:
        g = self.graph
        self.spool.seek(0)
        with self.spool:
            for i in range(self._spooled):
                label, key, props = pickle.load(self.spool)
                if self.last_version[(label, key)] == i:
                    g.node(label, key, (label,), props)
        for project, areas in self.areas.items():
            for area in areas:
                g.relationship("IN_AREA", ("Project", project),
                               self._stored("TechArea", area, "technology area"), {})
        g.close()


@dataclass
class InitialLoad:
    """One initial load into the local server behind ``db``; see the module docstring."""

    db: Database
    server: LocalNeo4j
    database: str = "neo4j"
    registered_by: str | None = None
    stage: Path = field(init=False)
    result: ImportResult | None = field(default=None, init=False)
    _graph: CsvGraph | None = field(default=None, init=False)
    _before: dict[str, Any] | None = field(default=None, init=False)
    _schema: list[str] = field(default_factory=list, init=False)
    _started: float = field(default=0.0, init=False)
    source: str = field(default="", init=False)
    timings: dict[str, float] = field(default_factory=dict, init=False)

    def __post_init__(self) -> None:
        self.stage = self.server.data_dir / "initial-load"

    def phases(self) -> str:
        """How long each phase took so far, as one line."""
        return ", ".join(f"{name} {seconds:.1f} s" for name, seconds in self.timings.items())

    # -- prepare ---------------------------------------------------------------------------
    def prepare(self, path: Path | str, *, fmt: str | None = None, progress: bool = False,
                workers: int | None = None) -> ImportResult:
        """Validate the file and build the new store in the staging folder (see the module
        docstring); returns the rows' outcomes and rejections. The registry is not changed."""
        self._started = time.perf_counter()
        self.source = Path(path).name
        counts = self.db.query(_COUNT_OWNED)[0]
        if counts["experts"] or counts["works"]:
            raise RegistryError(
                f"an initial load needs a registry without experts; this one has "
                f"{counts['experts']} experts and {counts['works']} publications, patents, "
                "projects or awards: use `chuyengia import experts FILE`")
        shutil.rmtree(self.stage, ignore_errors=True)
        self.stage.mkdir(parents=True)
        try:
            return self._prepare(Path(path), fmt, progress, workers)
        except BaseException:
            self.discard()
            raise

    def _prepare(self, path: Path, fmt: str | None, progress: bool, workers: int | None
                 ) -> ImportResult:
        self._before = graph_fingerprint(self.db)
        graph = self._graph = CsvGraph(self.stage / "csv")
        refs = self._write_stored(graph)
        now = neo4j.time.DateTime.from_native(datetime.now(UTC))

        def sink(result: ImportResult) -> _Sink:
            return _Sink(graph, result, refs, self.registered_by, now)

        mark = time.perf_counter()
        result = import_experts_file(self.db, path, fmt=fmt, progress=progress,
                                     registered_by=self.registered_by, workers=workers, sink=sink)
        self.timings["validate_and_write_csv"] = time.perf_counter() - mark
        mark = time.perf_counter()
        self.server.admin(self.stage / "home", [
            "database", "import", "full", *admin_import_options(), *graph.arguments(),
            f"--report-file={self.stage / 'import.report'}", "--overwrite-destination",
            self.database], self.stage / "neo4j-admin.log")
        self.timings["neo4j_admin_import"] = time.perf_counter() - mark
        self.result = result
        return result

    def _write_stored(self, graph: CsvGraph) -> dict[str, dict[str, str]]:
        """Everything stored goes into the new store as it is; returns the element ids of the
        nodes new profiles link to, by label and id."""
        refs: dict[str, dict[str, str]] = {"Skill": {}, "TechArea": {}, "Organization": {}}

        def work(tx: Any) -> tuple[list[Any], list[Any], list[str]]:
            # Read whole, then written: the driver may run this again.
            nodes = [(r["eid"], r["labels"], r["props"]) for r in tx.run(_NODES)]
            rels = [(r["type"], r["a"], r["b"], r["props"]) for r in tx.run(_RELATIONSHIPS)]
            schema = [r["statement"] for r in tx.run(_CONSTRAINTS)]
            return nodes, rels, schema + [r["statement"] for r in tx.run(_INDEXES)]

        nodes, rels, self._schema = self.db.read(work)
        for eid, labels, props in nodes:
            graph.node(STORED, eid, labels, props)
            for label in labels:
                if label in refs and props.get("id") is not None:
                    refs[label][props["id"]] = eid
        for rel_type, a, b, props in rels:
            graph.relationship(rel_type, (STORED, a), (STORED, b), props)
        return refs

    def discard(self) -> None:
        """Remove the staging folder (the registry is not changed)."""
        if self._graph is not None:
            self._graph.close()
        shutil.rmtree(self.stage, ignore_errors=True)

    # -- install ---------------------------------------------------------------------------
    def install(self, *, index_timeout: float = 3600.0) -> ImportResult:
        """Swap the prepared store in (see the module docstring); returns the load's result."""
        if self.result is None or self._graph is None:
            raise RegistryError("nothing prepared: call prepare() first")
        if graph_fingerprint(self.db) != self._before:
            self.discard()
            raise RegistryError("the registry changed while the initial load was being "
                                "prepared; nothing was loaded: run it again")
        mark = time.perf_counter()
        previous = self.stage / "previous"
        self.server.stop()
        try:
            self._swap(self.stage / "home", previous)
            self.server.start()
            self._finish(index_timeout)
        except BaseException:
            log.exception("initial load: the new store did not come up; restoring the old one")
            self.server.stop()
            self._restore(previous)
            self.discard()
            self.server.start()
            raise
        finally:
            self.timings["install"] = time.perf_counter() - mark
        self.discard()
        self.result.seconds = time.perf_counter() - self._started
        log.info("initial load: %s", self.result.summary())
        return self.result

    def _pairs(self, other: Path) -> list[tuple[Path, Path]]:
        """(live folder, the same folder under ``other``) for each folder of the store."""
        return list(zip(self.server.store_dirs(self.database),
                        self.server.store_dirs(self.database, other), strict=True))

    def _swap(self, source: Path, aside: Path) -> None:
        """Move the (stopped) server's store to ``aside`` and the store under ``source`` in."""
        for live, new in self._pairs(source):
            keep = aside / live.relative_to(self.server.home)
            if live.exists():
                keep.parent.mkdir(parents=True, exist_ok=True)
                shutil.move(live, keep)
            live.parent.mkdir(parents=True, exist_ok=True)
            shutil.move(new, live)

    def _restore(self, aside: Path) -> None:
        """Undo ``_swap``: every folder moved aside goes back in place of what replaced it."""
        for live, _ in self._pairs(self.stage):
            keep = aside / live.relative_to(self.server.home)
            if keep.exists():
                shutil.rmtree(live, ignore_errors=True)
                shutil.move(keep, live)

    def _finish(self, index_timeout: float) -> None:
        for statement in self._schema:
            self.db.write(lambda tx, s=statement: run(tx, s))
        self.db.query("CALL db.awaitIndexes($timeout)", timeout=int(index_timeout))
        assert self._graph is not None and self.result is not None
        apply_fixups(self.db, self._graph)
        stored = self.db.query(_COUNT_EXPERTS)[0]["n"]
        if stored != self.result.created:
            raise RegistryError(f"the new store holds {stored} experts, not the "
                                f"{self.result.created} loaded")
        audit.record(self.db, actor_id=self.registered_by, action=audit.AuditAction.IMPORT,
                     subject_kind="Import", subject_id=str(uuid.uuid4()),
                     detail={"source": f"initial load of {self.source}"[-200:],
                             "created": self.result.created, "updated": 0})

