"""The offline initial load (``registry.initial_load``) on a Neo4j of its own.

The load stops and restarts its server and swaps the store, so these tests run a server of
their own (``LocalNeo4j`` on port 7707, or ``CHUYENGIA_TEST_INITIAL_NEO4J_PORT``; data in the
test data folder's sibling ``<name>-initial``), never the shared test server.

The main claim: the graph an initial load makes is the graph ``chuyengia import experts`` makes
from the same file (same rejections too), with what was stored before kept as it was.
"""

from __future__ import annotations

import json
import shutil
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest

from registry import accounts, programmes, search
from registry.cli import main as cli_main
from registry.db import Database
from registry.errors import RegistryError
from registry.fingerprint import graph_fingerprint
from registry.importer import import_experts_file
from registry.initial_load import InitialLoad
from registry.localdb import LocalNeo4j
from registry.settings import Settings, get_settings
from seed.demo_profiles import generate_profiles
from tests.api.support import person
from tests.conftest import own_database, own_server, wipe

pytestmark = pytest.mark.timeout(600)


@pytest.fixture(scope="module")
def server(settings: Settings) -> Iterator[LocalNeo4j]:
    with own_server(settings, "initial", "CHUYENGIA_TEST_INITIAL_NEO4J_PORT", 7707) as server:
        yield server


@pytest.fixture(scope="module")
def store(server: LocalNeo4j) -> Iterator[Database]:
    with own_database(server) as db:
        yield db


@pytest.fixture
def empty(store: Database) -> Database:
    """The server's registry with reference data only (no experts, accounts or programmes)."""
    wipe(store)
    return store


# --- the file ----------------------------------------------------------------------------------

def _rows() -> list[Any]:
    """Demo profiles and the rows an agency's file holds besides: bad rows, a duplicate, works
    shared by two experts and told differently, organizations only a profile names, a profile
    with empty lists, text needing quotes, and a record of another kind."""
    rows: list[Any] = list(generate_profiles(40, seed=11))
    shared = {"doi": "10.5555/shared.1", "title": "Chung một bài báo", "year": 2020}
    rows += [
        person(1, fullName="Trần \"Kép\", Thị\nDòng", languages=[], skills=[],
               bio="Dòng một\nDòng hai, có \"ngoặc\" và dấu phẩy,",
               publications=[{**shared, "venue": "Venue A", "abstract": "Bản đầu"}]),
        person(2, fullName="Lê Văn Chung", publications=[
            {**shared, "venue": "Venue B", "abstract": "Bản sau", "citations": 7}],
            employment=[{"organization": {"name": "Công ty Chỉ Hồ Sơ", "country": "VN",
                                          "kind": "COMPANY"}, "title": "CTO", "from": 2018}]),
        person(3, fullName="Phạm Văn Lỗi", residenceCountry="XX"),  # invalid country
        person(1, fullName="Trần Bản Sao"),  # the same e-mail as an earlier row
        "not an object",
        {"kind": "organization", "name": "ignored"},
        person(4, fullName="Đặng Hồng Tìm", headline="Chuyên gia lượng tử tôpô hiếm gặp"),
    ]
    return rows


def _write(path: Path, rows: list[Any]) -> Path:
    with open(path, "w", encoding="utf-8") as out:
        out.writelines(json.dumps(row, ensure_ascii=False) + "\n" for row in rows)
    return path


def _before_load(db: Database) -> dict[str, Any]:
    """Stores what a registry holds before its experts: an account, a programme, and a node
    whose properties cover the types a CSV cell must carry (and those it cannot)."""
    lead, _ = accounts.create_account(db, name="Trưởng chương trình", role="PROGRAMME_LEAD")
    prog = programmes.create_programme(db, created_by=lead.id, data={
        "code": "CT-LOAD", "title": "Chương trình nạp", "techListId": "qd-1131-2025",
        "areas": ["semiconductor-chips"]})
    db.execute("""
        CREATE (:Probe {id: 'probe', text: 'a, "b"\nc', blank: '', unicode: 'Nguyễn Đức ✓',
          flag: false, big: 9007199254740993, ratio: 0.1, tiny: -1.5e-300,
          at: datetime('2025-03-04T05:06:07.123456789+07:00'), day: date('2024-02-29'),
          local: localdatetime('2024-01-02T03:04:05'), words: ['a', 'b, c', 'đ "q"'],
          numbers: [1, 2, 3], floats: [0.5, -2.0], flags: [true, false],
          none: [], blanks: ['', 'x'], place: point({x: 1.5, y: 2.5}),
          span: duration('P1DT2H'), `odd name`: 1})
        """)
    return {"lead": lead.id, "programme": prog.id}


def _probe(db: Database) -> dict[str, Any]:
    return db.query("MATCH (p:Probe) RETURN properties(p) AS props")[0]["props"]


def _loaded_fingerprint(db: Database) -> dict[str, Any]:
    """The graph without the audit trail, stamps of the moment ignored."""
    db.execute("MATCH (a:AuditEvent) DETACH DELETE a")
    return graph_fingerprint(db, ignore_properties=("createdAt", "updatedAt"))


def _remove_loaded(db: Database) -> None:
    """Back to the state before the load: what profiles made goes, the rest stays."""
    db.execute("""
        MATCH (n) WHERE n:Expert OR n:Publication OR n:Patent OR n:Project OR n:Award
           OR n:AuditEvent OR (n:Organization AND n.source = 'PROFILE')
        DETACH DELETE n""")


# --- tests -------------------------------------------------------------------------------------

def test_an_initial_load_makes_the_graph_an_import_makes(
        empty: Database, server: LocalNeo4j, tmp_path: Path):
    db = empty
    kept = _before_load(db)
    probe = _probe(db)
    audit_before = db.query("MATCH (a:AuditEvent) RETURN count(a) AS n")[0]["n"]
    path = _write(tmp_path / "agency.jsonl", _rows())

    load = InitialLoad(db, server)
    prepared = load.prepare(path)
    assert db.query("MATCH (e:Expert) RETURN count(e) AS n")[0]["n"] == 0  # not yet
    result = load.install()

    assert result is prepared and result.created == 43 and result.updated == 0
    assert result.ignored == 1
    assert [(r.line, r.errors[0].path) for r in result.rejected] == [
        (43, "residenceCountry"), (44, ""), (45, "")]
    assert "duplicate of line 41" in result.rejected[1].reason
    assert not load.stage.exists()  # the staging folder is gone
    # What was stored before is there as it was, the probe's every property included.
    assert _probe(db) == probe
    assert db.query("MATCH (a:Account {id: $id}) RETURN a.role AS role", id=kept["lead"]) == [
        {"role": "PROGRAMME_LEAD"}]
    assert db.query("MATCH (p:Programme {id: $id}) RETURN p.code AS code",
                    id=kept["programme"]) == [{"code": "CT-LOAD"}]
    # One audit event tells of the whole load.
    events = db.query("""MATCH (a:AuditEvent) WHERE a.action = 'IMPORT'
                         RETURN a.detail AS detail""")
    assert len(events) == 1 and json.loads(events[0]["detail"]) == {
        "source": "initial load of agency.jsonl", "created": 43, "updated": 0}
    assert db.query("MATCH (a:AuditEvent) RETURN count(a) AS n")[0]["n"] == audit_before + 1
    # The indexes are online: full-text search finds a loaded expert at once.
    found = search.search_experts(db, filter=search.ExpertFilter(text="luong tu topo"),
                                  first=5, in_memory=False)
    assert found.ids[:1] == [r["id"] for r in db.query(
        "MATCH (e:Expert {email: 'expert4@example.org'}) RETURN e.id AS id")]
    # Accents and quotes survived the CSV files.
    quoted = db.query("MATCH (e:Expert {email: 'expert1@example.org'}) "
                      "RETURN e.fullName AS name, e.bio AS bio, e.languages AS languages")[0]
    assert quoted["bio"] == "Dòng một\nDòng hai, có \"ngoặc\" và dấu phẩy,"
    assert quoted["languages"] == []
    loaded = _loaded_fingerprint(db)

    # The same file through the transactional import, from the same starting point.
    _remove_loaded(db)
    imported = import_experts_file(db, path)
    assert [(r.line, r.reason) for r in imported.rejected] == [
        (r.line, r.reason) for r in result.rejected]
    assert imported.created == result.created
    assert _loaded_fingerprint(db) == loaded


def test_a_registry_with_experts_is_refused(empty: Database, server: LocalNeo4j,
                                            tmp_path: Path):
    path = _write(tmp_path / "one.jsonl", [person(9)])
    import_experts_file(empty, path)
    before = graph_fingerprint(empty)
    with pytest.raises(RegistryError, match="without experts.*1 experts"):
        InitialLoad(empty, server).prepare(path)
    assert graph_fingerprint(empty) == before
    assert not (server.data_dir / "initial-load").exists()


def test_a_change_while_preparing_cancels_the_load(empty: Database, server: LocalNeo4j,
                                                   tmp_path: Path):
    path = _write(tmp_path / "some.jsonl", list(generate_profiles(5, seed=3)))
    load = InitialLoad(empty, server)
    load.prepare(path)
    pid = server.status().pid
    accounts.create_account(empty, name="Đến muộn", role="HR_AGENCY")
    changed = graph_fingerprint(empty)
    with pytest.raises(RegistryError, match="changed while the initial load"):
        load.install()
    assert server.status().pid == pid  # never stopped
    assert graph_fingerprint(empty) == changed
    assert not load.stage.exists()


def test_a_store_that_does_not_come_up_is_rolled_back(empty: Database, server: LocalNeo4j,
                                                      tmp_path: Path):
    path = _write(tmp_path / "some.jsonl", list(generate_profiles(5, seed=4)))
    _before_load(empty)
    before = graph_fingerprint(empty)
    load = InitialLoad(empty, server)
    load.prepare(path)
    # Spoil the prepared store: an empty database folder in place of the one neo4j-admin made.
    for folder in server.store_dirs("neo4j", load.stage / "home"):
        shutil.rmtree(folder)
        folder.mkdir()
    with pytest.raises(RegistryError):
        load.install()
    assert server.status().running
    assert graph_fingerprint(empty) == before  # the old store, as it was
    assert not load.stage.exists()


def test_the_command_loads_a_file_and_reports_its_rows(
        empty: Database, server: LocalNeo4j, tmp_path: Path, capsys, monkeypatch):
    path = _write(tmp_path / "cli.jsonl",
                  [*generate_profiles(3, seed=5), person(6, residenceCountry="XX")])
    monkeypatch.setenv("CHUYENGIA_DATA_DIR", str(server.data_dir))
    monkeypatch.setenv("CHUYENGIA_NEO4J_PORT", str(server.port))
    get_settings.cache_clear()
    try:
        code = cli_main(["import", "experts", str(path), "--initial"])
    finally:
        get_settings.cache_clear()
    out = capsys.readouterr()
    assert code == 3  # some rows were rejected
    assert "line 4: " in out.err and "residenceCountry" in out.err
    assert out.out.startswith("3 created, 0 updated, 0 unchanged, 1 rejected")
    # The connection of this test finds the restarted server and the new experts.
    assert empty.query("MATCH (e:Expert) RETURN count(e) AS n") == [{"n": 3}]


def test_the_command_refuses_a_server_it_does_not_run(tmp_path: Path, capsys, monkeypatch):
    path = _write(tmp_path / "x.jsonl", [person(5)])
    monkeypatch.setenv("NEO4J_URI", "bolt://127.0.0.1:1")
    monkeypatch.setenv("NEO4J_PASSWORD", "not-used")
    get_settings.cache_clear()
    try:
        assert cli_main(["import", "experts", str(path), "--initial"]) == 2
    finally:
        get_settings.cache_clear()
    assert "--initial builds the store of the project's own Neo4j" in capsys.readouterr().err
