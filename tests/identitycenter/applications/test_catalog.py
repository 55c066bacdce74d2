"""The application catalog through the official SDK: providers, catalog applications and their
templates, read from the data files; paged by `limit`/`marker`; admins only."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from huaweicloudsdkidentitycenter.v1 import model as ic

from idplane.identitycenter.applications.catalog.service import DATA
from tests.identitycenter.applications.support import (
    CUSTOM_SAML_APP,
    create_instance,
    error_of,
    outcome,
)
from tests.org_personas import create_member

ENTRIES = [json.loads(Path(p).read_text()) for p in sorted(DATA.glob("*.json"))]


def test_the_providers_are_those_of_the_data_files(org):
    response = org.client().list_application_providers(ic.ListApplicationProvidersRequest())
    by_id = {p.application_provider_id: p for p in response.application_providers}
    assert set(by_id) == {e["provider"]["application_provider_id"] for e in ENTRIES}
    custom = by_id["custom-saml"]
    assert custom.application_provider_urn == "IdentityCenter:::applicationProvider:custom-saml"
    assert custom.display_data.display_name == "Custom SAML 2.0 application"
    assert custom.federation_protocol == "SAML"
    assert response.page_info.next_marker is None


def test_describing_a_provider(org):
    request = ic.DescribeApplicationProviderRequest(application_provider_id="slack")
    provider = org.client().describe_application_provider(request)
    assert provider.application_provider_id == "slack"
    assert provider.application_provider_urn == "IdentityCenter:::applicationProvider:slack"
    assert provider.display_data.display_name == "Slack"


def test_an_unknown_provider_is_a_404(org):
    request = ic.DescribeApplicationProviderRequest(application_provider_id="no-such-provider")
    error = error_of(lambda: org.client().describe_application_provider(request))
    assert (error.status_code, error.error_code) == (404, "IIC.404")


def test_the_catalog_lists_every_application_with_its_display_data(org):
    response = org.client().list_catalog_applications(ic.ListCatalogApplicationsRequest())
    listed = {a.application_id: a for a in response.applications}
    assert set(listed) == {e["application"]["application_id"] for e in ENTRIES}
    custom = listed[CUSTOM_SAML_APP]
    assert custom.display.display_name == "Custom SAML 2.0 application"
    assert custom.display.description


def test_catalog_lists_are_paged(org):
    client = org.client()
    seen, marker = [], None
    while True:
        response = client.list_catalog_applications(
            ic.ListCatalogApplicationsRequest(limit=2, marker=marker)
        )
        assert len(response.applications) <= 2
        assert response.page_info.current_count == len(response.applications)
        seen += [a.application_id for a in response.applications]
        marker = response.page_info.next_marker
        if not marker:
            break
    assert len(seen) == len(ENTRIES) == len(set(seen))
    providers = client.list_application_providers(ic.ListApplicationProvidersRequest(limit=1))
    assert len(providers.application_providers) == 1
    assert len(providers.page_info.next_marker) == 24


@pytest.mark.parametrize("limit, marker", [(0, None), (101, None), (10, "not-a-marker")])
def test_bad_paging_parameters_are_a_400(org, limit, marker):
    request = ic.ListCatalogApplicationsRequest(limit=limit, marker=marker)
    error = error_of(lambda: org.client().list_catalog_applications(request))
    assert (error.status_code, error.error_code) == (400, "IIC.400")


def test_the_templates_of_an_application_carry_its_default_settings(org):
    request = ic.ListApplicationTemplatesRequest(application_id="app-b4f1e07a96d3c258")
    [template] = org.client().list_application_templates(request).application_templates
    assert template.template_id == "tpl-7e5c14a9b06f2d83"
    assert template.sso_protocol == "SAML"
    assert template.application.application_id == "app-b4f1e07a96d3c258"
    assert template.service_provider_config.audience == "https://slack.com"
    assert template.service_provider_config.consumers[0].binding.endswith("HTTP-POST")
    assert template.response_config.properties["User.Email"].source == ["${user:email}"]
    assert template.response_schema_config.subject.include == "REQUIRED"


def test_every_template_makes_an_application_instance(org):
    for entry in ENTRIES:
        for raw in entry["templates"]:
            made = create_instance(org, raw["template_id"])
            assert made.template.template_id == raw["template_id"]
            assert (
                made.template.application.application_id == entry["application"]["application_id"]
            )


@pytest.mark.parametrize(
    "application_id, status", [("app-0000000000000000", 404), ("tpl-1", 400), ("x", 400)]
)
def test_templates_of_an_unknown_or_malformed_application(org, application_id, status):
    request = ic.ListApplicationTemplatesRequest(application_id=application_id)
    error = error_of(lambda: org.client().list_application_templates(request))
    assert error.status_code == status


def test_the_catalog_is_for_admins_only(server, org):
    member = create_member(server, org.management)
    for creds, expected in (
        (org.delegate, "ok"),
        (member, (403, "IIC.1215")),
        (server.new_account(), (403, "IIC.1215")),
    ):
        client = org.client(creds)
        assert (
            outcome(
                lambda c=client: c.list_catalog_applications(ic.ListCatalogApplicationsRequest())
            )
            == expected
        )
        assert (
            outcome(
                lambda c=client: c.list_application_providers(ic.ListApplicationProvidersRequest())
            )
            == expected
        )
