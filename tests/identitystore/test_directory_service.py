"""The directory's service functions other features build on, called in-process against the
test server's store: `principal_exists`, and deletion through `delete_principal` with its
`on_principal_deleted` hooks running inside the deleting transaction."""

from __future__ import annotations

import pytest
from sqlalchemy import func, select

from idplane.identitystore.assembly import build_directory
from idplane.identitystore.directory.service import GROUP, USER
from idplane.identitystore.memberships.tables import GroupMembership
from idplane.identitystore.users.attributes import NewUser
from idplane.instances.gate import IdentityCenterGate
from idplane.platform.auth.caller import Caller, CredentialKind
from idplane.platform.errors import Invalid, NotFound
from tests.identitystore.builders import (
    add_member,
    create_group,
    create_user,
    new_directory,
    plain,
    user_body,
)


def _root_caller(creds) -> Caller:
    return Caller(
        account_id=creds.account_id,
        account_name=creds.account_name,
        user_id=creds.user_id,
        user_name=creds.user_name,
        is_root=True,
        kind=CredentialKind.ACCESS_KEY,
        credential_id=creds.access_key,
    )


def _built(server, hooks=()):
    return build_directory(
        server.core.store, IdentityCenterGate(server.core.store, server.core.authorizer), hooks
    )


def test_principal_exists_only_for_the_store_and_type_it_belongs_to(server, directory):
    other = new_directory(server)
    user_id, group_id = create_user(directory), create_group(directory)
    service = _built(server).directory
    store = directory.identity_store_id
    with server.core.store.read() as session:
        assert service.principal_exists(session, store, USER, user_id)
        assert service.principal_exists(session, store, GROUP, group_id)
        assert not service.principal_exists(session, store, GROUP, user_id)
        assert not service.principal_exists(session, other.identity_store_id, USER, user_id)
        with pytest.raises(Invalid):
            service.principal_exists(session, store, "ROLE", user_id)


def test_hooks_run_inside_the_deletion_before_the_principal_goes(server, directory):
    user_id = create_user(directory)
    add_member(directory, create_group(directory), user_id)
    seen = []

    def hook(session, identity_store_id, principal_type, principal_id):
        members = select(func.count()).select_from(GroupMembership)
        still_there = session.scalar(members.where(GroupMembership.user_id == principal_id))
        seen.append((identity_store_id, principal_type, principal_id, still_there))

    built = _built(server, [hook])
    late = []
    built.directory.add_principal_deleted_hook(lambda *args: late.append(args[1:]))
    built.users.delete_user(
        _root_caller(directory.management), directory.identity_store_id, user_id
    )
    assert seen == [(directory.identity_store_id, USER, user_id, 1)]
    assert late == [(directory.identity_store_id, USER, user_id)]
    with server.core.store.read() as session:
        assert not built.directory.principal_exists(
            session, directory.identity_store_id, USER, user_id
        )


def test_a_failing_hook_keeps_the_principal_and_its_memberships(server, directory):
    group_id = create_group(directory)
    add_member(directory, group_id, create_user(directory))

    def refuse(*_args):
        raise RuntimeError("assignments could not be removed")

    built = _built(server, [refuse])
    caller = _root_caller(directory.management)
    with pytest.raises(RuntimeError):
        built.groups.delete_group(caller, directory.identity_store_id, group_id)
    with server.core.store.read() as session:
        assert built.directory.principal_exists(
            session, directory.identity_store_id, GROUP, group_id
        )
        members = select(func.count()).select_from(GroupMembership)
        assert session.scalar(members.where(GroupMembership.group_id == group_id)) == 1


def test_deleting_a_principal_that_is_not_there_is_not_found(server, directory):
    service = _built(server).directory
    with server.core.store.transaction() as session, pytest.raises(NotFound):
        service.delete_principal(session, directory.identity_store_id, USER, "missing")


def test_one_time_passwords_are_as_long_as_the_password_policy_asks(server, directory):
    asked = []

    def minimum(session, identity_store_id):
        asked.append(identity_store_id)
        return 40

    built = build_directory(
        server.core.store,
        IdentityCenterGate(server.core.store, server.core.authorizer),
        minimum_password_length=minimum,
    )
    new = NewUser.model_validate(plain(user_body(password_mode="OTP")))
    created = built.users.create_user(
        _root_caller(directory.management), directory.identity_store_id, new
    )
    assert len(created.password) == 40 and asked == [directory.identity_store_id]
