"""Instance settings through the official SDK: access-control attributes (create, describe,
update, delete), SSO configuration, MFA device management and the HA choice, with their
defaults and enum checks."""

from __future__ import annotations

import pytest
from huaweicloudsdkidentitycenter.v1 import model as ic

from tests.identitycenter.access.support import failure, new_org
from tests.identitystore.provisioning.support import another_store


@pytest.fixture
def fresh(server):
    return new_org(server)


def _attributes(pairs: dict[str, str]) -> ic.InstanceAccessControlAttributeConfigurationDto:
    return ic.InstanceAccessControlAttributeConfigurationDto(
        access_control_attributes=[
            ic.AccessControlAttributeDto(key=k, value=ic.AccessControlAttributeValueDto(source=[v]))
            for k, v in pairs.items()
        ]
    )


def _create_abac(client, org, pairs):
    body = ic.CreateInstanceAccessControlAttributeConfigurationReqBody(
        instance_access_control_attribute_configuration=_attributes(pairs)
    )
    return client.create_instance_access_control_attribute_configuration(
        ic.CreateInstanceAccessControlAttributeConfigurationRequest(
            instance_id=org.instance_id, body=body
        )
    )


def _update_abac(client, org, pairs):
    body = ic.UpdateInstanceAccessControlAttributeConfigurationReqBody(
        instance_access_control_attribute_configuration=_attributes(pairs)
    )
    return client.update_instance_access_control_attribute_configuration(
        ic.UpdateInstanceAccessControlAttributeConfigurationRequest(
            instance_id=org.instance_id, body=body
        )
    )


def _describe_abac(client, org) -> tuple[dict, str]:
    response = client.describe_instance_access_control_attribute_configuration(
        ic.DescribeInstanceAccessControlAttributeConfigurationRequest(instance_id=org.instance_id)
    )
    attributes = response.instance_access_control_attribute_configuration.access_control_attributes
    return {a.key: a.value.source[0] for a in attributes}, response.status


def _delete_abac(client, org):
    return client.delete_instance_access_control_attribute_configuration(
        ic.DeleteInstanceAccessControlAttributeConfigurationRequest(instance_id=org.instance_id)
    )


def test_access_control_attributes_live_from_create_to_delete(server, fresh) -> None:
    client = fresh.ic()
    assert failure(lambda: _describe_abac(client, fresh)) == (404, "IIC.404")
    _create_abac(client, fresh, {"department": "${path:enterprise.department}"})
    assert _describe_abac(client, fresh) == (
        {"department": "${path:enterprise.department}"},
        "ENABLED",
    )
    assert failure(lambda: _create_abac(client, fresh, {"x": "y"})) == (409, "IIC.1257")
    _update_abac(client, fresh, {"team": "${path:title}", "cost": "${path:enterprise.cost_center}"})
    assert _describe_abac(client, fresh)[0] == {
        "team": "${path:title}",
        "cost": "${path:enterprise.cost_center}",
    }
    _delete_abac(client, fresh)
    assert failure(lambda: _describe_abac(client, fresh)) == (404, "IIC.404")
    assert failure(lambda: _update_abac(client, fresh, {"a": "b"})) == (404, "IIC.404")
    assert failure(lambda: _delete_abac(client, fresh)) == (404, "IIC.404")


def test_bad_access_control_attributes_are_a_400(server, fresh) -> None:
    client = fresh.ic()
    too_many = {f"k{n}": "v" for n in range(21)}
    assert failure(lambda: _create_abac(client, fresh, too_many)) == (400, "IIC.400")
    assert failure(lambda: _create_abac(client, fresh, {})) == (400, "IIC.400")
    assert failure(lambda: _create_abac(client, fresh, {"bad|key": "v"})) == (400, "IIC.400")
    assert failure(lambda: _create_abac(client, fresh, {"k": "v" * 257})) == (400, "IIC.400")


def _sso(client, org) -> ic.SSOConfigurationDto:
    return client.get_sso_configuration(
        ic.GetSsoConfigurationRequest(instance_id=org.instance_id)
    ).sso_configuration


def _update_sso(client, org, configuration_type="APP_AUTHENTICATION_CONFIGURATION", **fields):
    body = ic.UpdateSsoConfigurationReqBody(
        sso_configuration=ic.SSOConfigurationDto(**fields), configuration_type=configuration_type
    )
    return client.update_sso_configuration(
        ic.UpdateSsoConfigurationRequest(instance_id=org.instance_id, body=body)
    )


def test_the_sso_configuration_has_defaults_and_keeps_what_is_not_changed(server, fresh) -> None:
    client = fresh.ic()
    default = _sso(client, fresh)
    assert (default.mfa_mode, default.no_mfa_signin_behavior) == ("ALWAYS_ON", "ALLOWED")
    assert (default.no_password_signin_behavior, default.allowed_mfa_types) == ("BLOCKED", ["TOTP"])
    assert default.session_configuration.max_authentication_age == "PT8H"
    _update_sso(client, fresh, mfa_mode="CONTEXT_AWARE", allowed_mfa_types=["TOTP", "WEBAUTHN"])
    session = ic.SessionConfigurationDto(max_authentication_age="PT12H")
    _update_sso(client, fresh, "SESSION", session_configuration=session)
    now = _sso(client, fresh)
    assert (now.mfa_mode, now.allowed_mfa_types) == ("CONTEXT_AWARE", ["TOTP", "WEBAUTHN"])
    assert now.session_configuration.max_authentication_age == "PT12H"
    assert now.no_password_signin_behavior == "BLOCKED"


@pytest.mark.parametrize(
    ("configuration_type", "fields"),
    [
        ("APP_AUTHENTICATION_CONFIGURATION", {"mfa_mode": "SOMETIMES"}),
        ("APP_AUTHENTICATION_CONFIGURATION", {"allowed_mfa_types": ["SMS"]}),
        ("APP_AUTHENTICATION_CONFIGURATION", {"allowed_mfa_types": []}),
        ("APP_AUTHENTICATION_CONFIGURATION", {"no_mfa_signin_behavior": "MAYBE"}),
        ("APP_AUTHENTICATION_CONFIGURATION", {"no_password_signin_behavior": "ALLOWED"}),
        ("SESSION", {}),
        ("SESSION", {"session_configuration": ic.SessionConfigurationDto("PT1M")}),
        ("SESSION", {"session_configuration": ic.SessionConfigurationDto("eight hours")}),
        ("EVERYTHING", {"mfa_mode": "DISABLED"}),
    ],
)
def test_bad_sso_configurations_are_a_400(server, org, configuration_type, fields) -> None:
    call = lambda: _update_sso(org.ic(), org, configuration_type, **fields)  # noqa: E731
    assert failure(call) == (400, "IIC.400")


def test_mfa_device_management_is_read_and_put_for_the_instances_store(server, fresh) -> None:
    client = fresh.ic()

    def current():
        return client.get_mfa_device_management_for_identity_store(
            ic.GetMfaDeviceManagementForIdentityStoreRequest(instance_id=fresh.instance_id)
        )

    def put(store_id, permission):
        body = ic.PutMfaDeviceManagementForDirectoryReqBody(
            identity_store_id=store_id, user_permission=permission
        )
        return client.put_mfa_device_management_for_identity_store(
            ic.PutMfaDeviceManagementForIdentityStoreRequest(
                instance_id=fresh.instance_id, body=body
            )
        )

    assert (current().identity_store_id, current().user_permission) == (
        fresh.identity_store_id,
        "ALL_ACTIONS",
    )
    put(fresh.identity_store_id, "READ_ACTIONS")
    assert current().user_permission == "READ_ACTIONS"
    assert failure(lambda: put(fresh.identity_store_id, "NO_ACTIONS")) == (400, "IIC.400")
    _other, other_store = another_store(server)
    assert failure(lambda: put(other_store, "ALL_ACTIONS")) == (400, "IIC.400")
    assert current().user_permission == "READ_ACTIONS"


def test_the_ha_choice_defaults_to_reject_and_is_updated(server, fresh) -> None:
    client = fresh.ic()

    def choice():
        return client.get_ha_configuration(
            ic.GetHaConfigurationRequest(instance_id=fresh.instance_id)
        ).disaster_recovery_choice

    def update(value):
        body = ic.UpdateHAConfigurationReqBody(disaster_recovery_choice=value)
        return client.update_ha_configuration(
            ic.UpdateHaConfigurationRequest(instance_id=fresh.instance_id, body=body)
        )

    assert choice() == "REJECT"
    update("ACCEPT")
    assert choice() == "ACCEPT"
    assert failure(lambda: update("MAYBE")) == (400, "IIC.400")
    assert choice() == "ACCEPT"


def test_settings_are_the_administrators_alone(server, org) -> None:
    member = org.ic(org.accounts[0])
    request = ic.GetHaConfigurationRequest(instance_id=org.instance_id)
    assert failure(lambda: member.get_ha_configuration(request)) == (403, "IIC.1215")
    assert org.ic(org.delegate).get_ha_configuration(request).disaster_recovery_choice
