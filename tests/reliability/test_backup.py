"""Backup and restore through the command line: ``chuyengia export`` then ``chuyengia import
graph`` into an empty registry gives the same graph (counts by label and type, and the
checksum of every property), decisions, audit events and accounts included."""

from __future__ import annotations

from pathlib import Path

from starlette.testclient import TestClient

from registry import decisions
from registry.accounts import authenticate
from registry.cli import main as cli
from registry.db import Database
from registry.transfer import graph_fingerprint
from tests.api.mutation_support import mutate
from tests.api.support import gql, person, seed
from tests.conftest import wipe
from tests.reliability.conftest import Callers
from tests.reliability.support import make_world


def test_export_then_import_into_an_empty_registry_gives_the_same_graph(
        client: TestClient, db: Database, callers: Callers, tmp_path: Path):
    # A registry with something of every kind, made the way users make it.
    others = seed(db, [person(100 + i, fullName=f"Vũ Sao Lưu {i}", publications=[
        {"title": "Bài chung", "year": 2022, "doi": "10.5555/shared"}]) for i in range(5)])
    world = make_world(db, lead_account_id=callers.lead_account_id,
                       hr_account_id=callers.hr_account_id, expert_id=callers.expert_id)
    decisions.record_decision(db, actor_id=callers.lead_account_id, task_id=world.open_task,
                              expert_id=others[0], kind="SELECTED", reason="phù hợp nhất")
    result = mutate(client, "setAvailability", {"id": callers.expert_id, "version": 1,
                                                 "availability": "FULL_TIME"},
                    token=callers.owner, success="expert { version }")
    assert result["__typename"] == "ProfileUpdated"
    gql(client, "query($id: ID!) { expert(id: $id) { contact { email } } }",
        {"id": callers.expert_id}, token=callers.hr)  # a CONTACT_READ audit event
    before = graph_fingerprint(db)
    for label in ("Expert", "Account", "Task", "Programme", "Shortlist", "Decision",
                  "AuditEvent", "Publication", "Organization"):
        assert before["nodes"].get(label), (label, before["nodes"])

    path = tmp_path / "registry.jsonl"
    assert cli(["export", str(path)]) == 0
    wipe(db)
    assert graph_fingerprint(db) != before
    assert cli(["import", "graph", str(path)]) == 0

    after = graph_fingerprint(db)
    assert after["nodes"] == before["nodes"]
    assert after["relationships"] == before["relationships"]
    assert after == before
    # Restored accounts keep their token digests: the same tokens work.
    assert authenticate(db, callers.hr).id == callers.hr_account_id
    # And a restore refuses a registry that is not empty.
    assert cli(["import", "graph", str(path)]) == 2
    assert graph_fingerprint(db) == before
