"""Which stored expert an imported row updates, and what a re-import leaves alone."""

from __future__ import annotations

from registry import accounts, experts
from registry.db import Database
from registry.errors import Code
from registry.transfer import import_experts
from tests.factories import profile

ORCID = "0000-0002-1825-0097"


def _experts(db: Database) -> list[dict]:
    return db.query("MATCH (e:Expert) RETURN e.id AS id, e.email AS email, e.orcid AS orcid, "
                    "e.externalKey AS key, e.version AS version ORDER BY id")


def test_a_record_imported_by_email_then_with_an_orcid_added_stays_one_expert(db: Database):
    first = import_experts(db, [(1, profile())])
    [before] = _experts(db)

    again = import_experts(db, [(1, profile(orcid=ORCID, headline="Kiến trúc sư SoC"))])

    assert (first.created, again.created, again.updated) == (1, 0, 1)
    [after] = _experts(db)
    assert after["id"] == before["id"]
    assert (after["orcid"], after["version"]) == (ORCID, 2)
    assert experts.read_profile(db, before["id"])["headline"] == "Kiến trúc sư SoC"
    # The same row once more is recognised by its ORCID iD and is unchanged.
    third = import_experts(db, [(1, profile(orcid=ORCID, headline="Kiến trúc sư SoC"))])
    assert (third.created, third.updated, third.unchanged) == (0, 0, 1)


def test_an_external_key_finds_the_expert_when_the_email_changed(db: Database):
    import_experts(db, [(1, profile(externalKey="agency-42"))])
    [before] = _experts(db)
    result = import_experts(db, [(1, profile(externalKey="agency-42",
                                             email="duc@new.example.org"))])
    assert result.updated == 1
    assert _experts(db) == [{**before, "email": "duc@new.example.org", "version": 2}]


def test_a_row_naming_two_different_experts_is_a_conflict_and_writes_nothing(db: Database):
    import_experts(db, [(1, profile(email="lan@example.org", fullName="Trần Thị Lan")),
                        (2, profile(orcid=ORCID, email="duc@example.org"))])
    before = _experts(db)

    result = import_experts(db, [
        (7, profile(email="lan@example.org", orcid=ORCID, headline="Đổi")),
        (8, profile(email="hai@example.org", fullName="Đặng Văn Hải"))])

    [conflict] = result.rejected
    assert conflict.line == 7
    assert conflict.reason.startswith("identity conflict: the row names 2 different experts")
    assert f"ORCID iD {ORCID} is expert" in conflict.reason
    assert "e-mail lan@example.org is expert" in conflict.reason
    [error] = conflict.errors
    assert (error.path, error.code, error.params) == \
        ("", Code.IDENTITY_CONFLICT, {"value": sorted(e["id"] for e in before)})
    assert (result.created, result.updated) == (1, 0)
    assert [e for e in _experts(db) if e["email"] != "hai@example.org"] == before


def test_a_stored_expert_with_another_orcid_is_not_taken_over(db: Database):
    import_experts(db, [(1, profile(orcid=ORCID))])
    result = import_experts(db, [(1, profile(orcid="0000-0001-5109-3700"))])
    [conflict] = result.rejected
    assert "which has ORCID iD 0000-0002-1825-0097" in conflict.reason
    assert conflict.errors[0].code is Code.IDENTITY_CONFLICT
    assert [e["orcid"] for e in _experts(db)] == [ORCID]


def test_two_rows_reaching_one_stored_expert_by_different_identifiers(db: Database):
    import_experts(db, [(1, profile(orcid=ORCID))])
    result = import_experts(db, [(3, profile(headline="một")),          # by e-mail
                                 (4, profile(email=None, orcid=ORCID, headline="hai"))])
    [dup] = result.rejected
    assert (dup.line, dup.reason.split(" (")[0]) == (4, "duplicate of line 3")
    [error] = dup.errors
    assert (error.path, error.code, error.params["line"]) == ("", Code.DUPLICATE_ROW, 3)
    assert result.updated == 1
    [stored] = _experts(db)
    assert experts.read_profile(db, stored["id"])["headline"] == "một"


def test_a_reimport_keeps_verification_registrant_and_account_link(db: Database):
    agency, _ = accounts.create_account(db, name="Agency", role="HR_AGENCY")
    import_experts(db, [(1, profile())], registered_by=agency.id)
    [stored] = _experts(db)
    expert_id = stored["id"]
    doc = experts.read_profile(db, expert_id)
    experts.update_expert(db, expert_id, doc["version"], lambda d: {**d, "verified": True})
    own, _ = accounts.create_account(db, name="Nguyễn Minh Đức", role="EXPERT",
                                     expert_id=expert_id)

    result = import_experts(db, [(1, profile(headline="Kiến trúc sư SoC"))])  # as the CLI does

    assert result.updated == 1
    after = experts.read_profile(db, expert_id)
    assert after["headline"] == "Kiến trúc sư SoC"
    assert after["verified"] is True
    assert after["registeredBy"] == agency.id
    linked = db.query("MATCH (a:Account)-[:IS]->(e:Expert {id: $id}) RETURN a.id AS id",
                      id=expert_id)
    assert linked == [{"id": own.id}]
    # A row that says so explicitly (an export being restored) still sets it.
    import_experts(db, [(1, profile(headline="Kiến trúc sư SoC", verified=False))])
    assert experts.read_profile(db, expert_id)["verified"] is False


def test_an_unchanged_row_stays_unchanged_when_the_expert_was_verified(db: Database):
    import_experts(db, [(1, profile())])
    [stored] = _experts(db)
    doc = experts.read_profile(db, stored["id"])
    experts.update_expert(db, stored["id"], doc["version"], lambda d: {**d, "verified": True})
    result = import_experts(db, [(1, profile())])
    assert (result.updated, result.unchanged) == (0, 1)
    assert experts.read_profile(db, stored["id"])["verified"] is True
