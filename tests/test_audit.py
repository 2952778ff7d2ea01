"""The audit trail: events are written with the action they record, and read newest first."""

from __future__ import annotations

import pytest

from registry import audit
from registry.accounts import create_account
from registry.audit import AuditAction
from registry.db import Database, count_queries, run
from registry.errors import ValidationError


def test_record_links_the_event_to_an_existing_account(db: Database):
    account, _ = create_account(db, name="Cục Nhân lực", role="HR_AGENCY")
    event = audit.record(db, actor_id=account.id, action=AuditAction.CONTACT_READ,
                         subject_kind="Expert", subject_id="e-1", detail={"fields": ["email"]})
    assert (event.actor_id, event.action, event.subject_kind, event.subject_id) == (
        account.id, "CONTACT_READ", "Expert", "e-1")
    assert event.detail == '{"fields": ["email"]}'
    linked = db.query("MATCH (:Account {id: $a})-[:DID]->(ev:AuditEvent {id: $e}) "
                      "RETURN count(*) AS n", a=account.id, e=event.id)
    assert linked == [{"n": 1}]


def test_an_unknown_actor_is_kept_as_a_property_without_a_link(db: Database):
    event = audit.record(db, actor_id="gone", action="IMPORT", subject_kind="Import",
                         subject_id="batch-7")
    assert event.actor_id == "gone"
    assert db.query("MATCH ()-[r:DID]->() RETURN count(r) AS n") == [{"n": 0}]
    assert audit.events(db, actor_id="gone")[0].id == event.id


def test_the_system_may_act_without_an_account(db: Database):
    event = audit.record(db, actor_id=None, action="IMPORT", subject_kind="Import",
                         subject_id="seed")
    assert event.actor_id is None


def test_record_inside_a_transaction_commits_with_the_work(db: Database):
    def work(tx):
        run(tx, "CREATE (:Expert {id: 'e-tx'})")
        audit.record(tx, actor_id=None, action="EXPERT_REGISTERED", subject_kind="Expert",
                     subject_id="e-tx")

    db.write(work)
    assert [e.subject_id for e in audit.events(db, subject_id="e-tx")] == ["e-tx"]


def test_record_inside_a_failed_transaction_leaves_nothing(db: Database):
    class BoomError(Exception):
        pass

    def work(tx):
        audit.record(tx, actor_id=None, action="CONTACT_READ", subject_kind="Expert",
                     subject_id="e-fail")
        raise BoomError

    with pytest.raises(BoomError):
        db.write(work)
    assert audit.events(db, subject_id="e-fail") == []


def test_record_many_writes_a_page_in_one_statement(db: Database):
    ids = [f"e-{i}" for i in range(20)]
    with count_queries() as n:
        made = audit.record_many(db, actor_id="hr-1", action="CONTACT_READ",
                                 subject_kind="Expert", subject_ids=ids)
    assert n[0] == 1
    assert sorted(e.subject_id for e in made) == sorted(ids)
    assert len({e.id for e in made}) == 20
    assert audit.record_many(db, actor_id="hr-1", action="CONTACT_READ",
                             subject_kind="Expert", subject_ids=[]) == []


def test_events_are_newest_first_and_filtered(db: Database):
    first = audit.record(db, actor_id="a", action="PROFILE_UPDATED", subject_kind="Expert",
                         subject_id="x")
    second = audit.record(db, actor_id="b", action="CONTACT_READ", subject_kind="Expert",
                          subject_id="x")
    third = audit.record(db, actor_id="a", action="CONTACT_READ", subject_kind="Expert",
                         subject_id="y")
    assert [e.id for e in audit.events(db)] == [third.id, second.id, first.id]
    assert [e.id for e in audit.events(db, subject_id="x")] == [second.id, first.id]
    assert [e.id for e in audit.events(db, actor_id="a")] == [third.id, first.id]
    assert [e.id for e in audit.events(db, action="CONTACT_READ")] == [third.id, second.id]
    assert [e.id for e in audit.events(db, subject_id="x", actor_id="a",
                                       action="PROFILE_UPDATED")] == [first.id]
    assert [e.id for e in audit.events(db, first=1)] == [third.id]


@pytest.mark.parametrize(
    ("kwargs", "path"),
    [
        ({"action": "LOOKED_AROUND"}, "action"),
        ({"action": None}, "action"),
        ({"subject_kind": "Planet"}, "subjectKind"),
        ({"subject_id": ""}, "subjectId.0"),
        ({"subject_id": 42}, "subjectId.0"),
        ({"detail": "x" * 4001}, "detail"),
        ({"detail": 3.5}, "detail"),
        ({"actor_id": 7}, "actorId"),
    ],
)
def test_invalid_events_are_refused_before_writing(db: Database, kwargs, path):
    args = {"actor_id": None, "action": "IMPORT", "subject_kind": "Import",
            "subject_id": "s", **kwargs}
    with pytest.raises(ValidationError) as err:
        audit.record(db, **args)
    assert [e.path for e in err.value.errors] == [path]
    assert db.query("MATCH (ev:AuditEvent) RETURN count(ev) AS n") == [{"n": 0}]


@pytest.mark.parametrize(("kwargs", "path"), [({"action": "NOPE"}, "action"),
                                              ({"first": 0}, "first"),
                                              ({"first": 5000}, "first")])
def test_invalid_event_queries_are_refused(db: Database, kwargs, path):
    with pytest.raises(ValidationError) as err:
        audit.events(db, **kwargs)
    assert err.value.errors[0].path == path
