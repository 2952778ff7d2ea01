"""Contact details and protected attributes, for every role, and the audit of contact reads."""

from __future__ import annotations

from starlette.testclient import TestClient

from registry import audit
from registry.db import Database
from tests.api.conftest import Callers
from tests.api.support import gql, person, seed

QUERY = """query($id: ID!) { expert(id: $id) {
  id contact { email phone } gender birthYear birthPlace ethnicity religion } }"""
PROTECTED = dict(gender="FEMALE", birthYear=1980, birthPlace="Huế", ethnicity="Kinh",
                 religion="Không")


def _read(client: TestClient, expert_id: str, token: str | None) -> dict:
    return gql(client, QUERY, {"id": expert_id}, token=token)["data"]["expert"]


def _contact_reads(db: Database, expert_id: str) -> list[audit.AuditEvent]:
    return audit.events(db, subject_id=expert_id, action=audit.AuditAction.CONTACT_READ)


def test_contact_details_by_role(client: TestClient, db: Database, callers: Callers):
    consenting, silent = seed(db, [
        person(1, contactConsent=True, email="a@example.org", phone="+84 912 000 001"),
        person(2, contactConsent=False, email="b@example.org"),
    ])
    # Anonymous callers and other experts never see them.
    for token in (None, callers.other_expert):
        assert _read(client, consenting, token)["contact"] is None
        assert _read(client, silent, token)["contact"] is None
    assert _contact_reads(db, consenting) == []
    # Agencies and programme leads: only with consent, and every read is audited.
    for token, account_id in ((callers.hr, callers.hr_account_id),
                              (callers.lead, callers.lead_account_id)):
        shown = _read(client, consenting, token)["contact"]
        assert shown == {"email": "a@example.org", "phone": "+84912000001"}
        assert _read(client, silent, token)["contact"] is None
        events = _contact_reads(db, consenting)
        assert events[0].actor_id == account_id and events[0].subject_kind == "Expert"
    assert len(_contact_reads(db, consenting)) == 2
    assert _contact_reads(db, silent) == []
    # Administrators always (their reads are not contact requests).
    assert _read(client, silent, callers.admin)["contact"]["email"] == "b@example.org"
    assert _contact_reads(db, silent) == []


def test_owner_sees_own_contact_and_protected_fields(client: TestClient, db: Database,
                                                     callers: Callers):
    seed(db, [person(9001, fullName="Chủ Hồ Sơ", contactConsent=False, **PROTECTED)])
    mine = _read(client, callers.expert_id, callers.owner)
    assert mine["contact"]["email"] == "expert9001@example.org"
    assert {k: mine[k] for k in PROTECTED} == PROTECTED
    assert _contact_reads(db, callers.expert_id) == []  # reading one's own is no event


def test_protected_attributes_only_for_owner_and_admin(client: TestClient, db: Database,
                                                       callers: Callers):
    (eid,) = seed(db, [person(1, **PROTECTED)])
    for token in (None, callers.hr, callers.lead, callers.other_expert):
        got = _read(client, eid, token)
        assert all(got[k] is None for k in PROTECTED), token
    admin = _read(client, eid, callers.admin)
    assert {k: admin[k] for k in PROTECTED} == PROTECTED


def test_a_page_of_contacts_is_audited_in_one_event_batch(client: TestClient, db: Database,
                                                          callers: Callers):
    ids = seed(db, [person(i, contactConsent=True, residenceCountry="JP") for i in range(12)])
    query = """{ experts(first: 50, filter: {residenceCountries: ["JP"]}) {
      edges { node { id contact { email } } } } }"""
    body = gql(client, query, token=callers.hr)
    assert len(body["data"]["experts"]["edges"]) == 12
    for expert_id in ids:
        events = _contact_reads(db, expert_id)
        assert [e.actor_id for e in events] == [callers.hr_account_id]
    # The same expert asked for twice in one request is one read.
    twice = """query($id: ID!) { a: expert(id: $id) { contact { email } }
                                  b: expert(id: $id) { contact { email } } }"""
    gql(client, twice, {"id": ids[0]}, token=callers.lead)
    assert len(_contact_reads(db, ids[0])) == 2
