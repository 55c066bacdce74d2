"""Application instances through the official SDK: created from a template with its Default
profile and an active signing certificate, read, listed (paged), deleted."""

from __future__ import annotations

import secrets

import pytest
from cryptography import x509
from huaweicloudsdkidentitycenter.v1 import model as ic

from tests.identitycenter.applications.support import (
    CUSTOM_SAML_TEMPLATE,
    SLACK_TEMPLATE,
    Recorder,
    center,
    create_instance,
    delete_instance,
    error_of,
    get_instance,
    profiles,
    unique,
)


def test_creating_an_instance_answers_201_with_the_instance(org):
    recorder = Recorder()
    name = unique()
    made = create_instance(
        org, SLACK_TEMPLATE, name, client=center(org.server, org.management, recorder)
    )
    assert recorder.last.status_code == 201
    assert made.application_instance_id.startswith("app-ins-")
    assert len(made.application_instance_id) == 24
    assert made.name == name
    assert made.status == "CREATED"
    assert made.visible and made.end_user_visible
    assert made.managed_account == org.management.account_id
    assert made.display.display_name == "Slack"
    assert made.template.template_id == SLACK_TEMPLATE
    assert made.service_provider_config.audience == "https://slack.com"
    assert made.security_config.ttl == "P5Y"
    assert made.identity_provider_config.issuer_url.endswith(made.application_instance_id)
    assert made.identity_provider_config.metadata_url.startswith(org.server.url)


def test_a_new_instance_has_an_active_certificate_it_can_sign_with(org):
    made = create_instance(org)
    active = made.active_certificate
    assert (active.status, active.algorithm, active.key_size) == ("ACTIVE", "SHA256withRSA", "2048")
    certificate = x509.load_pem_x509_certificate(active.certificate.encode())
    assert made.application_instance_id in certificate.subject.rfc4514_string()
    assert active.issue_date < active.expiry_date
    assert abs(certificate.not_valid_after_utc.timestamp() * 1000 - active.expiry_date) < 1000
    assert "PRIVATE KEY" not in active.certificate


def test_a_new_instance_has_its_default_profile(org):
    made = create_instance(org)
    [profile] = profiles(org, made.application_instance_id)
    assert (profile.name, profile.status) == ("Default", "ENABLED")
    assert profile.profile_id.startswith("p-")


def test_getting_an_instance_answers_what_creating_it_did(org):
    made = create_instance(org)
    assert get_instance(org, made.application_instance_id).to_dict() == made.to_dict()


def test_listing_instances_pages_through_every_one(org):
    made = {create_instance(org).application_instance_id for _ in range(3)}
    client, seen, marker = org.client(), [], None
    while True:
        request = ic.ListApplicationInstancesRequest(
            instance_id=org.instance_id, limit=2, marker=marker
        )
        response = client.list_application_instances(request)
        assert len(response.application_instances) <= 2
        seen += [a.application_instance_id for a in response.application_instances]
        marker = response.page_info.next_marker
        if not marker:
            break
    assert made <= set(seen)
    assert len(seen) == len(set(seen))


def test_names_are_unique_per_instance(org):
    name = unique()
    create_instance(org, name=name)
    error = error_of(lambda: create_instance(org, name=name))
    assert (error.status_code, error.error_code) == (409, "IIC.1257")


def test_an_unknown_template_is_a_404(org):
    error = error_of(lambda: create_instance(org, template_id="tpl-0000000000000000"))
    assert (error.status_code, error.error_code) == (404, "IIC.404")


@pytest.mark.parametrize("name", ["", "x" * 256, "bad\x00name"])
def test_a_bad_name_is_a_400(org, name):
    body = ic.CreateApplicationInstanceReqBody(name=name, template_id=CUSTOM_SAML_TEMPLATE)
    request = ic.CreateApplicationInstanceRequest(instance_id=org.instance_id, body=body)
    error = error_of(lambda: org.client().create_application_instance(request))
    assert (error.status_code, error.error_code) == (400, "IIC.400")


def test_deleting_an_instance_answers_200_and_it_is_gone(org):
    made = create_instance(org).application_instance_id
    recorder = Recorder()
    assert (
        delete_instance(org, made, client=center(org.server, org.management, recorder)).status_code
        == 200
    )
    assert recorder.last.content == b""
    error = error_of(lambda: get_instance(org, made))
    assert (error.status_code, error.error_code) == (404, "IIC.404")
    error = error_of(lambda: delete_instance(org, made))
    assert (error.status_code, error.error_code) == (404, "IIC.404")


def test_an_unknown_instance_is_a_404_and_a_malformed_id_a_400(org):
    error = error_of(lambda: get_instance(org, f"app-ins-{secrets.token_hex(8)}"))
    assert (error.status_code, error.error_code) == (404, "IIC.404")
    error = error_of(lambda: get_instance(org, "app-ins-NOTHEX"))
    assert (error.status_code, error.error_code) == (400, "IIC.400")


def test_an_unknown_identity_center_instance_is_a_404(org):
    request = ic.ListApplicationInstancesRequest(instance_id=f"ins-{secrets.token_hex(8)}")
    error = error_of(lambda: org.client().list_application_instances(request))
    assert (error.status_code, error.error_code) == (404, "IIC.404")
