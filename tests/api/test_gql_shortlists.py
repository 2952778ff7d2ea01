"""The ``shortlists`` query: the caller's own shortlists (kept with the mutations of
``api.shortlists``, tested in ``test_mutations_shortlists``)."""

from __future__ import annotations

from registry import programmes
from registry.db import Database
from tests.api.conftest import Callers
from tests.api.mutation_support import mutate
from tests.api.support import covers, gql

QUERY = """query($taskId: ID) { shortlists(taskId: $taskId) {
  id name taskId entries { expertId note } } }"""


def _task(db: Database, poster: str) -> str:
    return programmes.create_task(db, posted_by=poster, data={
        "title": "Robot tự hành", "description": "AMR cho nhà máy.", "roleSought": "MEMBER",
        "onsite": "REMOTE", "techListId": "qd-1131-2025", "areas": ["semiconductor-chips"],
        "status": "OPEN", "requirements": [{"skill": "machine-learning"}]}).id


@covers("shortlists")
def test_shortlists_lists_only_the_callers_own(client, db: Database, callers: Callers):
    task = _task(db, callers.lead_account_id)
    mutate(client, "addToShortlist", {"taskId": task, "expertId": callers.expert_id},
           token=callers.hr)
    mutate(client, "addToShortlist", {"expertId": callers.other_expert_id, "name": "Chung"},
           token=callers.hr)
    mutate(client, "addToShortlist", {"taskId": task, "expertId": callers.other_expert_id},
           token=callers.lead)
    mine = gql(client, QUERY, {}, token=callers.hr)["data"]["shortlists"]
    assert sorted(s["name"] for s in mine) == ["Chung", "Danh sách ngắn"]
    for_task = gql(client, QUERY, {"taskId": task}, token=callers.hr)["data"]["shortlists"]
    assert [[e["expertId"] for e in s["entries"]] for s in for_task] == [[callers.expert_id]]
    leads = gql(client, QUERY, {"taskId": task}, token=callers.lead)["data"]["shortlists"]
    assert [[e["expertId"] for e in s["entries"]] for s in leads] == \
        [[callers.other_expert_id]]
    assert gql(client, QUERY, {}, token=callers.owner)["data"]["shortlists"] == []


def test_shortlists_need_a_signed_in_caller(client):
    body = gql(client, QUERY, {}, expect_errors=True)
    assert body["errors"][0]["extensions"]["code"] == "UNAUTHENTICATED"
