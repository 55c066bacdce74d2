"""Changing an application instance through the official SDK: display data, status and the
four SAML settings; each change is read back, and bad settings are a 400 that changes nothing."""

from __future__ import annotations

import pytest
from huaweicloudsdkidentitycenter.v1 import model as ic

from tests.identitycenter.applications.support import (
    EMAIL,
    POST,
    Recorder,
    center,
    create_instance,
    error_of,
    get_instance,
)

BASIC = "urn:oasis:names:tc:SAML:2.0:attrname-format:basic"


def _ids(org, app):
    return {"instance_id": org.instance_id, "application_instance_id": app}


def set_service_provider(org, app, config, client=None):
    request = ic.UpdateApplicationInstanceServiceProviderConfigurationRequest(
        **_ids(org, app),
        body=ic.UpdateApplicationInstanceServiceProviderConfigurationReqBody(
            service_provider_config=config
        ),
    )
    return (client or org.client()).update_application_instance_service_provider_configuration(
        request
    )


def provider_config(**overrides):
    fields = {
        "audience": "https://sp.example.com/saml",
        "require_request_signature": False,
        "consumers": [
            ic.ConsumersDto(binding=POST, default_value=True, location="https://sp.example.com/acs")
        ],
        "start_url": "https://sp.example.com/start",
    }
    fields.update(overrides)
    return ic.ServiceProviderConfigDto(**fields)


def set_response(org, app, config):
    request = ic.UpdateApplicationInstanceResponseConfigurationRequest(
        **_ids(org, app),
        body=ic.UpdateApplicationInstanceResponseConfigurationReqBody(response_config=config),
    )
    return org.client().update_application_instance_response_configuration(request)


def set_schema(org, app, config):
    request = ic.UpdateApplicationInstanceResponseSchemaConfigurationRequest(
        **_ids(org, app),
        body=ic.UpdateApplicationInstanceResponseSchemaConfigurationReqBody(
            response_schema_config=config
        ),
    )
    return org.client().update_application_instance_response_schema_configuration(request)


def set_security(org, app, ttl):
    request = ic.UpdateApplicationInstanceSecurityConfigurationRequest(
        **_ids(org, app),
        body=ic.UpdateApplicationInstanceSecurityConfigurationReqBody(
            security_config=ic.SecurityConfigDto(ttl=ttl)
        ),
    )
    return org.client().update_application_instance_security_configuration(request)


def set_status(org, app, status):
    request = ic.UpdateApplicationInstanceStatusRequest(
        **_ids(org, app), body=ic.UpdateApplicationInstanceStatusReqBody(status=status)
    )
    return org.client().update_application_instance_status(request)


def test_display_data_is_changed(org):
    app = create_instance(org).application_instance_id
    body = ic.UpdateApplicationInstanceDisplayDataReqBody(
        description="Our wiki", display_name="Wiki"
    )
    recorder = Recorder()
    client = center(org.server, org.management, recorder)
    client.update_application_instance_display_data(
        ic.UpdateApplicationInstanceDisplayDataRequest(**_ids(org, app), body=body)
    )
    assert (recorder.last.status_code, recorder.last.content) == (200, b"")
    display = get_instance(org, app).display
    assert (display.display_name, display.description) == ("Wiki", "Our wiki")


def test_status_is_enabled_and_disabled(org):
    app = create_instance(org).application_instance_id
    set_status(org, app, "ENABLED")
    assert get_instance(org, app).status == "ENABLED"
    set_status(org, app, "DISABLED")
    assert get_instance(org, app).status == "DISABLED"


@pytest.mark.parametrize("status", ["CREATED", "enabled", "ON"])
def test_an_unknown_status_is_a_400(org, status):
    app = create_instance(org).application_instance_id
    error = error_of(lambda: set_status(org, app, status))
    assert (error.status_code, error.error_code) == (400, "IIC.400")
    assert get_instance(org, app).status == "CREATED"


def test_the_service_provider_configuration_is_replaced(org):
    app = create_instance(org).application_instance_id
    set_service_provider(org, app, provider_config(require_request_signature=True))
    config = get_instance(org, app).service_provider_config
    assert config.audience == "https://sp.example.com/saml"
    assert config.require_request_signature is True
    assert [(c.binding, c.default_value, c.location) for c in config.consumers] == [
        (POST, True, "https://sp.example.com/acs")
    ]
    assert config.start_url == "https://sp.example.com/start"


@pytest.mark.parametrize(
    "overrides, field",
    [
        ({"audience": " "}, "audience"),
        ({"consumers": []}, "consumers"),
        (
            {
                "consumers": [
                    ic.ConsumersDto(binding="urn:x", default_value=True, location="https://a/acs")
                ]
            },
            "binding",
        ),
        (
            {
                "consumers": [
                    ic.ConsumersDto(binding=POST, default_value=True, location="/relative")
                ]
            },
            "location",
        ),
        (
            {
                "consumers": [
                    ic.ConsumersDto(binding=POST, default_value=False, location="https://a/acs")
                ]
            },
            "default_value",
        ),
        ({"start_url": "ftp://files"}, "start_url"),
    ],
)
def test_a_bad_service_provider_configuration_is_a_400_and_changes_nothing(org, overrides, field):
    app = create_instance(org).application_instance_id
    before = get_instance(org, app).service_provider_config.to_dict()
    error = error_of(lambda: set_service_provider(org, app, provider_config(**overrides)))
    assert (error.status_code, error.error_code) == (400, "IIC.400")
    assert field in error.error_msg
    assert get_instance(org, app).service_provider_config.to_dict() == before


def test_the_response_configuration_is_replaced(org):
    app = create_instance(org).application_instance_id
    config = ic.ResponseConfigDto(
        properties={"email": ic.ResponseSourceDetailsDto(source=["${user:email}"])},
        subject=ic.ResponseSourceDetailsDto(source=["${user:name}"]),
        relay_state="https://sp.example.com/home",
        ttl="PT8H",
    )
    set_response(org, app, config)
    stored = get_instance(org, app).response_config
    assert stored.properties["email"].source == ["${user:email}"]
    assert stored.subject.source == ["${user:name}"]
    assert (stored.relay_state, stored.ttl) == ("https://sp.example.com/home", "PT8H")


@pytest.mark.parametrize(
    "ttl, source",
    [
        ("PT1H", "${user:password}"),
        ("PT1H", "${group:name}"),
        ("PT5M", "${user:email}"),
        ("P1D", "${user:email}"),
        ("1h", "${user:email}"),
    ],
)
def test_a_bad_response_configuration_is_a_400(org, ttl, source):
    app = create_instance(org).application_instance_id
    config = ic.ResponseConfigDto(subject=ic.ResponseSourceDetailsDto(source=[source]), ttl=ttl)
    error = error_of(lambda: set_response(org, app, config))
    assert (error.status_code, error.error_code) == (400, "IIC.400")
    assert get_instance(org, app).response_config.ttl == "PT1H"


def test_the_response_schema_configuration_is_replaced(org):
    app = create_instance(org).application_instance_id
    config = ic.ResponseSchemaConfigDto(
        properties={
            "email": ic.ResponseSchemaPropertiesDetailsDto(attr_name_format=BASIC, include="YES")
        },
        subject=ic.ResponseSchemaSubjectDetailsDto(name_id_format=EMAIL, include="REQUIRED"),
        supported_name_id_formats=[],
    )
    set_schema(org, app, config)
    stored = get_instance(org, app).response_schema_config
    assert stored.subject.name_id_format == EMAIL
    assert stored.properties["email"].attr_name_format == BASIC


@pytest.mark.parametrize(
    "name_id_format, attr_format, supported",
    [
        ("email", BASIC, []),
        (EMAIL, "basic", []),
        (EMAIL, BASIC, ["urn:oasis:names:tc:SAML:2.0:nameid-format:persistent"]),
    ],
)
def test_a_bad_response_schema_configuration_is_a_400(org, name_id_format, attr_format, supported):
    app = create_instance(org).application_instance_id
    config = ic.ResponseSchemaConfigDto(
        properties={
            "email": ic.ResponseSchemaPropertiesDetailsDto(
                attr_name_format=attr_format, include="YES"
            )
        },
        subject=ic.ResponseSchemaSubjectDetailsDto(
            name_id_format=name_id_format, include="REQUIRED"
        ),
        supported_name_id_formats=supported,
    )
    error = error_of(lambda: set_schema(org, app, config))
    assert (error.status_code, error.error_code) == (400, "IIC.400")


def test_the_certificate_lifetime_is_changed_and_new_certificates_follow_it(org):
    app = create_instance(org).application_instance_id
    set_security(org, app, "P9M")
    assert get_instance(org, app).security_config.ttl == "P9M"
    request = ic.CreateApplicationInstanceCertificateRequest(**_ids(org, app))
    made = (
        org.client()
        .create_application_instance_certificate(request)
        .application_instance_certificate
    )
    days = (made.expiry_date - made.issue_date) / 86_400_000
    assert 272 <= days <= 276


@pytest.mark.parametrize("ttl", ["", "9M", "P0D", "P11Y", "PT1H"])
def test_a_bad_certificate_lifetime_is_a_400(org, ttl):
    app = create_instance(org).application_instance_id
    error = error_of(lambda: set_security(org, app, ttl))
    assert (error.status_code, error.error_code) == (400, "IIC.400")
    assert get_instance(org, app).security_config.ttl == "P5Y"
