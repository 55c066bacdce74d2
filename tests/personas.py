"""Reusable callers for authorization tests, built through the official IAM SDK as the
account's root user, the way a customer would set them up.

    creds = iam_user_with_roles(server, account, ["IdentityCenter ReadOnlyAccess"])
    client = clients.identitycenter(server.url, creds)   # any builder in tests/clients.py

Every builder returns `PersonaCredentials` (AccountCredentials plus an optional security
token, which the builders in tests/clients.py send along by themselves).
"""

from __future__ import annotations

import uuid
from collections.abc import Sequence
from dataclasses import dataclass
from datetime import timedelta

from huaweicloudsdkiam.v3 import model as m
from sqlalchemy import update

from idplane.iam.service import AccountCredentials
from idplane.iam.tables import TemporaryAccessKey
from idplane.platform.clock import now
from tests import clients

PASSWORD = "Persona#Pass9"


@dataclass
class PersonaCredentials(AccountCredentials):
    security_token: str | None = None


def root(account: AccountCredentials) -> PersonaCredentials:
    return PersonaCredentials(**account.as_dict())


def iam_user(
    server, account: AccountCredentials, name: str | None = None, password: str = PASSWORD
) -> PersonaCredentials:
    """A new IAM user of the account, in no group, with a password and one AK/SK."""
    admin = clients.iam(server.url, account)
    name = name or f"user-{uuid.uuid4().hex[:10]}"
    option = m.CreateUserOption(name=name, domain_id=account.account_id, password=password)
    user = admin.create_user(m.CreateUserRequest(body=m.CreateUserRequestBody(user=option))).user
    key = admin.create_permanent_access_key(
        m.CreatePermanentAccessKeyRequest(
            body=m.CreatePermanentAccessKeyRequestBody(
                credential=m.CreateCredentialOption(user_id=user.id, description="persona")
            )
        )
    ).credential
    return PersonaCredentials(
        **{
            **account.as_dict(),
            "user_id": user.id,
            "user_name": name,
            "password": password,
            "access_key": key.access,
            "secret_key": key.secret,
        }
    )


def group_with_roles(server, account: AccountCredentials, roles: Sequence[str]) -> str:
    """A new group holding the named system roles/policies (Keystone or display names),
    each granted on the account, or on the account's region project when it is project-only."""
    admin = clients.iam(server.url, account)
    group = admin.keystone_create_group(
        m.KeystoneCreateGroupRequest(
            body=m.KeystoneCreateGroupRequestBody(
                group=m.KeystoneCreateGroupOption(name=f"group-{uuid.uuid4().hex[:10]}")
            )
        )
    ).group
    for name in roles:
        grant(server, account, group.id, system_role(server, account, name))
    return group.id


def system_role(server, account: AccountCredentials, name: str) -> m.RoleResult:
    admin = clients.iam(server.url, account)
    for query in ({"display_name": name}, {"name": name}):
        found = admin.keystone_list_permissions(m.KeystoneListPermissionsRequest(**query)).roles
        if found:
            return found[0]
    raise LookupError(f"no system role {name}")


def grant(server, account: AccountCredentials, group_id: str, role) -> None:
    """Grants a role (an SDK role result) to a group where its type allows."""
    admin = clients.iam(server.url, account)
    if role.type in ("AX", "AA"):
        admin.keystone_associate_group_with_domain_permission(
            m.KeystoneAssociateGroupWithDomainPermissionRequest(
                domain_id=account.account_id, group_id=group_id, role_id=role.id
            )
        )
    else:
        admin.keystone_associate_group_with_project_permission(
            m.KeystoneAssociateGroupWithProjectPermissionRequest(
                project_id=account.project_id, group_id=group_id, role_id=role.id
            )
        )


def add_to_group(server, account: AccountCredentials, group_id: str, user_id: str) -> None:
    clients.iam(server.url, account).keystone_add_user_to_group(
        m.KeystoneAddUserToGroupRequest(group_id=group_id, user_id=user_id)
    )


def iam_user_with_roles(
    server, account: AccountCredentials, roles: Sequence[str]
) -> PersonaCredentials:
    """An IAM user in a new group holding the named system roles and policies."""
    group_id = group_with_roles(server, account, roles)
    user = iam_user(server, account)
    add_to_group(server, account, group_id, user.user_id)
    return user


def custom_policy(
    server, account: AccountCredentials, statements: Sequence[dict], kind: str = "AX"
) -> m.ServicePolicyRoleResult:
    """A custom policy (Version 1.1) of the account; statements as plain dicts."""
    policy = m.ServicePolicy(
        version="1.1",
        statement=[m.ServiceStatement(action=s["Action"], effect=s["Effect"]) for s in statements],
    )
    option = m.ServicePolicyRoleOption(
        display_name=f"policy-{uuid.uuid4().hex[:10]}",
        type=kind,
        description="persona policy",
        policy=policy,
    )
    admin = clients.iam(server.url, account)
    return admin.create_cloud_service_custom_policy(
        m.CreateCloudServiceCustomPolicyRequest(
            body=m.CreateCloudServiceCustomPolicyRequestBody(role=option)
        )
    ).role


def iam_user_with_policy(
    server, account: AccountCredentials, statements: Sequence[dict], roles: Sequence[str] = ()
) -> PersonaCredentials:
    """An IAM user whose group holds a custom policy made of `statements` (plus any named
    system roles), e.g. an Allow from a role overridden by a custom Deny."""
    group_id = group_with_roles(server, account, roles)
    grant(server, account, group_id, custom_policy(server, account, statements))
    user = iam_user(server, account)
    add_to_group(server, account, group_id, user.user_id)
    return user


def temporary(
    server, creds: AccountCredentials, seconds: int = 900, policy: dict | None = None
) -> PersonaCredentials:
    """Temporary AK/SK + security token of `creds` (OS-CREDENTIAL/securitytokens), optionally
    narrowed by a session policy."""
    identity = m.TokenAuthIdentity(
        methods=["token"], token=m.IdentityToken(duration_seconds=seconds)
    )
    if policy is not None:
        identity.policy = m.ServicePolicy(
            version=policy.get("Version", "1.1"),
            statement=[
                m.ServiceStatement(action=s["Action"], effect=s["Effect"])
                for s in policy["Statement"]
            ],
        )
    made = (
        clients.iam(server.url, creds)
        .create_temporary_access_key_by_token(
            m.CreateTemporaryAccessKeyByTokenRequest(
                body=m.CreateTemporaryAccessKeyByTokenRequestBody(
                    auth=m.TokenAuth(identity=identity)
                )
            )
        )
        .credential
    )
    return PersonaCredentials(
        **{
            **_base(creds),
            "access_key": made.access,
            "secret_key": made.secret,
            "security_token": made.securitytoken,
        }
    )


def expire(server, creds: PersonaCredentials) -> None:
    """Makes a temporary credential expired, directly in the store."""
    with server.core.store.transaction() as session:
        session.execute(
            update(TemporaryAccessKey)
            .where(TemporaryAccessKey.access == creds.access_key)
            .values(expires_at=now() - timedelta(seconds=1))
        )


def disable(server, account: AccountCredentials, creds: AccountCredentials) -> None:
    clients.iam(server.url, account).keystone_update_user_by_admin(
        m.KeystoneUpdateUserByAdminRequest(
            user_id=creds.user_id,
            body=m.KeystoneUpdateUserByAdminRequestBody(
                user=m.KeystoneUpdateUserOption(enabled=False)
            ),
        )
    )


def deactivate_key(server, account: AccountCredentials, creds: AccountCredentials) -> None:
    clients.iam(server.url, account).update_permanent_access_key(
        m.UpdatePermanentAccessKeyRequest(
            access_key=creds.access_key,
            body=m.UpdatePermanentAccessKeyRequestBody(
                credential=m.UpdateCredentialOption(status="inactive")
            ),
        )
    )


def delete(server, account: AccountCredentials, creds: AccountCredentials) -> None:
    clients.iam(server.url, account).keystone_delete_user(
        m.KeystoneDeleteUserRequest(user_id=creds.user_id)
    )


def _base(creds: AccountCredentials) -> dict:
    return {k: v for k, v in creds.as_dict().items() if k != "security_token"}
