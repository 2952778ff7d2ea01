"""Helpers of the reliability tests: raw GraphQL posts, the "no internal error" check, a
graph fingerprint, and a small world (task, shortlist, decision) to aim requests at."""

from __future__ import annotations

import json
from dataclasses import dataclass
from typing import Any

from registry import decisions, programmes
from registry.db import Database
from registry.transfer import graph_fingerprint

__all__ = ["World", "fingerprint", "make_world", "post", "problem"]

MASKED_CODE = "INTERNAL_SERVER_ERROR"
MASKED_MESSAGE = "Unexpected error."


def post(client: Any, query: str, variables: dict[str, Any] | None = None, *,
         token: str | None = None, raw: bytes | None = None) -> tuple[int, Any, str]:
    """POST a GraphQL request; ``raw`` sends these bytes as the body instead. Bodies are
    encoded with ASCII escapes, so lone surrogates travel as JSON ``\\ud800`` escapes.
    Returns ``(status, parsed body or None, text)``."""
    body = raw if raw is not None else json.dumps(
        {"query": query, "variables": variables or {}}, ensure_ascii=True).encode()
    headers = {"Content-Type": "application/json"}
    if token:
        headers["Authorization"] = f"Bearer {token}"
    response = client.post("/graphql", content=body, headers=headers)
    try:
        parsed = response.json()
    except ValueError:
        parsed = None
    return response.status_code, parsed, response.text


def problem(status: int, body: Any) -> str | None:
    """Why an answer is not acceptable for bad input (a 5xx, not JSON, or an error the server
    masked as unexpected), or None."""
    if status >= 500:
        return f"HTTP {status}"
    if not isinstance(body, dict):
        return "not a JSON object"
    for error in body.get("errors") or ():
        if (error.get("extensions") or {}).get("code") == MASKED_CODE \
                or error.get("message") == MASKED_MESSAGE:
            return f"internal error at {error.get('path')}"
    return None


def fingerprint(db: Database) -> dict[str, Any]:
    """Node and relationship counts by label and type, and a checksum of every property."""
    return graph_fingerprint(db)


@dataclass(frozen=True)
class World:
    """Records of every kind, made by the registry for the tests to aim at."""

    open_task: str
    draft_task: str
    programme: str
    shortlist: str
    decision: str


def make_world(db: Database, *, lead_account_id: str, hr_account_id: str,
               expert_id: str) -> World:
    programme = programmes.create_programme(
        db, created_by=lead_account_id,
        data={"code": "CT-RELIABLE", "title": "Chương trình bền vững",
              "techListId": "qd-1131-2025"})
    task = {"description": "Hệ thống 5G cho khu công nghiệp.", "roleSought": "CHIEF_ENGINEER",
            "chiefEngineerKind": "PROJECT", "onsite": "REMOTE", "techListId": "qd-1131-2025",
            "areas": ["semiconductor-chips"], "requirements": [{"skill": "machine-learning"}]}
    open_task = programmes.create_task(db, posted_by=lead_account_id, data={
        **task, "title": "Mạng 5G riêng", "status": "OPEN", "programmeId": programme.id}).id
    draft_task = programmes.create_task(db, posted_by=lead_account_id, data={
        **task, "title": "Bản nháp: vệ tinh", "status": "DRAFT"}).id
    shortlist = decisions.add_to_shortlist(db, account_id=hr_account_id, expert_id=expert_id,
                                           task_id=open_task, note="ghi chú riêng").id
    decision = decisions.record_decision(db, actor_id=lead_account_id, task_id=open_task,
                                         expert_id=expert_id, kind="INTERVIEWED",
                                         reason="phỏng vấn vòng 1").id
    return World(open_task, draft_task, programme.id, shortlist, decision)
