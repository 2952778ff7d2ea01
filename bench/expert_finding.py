"""DBLP expert finding through the registry and the real matcher (``chuyengia bench expert-finding``).

    chuyengia bench expert-finding --data DIR --queries FILE --run OUT [--qrels FILE]
                                   [--protocol strict|original] [--port N]
    chuyengia bench score --qrels FILE --run FILE

Unlike ``bench.expert_finding_offline`` (which feeds the benchmark files straight to the
evidence ranker), this goes the way a user's request goes:

1. A Neo4j of the benchmark's own (``bench.support.bench_server``: ``var/bench-expert-finding``,
   port 7692 unless ``--port``; never the demo, test or user data) is wiped and migrated.
2. Every candidate becomes an expert with a minimal valid profile, written through the
   registry's own write path (``registry.profile.validate_profile`` then
   ``registry.experts.write_profiles``: batched ``UNWIND`` statements). Their documents are
   their publications (``AUTHORED``; shared by co-authors) and citations become ``CITES``
   between publications. The benchmark gives a document's title and abstract as one string:
   the publication's title is its first words (at most :data:`TITLE_CHARS` characters, cut at
   a space) and the abstract the rest, so title and abstract together are the text. In the
   strict protocol the documents the queries were taken from are not imported.
3. A fresh :class:`matching.service.Matcher` is built from that graph (its index reads the
   experts back; the evidence ranker is fitted synchronously), with an empty model directory,
   so the transparent ranker ranks (the registry's trained model, if any, is not used: it was
   trained on the registry's own decisions and would make the figure depend on them).
4. Each query becomes a task (:class:`matching.task.TaskSpec`) whose text is the query text
   (title: its first words, description: the rest, as for publications), with no skill
   requirements, role MEMBER, remote. ``Matcher.rank`` is paged through as an administrator
   (every expert visible) until every pool candidate is placed or the ranking ends. Pool
   candidates the matcher did not return (not retrieved, or stopped by a hard rule) follow
   the ranked ones with score 0.
5. The run is written as TREC (``query_id Q0 candidate_id rank score run_name``). With qrels,
   the matcher's MAP, P@10, NDCG@10 and MRR are printed beside the TF-IDF document-voting
   baselines (``matching.doc_voting``) fitted in the same run on the publications read back
   from the graph.

Nothing here knows the topics: query ids and topic names are only carried to the run file.
"""

from __future__ import annotations

import json
import tempfile
import time
import unicodedata
from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import numpy as np

from bench import trec
from matching.doc_voting import TfidfVotingRanker
from matching.evidence import Doc
from matching.service import ADMIN, MAX_FIRST, Matcher
from matching.task import TaskSpec
from registry.db import Database
from registry.experts import write_profiles
from registry.migrations import migrate
from registry.profile import validate_profile

__all__ = [
    "BENCH_NAME",
    "BENCH_PORT",
    "Benchmark",
    "Report",
    "import_benchmark",
    "load_benchmark",
    "rank_queries",
    "read_documents",
    "run_expert_finding",
    "split_title",
    "wipe",
]

BENCH_NAME = "expert-finding"
BENCH_PORT = 7692
RUN_NAME = "chuyengia-matcher"
TITLE_CHARS = 120
EXPERT_BATCH = 200
CITES_BATCH = 5000

_KEEP = ("n:SchemaMigration OR n:Skill OR n:TechArea OR n:TaxonomyVersion "
         "OR (n:Organization AND n.source = 'REFERENCE')")
_WIPE = (f"MATCH (n) WHERE NOT ({_KEEP}) WITH n LIMIT 20000 DETACH DELETE n "
         "RETURN count(*) AS n")
_CITES = """
UNWIND $rows AS r
MATCH (a:Publication {id: r.src})
MATCH (b:Publication {id: r.dst})
MERGE (a)-[:CITES]->(b)
"""
_READ_DOCS = """
MATCH (p:Publication)
RETURN p.id AS id, p.title AS title, p.abstract AS abstract,
       [(p)<-[:AUTHORED]-(e:Expert) | e.id] AS authors,
       [(p)-[:CITES]->(c:Publication) | c.id] AS cites
ORDER BY id
"""
_COUNTS = """
CALL () { MATCH (e:Expert) RETURN count(e) AS experts }
CALL () { MATCH (p:Publication) RETURN count(p) AS publications }
CALL () { MATCH (:Expert)-[a:AUTHORED]->(:Publication) RETURN count(a) AS authored }
CALL () { MATCH (:Publication)-[c:CITES]->(:Publication) RETURN count(c) AS cites }
RETURN experts, publications, authored, cites
"""


# --------------------------------------------------------------------------- the files


@dataclass(frozen=True)
class Query:
    id: str
    text: str
    doc: str | None = None


@dataclass(frozen=True)
class Benchmark:
    """The benchmark as files give it: documents, candidates (``pool`` marks the labelled
    ones) and the queries of one file."""

    documents: list[dict[str, Any]]
    candidates: list[str]
    pool: list[str]
    queries: list[Query]

    def held_out(self, protocol: str) -> set[str]:
        """Documents left out of the registry: the queries' own in the strict protocol."""
        if protocol == "original":
            return set()
        if protocol != "strict":
            raise ValueError("protocol must be 'strict' or 'original'")
        return {q.doc for q in self.queries if q.doc}


def _jsonl(path: Path) -> list[dict[str, Any]]:
    with open(path, encoding="utf-8") as fh:
        return [json.loads(line) for line in fh if line.strip()]


def load_benchmark(data: str | Path, queries: str | Path) -> Benchmark:
    """``documents.jsonl`` and ``candidates.jsonl`` from ``data``; the queries from their file."""
    data = Path(data)
    documents = _jsonl(data / "documents.jsonl")
    cands = _jsonl(data / "candidates.jsonl")
    qs = [Query(str(q["id"]), str(q["text"]), q.get("doc")) for q in _jsonl(Path(queries))]
    return Benchmark(documents, [str(c["id"]) for c in cands],
                     [str(c["id"]) for c in cands if c.get("pool")], qs)


def clean_text(text: str) -> str:
    """Control characters (a few stray C1 codes in the data, which profiles refuse) become
    spaces; runs of white space become one space."""
    return " ".join("".join(" " if unicodedata.category(ch) == "Cc" else ch
                            for ch in text).split())


def split_title(text: str, limit: int = TITLE_CHARS) -> tuple[str, str]:
    """A text given as one string, as (title, rest): the title is the leading words up to
    ``limit`` characters (cut at a space), so ``title + " " + rest`` is the (cleaned) text."""
    text = clean_text(text)
    if len(text) <= limit:
        return text, ""
    cut = text.rfind(" ", 0, limit + 1)
    if cut <= 0:
        return text[:limit], text[limit:]
    return text[:cut], text[cut + 1:]


# --------------------------------------------------------------------------- the graph


def wipe(db: Database) -> None:
    """Remove every node but the schema records and the reference data (what ``migrate``
    loads). Only ever called on the benchmark's own database."""
    while db.execute(_WIPE)[0]["n"]:
        pass


def _profiles(bench: Benchmark, held_out: set[str]) -> list[dict[str, Any]]:
    pubs: dict[str, list[dict[str, Any]]] = {c: [] for c in bench.candidates}
    for d in bench.documents:
        if d["id"] in held_out:
            continue
        title, rest = split_title(d["text"])
        for author in dict.fromkeys(d.get("authors") or ()):
            pubs.setdefault(author, []).append({"id": d["id"], "title": title,
                                                "abstract": rest or None})
    # Minimal valid profiles: the name is the candidate id (the data has no names), the
    # residence is required by the profile and unknown here (no feature reads it for a
    # remote task), nothing else is stated.
    return [validate_profile({"id": c, "fullName": c, "residenceCountry": "VN",
                              "publications": pubs[c]}) for c in pubs]


def import_benchmark(db: Database, bench: Benchmark, protocol: str,
                     progress: Callable[[str], None] | None = None) -> dict[str, int]:
    """Wipe, migrate and load the benchmark; returns the node and relationship counts."""
    wipe(db)
    migrate(db)
    held_out = bench.held_out(protocol)
    profiles = _profiles(bench, held_out)
    for i in range(0, len(profiles), EXPERT_BATCH):
        db.write(write_profiles, profiles[i:i + EXPERT_BATCH])
        if progress:
            progress(f"  experts {min(i + EXPERT_BATCH, len(profiles))}/{len(profiles)}")
    cites = [{"src": d["id"], "dst": c} for d in bench.documents if d["id"] not in held_out
             for c in dict.fromkeys(d.get("cites") or ()) if c not in held_out]
    for i in range(0, len(cites), CITES_BATCH):
        db.execute(_CITES, rows=cites[i:i + CITES_BATCH])
    counts = db.query(_COUNTS)[0]
    return {**counts, "held_out": len(held_out)}


def read_documents(db: Database) -> list[Doc]:
    """The publications as the registry holds them, with their authors and citations."""
    return [Doc(r["id"], f"{r['title'] or ''} {r['abstract'] or ''}".strip(),
                tuple(sorted(r["authors"])), tuple(sorted(r["cites"])))
            for r in db.query(_READ_DOCS)]


# --------------------------------------------------------------------------- ranking


def query_task(query: Query) -> TaskSpec:
    """A benchmark query as a task: its text, no skill requirement, defaults elsewhere."""
    title, rest = split_title(query.text)
    return TaskSpec(title=title or query.id, description=rest, requirements=())


@dataclass
class RankStats:
    seconds: list[float] = field(default_factory=list)
    calls: int = 0
    retrieved: list[int] = field(default_factory=list)
    unplaced: int = 0  # pool candidates the matcher did not return, over all queries
    model_id: str = ""
    returned: dict[str, set[str]] = field(default_factory=dict)
    """Per query id: the pool candidates the matcher returned (retrieved, passed the rules)."""


def rank_query(matcher: Matcher, db: Database, query: Query, pool: Sequence[str],
               stats: RankStats | None = None) -> dict[str, float]:
    """The matcher's scores for the pool candidates of one query (missing ones score 0,
    or less than the lowest returned score should that be 0 or below)."""
    stats = stats if stats is not None else RankStats()
    task = query_task(query)
    wanted = set(pool)
    scores: dict[str, float] = {}
    after: str | None = None
    started = time.perf_counter()
    while True:
        ranking = matcher.rank(db, task, first=MAX_FIRST, after=after, viewer=ADMIN)
        stats.calls += 1
        for c in ranking.candidates:
            if c.expert_id in wanted:
                scores[c.expert_id] = float(c.score)
        if not ranking.has_next_page or len(scores) == len(wanted):
            break
        after = ranking.end_cursor
    stats.seconds.append(time.perf_counter() - started)
    stats.retrieved.append(ranking.retrieved)
    stats.model_id = ranking.model_id
    lowest = min(scores.values(), default=1.0)
    floor = 0.0 if lowest > 0 else lowest - 1.0
    missing = [c for c in pool if c not in scores]
    stats.unplaced += len(missing)
    stats.returned[query.id] = set(scores)
    scores.update({c: floor for c in missing})
    return scores


def rank_queries(matcher: Matcher, db: Database, queries: Iterable[Query],
                 pool: Sequence[str], stats: RankStats | None = None,
                 progress: Callable[[str], None] | None = None) -> trec.Run:
    queries = list(queries)
    out: trec.Run = {}
    for i, q in enumerate(queries, 1):
        out[q.id] = rank_query(matcher, db, q, pool, stats)
        if progress and (i % 25 == 0 or i == len(queries)):
            progress(f"  ranked {i}/{len(queries)} queries")
    return out


def baseline_runs(docs: Sequence[Doc], queries: Sequence[Query], pool: Sequence[str]
                  ) -> dict[str, trec.Run]:
    """TF-IDF document voting on the given documents, over the pool (absent experts 0)."""
    texts = [q.text for q in queries]
    out = {}
    for votes in ("sum", "reciprocal_rank"):
        model = TfidfVotingRanker(votes).fit(docs)
        matrix = model.score_matrix(texts) if docs else np.zeros((len(texts), 0))
        col = {e: j for j, e in enumerate(model.expert_ids)}
        out[votes] = {q.id: {c: float(row[col[c]]) if c in col else 0.0 for c in pool}
                      for q, row in zip(queries, matrix)}
    return out


# --------------------------------------------------------------------------- the command


@dataclass
class Report:
    protocol: str
    counts: dict[str, int]
    n_queries: int
    pool: int
    run_path: Path
    model_id: str
    seconds: dict[str, float]
    stats: RankStats
    scores: dict[str, trec.Scores] = field(default_factory=dict)
    recall: tuple[int, int] | None = None
    """Relevant (query, expert) pairs the matcher returned, and all relevant pairs."""

    def format(self) -> str:
        c = self.counts
        ms = 1000 * np.asarray(self.stats.seconds) if self.stats.seconds else np.zeros(1)
        per_q = max(self.n_queries, 1)
        lines = [(f"DBLP expert finding through the matcher: protocol {self.protocol}, "
                  f"{self.n_queries} queries, pool of {self.pool}")]
        lines.append(f"graph: {c['experts']} experts, {c['publications']} publications, "
                     f"{c['authored']} AUTHORED, {c['cites']} CITES; query documents left "
                     f"out: {c['held_out']}")
        lines.append(f"matcher: model {self.model_id}; index and evidence fit "
                     f"{self.seconds['index']:.1f} s; per query {np.median(ms):.0f} ms median "
                     f"({self.stats.calls / per_q:.1f} pages of {MAX_FIRST}); "
                     f"{np.mean(self.stats.retrieved or [0]):.0f} candidates retrieved on "
                     f"average; pool candidates not returned: "
                     f"{self.stats.unplaced / per_q:.1f} per query")
        if self.recall is not None:
            found, relevant = self.recall
            lines.append(f"retrieval recall: {found}/{relevant} relevant (query, expert) "
                         f"pairs returned ({found / max(relevant, 1):.3f})")
        lines.append(f"import {self.seconds['import']:.1f} s, ranking "
                     f"{self.seconds['rank']:.1f} s; run file: {self.run_path}")
        if self.scores:
            width = max(len(k) for k in self.scores)
            lines += ["", f"| {'run':<{width}} | MAP   | P@10  | NDCG@10 | MRR   |",
                      f"|{'-' * (width + 2)}|-------|-------|---------|-------|"]
            for name, s in self.scores.items():
                lines.append(f"| {name:<{width}} | {s.MAP:.3f} | {s.P10:.3f} | "
                             f"{s.NDCG10:.3f}   | {s.MRR:.3f} |")
            n = next(iter(self.scores.values())).n_queries
            lines.append(f"(means over the {n} queries with a relevant pool candidate)")
        else:
            lines.append("no --qrels: metrics not computed (chuyengia bench score)")
        return "\n".join(lines)


MATCHER_ROW = "matcher (chuyengia, transparent ranker)"
BASELINE_ROWS = {"sum": "baseline: TF-IDF document voting (summed similarity)",
                 "reciprocal_rank": "baseline: TF-IDF document voting (reciprocal rank)"}


def run_expert_finding(db: Database, data: str | Path, queries: str | Path,
                       run_path: str | Path, *, qrels: str | Path | None = None,
                       protocol: str = "strict",
                       progress: Callable[[str], None] | None = None) -> Report:
    """Load the benchmark into ``db`` (wiped first: pass only a database of its own), rank
    every query with a fresh matcher, write the run and score it when qrels are given."""
    bench = load_benchmark(data, queries)
    run_path = Path(run_path)
    seconds: dict[str, float] = {}
    t0 = time.perf_counter()
    counts = import_benchmark(db, bench, protocol, progress)
    seconds["import"] = time.perf_counter() - t0

    with tempfile.TemporaryDirectory(prefix="chuyengia-bench-models-") as models:
        matcher = Matcher(model_dir=models, text_refit="sync", poll_seconds=3600.0)
        t0 = time.perf_counter()
        index = matcher.index(db)
        index.text.wait_for_refit()
        seconds["index"] = time.perf_counter() - t0
        if progress:
            progress(f"  matcher index: {len(index.row_of)} experts "
                     f"({seconds['index']:.1f} s with the evidence fit)")
        stats = RankStats()
        t0 = time.perf_counter()
        run = rank_queries(matcher, db, bench.queries, bench.pool, stats, progress)
        seconds["rank"] = time.perf_counter() - t0
        model_id = stats.model_id or matcher.model.model_id

    run_path.parent.mkdir(parents=True, exist_ok=True)
    trec.write_run(run_path, run, RUN_NAME)
    report = Report(protocol, counts, len(bench.queries), len(bench.pool), run_path, model_id,
                    seconds, stats)
    if qrels is not None:
        judged = trec.read_qrels(qrels)
        qids = [q.id for q in bench.queries]
        judged = {q: judged[q] for q in qids if q in judged}
        report.scores[MATCHER_ROW] = trec.evaluate(judged, trec.read_run(run_path))
        report.recall = retrieval_recall(judged, stats.returned)
        docs = read_documents(db)
        for votes, base in baseline_runs(docs, bench.queries, bench.pool).items():
            report.scores[BASELINE_ROWS[votes]] = trec.evaluate(judged, base)
    return report


def retrieval_recall(judged: trec.Qrels, returned: dict[str, set[str]]) -> tuple[int, int]:
    """Relevant (query, expert) pairs among those returned, and all relevant pairs."""
    relevant = [(q, c) for q, rels in judged.items() for c, rel in rels.items() if rel > 0]
    return sum(c in returned.get(q, ()) for q, c in relevant), len(relevant)


def format_scores(scores: trec.Scores) -> str:
    """``bench score`` output: one metric a line."""
    return "\n".join([f"{name:<8}{value:.4f}" for name, value in scores.as_dict().items()]
                     + [f"queries {scores.n_queries}"])
