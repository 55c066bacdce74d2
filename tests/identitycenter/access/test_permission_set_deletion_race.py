"""Deleting a permission set while it is being assigned and provisioned never fails with a 5xx
and leaves nothing behind: the permission set row is locked before the organization's
membership rows by every writer (KEY SHARE to assign or provision, FOR UPDATE to delete), so
the deletion either runs first (the others then answer 404) or after them (409: assigned).
Before, the deletion removed an account's agency and then waited for the permission set row
while an assignment held that row and waited for the agency (deadlock, 500), or the deletion
cascaded away an assignment it had not seen, leaving its agency behind; and a provisioning
that had read the permission set before its deletion failed on the foreign key (500)."""

from __future__ import annotations

from concurrent.futures import ThreadPoolExecutor

from huaweicloudsdkcore.exceptions.exceptions import ServerResponseException
from huaweicloudsdkidentitycenter.v1 import model as ic
from sqlalchemy import func, select

from idplane.iam.agencies.tables import Agency
from idplane.identitycenter.assignments.tables import AccountAssignment
from idplane.identitycenter.permission_sets.agencies import agency_name
from idplane.identitycenter.permission_sets.tables import PermissionSet, Provisioning
from tests.identitycenter.access.support import (
    assign,
    create_permission_set,
    ic_client,
    outcome,
    unassign,
)

ROUNDS = 12


def _outcome(call) -> object:
    """`outcome`, and a 5xx as a status too (so the assertion lists every one)."""
    try:
        return outcome(call)
    except ServerResponseException as error:
        return (error.status_code, error.error_code)


def _provision(client, org, ps: str, account: str) -> None:
    body = ic.ProvisionPermissionSetReqBody(target_type="ACCOUNT", target_id=account)
    client.provision_permission_set(
        ic.ProvisionPermissionSetRequest(
            instance_id=org.instance_id, permission_set_id=ps, body=body
        )
    )


def _delete(client, org, ps: str) -> None:
    client.delete_permission_set(
        ic.DeletePermissionSetRequest(instance_id=org.instance_id, permission_set_id=ps)
    )


def _count(server, model, *where) -> int:
    with server.core.store.read() as session:
        return session.scalar(select(func.count()).select_from(model).where(*where)) or 0


def test_deleting_a_permission_set_while_assigning_and_provisioning_it_never_fails(
    server, org
) -> None:
    accounts = [account.account_id for account in org.accounts]
    rounds = []
    for _ in range(ROUNDS):
        made = create_permission_set(org.ic(), org.instance_id)
        ps, name = made.permission_set_id, made.name
        user, leaver = org.user(), org.user()
        for account in accounts:
            _provision(org.ic(), org, ps, account)  # provisioned, agency made, not assigned
        assign(org.ic(), org.instance_id, ps, "USER", leaver, accounts[0])
        rounds.append((ps, name, user, leaver))

    def work(job):
        kind, (ps, _name, user, leaver), account = job
        client = ic_client(server, org.management)
        if kind == "delete":
            return _outcome(lambda: _delete(client, org, ps))
        if kind == "assign":
            return _outcome(lambda: assign(client, org.instance_id, ps, "USER", user, account))
        if kind == "unassign":
            return _outcome(
                lambda: unassign(client, org.instance_id, ps, "USER", leaver, accounts[0])
            )
        return _outcome(lambda: _provision(client, org, ps, account))

    jobs = []
    for each in rounds:
        jobs.append(("unassign", each, accounts[0]))
        for account in accounts:
            jobs.append(("assign", each, account))
            jobs.append(("provision", each, account))
        jobs.append(("delete", each, None))
    with ThreadPoolExecutor(max_workers=8) as pool:
        outcomes = list(pool.map(work, jobs))
    # 404: the permission set was gone; 409: it was still assigned when the deletion ran.
    assert {o if isinstance(o, str) else o[0] for o in outcomes} <= {"ok", 404, 409}, outcomes
    for ps, name, _user, _leaver in rounds:
        if _count(server, PermissionSet, PermissionSet.id == ps):
            continue  # the deletion came after an assignment: 409, and everything stays
        assert _count(server, AccountAssignment, AccountAssignment.permission_set_id == ps) == 0
        assert _count(server, Provisioning, Provisioning.permission_set_id == ps) == 0
        for account in accounts:  # no agency left behind in any account
            assert (
                _count(
                    server, Agency, Agency.account_id == account, Agency.name == agency_name(name)
                )
                == 0
            )
