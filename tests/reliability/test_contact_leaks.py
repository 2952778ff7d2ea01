"""Contact details (e-mail, phone) never leak: not into the server's logs, not into errors,
not into anything answered to a role that may not see them.

Three experts: A consents (HR agencies and leads may see A's contact, audited), B does not,
C is private. HR, programme-lead, other-expert and anonymous callers read profiles, search,
walk shortlists and candidates, and make requests that fail (duplicate registrations and
imports, edits of a profile that is not theirs, invalid contact details); every log record
of every logger is captured. The only export, ``chuyengia export``, is the administrators'
whole-registry backup: no role below administrator can have one made, which the schema check
at the end keeps true.
"""

from __future__ import annotations

import json
import logging
import re

import pytest
from starlette.testclient import TestClient

from api.schema import schema as app_schema
from registry.db import Database
from tests.api.support import person, seed
from tests.reliability.conftest import Callers
from tests.reliability.support import make_world, post

CONTACT = {
    "A": ("lien.he.a@example.org", "+84 912 345 001"),
    "B": ("bi.mat.b@example.org", "+84 912 345 002"),
    "C": ("rieng.tu.c@example.org", "+84 912 345 003"),
}


def _forms(email: str, phone: str) -> list[str]:
    """The ways a detail could be written: as given, normalised, digits only."""
    digits = re.sub(r"\D", "", phone)
    return [email, email.split("@")[0], phone, "+" + digits, digits]


SELECT = "id fullName contact { email phone }"
READS = [
    f"query($id: ID!) {{ expert(id: $id) {{ {SELECT} }} }}",
    ("query($text: String) { experts(filter: {text: $text}, first: 50) "
     f"{{ edges {{ node {{ {SELECT} }} }} }} }}"),
    f"{{ experts(first: 100) {{ edges {{ node {{ {SELECT} }} }} }} }}",
    f"{{ shortlists {{ entries {{ expert {{ {SELECT} }} }} }} }}",
    ("query($task: ID!) { task(id: $task) { candidates(first: 50) "
     f"{{ nodes {{ expert {{ {SELECT} }} }} }} }} }}"),
    f"query($id: ID!) {{ collaborators(expertId: $id) {{ expert {{ {SELECT} }} }} }}",
]
REGISTER = """mutation($input: RegisterExpertInput!) { registerExpert(input: $input) {
  __typename ... on ValidationFailed { message fields { path reason } }
  ... on NotAllowed { message } ... on ExpertRegistered { expertId } } }"""
IMPORT = """mutation($content: String!) { importExperts(input: {format: JSONL, content: $content})
  { __typename ... on ExpertsImported { rows { line status reason } }
    ... on ValidationFailed { message } ... on NotAllowed { message } } }"""
UPDATE = """mutation($input: UpdateProfileInput!) { updateProfile(input: $input) {
  __typename ... on ValidationFailed { message fields { path reason } }
  ... on VersionConflict { message } ... on NotAllowed { message } ... on NotFound { message }
  ... on ProfileUpdated { expert { id } } } }"""


@pytest.mark.timeout(120)
def test_contact_details_never_reach_logs_errors_or_the_wrong_roles(
        client: TestClient, db: Database, callers: Callers, caplog: pytest.LogCaptureFixture):
    a, b, c = seed(db, [
        person(701, fullName="Lê Văn Đồng Ý", email=CONTACT["A"][0], phone=CONTACT["A"][1],
               contactConsent=True, visibility="PUBLIC"),
        person(702, fullName="Phạm Thị Kín Tiếng", email=CONTACT["B"][0],
               phone=CONTACT["B"][1], contactConsent=False, visibility="PUBLIC"),
        person(703, fullName="Hoàng Riêng Tư", email=CONTACT["C"][0], phone=CONTACT["C"][1],
               contactConsent=True, visibility="PRIVATE")])
    world = make_world(db, lead_account_id=callers.lead_account_id,
                       hr_account_id=callers.hr_account_id, expert_id=a)
    from registry import decisions

    for expert in (b, c):
        decisions.add_to_shortlist(db, account_id=callers.hr_account_id, expert_id=expert,
                                   task_id=world.open_task)
    answers: dict[str, list[str]] = {"hr": [], "lead": [], "other": [], "anonymous": []}
    tokens = {"hr": callers.hr, "lead": callers.lead, "other": callers.other_expert,
              "anonymous": None}

    with caplog.at_level(logging.DEBUG):
        for who, token in tokens.items():
            for expert in (a, b, c):
                for query in READS:
                    variables = {"id": expert, "task": world.open_task,
                                 "text": "Lê Phạm Hoàng"}
                    used = {k: v for k, v in variables.items() if f"${k}" in query}
                    answers[who].append(post(client, query, used, token=token)[2])
            for email, phone in CONTACT.values():
                # Searching by a contact detail finds nothing and echoes nothing.
                answers[who].append(post(client, READS[1], {"text": email}, token=token)[2])
                # Registering, importing and editing with someone else's details.
                answers[who].append(post(client, REGISTER, {"input": {
                    "fullName": "Kẻ Mạo Danh", "residenceCountry": "VN", "email": email,
                    "phone": phone}}, token=token)[2])
                answers[who].append(post(client, IMPORT, {"content": json.dumps(
                    {"fullName": "Kẻ Nhập", "email": email, "phone": phone,
                     "residenceCountry": "XX"}) + "\n"}, token=token)[2])
                answers[who].append(post(client, UPDATE, {"input": {
                    "id": b, "version": 1, "phone": phone, "email": email}}, token=token)[2])
            # Invalid contact details of one's own are not logged either.
            answers[who].append(post(client, UPDATE, {"input": {
                "id": callers.other_expert_id, "version": 1,
                "email": "lien.he.moi@example", "phone": "+84 912 345 00x"}}, token=token)[2])

    seen = {who: "\n".join(texts) for who, texts in answers.items()}
    # A consented: agencies and leads see A's contact (so the check below can see a leak).
    assert CONTACT["A"][0] in seen["hr"] and CONTACT["A"][0] in seen["lead"]
    leaks = []
    for who, text in seen.items():
        hidden = ["B", "C"] + ([] if who in ("hr", "lead") else ["A"])
        for key in hidden:
            leaks += [f"{key}'s {form!r} answered to {who}" for form in _forms(*CONTACT[key])
                      if form in text]
    logged = "\n".join(
        f"{r.getMessage()} {r.exc_text or ''} {r.stack_info or ''}" for r in caplog.records)
    assert caplog.records  # the server did log (so a leak would have been caught)
    for key, (email, phone) in CONTACT.items():
        leaks += [f"{key}'s {form!r} in the logs" for form in
                  _forms(email, phone) + ["lien.he.moi@example", "912 345 00x"]
                  if form in logged]
    # The audit trail records who read whose contact details, never the details.
    audit = json.dumps(db.query("MATCH (e:AuditEvent) RETURN properties(e) AS p"), default=str)
    for key, (email, phone) in CONTACT.items():
        leaks += [f"{key}'s {form!r} in the audit trail" for form in _forms(email, phone)
                  if form in audit]
    assert not leaks, leaks
    # No export or download is offered to API roles (only the administrators' CLI backup).
    fields = set(app_schema._schema.query_type.fields) | set(
        app_schema._schema.mutation_type.fields)
    assert not [f for f in fields if "export" in f.lower() or "download" in f.lower()]
