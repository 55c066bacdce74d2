import pytest

from idplane.scim.listing import list_response, page, page_of, parse_sort, sort_resources

from .expect import scim_error

ENTERPRISE = "urn:ietf:params:scim:schemas:extension:enterprise:2.0:User"


def people(*names):
    return [
        {"id": str(i), "userName": n} if n is not None else {"id": str(i)}
        for i, n in enumerate(names)
    ]


def names(resources):
    return [r.get("userName") for r in resources]


def test_sorting_is_ascending_by_default_and_ignores_case_for_user_names(users):
    ordered = sort_resources(people("bob", "Alice", "carol"), parse_sort("userName", None, users))
    assert names(ordered) == ["Alice", "bob", "carol"]


def test_descending_reverses_the_order(users):
    ordered = sort_resources(
        people("bob", "Alice", "carol"), parse_sort("userName", "Descending", users)
    )
    assert names(ordered) == ["carol", "bob", "Alice"]


def test_resources_without_the_value_come_last_ascending_and_first_descending(users):
    data = people(None, "b", "a")
    assert names(sort_resources(data, parse_sort("userName", "ascending", users))) == [
        "a",
        "b",
        None,
    ]
    assert names(sort_resources(data, parse_sort("userName", "descending", users))) == [
        None,
        "b",
        "a",
    ]


def test_case_exact_attributes_sort_by_code_point(users):
    data = [{"id": "b"}, {"id": "B"}, {"id": "a"}]
    assert [r["id"] for r in sort_resources(data, parse_sort("id", None, users))] == ["B", "a", "b"]


def test_dates_sort_as_instants(users):
    data = [
        {"id": "1", "meta": {"created": "2020-01-01T10:00:00+05:00"}},
        {"id": "2", "meta": {"created": "2020-01-01T06:00:00Z"}},
    ]
    assert [r["id"] for r in sort_resources(data, parse_sort("meta.created", None, users))] == [
        "1",
        "2",
    ]


def test_a_multi_valued_attribute_sorts_by_its_primary_value(users):
    data = [
        {"id": "1", "emails": [{"value": "a@x"}, {"value": "z@x", "primary": True}]},
        {"id": "2", "emails": [{"value": "m@x"}]},
    ]
    ordered = sort_resources(data, parse_sort("emails", None, users))
    assert [r["id"] for r in ordered] == ["2", "1"]


def test_sorting_by_an_extension_attribute(users):
    data = [
        {"id": "1", ENTERPRISE: {"employeeNumber": "9"}},
        {"id": "2", ENTERPRISE: {"employeeNumber": "1"}},
    ]
    ordered = sort_resources(data, parse_sort(f"{ENTERPRISE}:employeeNumber", None, users))
    assert [r["id"] for r in ordered] == ["2", "1"]


def test_sorting_is_stable_for_equal_values(users):
    data = people("a", "A", "a")
    assert [r["id"] for r in sort_resources(data, parse_sort("userName", "descending", users))] == [
        "0",
        "1",
        "2",
    ]


def test_no_sort_by_means_no_sorting(users):
    assert parse_sort(None, "descending", users) is None
    assert sort_resources(people("b", "a"), None) == people("b", "a")


def test_an_unknown_sort_attribute_is_invalid_value(users):
    with scim_error("invalidValue"):
        parse_sort("nosuch", None, users)


def test_an_unknown_sort_order_is_invalid_value(users):
    with scim_error("invalidValue"):
        parse_sort("userName", "sideways", users)


def test_a_complex_attribute_without_value_cannot_be_sorted_by(users):
    with scim_error("invalidValue"):
        parse_sort("name", None, users)


@pytest.mark.parametrize(
    ("start", "count", "expected"),
    [
        (None, None, (1, 50)),
        ("1", "10", (1, 10)),
        (0, 10, (1, 10)),
        (-5, 10, (1, 10)),
        ("3", "-1", (3, 0)),
        (1, 1000, (1, 50)),
        (" 2 ", "", (2, 50)),
        (4, 0, (4, 0)),
    ],
)
def test_start_index_and_count_are_normalised(start, count, expected):
    window = page(start, count, 50)
    assert (window.start_index, window.count) == expected


@pytest.mark.parametrize(
    ("start", "count"), [("a", None), (None, "1.5"), (True, None), (None, [1])]
)
def test_non_integer_paging_parameters_are_invalid_value(start, count):
    with scim_error("invalidValue"):
        page(start, count, 50)


def test_a_page_is_sliced_from_the_one_based_start_index():
    window = page(2, 2, 50)
    assert page_of(people("a", "b", "c", "d"), window) == people("a", "b", "c", "d")[1:3]
    assert page_of(people("a"), page(5, 2, 50)) == []


def test_the_list_response_counts_its_page():
    body = list_response(people("a", "b"), total_results=7, start_index=3)
    assert body == {
        "schemas": ["urn:ietf:params:scim:api:messages:2.0:ListResponse"],
        "totalResults": 7,
        "itemsPerPage": 2,
        "startIndex": 3,
        "Resources": people("a", "b"),
    }


def test_the_page_size_limit_comes_from_the_service_provider_config(catalog):
    assert catalog.max_results == 50
    assert page(None, None, catalog.max_results).count == 50
