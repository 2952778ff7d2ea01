"""Shortlists: ``addToShortlist`` and ``removeFromShortlist`` (the ``shortlists`` query is
tested in ``test_gql_shortlists``)."""

from __future__ import annotations

import pytest

from registry import experts, programmes
from registry.accounts import create_account
from registry.db import Database
from tests.api.conftest import Callers
from tests.api.mutation_support import mutate, paths

SHORTLIST = ("shortlist { id name taskId task { id } "
             "entries { expertId note addedAt expert { id fullName } } }")


def _task(db: Database, poster: str, **overrides) -> str:
    return programmes.create_task(db, posted_by=poster, data={
        "title": "Robot tự hành", "description": "AMR cho nhà máy.", "roleSought": "MEMBER",
        "onsite": "REMOTE", "techListId": "qd-1131-2025", "areas": ["semiconductor-chips"],
        "status": "OPEN", "requirements": [{"skill": "machine-learning"}], **overrides}).id


@pytest.fixture
def task(db: Database, callers: Callers) -> str:
    return _task(db, callers.lead_account_id)


def test_an_agency_keeps_a_shortlist_per_task(client, callers: Callers, task: str):
    result = mutate(client, "addToShortlist",
                    {"taskId": task, "expertId": callers.expert_id, "note": "Gọi tuần sau"},
                    token=callers.hr, success=SHORTLIST)
    assert result["__typename"] == "ShortlistChanged"
    shortlist = result["shortlist"]
    assert shortlist["taskId"] == task and shortlist["task"] == {"id": task}
    assert shortlist["name"] == "Danh sách ngắn"
    [entry] = shortlist["entries"]
    assert entry["expert"] == {"id": callers.expert_id, "fullName": "Chủ Hồ Sơ"}
    again = mutate(client, "addToShortlist",
                   {"taskId": task, "expertId": callers.expert_id, "note": "Đã gọi"},
                   token=callers.hr, success=SHORTLIST)
    [same] = again["shortlist"]["entries"]
    assert same["note"] == "Đã gọi" and same["addedAt"] == entry["addedAt"]


def test_add_to_shortlist_answers_the_typed_failures(client, db: Database, callers: Callers,
                                                     task: str):
    invalid = mutate(client, "addToShortlist",
                     {"taskId": task, "expertId": callers.expert_id, "name": "x" * 101},
                     token=callers.hr)
    assert list(paths(invalid)) == ["name"]
    no_expert = mutate(client, "addToShortlist", {"taskId": task, "expertId": "nobody"},
                       token=callers.hr)
    assert (no_expert["__typename"], no_expert["kind"]) == ("NotFound", "Expert")
    no_task = mutate(client, "addToShortlist",
                     {"taskId": "no-task", "expertId": callers.expert_id}, token=callers.hr)
    assert (no_task["__typename"], no_task["kind"]) == ("NotFound", "Task")
    refused = mutate(client, "addToShortlist", {"taskId": task, "expertId": callers.expert_id},
                     token=callers.owner)
    assert refused["__typename"] == "NotAllowed"


def test_hidden_experts_and_drafts_of_others_are_not_found(client, db: Database,
                                                           callers: Callers):
    other_lead, _ = create_account(db, name="Chủ nhiệm khác", role="PROGRAMME_LEAD")
    draft = _task(db, other_lead.id, status="DRAFT")
    result = mutate(client, "addToShortlist", {"taskId": draft, "expertId": callers.expert_id},
                    token=callers.hr)
    assert (result["__typename"], result["kind"]) == ("NotFound", "Task")
    experts.update_expert(db, callers.expert_id, 1, lambda d: {**d, "visibility": "PRIVATE"})
    hidden = mutate(client, "addToShortlist", {"expertId": callers.expert_id},
                    token=callers.hr)
    assert (hidden["__typename"], hidden["kind"]) == ("NotFound", "Expert")


def test_remove_from_shortlist(client, callers: Callers, task: str):
    added = mutate(client, "addToShortlist", {"taskId": task, "expertId": callers.expert_id},
                   token=callers.hr, success="shortlist { id }")
    shortlist_id = added["shortlist"]["id"]
    result = mutate(client, "removeFromShortlist",
                    {"shortlistId": shortlist_id, "expertId": callers.expert_id},
                    token=callers.hr, success="shortlist { id entries { expertId } }")
    assert result["__typename"] == "ShortlistChanged"
    assert result["shortlist"] == {"id": shortlist_id, "entries": []}


def test_remove_from_shortlist_answers_the_typed_failures(client, callers: Callers, task: str):
    added = mutate(client, "addToShortlist", {"taskId": task, "expertId": callers.expert_id},
                   token=callers.hr, success="shortlist { id }")
    change = {"shortlistId": added["shortlist"]["id"], "expertId": callers.expert_id}
    missing = mutate(client, "removeFromShortlist", {**change, "shortlistId": "none"},
                     token=callers.hr)
    assert (missing["__typename"], missing["kind"]) == ("NotFound", "Shortlist")
    not_theirs = mutate(client, "removeFromShortlist", change, token=callers.lead)
    assert not_theirs["__typename"] == "NotAllowed" and "keeps" in not_theirs["reason"]
    expert = mutate(client, "removeFromShortlist", change, token=callers.owner)
    assert expert["__typename"] == "NotAllowed"
