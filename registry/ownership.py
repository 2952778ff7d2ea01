"""Who may overwrite an existing profile through an agency's import.

An HR agency may create profiles and change the ones it registered itself, as long as no
expert has claimed them (an EXPERT account tied by ``(Account)-[:IS]->(Expert)``): from the
claim on, the profile is the expert's, and only the expert or an administrator changes it.

The check runs inside the writing transaction and write-locks the profiles first, the lock
``registry.accounts`` takes to claim one, so a claim or another agency's registration that
commits meanwhile cannot slip between the check and the write.
"""

from __future__ import annotations

from neo4j import ManagedTransaction

from registry.db import run
from registry.errors import Code

__all__ = ["import_refusals"]

_OWNERS = """
UNWIND $ids AS id
MATCH (e:Expert {id: id})
SET e._lock = true
REMOVE e._lock
WITH e, EXISTS { (:Account)-[:IS]->(e) } AS claimed
WHERE claimed OR e.registeredBy IS NULL OR e.registeredBy <> $account
RETURN e.id AS id, claimed
"""


def import_refusals(tx: ManagedTransaction, ids: list[str], *, account_id: str
                    ) -> dict[str, tuple[Code, str]]:
    """Expert id -> (code, reason): why ``account_id`` may not overwrite it, for the existing profiles among
    ``ids`` that it did not register or that their expert has claimed (locked until the
    transaction ends)."""
    out = {}
    for row in run(tx, _OWNERS, ids=ids, account=account_id):
        if row["claimed"]:
            out[row["id"]] = (Code.CLAIMED_BY_EXPERT,
                              f"is the profile of expert {row['id']}, which its expert has "
                              "claimed; only the expert or an administrator may change it")
        else:
            out[row["id"]] = (Code.REGISTERED_BY_OTHER,
                              f"is the profile of expert {row['id']}, which another account "
                              "registered; only that account or an administrator may change it")
    return out
