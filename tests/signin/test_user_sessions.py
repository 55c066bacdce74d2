"""The Identity Store's `list_sessions` and `batch_delete_sessions` through the official
client: a signed-in browser's session is listed, and deleting it signs the user out at once,
in the pages and for every token issued to it."""

from __future__ import annotations

from huaweicloudsdkidentitycenterstore.v1 import model as ids

from tests.identitycenter.access.support import failure
from tests.signin.forms import Visitor
from tests.signin.support import refresh, register, signed_in_token


def sessions(portal, user_id: str) -> list:
    request = ids.ListSessionsRequest(identity_store_id=portal.store_id, user_id=user_id)
    return portal.directory.client().list_sessions(request).session_list or []


def test_a_signed_in_user_has_one_listed_session(portal):
    user_id, name, password = portal.user_with_password()
    visitor = Visitor(portal.server.url)
    visitor.sign_in(portal.store_id, name, password)
    listed = sessions(portal, user_id)
    # user_with_password signed in once too (through the service).
    assert len(listed) == 2 and all(s.user_id == user_id for s in listed)
    assert all(s.session_not_valid_after > s.creation_time for s in listed)


def test_deleting_the_session_signs_the_browser_out_and_ends_its_tokens(portal):
    user_id, name, password = portal.user_with_password()
    token = signed_in_token(portal, name, password)
    client = portal.oidc()
    for listed in sessions(portal, user_id):
        portal.directory.client().batch_delete_sessions(
            ids.BatchDeleteSessionsRequest(
                identity_store_id=portal.store_id,
                user_id=user_id,
                body=ids.BatchDeleteSessionsReqBody(session_ids=[listed.session_id]),
            )
        )
    assert sessions(portal, user_id) == []
    info = register(client)
    assert failure(lambda: refresh(client, info, token.refresh_token)) == (400, "invalid_grant")


def test_a_user_deleted_mid_session_is_signed_out(portal):
    user_id, name, password = portal.user_with_password()
    visitor = Visitor(portal.server.url)
    visitor.sign_in(portal.store_id, name, password)
    assert "Your accounts" in visitor.text()
    portal.directory.client().delete_user(
        ids.DeleteUserRequest(identity_store_id=portal.store_id, user_id=user_id)
    )
    visitor.open(f"/{portal.store_id}/portal")
    assert visitor.page.url.path.endswith("/portal/login")


def test_sessions_of_an_unknown_user_are_404(portal):
    assert failure(lambda: sessions(portal, "no-such-user"))[0] == 404
