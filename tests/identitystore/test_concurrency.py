"""Several requests at once: the database's constraints decide, never a process lock."""

from __future__ import annotations

from concurrent.futures import ThreadPoolExecutor

from huaweicloudsdkcore.exceptions.exceptions import ClientRequestException

from tests.identitystore.builders import add_member, create_group, create_user, unique


def _race(calls) -> list[object]:
    def run(call):
        try:
            return call()
        except ClientRequestException as error:
            return (error.status_code, error.error_code)

    with ThreadPoolExecutor(len(calls)) as pool:
        return list(pool.map(run, calls))


def test_concurrent_creations_of_one_user_name_make_one_user(directory):
    name = unique("race")
    outcomes = _race([lambda: create_user(directory, user_name=name) for _ in range(6)])
    assert sum(isinstance(o, str) for o in outcomes) == 1
    assert [o for o in outcomes if not isinstance(o, str)] == [(409, "IIC.1257")] * 5


def test_concurrent_creations_of_one_group_name_make_one_group(directory):
    name = unique("race")
    outcomes = _race([lambda: create_group(directory, display_name=name) for _ in range(6)])
    assert sum(isinstance(o, str) for o in outcomes) == 1


def test_concurrent_additions_of_one_member_make_one_membership(directory):
    group_id, user_id = create_group(directory), create_user(directory)
    outcomes = _race([lambda: add_member(directory, group_id, user_id) for _ in range(6)])
    assert sum(isinstance(o, str) for o in outcomes) == 1
    assert set(o for o in outcomes if not isinstance(o, str)) == {(409, "IIC.1257")}
