"""Who may read which protected field: one table, every protected field, every kind of caller.

(Mutations have their own table, ``tests/api/test_permission_matrix.py``.) Each row names a
protected read, the callers allowed to see it, and how a refusal looks: ``null``/empty
(``silent``: the field exists but is not the caller's) or a GraphQL error (``error``:
UNAUTHENTICATED for anonymous callers, FORBIDDEN or a typed refusal otherwise).
``test_every_guarded_field_has_a_row`` fails when a field with a permission guard has no row.

Then tokens: stored only as SHA-256 digests and compared with ``hmac.compare_digest``; a
revoked or rotated token stops working with the next request; the per-token rate limit
answers 429 with ``Retry-After``.
"""

from __future__ import annotations

import hashlib
import hmac
from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

import pytest
from starlette.testclient import TestClient
from strawberry.permission import PermissionExtension

from api.schema import schema as app_schema
from registry import accounts
from registry.accounts import create_account, revoke_account
from registry.db import Database
from registry.settings import Settings
from server import create_app
from tests.api.support import codes, person, seed
from tests.reliability.conftest import Callers
from tests.reliability.support import World, make_world, post

ADMIN, HR, LEAD, LEAD2, OWNER, OTHER, ANON = (
    "ADMIN", "HR_AGENCY", "PROGRAMME_LEAD (poster)", "PROGRAMME_LEAD (other)", "EXPERT owner",
    "EXPERT other", "anonymous")
CALLERS = (ADMIN, HR, LEAD, LEAD2, OWNER, OTHER, ANON)
SIGNED_IN = frozenset(CALLERS) - {ANON}
PROTECTED = {"gender": "FEMALE", "birthYear": 1981, "birthPlace": "Huế", "ethnicity": "Tày",
             "religion": "Phật giáo"}


@dataclass
class Scene:
    callers: Callers
    lead2: str
    world: World
    silent: str  # PUBLIC, no consent, no account
    registered: str  # REGISTERED, consent, no account
    private_name: str

    def token(self, who: str) -> str | None:
        c = self.callers
        return {ADMIN: c.admin, HR: c.hr, LEAD: c.lead, LEAD2: self.lead2, OWNER: c.owner,
                OTHER: c.other_expert, ANON: None}[who]


@pytest.fixture
def scene(db: Database, callers: Callers) -> Scene:
    # The owner's profile: PUBLIC, consenting, protected attributes set. The other expert's:
    # PRIVATE, with protected attributes and contact details too.
    seed(db, [person(9001, fullName="Chủ Hồ Sơ", visibility="PUBLIC", contactConsent=True,
                     phone="+84 912 000 111", **PROTECTED),
              person(9002, fullName="Người Kín Đáo", visibility="PRIVATE", contactConsent=True,
                     phone="+84 912 000 222", **PROTECTED)])
    silent, registered = seed(db, [
        person(9003, fullName="Người Im Lặng", visibility="PUBLIC", contactConsent=False),
        person(9004, fullName="Người Đăng Ký", visibility="REGISTERED", contactConsent=True)])
    _, lead2 = create_account(db, name="Chủ nhiệm khác", role="PROGRAMME_LEAD")
    world = make_world(db, lead_account_id=callers.lead_account_id,
                       hr_account_id=callers.hr_account_id, expert_id=callers.expert_id)
    from registry import decisions

    decisions.add_to_shortlist(db, account_id=callers.hr_account_id,
                               expert_id=callers.other_expert_id, task_id=world.open_task)
    return Scene(callers, lead2, world, silent, registered, "Người Kín Đáo")


def _expert(field: str) -> Callable[[dict], bool]:
    return lambda d: (d.get("expert") or {}).get(field) is not None


@dataclass(frozen=True)
class Row:
    name: str
    covers: tuple[str, ...]  # "Type.field" guarded fields this row reads
    query: str
    variables: Callable[[Scene], dict[str, Any]]
    allowed: frozenset[str]
    shown: Callable[[dict[str, Any]], bool]  # the protected thing is in the data
    refusal: str  # "silent" (null or empty) or "error"
    anonymous: str = "silent"  # how an anonymous caller is refused


EXPERT = "query($id: ID!) { expert(id: $id) { id %s } }"
TASK = "query($id: ID!) { task(id: $id) { id %s } }"
OWNERS = frozenset({ADMIN, OWNER})
ROWS = [
    *(Row(f"Expert.{f} (owner's profile)", (f"Expert.{f}",), EXPERT % f,
          lambda s: {"id": s.callers.expert_id}, OWNERS, _expert(f), "silent")
      for f in PROTECTED),
    Row("Expert.contact, consented", ("Expert.contact",), EXPERT % "contact { email phone }",
        lambda s: {"id": s.callers.expert_id}, frozenset({ADMIN, OWNER, HR, LEAD, LEAD2}),
        _expert("contact"), "silent"),
    Row("Expert.contact, not consented", ("Expert.contact",),
        EXPERT % "contact { email phone }", lambda s: {"id": s.silent}, frozenset({ADMIN}),
        _expert("contact"), "silent"),
    Row("expert(id) of a PRIVATE profile", (), EXPERT % "fullName",
        lambda s: {"id": s.callers.other_expert_id}, frozenset({ADMIN, OTHER}),
        lambda d: d.get("expert") is not None, "silent"),
    Row("expert(id) of a REGISTERED profile", (), EXPERT % "fullName",
        lambda s: {"id": s.registered}, SIGNED_IN, lambda d: d.get("expert") is not None,
        "silent"),
    Row("experts() finding a PRIVATE profile", (),
        "query($text: String) { experts(filter: {text: $text}) { edges { node { id } } } }",
        lambda s: {"text": s.private_name}, frozenset({ADMIN, OTHER}),
        lambda d: bool((d.get("experts") or {}).get("edges")), "silent"),
    Row("task(id) of a DRAFT", ("Query.task",), TASK % "title",
        lambda s: {"id": s.world.draft_task}, frozenset({ADMIN, LEAD}),
        lambda d: d.get("task") is not None, "silent", anonymous="error"),
    Row("task(id) of an OPEN task", ("Query.task",), TASK % "title",
        lambda s: {"id": s.world.open_task}, SIGNED_IN, lambda d: d.get("task") is not None,
        "silent", anonymous="error"),
    Row("tasks listing a DRAFT", ("Query.tasks",),
        "{ tasks(filter: {status: DRAFT}) { nodes { id } } }", lambda s: {},
        frozenset({ADMIN, LEAD}), lambda d: bool((d.get("tasks") or {}).get("nodes")), "silent",
        anonymous="error"),
    Row("programme(id)", ("Query.programme",), "query($id: ID!) { programme(id: $id) { id } }",
        lambda s: {"id": s.world.programme}, SIGNED_IN,
        lambda d: d.get("programme") is not None, "silent", anonymous="error"),
    Row("programmes", ("Query.programmes",), "{ programmes { nodes { id } } }", lambda s: {},
        SIGNED_IN, lambda d: bool((d.get("programmes") or {}).get("nodes")), "silent",
        anonymous="error"),
    Row("shortlists (the caller's own)", ("Query.shortlists",),
        "{ shortlists { id entries { note expert { id } } } }", lambda s: {},
        frozenset({HR}), lambda d: bool(d.get("shortlists")), "silent", anonymous="error"),
    Row("Task.candidates of an OPEN task", ("Task.candidates",),
        TASK % "candidates(first: 5) { totalCount }", lambda s: {"id": s.world.open_task},
        frozenset({ADMIN, LEAD, HR}),
        lambda d: (d.get("task") or {}).get("candidates") is not None, "error",
        anonymous="error"),
    Row("Task.candidates of a DRAFT", ("Task.candidates",),
        TASK % "candidates(first: 5) { totalCount }", lambda s: {"id": s.world.draft_task},
        frozenset({ADMIN, LEAD}),
        lambda d: (d.get("task") or {}).get("candidates") is not None, "silent",
        anonymous="error"),
    Row("Task.decisions", ("Task.decisions",), TASK % "decisions { kind reason }",
        lambda s: {"id": s.world.open_task}, frozenset({ADMIN, LEAD}),
        lambda d: bool((d.get("task") or {}).get("decisions")), "silent", anonymous="error"),
    Row("recommendTeam of an OPEN task", ("Query.recommendTeam",),
        "query($id: ID!) { recommendTeam(taskId: $id, size: 2) { __typename } }",
        lambda s: {"id": s.world.open_task}, frozenset({ADMIN, LEAD, HR}),
        lambda d: d.get("recommendTeam") is not None, "error", anonymous="error"),
    Row("matchTask", ("Query.matchTask",),
        """{ matchTask(input: {title: "Robot", description: "Robot tự hành.",
             roleSought: MEMBER, onsite: REMOTE, techListId: "qd-1131-2025",
             areas: ["semiconductor-chips"], requirements: [{skill: "machine-learning"}]})
           { totalCount } }""", lambda s: {}, frozenset({ADMIN, LEAD, LEAD2}),
        lambda d: (d or {}).get("matchTask") is not None, "error", anonymous="error"),
]


def _guarded_fields() -> set[str]:
    found = set()
    for type_name, type_ in app_schema._schema.type_map.items():
        if type_name.startswith("__") or type_name == "Mutation" \
                or not hasattr(type_, "fields"):
            continue
        for field_name, field in type_.fields.items():
            definition = (getattr(field, "extensions", None) or {}).get("strawberry-definition")
            if definition is not None and any(isinstance(e, PermissionExtension)
                                              for e in definition.extensions or ()):
                found.add(f"{type_name}.{field_name}")
    return found


def test_every_guarded_field_has_a_row():
    covered = {c for row in ROWS for c in row.covers}
    missing = sorted(_guarded_fields() - covered)
    assert not missing, f"guarded fields without a row in the access table: {missing}"
    # No query reads the audit trail; a field that does needs rows here first.
    assert not [t for t in app_schema._schema.type_map if t.lower().startswith("audit")]


def test_protected_reads_by_role(client: TestClient, scene: Scene):
    """Every row, every caller (one scene for all: the reads change nothing but the audit
    trail of contact reads)."""
    wrong = []
    for row in ROWS:
        variables = row.variables(scene)
        for who in CALLERS:
            status, body, text = post(client, row.query, variables, token=scene.token(who))
            assert status == 200, text
            data = body.get("data") or {}
            errors = codes(body)
            if who in row.allowed:
                ok = not errors and row.shown(data)
            elif who == ANON and row.anonymous == "error":
                ok = "UNAUTHENTICATED" in errors and not row.shown(data)
            elif row.refusal == "error":
                ok = bool(errors) and set(errors) <= {"FORBIDDEN", "UNAUTHENTICATED"} \
                    and not row.shown(data)
            else:
                ok = not errors and not row.shown(data)
            if not ok:
                wrong.append(f"{row.name}, {who}: {text[:300]}")
    assert not wrong, f"{len(wrong)} cells of the table are wrong:\n" + "\n".join(wrong)


# --- tokens ---------------------------------------------------------------------------------

ME = "{ me { account { id role } } }"


def test_tokens_are_stored_only_as_digests_and_compared_in_constant_time(
        client: TestClient, db: Database, monkeypatch: pytest.MonkeyPatch):
    account, token = create_account(db, name="Cơ quan", role="HR_AGENCY")
    values = db.query("MATCH (n) UNWIND keys(n) AS k RETURN n[k] AS v")
    assert not [v for v in values if isinstance(v, str) and token in v]
    assert not [v for v in values if isinstance(v, list) and token in map(str, v)]
    stored = db.query("MATCH (a:Account {id: $id}) RETURN a.tokenHash AS h", id=account.id)
    assert stored[0]["h"] == hashlib.sha256(token.encode()).hexdigest()

    compared = []
    compare = hmac.compare_digest

    def spy(a: Any, b: Any) -> bool:
        compared.append((a, b))
        return compare(a, b)

    monkeypatch.setattr(accounts.hmac, "compare_digest", spy)
    status, body, _ = post(client, ME, token=token)
    assert body["data"]["me"]["account"]["id"] == account.id
    assert compared == [(stored[0]["h"], stored[0]["h"])]
    # A token of the right shape that matches nothing is refused without a comparison to
    # leak through (no account was found); a near miss of a real one is refused too.
    for wrong in (token[:-1] + ("A" if token[-1] != "A" else "B"), "cg_" + "x" * 43):
        status, body, _ = post(client, ME, token=wrong)
        assert status == 401 and codes(body) == ["UNAUTHENTICATED"]


def test_a_revoked_or_rotated_token_stops_working_at_once(client: TestClient, db: Database,
                                                           callers: Callers):
    account, token = create_account(db, name="Sẽ bị thu hồi", role="PROGRAMME_LEAD")
    assert post(client, ME, token=token)[1]["data"]["me"]["account"]["id"] == account.id
    revoke_account(db, account_id=account.id, actor_id=callers.admin_account_id)
    status, body, _ = post(client, ME, token=token)
    assert status == 401 and codes(body) == ["UNAUTHENTICATED"]

    # Through the API: rotating answers a new token; the old one fails on the next request.
    hr_before = callers.hr
    status, body, _ = post(client, """mutation($id: ID!) { rotateToken(input: {accountId: $id})
        { __typename ... on TokenRotated { token } } }""", {"id": callers.hr_account_id},
                           token=callers.admin)
    new = body["data"]["rotateToken"]["token"]
    assert post(client, ME, token=hr_before)[0] == 401
    assert post(client, ME, token=new)[1]["data"]["me"]["account"]["role"] == "HR_AGENCY"
    post(client, """mutation($id: ID!) { revokeToken(input: {accountId: $id})
        { __typename } }""", {"id": callers.hr_account_id}, token=callers.admin)
    assert post(client, ME, token=new)[0] == 401


def test_rate_limit_is_per_token_and_answers_429_with_retry_after(
        db: Database, api_settings: Settings):
    _, first = create_account(db, name="Một", role="HR_AGENCY")
    _, second = create_account(db, name="Hai", role="HR_AGENCY")
    settings = api_settings.model_copy(update={"rate_limit_per_minute": 5})
    with TestClient(create_app(settings, database=db)) as client:
        for _ in range(5):
            assert post(client, ME, token=first)[0] == 200
        response = client.post("/graphql", json={"query": ME},
                               headers={"Authorization": f"Bearer {first}"})
        assert response.status_code == 429
        assert int(response.headers["Retry-After"]) >= 1
        assert codes(response.json()) == ["RATE_LIMITED"]
        # Another token, and anonymous callers, have buckets of their own.
        assert post(client, ME, token=second)[0] == 200
        assert post(client, ME)[0] == 200
