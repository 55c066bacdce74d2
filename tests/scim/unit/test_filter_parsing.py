import pytest

from idplane.scim.filters import (
    MAX_DEPTH,
    MAX_LENGTH,
    And,
    Compare,
    Not,
    Or,
    Present,
    Within,
    parse_filter,
)

from .expect import scim_error

ENTERPRISE = "urn:ietf:params:scim:schemas:extension:enterprise:2.0:User"


def test_an_equality_names_the_attribute_in_its_schema_spelling(users):
    node = parse_filter('USERNAME EQ "bjensen"', users)
    assert isinstance(node, Compare)
    assert (node.ref.key, node.op, node.value) == ("userName", "eq", "bjensen")


@pytest.mark.parametrize("op", ["eq", "ne", "co", "sw", "ew", "gt", "ge", "lt", "le"])
def test_every_comparison_operator_is_understood(users, op):
    assert parse_filter(f'title {op} "x"', users).op == op


def test_operators_are_case_insensitive(users):
    node = parse_filter('title Eq "a" AND not (nickName Pr) Or userType SW "E"', users)
    assert isinstance(node, Or) and isinstance(node.left, And)


def test_and_binds_tighter_than_or(users):
    node = parse_filter('title eq "a" or title eq "b" and title eq "c"', users)
    assert isinstance(node, Or)
    assert isinstance(node.right, And)


def test_parentheses_override_precedence(users):
    node = parse_filter('(title eq "a" or title eq "b") and title eq "c"', users)
    assert isinstance(node, And) and isinstance(node.left, Or)


def test_not_takes_a_parenthesised_filter(users):
    node = parse_filter('not (title eq "a" or title pr)', users)
    assert isinstance(node, Not) and isinstance(node.expr, Or)


def test_presence_has_no_value(users):
    assert isinstance(parse_filter("title pr", users), Present)


def test_sub_attributes_are_reached_with_a_dot(users):
    assert parse_filter('name.familyName eq "J"', users).ref.key == "name.familyName"


def test_an_extension_attribute_is_qualified_by_its_urn(users):
    node = parse_filter(f'{ENTERPRISE}:employeeNumber eq "701984"', users)
    assert node.ref.extension == ENTERPRISE
    assert node.ref.key == f"{ENTERPRISE}:employeeNumber"


def test_an_extension_sub_attribute_is_qualified_by_its_urn(users):
    node = parse_filter(f'{ENTERPRISE.upper()}:MANAGER.VALUE eq "x"', users)
    assert node.ref.key == f"{ENTERPRISE}:manager.value"


def test_a_core_attribute_may_be_qualified_by_the_core_urn(users):
    node = parse_filter('urn:ietf:params:scim:schemas:core:2.0:User:userName eq "x"', users)
    assert node.ref.key == "userName" and node.ref.extension is None


def test_a_value_path_filters_the_elements_of_a_multi_valued_attribute(users):
    node = parse_filter('emails[type eq "work" and value co "@example.com"]', users)
    assert isinstance(node, Within) and node.ref.key == "emails"
    assert isinstance(node.expr, And)
    assert node.expr.left.ref.key == "type"


def test_a_value_path_combines_with_other_expressions(users):
    node = parse_filter('userType eq "Employee" and emails[type eq "work"]', users)
    assert isinstance(node.right, Within)


def test_a_complex_attribute_compares_through_its_value_sub_attribute(groups):
    node = parse_filter('members eq "2819c223"', groups)
    assert node.ref.key == "members.value"


def test_strings_take_json_escapes(users):
    assert (
        parse_filter(r'title eq "a \"quoted\" \u00e9\\ title"', users).value
        == 'a "quoted" é\\ title'
    )


def test_numbers_true_false_and_null_are_literals(users):
    assert parse_filter("active eq TRUE", users).value is True
    assert parse_filter("active ne false", users).value is False
    assert parse_filter("title eq null", users).value is None


def test_a_boolean_may_be_compared_with_a_true_or_false_string(users):
    assert parse_filter('active eq "True"', users).value is True


def test_dates_are_parsed_for_ordering(users):
    node = parse_filter('meta.lastModified gt "2011-05-13T04:42:34Z"', users)
    assert node.value.year == 2011 and node.value.tzinfo is not None


def test_whitespace_around_tokens_is_ignored(users):
    node = parse_filter('  ( title   eq "a" )  ', users)
    assert node.value == "a"


@pytest.mark.parametrize(
    "text",
    [
        "",
        "   ",
        "title eq",
        'title "x"',
        'title eq "x" and',
        'title eq "x" or or title pr',
        '(title eq "x"',
        'title eq "x")',
        'title eq "unterminated',
        'title eq "bad \\x escape"',
        'title xx "a"',
        "title eq bareword",
        'title eq "a" title eq "b"',
        'emails[type eq "work"',
        'emails[type eq "work"]]',
        'emails[emails[type eq "work"]]',
        'title pr "x"',
        'title eq "x" ; drop table users',
        "not title",
    ],
)
def test_malformed_filters_are_invalid_filter(users, text):
    with scim_error("invalidFilter"):
        parse_filter(text, users)


@pytest.mark.parametrize(
    "text",
    [
        'nosuch eq "x"',
        'name.nosuch eq "x"',
        'title.sub eq "x"',
        'name.familyName.deeper eq "x"',
        'emails[nosuch eq "x"]',
        'urn:example:unknown:attr eq "x"',
        f'{ENTERPRISE}:nosuch eq "x"',
        'employeeNumber eq "x"',
    ],
)
def test_unknown_attributes_are_invalid_filter(users, text):
    with scim_error("invalidFilter"):
        parse_filter(text, users)


@pytest.mark.parametrize(
    "text",
    [
        "active eq 1",
        "active gt true",
        "title eq 5",
        "title gt true",
        'meta.created gt "yesterday"',
        'name eq "x"',
        "title co null",
        'title[value eq "x"]',
    ],
)
def test_comparisons_that_do_not_fit_the_attribute_type_are_invalid_filter(users, text):
    with scim_error("invalidFilter"):
        parse_filter(text, users)


def test_a_filter_longer_than_the_bound_is_refused(users):
    text = " or ".join(['title eq "x"'] * (MAX_LENGTH // 10))
    with scim_error("invalidFilter"):
        parse_filter(text, users)


def test_nesting_deeper_than_the_bound_is_refused(users):
    depth = MAX_DEPTH + 1
    with scim_error("invalidFilter"):
        parse_filter("(" * depth + "title pr" + ")" * depth, users)


def test_nesting_within_the_bound_is_accepted(users):
    depth = MAX_DEPTH
    assert isinstance(parse_filter("(" * depth + "title pr" + ")" * depth, users), Present)


def test_a_non_string_filter_is_refused(users):
    with scim_error("invalidFilter"):
        parse_filter(None, users)


def test_group_filters_use_the_group_schema(groups):
    assert parse_filter('displayName eq "Admins"', groups).ref.key == "displayName"
    with scim_error("invalidFilter"):
        parse_filter('userName eq "x"', groups)


def test_a_maximal_chain_of_or_stays_shallow_enough_to_evaluate(users, user):
    from idplane.scim.matching import matches

    text = " or ".join(["id pr"] * (MAX_LENGTH // 10))
    assert matches(parse_filter(text, users), user)


def test_a_long_chain_of_and_is_evaluated_completely(users, user):
    from idplane.scim.matching import matches

    text = " and ".join(['title eq "tour guide"'] * 100) + ' and title eq "other"'
    assert not matches(parse_filter(text, users), user)


def test_a_patch_path_may_name_a_whole_extension_in_any_case(users):
    from idplane.scim.filters import parse_path

    path = parse_path(ENTERPRISE.lower(), users)
    assert path.ref is None and path.extension == ENTERPRISE


def test_a_patch_path_may_filter_then_name_a_sub_attribute(users):
    from idplane.scim.filters import parse_path

    path = parse_path('EMAILS[TYPE EQ "work"].VALUE', users)
    assert path.ref.key == "emails" and path.sub.name == "value"
    assert isinstance(path.filter, Compare) and path.filter.value == "work"


def test_a_patch_path_error_is_invalid_path_not_invalid_filter(users):
    from idplane.scim.filters import parse_path

    with scim_error("invalidPath"):
        parse_path('members[value eq "x"]', users)
