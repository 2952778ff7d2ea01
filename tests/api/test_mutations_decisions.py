"""``recordDecision``: on the lead's own tasks (administrators: any), audited as
DECISION_RECORDED."""

from __future__ import annotations

import json

import pytest

from registry import audit, decisions, experts, programmes
from registry.accounts import create_account
from registry.db import Database
from tests.api.conftest import Callers
from tests.api.mutation_support import mutate, paths

DECISION = ("decision { id kind reason at actorId taskId expertId expert { id } "
            "task { id } }")


@pytest.fixture
def task(db: Database, callers: Callers) -> str:
    return programmes.create_task(db, posted_by=callers.lead_account_id, data={
        "title": "Trợ lý ảo tiếng Việt", "description": "Mô hình ngôn ngữ lớn.",
        "roleSought": "PRINCIPAL_INVESTIGATOR", "onsite": "REMOTE",
        "techListId": "qd-1131-2025", "areas": ["semiconductor-chips"], "status": "OPEN",
        "requirements": [{"skill": "machine-learning"}]}).id


def decide(callers: Callers, task: str, **overrides) -> dict:
    return {"taskId": task, "expertId": callers.expert_id, "kind": "SHORTLISTED",
            "reason": "Kinh nghiệm SoC phù hợp", **overrides}


def test_the_lead_records_a_decision_and_it_is_audited(client, db: Database,
                                                       callers: Callers, task: str):
    result = mutate(client, "recordDecision", decide(callers, task), token=callers.lead,
                    success=DECISION)
    assert result["__typename"] == "DecisionRecorded"
    decision = result["decision"]
    assert decision["kind"] == "SHORTLISTED" and decision["reason"] == "Kinh nghiệm SoC phù hợp"
    assert decision["actorId"] == callers.lead_account_id
    assert decision["expert"] == {"id": callers.expert_id} and decision["task"] == {"id": task}
    [event] = audit.events(db, subject_id=decision["id"], action="DECISION_RECORDED")
    assert event.actor_id == callers.lead_account_id
    assert json.loads(event.detail) == {"task": task, "expert": callers.expert_id,
                                        "kind": "SHORTLISTED"}
    [pair] = decisions.training_pairs(db)
    assert (pair.task_id, pair.expert_id, pair.label) == (task, callers.expert_id, 1)


def test_an_admin_records_on_any_task(client, db: Database, callers: Callers, task: str):
    result = mutate(client, "recordDecision", decide(callers, task, kind="REJECTED"),
                    token=callers.admin, success="decision { kind actorId }")
    assert result["decision"] == {"kind": "REJECTED", "actorId": callers.admin_account_id}
    assert audit.events(db, actor_id=callers.admin_account_id, action="DECISION_RECORDED")


def test_a_reason_too_long_is_invalid(client, callers: Callers, task: str):
    result = mutate(client, "recordDecision", decide(callers, task, reason="x" * 2001),
                    token=callers.lead)
    assert list(paths(result)) == ["reason"]


def test_unknown_or_hidden_task_and_expert_are_not_found(client, db: Database,
                                                         callers: Callers, task: str):
    no_task = mutate(client, "recordDecision", decide(callers, "no-task"), token=callers.lead)
    assert (no_task["__typename"], no_task["kind"]) == ("NotFound", "Task")
    no_expert = mutate(client, "recordDecision", decide(callers, task, expertId="nobody"),
                       token=callers.lead)
    assert (no_expert["__typename"], no_expert["kind"]) == ("NotFound", "Expert")
    experts.update_expert(db, callers.expert_id, 1, lambda d: {**d, "visibility": "PRIVATE"})
    hidden = mutate(client, "recordDecision", decide(callers, task), token=callers.lead)
    assert (hidden["__typename"], hidden["kind"]) == ("NotFound", "Expert")
    assert decisions.decisions_for_task(db, task_id=task) == []


def test_another_lead_may_not_decide_on_the_task(client, db: Database, callers: Callers,
                                                 task: str):
    _, other = create_account(db, name="Chủ nhiệm khác", role="PROGRAMME_LEAD")
    result = mutate(client, "recordDecision", decide(callers, task), token=other)
    assert result["__typename"] == "NotAllowed" and "posted" in result["reason"]
    for who in (callers.hr, callers.owner):
        assert mutate(client, "recordDecision", decide(callers, task),
                      token=who)["__typename"] == "NotAllowed"
    assert audit.events(db, action="DECISION_RECORDED") == []
