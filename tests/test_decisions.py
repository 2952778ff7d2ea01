"""Decisions on candidates (who may record them, what the matcher learns) and shortlists."""

from __future__ import annotations

import pytest

from registry import audit
from registry.accounts import create_account
from registry.db import Database, count_queries
from registry.decisions import (
    STAGE_WEIGHTS,
    TrainingPair,
    add_to_shortlist,
    decisions_for_expert,
    decisions_for_task,
    latest_decision_by_candidate,
    record_decision,
    remove_from_shortlist,
    shortlists_for,
    training_pairs,
)
from registry.errors import NotAllowed, NotFound, ValidationError


def _task(db: Database, task_id: str, posted_by: str) -> str:
    db.execute("MATCH (a:Account {id: $a}) CREATE (a)-[:POSTED]->(:Task {id: $id, "
               "status: 'OPEN', version: 1})", a=posted_by, id=task_id)
    return task_id


@pytest.fixture
def world(db: Database) -> dict[str, str]:
    lead = create_account(db, name="Lead", role="PROGRAMME_LEAD")[0].id
    other = create_account(db, name="Other lead", role="PROGRAMME_LEAD")[0].id
    admin = create_account(db, name="Admin", role="ADMIN")[0].id
    hr = create_account(db, name="HR", role="HR_AGENCY")[0].id
    db.execute("UNWIND ['e1', 'e2', 'e3'] AS id CREATE (:Expert {id: id})")
    return {"lead": lead, "other": other, "admin": admin, "hr": hr,
            "t1": _task(db, "t1", lead), "t2": _task(db, "t2", lead)}


def test_record_and_read_decisions(db: Database, world):
    d = record_decision(db, task_id="t1", expert_id="e1", actor_id=world["lead"],
                        kind="SHORTLISTED", reason="  Kinh nghiệm   chip 10 năm ")
    assert (d.task_id, d.expert_id, d.actor_id, d.kind) == ("t1", "e1", world["lead"],
                                                            "SHORTLISTED")
    assert d.reason == "Kinh nghiệm chip 10 năm"
    later = record_decision(db, task_id="t1", expert_id="e1", actor_id=world["lead"],
                            kind="INTERVIEWED")
    assert [x.id for x in decisions_for_task(db, task_id="t1")] == [later.id, d.id]
    assert [x.id for x in decisions_for_expert(db, expert_id="e1")] == [later.id, d.id]
    assert decisions_for_task(db, task_id="t2") == []
    [event] = audit.events(db, subject_id=d.id)
    assert (event.action, event.actor_id) == ("DECISION_RECORDED", world["lead"])
    assert db.query("MATCH (:Account {id: $a})-[:MADE]->(:Decision)-[:FOR]->(:Task {id: 't1'}) "
                    "RETURN count(*) AS n", a=world["lead"]) == [{"n": 2}]


def test_only_the_poster_or_an_admin_records(db: Database, world):
    for actor in ("other", "hr"):
        with pytest.raises(NotAllowed):
            record_decision(db, task_id="t1", expert_id="e1", actor_id=world[actor],
                            kind="SELECTED")
    made = record_decision(db, task_id="t1", expert_id="e1", actor_id=world["admin"],
                           kind="REJECTED", is_admin=True)
    assert made.actor_id == world["admin"]
    assert len(decisions_for_task(db, task_id="t1")) == 1


@pytest.mark.parametrize(("kwargs", "path"), [({"kind": "MAYBE"}, "kind"),
                                              ({"kind": None}, "kind"),
                                              ({"reason": "r" * 2001}, "reason")])
def test_invalid_decisions_are_refused(db: Database, world, kwargs, path):
    args = {"task_id": "t1", "expert_id": "e1", "actor_id": world["lead"], "kind": "SELECTED",
            **kwargs}
    with pytest.raises(ValidationError) as err:
        record_decision(db, **args)
    assert [e.path for e in err.value.errors] == [path]
    assert db.query("MATCH (d:Decision) RETURN count(d) AS n") == [{"n": 0}]


def test_decisions_need_a_known_task_and_expert(db: Database, world):
    with pytest.raises(NotFound):
        record_decision(db, task_id="nope", expert_id="e1", actor_id=world["lead"],
                        kind="SELECTED")
    with pytest.raises(NotFound):
        record_decision(db, task_id="t1", expert_id="nope", actor_id=world["lead"],
                        kind="SELECTED")


def test_latest_decision_per_candidate_in_one_statement(db: Database, world):
    lead = world["lead"]
    record_decision(db, task_id="t1", expert_id="e1", actor_id=lead, kind="SHORTLISTED")
    last = record_decision(db, task_id="t1", expert_id="e1", actor_id=lead, kind="CONTACTED")
    e2 = record_decision(db, task_id="t1", expert_id="e2", actor_id=lead, kind="REJECTED")
    record_decision(db, task_id="t2", expert_id="e3", actor_id=lead, kind="SELECTED")
    with count_queries() as n:
        latest = db.read(latest_decision_by_candidate, "t1", ["e1", "e2", "e3"])
    assert n[0] == 1
    assert latest == {"e1": last, "e2": e2}


def test_training_pairs_follow_the_latest_decision(db: Database, world):
    lead = world["lead"]
    for expert, kinds in (("e1", ["SHORTLISTED", "INTERVIEWED", "SELECTED"]),
                          ("e2", ["SHORTLISTED", "INTERVIEWED", "REJECTED"]),
                          ("e3", ["SHORTLISTED"])):
        for kind in kinds:
            record_decision(db, task_id="t1", expert_id=expert, actor_id=lead, kind=kind)
    record_decision(db, task_id="t2", expert_id="e1", actor_id=lead, kind="CONTACTED")
    assert training_pairs(db) == [
        TrainingPair("t1", "e1", 1, STAGE_WEIGHTS["SELECTED"], "SELECTED"),
        TrainingPair("t1", "e2", 0, STAGE_WEIGHTS["REJECTED"], "REJECTED"),
        TrainingPair("t1", "e3", 1, STAGE_WEIGHTS["SHORTLISTED"], "SHORTLISTED"),
        TrainingPair("t2", "e1", 1, STAGE_WEIGHTS["CONTACTED"], "CONTACTED"),
    ]
    assert STAGE_WEIGHTS["SHORTLISTED"] < STAGE_WEIGHTS["INTERVIEWED"] < STAGE_WEIGHTS["SELECTED"]


# Shortlists -------------------------------------------------------------------------------

def test_add_list_and_remove(db: Database, world):
    hr = world["hr"]
    first = add_to_shortlist(db, account_id=hr, expert_id="e1", task_id="t1", note="mạnh")
    again = add_to_shortlist(db, account_id=hr, expert_id="e2", task_id="t1")
    assert again.id == first.id and again.task_id == "t1" and again.account_id == hr
    assert [e.expert_id for e in again.entries] == ["e1", "e2"]
    assert again.entries[0].note == "mạnh"
    other = add_to_shortlist(db, account_id=hr, expert_id="e3", name="Dự phòng")
    assert other.id != first.id and other.task_id is None
    assert [s.id for s in shortlists_for(db, account_id=hr)] == [first.id, other.id]
    assert [s.id for s in shortlists_for(db, account_id=hr, task_id="t1")] == [first.id]
    after = remove_from_shortlist(db, account_id=hr, shortlist_id=first.id, expert_id="e1")
    assert [e.expert_id for e in after.entries] == ["e2"]
    assert remove_from_shortlist(db, account_id=hr, shortlist_id=first.id,
                                 expert_id="e1") == after


def test_adding_twice_keeps_one_entry_and_the_first_date(db: Database, world):
    hr = world["hr"]
    first = add_to_shortlist(db, account_id=hr, expert_id="e1", note="a")
    second = add_to_shortlist(db, account_id=hr, expert_id="e1", note="b")
    [entry] = second.entries
    assert entry.added_at == first.entries[0].added_at and entry.note == "b"
    assert add_to_shortlist(db, account_id=hr, expert_id="e1").entries[0].note == "b"


def test_shortlists_are_private_to_their_account(db: Database, world):
    mine = add_to_shortlist(db, account_id=world["hr"], expert_id="e1", task_id="t1")
    theirs = add_to_shortlist(db, account_id=world["lead"], expert_id="e1", task_id="t1")
    assert mine.id != theirs.id
    with pytest.raises(NotAllowed):
        remove_from_shortlist(db, account_id=world["lead"], shortlist_id=mine.id,
                              expert_id="e1")
    assert shortlists_for(db, account_id=world["other"]) == []


def test_shortlist_references_must_exist(db: Database, world):
    for kwargs in ({"account_id": "ghost", "expert_id": "e1"},
                   {"account_id": world["hr"], "expert_id": "ghost"},
                   {"account_id": world["hr"], "expert_id": "e1", "task_id": "ghost"}):
        with pytest.raises(NotFound):
            add_to_shortlist(db, **kwargs)
    with pytest.raises(NotFound):
        remove_from_shortlist(db, account_id=world["hr"], shortlist_id="ghost", expert_id="e1")
    assert db.query("MATCH (s:Shortlist) RETURN count(s) AS n") == [{"n": 0}]


@pytest.mark.parametrize(("kwargs", "path"), [({"name": "n" * 101}, "name"),
                                              ({"note": "n" * 1001}, "note")])
def test_invalid_shortlist_fields(db: Database, world, kwargs, path):
    with pytest.raises(ValidationError) as err:
        add_to_shortlist(db, account_id=world["hr"], expert_id="e1", **kwargs)
    assert [e.path for e in err.value.errors] == [path]
