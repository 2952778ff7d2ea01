"""Programmes and tasks: ``tasks``, ``task``, ``programmes``, ``programme``."""

from __future__ import annotations

import pytest
from starlette.testclient import TestClient

from registry import programmes
from registry.accounts import create_account
from registry.db import Database
from tests.api.conftest import Callers
from tests.api.support import codes, covers, gql

LIST = "qd-1131-2025"


def _task(**overrides) -> dict:
    return {"title": "Thiết kế chip AI biên", "description": "Dẫn dắt thiết kế SoC.",
            "roleSought": "CHIEF_ENGINEER", "chiefEngineerKind": "SYSTEM", "onsite": "REMOTE",
            "techListId": LIST, "areas": ["semiconductor-chips"], "minYears": 10,
            "requirements": [{"skill": "soc-design", "weight": 1.0, "mustHave": True,
                              "minLevel": 4},
                             {"skill": "machine-learning", "weight": 0.5}], **overrides}


@pytest.fixture
def posted(db: Database, callers: Callers) -> dict[str, str]:
    prog = programmes.create_programme(db, created_by=callers.lead_account_id, data={
        "code": "CT-CHIP", "title": "Chương trình vi mạch", "techListId": LIST,
        "areas": ["semiconductor-chips"]})
    open_task = programmes.create_task(db, posted_by=callers.lead_account_id,
                                       data=_task(status="OPEN", programmeId=prog.id))
    draft = programmes.create_task(db, posted_by=callers.lead_account_id,
                                   data=_task(title="Bản nháp"))
    other_lead, _ = create_account(db, name="Chủ nhiệm khác", role="PROGRAMME_LEAD")
    foreign_draft = programmes.create_task(db, posted_by=other_lead.id,
                                           data=_task(title="Nháp của người khác"))
    return {"programme": prog.id, "open": open_task.id, "draft": draft.id,
            "foreign_draft": foreign_draft.id}


TASK = """query($id: ID!) { task(id: $id) {
  id code title status roleSought chiefEngineerKind minYears techListId postedBy version
  requirements { weight mustHave minLevel skill { id nameVi } }
  areas { id } programme { id code } } }"""


@covers("task")
def test_task_with_requirements(client: TestClient, callers: Callers, posted: dict):
    t = gql(client, TASK, {"id": posted["open"]}, token=callers.hr)["data"]["task"]
    assert t["status"] == "OPEN" and t["roleSought"] == "CHIEF_ENGINEER"
    assert t["chiefEngineerKind"] == "SYSTEM" and t["techListId"] == LIST
    assert t["code"].startswith("NV-") and t["version"] == 1
    assert t["postedBy"] == callers.lead_account_id
    reqs = {r["skill"]["id"]: r for r in t["requirements"]}
    assert reqs["soc-design"]["mustHave"] and reqs["soc-design"]["minLevel"] == 4
    assert reqs["machine-learning"]["weight"] == 0.5
    assert t["areas"] == [{"id": "semiconductor-chips"}]
    assert t["programme"]["code"] == "CT-CHIP"


def test_drafts_only_for_their_lead_and_admins(client: TestClient, callers: Callers,
                                               posted: dict):
    def sees(token: str, key: str) -> bool:
        return gql(client, TASK, {"id": posted[key]}, token=token)["data"]["task"] is not None

    assert sees(callers.lead, "draft") and sees(callers.admin, "draft")
    assert not sees(callers.lead, "foreign_draft") and sees(callers.admin, "foreign_draft")
    assert not sees(callers.hr, "draft") and not sees(callers.other_expert, "draft")
    assert sees(callers.other_expert, "open")


def test_tasks_need_a_signed_in_caller(client: TestClient, posted: dict):
    body = gql(client, TASK, {"id": posted["open"]}, expect_errors=True)
    assert codes(body) == ["UNAUTHENTICATED"] and body["data"] == {"task": None}
    body = gql(client, "{ tasks { nodes { id } } }", expect_errors=True)
    assert codes(body) == ["UNAUTHENTICATED"]


@covers("tasks")
def test_tasks_list_filters_and_drafts(client: TestClient, callers: Callers, posted: dict):
    query = """query($f: TaskFilter, $n: Int, $a: String) { tasks(filter: $f, first: $n,
      after: $a) { nodes { id title status } pageInfo { hasNextPage endCursor } } }"""

    def ids(token: str, f: dict | None = None) -> set[str]:
        return {t["id"] for t in gql(client, query, {"f": f}, token=token)
                ["data"]["tasks"]["nodes"]}

    assert ids(callers.hr) == {posted["open"]}  # OPEN by default
    assert ids(callers.hr, {"status": None}) == {posted["open"]}
    assert ids(callers.lead, {"status": None}) == {posted["open"], posted["draft"]}
    assert ids(callers.lead, {"status": "DRAFT", "mine": True}) == {posted["draft"]}
    assert ids(callers.admin, {"status": "DRAFT"}) == {posted["draft"], posted["foreign_draft"]}
    assert ids(callers.hr, {"programmeId": posted["programme"]}) == {posted["open"]}
    assert ids(callers.hr, {"techAreaId": "quantum-technology"}) == set()
    page = gql(client, query, {"f": {"status": None}, "n": 1}, token=callers.admin)
    assert page["data"]["tasks"]["pageInfo"]["hasNextPage"]


def test_pages_are_full_and_counted_whatever_drafts_others_keep(
        client: TestClient, db: Database, callers: Callers, posted: dict):
    # Newer than every task of the fixture: other leads' drafts first in the list.
    other, _ = create_account(db, name="Chủ nhiệm thứ ba", role="PROGRAMME_LEAD")
    for k in range(3):
        programmes.create_task(db, posted_by=other.id, data=_task(title=f"Nháp {k}"))
    query = """query($n: Int, $a: String) { tasks(filter: {status: null}, first: $n,
      after: $a) { totalCount nodes { id } pageInfo { hasNextPage endCursor } } }"""
    seen, after, pages = [], None, []
    while True:
        page = gql(client, query, {"n": 1, "a": after}, token=callers.lead)["data"]["tasks"]
        pages.append(len(page["nodes"]))
        seen += [t["id"] for t in page["nodes"]]
        if not page["pageInfo"]["hasNextPage"]:
            break
        after = page["pageInfo"]["endCursor"]
    assert sorted(seen) == sorted([posted["open"], posted["draft"]])
    assert pages == [1, 1]  # no page left empty by a draft the lead may not see
    assert page["totalCount"] == 2
    counted = gql(client, "{ tasks(filter: {status: null}) { totalCount } }",
                  token=callers.admin)["data"]["tasks"]["totalCount"]
    assert counted == 6  # the admin sees every draft
    hr = gql(client, "{ tasks { totalCount } }", token=callers.hr)["data"]["tasks"]
    assert hr["totalCount"] == 1


def test_programmes_and_organizations_are_counted(client: TestClient, db: Database,
                                                  callers: Callers, posted: dict):
    programmes.create_programme(db, created_by=callers.lead_account_id, data={
        "code": "CT-AI", "title": "Chương trình AI", "techListId": LIST,
        "areas": ["ai-digital-twin-xr"]})
    got = gql(client, "{ programmes(first: 1) { totalCount nodes { code } } }",
              token=callers.hr)["data"]["programmes"]
    assert got["totalCount"] == 2 and len(got["nodes"]) == 1
    query = """query($f: OrganizationFilter) { organizations(filter: $f, first: 1) {
      totalCount nodes { id } pageInfo { hasNextPage } } }"""
    vn = gql(client, query, {"f": {"country": "VN"}}, token=callers.hr)["data"]["organizations"]
    listed = db.query("MATCH (o:Organization {country: 'VN'}) RETURN count(o) AS n")[0]["n"]
    assert vn["totalCount"] == listed > 1 and vn["pageInfo"]["hasNextPage"]
    none = gql(client, query, {"f": {"query": "no such organization"}},
               token=callers.hr)["data"]["organizations"]
    assert none == {"totalCount": 0, "nodes": [], "pageInfo": {"hasNextPage": False}}


@covers("programmes", "programme")
def test_programmes(client: TestClient, callers: Callers, posted: dict):
    listed = gql(client, "{ programmes { nodes { id code title techListId leadAccountId "
                         "areas { id } } pageInfo { hasNextPage } } }", token=callers.hr)
    (prog,) = listed["data"]["programmes"]["nodes"]
    assert prog["code"] == "CT-CHIP" and prog["leadAccountId"] == callers.lead_account_id
    assert prog["areas"] == [{"id": "semiconductor-chips"}]
    one = gql(client, "query($id: ID!) { programme(id: $id) { code } }",
              {"id": posted["programme"]}, token=callers.other_expert)
    assert one["data"]["programme"] == {"code": "CT-CHIP"}
    missing = gql(client, "query($id: ID!) { programme(id: $id) { code } }", {"id": "nope"},
                  token=callers.hr)
    assert missing["data"]["programme"] is None
    anon = gql(client, "{ programmes { nodes { id } } }", expect_errors=True)
    assert codes(anon) == ["UNAUTHENTICATED"]
