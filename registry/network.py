"""Data access for the collaboration network: who worked with whom, and how two experts are
linked.

Co-authorship and shared projects are not stored as such: two experts are linked when they
list the same ``Publication`` or ``Project`` (the shared nodes ``registry.experts`` writes).
Constant Cypher, values as ``$parameters``, one managed read transaction per call. Visibility
is part of every statement: the walk only passes through experts the viewer may see, so
neither a result nor a path reveals a hidden profile.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from neo4j import ManagedTransaction

from registry.db import run, run_single
from registry.search import Viewer

__all__ = ["Collaborator", "Path", "collaborators", "collaboration_path", "MAX_PATH_HOPS"]

MAX_PATH_HOPS = 6  # experts apart; the Cypher below allows 2 relationships per hop
_LINK = "AUTHORED|LED|CONTRIBUTED"
_SEES = "({x}.visibility IN $visibilities OR {x}.id = $self)"
_WORK = ("{.id, .title, year: coalesce(w.year, w.startYear), "
         "kind: CASE WHEN w:Publication THEN 'PUBLICATION' ELSE 'PROJECT' END}")

_ROOT = f"MATCH (e:Expert {{id: $id}}) WHERE {_SEES.format(x='e')} RETURN e.id AS id"

_RING = f"""
UNWIND $from AS fromId
MATCH (m:Expert {{id: fromId}})-[:{_LINK}]->(w)<-[:{_LINK}]-(c:Expert)
WHERE NOT c.id IN $exclude AND {_SEES.format(x='c')}
WITH c, collect(DISTINCT m.id) AS via, collect(DISTINCT w) AS works
RETURN c.id AS id, via, [w IN works | w {_WORK}] AS works
ORDER BY size(works) DESC, c.nameSort, c.id
"""

_PATH = f"""
MATCH (a:Expert {{id: $from}}), (b:Expert {{id: $to}})
WHERE {_SEES.format(x='a')} AND {_SEES.format(x='b')}
MATCH p = shortestPath((a)-[:{_LINK}*..{2 * MAX_PATH_HOPS}]-(b))
WHERE all(n IN nodes(p) WHERE NOT n:Expert OR {_SEES.format(x='n')})
RETURN [n IN nodes(p) WHERE n:Expert | n.id] AS experts,
       [w IN nodes(p) WHERE NOT w:Expert | w {_WORK}] AS works
"""


@dataclass(frozen=True)
class Collaborator:
    expert_id: str
    distance: int
    via: tuple[str, ...]  # the direct collaborators linking a distance-2 one (empty at 1)
    works: tuple[dict[str, Any], ...]  # works shared with the root (distance 1) or with `via`


@dataclass(frozen=True)
class Path:
    experts: tuple[str, ...]
    works: tuple[dict[str, Any], ...]  # works[i] links experts[i] and experts[i + 1]


def _params(viewer: Viewer) -> dict[str, Any]:
    return {"visibilities": viewer.visibilities, "self": viewer.expert_id}


def collaborators(tx: ManagedTransaction, expert_id: str, depth: int, viewer: Viewer
                  ) -> list[Collaborator] | None:
    """Co-authors and co-project members up to ``depth`` (1 or 2); None when the expert is
    not there for this viewer."""
    p = _params(viewer)
    if run_single(tx, _ROOT, id=expert_id, **p) is None:
        return None
    first = run(tx, _RING, **{"from": [expert_id]}, exclude=[expert_id], **p)
    found = [Collaborator(r["id"], 1, (), tuple(r["works"])) for r in first]
    if depth >= 2 and first:
        direct = [r["id"] for r in first]
        second = run(tx, _RING, **{"from": direct}, exclude=[expert_id, *direct], **p)
        found += [Collaborator(r["id"], 2, tuple(sorted(r["via"])), tuple(r["works"]))
                  for r in second]
    return found


def collaboration_path(tx: ManagedTransaction, from_id: str, to_id: str, viewer: Viewer
                       ) -> Path | None:
    """The shortest chain of shared publications and projects from one expert to another."""
    p = _params(viewer)
    if from_id == to_id:
        return Path((from_id,), ()) if run_single(tx, _ROOT, id=from_id, **p) else None
    row = run_single(tx, _PATH, **{"from": from_id, "to": to_id}, **p)
    return Path(tuple(row["experts"]), tuple(row["works"])) if row else None
