"""Programme leads' mutations: ``createProgramme``, ``postTask``, ``updateTask``,
``closeTask``; a lead changes only their own tasks, administrators any."""

from __future__ import annotations

from typing import Any

import pytest

from registry import audit, programmes
from registry.accounts import create_account
from registry.db import Database
from tests.api.conftest import Callers
from tests.api.mutation_support import mutate, paths

LIST = "qd-1131-2025"
TASK = ("task { id code title status version postedBy objectives minYears "
        "requirements { weight mustHave minLevel skill { id } } areas { id } "
        "programme { id } location { country city } }")


def task_input(**overrides: Any) -> dict[str, Any]:
    doc = {"title": "Thiết kế chip AI biên", "description": "Dẫn dắt thiết kế SoC.",
           "roleSought": "CHIEF_ENGINEER", "chiefEngineerKind": "SYSTEM", "onsite": "HYBRID",
           "location": {"country": "vn", "city": "Hà Nội"}, "techListId": LIST,
           "areas": ["semiconductor-chips"], "minYears": 10, "objectives": "Chip mẫu",
           "requirements": [{"skill": "soc-design", "mustHave": True, "minLevel": 4},
                            {"skill": "machine-learning", "weight": 0.5}]}
    doc.update(overrides)
    return doc


@pytest.fixture
def programme(db: Database, callers: Callers) -> str:
    return programmes.create_programme(db, created_by=callers.lead_account_id, data={
        "code": "CT-CHIP", "title": "Chương trình vi mạch", "techListId": LIST,
        "areas": ["semiconductor-chips"]}).id


@pytest.fixture
def task(db: Database, callers: Callers) -> str:
    """An OPEN task posted by ``callers.lead`` (version 1)."""
    data = {**task_input(), "status": "OPEN"}
    return programmes.create_task(db, posted_by=callers.lead_account_id, data=data).id


@pytest.fixture
def other_lead(db: Database) -> str:
    return create_account(db, name="Chủ nhiệm khác", role="PROGRAMME_LEAD")[1]


# --- createProgramme -------------------------------------------------------------------------

def test_a_lead_creates_a_programme_they_lead(client, db: Database, callers: Callers):
    result = mutate(client, "createProgramme",
                    {"code": "CT-AI", "title": "Chương trình AI", "techListId": LIST,
                     "areas": ["semiconductor-chips"]},
                    token=callers.lead, success="programme { id code leadAccountId areas { id } }")
    assert result["__typename"] == "ProgrammeCreated"
    assert result["programme"]["leadAccountId"] == callers.lead_account_id
    assert audit.events(db, subject_id=result["programme"]["id"], action="PROGRAMME_CREATED")


def test_an_admin_names_the_lead(client, callers: Callers):
    result = mutate(client, "createProgramme",
                    {"code": "CT-AI", "title": "AI", "techListId": LIST,
                     "leadAccountId": callers.lead_account_id},
                    token=callers.admin, success="programme { leadAccountId }")
    assert result["programme"]["leadAccountId"] == callers.lead_account_id


def test_a_programme_with_unknown_references_is_invalid(client, callers: Callers):
    result = mutate(client, "createProgramme",
                    {"code": "ct ai", "title": "AI", "techListId": "no-such-list",
                     "areas": ["no-such-area"]}, token=callers.lead)
    assert set(paths(result)) == {"code", "techListId", "areas.0"}


def test_a_lead_cannot_name_another_lead(client, callers: Callers, other_lead: str):
    result = mutate(client, "createProgramme",
                    {"code": "CT-X", "title": "X", "techListId": LIST,
                     "leadAccountId": callers.admin_account_id}, token=callers.lead)
    assert result["__typename"] == "NotAllowed"
    refused = mutate(client, "createProgramme", {"code": "CT-Y", "title": "Y",
                                                 "techListId": LIST}, token=callers.hr)
    assert refused["__typename"] == "NotAllowed"


# --- postTask --------------------------------------------------------------------------------

def test_a_lead_posts_a_task(client, db: Database, callers: Callers, programme: str):
    result = mutate(client, "postTask", task_input(programmeId=programme), token=callers.lead,
                    success=TASK)
    assert result["__typename"] == "TaskPosted"
    task = result["task"]
    assert task["status"] == "DRAFT" and task["version"] == 1
    assert task["code"].startswith("NV-") and task["postedBy"] == callers.lead_account_id
    assert task["programme"] == {"id": programme}
    assert task["location"] == {"country": "VN", "city": "Hà Nội"}
    reqs = {r["skill"]["id"]: r for r in task["requirements"]}
    assert reqs["soc-design"] == {"weight": 1.0, "mustHave": True, "minLevel": 4,
                                  "skill": {"id": "soc-design"}}
    assert reqs["machine-learning"]["weight"] == 0.5
    assert audit.events(db, subject_id=task["id"], action="TASK_POSTED")


def test_an_invalid_task_reports_every_path(client, callers: Callers):
    result = mutate(client, "postTask",
                    task_input(location=None, onsite="ONSITE",
                               requirements=[{"skill": "soc-design", "weight": 2},
                                             {"skill": "no-such-skill"}],
                               languages=["vi", "klingon"]),
                    token=callers.lead)
    assert set(paths(result)) == {"location", "requirements.0.weight",
                                  "requirements.1.skill", "languages.1"}


def test_tasks_go_under_ones_own_programmes(client, callers: Callers, programme: str,
                                            other_lead: str):
    result = mutate(client, "postTask", task_input(programmeId=programme), token=other_lead)
    assert result["__typename"] == "NotAllowed"
    refused = mutate(client, "postTask", task_input(), token=callers.hr)
    assert refused["__typename"] == "NotAllowed"


# --- updateTask ------------------------------------------------------------------------------

def test_the_poster_updates_a_task(client, db: Database, callers: Callers, task: str):
    result = mutate(client, "updateTask",
                    {"id": task, "version": 1, "title": "Chip AI thế hệ 2", "objectives": None,
                     "requirements": [{"skill": "soc-design", "weight": 0.8}]},
                    token=callers.lead, success=TASK)
    assert result["__typename"] == "TaskUpdated"
    updated = result["task"]
    assert updated["title"] == "Chip AI thế hệ 2" and updated["version"] == 2
    assert updated["objectives"] is None and updated["minYears"] == 10  # cleared; kept
    assert [r["skill"]["id"] for r in updated["requirements"]] == ["soc-design"]
    [event] = audit.events(db, subject_id=task, action="TASK_UPDATED")
    assert event.actor_id == callers.lead_account_id


def test_an_admin_updates_any_task(client, callers: Callers, task: str):
    result = mutate(client, "updateTask", {"id": task, "version": 1, "minYears": 12},
                    token=callers.admin, success="task { minYears }")
    assert result["task"]["minYears"] == 12


def test_update_task_answers_the_typed_failures(client, callers: Callers, task: str,
                                                other_lead: str):
    invalid = mutate(client, "updateTask", {"id": task, "version": 1, "minYears": -1},
                     token=callers.lead)
    assert list(paths(invalid)) == ["minYears"]
    stale = mutate(client, "updateTask", {"id": task, "version": 3, "title": "x"},
                   token=callers.lead)
    assert stale["__typename"] == "VersionConflict" and stale["currentVersion"] == 1
    missing = mutate(client, "updateTask", {"id": "no-task", "version": 1, "title": "x"},
                     token=callers.admin)
    assert missing["__typename"] == "NotFound" and missing["kind"] == "Task"
    foreign = mutate(client, "updateTask", {"id": task, "version": 1, "title": "x"},
                     token=other_lead)
    assert foreign["__typename"] == "NotAllowed" and "posted" in foreign["reason"]
    hr = mutate(client, "updateTask", {"id": task, "version": 1, "title": "x"},
                token=callers.hr)
    assert hr["__typename"] == "NotAllowed"


# --- closeTask -------------------------------------------------------------------------------

def test_the_poster_closes_a_task_and_it_is_final(client, db: Database, callers: Callers,
                                                  task: str):
    result = mutate(client, "closeTask", {"id": task, "version": 1}, token=callers.lead,
                    success="task { status version closedAt }")
    assert result["__typename"] == "TaskClosed"
    assert result["task"]["status"] == "CLOSED" and result["task"]["closedAt"]
    assert audit.events(db, subject_id=task, action="TASK_CLOSED")
    later = mutate(client, "updateTask", {"id": task, "version": 2, "title": "x"},
                   token=callers.lead)
    assert later["__typename"] == "NotAllowed" and "closed" in later["reason"]


def test_close_task_answers_the_typed_failures(client, callers: Callers, task: str,
                                               other_lead: str):
    stale = mutate(client, "closeTask", {"id": task, "version": 2}, token=callers.lead)
    assert stale["__typename"] == "VersionConflict"
    missing = mutate(client, "closeTask", {"id": "no-task", "version": 1}, token=callers.lead)
    assert missing["__typename"] == "NotFound"
    foreign = mutate(client, "closeTask", {"id": task, "version": 1}, token=other_lead)
    assert foreign["__typename"] == "NotAllowed"
    assert mutate(client, "closeTask", {"id": task, "version": 1},
                  token=callers.admin)["__typename"] == "TaskClosed"
