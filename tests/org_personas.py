"""Account-level personas of an organization, built through the official SDKs.

`organization_with_member(server)` gives a management account and a member it created;
`identity_center_with_delegate(server)` adds Identity Center with that member as delegated
administrator; `personas(server)` gives the whole cast for authorization matrices: management
root, delegated administrator, plain member, an account outside the organization, temporary
credentials of the management root, expired temporary credentials, and an IAM user of the
management account without any policy. (IAM users with and without the needed policies join
once IAM users and policies have their APIs.)
"""

from __future__ import annotations

import uuid
from dataclasses import dataclass, field
from datetime import timedelta
from typing import Any

from huaweicloudsdkiam.v3 import model as iam_model
from huaweicloudsdkidentitycenter.v1 import model as ic
from huaweicloudsdkorganizations.v1 import model as org
from sqlalchemy import update

from idplane.iam.service import AccountCredentials
from idplane.iam.tables import AccessKey, TemporaryAccessKey, User
from idplane.platform import ids
from idplane.platform.clock import now
from tests import clients

IDENTITY_CENTER = "service.IdentityCenter"


@dataclass
class Persona:
    """Credentials an SDK client signs with: an account's root AK/SK, or temporary ones."""

    name: str
    creds: AccountCredentials
    temporary: dict[str, str] = field(default_factory=dict)  # access_key, secret_key, token

    def _kwargs(self) -> dict[str, Any]:
        return dict(self.temporary)

    def organizations(self, server):
        return clients.organizations(server.url, self.creds, **self._kwargs())

    def identitycenter(self, server):
        return clients.identitycenter(server.url, self.creds, **self._kwargs())

    @property
    def account_id(self) -> str:
        return self.creds.account_id


def unique_name(prefix: str) -> str:
    return f"{prefix}-{uuid.uuid4().hex[:10]}"


def create_organization(server, creds: AccountCredentials) -> org.OrganizationDto:
    client = clients.organizations(server.url, creds)
    return client.create_organization(org.CreateOrganizationRequest()).organization


def create_member(server, management: AccountCredentials, prefix: str = "member"):
    """A new account created in the management account's organization, with root AK/SK
    (what `idplane credentials create --account NAME` gives its operator)."""
    name = unique_name(prefix)
    body = org.CreateAccountReqBody(name=name)
    client = clients.organizations(server.url, management)
    client.create_account(org.CreateAccountRequest(body=body))
    member = server.core.accounts.create_root_credentials(name)
    member.endpoint = server.url
    return member


def organization_with_member(server) -> tuple[AccountCredentials, AccountCredentials]:
    management = server.new_account("mgmt")
    create_organization(server, management)
    return management, create_member(server, management)


def enable_trusted_service(server, management, principal: str = IDENTITY_CENTER) -> None:
    body = org.TrustedServiceReqBody(service_principal=principal)
    clients.organizations(server.url, management).enable_trusted_service(
        org.EnableTrustedServiceRequest(body=body)
    )


def register_delegate(server, management, account_id: str, principal=IDENTITY_CENTER) -> None:
    body = org.DelegatedAdministratorReqBody(service_principal=principal, account_id=account_id)
    clients.organizations(server.url, management).register_delegated_administrator(
        org.RegisterDelegatedAdministratorRequest(body=body)
    )


def deregister_delegate(server, management, account_id: str, principal=IDENTITY_CENTER) -> None:
    body = org.DelegatedAdministratorReqBody(service_principal=principal, account_id=account_id)
    clients.organizations(server.url, management).deregister_delegated_administrator(
        org.DeregisterDelegatedAdministratorRequest(body=body)
    )


def start_identity_center(server, management) -> ic.InstanceMetadataEntryDto:
    client = clients.identitycenter(server.url, management)
    client.start_identity_center(ic.StartIdentityCenterRequest())
    return client.list_instances(ic.ListInstancesRequest()).instances[0]


def identity_center_with_delegate(server) -> tuple[AccountCredentials, AccountCredentials]:
    """An organization with Identity Center started and a member as its delegated admin."""
    management, delegate = organization_with_member(server)
    enable_trusted_service(server, management)
    start_identity_center(server, management)
    register_delegate(server, management, delegate.account_id)
    return management, delegate


def temporary_persona(server, creds: AccountCredentials, name: str = "temporary") -> Persona:
    """Temporary AK/SK + security token of the account's root, from
    `/v3.0/OS-CREDENTIAL/securitytokens`."""
    identity = iam_model.TokenAuthIdentity(
        methods=["token"], token=iam_model.IdentityToken(duration_seconds=900)
    )
    body = iam_model.CreateTemporaryAccessKeyByTokenRequestBody(
        auth=iam_model.TokenAuth(identity=identity)
    )
    response = clients.iam(server.url, creds).create_temporary_access_key_by_token(
        iam_model.CreateTemporaryAccessKeyByTokenRequest(body=body)
    )
    credential = response.credential
    temporary = {
        "access_key": credential.access,
        "secret_key": credential.secret,
        "security_token": credential.securitytoken,
    }
    return Persona(name, creds, temporary)


def expire(server, persona: Persona) -> Persona:
    """Moves the persona's temporary credential's expiry into the past, in the store."""
    with server.core.store.transaction() as session:
        session.execute(
            update(TemporaryAccessKey)
            .where(TemporaryAccessKey.access == persona.temporary["access_key"])
            .values(expires_at=now() - timedelta(minutes=1))
        )
    return persona


def policyless_iam_user(server, creds: AccountCredentials, name: str = "iam_user") -> Persona:
    """An IAM user of the account with an AK/SK and no policies at all, arranged in the store
    (the IAM user APIs arrive separately). Its requests must be denied by policy."""
    access, secret = ids.access_key(), ids.secret_key()
    with server.core.store.transaction() as session:
        user = User(
            id=ids.hex32(),
            account_id=creds.account_id,
            name=unique_name("user"),
            is_root=False,
            created_at=now(),
        )
        session.add(user)
        session.flush()
        session.add(
            AccessKey(
                access=access,
                account_id=creds.account_id,
                user_id=user.id,
                secret_sealed=server.core.box.seal(secret),
                status="active",
                created_at=now(),
            )
        )
    return Persona(name, creds, {"access_key": access, "secret_key": secret})


def personas(server) -> dict[str, Persona]:
    """The account-level cast, around an organization with Identity Center started."""
    management, delegate = identity_center_with_delegate(server)
    member = create_member(server, management)
    outsider = server.new_account("outsider")
    cast = {
        "management": Persona("management", management),
        "delegate": Persona("delegate", delegate),
        "member": Persona("member", member),
        "outsider": Persona("outsider", outsider),
        "temporary": temporary_persona(server, management),
        "expired": expire(server, temporary_persona(server, management, "expired")),
        "iam_user": policyless_iam_user(server, management),
    }
    return cast
