"""Inviting existing accounts: the invitation lifecycle between two standalone accounts."""

from __future__ import annotations

import re

from huaweicloudsdkorganizations.v1 import model as org

from tests import clients
from tests.org_personas import create_organization
from tests.organizations.tree_support import enable_scps, error, root_id


def _invite(client, entity: str, type_: str = "account", tags=None) -> org.HandshakeDto:
    target = org.TargetDto(type=type_, entity=entity)
    body = org.InviteAccountReqBody(target=target, notes="join", tags=tags)
    return client.invite_account(org.InviteAccountRequest(body=body)).handshake


def _standalone_pair(server):
    inviter, invitee = server.new_account("inviter"), server.new_account("invitee")
    create_organization(server, inviter)
    return (
        clients.organizations(server.url, inviter),
        clients.organizations(server.url, invitee),
        inviter,
        invitee,
    )


def test_an_invited_account_accepts_and_becomes_a_member(server) -> None:
    manager, invited, inviter, invitee = _standalone_pair(server)
    handshake = _invite(manager, invitee.account_id, tags=[org.TagDto(key="team", value="a")])
    assert re.fullmatch(r"h-[a-z0-9]{32}", handshake.id)
    assert (handshake.status, handshake.management_account_id) == ("pending", inviter.account_id)
    received = invited.list_received_handshakes(org.ListReceivedHandshakesRequest()).handshakes
    assert [h.id for h in received] == [handshake.id]
    accepted = invited.accept_handshake(org.AcceptHandshakeRequest(handshake_id=handshake.id))
    assert accepted.handshake.status == "accepted"
    shown = manager.show_account(org.ShowAccountRequest(account_id=invitee.account_id)).account
    assert (shown.join_method, shown.status) == ("invited", "active")
    tags = manager.list_tags_for_resource(
        org.ListTagsForResourceRequest(resource_id=invitee.account_id)
    ).tags
    assert [(t.key, t.value) for t in tags] == [("team", "a")]
    request = org.ShowHandshakeRequest(handshake_id=handshake.id)
    assert manager.show_handshake(request).handshake.status == "accepted"
    raised = error(
        lambda: invited.accept_handshake(org.AcceptHandshakeRequest(handshake_id=handshake.id))
    )
    assert (raised.status_code, raised.error_code) == (400, "Organizations.1702")


def test_an_invitation_by_name_can_be_declined(server) -> None:
    manager, invited, _, invitee = _standalone_pair(server)
    handshake = _invite(manager, invitee.account_name, "name")
    declined = invited.decline_handshake(org.DeclineHandshakeRequest(handshake_id=handshake.id))
    assert declined.handshake.status == "declined"
    raised = error(
        lambda: manager.show_account(org.ShowAccountRequest(account_id=invitee.account_id))
    )
    assert raised.status_code == 404


def test_the_management_account_can_cancel_a_pending_invitation(server) -> None:
    manager, invited, _, invitee = _standalone_pair(server)
    handshake = _invite(manager, invitee.account_id)
    raised = error(lambda: _invite(manager, invitee.account_id))
    assert (raised.status_code, raised.error_code) == (409, "Organizations.1704")
    cancelled = manager.cancel_handshake(org.CancelHandshakeRequest(handshake_id=handshake.id))
    assert cancelled.handshake.status == "cancelled"
    listed = manager.list_handshakes(org.ListHandshakesRequest()).handshakes
    assert [(h.id, h.status) for h in listed] == [(handshake.id, "cancelled")]
    raised = error(
        lambda: invited.accept_handshake(org.AcceptHandshakeRequest(handshake_id=handshake.id))
    )
    assert raised.error_code == "Organizations.1702"


def test_only_the_invited_account_answers(server) -> None:
    manager, _, _, invitee = _standalone_pair(server)
    handshake = _invite(manager, invitee.account_id)
    stranger = clients.organizations(server.url, server.new_account("stranger"))
    raised = error(
        lambda: stranger.accept_handshake(org.AcceptHandshakeRequest(handshake_id=handshake.id))
    )
    assert (raised.status_code, raised.error_code) == (404, "Organizations.1701")


def test_an_account_in_an_organization_cannot_be_invited(server) -> None:
    manager, _, _, _ = _standalone_pair(server)
    other = server.new_account("taken")
    create_organization(server, other)
    raised = error(lambda: _invite(manager, other.account_id))
    assert (raised.status_code, raised.error_code) == (409, "Organizations.1101")
    raised = error(lambda: _invite(manager, "0" * 32))
    assert (raised.status_code, raised.error_code) == (404, "Organizations.1703")


def test_a_joining_account_gets_full_access_and_can_leave(server) -> None:
    manager, invited, _, invitee = _standalone_pair(server)
    enable_scps(manager, root_id(manager))
    handshake = _invite(manager, invitee.account_id)
    invited.accept_handshake(org.AcceptHandshakeRequest(handshake_id=handshake.id))
    attached = manager.list_policies(
        org.ListPoliciesRequest(attached_entity_id=invitee.account_id)
    ).policies
    assert [p.id for p in attached] == ["p-FullAccess"]
    invited.leave_organization(org.LeaveOrganizationRequest())
    raised = error(lambda: invited.show_organization(org.ShowOrganizationRequest()))
    assert (raised.status_code, raised.error_code) == (401, "Organizations.1015")
    raised = error(lambda: manager.leave_organization(org.LeaveOrganizationRequest()))
    assert (raised.status_code, raised.error_code) == (400, "Organizations.1304")
