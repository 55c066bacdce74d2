"""List queries over HTTP: filters (pushed to SQL or evaluated in memory, with the same
answers), case rules, paging, sorting, `attributes`/`excludedAttributes`, `.search`.
The module's identity store holds exactly the three users and two groups made here."""

from __future__ import annotations

from types import SimpleNamespace

import pytest

from tests.scim.endpoint.support import ENTERPRISE, create_group, create_user, scim_error

P = "q-0a1b2c3d4e5f"  # fixed: xdist workers must collect identical test ids


@pytest.fixture(scope="module")
def people(scim):
    with scim.http() as http:
        alice = create_user(
            http,
            user_name=f"{P}-alice",
            externalId="ext-a",
            title="Tour Guide",
            name={"familyName": "Anders", "givenName": "Alice"},
            emails=[
                {"value": "alice@work.example", "type": "work", "primary": True},
                {"value": "alice@home.example", "type": "home"},
            ],
            **{ENTERPRISE: {"department": "Sales"}},
        )
        bob = create_user(
            http,
            user_name=f"{P}-bob",
            title="Engineer",
            active=False,
            name={"familyName": "Brown", "givenName": "Bob"},
            emails=[{"value": "bob@work.example", "type": "work", "primary": True}],
        )
        carol = create_user(
            http,
            user_name=f"{P}-carol",
            name={"familyName": "Clark", "givenName": "Carol"},
            emails=[{"value": "carol@home.example", "type": "home"}],
        )
        admins = create_group(http, display_name=f"{P}-Admins", members=[alice["id"]])
        staff = create_group(http, display_name=f"{P}-Staff", members=[alice["id"], bob["id"]])
    return SimpleNamespace(alice=alice, bob=bob, carol=carol, admins=admins, staff=staff)


def _names(http, **params) -> list[str]:
    response = http.get("/Users", params=params)
    assert response.status_code == 200, response.text
    return [r["userName"].removeprefix(f"{P}-") for r in response.json()["Resources"]]


@pytest.mark.parametrize(
    ("expression", "expected"),
    [
        (f'userName eq "{P.upper()}-ALICE"', {"alice"}),
        (f'userName ne "{P}-alice"', {"bob", "carol"}),
        ('userName co "-BO"', {"bob"}),
        (f'userName sw "{P}-c"', {"carol"}),
        ('userName ew "alice"', {"alice"}),
        ("title pr", {"alice", "bob"}),
        ("not (title pr)", {"carol"}),
        ('title eq "tour guide"', {"alice"}),
        ("active eq false", {"bob"}),
        ('externalId eq "ext-a"', {"alice"}),
        ('externalId eq "EXT-A"', set()),
        ('name.familyName sw "b"', {"bob"}),
        ('emails[type eq "work"].value co "@work"', {"alice", "bob"}),
        ('emails[type eq "home"]', {"alice", "carol"}),
        ('emails.value ew "HOME.example"', {"alice", "carol"}),
        (f'{ENTERPRISE}:department eq "Sales"', {"alice"}),
        ('(title eq "Engineer" or active eq false) and userName sw "q"', {"bob"}),
        ('userName eq "nobody" or emails[type eq "home"]', {"alice", "carol"}),
        ('meta.created co "T"', {"alice", "bob", "carol"}),
        ("title eq null", {"carol"}),
    ],
)
def test_a_filter_selects_exactly_the_matching_users(http, people, expression, expected):
    assert set(_names(http, filter=expression)) == expected


def test_dates_compare_as_instants(http, people):
    created = people.alice["meta"]["created"]
    assert set(_names(http, filter=f'meta.created gt "{created}"')) == {"bob", "carol"}
    assert set(_names(http, filter=f'meta.created le "{created}"')) == {"alice"}
    assert set(_names(http, filter=f'meta.lastModified ge "{created}"')) == {
        "alice",
        "bob",
        "carol",
    }
    assert _names(http, filter='meta.lastModified lt "2000-01-01T00:00:00Z"') == []


@pytest.mark.parametrize(
    "expression",
    ['bogus eq "x"', "userName eq", 'userName xx "a"', '(userName eq "a"', 'active eq "maybe"'],
)
def test_an_unknown_attribute_or_bad_syntax_is_invalid_filter(http, people, expression):
    scim_error(http.get("/Users", params={"filter": expression}), 400, "invalidFilter")


def test_paging_is_one_based_with_totals(http, people):
    body = http.get("/Users", params={"sortBy": "userName", "startIndex": 2, "count": 1}).json()
    assert (body["totalResults"], body["itemsPerPage"], body["startIndex"]) == (3, 1, 2)
    assert body["Resources"][0]["id"] == people.bob["id"]
    counted = http.get("/Users", params={"count": 0}).json()
    assert counted["totalResults"] == 3 and counted["Resources"] == []
    assert http.get("/Users", params={"startIndex": 9}).json()["Resources"] == []
    assert len(http.get("/Users", params={"count": 5000}).json()["Resources"]) == 3


@pytest.mark.parametrize(
    ("params", "expected"),
    [
        ({"sortBy": "userName"}, ["alice", "bob", "carol"]),
        ({"sortBy": "USERNAME", "sortOrder": "descending"}, ["carol", "bob", "alice"]),
        ({"sortBy": "title", "sortOrder": "descending"}, ["carol", "alice", "bob"]),
        ({"sortBy": "emails"}, ["alice", "bob", "carol"]),
        ({"sortBy": "name.familyName", "filter": "title pr"}, ["alice", "bob"]),
        ({"sortBy": "emails.value", "filter": 'emails[type eq "home"]'}, ["alice", "carol"]),
    ],
)
def test_sorting_in_the_database_or_in_memory(http, people, params, expected):
    assert _names(http, **params) == expected


@pytest.mark.parametrize(
    "params", [{"sortBy": "bogus"}, {"sortBy": "userName", "sortOrder": "up"}, {"count": "x"}]
)
def test_bad_sorting_or_paging_is_invalid_value(http, people, params):
    scim_error(http.get("/Users", params=params), 400, "invalidValue")


def test_attributes_and_excluded_attributes_shape_lists_and_reads(http, people):
    only = http.get("/Users", params={"attributes": "userName", "filter": "title pr"}).json()
    assert {tuple(sorted(r)) for r in only["Resources"]} == {("id", "schemas", "userName")}
    fewer = http.get("/Users", params={"excludedAttributes": "emails,meta"}).json()
    assert all(
        "emails" not in r and "meta" not in r and "userName" in r for r in fewer["Resources"]
    )
    one = http.get(f"/Users/{people.alice['id']}", params={"attributes": "name.givenName"}).json()
    assert one == {
        "schemas": one["schemas"],
        "id": people.alice["id"],
        "name": {"givenName": "Alice"},
    }
    both = {"attributes": "userName", "excludedAttributes": "emails"}
    scim_error(http.get("/Users", params=both), 400, "invalidValue")


def test_group_filters_by_display_name_and_member(http, people):
    def ids(**params):
        return [g["id"] for g in http.get("/Groups", params=params).json()["Resources"]]

    assert ids(filter=f'displayName eq "{P.upper()}-ADMINS"') == [people.admins["id"]]
    member = f'members[value eq "{people.bob["id"]}"]'
    assert ids(filter=member) == [people.staff["id"]]
    assert set(ids(filter=f'members eq "{people.alice["id"]}"')) == {
        people.admins["id"],
        people.staff["id"],
    }
    assert ids(filter=f'displayName sw "{P}" and not (members pr)') == []


def test_excluded_members_are_left_out_of_group_lists(http, people):
    listed = http.get("/Groups", params={"excludedAttributes": "members"}).json()["Resources"]
    assert listed and all("members" not in g for g in listed)
    full = http.get("/Groups", params={"filter": f'displayName eq "{P}-staff"'}).json()
    assert [m["value"] for m in full["Resources"][0]["members"]] == [
        people.alice["id"],
        people.bob["id"],
    ]


def test_search_by_post_is_the_same_query(http, people):
    body = {
        "schemas": ["urn:ietf:params:scim:api:messages:2.0:SearchRequest"],
        "filter": "title pr",
        "sortBy": "userName",
        "attributes": ["userName"],
        "count": 1,
    }
    found = http.post("/Users/.search", json=body).json()
    assert found["totalResults"] == 2 and found["Resources"][0]["userName"] == f"{P}-alice"
    groups = http.post("/Groups/.search", json={**body, "filter": "members pr", "sortBy": None})
    assert groups.json()["totalResults"] == 2
    scim_error(http.post("/Users/.search", json={"filter": "title pr"}), 400, "invalidSyntax")
