import pytest

from idplane.scim.filters import parse_filter
from idplane.scim.matching import matches
from tests.scim.unit.filtering import filter_resources

ENTERPRISE = "urn:ietf:params:scim:schemas:extension:enterprise:2.0:User"


def check(schema, text, resource):
    return matches(parse_filter(text, schema), resource)


def test_user_name_equality_ignores_case(users, user):
    assert check(users, 'userName eq "bjensen@EXAMPLE.com"', user)


def test_display_name_equality_ignores_case(users, user):
    assert check(users, 'displayName eq "BABS JENSEN"', user)


def test_id_equality_is_case_exact(users, user):
    assert check(users, 'id eq "2819c223-7f76-453a-919d-413861904646"', user)
    assert not check(users, 'id eq "2819C223-7F76-453A-919D-413861904646"', user)


def test_external_id_equality_is_case_exact(users, user):
    assert check(users, 'externalId eq "Ext-1"', user)
    assert not check(users, 'externalId eq "ext-1"', user)


def test_manager_value_is_case_exact_as_its_schema_says(users, user):
    assert not check(
        users, f'{ENTERPRISE}:manager.value eq "26118915-6090-4610-87E4-49D8CA9F808D"', user
    )


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ('title co "OUR"', True),
        ('title sw "tour"', True),
        ('title ew "GUIDE"', True),
        ('title ew "tour"', False),
        ('title co ""', True),
        ('title ne "tour guide"', False),
        ('title ne "other"', True),
    ],
)
def test_substring_operators_follow_the_case_rule(users, user, text, expected):
    assert check(users, text, user) is expected


def test_a_multi_valued_attribute_matches_when_any_value_does(users, user):
    assert check(users, 'emails.value eq "babs@jensen.org"', user)
    assert check(users, 'emails.type eq "home"', user)
    assert not check(users, 'emails.value eq "nobody@example.com"', user)


def test_a_complex_multi_valued_attribute_compares_its_value(users, user):
    assert check(users, 'emails co "jensen.org"', user)


def test_a_value_path_requires_one_element_to_match_every_condition(users, user):
    assert check(users, 'emails[type eq "work" and value co "@example.com"]', user)
    assert not check(users, 'emails[type eq "home" and value co "@example.com"]', user)


def test_a_value_path_tolerates_the_attribute_name_repeated_inside(users, user):
    assert check(users, 'emails[emails.type eq "work"]', user)


def test_group_members_are_found_by_value(groups, group):
    assert check(groups, 'members[value eq "902c246b-6245-4190-8e05-00816be7344a"]', group)
    assert check(groups, 'members eq "902c246b-6245-4190-8e05-00816be7344a"', group)
    assert not check(groups, 'members.value eq "902C246B-6245-4190-8E05-00816BE7344A"', group)


def test_extension_attributes_are_read_from_their_urn_object(users, user):
    assert check(users, f'{ENTERPRISE}:employeeNumber eq "701984"', user)
    assert check(users, f'{ENTERPRISE}:department sw "tour"', user)


def test_booleans_compare_as_booleans(users, user):
    assert check(users, "active eq true", user)
    assert not check(users, "active eq false", user)
    assert check(users, 'active eq "TRUE"', user)


def test_dates_compare_as_instants_not_text(users, user):
    assert check(users, 'meta.lastModified gt "2011-05-13T05:42:34+02:00"', user)
    assert not check(users, 'meta.lastModified gt "2011-05-13T04:42:34.000Z"', user)
    assert check(users, 'meta.lastModified ge "2011-05-13T04:42:34.000Z"', user)
    assert check(users, 'meta.created lt "2011-01-01T00:00:00Z"', user)
    assert check(users, 'meta.created eq "2010-01-23T05:56:22+01:00"', user)


def test_a_date_may_still_be_matched_as_text(users, user):
    assert check(users, 'meta.created sw "2010-01"', user)


def test_presence_means_a_non_empty_value(users, user):
    assert check(users, "title pr", user)
    assert not check(users, "nickName pr", user)
    assert not check(users, "nickName pr", {**user, "nickName": ""})
    assert not check(users, "addresses pr", {**user, "addresses": []})
    assert check(users, "name pr", user)


def test_an_absent_attribute_is_not_equal_to_anything(users, user):
    assert check(users, 'nickName ne "x"', user)
    assert not check(users, 'nickName eq "x"', user)
    assert not check(users, 'nickName gt "a"', user)


def test_null_equality_tests_for_an_unassigned_attribute(users, user):
    assert check(users, "nickName eq null", user)
    assert not check(users, "title eq null", user)
    assert check(users, "title ne null", user)


def test_not_inverts_its_filter(users, user):
    assert check(users, 'not (title eq "tour guide")', user) is False
    assert check(users, 'not (nickName eq "x")', user) is True


def test_and_or_combine_as_expected(users, user):
    assert check(users, "title pr and (nickName pr or userType eq null)", user)
    assert not check(users, "title pr and nickName pr", user)


def test_keys_of_the_resource_are_matched_in_any_case(users):
    assert check(users, 'userName eq "a"', {"USERNAME": "A"})


def test_filter_resources_keeps_the_matching_ones_in_order(users, user):
    other = {**user, "id": "2", "userName": "other"}
    expr = parse_filter('userName ne "nobody"', users)
    assert filter_resources(expr, [user, other]) == [user, other]
    assert filter_resources(None, [other]) == [other]


def test_a_value_path_may_compare_a_sub_attribute_after_the_brackets(users, user):
    assert check(users, 'emails[type eq "work"].value co "@EXAMPLE"', user)
    assert not check(users, 'emails[type eq "home"].value co "@example"', user)
    assert check(users, 'emails[type eq "home"].value pr', user)
    assert not check(users, 'emails[type eq "other"].value pr', user)
