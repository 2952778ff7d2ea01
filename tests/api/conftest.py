"""Fixtures of the API tests: the app on the test database, and one account per role."""

from __future__ import annotations

import warnings
from dataclasses import dataclass

import pytest

with warnings.catch_warnings():
    # Starlette would like ``httpx2`` for its TestClient; ``httpx`` works the same here.
    warnings.simplefilter("ignore", UserWarning)
    from starlette.testclient import TestClient

from registry.accounts import create_account
from registry.db import Database
from registry.settings import Settings
from server import create_app
from tests.api.support import person, seed


@pytest.fixture
def api_settings(settings: Settings) -> Settings:
    return settings.model_copy(update={"rate_limit_per_minute": 100_000, "graphiql": False})


@pytest.fixture
def client(db: Database, api_settings: Settings):
    with TestClient(create_app(api_settings, database=db)) as c:
        yield c


@dataclass
class Callers:
    """Tokens of one account per role; ``owner`` is the EXPERT account of ``expert_id``."""

    admin: str
    hr: str
    lead: str
    owner: str
    other_expert: str
    expert_id: str
    other_expert_id: str
    lead_account_id: str
    admin_account_id: str
    hr_account_id: str


@pytest.fixture
def callers(db: Database) -> Callers:
    expert_id, other_id = seed(db, [person(9001, fullName="Chủ Hồ Sơ"),
                                    person(9002, fullName="Người Khác")])
    admin, admin_token = create_account(db, name="Quản trị", role="ADMIN")
    hr, hr_token = create_account(db, name="Công ty Nhân sự", role="HR_AGENCY")
    lead, lead_token = create_account(db, name="Chủ nhiệm", role="PROGRAMME_LEAD")
    _, owner_token = create_account(db, name="Chủ", role="EXPERT", expert_id=expert_id)
    _, other_token = create_account(db, name="Khác", role="EXPERT", expert_id=other_id)
    return Callers(admin=admin_token, hr=hr_token, lead=lead_token, owner=owner_token,
                   other_expert=other_token, expert_id=expert_id, other_expert_id=other_id,
                   lead_account_id=lead.id, admin_account_id=admin.id, hr_account_id=hr.id)
