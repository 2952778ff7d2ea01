"""The deterministic demo seed: same seed, same registry; twice, nothing added; and coverage."""

from __future__ import annotations

from collections import Counter

import pytest

from registry import accounts
from registry.db import Database
from registry.profile import validate_profile
from registry.transfer import graph_fingerprint
from seed.demo import TASKS, seed_demo
from seed.demo_profiles import BLOCK, generate_profiles
from seed.reference import load_tech_lists
from tests.conftest import wipe

# What differs between two seeds of the same content: wall-clock times, token digests and the
# random ids that accounts, programmes, tasks, decisions and audit events get when made.
STABLE = {
    "ignore_properties": ("createdAt", "updatedAt", "at", "tokenHash", "subjectId", "actorId",
                          "detail"),
    "natural_keys": {"Account": "name", "Programme": "code", "Task": "code"},
    "anonymous_labels": ("Decision", "AuditEvent"),
}


def test_the_same_seed_gives_the_same_registry(db: Database):
    seed_demo(db, experts=60, seed=57, progress=False)
    first = graph_fingerprint(db, **STABLE)
    wipe(db)
    seed_demo(db, experts=60, seed=57, progress=False)
    assert graph_fingerprint(db, **STABLE) == first
    wipe(db)
    seed_demo(db, experts=60, seed=58, progress=False)
    assert graph_fingerprint(db, **STABLE)["sha256"] != first["sha256"]


def test_seeding_twice_adds_nothing(db: Database):
    report = seed_demo(db, experts=60, seed=57, progress=False)
    assert report.imported.created == 60 and report.tasks_created == len(TASKS)
    before = graph_fingerprint(db)

    again = seed_demo(db, experts=60, seed=57, progress=False)

    assert (again.imported.created, again.imported.updated, again.imported.unchanged) == \
        (0, 0, 60)
    assert (again.programmes_created, again.tasks_created, again.decisions_created) == (0, 0, 0)
    assert again.accounts_created == {} and len(again.accounts_existing) == 4
    assert graph_fingerprint(db) == before
    assert "token" not in str(again).replace("its token was shown", "")


def test_if_empty_leaves_a_registry_with_experts_alone(db: Database):
    seed_demo(db, experts=5, seed=1, progress=False)
    before = graph_fingerprint(db)
    report = seed_demo(db, experts=60, seed=57, if_empty=True, progress=False)
    assert report.skipped and graph_fingerprint(db) == before


@pytest.fixture
def seeded(db: Database):
    report = seed_demo(db, experts=60, seed=57, progress=False)
    return db, report


def _one(db: Database, cypher: str) -> int:
    return db.query(cypher)[0]["n"]


def test_tasks_cover_every_group_of_the_1131_list(seeded):
    db, _ = seeded
    groups = {g.id for g in load_tech_lists().get("qd-1131-2025").groups}
    covered = {r["id"] for r in db.query(
        "MATCH (:Task)-[:IN_AREA]->(a:TechArea) RETURN DISTINCT a.id AS id")}
    assert len(groups) == 11 and groups <= covered
    assert _one(db, "MATCH (t:Task) RETURN count(t) AS n") >= 30
    assert _one(db, "MATCH (p:Programme) RETURN count(p) AS n") >= 3
    assert _one(db, "MATCH (t:Task {roleSought: 'CHIEF_ENGINEER'}) RETURN count(t) AS n") >= 5
    assert _one(db, "MATCH (t:Task) WHERE NOT (t)-[:REQUIRES {mustHave: true}]->() "
                    "RETURN count(t) AS n") == 0
    assert _one(db, "MATCH (t:Task) WHERE NOT (t)-[:PART_OF]->(:Programme) "
                    "RETURN count(t) AS n") == 0
    assert _one(db, "MATCH (d:Decision)-[:FOR]->(:Task) RETURN count(d) AS n") >= 5


def test_experts_are_varied_and_plausible(seeded):
    db, _ = seeded
    rows = db.query("MATCH (e:Expert) RETURN e.fullName AS name, e.diaspora AS diaspora, "
                    "e.residenceCountry AS country, e.birthYear AS born, "
                    "e.yearsExperience AS years")
    assert len(rows) == 60
    with_marks = [r for r in rows if not r["name"].isascii()]
    assert len(with_marks) >= 50  # a few overseas records carry the name without diacritics
    diaspora = Counter(r["diaspora"] for r in rows)
    assert set(diaspora) == {"DOMESTIC", "OVERSEAS", "RETURNEE"}
    assert all((r["country"] == "VN") == (r["diaspora"] != "OVERSEAS") for r in rows)
    assert all(2026 - r["born"] - 21 >= r["years"] for r in rows)
    coauthored = _one(db, "MATCH (a:Expert)-[:AUTHORED]->(p:Publication)<-[:AUTHORED]-"
                          "(b:Expert) WHERE a.id < b.id RETURN count(DISTINCT p) AS n")
    assert coauthored >= 5
    overseas_jobs = db.query(
        "MATCH (e:Expert {diaspora: 'OVERSEAS'})-[w:WORKS_AT]->(o) WHERE w.to IS NULL "
        "RETURN e.residenceCountry AS home, o.country AS org")
    assert overseas_jobs and all(r["home"] == r["org"] for r in overseas_jobs)


def test_one_account_per_role_with_tokens_shown_once_and_stored_as_digests(seeded):
    db, report = seeded
    assert sorted(report.accounts_created) == ["ADMIN", "EXPERT", "HR_AGENCY",
                                               "PROGRAMME_LEAD"]
    for role, token in report.accounts_created.items():
        account = accounts.authenticate(db, token)
        assert account is not None and account.role == role
        assert token in str(report)
        assert _one(db, f"MATCH (n) WHERE any(k IN keys(n) WHERE n[k] = '{token}') "
                        "RETURN count(n) AS n") == 0
    assert _one(db, "MATCH (:Account {role: 'EXPERT'})-[:IS]->(:Expert) RETURN count(*) AS n") \
        == 1


def test_the_generator_is_deterministic_valid_and_follows_the_name_data():
    docs = list(generate_profiles(BLOCK + 100, seed=57))
    assert docs == list(generate_profiles(BLOCK + 100, seed=57))
    assert docs[:BLOCK] == list(generate_profiles(BLOCK, seed=57))  # more experts, same first
    validated = [validate_profile(d) for d in docs]
    assert len({d["id"] for d in validated}) == len(docs)
    family = Counter(d["fullName"].split()[0] for d in docs)
    share = (family["Nguyễn"] + family["Nguyen"]) / len(docs)
    assert 0.30 <= share <= 0.46
    diaspora = Counter(d["diaspora"] for d in docs)
    assert 0.48 <= diaspora["DOMESTIC"] / len(docs) <= 0.62
    assert 0.05 <= diaspora["RETURNEE"] / len(docs) <= 0.15
    assert all(3 <= len(d["skills"]) <= 10 for d in docs)
    assert sum(bool(d["honorific"]) for d in docs) > len(docs) // 3
    assert sum(d["contactConsent"] for d in docs) / len(docs) == pytest.approx(0.6, abs=0.07)
