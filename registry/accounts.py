"""Accounts and their API tokens: who may call the registry, and in which role.

Owns ``(:Account {id, name, role, organization, tokenHash, createdAt, revoked, revokedAt})``
and ``(Account)-[:IS]->(Expert)`` for an expert's own account (one account per expert).

A token is shown once, when it is made, and only its SHA-256 digest is stored. A plain, fast
digest is enough here because a token carries 256 random bits: nobody can guess it or run a
dictionary against a leaked digest, which is what slow password hashes (bcrypt, argon2) guard
against. A fast digest also lets every request find its account through the unique index on
``tokenHash``. Revoking or rotating takes effect with the next request: nothing is cached.
"""

from __future__ import annotations

import datetime as dt
import hashlib
import hmac
import logging
import secrets
import uuid
from dataclasses import dataclass
from typing import Any

from neo4j import ManagedTransaction

from registry import audit
from registry.db import Database, run, run_single
from registry.errors import Code, NotAllowed, NotAllowedCode, NotFound, ValidationError
from registry.validation import Validator

__all__ = [
    "ROLES", "TOKEN_PREFIX", "Account", "hash_token", "create_account", "authenticate",
    "revoke_account", "rotate_token", "get_account", "get_accounts", "list_accounts",
]

log = logging.getLogger(__name__)

ROLES = ("ADMIN", "HR_AGENCY", "PROGRAMME_LEAD", "EXPERT")
TOKEN_PREFIX = "cg_"
_MAX_TOKEN_LENGTH = 200


@dataclass(frozen=True)
class Account:
    id: str
    name: str
    role: str
    expert_id: str | None
    organization: str | None
    created_at: dt.datetime
    revoked: bool
    revoked_at: dt.datetime | None = None


_FIELDS = """a {.id, .name, .role, .organization, .createdAt, .revoked, .revokedAt,
               expertId: head([(a)-[:IS]->(own:Expert) | own.id])}"""

_CLAIM_EXPERT = """
MATCH (e:Expert {id: $expertId})
SET e._lock = true
REMOVE e._lock
RETURN EXISTS { (:Account)-[:IS]->(e) } AS taken
"""

_CREATE = f"""
CREATE (a:Account {{id: $id, name: $name, role: $role, organization: $organization,
                   tokenHash: $tokenHash, createdAt: datetime(), revoked: false}})
WITH a
OPTIONAL MATCH (e:Expert {{id: $expertId}})
FOREACH (x IN CASE WHEN e IS NULL THEN [] ELSE [e] END | CREATE (a)-[:IS]->(x))
RETURN {_FIELDS} AS account
"""

_BY_HASH = f"MATCH (a:Account {{tokenHash: $tokenHash}}) RETURN a.tokenHash AS tokenHash, " \
           f"{_FIELDS} AS account"

_GET = f"UNWIND $ids AS id MATCH (a:Account {{id: id}}) RETURN {_FIELDS} AS account"

_LIST = f"""
MATCH (a:Account)
WHERE ($role IS NULL OR a.role = $role) AND ($includeRevoked OR NOT a.revoked)
RETURN {_FIELDS} AS account
ORDER BY a.createdAt, a.id
LIMIT $first
"""

_REVOKE = f"""
MATCH (a:Account {{id: $id}})
SET a.revoked = true, a.revokedAt = coalesce(a.revokedAt, datetime())
RETURN {_FIELDS} AS account
"""

# Lock first, then read ``revoked``: a revoke committed meanwhile is seen, and a rotation
# of a revoked account is rolled back by the NotAllowed raised below.
_ROTATE = f"""
MATCH (a:Account {{id: $id}})
SET a._lock = true
REMOVE a._lock
WITH a, a.revoked AS wasRevoked
SET a.tokenHash = $tokenHash, a.rotatedAt = datetime()
RETURN wasRevoked, {_FIELDS} AS account
"""


def _account(row: dict[str, Any]) -> Account:
    revoked_at = row.get("revokedAt")
    return Account(
        id=row["id"], name=row["name"], role=row["role"], expert_id=row.get("expertId"),
        organization=row.get("organization"), created_at=row["createdAt"].to_native(),
        revoked=bool(row.get("revoked")),
        revoked_at=revoked_at.to_native() if revoked_at is not None else None,
    )


def hash_token(token: str) -> str:
    """The stored form of a token: SHA-256, hex (see the module docstring for why)."""
    return hashlib.sha256(token.encode("utf-8")).hexdigest()


def _new_token() -> tuple[str, str]:
    token = TOKEN_PREFIX + secrets.token_urlsafe(32)
    return token, hash_token(token)


def create_account(
    db: Database,
    *,
    name: str,
    role: str,
    expert_id: str | None = None,
    organization: str | None = None,
    actor_id: str | None = None,
) -> tuple[Account, str]:
    """Create an account; returns it with its token, which is never shown again.

    An EXPERT account must name an existing expert that has no account yet; other roles
    must not name one. ``actor_id`` (None for the system) is written to the audit trail.
    """
    v = Validator()
    clean_name = v.required_str("name", name, max_length=120)
    clean_role = v.choice("role", role, ROLES)
    org = v.optional_str("organization", organization, max_length=200)
    if clean_role == "EXPERT":
        expert_id = v.required_str("expertId", expert_id, max_length=100, normalize=False)
    elif expert_id is not None and clean_role is not None:
        v.add("expertId", Code.NOT_APPLICABLE,
              "only an EXPERT account is linked to an expert; leave it out",
              field="role", value="EXPERT")
    v.raise_if_any()
    token, digest = _new_token()
    account_id = str(uuid.uuid4())

    def work(tx: ManagedTransaction) -> Account:
        if clean_role == "EXPERT":
            claim = run_single(tx, _CLAIM_EXPERT, expertId=expert_id)
            if claim is None:
                raise ValidationError.at("expertId", Code.UNKNOWN_REFERENCE,
                                         "is not an expert in the registry", kind="expert",
                                         value=expert_id)
            if claim["taken"]:
                raise ValidationError.at(
                    "expertId", Code.ALREADY_LINKED, "already has an account; rotate that account's token instead"
                )
        row = run_single(tx, _CREATE, id=account_id, name=clean_name, role=clean_role,
                         organization=org, tokenHash=digest, expertId=expert_id)
        assert row is not None
        audit.record(tx, actor_id=actor_id, action=audit.AuditAction.ACCOUNT_CREATED,
                     subject_kind="Account", subject_id=account_id,
                     detail={"role": clean_role})
        return _account(row["account"])

    return db.write(work), token


def authenticate(db: Database, token: str) -> Account | None:
    """The account a token belongs to, or None if the token is unknown, malformed or revoked."""
    if (
        not isinstance(token, str)
        or not token.startswith(TOKEN_PREFIX)
        or len(token) > _MAX_TOKEN_LENGTH
    ):
        return None
    digest = hash_token(token)
    row = db.read(lambda tx: run_single(tx, _BY_HASH, tokenHash=digest))
    # The index lookup already matched; comparing again in constant time keeps the decision
    # itself free of timing differences whatever the index does.
    if row is None or not hmac.compare_digest(row["tokenHash"], digest):
        return None
    account = _account(row["account"])
    if account.revoked:
        log.info("refused a revoked token of account %s", account.id)
        return None
    return account


def revoke_account(db: Database, *, account_id: str, actor_id: str | None = None) -> Account:
    """Revoke an account: its token stops working at once. Revoking twice is harmless."""

    def work(tx: ManagedTransaction) -> Account:
        row = run_single(tx, _REVOKE, id=account_id)
        if row is None:
            raise NotFound("Account", account_id)
        audit.record(tx, actor_id=actor_id, action=audit.AuditAction.TOKEN_REVOKED,
                     subject_kind="Account", subject_id=account_id)
        return _account(row["account"])

    return db.write(work)


def rotate_token(
    db: Database, *, account_id: str, actor_id: str | None = None
) -> tuple[Account, str]:
    """Give the account a new token; the old one stops working at once."""
    token, digest = _new_token()

    def work(tx: ManagedTransaction) -> Account:
        row = run_single(tx, _ROTATE, id=account_id, tokenHash=digest)
        if row is None:
            raise NotFound("Account", account_id)
        if row["wasRevoked"]:
            raise NotAllowed(NotAllowedCode.ACCOUNT_REVOKED, f"account {account_id!r} is revoked; create a new account instead")
        audit.record(tx, actor_id=actor_id, action=audit.AuditAction.TOKEN_ROTATED,
                     subject_kind="Account", subject_id=account_id)
        return _account(row["account"])

    return db.write(work), token


def get_accounts(tx: ManagedTransaction, ids: list[str]) -> dict[str, Account]:
    """Accounts by id, in one statement (for per-request loaders); unknown ids are left out."""
    return {r["account"]["id"]: _account(r["account"]) for r in run(tx, _GET, ids=list(ids))}


def get_account(db: Database, *, account_id: str) -> Account:
    account = db.read(get_accounts, [account_id]).get(account_id)
    if account is None:
        raise NotFound("Account", account_id)
    return account


def list_accounts(
    db: Database, *, role: str | None = None, include_revoked: bool = True, first: int = 100
) -> list[Account]:
    """Accounts, oldest first, optionally of one role."""
    v = Validator()
    clean_role = v.choice("role", role, ROLES, required=False)
    limit = v.integer("first", first, min=1, max=1000)
    v.raise_if_any()
    rows = db.query(_LIST, role=clean_role, includeRevoked=bool(include_revoked), first=limit)
    return [_account(r["account"]) for r in rows]
