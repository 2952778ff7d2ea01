"""Programmes and tasks: validation of every field, who may change what, versions, listings."""

from __future__ import annotations

import base64
import datetime as dt
import json
from typing import Any

import pytest

from registry import audit
from registry.accounts import create_account, revoke_account
from registry.db import Database, count_queries
from registry.errors import NotAllowed, NotFound, ValidationError, VersionConflict
from registry.programmes import (
    Location,
    Requirement,
    close_task,
    create_programme,
    create_task,
    delete_programme,
    delete_task,
    get_programme,
    get_task,
    get_tasks,
    list_programmes,
    list_tasks,
    task_requirements,
    update_task,
)

LIST = "qd-1131-2025"


@pytest.fixture
def reg(db: Database) -> Database:
    """The few taxonomy nodes tasks refer to (MERGE: the reference data may hold them)."""
    db.execute(
        "MERGE (v:TaxonomyVersion {id: 'qd-1131-2025'}) "
        "MERGE (w:TaxonomyVersion {id: 'qd-21-2026'}) "
        "WITH v, w UNWIND ['semiconductor-chips', 'ai-digital-twin-xr'] AS area "
        "MERGE (a:TechArea {id: area}) MERGE (a)-[:IN_LIST]->(v) "
        "WITH DISTINCT w MERGE (b:TechArea {id: 'semiconductor-chips-2026'}) "
        "MERGE (b)-[:IN_LIST]->(w) "
        "WITH 1 AS one UNWIND ['machine-learning', 'deep-learning', 'computer-vision'] AS s "
        "MERGE (:Skill {id: s})")
    return db


@pytest.fixture
def lead(reg: Database) -> str:
    return create_account(reg, name="Lead A", role="PROGRAMME_LEAD")[0].id


@pytest.fixture
def other_lead(reg: Database) -> str:
    return create_account(reg, name="Lead B", role="PROGRAMME_LEAD")[0].id


@pytest.fixture
def admin(reg: Database) -> str:
    return create_account(reg, name="Admin", role="ADMIN")[0].id


def task_doc(**overrides: Any) -> dict[str, Any]:
    doc: dict[str, Any] = {
        "title": "Thiết kế chip AI biên",
        "description": "Làm chủ thiết kế SoC cho camera AI.\nSản xuất thử 1.000 chip.",
        "objectives": "Chip mẫu đạt 2 TOPS/W",
        "products": ["Chip mẫu", "Bộ thiết kế"],
        "roleSought": "CHIEF_ENGINEER",
        "chiefEngineerKind": "SYSTEM",
        "minYears": 10,
        "languages": ["vi", "EN"],
        "location": {"country": "vn", "city": "Hà Nội"},
        "onsite": "HYBRID",
        "start": "2026-09-01",
        "durationMonths": 36,
        "budgetUsd": 2_500_000,
        "techListId": LIST,
        "areas": ["semiconductor-chips"],
        "requirements": [
            {"skill": "machine-learning", "weight": 0.8, "mustHave": True, "minLevel": 4},
            {"skill": "deep-learning"},
        ],
    }
    doc.update(overrides)
    return doc


# Creating and reading ---------------------------------------------------------------------

def test_create_task_normalises_and_reads_back(reg: Database, lead: str):
    task = create_task(reg, posted_by=lead, data=task_doc())
    year = dt.date.today().year
    assert task.code == f"NV-{year}-001" and task.version == 1 and task.status == "DRAFT"
    assert task.posted_by == lead and task.programme_id is None
    assert task.languages == ("vi", "en") and task.location == Location("VN", "Hà Nội")
    assert task.start == dt.date(2026, 9, 1) and task.budget_usd == 2_500_000.0
    assert task.award_mode == "OPEN_SELECTION" and task.areas == ("semiconductor-chips",)
    assert task.requirements == (Requirement("deep-learning", 1.0, False, 1),
                                 Requirement("machine-learning", 0.8, True, 4))
    assert get_task(reg, task_id=task.id) == task
    second = create_task(reg, posted_by=lead, data=task_doc())
    assert second.code == f"NV-{year}-002"
    [event] = audit.events(reg, subject_id=task.id)
    assert (event.action, event.actor_id) == ("TASK_POSTED", lead)


def test_a_chosen_code_is_kept_and_must_be_free(reg: Database, lead: str):
    task = create_task(reg, posted_by=lead, data=task_doc(code="ĐTĐL.CN-01/26"))
    assert task.code == "ĐTĐL.CN-01/26"
    with pytest.raises(ValidationError) as err:
        create_task(reg, posted_by=lead, data=task_doc(code="ĐTĐL.CN-01/26"))
    assert [e.path for e in err.value.errors] == ["code"]


def test_generated_codes_skip_a_code_chosen_by_hand(reg: Database, lead: str):
    year = dt.date.today().year
    create_task(reg, posted_by=lead, data=task_doc(code=f"NV-{year}-001"))
    assert create_task(reg, posted_by=lead, data=task_doc()).code == f"NV-{year}-002"


def test_remote_tasks_need_no_location(reg: Database, lead: str):
    task = create_task(reg, posted_by=lead, data=task_doc(onsite="REMOTE", location=None,
                                                          roleSought="ADVISOR",
                                                          chiefEngineerKind=None))
    assert task.location is None and task.chief_engineer_kind is None


def test_unknown_tasks_are_not_found(reg: Database):
    with pytest.raises(NotFound):
        get_task(reg, task_id="nope")
    assert reg.read(get_tasks, ["nope"]) == {}


INVALID = [
    ({"title": ""}, "title"),
    ({"title": "t" * 201}, "title"),
    ({"description": None}, "description"),
    ({"objectives": "o" * 5001}, "objectives"),
    ({"products": "chip"}, "products"),
    ({"products": ["ok", ""]}, "products.1"),
    ({"roleSought": "CEO"}, "roleSought"),
    ({"chiefEngineerKind": None}, "chiefEngineerKind"),
    ({"chiefEngineerKind": "GENERAL"}, "chiefEngineerKind"),
    ({"roleSought": "MEMBER"}, "chiefEngineerKind"),
    ({"minYears": -1}, "minYears"),
    ({"minYears": 7.5}, "minYears"),
    ({"languages": ["vn"]}, "languages.0"),
    ({"onsite": "SOMETIMES"}, "onsite"),
    ({"location": None}, "location"),
    ({"location": "Hà Nội"}, "location"),
    ({"location": {"city": "Hà Nội"}}, "location.country"),
    ({"start": "01/09/2026"}, "start"),
    ({"durationMonths": 0}, "durationMonths"),
    ({"budgetUsd": -5}, "budgetUsd"),
    ({"awardMode": "LOTTERY"}, "awardMode"),
    ({"status": "CLOSED"}, "status"),
    ({"techListId": None}, "techListId"),
    ({"techListId": "qd-0-1999"}, "techListId"),
    ({"areas": []}, "areas"),
    ({"areas": ["biotech"]}, "areas.0"),
    ({"areas": ["semiconductor-chips-2026"]}, "areas.0"),
    ({"areas": ["semiconductor-chips", "semiconductor-chips"]}, "areas.1"),
    ({"requirements": []}, "requirements"),
    ({"requirements": None}, "requirements"),
    ({"requirements": ["machine-learning"]}, "requirements.0"),
    ({"requirements": [{"skill": "juggling"}]}, "requirements.0.skill"),
    ({"requirements": [{"skill": "deep-learning"}, {"skill": "deep-learning"}]},
     "requirements.1.skill"),
    ({"requirements": [{"skill": "deep-learning", "weight": 0}]}, "requirements.0.weight"),
    ({"requirements": [{"skill": "deep-learning", "weight": 1.5}]}, "requirements.0.weight"),
    ({"requirements": [{"skill": "deep-learning", "mustHave": "yes"}]},
     "requirements.0.mustHave"),
    ({"requirements": [{"skill": "deep-learning", "minLevel": 6}]}, "requirements.0.minLevel"),
    ({"requirements": [{"skill": "deep-learning", "level": 3}]}, "requirements.0.level"),
    ({"programmeId": "no-such-programme"}, "programmeId"),
    ({"code": "nv 1"}, "code"),
    ({"colour": "red"}, "colour"),
]


@pytest.mark.parametrize(("overrides", "path"), INVALID)
def test_each_task_rule_is_checked_and_nothing_is_written(reg: Database, lead: str,
                                                          overrides, path):
    with pytest.raises(ValidationError) as err:
        create_task(reg, posted_by=lead, data=task_doc(**overrides))
    assert [e.path for e in err.value.errors] == [path]
    assert reg.query("MATCH (t:Task) RETURN count(t) AS n") == [{"n": 0}]


def test_every_problem_is_reported_at_once(reg: Database, lead: str):
    data = task_doc(title="", requirements=[{"skill": "deep-learning"},
                                            {"skill": "juggling", "weight": 2}],
                    areas=["biotech"])
    with pytest.raises(ValidationError) as err:
        create_task(reg, posted_by=lead, data=data)
    assert sorted(e.path for e in err.value.errors) == [
        "areas.0", "requirements.1.skill", "requirements.1.weight", "title"]


@pytest.mark.parametrize("role", ["HR_AGENCY", "EXPERT"])
def test_only_leads_and_admins_post_tasks(reg: Database, role: str):
    reg.execute("CREATE (:Expert {id: 'e1'})")
    account, _ = create_account(reg, name="X", role=role,
                                expert_id="e1" if role == "EXPERT" else None)
    with pytest.raises(NotAllowed):
        create_task(reg, posted_by=account.id, data=task_doc())


def test_a_revoked_lead_cannot_post(reg: Database, lead: str):
    revoke_account(reg, account_id=lead)
    with pytest.raises(NotAllowed):
        create_task(reg, posted_by=lead, data=task_doc())


# Updating, closing, deleting --------------------------------------------------------------

def test_update_applies_changes_and_bumps_the_version(reg: Database, lead: str):
    task = create_task(reg, posted_by=lead, data=task_doc())
    changed = update_task(reg, task_id=task.id, version=1, actor_id=lead, changes={
        "title": "Chip AI biên thế hệ 2", "status": "OPEN", "budgetUsd": None,
        "requirements": [{"skill": "computer-vision", "weight": 0.5}]})
    assert changed.version == 2 and changed.status == "OPEN"
    assert changed.title == "Chip AI biên thế hệ 2" and changed.budget_usd is None
    assert changed.requirements == (Requirement("computer-vision", 0.5, False, 1),)
    assert changed.code == task.code and changed.created_at == task.created_at
    assert get_task(reg, task_id=task.id) == changed


def test_a_stale_version_is_refused(reg: Database, lead: str):
    task = create_task(reg, posted_by=lead, data=task_doc())
    update_task(reg, task_id=task.id, version=1, actor_id=lead, changes={"minYears": 5})
    with pytest.raises(VersionConflict) as err:
        update_task(reg, task_id=task.id, version=1, actor_id=lead, changes={"minYears": 8})
    assert (err.value.expected, err.value.current) == (1, 2)
    assert get_task(reg, task_id=task.id).min_years == 5


def test_a_lead_cannot_edit_another_leads_task(reg: Database, lead: str, other_lead: str):
    task = create_task(reg, posted_by=lead, data=task_doc())
    with pytest.raises(NotAllowed):
        update_task(reg, task_id=task.id, version=1, actor_id=other_lead,
                    changes={"title": "Mine now"})
    with pytest.raises(NotAllowed):
        close_task(reg, task_id=task.id, version=1, actor_id=other_lead)
    assert get_task(reg, task_id=task.id) == task


def test_an_admin_may_edit_any_task(reg: Database, lead: str, admin: str):
    task = create_task(reg, posted_by=lead, data=task_doc())
    changed = update_task(reg, task_id=task.id, version=1, actor_id=admin, is_admin=True,
                          changes={"minYears": 15})
    assert changed.min_years == 15 and changed.posted_by == lead


def test_an_invalid_update_changes_nothing(reg: Database, lead: str):
    task = create_task(reg, posted_by=lead, data=task_doc())
    with pytest.raises(ValidationError) as err:
        update_task(reg, task_id=task.id, version=1, actor_id=lead,
                    changes={"title": "New", "requirements": [{"skill": "juggling"}],
                             "code": "OTHER-1"})
    assert sorted(e.path for e in err.value.errors) == ["code", "requirements.0.skill"]
    assert get_task(reg, task_id=task.id) == task


def test_changing_the_role_drops_the_chief_engineer_kind(reg: Database, lead: str):
    task = create_task(reg, posted_by=lead, data=task_doc())
    changed = update_task(reg, task_id=task.id, version=1, actor_id=lead,
                          changes={"roleSought": "PRINCIPAL_INVESTIGATOR"})
    assert changed.chief_engineer_kind is None


def test_closing_is_final(reg: Database, lead: str):
    task = create_task(reg, posted_by=lead, data=task_doc())
    closed = close_task(reg, task_id=task.id, version=1, actor_id=lead)
    assert closed.status == "CLOSED" and closed.closed_at is not None and closed.version == 2
    assert close_task(reg, task_id=task.id, version=2, actor_id=lead) == closed
    with pytest.raises(NotAllowed):
        update_task(reg, task_id=task.id, version=2, actor_id=lead, changes={"status": "OPEN"})
    with pytest.raises(NotAllowed):
        delete_task(reg, task_id=task.id, version=2, actor_id=lead)


def test_a_draft_task_can_be_deleted(reg: Database, lead: str):
    task = create_task(reg, posted_by=lead, data=task_doc())
    with pytest.raises(VersionConflict):
        delete_task(reg, task_id=task.id, version=7, actor_id=lead)
    delete_task(reg, task_id=task.id, version=1, actor_id=lead)
    with pytest.raises(NotFound):
        get_task(reg, task_id=task.id)
    assert reg.query("MATCH (s:Skill {id: 'deep-learning'}) RETURN count(s) AS n") == [{"n": 1}]


def test_changing_an_unknown_task_is_not_found(reg: Database, lead: str):
    with pytest.raises(NotFound):
        update_task(reg, task_id="nope", version=1, actor_id=lead, changes={})


# Listing ----------------------------------------------------------------------------------

def test_task_pages_return_each_task_exactly_once(reg: Database, lead: str, other_lead: str):
    made = [create_task(reg, posted_by=lead if i % 2 else other_lead,
                        data=task_doc(status="OPEN" if i % 3 else "DRAFT")).id
            for i in range(11)]
    seen, cursor = [], None
    while True:
        page = list_tasks(reg, first=4, after=cursor)
        seen.extend(t.id for t in page.items)
        if not page.has_next_page:
            break
        cursor = page.end_cursor
    assert sorted(seen) == sorted(made) and len(seen) == len(set(seen))
    assert seen == list(reversed(made))  # newest first
    assert list_tasks(reg, first=4, after=page.end_cursor).items == ()


def test_task_filters(reg: Database, lead: str, other_lead: str):
    a = create_task(reg, posted_by=lead, data=task_doc(status="OPEN"))
    b = create_task(reg, posted_by=other_lead, data=task_doc(areas=["ai-digital-twin-xr"]))
    assert [t.id for t in list_tasks(reg, status="OPEN").items] == [a.id]
    assert [t.id for t in list_tasks(reg, area="ai-digital-twin-xr").items] == [b.id]
    assert [t.id for t in list_tasks(reg, posted_by=lead).items] == [a.id]
    assert list_tasks(reg, programme_id="none").items == ()


def _cursor(*parts: str) -> str:
    return base64.urlsafe_b64encode(json.dumps(list(parts)).encode()).decode()


@pytest.mark.parametrize(("kwargs", "path"), [
    ({"first": 0}, "first"), ({"first": 101}, "first"), ({"status": "ARCHIVED"}, "status"),
    ({"after": "garbage"}, "after"),
    ({"after": _cursor("org", "2026-01-01T00:00:00Z", "x")}, "after"),  # another list's
    ({"after": _cursor("task", "yesterday", "x")}, "after"),
])
def test_invalid_task_listing_arguments(reg: Database, kwargs, path):
    with pytest.raises(ValidationError) as err:
        list_tasks(reg, **kwargs)
    assert err.value.errors[0].path == path


def test_requirements_of_many_tasks_in_one_statement(reg: Database, lead: str):
    a = create_task(reg, posted_by=lead, data=task_doc())
    b = create_task(reg, posted_by=lead, data=task_doc(requirements=[{"skill": "computer-vision"}]))
    with count_queries() as n:
        found = reg.read(task_requirements, [a.id, b.id, "missing"])
    assert n[0] == 1
    assert found == {a.id: a.requirements, b.id: b.requirements, "missing": ()}


# Programmes -------------------------------------------------------------------------------

def programme_doc(**overrides: Any) -> dict[str, Any]:
    doc = {"code": "CT-KC4.0", "title": "Chương trình chip quốc gia", "techListId": LIST,
           "areas": ["semiconductor-chips"], "description": "Chương trình khung"}
    doc.update(overrides)
    return doc


def test_create_and_read_a_programme(reg: Database, lead: str):
    programme = create_programme(reg, created_by=lead, data=programme_doc())
    assert programme.lead_account_id == lead and programme.areas == ("semiconductor-chips",)
    assert get_programme(reg, programme_id=programme.id) == programme
    with pytest.raises(NotFound):
        get_programme(reg, programme_id="nope")


@pytest.mark.parametrize(
    ("overrides", "path"),
    [({"code": None}, "code"), ({"title": ""}, "title"), ({"techListId": "nope"}, "techListId"),
     ({"areas": ["biotech"]}, "areas.0"), ({"leadAccountId": "ghost"}, "leadAccountId"),
     ({"budget": 1}, "budget")],
)
def test_each_programme_rule_is_checked(reg: Database, admin: str, overrides, path):
    with pytest.raises(ValidationError) as err:
        create_programme(reg, created_by=admin, data=programme_doc(**overrides))
    assert [e.path for e in err.value.errors] == [path]
    assert reg.query("MATCH (p:Programme) RETURN count(p) AS n") == [{"n": 0}]


def test_programme_codes_are_unique(reg: Database, lead: str):
    create_programme(reg, created_by=lead, data=programme_doc())
    with pytest.raises(ValidationError) as err:
        create_programme(reg, created_by=lead, data=programme_doc())
    assert [e.path for e in err.value.errors] == ["code"]


def test_only_an_admin_names_another_lead(reg: Database, lead: str, other_lead: str,
                                          admin: str):
    with pytest.raises(NotAllowed):
        create_programme(reg, created_by=lead, data=programme_doc(leadAccountId=other_lead))
    made = create_programme(reg, created_by=admin, data=programme_doc(leadAccountId=other_lead))
    assert made.lead_account_id == other_lead


def test_tasks_under_a_programme_belong_to_its_lead(reg: Database, lead: str,
                                                    other_lead: str):
    programme = create_programme(reg, created_by=lead, data=programme_doc())
    task = create_task(reg, posted_by=lead, data=task_doc(programmeId=programme.id))
    assert task.programme_id == programme.id
    assert [t.id for t in list_tasks(reg, programme_id=programme.id).items] == [task.id]
    with pytest.raises(NotAllowed):
        create_task(reg, posted_by=other_lead, data=task_doc(programmeId=programme.id))
    with pytest.raises(NotAllowed):
        delete_programme(reg, programme_id=programme.id, actor_id=lead)  # it has a task


def test_programme_pages_and_deletion(reg: Database, lead: str, other_lead: str):
    made = [create_programme(reg, created_by=lead if i % 2 else other_lead,
                             data=programme_doc(code=f"CT-{i}")).id for i in range(5)]
    first = list_programmes(reg, first=3)
    rest = list_programmes(reg, first=3, after=first.end_cursor)
    assert first.has_next_page and not rest.has_next_page
    assert [p.id for p in first.items + rest.items] == list(reversed(made))
    assert len(list_programmes(reg, lead_account_id=lead).items) == 2
    with pytest.raises(NotAllowed):
        delete_programme(reg, programme_id=made[0], actor_id=lead)  # led by other_lead
    delete_programme(reg, programme_id=made[0], actor_id=other_lead)
    with pytest.raises(NotFound):
        get_programme(reg, programme_id=made[0])
