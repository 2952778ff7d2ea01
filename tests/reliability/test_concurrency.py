"""Concurrent writers: optimistic locking on one profile, and bulk imports that overlap.

* 50 threads update one profile through ``registry.experts.update_expert``, each with the
  version it read, and 50 HTTP clients do the same through the served API (``addSkill``):
  of the updates made from one version exactly one wins and the others get a conflict, and
  replaying the accepted updates in version order gives the final profile (none is lost).
* Four imports of overlapping slices of one file run at once: every expert exists once, whole
  (all its skills and publications as the file says), and no shared work is duplicated.
* Two imports name the same new people by different identifiers (one by e-mail, the other by
  ORCID iD and the same e-mail, so each derives another id) at the same time: each person is
  still one expert.
"""

from __future__ import annotations

import asyncio
import collections
import threading
import time
from typing import Any

import httpx
import pytest

from bench.support import served_api
from registry.db import Database, local_server_for
from registry.errors import VersionConflict
from registry.experts import read_profile, update_expert, write_profiles
from registry.profile import content_hash, validate_profile
from registry.settings import Settings
from registry.transfer import import_experts
from registry.validation import _orcid_check_digit
from seed.reference import load_skills
from tests.api.mutation_support import mutation_document
from tests.api.support import person, seed
from tests.reliability.conftest import Callers

WRITERS = 50


def _version(db: Database, expert_id: str) -> int:
    return db.query("MATCH (e:Expert {id: $id}) RETURN e.version AS v", id=expert_id)[0]["v"]


def _new_skills(n: int) -> list[str]:
    return [s.id for s in load_skills().skills if s.id not in ("machine-learning",
                                                                 "deep-learning")][:n]


def _check_history(accepted: list[tuple[int, str, int]], conflicts: collections.Counter,
                   start: int, first_round: collections.Counter) -> None:
    """One winner per version, versions consecutive, every loser told it lost."""
    read_versions = sorted(v for v, _, _ in accepted)
    assert read_versions == list(range(start, start + WRITERS))
    assert all(after == before + 1 for before, _, after in accepted)
    # In the first round every writer read the same version: one won, the rest conflicted.
    assert first_round == {"won": 1, "conflict": WRITERS - 1}
    assert sum(conflicts.values()) >= WRITERS - 1
    assert set(conflicts) <= set(range(start, start + WRITERS))


@pytest.mark.timeout(120)
def test_fifty_threads_updating_one_profile_lose_nothing(db: Database):
    expert_id, = seed(db, [person(1)])
    skills = _new_skills(WRITERS)
    start = _version(db, expert_id)
    initial = read_profile(db, expert_id)["skills"]
    read_together = threading.Barrier(WRITERS, timeout=30)
    lock = threading.Lock()
    accepted: list[tuple[int, str, int]] = []  # (version read, skill added, version after)
    conflicts: collections.Counter[int] = collections.Counter()
    first_round: collections.Counter[str] = collections.Counter()
    deadline = time.monotonic() + 90

    def writer(skill: str) -> None:
        for attempt in range(WRITERS + 10):
            if time.monotonic() > deadline:
                return
            version = _version(db, expert_id)
            if attempt == 0:
                read_together.wait()  # everyone has read before anyone writes
            try:
                doc = update_expert(db, expert_id, version, lambda d: {
                    **d, "skills": d["skills"] + [{"skill": skill, "level": 2, "years": 1}]})
            except VersionConflict as exc:
                assert exc.expected == version and exc.current > version
                with lock:
                    conflicts[version] += 1
                    if attempt == 0:
                        first_round["conflict"] += 1
                continue
            with lock:
                accepted.append((version, skill, doc["version"]))
                if attempt == 0:
                    first_round["won"] += 1
            return

    _, errors = _in_threads(writer, skills, timeout=100, together=False)
    assert not errors, errors[:3]
    assert len(accepted) == WRITERS, f"{len(accepted)} of {WRITERS} updates accepted"
    _check_history(accepted, conflicts, start, first_round)
    # Replaying the accepted updates in version order gives what is stored.
    replayed = list(initial)
    for _, skill, _ in sorted(accepted):
        replayed.append({"skill": skill, "level": 2, "years": 1, "source": "SELF"})
    final = read_profile(db, expert_id)
    assert final["version"] == start + WRITERS
    assert sorted(s["skill"] for s in final["skills"]) == sorted(s["skill"] for s in replayed)
    assert db.query("MATCH (:Expert {id: $id})-[r:HAS_SKILL]->() RETURN count(r) AS n",
                    id=expert_id)[0]["n"] == len(replayed)


ADD_SKILL = mutation_document("addSkill", "expert { version skills { skill { id } } }")
VERSION = "query($id: ID!) { expert(id: $id) { version } }"


@pytest.mark.timeout(180)
def test_fifty_clients_updating_one_profile_over_http_lose_nothing(
        db: Database, callers: Callers, settings: Settings):
    expert_id = callers.expert_id
    skills = _new_skills(WRITERS)
    start = _version(db, expert_id)
    accepted: list[tuple[int, str, int]] = []
    conflicts: collections.Counter[int] = collections.Counter()
    first_round: collections.Counter[str] = collections.Counter()
    failures: list[str] = []

    async def writer(http: httpx.AsyncClient, base: str, skill: str,
                     read_together: asyncio.Barrier) -> None:
        headers = {"Authorization": f"Bearer {callers.owner}"}
        for attempt in range(WRITERS + 10):
            r = await http.post(f"{base}/graphql", headers=headers,
                                json={"query": VERSION, "variables": {"id": expert_id}})
            if r.status_code != 200 or "errors" in r.json():
                failures.append(f"reading the version: {r.status_code} {r.text[:300]}")
                return
            version = r.json()["data"]["expert"]["version"]
            if attempt == 0:
                await read_together.wait()
            r = await http.post(f"{base}/graphql", headers=headers, json={
                "query": ADD_SKILL, "variables": {"input": {
                    "id": expert_id, "version": version,
                    "item": {"skill": skill, "level": 2, "years": 1}}}})
            body = r.json()
            if r.status_code != 200 or "errors" in body:
                failures.append(f"{r.status_code} {r.text[:300]}")
                return
            result = body["data"]["result"]
            if result["__typename"] == "VersionConflict":
                assert result["expectedVersion"] == version < result["currentVersion"]
                conflicts[version] += 1
                first_round["conflict"] += attempt == 0
                continue
            assert result["__typename"] == "ProfileUpdated", result
            accepted.append((version, skill, result["expert"]["version"]))
            first_round["won"] += attempt == 0
            return

    async def run(base: str) -> None:
        limits = httpx.Limits(max_connections=WRITERS)
        async with httpx.AsyncClient(limits=limits, timeout=30) as http:
            barrier = asyncio.Barrier(WRITERS)
            await asyncio.wait_for(asyncio.gather(
                *(writer(http, base, s, barrier) for s in skills)), timeout=120)

    with served_api(local_server_for(settings), workers=2) as base:
        asyncio.run(run(base))
    assert not failures, failures[:3]
    assert len(accepted) == WRITERS
    _check_history(accepted, conflicts, start, +first_round)
    final = read_profile(db, expert_id)
    assert final["version"] == start + WRITERS
    assert {s for _, s, _ in accepted} <= {s["skill"] for s in final["skills"]}


# --- overlapping bulk imports ---------------------------------------------------------------

PROFILES = 400
SLICES = [(0, 200), (100, 300), (200, 400), (50, 350)]


def _profiles() -> list[dict[str, Any]]:
    skills = _new_skills(60)
    out = []
    for i in range(PROFILES):
        # Papers are the expert's own here; papers shared by co-authors written at the same
        # time are the next test's subject.
        out.append(person(10_000 + i, fullName=f"Trần Văn Nhập {i}", skills=[
            {"skill": skills[(i + k) % len(skills)], "level": 1 + (i + k) % 5, "years": k}
            for k in range(4)], publications=[
            {"title": f"Bài báo {i}.{k}", "year": 2020, "doi": f"10.5555/own.{i}.{k}"}
            for k in range(3)], patents=[], projects=[], awards=[]))
    return out


@pytest.mark.timeout(180)
def test_overlapping_imports_leave_every_expert_once_and_whole(db: Database):
    rows = _profiles()
    expected = {d["id"]: d for d in (validate_profile(r) for r in rows)}
    results = _imports_at_once(db, [list(enumerate(rows[lo:hi], start=lo + 1))
                                    for lo, hi in SLICES], batch_size=25)
    assert sum(r.accepted for r in results) == sum(hi - lo for lo, hi in SLICES)
    # The counts are what the database did: each expert was created by exactly one run, and
    # a run that wrote an expert another had just written with the same content skipped it.
    assert sum(r.created for r in results) == PROFILES
    assert sum(r.updated for r in results) == 0

    stored = db.query("""
        MATCH (e:Expert) RETURN e.id AS id, e.email AS email, e.contentHash AS hash,
          COUNT { (e)-[:HAS_SKILL]->() } AS skills, COUNT { (e)-[:AUTHORED]->() } AS papers,
          COUNT { (e)-[:WORKS_AT]->() } AS jobs, COUNT { (e)-[:STUDIED_AT]->() } AS degrees""")
    assert len(stored) == PROFILES
    assert len({r["email"] for r in stored}) == PROFILES
    for row in stored:
        doc = expected[row["id"]]
        assert row["hash"] == content_hash(doc)
        assert (row["skills"], row["papers"], row["jobs"], row["degrees"]) == (
            len(doc["skills"]), len(doc["publications"]), len(doc["employment"]),
            len(doc["education"])), row
    papers = db.query("MATCH (p:Publication) RETURN p.doi AS doi")
    assert len(papers) == len({p["doi"] for p in papers}) == len(
        {p["id"] for d in expected.values() for p in d["publications"]})
    sample = read_profile(db, next(iter(expected)))
    assert sorted(s["skill"] for s in sample["skills"]) == sorted(
        s["skill"] for s in expected[sample["id"]]["skills"])


@pytest.mark.timeout(180)
def test_imports_naming_new_people_by_different_identifiers_make_one_expert_each(
        db: Database):
    people = 120
    by_email = [person(20_000 + i, fullName=f"Lê Thị Định Danh {i}") for i in range(people)]
    by_orcid = [{**row, "orcid": _orcid(i)} for i, row in enumerate(by_email)]
    ids = {validate_profile(a)["id"] != validate_profile(b)["id"]
           for a, b in zip(by_email, by_orcid, strict=True)}
    assert ids == {True}  # each row alone would make an expert of its own
    results = _imports_at_once(db, [list(enumerate(rows, start=1))
                                    for rows in (by_email, by_orcid)], batch_size=10)
    assert sum(r.created for r in results) == people
    stored = db.query("MATCH (e:Expert) RETURN e.email AS email, count(*) AS n")
    assert len(stored) == people and {r["n"] for r in stored} == {1}


def _imports_at_once(db: Database, files: list[list[tuple[int, dict[str, Any]]]], *,
                     batch_size: int) -> list[Any]:
    """Import each of ``files`` (numbered rows) in its own thread, all released at once;
    returns their results after checking that none failed or rejected a row."""
    results, errors = _in_threads(lambda rows: import_experts(db, rows, batch_size=batch_size),
                                  files, timeout=150)
    assert not errors, errors
    assert all(not r.rejected for r in results), [r.rejected[:3] for r in results]
    return results


def _orcid(i: int) -> str:
    """A valid ORCID iD of its own for ``i``."""
    digits = f"00000002{1000 + i:04d}000"
    digits += _orcid_check_digit(digits)
    return "-".join(digits[k:k + 4] for k in range(0, 16, 4))

def _write_at_once(db: Database, *docs: dict[str, Any]) -> list[str]:
    """Write each profile in its own transaction, all released at the same moment; returns
    the errors, as text."""
    _, errors = _in_threads(lambda doc: db.write(write_profiles, [doc]), docs, timeout=30)
    return [f"{type(exc).__name__}: {exc}" for exc in errors]


def _in_threads(work: Any, inputs: Any, *, timeout: float, together: bool = True
                ) -> tuple[list[Any], list[BaseException]]:
    """``work(x)`` for each of ``inputs`` in a thread of its own (all released at one moment
    when ``together``); returns what the calls returned and what they raised."""
    inputs = list(inputs)
    start = threading.Barrier(len(inputs), timeout=10) if together else None
    results: list[Any] = []
    errors: list[BaseException] = []

    def call(x: Any) -> None:
        if start is not None:
            start.wait()
        try:
            results.append(work(x))
        except BaseException as exc:  # noqa: BLE001  (returned to the test)
            errors.append(exc)

    threads = [threading.Thread(target=call, args=(x,)) for x in inputs]
    for t in threads:
        t.start()
    for t in threads:
        t.join(timeout)
    return results, errors


@pytest.mark.timeout(120)
def test_coauthors_written_at_once_keep_their_shared_papers(db: Database):
    """Expert X has papers P1-P3 that nobody else lists yet; X's profile is written again
    while co-author Y, who lists the same papers, is written for the first time. Both
    writes succeed, so both must end up with the three papers."""
    papers = [{"title": f"Bài chung {k}", "year": 2020, "doi": f"10.5555/coauthor.{k}"}
              for k in range(3)]
    x, y = (validate_profile(person(n, publications=papers, patents=[], projects=[],
                                    awards=[])) for n in (1, 2))
    lost, deadline = [], time.monotonic() + 30
    for attempt in range(100):
        if lost or time.monotonic() > deadline:
            break
        db.execute("MATCH (e:Expert {id: $id}) DETACH DELETE e", id=y["id"])
        db.write(write_profiles, [x])
        assert _write_at_once(db, x, y) == []
        counts = {r["id"]: r["n"] for r in db.query(
            "UNWIND $ids AS id MATCH (e:Expert {id: id}) "
            "RETURN id, COUNT { (e)-[:AUTHORED]->() } AS n", ids=[x["id"], y["id"]])}
        if counts != {x["id"]: 3, y["id"]: 3}:
            lost.append((attempt, counts))
    assert not lost, f"papers lost after {lost[0][0] + 1} concurrent writes: {lost[0][1]}"


@pytest.mark.timeout(120)
def test_a_paper_one_author_drops_while_another_adds_it_is_kept(db: Database):
    """Expert X is the only author of P and is rewritten without it while co-author Y is
    written for the first time with P. Whatever the interleaving, Y must end up with P."""
    paper = {"title": "Bài bị bỏ", "year": 2021, "doi": "10.5555/dropped"}
    x_with, x_without, y = (validate_profile(person(n, publications=pubs, patents=[],
                                                    projects=[], awards=[]))
                            for n, pubs in ((1, [paper]), (1, []), (2, [paper])))
    lost, deadline = [], time.monotonic() + 30
    for attempt in range(100):
        if lost or time.monotonic() > deadline:
            break
        db.execute("MATCH (e:Expert {id: $id}) DETACH DELETE e", id=y["id"])
        db.write(write_profiles, [x_with])
        assert _write_at_once(db, x_without, y) == []
        rows = db.query("MATCH (p:Publication {doi: $doi}) "
                        "RETURN [(e)-[:AUTHORED]->(p) | e.id] AS authors", doi=paper["doi"])
        if [r["authors"] for r in rows] != [[y["id"]]]:
            lost.append((attempt, rows))
    assert not lost, f"paper lost after {lost[0][0] + 1} concurrent writes: {lost[0][1]}"


def test_a_rewrite_that_keeps_a_work_still_applies_its_changes(db: Database):
    """Works a rewrite lists again are kept rather than re-created (the fix for the test
    above); what the document now says about them must still be what is stored."""
    def profile(areas: list[str], venue: str | None) -> dict[str, Any]:
        return validate_profile(person(1, projects=[
            {"title": "Vệ tinh quan sát", "relation": "LED", "startYear": 2020,
             "areas": areas}], publications=[
            {"title": "Ảnh vệ tinh", "year": 2021, "doi": "10.5555/kept", "venue": venue}]))

    db.write(write_profiles, [profile(["semiconductor-chips", "robotics-automation"], "IGARSS")])
    db.write(write_profiles, [profile(["semiconductor-chips"], None)])
    stored = read_profile(db, profile([], None)["id"])
    assert stored["projects"][0]["areas"] == ["semiconductor-chips"]
    assert stored["publications"][0].get("venue") is None
