"""Importing a service provider's SAML metadata through the official SDK
(`import_application_instance_service_provider_metadata`): it fills the service provider
configuration; anything that is not safe, well-formed SP metadata is a 400 that changes nothing."""

from __future__ import annotations

import pytest
from huaweicloudsdkidentitycenter.v1 import model as ic

from tests.federation.saml_samples import BILLION_LAUGHS, idp_metadata
from tests.identitycenter.applications.saml_samples import (
    ARTIFACT,
    EMAIL,
    PERSISTENT,
    POST,
    XXE,
    acs,
    sp_metadata,
)
from tests.identitycenter.applications.support import (
    Recorder,
    center,
    create_instance,
    error_of,
    get_instance,
)


def import_metadata(org, app, document, client=None):
    request = ic.ImportApplicationInstanceServiceProviderMetadataRequest(
        instance_id=org.instance_id,
        application_instance_id=app,
        body=ic.ImportApplicationInstanceServiceProviderMetadataReqBody(metadata=document),
    )
    return (client or org.client()).import_application_instance_service_provider_metadata(request)


def test_metadata_fills_the_service_provider_configuration(org):
    app = create_instance(org).application_instance_id
    recorder = Recorder()
    import_metadata(org, app, sp_metadata(), client=center(org.server, org.management, recorder))
    assert (recorder.last.status_code, recorder.last.content) == (200, b"")
    made = get_instance(org, app)
    config = made.service_provider_config
    assert config.audience == "https://sp.example.org/shibboleth"
    assert config.require_request_signature is True
    assert [(c.binding, c.location, c.default_value) for c in config.consumers] == [
        (ARTIFACT, "https://sp.example.org/Shibboleth.sso/SAML2/Artifact", False),
        (POST, "https://sp.example.org/Shibboleth.sso/SAML2/POST", True),
    ]
    schema = made.response_schema_config
    assert schema.supported_name_id_formats == [PERSISTENT, EMAIL]
    assert schema.subject.name_id_format == PERSISTENT  # the template's was not supported


def test_without_is_default_the_lowest_index_is_the_default(org):
    services = acs("https://b.example.org/acs", extra='index="5"') + acs(
        "https://a.example.org/acs", extra='index="3"'
    )
    app = create_instance(org).application_instance_id
    import_metadata(org, app, sp_metadata(services=services, signed="false", name_id_formats=()))
    config = get_instance(org, app).service_provider_config
    assert [c.location for c in config.consumers if c.default_value] == [
        "https://a.example.org/acs"
    ]
    assert config.require_request_signature is False


@pytest.mark.parametrize(
    "document, problem",
    [
        ("<md:EntityDescriptor", "well-formed"),
        ("   ", "empty"),
        (XXE, "DTD"),
        (BILLION_LAUGHS, "DTD"),
        (idp_metadata(), "SPSSODescriptor"),
        (sp_metadata(services=""), "AssertionConsumerService"),
        (sp_metadata(entity_id=""), "entityID"),
        (sp_metadata(cert="bm90IGEgY2VydGlmaWNhdGU="), "certificate"),
        (sp_metadata(services=acs(None)), "Location"),
        (sp_metadata(services=acs("/acs")), "location"),
        (sp_metadata(services=acs("https://a/acs", binding="urn:x")), "binding"),
        ('<?xml version="1.0"?><root/>', "EntityDescriptor"),
        (sp_metadata() + " " * (520 * 1024), "KiB"),
    ],
    # Fixed ids: the documents carry a certificate made per process (xdist workers must agree).
    ids=[
        "not-well-formed",
        "empty",
        "xxe",
        "billion-laughs",
        "idp-metadata",
        "no-acs",
        "no-entity-id",
        "bad-certificate",
        "acs-without-location",
        "relative-acs",
        "unknown-binding",
        "not-an-entity-descriptor",
        "too-large",
    ],
)
def test_bad_metadata_is_a_400_and_changes_nothing(org, document, problem):
    app = create_instance(org).application_instance_id
    before = get_instance(org, app).service_provider_config.to_dict()
    error = error_of(lambda: import_metadata(org, app, document))
    assert (error.status_code, error.error_code) == (400, "IIC.400")
    assert problem in error.error_msg
    assert get_instance(org, app).service_provider_config.to_dict() == before


def test_the_start_url_survives_an_import(org):
    app = create_instance(org).application_instance_id
    config = ic.ServiceProviderConfigDto(
        audience="https://old.example.org",
        consumers=[
            ic.ConsumersDto(
                binding=POST, default_value=True, location="https://old.example.org/acs"
            )
        ],
        start_url="https://old.example.org/start",
    )
    org.client().update_application_instance_service_provider_configuration(
        ic.UpdateApplicationInstanceServiceProviderConfigurationRequest(
            instance_id=org.instance_id,
            application_instance_id=app,
            body=ic.UpdateApplicationInstanceServiceProviderConfigurationReqBody(
                service_provider_config=config
            ),
        )
    )
    import_metadata(org, app, sp_metadata())
    config = get_instance(org, app).service_provider_config
    assert (config.audience, config.start_url) == (
        "https://sp.example.org/shibboleth",
        "https://old.example.org/start",
    )
