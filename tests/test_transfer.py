"""Import of expert files, and export/restore of the whole registry, on the real graph."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from registry import accounts, decisions, experts
from registry.db import Database
from registry.errors import NotAllowed
from registry.transfer import (
    export_graph,
    graph_fingerprint,
    import_experts,
    import_experts_file,
    import_graph,
)
from seed.demo import seed_demo
from tests.conftest import wipe
from tests.factories import profile


def _line(doc: dict) -> str:
    return json.dumps(doc, ensure_ascii=False)


def _versions(db: Database) -> dict[str, int]:
    rows = db.query("MATCH (e:Expert) RETURN e.id AS id, e.version AS version")
    return {r["id"]: r["version"] for r in rows}


def _count(db: Database, label_query: str) -> int:
    return db.query(label_query)[0]["n"]


def test_each_kind_of_bad_row_is_rejected_with_its_line_and_the_rest_imported(
        db: Database, tmp_path: Path):
    lan = profile(email="lan@example.org", fullName="Trần Thị Lan", patents=[],
                  publications=[{"title": "Vietnamese speech corpus", "year": 2022}])
    bad_level = profile(email="bad@example.org",
                        skills=[{"skill": "machine-learning", "level": 9}],
                        publications=[{"title": "A paper that must not appear", "year": 2020}])
    lines = [
        "\ufeff" + _line(profile()),                          # 1 valid, after a BOM
        '{"fullName": "Nguyễn Văn A", ',                      # 2 malformed JSON
        "",                                                   # 3 blank: skipped
        _line(bad_level),                                     # 4 invalid field
        _line([profile(email="list@example.org")]),           # 5 not an object
        _line(profile(fullName="Nguyen Minh Duc")),           # 6 same e-mail as line 1
        _line(profile(email="huge@example.org", bio="x" * 1_100_000)),  # 7 over 1 MB
        _line(profile(email="x@example.org", foo=1)),         # 9 unknown field (8 is bytes)
        _line(lan),                                           # 10 valid
    ]
    path = tmp_path / "experts.jsonl"
    with open(path, "wb") as f:
        for i, text in enumerate(lines):
            f.write(text.encode("utf-8") + b"\n")
            if i == 6:
                f.write(b'{"fullName": "L\xea V\xe3n B", "residenceCountry": "VN"}\n')  # 8
    result = import_experts_file(db, path)

    reasons = {r.line: r.reason for r in result.rejected}
    assert sorted(reasons) == [2, 4, 5, 6, 7, 8, 9]
    assert "not valid JSON" in reasons[2]
    assert reasons[4].startswith("skills.0.level: must be between 1 and 5")
    assert "JSON object" in reasons[5]
    assert reasons[6].startswith("duplicate of line 1")
    assert "longer than 1 MB" in reasons[7]
    assert "UTF-8" in reasons[8]
    assert reasons[9] == "foo: is not a profile field"
    assert all(r.raw_text for r in result.rejected if r.line != 8)
    assert (result.created, result.updated, result.unchanged) == (2, 0, 0)
    names = sorted(r["name"] for r in db.query("MATCH (e:Expert) RETURN e.fullName AS name"))
    assert names == ["Nguyễn Minh Đức", "Trần Thị Lan"]
    assert _count(db, "MATCH (p:Publication {title: 'A paper that must not appear'}) "
                      "RETURN count(p) AS n") == 0
    assert "2 created" in result.summary() and "7 rejected" in result.summary()


def test_reimporting_the_same_file_changes_nothing(db: Database, tmp_path: Path):
    path = tmp_path / "experts.jsonl"
    docs = [profile(), profile(email="lan@example.org", fullName="Trần Thị Lan"),
            profile(email="hai@example.org", fullName="Đặng Văn Hải", publications=[])]
    path.write_text("\n".join(_line(d) for d in docs) + "\n", encoding="utf-8")
    first = import_experts_file(db, path)
    assert first.created == 3
    before, versions = graph_fingerprint(db), _versions(db)

    again = import_experts_file(db, path)

    assert (again.created, again.updated, again.unchanged) == (0, 0, 3)
    assert graph_fingerprint(db) == before
    assert _versions(db) == versions == {v: 1 for v in versions}


def test_a_changed_row_updates_its_profile_and_bumps_the_version(db: Database):
    import_experts(db, [(1, profile())])
    result = import_experts(db, [(1, profile(headline="Kiến trúc sư SoC"))])
    assert (result.created, result.updated, result.unchanged) == (0, 1, 0)
    [(eid, version)] = _versions(db).items()
    assert version == 2
    assert experts.read_profile(db, eid)["headline"] == "Kiến trúc sư SoC"


def test_rows_sharing_an_orcid_or_naming_another_expert_are_rejected_and_the_rest_written(
        db: Database):
    orcid = "0000-0002-1825-0097"
    import_experts(db, [(1, profile(id="expert-one", orcid=orcid))])
    other = "0000-0001-5109-3700"
    rows = [(1, profile(id="expert-two", orcid=orcid, email="two@example.org")),
            (2, profile(email="three@example.org", fullName="Lê Văn Ba", orcid=other)),
            (3, profile(email="four@example.org", orcid=other))]
    result = import_experts(db, rows, batch_size=10)
    assert [(r.line, r.reason) for r in result.rejected] == [
        (1, (f"identity conflict: the row's id is expert-two but ORCID iD {orcid} is expert "
             "expert-one; nothing was written for this row")),
        (3, f"duplicate of line 2 (same identity, expert id {validate_id(rows[1][1])})")]
    assert result.created == 1
    assert sorted(_versions(db)) == sorted(["expert-one", validate_id(rows[1][1])])


def validate_id(raw: dict) -> str:
    from registry.profile import validate_profile

    return validate_profile(raw)["id"]


def test_import_is_recorded_in_the_audit_trail_only_when_it_writes(db: Database):
    import_experts(db, [(1, profile())], registered_by=None, source="test")
    import_experts(db, [(1, profile())], registered_by=None, source="test")
    events = db.query("MATCH (a:AuditEvent {action: 'IMPORT'}) RETURN a.detail AS detail")
    assert len(events) == 1
    assert json.loads(events[0]["detail"])["created"] == 1


CSV = (
    "\ufefffullName,email,residenceCountry,headline,yearsExperience,languages,skills,"
    "contactConsent,organization,title,since\n"
    "Nguyễn Minh Đức,duc@example.org,vn,Thiết kế vi mạch,12,vi;en,"
    "machine-learning:4:6;deep-learning:3,yes,viettel,Kỹ sư trưởng,2018\n"
    "Trần Thị Lan,lan@example.org,US,\"Speech, NLP\",8,vi;en;ja,vietnamese-nlp:5,no,"
    "Acme Speech Labs,Scientist,\n"
    "Lê Văn Ba,ba@example.org,VN,too few fields\n"
    "\n"
    "Phạm Thu Hà,ha@example.org,VN,Hoá học,many,vi,machine-learning:high,maybe,,,\n"
)


def test_csv_import(db: Database, tmp_path: Path):
    path = tmp_path / "experts.csv"
    path.write_text(CSV, encoding="utf-8")
    result = import_experts_file(db, path)

    assert result.created == 2
    reasons = {r.line: r.reason for r in result.rejected}
    assert sorted(reasons) == [4, 6]
    assert reasons[4] == "has 4 fields; the header has 11"
    assert "yearsExperience: must be a whole number" in reasons[6]
    assert "skills.0.level: must be a whole number" in reasons[6]
    assert "contactConsent: must be true or false" in reasons[6]
    ids = {r["email"]: r["id"] for r in
           db.query("MATCH (e:Expert) RETURN e.email AS email, e.id AS id")}
    duc = experts.read_profile(db, ids["duc@example.org"])
    assert duc["residenceCountry"] == "VN" and duc["languages"] == ["vi", "en"]
    assert duc["contactConsent"] is True and duc["yearsExperience"] == 12
    assert [(s["skill"], s["level"], s["years"]) for s in duc["skills"]] == [
        ("deep-learning", 3, 0), ("machine-learning", 4, 6)]
    assert duc["employment"][0]["organization"]["id"] == "viettel"
    assert duc["employment"][0]["from"] == 2018
    lan = experts.read_profile(db, ids["lan@example.org"])
    assert lan["headline"] == "Speech, NLP" and lan["diaspora"] == "OVERSEAS"
    assert lan["employment"][0]["organization"]["name"] == "Acme Speech Labs"
    assert lan["employment"][0]["organization"]["country"] == "US"


def test_a_csv_header_with_unknown_columns_rejects_the_whole_file(db: Database,
                                                                  tmp_path: Path):
    path = tmp_path / "experts.csv"
    path.write_text("fullname,email,residenceCountry\nAn,an@example.org,VN\n",
                    encoding="utf-8")
    result = import_experts_file(db, path)
    assert [r.line for r in result.rejected] == [1]
    assert "unknown columns 'fullname'" in result.rejected[0].reason
    assert result.created == 0 and _versions(db) == {}


def test_a_json_array_reports_the_line_each_record_starts_on(db: Database, tmp_path: Path):
    path = tmp_path / "experts.json"
    body = ",\n".join(json.dumps(d, ensure_ascii=False, indent=1) for d in (
        profile(), profile(email="lan@example.org", yearsExperience=-1)))
    path.write_text("[\n" + body + "\n]\n", encoding="utf-8")
    second_line = 2 + json.dumps(profile(), ensure_ascii=False, indent=1).count("\n") + 1
    result = import_experts_file(db, path)
    assert result.created == 1
    assert [(r.line, r.reason) for r in result.rejected] == [
        (second_line, "yearsExperience: must be between 0 and 70 (got -1)")]


def test_unknown_extension_needs_a_format(db: Database, tmp_path: Path):
    path = tmp_path / "experts.txt"
    path.write_text(_line(profile()) + "\n", encoding="utf-8")
    with pytest.raises(Exception, match="cannot tell the format"):
        import_experts_file(db, path)
    assert import_experts_file(db, path, fmt="jsonl").created == 1


def _rich_registry(db: Database) -> str:
    """A registry with every aggregate: seeded experts, accounts, programmes, tasks,
    decisions, audit events, a shortlist, an organization only a past profile named.
    Returns the HR agency's token."""
    report = seed_demo(db, experts=40, seed=7, progress=False)
    agency = accounts.authenticate(db, report.accounts_created["HR_AGENCY"])
    some = [r["id"] for r in db.query("MATCH (e:Expert) RETURN e.id AS id ORDER BY id LIMIT 2")]
    for eid in some:
        decisions.add_to_shortlist(db, account_id=agency.id, expert_id=eid, note="gọi lại")
    doc = experts.create_expert(db, profile(email="mover@example.org", employment=[
        {"organization": {"name": "Short-lived Startup", "country": "VN"}, "from": 2020}]))
    experts.update_expert(db, doc["id"], 1, lambda d: {**d, "employment": []})
    return report.accounts_created["HR_AGENCY"]


def test_export_then_import_into_an_empty_registry_gives_the_same_graph(
        db: Database, tmp_path: Path):
    token = _rich_registry(db)
    before = graph_fingerprint(db)
    path = tmp_path / "registry.jsonl"

    counts = export_graph(db, path)

    assert counts["expert"] == 41 and counts["task"] == 34 and counts["decision"] > 0
    assert counts["organization"] >= 1 and counts["shortlist"] == 1 and counts["audit"] > 0
    assert not (tmp_path / "registry.jsonl.partial").exists()
    wipe(db)
    assert graph_fingerprint(db) != before
    restored = import_graph(db, path)
    assert restored == counts
    assert graph_fingerprint(db) == before
    assert accounts.authenticate(db, token) is not None  # token digests came back


def test_export_records_are_import_compatible(db: Database, tmp_path: Path):
    seed_demo(db, experts=20, seed=3, progress=False)
    path = tmp_path / "registry.jsonl"
    counts = export_graph(db, path)
    records = [json.loads(t) for t in path.read_text(encoding="utf-8").splitlines()]
    record = next(r for r in records if r["kind"] == "expert")
    assert record["kind"] == "expert" and record["version"] == 1 and "verified" in record
    assert record["meta"]["createdAt"]["$datetime"]

    before = graph_fingerprint(db)
    result = import_experts_file(db, path)
    assert (result.created, result.updated, result.unchanged) == (0, 0, 20)
    assert result.ignored == sum(n for kind, n in counts.items() if kind != "expert")
    assert graph_fingerprint(db) == before


def test_import_graph_refuses_a_registry_that_has_data(db: Database, tmp_path: Path):
    experts.create_expert(db, profile())
    path = tmp_path / "registry.jsonl"
    export_graph(db, path)
    with pytest.raises(NotAllowed):
        import_graph(db, path)


def test_validation_in_worker_processes_gives_the_same_result(db: Database):
    rows = [(i + 1, profile(email=f"e{i}@example.org", fullName=f"Nguyễn Văn {name}"))
            for i, name in enumerate(("An", "Bình", "Cường", "Dũng", "Hà", "Lan"))]
    rows.insert(3, (99, profile(email="bad@example.org", yearsExperience=99)))
    rows.append((7, profile(email="e0@example.org")))
    result = import_experts(db, rows, batch_size=2, workers=2)
    assert result.created == 6
    assert [(r.line, r.reason) for r in result.rejected] == [
        (7, f"duplicate of line 1 (same identity, expert id {validate_id(rows[0][1])})"),
        (99, "yearsExperience: must be between 0 and 70 (got 99)")]
