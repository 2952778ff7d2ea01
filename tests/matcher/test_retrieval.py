"""Candidate retrieval through evidence similarity: an expert who shares no skill and no word
with the task, but whose papers are on its subject, is retrieved and ranked; visibility holds
on that path too. The full-text hits of profiles and publications add up per expert."""

from __future__ import annotations

import numpy as np
import pytest

from matching import candidates
from matching.candidates import fulltext_hits, graph_hits, select
from matching.features import task_query
from matching.task import TaskSpec
from registry import experts, search_index
from registry.db import Database
from registry.fulltext import lucene_query
from registry.search import Viewer

from .conftest import add

# The task's words (speech, recognition, ...) and the words its field also uses (acoustic,
# phoneme, ...) appear together in the bridging papers; the target's papers use only the
# second kind, the off-topic papers neither.
TASK = TaskSpec(title="Speech recognition", description="Transcribing spoken recordings.",
                requirements=())
BRIDGING = [
    "Speech recognition with acoustic models over phoneme lattices",
    "Spoken recordings transcribed by phoneme decoders and acoustic features",
    "Acoustic phoneme models for speech recognition of recordings",
    "Transcribing speech: acoustic lattices and phoneme decoders",
]
FIELD_ONLY = [
    "Phoneme lattices and acoustic decoders",
    "Acoustic features for phoneme decoders",
    "Lattice rescoring of acoustic phoneme models",
]
OFF_TOPIC = [
    "Protein folding with graph networks",
    "Crop yield forecasting from satellite imagery",
    "Bridge deformation monitoring with strain gauges",
    "Port logistics scheduling under uncertainty",
]


def papers(titles: list[str]) -> list[dict[str, object]]:
    return [{"title": t, "year": 2020 + i % 5} for i, t in enumerate(titles)]


def registry(db: Database) -> dict[str, str]:
    """Experts named by role: ``field`` is the one reachable only through evidence."""
    out = {f"bridge{i}": add(db, f"bridge{i}", publications=papers(BRIDGING[i:i + 2]))
           for i in range(3)}
    out.update({f"off{i}": add(db, f"off{i}", publications=papers(OFF_TOPIC[i:i + 2]))
                for i in range(3)})
    out["field"] = add(db, "field", publications=papers(FIELD_ONLY[:2]))
    out["private"] = add(db, "private", publications=papers(FIELD_ONLY), visibility="PRIVATE")
    return out


def ids(ranking) -> list[str]:
    return [c.expert_id for c in ranking.candidates]


def test_an_expert_sharing_no_word_with_the_task_is_retrieved_through_evidence(
        db: Database, matcher):
    e = registry(db)
    index = matcher.index(db)
    # Neither skills nor full text reach the field-only experts.
    text = task_query(TASK, index.graph)
    reached = fulltext_hits(db, text)
    assert e["bridge0"] in reached
    assert e["field"] not in reached and e["private"] not in reached

    ranking = matcher.rank(db, TASK, first=100, viewer=Viewer(admin=True))
    ranked = ids(ranking)
    assert e["field"] in ranked and e["private"] in ranked
    assert all(ranked.index(e["field"]) < ranked.index(e[f"off{i}"])
               for i in range(3) if e[f"off{i}"] in ranked)
    field = ranking.candidates[ranked.index(e["field"])]
    assert field.features["text_similarity"] > 0
    assert field.evidence  # explained by its own papers


def test_a_private_profile_never_comes_back_through_evidence(db: Database, matcher):
    e = registry(db)
    for viewer in (Viewer(), Viewer(signed_in=True)):
        ranked = ids(matcher.rank(db, TASK, first=100, viewer=viewer))
        assert e["field"] in ranked
        assert e["private"] not in ranked
    own = ids(matcher.rank(db, TASK, first=100,
                           viewer=Viewer(signed_in=True, expert_id=e["private"])))
    assert e["private"] in own


def test_each_viewer_reaches_as_deep_into_what_they_may_see(
        db: Database, matcher, monkeypatch: pytest.MonkeyPatch):
    e = registry(db)
    index = matcher.index(db)
    hits = graph_hits(db, index, TASK)
    scores = index.text.evidence_scores(hits.text)
    private, field = (scores[index.row_of[e[k]]] for k in ("private", "field"))
    # More papers on the field: the private expert is nearer, and no one is in between.
    assert private > field > 0 and not np.any((scores > field) & (scores < private))
    # Retrieval by evidence reaches down to the private expert, not beyond.
    monkeypatch.setattr(candidates, "EVIDENCE_HITS", int(np.count_nonzero(scores >= private)))
    with index.lock:
        admin = select(index, TASK, hits, viewer=Viewer(admin=True))
        anonymous = select(index, TASK, hits)
        admin_ids, anonymous_ids = index.ids(admin.rows), index.ids(anonymous.rows)
    assert e["private"] in admin_ids and e["field"] not in admin_ids
    # An anonymous viewer's reach is as deep into what they may see: the next one.
    assert e["field"] in anonymous_ids and e["private"] not in anonymous_ids
    assert anonymous.evidence_hits == admin.evidence_hits


# The one-statement form the matcher used before it queried the two indexes at once: the
# sum of an expert's profile score and half of each of their publications' scores.
_ORACLE = """
CALL () {
  CALL db.index.fulltext.queryNodes('expert_text', $q, {limit: $hits}) YIELD node, score
  RETURN node.id AS id, score
  UNION ALL
  CALL db.index.fulltext.queryNodes('publication_text', $q, {limit: $hits}) YIELD node, score
  MATCH (node)<-[:AUTHORED]-(e:Expert)
  RETURN e.id AS id, score * 0.5 AS score
}
RETURN id, sum(score) AS score ORDER BY score DESC
"""


def test_profile_and_publication_hits_add_up_per_expert(db: Database):
    both = add(db, "both", headline="Speech recognition for Vietnamese",
               publications=papers(BRIDGING[:2]))
    profile = add(db, "profile", headline="Speech recognition engineer")
    papers_only = add(db, "papers", publications=papers(BRIDGING[2:]))
    add(db, "off", headline="Bridge monitoring", publications=papers(OFF_TOPIC[:2]))
    text = "speech recognition"

    def oracle(hits: int) -> dict[str, float]:
        rows = db.query(_ORACLE, q=lucene_query(text, any_word=True), hits=hits)
        return {r["id"]: r["score"] for r in rows[:hits]}

    expected = oracle(100)
    found = fulltext_hits(db, text, hits=100)
    assert set(found) == set(expected) == {both, profile, papers_only}
    assert all(found[e] == pytest.approx(expected[e]) for e in expected)
    assert max(found, key=found.get) == both  # a profile and two papers
    # Each index gives its best few, then the sums are cut to as many.
    two = fulltext_hits(db, text, hits=2)
    assert len(two) == 2 and two == pytest.approx(oracle(2))
    assert fulltext_hits(db, "   ") == {}


def test_hits_credited_in_memory_equal_the_two_statements(db: Database, monkeypatch):
    """With the process's search index read, a task text's hits come from its statements of
    node ids (one per full-text index), the publications credited to their authors in memory:
    the same experts and sums as the two Cypher statements, for co-authored works too, and
    after edits."""
    shared = [{"title": "Speech recognition of tonal languages", "year": 2021,
               "doi": "10.1000/tonal.speech"},
              {"title": "Acoustic phoneme lattices for speech", "year": 2022,
               "doi": "10.1000/phoneme.lattice"}]
    first = add(db, "first", headline="Speech recognition engineer", publications=shared)
    second = add(db, "second", publications=shared[:1] + papers(BRIDGING[:1]))
    add(db, "third", headline="Speech therapist", publications=papers(OFF_TOPIC[:2]))
    add(db, "fourth", publications=papers(BRIDGING[1:3] + OFF_TOPIC[2:]))
    texts = ["speech recognition", "acoustic phoneme lattices", "tonal speech therapist"]

    def both(text: str, hits: int) -> tuple[dict[str, float], dict[str, float]]:
        statements = fulltext_hits(db, text, hits, in_memory=False)
        return fulltext_hits(db, text, hits), statements

    assert search_index.index_for(db) is not None  # read on first use at this size
    for text in texts:
        memory, statements = both(text, 100)
        assert len(memory) >= 2 and memory == pytest.approx(statements)
    memory, statements = both("speech", 2)  # each index's best, then the sums cut
    assert len(memory) == 2 and memory == pytest.approx(statements)
    # A co-author added later and an edit that drops a shared work are seen by the next call.
    late = add(db, "late", publications=shared[1:])
    doc = experts.read_profile(db, second)
    experts.update_expert(db, second, doc["version"], lambda d: {**d, "publications": []})
    memory, statements = both("acoustic phoneme lattices", 100)
    assert {first, late} <= set(memory) and second not in memory
    assert memory == pytest.approx(statements)
    # The in-memory answer does not touch the publications' statement at all.
    expected = fulltext_hits(db, "speech recognition", in_memory=False)
    monkeypatch.setattr(candidates, "_PUBLICATION_TEXT", "RETURN 1/0 AS broken")
    assert fulltext_hits(db, "speech recognition") == pytest.approx(expected)
    with pytest.raises(Exception):
        fulltext_hits(db, "speech recognition", in_memory=False)


def test_words_most_experts_hold_are_left_out_of_the_full_text_query(
        db: Database, matcher, monkeypatch: pytest.MonkeyPatch):
    """A word held by more than ``COMMON_WORD_SHARE`` of the experts costs Lucene a walk over
    most of its postings and tells the experts apart little: a task text's query goes
    without it (unless nothing else is left), and the expert the rare words name still
    comes first."""
    for i in range(60):
        add(db, f"r{i}", publications=papers([f"Research notes on {w}" for w in
                                               OFF_TOPIC[i % 4].split()[:2]]))
    target = add(db, "target", publications=papers(["Research on quantum sensing arrays",
                                                    "Quantum sensing with diamond defects"]))
    index = matcher.index(db)
    assert index.text.common_words(["research", "notes", "quantum", "sensing"],
                                   candidates.COMMON_WORD_SHARE) == {"research", "notes"}
    assert index.text.common_words(["research"], 1.0) == frozenset()
    sent: list[str] = []
    real = candidates.lucene_query

    def spy(text: str, **kw):
        sent.append(real(text, **kw))
        return sent[-1]

    monkeypatch.setattr(candidates, "lucene_query", spy)
    task = TaskSpec(title="Research notes on quantum sensing", requirements=())
    ranking = matcher.rank(db, task, first=5)
    assert sent == ["quantum OR sensing"]
    assert ids(ranking)[0] == target
    sent.clear()
    matcher.rank(db, TaskSpec(title="Research notes", requirements=()), first=5)
    assert sent == ["research OR notes"]  # nothing but common words: searched for, whole


def test_no_word_is_common_in_a_small_registry(db: Database, matcher):
    for i in range(5):
        add(db, f"s{i}", publications=papers(["Research notes"]))
    assert matcher.index(db).text.common_words(["research", "notes"], 0.1) == frozenset()
