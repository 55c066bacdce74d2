"""The seed "Deleting the Association Between an Application Instance and a User or User
Group": DELETE /v1/instances/{instance_id}/application-instances/{application_instance_id}/
profiles/{profile_id} through the official SDK's `delete_profile`, with every documented status
(200 no body, 400, 403 with encoded_authorization_message, 404), each checked on the SDK
exception and on the raw body."""

from __future__ import annotations

import secrets

import pytest
from huaweicloudsdkidentitycenterstore.v1 import model as st

from tests.identitycenter.applications.support import (
    Recorder,
    assert_envelope,
    assign,
    assignments,
    assignments_for,
    center,
    create_group,
    create_instance,
    create_user,
    delete_profile,
    error_of,
    get_instance,
    new_org,
    profiles,
)
from tests.org_personas import create_member, temporary_persona


@pytest.fixture(scope="module")
def other(server):
    """A second, unrelated organization with Identity Center."""
    return new_org(server)


def _unknown_profile_id() -> str:
    return f"p-{secrets.token_hex(8)}"


def test_deleting_the_profile_ends_the_association_with_every_user_and_group(org):
    app = create_instance(org).application_instance_id
    user, group = create_user(org), create_group(org)
    assign(org, app, user)
    assign(org, app, group, "GROUP")
    [profile] = profiles(org, app)
    assert (profile.name, profile.status) == ("Default", "ENABLED")
    recorder = Recorder()

    response = delete_profile(
        org, app, profile.profile_id, client=center(org.server, org.management, recorder)
    )

    assert response.status_code == 200
    assert (recorder.last.status_code, recorder.last.content) == (200, b"")
    assert profiles(org, app) == []
    assert assignments(org, app) == []
    assert assignments_for(org, user) == []
    assert assignments_for(org, group, "GROUP") == []
    # The users, the groups and the application instance remain.
    store = org.store_client()
    store.describe_user(
        st.DescribeUserRequest(identity_store_id=org.identity_store_id, user_id=user)
    )
    store.describe_group(
        st.DescribeGroupRequest(identity_store_id=org.identity_store_id, group_id=group)
    )
    assert get_instance(org, app).application_instance_id == app


def test_an_assignment_after_the_default_profile_was_deleted_makes_a_new_default_profile(org):
    app = create_instance(org).application_instance_id
    [first] = profiles(org, app)
    delete_profile(org, app, first.profile_id)
    user = create_user(org)

    assign(org, app, user)

    [second] = profiles(org, app)
    assert (second.name, second.status) == ("Default", "ENABLED")
    assert second.profile_id != first.profile_id
    assert assignments(org, app) == [("USER", user)]


def test_deleting_a_profile_leaves_other_applications_alone(org):
    first, second = (
        create_instance(org).application_instance_id,
        create_instance(org).application_instance_id,
    )
    user = create_user(org)
    assign(org, first, user)
    assign(org, second, user)

    delete_profile(org, first, profiles(org, first)[0].profile_id)

    assert assignments(org, first) == []
    assert assignments(org, second) == [("USER", user)]
    assert len(profiles(org, second)) == 1


def test_a_delegated_administrator_deletes_a_profile(org):
    app = create_instance(org).application_instance_id
    assign(org, app, create_user(org))
    delegate = org.client(org.delegate)
    assert (
        delete_profile(org, app, profiles(org, app)[0].profile_id, client=delegate).status_code
        == 200
    )
    assert assignments(org, app, client=delegate) == []


def test_deleting_a_profile_with_temporary_credentials_works(server, org):
    app = create_instance(org).application_instance_id
    persona = temporary_persona(server, org.management)
    client = org.client(**persona.temporary)
    assert (
        delete_profile(org, app, profiles(org, app)[0].profile_id, client=client).status_code == 200
    )
    assert profiles(org, app) == []


@pytest.mark.parametrize(
    "profile_id", ["not-a-profile", "p-123", "P-0123456789ABCDEF", "p-0123456789abcdefg", "x" * 200]
)
def test_a_malformed_profile_id_is_a_400(org, profile_id):
    app = create_instance(org).application_instance_id
    recorder = Recorder()
    client = center(org.server, org.management, recorder)
    error = error_of(lambda: delete_profile(org, app, profile_id, client=client))
    assert (error.status_code, error.error_code) == (400, "IIC.400")
    body = assert_envelope(recorder.last, 400, "IIC.400")
    assert "profile_id" in body["error_msg"]
    assert error.request_id == body["request_id"]
    assert len(profiles(org, app)) == 1


@pytest.mark.parametrize(
    "application_instance_id", ["app-ins-xyz", "ins-0123456789abcdef", "app-0123"]
)
def test_a_malformed_application_instance_id_is_a_400(org, application_instance_id):
    recorder = Recorder()
    client = center(org.server, org.management, recorder)
    error = error_of(
        lambda: delete_profile(org, application_instance_id, _unknown_profile_id(), client=client)
    )
    assert (error.status_code, error.error_code) == (400, "IIC.400")
    body = assert_envelope(recorder.last, 400, "IIC.400")
    assert "application_instance_id" in body["error_msg"]


@pytest.mark.parametrize("who", ["member", "outsider"])
def test_neither_management_nor_delegate_gets_403_and_the_profile_stays(server, org, who):
    app = create_instance(org).application_instance_id
    user = create_user(org)
    assign(org, app, user)
    [profile] = profiles(org, app)
    caller = create_member(server, org.management) if who == "member" else server.new_account()
    recorder = Recorder()
    client = center(server, caller, recorder)

    error = error_of(lambda: delete_profile(org, app, profile.profile_id, client=client))

    assert (error.status_code, error.error_code) == (403, "IIC.1215")
    assert error.encoded_auth_msg
    body = assert_envelope(recorder.last, 403, "IIC.1215")
    assert body["encoded_authorization_message"] == error.encoded_auth_msg
    assert [p.profile_id for p in profiles(org, app)] == [profile.profile_id]
    assert assignments(org, app) == [("USER", user)]


def test_an_unknown_profile_is_a_404(org):
    app = create_instance(org).application_instance_id
    recorder = Recorder()
    unknown = _unknown_profile_id()
    error = error_of(
        lambda: delete_profile(
            org, app, unknown, client=center(org.server, org.management, recorder)
        )
    )
    assert (error.status_code, error.error_code) == (404, "IIC.404")
    body = assert_envelope(recorder.last, 404, "IIC.404")
    assert unknown in body["error_msg"]


def test_a_profile_is_deleted_once(org):
    app = create_instance(org).application_instance_id
    profile_id = profiles(org, app)[0].profile_id
    delete_profile(org, app, profile_id)
    error = error_of(lambda: delete_profile(org, app, profile_id))
    assert (error.status_code, error.error_code) == (404, "IIC.404")


def test_a_profile_of_another_application_instance_is_a_404_and_stays(org):
    mine, theirs = (
        create_instance(org).application_instance_id,
        create_instance(org).application_instance_id,
    )
    their_profile = profiles(org, theirs)[0].profile_id
    recorder = Recorder()
    client = center(org.server, org.management, recorder)
    error = error_of(lambda: delete_profile(org, mine, their_profile, client=client))
    assert (error.status_code, error.error_code) == (404, "IIC.404")
    assert_envelope(recorder.last, 404, "IIC.404")
    assert [p.profile_id for p in profiles(org, theirs)] == [their_profile]


def test_another_organizations_profile_is_a_404_and_stays(org, other):
    theirs = create_instance(other).application_instance_id
    their_profile = profiles(other, theirs)[0].profile_id
    recorder = Recorder()
    client = center(org.server, org.management, recorder)
    # Their application through my instance, and through their instance: neither is confirmed.
    for instance_id in (org.instance_id, other.instance_id):
        error = error_of(
            lambda i=instance_id: delete_profile(
                org, theirs, their_profile, client=client, instance_id=i
            )
        )
        assert (error.status_code, error.error_code) == (404, "IIC.404")
        assert_envelope(recorder.last, 404, "IIC.404")
    assert [p.profile_id for p in profiles(other, theirs)] == [their_profile]


def test_an_unknown_application_instance_is_a_404(org):
    unknown = f"app-ins-{secrets.token_hex(8)}"
    error = error_of(lambda: delete_profile(org, unknown, _unknown_profile_id()))
    assert (error.status_code, error.error_code) == (404, "IIC.404")
