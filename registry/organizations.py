"""Organizations: universities, institutes, companies and agencies where experts work and study.

Owns the ``(:Organization)`` node's reference fields (name, nameVi, kind, country, city,
top200, areas) and its search keys (``nameFolded``, ``nameViFolded``). Organizations arrive two
ways: from the versioned reference list (``sync_reference_organizations``, which wins) and from
profiles that name an organization the list lacks (``registry.experts`` creates those, never
overwriting a reference one). ``areas`` are group ids of the strategic-technology list, stored
as a property because they are an editorial label of the reference data, not a claim to match.
"""

from __future__ import annotations

import base64
import binascii
import dataclasses
import json
import re
from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from typing import Any

from neo4j import ManagedTransaction

from registry.db import Database, run
from registry.errors import Code, NotFound
from registry.names import fold
from registry.validation import Validator

__all__ = [
    "ORG_KINDS", "Organization", "OrganizationPage", "count_organizations", "get_organization",
    "get_organizations", "list_organizations", "sync_reference_organizations",
]

ORG_KINDS = ("UNIVERSITY", "INSTITUTE", "COMPANY", "AGENCY")
_CURSOR_KIND = "org"
_SNAKE = re.compile(r"(?<=[a-z0-9])([A-Z])")
_REFERENCE_FIELDS = ("id", "name", "nameVi", "kind", "country", "city", "top200", "areas")


@dataclass(frozen=True)
class Organization:
    id: str
    name: str
    name_vi: str | None
    kind: str | None
    country: str | None
    city: str | None
    top200: bool
    areas: tuple[str, ...]


@dataclass(frozen=True)
class OrganizationPage:
    items: tuple[Organization, ...]
    end_cursor: str | None
    has_next_page: bool


_FIELDS = "o {.id, .name, .nameVi, .kind, .country, .city, .top200, .areas}"

_MATCHING = """
MATCH (o:Organization)
WHERE ($country IS NULL OR o.country = $country)
  AND ($kind IS NULL OR o.kind = $kind)
  AND ($text IS NULL OR o.nameFolded CONTAINS $text OR o.nameViFolded CONTAINS $text)
"""
_LIST = _MATCHING + f"""
  AND ($afterKey IS NULL OR o.nameFolded > $afterKey
       OR (o.nameFolded = $afterKey AND o.id > $afterId))
RETURN {_FIELDS} AS org, o.nameFolded AS sortKey
ORDER BY o.nameFolded, o.id
LIMIT $limit
"""

_GET = f"UNWIND $ids AS id MATCH (o:Organization {{id: id}}) RETURN {_FIELDS} AS org"

_SYNC = """
UNWIND $rows AS r
MERGE (o:Organization {id: r.id})
SET o += r.props, o.source = 'REFERENCE'
RETURN count(o) AS n
"""


def _organization(row: dict[str, Any]) -> Organization:
    return Organization(
        id=row["id"], name=row["name"], name_vi=row.get("nameVi"), kind=row.get("kind"),
        country=row.get("country"), city=row.get("city"), top200=bool(row.get("top200")),
        areas=tuple(row.get("areas") or ()),
    )


def _encode_cursor(key: str, ident: str) -> str:
    raw = json.dumps([_CURSOR_KIND, key, ident], ensure_ascii=False).encode()
    return base64.urlsafe_b64encode(raw).decode()


def _decode_cursor(v: Validator, cursor: str | None) -> tuple[str | None, str | None]:
    if cursor is None:
        return None, None
    try:
        kind, key, ident = json.loads(base64.urlsafe_b64decode(cursor.encode()))
        if kind == _CURSOR_KIND and isinstance(key, str) and isinstance(ident, str):
            return key, ident
    except (ValueError, TypeError, AttributeError, binascii.Error):
        pass
    v.add("after", Code.INVALID_CURSOR, "is not a cursor of this list; pass the endCursor of the previous page")
    return None, None


def list_organizations(
    db: Database,
    *,
    query: str | None = None,
    country: str | None = None,
    kind: str | None = None,
    first: int = 50,
    after: str | None = None,
) -> OrganizationPage:
    """Organizations by folded name (``query`` matches any part of the English or Vietnamese
    name, diacritics ignored), then id; ``after`` is the ``endCursor`` of the previous page."""
    v = Validator()
    params = _organization_filter(v, query, country, kind)
    limit = v.integer("first", first, min=1, max=200)
    after_key, after_id = _decode_cursor(v, after)
    v.raise_if_any()
    rows = db.query(_LIST, **params, afterKey=after_key, afterId=after_id, limit=limit + 1)
    page = rows[:limit]
    end = _encode_cursor(page[-1]["sortKey"], page[-1]["org"]["id"]) if page else None
    return OrganizationPage(tuple(_organization(r["org"]) for r in page), end,
                            len(rows) > limit)


def count_organizations(db: Database, *, query: str | None = None, country: str | None = None,
                        kind: str | None = None) -> int:
    """How many organizations ``list_organizations`` lists, over all its pages."""
    v = Validator()
    params = _organization_filter(v, query, country, kind)
    v.raise_if_any()
    return db.query(_MATCHING + "RETURN count(o) AS n", **params)[0]["n"]


def _organization_filter(v: Validator, query: str | None, country: str | None,
                         kind: str | None) -> dict[str, Any]:
    text = v.optional_str("query", query, max_length=100)
    return {"text": (fold(text) if text else None) or None,
            "country": v.country("country", country, required=False),
            "kind": v.choice("kind", kind, ORG_KINDS, required=False)}


def get_organizations(tx: ManagedTransaction, ids: list[str]) -> dict[str, Organization]:
    """Organizations by id in one statement (for per-request loaders); unknown ids left out."""
    return {r["org"]["id"]: _organization(r["org"]) for r in run(tx, _GET, ids=list(ids))}


def get_organization(db: Database, *, organization_id: str) -> Organization:
    org = db.read(get_organizations, [organization_id]).get(organization_id)
    if org is None:
        raise NotFound("Organization", organization_id)
    return org


def _as_mapping(item: Any) -> Mapping[str, Any] | None:
    if isinstance(item, Mapping):
        return item
    if dataclasses.is_dataclass(item) and not isinstance(item, type):
        # Reference dataclasses spell fields the Python way (name_vi); documents, camelCase.
        return {f: getattr(item, _SNAKE.sub(r"_\1", f).lower(), getattr(item, f, None))
                for f in _REFERENCE_FIELDS}
    return None


def _reference_row(v: Validator, path: str, item: Mapping[str, Any]) -> dict[str, Any] | None:
    ident = v.slug(f"{path}.id", item.get("id"), max_length=100)
    name = v.required_str(f"{path}.name", item.get("name"), max_length=300)
    name_vi = v.optional_str(f"{path}.nameVi", item.get("nameVi"), max_length=300)
    kind = v.choice(f"{path}.kind", item.get("kind"), ORG_KINDS)
    country = v.country(f"{path}.country", item.get("country"))
    city = v.optional_str(f"{path}.city", item.get("city"), max_length=100)
    top200 = item.get("top200", False)
    if not isinstance(top200, bool):
        v.add(f"{path}.top200", Code.NOT_BOOLEAN, f"must be true or false (got {top200!r})")
    areas = v.list_max(f"{path}.areas", item.get("areas") or [], max_items=20) or []
    clean_areas = [v.slug(f"{path}.areas.{j}", a) for j, a in enumerate(areas)]
    if not (ident and name and kind and country) or None in clean_areas:
        return None
    props = {
        "name": name, "nameVi": name_vi, "kind": kind, "country": country, "city": city,
        "top200": bool(top200), "areas": sorted(set(clean_areas)), "nameFolded": fold(name),
        "nameViFolded": fold(name_vi) if name_vi else None,
    }
    return {"id": ident, "props": props}


def sync_reference_organizations(db: Database, orgs: Iterable[Any]) -> int:
    """Create or update organizations from reference data; returns how many were synced.

    Each item is a mapping or a dataclass with id, name, nameVi (``name_vi`` in a dataclass),
    kind, country, city, top200 and areas. Every item is checked first (paths such as
    ``3.country``); nothing is written unless all are valid. Running it again with the same
    data changes nothing.
    """
    v = Validator()
    rows: list[dict[str, Any]] = []
    seen: set[str] = set()
    for i, item in enumerate(orgs):
        mapping = _as_mapping(item)
        if mapping is None:
            v.add(str(i), Code.NOT_OBJECT, "must be a mapping or a dataclass with the organization's fields")
            continue
        row = _reference_row(v, str(i), mapping)
        if row is None:
            continue
        if row["id"] in seen:
            v.add(f"{i}.id", Code.DUPLICATE, f"is listed twice ({row['id']})", value=row["id"])
            continue
        seen.add(row["id"])
        rows.append(row)
    v.raise_if_any()
    if not rows:
        return 0
    return int(db.execute(_SYNC, rows=rows)[0]["n"])
