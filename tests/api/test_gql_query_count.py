"""The number of Cypher statements of a request does not grow with its page size."""

from __future__ import annotations

import asyncio

import httpx

from registry.db import Database, count_queries
from registry.settings import Settings
from server import create_app
from tests.api.conftest import Callers
from tests.api.support import person, seed

PAGE = """query($first: Int!) { experts(first: $first, sort: NAME) {
  totalCount edges { cursor node {
    id fullName contact { email } gender
    skills { level skill { id nameVi broader { id } areas { id } } }
    techAreas { id }
    employment { title organization { name areas { id } } }
    education { organization { name } }
    publications { title } projects { title areas { id } } awards { title } } } } }"""


def _statements(app, token: str, first: int) -> int:
    async def call() -> dict:
        transport = httpx.ASGITransport(app=app)
        async with httpx.AsyncClient(transport=transport, base_url="http://test") as c:
            r = await c.post("/graphql", json={"query": PAGE, "variables": {"first": first}},
                             headers={"Authorization": f"Bearer {token}"})
            assert r.status_code == 200
            return r.json()

    with count_queries() as n:
        body = asyncio.run(call())
    assert "errors" not in body, body["errors"]
    assert len(body["data"]["experts"]["edges"]) == first
    return n[0]


def test_query_count_is_independent_of_page_size(db: Database, settings: Settings,
                                                 callers: Callers):
    seed(db, [person(i, fullName=f"Chuyên Gia Số {i:03d}", contactConsent=True,
                     publications=[{"title": f"Công trình {i}", "year": 2020}],
                     employment=[{"organization": {"name": f"Viện {i % 7}", "country": "VN",
                                                   "kind": "INSTITUTE"}, "from": 2010}])
              for i in range(60)])
    app = create_app(settings, database=db)
    small = _statements(app, callers.hr, 5)
    large = _statements(app, callers.hr, 50)
    assert small == large, (small, large)
    assert small <= 12  # auth, search (page + count), profiles, loaders, one audit write
