"""Who may read and change each IAM object family: a persona matrix (Keystone's protection
tests) through the official SDK, signed with GlobalCredentials and with BasicCredentials.

One account (the owner) holds a target user with a key, a group, a custom policy and an
agency; each persona reads one of them and changes one, and must be allowed (the call
succeeds), denied (403 IAM.0003), unauthenticated (401) or kept out (404/403, no data).
"""

from __future__ import annotations

import uuid
from dataclasses import dataclass

import pytest
from huaweicloudsdkiam.v3 import model as m

from tests import clients, personas
from tests.iam.conftest import fails

ALLOWED, DENIED, UNAUTHENTICATED, FOREIGN = "allowed", "denied", "401", "foreign"
READ_ONLY_SESSION = {
    "Version": "1.1",
    "Statement": [{"Effect": "Allow", "Action": ["iam:*:get*", "iam:*:list*"]}],
}
DENY_WRITES = [
    {
        "Effect": "Deny",
        "Action": ["iam:*:update*", "iam:*:create*", "iam:*:delete*", "iam:permissions:grant*"],
    }
]


@dataclass
class World:
    owner: personas.PersonaCredentials
    user_id: str
    access_key: str
    group_id: str
    policy: m.ServicePolicyRoleResult
    agency_id: str
    guest_role_id: str
    callers: dict[str, personas.PersonaCredentials]


@pytest.fixture(scope="module")
def world(server) -> World:
    owner = personas.root(server.new_account("owner"))
    admin = clients.iam(server.url, owner)
    target = personas.iam_user(server, owner)
    group_id = personas.group_with_roles(server, owner, [])
    policy = personas.custom_policy(server, owner, [{"Effect": "Allow", "Action": ["ecs:*:*"]}])
    other = personas.root(server.new_account("other"))
    agency = admin.create_agency(
        m.CreateAgencyRequest(
            body=m.CreateAgencyRequestBody(
                agency=m.CreateAgencyOption(
                    name=f"agency-{uuid.uuid4().hex[:8]}",
                    domain_id=owner.account_id,
                    trust_domain_name=other.account_name,
                )
            )
        )
    ).agency
    admins = ["Tenant Administrator", "Security Administrator"]
    callers = {
        "root": owner,
        "admin user": personas.iam_user_with_roles(server, owner, admins),
        "read-only user": personas.iam_user_with_roles(server, owner, ["IAM ReadOnlyAccess"]),
        "deny overrides allow": personas.iam_user_with_policy(
            server, owner, DENY_WRITES, ["Security Administrator"]
        ),
        "tenant administrator": personas.iam_user_with_roles(
            server, owner, ["Tenant Administrator"]
        ),
        "tenant guest": personas.iam_user_with_roles(server, owner, ["Tenant Guest"]),
        "user without permissions": personas.iam_user(server, owner),
        "other account root": other,
    }
    callers["temporary (admin user)"] = personas.temporary(server, callers["admin user"])
    callers["temporary with read-only session policy"] = personas.temporary(
        server, owner, policy=READ_ONLY_SESSION
    )
    expired = personas.temporary(server, personas.iam_user_with_roles(server, owner, admins))
    personas.expire(server, expired)
    callers["expired temporary"] = expired
    for name, spoil in (
        ("disabled user", personas.disable),
        ("deactivated key", personas.deactivate_key),
        ("deleted user", personas.delete),
    ):
        callers[name] = personas.iam_user_with_roles(server, owner, admins)
        spoil(server, owner, callers[name])
    guest = personas.system_role(server, owner, "Tenant Guest")
    key = admin.list_permanent_access_keys(m.ListPermanentAccessKeysRequest(user_id=target.user_id))
    return World(
        owner,
        target.user_id,
        key.credentials[0].access,
        group_id,
        policy,
        agency.id,
        guest.id,
        callers,
    )


def _note() -> str:
    return f"changed {uuid.uuid4().hex[:8]}"


READS = {
    "users": lambda c, w: c.keystone_show_user(m.KeystoneShowUserRequest(user_id=w.user_id)),
    "groups": lambda c, w: c.keystone_show_group(m.KeystoneShowGroupRequest(group_id=w.group_id)),
    "credentials": lambda c, w: c.show_permanent_access_key(
        m.ShowPermanentAccessKeyRequest(access_key=w.access_key)
    ),
    "policies": lambda c, w: c.show_custom_policy(m.ShowCustomPolicyRequest(role_id=w.policy.id)),
    "grants": lambda c, w: c.keystone_list_domain_permissions_for_group(
        m.KeystoneListDomainPermissionsForGroupRequest(
            domain_id=w.owner.account_id, group_id=w.group_id
        )
    ),
    "agencies": lambda c, w: c.show_agency(m.ShowAgencyRequest(agency_id=w.agency_id)),
}

WRITES = {
    "users": lambda c, w: c.keystone_update_user_by_admin(
        m.KeystoneUpdateUserByAdminRequest(
            user_id=w.user_id,
            body=m.KeystoneUpdateUserByAdminRequestBody(
                user=m.KeystoneUpdateUserOption(description=_note())
            ),
        )
    ),
    "groups": lambda c, w: c.keystone_update_group(
        m.KeystoneUpdateGroupRequest(
            group_id=w.group_id,
            body=m.KeystoneUpdateGroupRequestBody(
                group=m.KeystoneUpdateGroupOption(description=_note())
            ),
        )
    ),
    "credentials": lambda c, w: c.update_permanent_access_key(
        m.UpdatePermanentAccessKeyRequest(
            access_key=w.access_key,
            body=m.UpdatePermanentAccessKeyRequestBody(
                credential=m.UpdateCredentialOption(description=_note())
            ),
        )
    ),
    "policies": lambda c, w: c.update_cloud_service_custom_policy(
        m.UpdateCloudServiceCustomPolicyRequest(
            role_id=w.policy.id,
            body=m.UpdateCloudServiceCustomPolicyRequestBody(
                role=m.ServicePolicyRoleOption(
                    display_name=w.policy.display_name,
                    type=w.policy.type,
                    description=_note(),
                    policy=w.policy.policy,
                )
            ),
        )
    ),
    "grants": lambda c, w: c.keystone_associate_group_with_domain_permission(
        m.KeystoneAssociateGroupWithDomainPermissionRequest(
            domain_id=w.owner.account_id, group_id=w.group_id, role_id=w.guest_role_id
        )
    ),
    "agencies": lambda c, w: c.update_agency(
        m.UpdateAgencyRequest(
            agency_id=w.agency_id,
            body=m.UpdateAgencyRequestBody(agency=m.UpdateAgencyOption(description=_note())),
        )
    ),
}

# Persona -> outcome of (reads, writes).
EXPECTED = {
    "root": (ALLOWED, ALLOWED),
    "admin user": (ALLOWED, ALLOWED),
    "read-only user": (ALLOWED, DENIED),
    "deny overrides allow": (ALLOWED, DENIED),
    "tenant administrator": (DENIED, DENIED),  # all services except IAM
    "tenant guest": (DENIED, DENIED),
    "user without permissions": (DENIED, DENIED),
    "temporary (admin user)": (ALLOWED, ALLOWED),
    "temporary with read-only session policy": (ALLOWED, DENIED),
    "expired temporary": (UNAUTHENTICATED, UNAUTHENTICATED),
    "disabled user": (UNAUTHENTICATED, UNAUTHENTICATED),
    "deactivated key": (UNAUTHENTICATED, UNAUTHENTICATED),
    "deleted user": (UNAUTHENTICATED, UNAUTHENTICATED),
    "other account root": (FOREIGN, FOREIGN),
}
CASES = [
    pytest.param(persona, family, kind, signing, id=f"{persona}-{family}-{kind}-{signing}")
    for persona in EXPECTED
    for family in READS
    for kind in ("read", "write")
    for signing in ("global", "basic")
]


@pytest.mark.parametrize(("persona", "family", "kind", "signing"), CASES)
def test_each_persona_gets_what_its_permissions_say(world, server, persona, family, kind, signing):
    creds = world.callers[persona]
    client = (clients.iam if signing == "global" else clients.iam_basic)(server.url, creds)
    call = (READS if kind == "read" else WRITES)[family]
    outcome = EXPECTED[persona][0 if kind == "read" else 1]
    if outcome == ALLOWED:
        call(client, world)
    elif outcome == DENIED:
        error = fails(lambda: call(client, world), 403, "IAM.0003")
        assert "Policy doesn't allow iam:" in error.error_msg
    elif outcome == UNAUTHENTICATED:
        fails(lambda: call(client, world), 401, "APIGW.0301")
    else:  # another account: the owner's path is forbidden, its ids are unknown
        fails(lambda: call(client, world), 403 if family == "grants" else 404)
