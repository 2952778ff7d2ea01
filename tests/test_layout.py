"""The layering of DESIGN.md: ``api`` holds GraphQL types and resolvers and reaches the graph
only through ``registry`` (and ``matching``), so no Cypher is written under ``api/``."""

from __future__ import annotations

import re
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
# Clauses that only Cypher text contains (a resolver's docstring does not start one this way).
_CYPHER = re.compile(r"\b(MATCH|MERGE|UNWIND|OPTIONAL MATCH|DETACH DELETE)\s*[\(\$]")


def test_the_api_package_writes_no_cypher():
    offenders = sorted(
        f"{path.relative_to(ROOT)}:{n}"
        for path in (ROOT / "api").rglob("*.py")
        for n, line in enumerate(path.read_text(encoding="utf-8").splitlines(), 1)
        if _CYPHER.search(line))
    assert offenders == [], "Cypher belongs in registry/: " + ", ".join(offenders)
