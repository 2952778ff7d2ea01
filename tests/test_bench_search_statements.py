"""The search-statement benchmark measures the statement the search really sends, and its
variants still run and keep their meaning as ``registry.search`` changes."""

from __future__ import annotations

from bench.search_http import _registry_filter, _variables
from bench.search_statements import REQUESTS, captured_statements, timed, variants
from registry.db import Database
from registry.search import search_experts
from tests.api.support import person, seed


def test_variants_run_on_the_captured_statements_and_the_shipped_one_is_the_search(
        db: Database):
    # Overseas experts with long careers whose profiles or papers say "machine learning",
    # "robot" and "quantum": request 0 (machine learning, OVERSEAS, 5+ years) has matches.
    seed(db, [person(i, fullName=f"Phạm Văn Đo {i}", residenceCountry="DE",
                     headline=["machine learning for chips", "robot arms", "quantum sensing"][i % 3],
                     publications=[{"title": f"Deep machine learning study {i}", "year": 2022,
                                    "doi": f"10.5555/bench.{i}"}])
              for i in range(9)])
    statements = captured_statements(db)
    assert len(statements) == REQUESTS
    query, params = statements[0]
    assert params["q"] == "machine AND learning" and "queryNodes" in query
    page = search_experts(db, filter=_registry_filter(_variables(0)), first=20)
    assert page.total_count == 9

    made = variants()
    _, shipped = timed(db, made["shipped"](query), params, 1)
    assert [r["id"] for r in shipped[0]["page"]] == page.ids and shipped[0]["total"] == 9
    _, counted = timed(db, made["count only"](query), params, 1)
    assert counted == [{"total": 9}]
    _, fewer = timed(db, made["hits 500"](query), params, 1)
    assert fewer == shipped  # far fewer hits than the cut: the same answer
    _, calls = timed(db, made["full-text calls, 100 hits"](query), params, 1)
    assert sorted(r["n"] for r in calls) == [3, 9]  # three headlines, nine papers
