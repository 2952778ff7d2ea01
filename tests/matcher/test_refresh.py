"""The index follows the registry incrementally: a change is in the next ranking, alone."""

from __future__ import annotations

import threading
import time

import numpy as np
import pytest

from matching import candidates, snapshot
from matching.candidates import graph_hits
from matching.service import Matcher
from registry.db import Database
from registry.experts import delete_expert, read_profile, update_expert

from .conftest import TODAY, add, skill, task_input


def test_a_profile_change_is_in_the_next_ranking_without_a_rebuild(db: Database, matcher):
    a = add(db, "an", skills=[skill("large-language-models", 5)])
    b = add(db, "binh", skills=[skill("large-language-models", 2)])
    others = [add(db, f"x{i}", skills=[skill("transformers", 3)]) for i in range(5)]
    first = matcher.rank(db, task_input())
    assert [c.expert_id for c in first.candidates][:2] == [a, b]
    index = matcher.index(db)
    before = {e: index.record(e) for e in [a, *others]}
    text_fits = index.text.fits

    current = read_profile(db, b)
    update_expert(db, b, current["version"], lambda doc: {
        **doc, "skills": [skill("large-language-models", 5), skill("transformers", 5)],
        "yearsExperience": 25, "verified": True})
    # How fast this happens is measured by bench/match_latency.py, not asserted here.
    second = matcher.rank(db, task_input())

    assert [c.expert_id for c in second.candidates][:2] == [b, a]
    report = matcher.last_refresh
    assert report.updated == (b,) and report.added == () and report.removed == ()
    assert report.queries <= 3
    assert matcher.index(db) is index  # the same index, not a rebuilt one
    assert all(index.record(e) is before[e] for e in before)  # the others' rows untouched
    assert index.text.fits == text_fits  # documents unchanged: no evidence refit


def test_refresh_reads_only_what_changed(db: Database, matcher):
    for i in range(6):
        add(db, f"x{i}", skills=[skill("transformers")])
    matcher.rank(db, task_input())
    report = matcher.refresh(db)
    assert report.touched == () and report.queries == 2  # changed-since query, and the count


def test_a_look_starts_where_the_last_one_did_not_at_the_newest_write(
        db: Database, matcher, monkeypatch: pytest.MonkeyPatch):
    """After a burst of writes (an import, a seeding), the looks that follow list only what
    changed since the previous look: the burst's last seconds are not listed again by every
    look (they were, each costing up to 0.2 s of CPU per ranking after seeding 10,000)."""
    monkeypatch.setattr(snapshot, "_OVERLAP_SECONDS", 1)
    burst = [add(db, f"b{i}", skills=[skill("transformers")]) for i in range(12)]
    matcher.rank(db, task_input())
    listed: list[int] = []
    real = snapshot.run

    def spy(tx, statement, **params):
        rows = real(tx, statement, **params)
        if statement == snapshot._CHANGED:
            listed.append(len(rows))
        return rows

    monkeypatch.setattr(snapshot, "run", spy)
    time.sleep(1.5)  # past the overlap
    matcher.refresh(db)  # may still see the burst's last second (looked at since)
    assert matcher.refresh(db).touched == ()
    assert listed[-1] == 0
    # A change after that is found by the next look, and only it.
    update_expert(db, burst[3], read_profile(db, burst[3])["version"],
                  lambda doc: {**doc, "yearsExperience": 30})
    assert matcher.refresh(db).updated == (burst[3],) and listed[-1] == 1


def test_an_expert_committed_with_an_older_stamp_is_found_by_the_count(
        db: Database, matcher):
    """A write whose ``updatedAt`` is older than the look's window (a transaction that
    committed long after it began) is not missed: the count disagrees, and the look lists
    every expert."""
    add(db, "a", skills=[skill("transformers")])
    matcher.rank(db, task_input())
    late = add(db, "late", skills=[skill("large-language-models")])
    db.execute("MATCH (e:Expert {id: $id}) SET e.updatedAt = datetime('2020-01-01T00:00:00Z')",
               id=late)
    report = matcher.refresh(db)
    assert report.added == (late,) and report.queries == 4  # count, changed, listing, read
    assert late in {c.expert_id for c in matcher.rank(db, task_input()).candidates}
    assert matcher.refresh(db).queries == 2


def test_new_and_removed_experts(db: Database, matcher):
    a = add(db, "an", skills=[skill("large-language-models")])
    matcher.rank(db, task_input())
    b = add(db, "binh", skills=[skill("large-language-models")],
            publications=[{"title": "Instruction tuning of a Vietnamese large language model", "year": 2025}])
    ranking = matcher.rank(db, task_input())
    assert matcher.last_refresh.added == (b,)
    assert {c.expert_id for c in ranking.candidates} == {a, b}
    assert next(c for c in ranking.candidates if c.expert_id == b).evidence[0].title == \
        "Instruction tuning of a Vietnamese large language model"
    delete_expert(db, a, read_profile(db, a)["version"])
    ranking = matcher.rank(db, task_input())
    assert matcher.last_refresh.removed == (a,)
    assert [c.expert_id for c in ranking.candidates] == [b]


def test_text_evidence_follows_a_changed_publication_list(db: Database, matcher):
    a = add(db, "an", skills=[skill("transformers")],
            publications=[{"title": "Protein folding with graph networks", "year": 2020}])
    add(db, "binh", skills=[skill("transformers")],
        publications=[{"title": "Robot grasping", "year": 2020}])
    task = task_input(title="Vietnamese speech corpus",
                      description="A Vietnamese speech corpus and recogniser.",
                      requirements=[{"skill": "transformers"}])
    before = {c.expert_id: c.features["text_similarity"]
              for c in matcher.rank(db, task).candidates}
    current = read_profile(db, a)
    update_expert(db, a, current["version"], lambda doc: {**doc, "publications": [
        {"title": "A Vietnamese speech corpus for recognition", "year": 2025}]})
    after = {c.expert_id: c.features["text_similarity"]
             for c in matcher.rank(db, task).candidates}
    assert after[a] > before[a] and after[a] == max(after.values())


def test_background_refit_catches_up_with_changed_evidence(db: Database, tmp_path):
    matcher = Matcher(model_dir=tmp_path, max_staleness=0.0, text_refit="background",
                      text_refit_delay=0.0, today=TODAY)
    a = add(db, "an", skills=[skill("transformers")],
            publications=[{"title": "Graph networks for proteins", "year": 2020}])
    add(db, "binh", skills=[skill("transformers")],
        publications=[{"title": "Robot grasping with transformers", "year": 2021}])
    matcher.rank(db, task_input())  # builds the index; the evidence fit runs in a thread
    text = matcher.index(db).text
    text.wait_for_refit(60)
    assert text.fits == 1 and text.stale == frozenset()
    current = read_profile(db, a)
    update_expert(db, a, current["version"], lambda doc: {**doc, "publications": [
        {"title": "A Vietnamese large language model", "year": 2025}]})
    ranking = matcher.rank(db, task_input())  # never waits for the refit
    assert ranking.candidates[0].expert_id == a
    text.wait_for_refit(60)
    assert text.fits == 2 and text.stale == frozenset()
    assert matcher.rank(db, task_input()).candidates[0].expert_id == a


def test_rankings_stay_consistent_while_profiles_change(db: Database, matcher):
    ids = [add(db, f"x{i}", skills=[skill("large-language-models", 1 + i % 5)],
               publications=[{"title": f"Language model study {i}", "year": 2020 + i % 5}])
           for i in range(12)]
    matcher.rank(db, task_input())
    errors: list[BaseException] = []

    def rank_many() -> None:
        try:
            for _ in range(8):
                ranking = matcher.rank(db, task_input(), first=5)
                assert all(c.reasons is not None for c in ranking.candidates)
        except BaseException as exc:  # noqa: BLE001 - reported to the main thread
            errors.append(exc)

    threads = [threading.Thread(target=rank_many) for _ in range(3)]
    for t in threads:
        t.start()
    for eid in ids[:4]:
        delete_expert(db, eid, read_profile(db, eid)["version"])
    for eid in ids[4:8]:
        current = read_profile(db, eid)
        update_expert(db, eid, current["version"], lambda doc: {**doc, "yearsExperience": 30})
    for t in threads:
        t.join(60)
    assert errors == []
    final = matcher.rank(db, task_input(), first=50)
    assert {c.expert_id for c in final.candidates} == set(ids[4:])


def test_full_text_hits_are_kept_until_an_experts_text_changes(db: Database, matcher,
                                                                monkeypatch):
    """A ranking reads the graph's full-text indexes once per task text; a change that
    leaves those indexes as they were (availability, skills) keeps the hits, which are then
    exactly what a fresh read gives; a changed headline or name reads them again."""
    speaker = add(db, "an", skills=[skill("transformers")],
                  headline="Vietnamese speech recognition")
    quiet = add(db, "binh", skills=[skill("transformers")], headline="Robot grasping")
    add(db, "chi", skills=[skill("transformers")], headline="Protein folding")
    task = task_input(title="Vietnamese speech recognition", description="Speech recognisers.",
                      requirements=[{"skill": "transformers"}])
    sent: list[str] = []
    real = candidates.send_fulltext
    monkeypatch.setattr(candidates, "send_fulltext",
                        lambda db_, text, *a, **kw:
                        sent.append(text) or real(db_, text, *a, **kw))

    def hits() -> dict[str, float]:
        index = matcher.index(db)
        spec = matcher.task(db, task, index)
        found = graph_hits(db, index, spec).task
        return dict(zip(index.ids(found.rows), found.values.round(6)))

    matcher.rank(db, task)
    assert len(sent) == 1
    before = hits()
    assert speaker in before and quiet not in before

    current = read_profile(db, speaker)
    update_expert(db, speaker, current["version"], lambda doc: {
        **doc, "availability": "PART_TIME", "skills": [skill("transformers", 5)]})
    ranking = matcher.rank(db, task)
    assert matcher.last_refresh.updated == (speaker,)
    assert len(sent) == 1  # kept: the full-text indexes hold what they held
    assert hits() == before
    fresh = real(db, sent[0])()  # not counted
    assert {e: round(s / max(fresh.values()), 6) for e, s in fresh.items()} == before
    assert next(c for c in ranking.candidates if c.expert_id == speaker) \
        .features["skill_coverage"] == 1.0  # the features follow the change at once

    current = read_profile(db, quiet)
    update_expert(db, quiet, current["version"], lambda doc: {
        **doc, "headline": "Speech recognition for Vietnamese dialects"})
    matcher.rank(db, task)
    assert len(sent) == 2  # read again
    assert quiet in hits()

    current = read_profile(db, quiet)
    update_expert(db, quiet, current["version"], lambda doc: {**doc, "fullName": "Lê Thị Bình"})
    matcher.rank(db, task)
    assert len(sent) == 3  # a name is in the profiles' full-text index too


def test_percentile_references_are_carried_over_exactly(db: Database, matcher):
    """The impact feature's references (each expert's h-index, citations and patents among
    the task's areas) are carried over a change (the changed rows' old values out, new ones
    in) instead of sorted again, and equal a fresh sort after every kind of change."""
    people = [add(db, f"p{i}", hIndex=3 * i, citations=10 * i,
                  skills=[skill("large-language-models" if i % 3 else "transformers")])
              for i in range(9)]
    chips = task_input(title="Thiết kế vi mạch", description="Digital IC design.",
                       areas=["semiconductor-chips"], requirements=[{"skill": "digital-ic-design"}])

    def check(*, carried: bool) -> None:
        index = matcher.index(db)  # applies the change
        kept = dict(index._caches.percentiles)
        if carried:
            assert kept, "the references were dropped, not carried over"
        index._caches = type(index._caches)()
        for (name, areas), ref in kept.items():
            index.percentile(name, areas, np.arange(index.n_rows))
            assert np.array_equal(index._caches.percentiles[(name, areas)], ref), (name, areas)
        for task in (task_input(), chips):
            matcher.rank(db, task)

    for task in (task_input(), chips):
        matcher.rank(db, task)
    assert matcher.index(db)._caches.everyone  # nobody in the chips area: everyone counts

    def edit(expert: str, **fields) -> None:
        update_expert(db, expert, read_profile(db, expert)["version"],
                      lambda doc: {**doc, **fields})

    edit(people[1], hIndex=40, citations=400)
    check(carried=True)
    edit(people[2], skills=[skill("transformers")])  # into another area's reference
    check(carried=True)
    edit(people[4], availability="PART_TIME")  # no value of a reference changes
    check(carried=True)
    delete_expert(db, people[5], read_profile(db, people[5])["version"])
    check(carried=True)
    add(db, "chip", hIndex=7, skills=[skill("digital-ic-design")])  # the first in chips
    check(carried=True)
    edit(people[6], hIndex=0, citations=0)
    check(carried=True)


def test_an_edit_that_keeps_the_documents_keeps_their_vectors(db: Database, matcher):
    """Availability or skills edited: the expert's TF-IDF row and evidence vector stay as
    they were (nothing re-vectorised, the text scores cached for task texts stay valid, the
    edit does not count towards a refit); a new publication re-vectorises them."""
    a = add(db, "an", skills=[skill("transformers")],
            publications=[{"title": "A Vietnamese large language model", "year": 2024}])
    add(db, "binh", skills=[skill("transformers")],
        publications=[{"title": "Robot grasping with transformers", "year": 2021}])
    before = {c.expert_id: c.features["text_similarity"]
              for c in matcher.rank(db, task_input()).candidates}
    text = matcher.index(db).text
    evidence, version = text._evidence, text._evidence.version
    tfidf, changes = text._tfidf, text._changes

    update_expert(db, a, read_profile(db, a)["version"], lambda doc: {
        **doc, "availability": "PART_TIME", "skills": [skill("large-language-models", 5)]})
    after = {c.expert_id: c.features["text_similarity"]
             for c in matcher.rank(db, task_input()).candidates}
    assert matcher.last_refresh.updated == (a,)
    assert text._evidence is evidence and evidence.version == version
    assert text._changes == changes
    assert text._tfidf.overlay is tfidf.overlay  # no row re-vectorised
    assert after == before

    update_expert(db, a, read_profile(db, a)["version"], lambda doc: {
        **doc, "publications": [*doc["publications"],
                                {"title": "Instruction tuning in Vietnamese", "year": 2025}]})
    matcher.rank(db, task_input())  # re-vectorised (here: refitted, a fifth changed)
    assert text._evidence is not evidence or evidence.version > version
    assert text._tfidf.overlay is not tfidf.overlay or text._tfidf.base is not tfidf.base
