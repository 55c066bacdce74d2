"""The SQL push-down selects exactly what in-memory matching selects, on SQLite and PostgreSQL."""

from datetime import UTC, datetime

import pytest
from sqlalchemy import (
    BigInteger,
    Boolean,
    Column,
    DateTime,
    Integer,
    MetaData,
    String,
    Table,
    create_engine,
    select,
)

from idplane.scim import filters_sql
from idplane.scim.filters import parse_filter
from idplane.scim.listing import parse_sort, sort_resources
from idplane.scim.matching import matches
from tests.conftest import STORES, _create_pg_database, _drop_pg_database

ENTERPRISE = "urn:ietf:params:scim:schemas:extension:enterprise:2.0:User"
metadata = MetaData()
people = Table(
    "scim_people",
    metadata,
    Column("seq", Integer, primary_key=True),
    Column("id", String(64)),
    Column("user_name", String(128)),
    Column("external_id", String(64), nullable=True),
    Column("title", String(64), nullable=True),
    Column("given_name", String(64), nullable=True),
    Column("active", Boolean, nullable=True),
    Column("created", DateTime(), nullable=True),
    Column("last_modified", DateTime(timezone=True), nullable=True),
    Column("modified_ms", BigInteger, nullable=True),
    Column("employee_number", String(32), nullable=True),
)
ROWS = [
    ("a1", "Alice", "EXT-A", "engineer", "Alice", True, datetime(2020, 1, 1, 12), "E1"),
    ("b2", "bob", "ext-b", "Engineering Lead", None, False, datetime(2021, 6, 1, 8), "E2"),
    ("c3", "carol", None, "", "Carol", True, datetime(2022, 3, 3, 3), None),
    ("d4", "dave", "EXT-D", None, "dave", None, None, "e1"),
    ("e5", "ALICE.B", "Ext-A", "manager", "Alicia", True, datetime(2019, 12, 31, 23), "E10"),
]


def column_for(key):
    return {
        "id": people.c.id,
        "userName": people.c.user_name,
        "externalId": people.c.external_id,
        "title": people.c.title,
        "name.givenName": people.c.given_name,
        "active": people.c.active,
        "meta.created": people.c.created,
        "meta.lastModified": people.c.last_modified,
        f"{ENTERPRISE}:employeeNumber": people.c.employee_number,
    }.get(key)


def as_resource(row):
    rid, name, ext, title, given, active, created, number = row
    resource = {"id": rid, "userName": name, "externalId": ext, "title": title, "active": active}
    resource["name"] = {"givenName": given}
    resource[ENTERPRISE] = {"employeeNumber": number}
    if created:
        stamp = created.replace(tzinfo=UTC).isoformat().replace("+00:00", "Z")
        resource["meta"] = {"created": stamp, "lastModified": stamp}
    return resource


@pytest.fixture(scope="module", params=STORES)
def engine(request):
    if request.param == "sqlite":
        engine, dropped = create_engine("sqlite://"), None
    else:
        url, dropped = _create_pg_database()
        engine = create_engine(url)
    metadata.create_all(engine)
    with engine.begin() as conn:
        for row in ROWS:
            rid, name, ext, title, given, active, created, number = row
            conn.execute(
                people.insert().values(
                    id=rid,
                    user_name=name,
                    external_id=ext,
                    title=title,
                    given_name=given,
                    active=active,
                    created=created,
                    last_modified=created.replace(tzinfo=UTC) if created else None,
                    modified_ms=int(created.replace(tzinfo=UTC).timestamp() * 1000)
                    if created
                    else None,
                    employee_number=number,
                )
            )
    yield engine
    engine.dispose()
    if dropped:
        _drop_pg_database(dropped)


def selected(engine, predicate):
    with engine.connect() as conn:
        return {r.id for r in conn.execute(select(people.c.id).where(predicate))}


FILTERS = [
    'userName eq "alice"',
    'userName eq "ALICE"',
    'userName ne "alice"',
    'userName sw "al"',
    'userName ew "B"',
    'userName co "LIC"',
    'userName gt "bob"',
    'userName le "carol"',
    'externalId eq "EXT-A"',
    'externalId eq "ext-a"',
    'externalId co "xt-"',
    'externalId co "XT"',
    'externalId sw "E"',
    'externalId ew "D"',
    'externalId ne "EXT-A"',
    "externalId eq null",
    "externalId ne null",
    "title pr",
    'title eq ""',
    'title co ""',
    'title co "ENGINEER"',
    'not (title co "engineer")',
    "not (title pr)",
    'name.givenName eq "alice"',
    "active eq true",
    "active eq false",
    "active ne true",
    "not (active eq true)",
    'meta.created gt "2020-06-01T00:00:00Z"',
    'meta.created ge "2020-01-01T13:00:00+01:00"',
    'meta.created lt "2020-01-01T12:00:00Z"',
    'meta.created eq "2020-01-01T12:00:00Z"',
    'meta.lastModified le "2021-06-01T08:00:00Z"',
    f'{ENTERPRISE}:employeeNumber eq "e1"',
    f'{ENTERPRISE}:employeeNumber sw "E1"',
    'userName sw "a" and active eq true',
    'userName sw "a" or title pr',
    'not (userName sw "a" or title eq "manager") and active pr',
    'id eq "A1"',
    'id eq "a1"',
]


@pytest.mark.parametrize("text", FILTERS)
def test_sql_selects_what_in_memory_matching_selects(engine, users, text):
    expr = parse_filter(text, users)
    predicate = filters_sql.to_predicate(expr, column_for)
    assert predicate is not None
    expected = {row[0] for row in ROWS if matches(expr, as_resource(row))}
    assert selected(engine, predicate) == expected


def test_a_converter_maps_literals_to_the_stored_form(engine, users):
    def epoch_ms(key):
        if key == "meta.lastModified":
            return filters_sql.Column(
                people.c.modified_ms, convert=lambda value: int(value.timestamp() * 1000)
            )
        return None

    expr = parse_filter('meta.lastModified gt "2021-01-01T00:00:00Z"', users)
    assert selected(engine, filters_sql.to_predicate(expr, epoch_ms)) == {"b2", "c3"}


def test_an_unmapped_attribute_leaves_the_filter_to_memory(users):
    expr = parse_filter('userName eq "alice" and nickName eq "x"', users)
    assert filters_sql.to_predicate(expr, column_for) is None


def test_a_value_path_is_left_to_memory(users):
    expr = parse_filter('emails[type eq "work"]', users)
    assert filters_sql.to_predicate(expr, lambda key: people.c.title) is None


@pytest.mark.parametrize("order", ["ascending", "descending"])
@pytest.mark.parametrize("attribute", ["userName", "title", "meta.created"])
def test_sql_order_matches_in_memory_sorting(engine, users, attribute, order):
    sort = parse_sort(attribute, order, users)
    clauses = filters_sql.to_order_by(sort, column_for)
    with engine.connect() as conn:
        ids = [r.id for r in conn.execute(select(people.c.id).order_by(*clauses, people.c.seq))]
    expected = [r["id"] for r in sort_resources([as_resource(row) for row in ROWS], sort)]
    assert ids == expected


def test_sorting_by_an_unmapped_attribute_is_left_to_memory(users):
    assert filters_sql.to_order_by(parse_sort("nickName", None, users), column_for) is None


def test_a_maximal_chain_of_or_compiles_and_runs(engine, users):
    text = " or ".join(['id eq "a1"'] * 250)
    assert selected(engine, filters_sql.to_predicate(parse_filter(text, users), column_for)) == {
        "a1"
    }
