"""Versioned, idempotent schema migrations: constraints and indexes.

Each migration has a stable id and a list of statements that are safe to run again
(``IF NOT EXISTS``). Applied ids are recorded as ``(:SchemaMigration)`` nodes; ``migrate``
applies the missing ones in order and is run at start-up by ``serve``, ``seed`` and the tests.
"""

from __future__ import annotations

import logging
from dataclasses import dataclass

from registry.db import Database

__all__ = ["MIGRATIONS", "Migration", "migrate", "applied"]

log = logging.getLogger(__name__)


@dataclass(frozen=True)
class Migration:
    id: str
    description: str
    statements: tuple[str, ...]


_UNIQUE = [
    ("Expert", "id"), ("Expert", "orcid"), ("Organization", "id"), ("Country", "code"),
    ("Skill", "id"), ("TechArea", "id"), ("TaxonomyVersion", "id"), ("Publication", "id"),
    ("Patent", "id"), ("Project", "id"), ("Award", "id"), ("Programme", "id"), ("Task", "id"),
    ("Account", "id"), ("Account", "tokenHash"), ("Decision", "id"), ("AuditEvent", "id"),
    ("Shortlist", "id"), ("SchemaMigration", "id"), ("EligibilityScheme", "id"),
]

_RANGE = [
    ("Expert", "nameFolded"), ("Expert", "nameSort"), ("Expert", "residenceCountry"),
    ("Expert", "diaspora"), ("Expert", "availability"), ("Expert", "yearsExperience"),
    ("Expert", "hIndex"), ("Expert", "verified"), ("Expert", "updatedAt"),
    ("Expert", "visibility"), ("Expert", "email"), ("Expert", "externalKey"),
    ("Task", "status"), ("Task", "code"), ("Decision", "at"), ("AuditEvent", "at"),
    ("Publication", "doi"), ("Publication", "year"), ("Organization", "nameFolded"),
]


def _unique(label: str, prop: str) -> str:
    return (
        f"CREATE CONSTRAINT {label.lower()}_{prop.lower()}_unique IF NOT EXISTS "
        f"FOR (n:{label}) REQUIRE n.{prop} IS UNIQUE"
    )


def _range(label: str, prop: str) -> str:
    return (
        f"CREATE INDEX {label.lower()}_{prop.lower()} IF NOT EXISTS FOR (n:{label}) ON (n.{prop})"
    )


MIGRATIONS: tuple[Migration, ...] = (
    Migration(
        "0001-constraints",
        "uniqueness constraints on every id",
        tuple(_unique(label, prop) for label, prop in _UNIQUE),
    ),
    Migration(
        "0002-fulltext",
        "full-text indexes (standard-folding: diacritics and đ folded) over experts and works",
        (
            "CREATE FULLTEXT INDEX expert_text IF NOT EXISTS FOR (n:Expert) "
            "ON EACH [n.fullName, n.nameSearch, n.headline, n.bio] "
            "OPTIONS {indexConfig: {`fulltext.analyzer`: 'standard-folding', "
            "`fulltext.eventually_consistent`: false}}",
            "CREATE FULLTEXT INDEX publication_text IF NOT EXISTS FOR (n:Publication) "
            "ON EACH [n.title, n.abstract] "
            "OPTIONS {indexConfig: {`fulltext.analyzer`: 'standard-folding'}}",
            "CREATE FULLTEXT INDEX project_text IF NOT EXISTS FOR (n:Project) "
            "ON EACH [n.title, n.summary] "
            "OPTIONS {indexConfig: {`fulltext.analyzer`: 'standard-folding'}}",
            "CREATE FULLTEXT INDEX skill_text IF NOT EXISTS FOR (n:Skill) "
            "ON EACH [n.nameEn, n.nameVi, n.aliasText] "
            "OPTIONS {indexConfig: {`fulltext.analyzer`: 'standard-folding'}}",
        ),
    ),
    Migration(
        "0003-range-indexes",
        "range indexes for the filters and sorts the API offers",
        tuple(_range(label, prop) for label, prop in _RANGE),
    ),
    Migration(
        "0004-accounts-audit-tasks",
        "audit look-ups by subject and actor, task and programme listings, task-code sequences",
        (
            _unique("Sequence", "id"),
            *(_range(label, prop) for label, prop in (
                ("AuditEvent", "subjectId"), ("AuditEvent", "actorId"), ("Task", "createdAt"),
                ("Programme", "createdAt"), ("Programme", "code"), ("Account", "role"),
                ("Shortlist", "taskId"), ("Organization", "country"),
            )),
            # CONTAINS on folded names (organization search) needs a text index, not a range one.
            "CREATE TEXT INDEX organization_namefolded_text IF NOT EXISTS "
            "FOR (n:Organization) ON (n.nameFolded)",
        ),
    ),
    Migration(
        "0005-identity-locks",
        "lock records that serialise imports naming one person (registry.identity.hold)",
        (_unique("IdentityLock", "stripe"),),
    ),
    Migration(
        "0006-exact-names",
        "full-text index of names as written (lower case, diacritics kept), so a search typed "
        "with diacritics ranks that spelling first",
        (
            "CREATE FULLTEXT INDEX expert_name_exact IF NOT EXISTS FOR (n:Expert) "
            "ON EACH [n.fullName] "
            "OPTIONS {indexConfig: {`fulltext.analyzer`: 'standard-no-stop-words', "
            "`fulltext.eventually_consistent`: false}}",
        ),
    ),
)


def applied(db: Database) -> list[str]:
    rows = db.query(
        "MATCH (m:SchemaMigration) WHERE NOT m.id STARTS WITH 'reference-data:' "
        "RETURN m.id AS id ORDER BY id"
    )
    return [r["id"] for r in rows]


def migrate(db: Database, *, reference: bool = True) -> list[str]:
    """Apply the migrations not yet applied, then load the reference data (taxonomy, lists,
    organizations) when its version is not in the graph yet. Returns the migration ids applied
    now. Safe to re-run."""
    done = set(applied(db))
    now: list[str] = []
    for migration in MIGRATIONS:
        if migration.id in done:
            continue
        for statement in migration.statements:
            # Schema statements cannot share a transaction with data writes.
            db.execute(statement)
        db.execute(
            "MERGE (m:SchemaMigration {id: $id}) "
            "ON CREATE SET m.description = $description, m.appliedAt = datetime()",
            id=migration.id,
            description=migration.description,
        )
        log.info("applied migration %s", migration.id)
        now.append(migration.id)
    db.execute("CALL db.awaitIndexes(300)")
    if reference:
        from registry.taxonomy import sync_reference

        sync_reference(db)
    return now
