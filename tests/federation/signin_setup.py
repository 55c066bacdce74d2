"""Configuring an account for federated sign-in through the official Huawei IAM SDK, as a
customer does: an enabled identity provider, an IAM group, a mapping and a protocol."""

from __future__ import annotations

from huaweicloudsdkiam.v3 import model as m


def create_group(client, name: str) -> str:
    body = m.KeystoneCreateGroupRequestBody(group=m.KeystoneCreateGroupOption(name=name))
    return client.keystone_create_group(m.KeystoneCreateGroupRequest(body=body)).group.id


def configure_provider(client, idp_id: str, protocol_id: str, rules: list) -> None:
    option = m.IdentityproviderOption(enabled=True, description=f"{protocol_id} sign-in")
    client.keystone_create_identity_provider(
        m.KeystoneCreateIdentityProviderRequest(
            id=idp_id, body=m.KeystoneCreateIdentityProviderRequestBody(identity_provider=option)
        )
    )
    mapping_id = f"mapping_{idp_id}"
    client.keystone_create_mapping(
        m.KeystoneCreateMappingRequest(
            id=mapping_id,
            body=m.KeystoneCreateMappingRequestBody(mapping=m.MappingOption(rules=rules)),
        )
    )
    client.keystone_create_protocol(
        m.KeystoneCreateProtocolRequest(
            idp_id=idp_id,
            protocol_id=protocol_id,
            body=m.KeystoneCreateProtocolRequestBody(
                protocol=m.ProtocolOption(mapping_id=mapping_id)
            ),
        )
    )


def delete_provider(client, idp_id: str) -> int:
    request = m.KeystoneDeleteIdentityProviderRequest(id=idp_id)
    return client.keystone_delete_identity_provider(request).status_code


def list_users(client) -> list[str]:
    return [u.name for u in client.keystone_list_users(m.KeystoneListUsersRequest()).users]
