"""Permanent access keys: two per user, secret shown once, state applied on every request."""

from __future__ import annotations

from huaweicloudsdkiam.v3 import model as m
from sqlalchemy import select

from idplane.iam.tables import AccessKey
from tests import clients, personas
from tests.iam.conftest import fails


def _create(client, user_id: str, description: str | None = None):
    return client.create_permanent_access_key(
        m.CreatePermanentAccessKeyRequest(
            body=m.CreatePermanentAccessKeyRequestBody(
                credential=m.CreateCredentialOption(user_id=user_id, description=description)
            )
        )
    ).credential


def _set_status(client, access: str, status: str):
    return client.update_permanent_access_key(
        m.UpdatePermanentAccessKeyRequest(
            access_key=access,
            body=m.UpdatePermanentAccessKeyRequestBody(
                credential=m.UpdateCredentialOption(status=status)
            ),
        )
    ).credential


def _whoami(server, creds, access: str, secret: str):
    signer = personas.PersonaCredentials(
        **{**creds.as_dict(), "access_key": access, "secret_key": secret}
    )
    return clients.iam(server.url, signer).list_permanent_access_keys(
        m.ListPermanentAccessKeysRequest()
    )


def test_the_secret_is_shown_once_and_signs_requests(server, root_iam, account) -> None:
    user = personas.iam_user(server, account)
    made = _create(root_iam, user.user_id, "ci")
    assert len(made.secret) == 40 and made.status == "active" and made.description == "ci"
    shown = root_iam.show_permanent_access_key(
        m.ShowPermanentAccessKeyRequest(access_key=made.access)
    )
    assert shown.credential.user_id == user.user_id
    assert made.secret not in shown.raw_content.decode()
    listed = root_iam.list_permanent_access_keys(
        m.ListPermanentAccessKeysRequest(user_id=user.user_id)
    )
    assert {c.access for c in listed.credentials} == {user.access_key, made.access}
    assert made.secret not in listed.raw_content.decode()
    own = _whoami(server, user, made.access, made.secret)
    assert {c.access for c in own.credentials} == {user.access_key, made.access}


def test_secrets_are_sealed_at_rest(server, root_iam, account) -> None:
    made = _create(root_iam, personas.iam_user(server, account).user_id)
    with server.core.store.read() as session:
        sealed = session.scalar(
            select(AccessKey.secret_sealed).where(AccessKey.access == made.access)
        )
    assert made.secret not in sealed and server.core.box.open(sealed) == made.secret


def test_a_user_holds_at_most_two_keys(server, root_iam, account) -> None:
    user = personas.iam_user(server, account)
    _create(root_iam, user.user_id)
    fails(lambda: _create(root_iam, user.user_id), 400)


def test_a_deactivated_key_stops_at_once_and_works_again_when_reactivated(
    server, root_iam, account
) -> None:
    user = personas.iam_user(server, account)
    assert _set_status(root_iam, user.access_key, "inactive").status == "inactive"
    fails(lambda: _whoami(server, user, user.access_key, user.secret_key), 401, "APIGW.0301")
    _set_status(root_iam, user.access_key, "active")
    _whoami(server, user, user.access_key, user.secret_key)


def test_a_deleted_key_stops_at_once(server, root_iam, account) -> None:
    user = personas.iam_user(server, account)
    root_iam.delete_permanent_access_key(
        m.DeletePermanentAccessKeyRequest(access_key=user.access_key)
    )
    fails(lambda: _whoami(server, user, user.access_key, user.secret_key), 401, "APIGW.0301")


def test_a_user_manages_its_own_keys_without_permissions(server, account) -> None:
    user = personas.iam_user(server, account)
    own = clients.iam(server.url, user)
    second = _create(own, user.user_id)
    _set_status(own, second.access, "inactive")
    own.delete_permanent_access_key(m.DeletePermanentAccessKeyRequest(access_key=second.access))
    fails(lambda: _create(own, account.user_id), 403, "IAM.0003")  # not someone else's


def test_bad_status_is_refused(root_iam, account) -> None:
    fails(lambda: _set_status(root_iam, account.access_key, "paused"), 400)


def test_keys_of_another_account_are_not_found(server, root_iam) -> None:
    other = server.new_account()
    request = m.ShowPermanentAccessKeyRequest(access_key=other.access_key)
    fails(lambda: root_iam.show_permanent_access_key(request), 404, "IAM.0004")
    fails(lambda: _set_status(root_iam, other.access_key, "inactive"), 404, "IAM.0004")
    fails(lambda: _create(root_iam, other.user_id), 404, "IAM.0004")
    _whoami(server, other, other.access_key, other.secret_key)  # untouched
