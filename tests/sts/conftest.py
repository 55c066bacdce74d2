"""Two accounts for cross-account tests: A (whose principals assume) and B (whose agency
trusts A and grants IAM ReadOnlyAccess), and the helpers that set them up through the SDK."""

from __future__ import annotations

import uuid
from datetime import timedelta

import pytest
from huaweicloudsdkiam.v3 import model as m
from sqlalchemy import update

from idplane.iam.agencies.tables import Agency
from idplane.iam.sessions.tables import AgencySession
from idplane.iam.tables import TemporaryAccessKey
from idplane.platform.clock import now
from tests import clients, personas


@pytest.fixture
def account_a(server):
    return server.new_account("a")


@pytest.fixture
def account_b(server):
    return server.new_account("b")


def make_agency(server, owner, trusted, roles=("IAM ReadOnlyAccess",), max_seconds=None):
    """An agency of `owner` trusting `trusted`'s account, holding the named system roles."""
    admin = clients.iam(server.url, owner)
    option = m.CreateAgencyOption(
        name=f"agency-{uuid.uuid4().hex[:8]}",
        domain_id=owner.account_id,
        trust_domain_name=trusted.account_name,
    )
    agency = admin.create_agency(
        m.CreateAgencyRequest(body=m.CreateAgencyRequestBody(agency=option))
    ).agency
    for name in roles:
        role = personas.system_role(server, owner, name)
        admin.associate_agency_with_domain_permission(
            m.AssociateAgencyWithDomainPermissionRequest(
                domain_id=owner.account_id, agency_id=agency.id, role_id=role.id
            )
        )
    if max_seconds is not None:
        with server.core.store.transaction() as session:
            session.execute(
                update(Agency)
                .where(Agency.id == agency.id)
                .values(max_session_duration=max_seconds)
            )
    return agency


@pytest.fixture
def agency(server, account_a, account_b):
    """B's agency trusting A, read-only on B's IAM."""
    return make_agency(server, account_b, account_a)


def session_credentials(account, access, secret, token):
    """Credentials that sign as an agency session in `account` (the agency's account)."""
    return personas.PersonaCredentials(
        **{
            **account.as_dict(),
            "user_id": None,
            "user_name": None,
            "password": None,
            "access_key": access,
            "secret_key": secret,
            "security_token": token,
        }
    )


def expire_session(server, session_id: str) -> None:
    past = now() - timedelta(seconds=1)
    with server.core.store.transaction() as session:
        session.execute(
            update(AgencySession).where(AgencySession.id == session_id).values(expires_at=past)
        )
        session.execute(
            update(TemporaryAccessKey)
            .where(TemporaryAccessKey.agency_session_id == session_id)
            .values(expires_at=past)
        )


def agency_urn(owner, agency) -> str:
    return f"iam::{owner.account_id}:agency:{agency.name}"


@pytest.fixture
def assumer(server, account_a):
    """An IAM user of A allowed to assume agencies."""
    return personas.iam_user_with_policy(
        server, account_a, [{"Action": ["sts:agencies:assume"], "Effect": "Allow"}]
    )


def assume(server, creds, owner, agency, session_name="alice", **fields):
    """assume_agency through the STS client; returns (response, credentials signing in B)."""
    from huaweicloudsdksts.v1 import model as sm

    body = sm.AssumeAgencyReqBody(
        agency_urn=agency_urn(owner, agency), agency_session_name=session_name, **fields
    )
    answer = clients.sts(server.url, creds).assume_agency(sm.AssumeAgencyRequest(body=body))
    made = answer.credentials
    return answer, session_credentials(
        owner, made.access_key_id, made.secret_access_key, made.security_token
    )


def set_trust_policy(server, agency, policy: dict | None) -> None:
    with server.core.store.transaction() as session:
        session.execute(update(Agency).where(Agency.id == agency.id).values(trust_policy=policy))


def grant_policy(server, owner, agency, statements) -> str:
    """Grants the agency a new custom policy made of `statements`; returns its name."""
    policy = m.ServicePolicy(
        version="1.1",
        statement=[
            m.ServiceStatement(
                action=s["Action"],
                effect=s["Effect"],
                condition=s.get("Condition"),
                resource=s.get("Resource"),
            )
            for s in statements
        ],
    )
    option = m.ServicePolicyRoleOption(
        display_name=f"policy-{uuid.uuid4().hex[:10]}", type="AX", description="", policy=policy
    )
    role = (
        clients.iam(server.url, owner)
        .create_cloud_service_custom_policy(
            m.CreateCloudServiceCustomPolicyRequest(
                body=m.CreateCloudServiceCustomPolicyRequestBody(role=option)
            )
        )
        .role
    )
    clients.iam(server.url, owner).associate_agency_with_domain_permission(
        m.AssociateAgencyWithDomainPermissionRequest(
            domain_id=owner.account_id, agency_id=agency.id, role_id=role.id
        )
    )
    return role.display_name
