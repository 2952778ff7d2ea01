"""``importExperts``: JSON Lines and CSV content, a status for every row, the size limit, and
what an agency may overwrite."""

from __future__ import annotations

import json
from typing import Any

import pytest

from registry import audit, experts
from registry.accounts import create_account
from registry.db import Database
from registry.settings import Settings
from tests.api.conftest import Callers
from tests.api.mutation_support import codes, mutate, paths
from tests.api.support import person

REPORT = ("created updated unchanged rejected "
          "rows { line status expertId reason errors { path code params } }")


def jsonl(*docs: Any) -> str:
    return "\n".join(d if isinstance(d, str) else json.dumps(d, ensure_ascii=False)
                     for d in docs) + "\n"


def run(client, token: str, content: str, fmt: str = "JSONL") -> dict[str, Any]:
    return mutate(client, "importExperts", {"format": fmt, "content": content}, token=token,
                  success=REPORT)


def statuses(result: dict[str, Any]) -> dict[int, str]:
    return {r["line"]: r["status"] for r in result["rows"]}


def problems(row: dict[str, Any]) -> list[tuple[str, str, dict[str, Any]]]:
    """A row's errors as ``(path, code, params)``."""
    return [(e["path"], e["code"], e["params"]) for e in row["errors"]]


def test_every_row_gets_a_status(client, db: Database, callers: Callers):
    first = person(101, fullName="Phạm Văn Một", externalKey="A-1")
    content = jsonl(first,
                    person(102, fullName="Vũ Thị Hai", skills=[{"skill": "machine-learning",
                                                                "level": 9}]),
                    "",
                    "{not json",
                    person(103, fullName="Đỗ Văn Ba"))
    result = run(client, callers.hr, content)
    assert result["__typename"] == "ExpertsImported"
    assert statuses(result) == {1: "CREATED", 2: "REJECTED", 4: "REJECTED", 5: "CREATED"}
    assert (result["created"], result["updated"], result["unchanged"], result["rejected"]) == \
        (2, 0, 0, 2)
    rows = {r["line"]: r for r in result["rows"]}
    assert "skills.0.level" in rows[2]["reason"]
    assert problems(rows[2]) == [("skills.0.level", "OUT_OF_RANGE", {"min": 1, "max": 5})]
    assert "not valid JSON" in rows[4]["reason"] and rows[4]["expertId"] is None
    assert problems(rows[4]) == [("", "INVALID_JSON", {"column": 2})]
    assert rows[1]["errors"] == [] and rows[1]["reason"] is None
    stored = experts.read_profile(db, rows[1]["expertId"])
    assert stored["registeredBy"] == callers.hr_account_id and not stored["verified"]
    assert audit.events(db, actor_id=callers.hr_account_id, action="IMPORT")


def test_importing_again_is_unchanged_and_an_edit_is_updated(client, callers: Callers):
    one, two = person(201, externalKey="B-1"), person(202, externalKey="B-2")
    run(client, callers.hr, jsonl(one, two))
    again = run(client, callers.hr, jsonl(one, {**two, "headline": "Đã đổi"}))
    assert statuses(again) == {1: "UNCHANGED", 2: "UPDATED"}
    assert (again["created"], again["updated"], again["unchanged"]) == (0, 1, 1)


def test_csv_content(client, db: Database, callers: Callers):
    content = ("fullName,email,residenceCountry,skills,organization,title,since,yearsExperience\n"
               "Ngô Bảo Châu,chau@example.org,FR,machine-learning:5:20,Université Paris-Sud,"
               "Professor,2005,\n"
               "Trần Văn Lỗi,bad-email,VN,,,,,\n"
               "Lê Văn Mới,moi@example.org,VN,,,,,0\n")
    result = run(client, callers.hr, content, fmt="CSV")
    assert statuses(result) == {2: "CREATED", 3: "REJECTED", 4: "CREATED"}
    assert "email" in result["rows"][1]["reason"]
    assert problems(result["rows"][1]) == [("email", "INVALID_EMAIL", {})]
    # An empty cell leaves the years unknown; a written 0 is 0.
    stated = {r["line"]: experts.read_profile(db, r["expertId"]).get("yearsExperience")
              for r in result["rows"] if r["status"] == "CREATED"}
    assert stated == {2: None, 4: 0}


def test_a_csv_header_with_an_unknown_column_rejects_the_content(client, callers: Callers):
    result = run(client, callers.hr, "fullName,shoeSize\nA,42\n", fmt="CSV")
    assert statuses(result) == {1: "REJECTED"}
    assert "shoeSize" in result["rows"][0]["reason"] and result["created"] == 0
    (path, code, params), = problems(result["rows"][0])
    assert (path, code, params["value"]) == ("", "UNKNOWN_COLUMNS", ["shoeSize"])
    assert "fullName" in params["allowed"]


def test_duplicates_within_the_content_keep_the_first(client, callers: Callers):
    doc = person(301)
    result = run(client, callers.hr, jsonl(doc, {**doc, "headline": "bản sao"}))
    assert statuses(result) == {1: "CREATED", 2: "REJECTED"}
    assert "duplicate of line 1" in result["rows"][1]["reason"]
    (path, code, params), = problems(result["rows"][1])
    assert (path, code, params["line"]) == ("", "DUPLICATE_ROW", 1)


def test_an_agency_cannot_overwrite_a_profile_it_did_not_register(client, db: Database,
                                                                  callers: Callers):
    # The owner's profile is claimed (and not registered by the agency): its row is refused,
    # others go on.
    owner_row = {**experts.read_profile(db, callers.expert_id), "headline": "chiếm"}
    owner_row = {k: v for k, v in owner_row.items()
                 if k in ("fullName", "email", "residenceCountry", "headline")}
    result = run(client, callers.hr, jsonl(owner_row, person(401)))
    assert statuses(result) == {1: "REJECTED", 2: "CREATED"}
    assert result["rows"][0]["expertId"] == callers.expert_id
    assert result["rows"][0]["reason"].startswith("email: ")
    assert "its expert has claimed" in result["rows"][0]["reason"]
    assert problems(result["rows"][0]) == [("email", "CLAIMED_BY_EXPERT",
                                            {"value": callers.expert_id})]
    assert experts.read_profile(db, callers.expert_id)["headline"] != "chiếm"
    by_admin = run(client, callers.admin, jsonl(owner_row))
    assert statuses(by_admin) == {1: "UPDATED"}


def test_an_added_orcid_does_not_let_an_agency_reach_around_the_owner(
        client, db: Database, callers: Callers):
    # The row matches the owner's profile by e-mail; its ORCID iD would derive another id.
    owner_row = {k: v for k, v in experts.read_profile(db, callers.expert_id).items()
                 if k in ("fullName", "email", "residenceCountry")}
    result = run(client, callers.hr, jsonl({**owner_row, "orcid": "0000-0002-1825-0097",
                                            "headline": "chiếm"}))
    assert statuses(result) == {1: "REJECTED"}
    assert result["rows"][0]["expertId"] == callers.expert_id
    # The path is the identifier that reached the profile, not the stronger one the row added.
    assert problems(result["rows"][0]) == [("email", "CLAIMED_BY_EXPERT",
                                            {"value": callers.expert_id})]
    assert db.query("MATCH (e:Expert) RETURN count(e) AS n")[0]["n"] == 2  # the callers' own


def test_a_row_whose_identifiers_name_two_experts_is_a_conflict(client, db: Database,
                                                                callers: Callers):
    one, two = person(801, externalKey="D-1"), person(802, externalKey="D-2")
    created = run(client, callers.hr, jsonl(one, two))["rows"]
    ids = sorted(r["expertId"] for r in created)
    result = run(client, callers.hr, jsonl({**one, "externalKey": "D-2", "headline": "gộp"}))
    assert statuses(result) == {1: "REJECTED"}
    assert result["rows"][0]["reason"].startswith("identity conflict: ")
    assert problems(result["rows"][0]) == [("", "IDENTITY_CONFLICT", {"value": ids})]
    assert all(experts.read_profile(db, i).get("headline") != "gộp" for i in ids)


def test_an_agency_cannot_overwrite_a_profile_its_expert_claimed(client, db: Database,
                                                                 callers: Callers):
    mine = person(601, fullName="Hồ Sơ Đã Nhận", externalKey="C-1")
    (row,) = run(client, callers.hr, jsonl(mine))["rows"]
    claimed = row["expertId"]
    create_account(db, name="Chuyên gia", role="EXPERT", expert_id=claimed)
    result = run(client, callers.hr, jsonl({**mine, "headline": "ghi đè"}, person(602)))
    assert statuses(result) == {1: "REJECTED", 2: "CREATED"}
    assert result["rows"][0]["expertId"] == claimed
    # The path is the field the row named the profile by.
    assert result["rows"][0]["reason"].startswith("externalKey: ")
    assert "its expert has claimed" in result["rows"][0]["reason"]
    assert (result["created"], result["updated"], result["rejected"]) == (1, 0, 1)
    assert experts.read_profile(db, claimed)["headline"] != "ghi đè"
    by_admin = run(client, callers.admin, jsonl({**mine, "headline": "ghi đè"}))
    assert statuses(by_admin) == {1: "UPDATED"}


def test_an_agency_cannot_overwrite_another_agencys_profile(client, db: Database,
                                                          callers: Callers):
    _, rival = create_account(db, name="Công ty khác", role="HR_AGENCY")
    theirs = person(701, fullName="Của Công Ty Khác")
    (row,) = run(client, rival, jsonl(theirs))["rows"]
    result = run(client, callers.hr, jsonl({**theirs, "headline": "của tôi"}))
    assert statuses(result) == {1: "REJECTED"}
    assert result["rows"][0]["reason"].startswith("email: ")
    assert "another account registered" in result["rows"][0]["reason"]
    stored = experts.read_profile(db, row["expertId"])
    assert stored["headline"] != "của tôi" and stored["registeredBy"] != callers.hr_account_id


def test_an_agency_cannot_verify_by_import(client, db: Database, callers: Callers):
    result = run(client, callers.hr, jsonl({**person(501), "verified": True}))
    assert not experts.read_profile(db, result["rows"][0]["expertId"])["verified"]
    by_admin = run(client, callers.admin, jsonl({**person(502), "verified": True}))
    assert experts.read_profile(db, by_admin["rows"][0]["expertId"])["verified"]


def test_content_over_the_limit_is_refused(db: Database, api_settings: Settings,
                                           callers: Callers):
    from starlette.testclient import TestClient

    from server import create_app

    small = api_settings.model_copy(update={"max_import_bytes": 2048})
    with TestClient(create_app(small, database=db)) as client:
        result = mutate(client, "importExperts",
                        {"format": "JSONL", "content": jsonl(person(601)) * 10},
                        token=callers.hr)
    assert "2,048 bytes" in paths(result)["content"]
    code, params = codes(result)["content"]
    assert code == "TOO_LARGE" and params["limit"] == 2048 and params["actual"] > 2048
    assert db.query("MATCH (e:Expert) RETURN count(e) AS n")[0]["n"] == 2  # the callers' own


@pytest.mark.parametrize("who", ["lead", "owner"])
def test_only_agencies_and_admins_import(client, callers: Callers, who: str):
    result = mutate(client, "importExperts", {"format": "JSONL", "content": jsonl(person(701))},
                    token=getattr(callers, who))
    assert result["__typename"] == "NotAllowed" and result["code"] == "ROLE"
