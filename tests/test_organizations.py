"""Organizations: reference sync (idempotent, validated), search by folded name, pagination.

The reference list is loaded by ``migrate`` and survives ``wipe``; organizations these tests
sync themselves use the ``zz-test-`` prefix and are removed afterwards.
"""

from __future__ import annotations

import dataclasses

import pytest

from registry.db import Database
from registry.errors import NotFound, ValidationError
from registry.organizations import (
    get_organization,
    get_organizations,
    list_organizations,
    sync_reference_organizations,
)


@pytest.fixture
def orgs(db: Database):
    yield db
    db.execute("MATCH (o:Organization) WHERE o.id STARTS WITH 'zz-test-' DETACH DELETE o")


def _org(**overrides):
    base = {"id": "zz-test-lab", "name": "Zephyr Quantum Lab", "nameVi": "Phòng thí nghiệm "
            "Lượng tử Zephyr", "kind": "INSTITUTE", "country": "vn", "city": "Đà Nẵng",
            "top200": False, "areas": ["cloud-quantum-big-data"]}
    base.update(overrides)
    return base


def _count(db: Database) -> int:
    return db.query("MATCH (o:Organization) RETURN count(o) AS n")[0]["n"]


def test_sync_creates_then_changes_nothing_when_run_again(orgs: Database):
    before = _count(orgs)
    data = [_org(), _org(id="zz-test-uni", name="Zephyr University", kind="UNIVERSITY",
                         top200=True, areas=[])]
    assert sync_reference_organizations(orgs, data) == 2
    first = get_organization(orgs, organization_id="zz-test-lab")
    assert sync_reference_organizations(orgs, data) == 2
    assert _count(orgs) == before + 2
    assert get_organization(orgs, organization_id="zz-test-lab") == first
    assert first.country == "VN" and first.name_vi == "Phòng thí nghiệm Lượng tử Zephyr"
    assert first.areas == ("cloud-quantum-big-data",) and first.top200 is False


def test_sync_updates_an_organization_in_place(orgs: Database):
    sync_reference_organizations(orgs, [_org()])
    sync_reference_organizations(orgs, [_org(name="Zephyr Photonics Lab", city=None)])
    org = get_organization(orgs, organization_id="zz-test-lab")
    assert (org.name, org.city) == ("Zephyr Photonics Lab", None)
    assert list_organizations(orgs, query="photonics").items == (org,)
    assert list_organizations(orgs, query="quantum lab").items == ()


def test_sync_accepts_the_reference_dataclasses(orgs: Database):
    from seed.reference import load_organizations

    reference = list(load_organizations())[:3]
    renamed = [dataclasses.replace(o, id=f"zz-test-{o.id}") for o in reference]
    assert sync_reference_organizations(orgs, renamed) == 3
    got = get_organization(orgs, organization_id=renamed[0].id)
    assert (got.name, got.name_vi, got.kind) == (reference[0].name, reference[0].name_vi,
                                                 reference[0].kind)
    assert got.areas == tuple(sorted(reference[0].areas))


@pytest.mark.parametrize(
    ("overrides", "path"),
    [
        ({"id": "Not A Slug"}, "0.id"),
        ({"id": None}, "0.id"),
        ({"name": ""}, "0.name"),
        ({"name": "n" * 301}, "0.name"),
        ({"kind": "CLUB"}, "0.kind"),
        ({"country": "Vietnam"}, "0.country"),
        ({"country": None}, "0.country"),
        ({"top200": "yes"}, "0.top200"),
        ({"areas": "ai"}, "0.areas"),
        ({"areas": ["Bad Area"]}, "0.areas.0"),
        ({"city": "c" * 101}, "0.city"),
    ],
)
def test_sync_refuses_invalid_rows_and_writes_nothing(orgs: Database, overrides, path):
    before = _count(orgs)
    with pytest.raises(ValidationError) as err:
        sync_reference_organizations(orgs, [_org(**overrides), _org(id="zz-test-ok")])
    assert [e.path for e in err.value.errors] == [path]
    assert _count(orgs) == before


def test_sync_refuses_repeated_ids_and_non_records(orgs: Database):
    with pytest.raises(ValidationError) as err:
        sync_reference_organizations(orgs, [_org(), _org(), "vast"])
    assert [e.path for e in err.value.errors] == ["1.id", "2"]


def test_query_ignores_diacritics_and_matches_either_name(orgs: Database):
    sync_reference_organizations(orgs, [_org()])
    for query in ("zephyr", "LƯỢNG TỬ", "luong tu zephyr", "Quantum"):
        assert [o.id for o in list_organizations(orgs, query=query).items] == ["zz-test-lab"]


def test_filters_by_country_and_kind(orgs: Database):
    page = list_organizations(orgs, country="vn", kind="UNIVERSITY", first=200)
    assert page.items and not page.has_next_page
    assert {(o.country, o.kind) for o in page.items} == {("VN", "UNIVERSITY")}


def test_pages_return_each_organization_once(orgs: Database):
    everything = list_organizations(orgs, country="VN", first=200).items
    seen, cursor, pages = [], None, 0
    while True:
        page = list_organizations(orgs, country="VN", first=7, after=cursor)
        seen.extend(o.id for o in page.items)
        pages += 1
        if not page.has_next_page:
            break
        cursor = page.end_cursor
    assert seen == [o.id for o in everything]
    assert len(seen) == len(set(seen)) and pages == -(-len(seen) // 7)


def test_organizations_from_profiles_are_listed_too(orgs: Database):
    orgs.execute("CREATE (:Organization {id: 'acme-us', name: 'Acme Chips', "
                 "nameFolded: 'acme chips', country: 'US', kind: 'COMPANY', source: 'PROFILE'})")
    [org] = list_organizations(orgs, query="acme").items
    assert (org.id, org.name_vi, org.top200, org.areas) == ("acme-us", None, False, ())


def test_get_and_batch_get(orgs: Database):
    sync_reference_organizations(orgs, [_org()])
    found = orgs.read(get_organizations, ["zz-test-lab", "missing"])
    assert list(found) == ["zz-test-lab"]
    with pytest.raises(NotFound):
        get_organization(orgs, organization_id="missing")


@pytest.mark.parametrize(
    ("kwargs", "path"),
    [({"first": 0}, "first"), ({"first": 201}, "first"), ({"kind": "CLUB"}, "kind"),
     ({"country": "XX"}, "country"), ({"after": "not-a-cursor"}, "after"),
     ({"query": "q" * 101}, "query")],
)
def test_invalid_listing_arguments(orgs: Database, kwargs, path):
    with pytest.raises(ValidationError) as err:
        list_organizations(orgs, **kwargs)
    assert err.value.errors[0].path == path
