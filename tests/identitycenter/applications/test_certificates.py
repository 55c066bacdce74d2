"""Signing certificates through the official SDK: list, create (INACTIVE), activate (the
previous one becomes INACTIVE), delete (never the active one), at most three."""

from __future__ import annotations

import uuid

import pytest
from cryptography import x509
from cryptography.hazmat.primitives.serialization import load_pem_private_key
from huaweicloudsdkidentitycenter.v1 import model as ic
from sqlalchemy import select, update

from idplane.identitycenter.applications.certificates.tables import ApplicationCertificate
from idplane.platform.clock import now
from tests.identitycenter.applications.support import (
    Recorder,
    activate,
    center,
    certificates,
    create_certificate,
    create_instance,
    delete_certificate,
    error_of,
    get_instance,
    statuses,
)


def test_a_new_certificate_answers_201_and_starts_inactive(org):
    made = create_instance(org)
    app = made.application_instance_id
    recorder = Recorder()
    certificate = create_certificate(org, app, client=center(org.server, org.management, recorder))
    assert recorder.last.status_code == 201
    assert certificate.status == "INACTIVE"
    x509.load_pem_x509_certificate(certificate.certificate.encode())
    assert statuses(org, app) == {
        made.active_certificate.certificate_id: "ACTIVE",
        certificate.certificate_id: "INACTIVE",
    }


def test_activating_a_certificate_deactivates_the_previous_one(org):
    made = create_instance(org)
    app = made.application_instance_id
    new = create_certificate(org, app)
    activated = activate(org, app, new.certificate_id)
    assert (activated.certificate_id, activated.status) == (new.certificate_id, "ACTIVE")
    assert statuses(org, app) == {
        made.active_certificate.certificate_id: "INACTIVE",
        new.certificate_id: "ACTIVE",
    }
    assert get_instance(org, app).active_certificate.certificate_id == new.certificate_id


def test_the_active_certificate_cannot_be_deleted(org):
    made = create_instance(org)
    app = made.application_instance_id
    error = error_of(lambda: delete_certificate(org, app, made.active_certificate.certificate_id))
    assert (error.status_code, error.error_code) == (409, "IIC.1007")
    assert statuses(org, app) == {made.active_certificate.certificate_id: "ACTIVE"}


def test_an_inactive_certificate_is_deleted(org):
    made = create_instance(org)
    app = made.application_instance_id
    old = made.active_certificate.certificate_id
    new = create_certificate(org, app).certificate_id
    activate(org, app, new)
    recorder = Recorder()
    assert (
        delete_certificate(
            org, app, old, client=center(org.server, org.management, recorder)
        ).status_code
        == 200
    )
    assert recorder.last.content == b""
    assert statuses(org, app) == {new: "ACTIVE"}


def test_an_application_holds_at_most_three_certificates(org):
    app = create_instance(org).application_instance_id
    create_certificate(org, app)
    create_certificate(org, app)
    error = error_of(lambda: create_certificate(org, app))
    assert (error.status_code, error.error_code) == (400, "IIC.400")
    assert len(statuses(org, app)) == 3


def test_certificates_are_paged(org):
    app = create_instance(org).application_instance_id
    create_certificate(org, app)
    first = certificates(org, app, limit=1)
    assert len(first.application_instance_certificates) == 1
    second = certificates(org, app, limit=1, marker=first.page_info.next_marker)
    assert len(second.application_instance_certificates) == 1
    assert second.page_info.next_marker is None
    ids = {
        first.application_instance_certificates[0].certificate_id,
        second.application_instance_certificates[0].certificate_id,
    }
    assert len(ids) == 2


def test_an_expired_certificate_cannot_be_activated(org):
    app = create_instance(org).application_instance_id
    new = create_certificate(org, app).certificate_id
    with org.server.core.store.transaction() as session:
        session.execute(
            update(ApplicationCertificate)
            .where(ApplicationCertificate.id == new)
            .values(expires_at=now())
        )
    error = error_of(lambda: activate(org, app, new))
    assert (error.status_code, error.error_code) == (400, "IIC.400")
    assert statuses(org, app)[new] == "INACTIVE"


def test_unknown_and_malformed_certificate_ids(org):
    made = create_instance(org)
    app = made.application_instance_id
    error = error_of(lambda: activate(org, app, str(uuid.uuid4())))
    assert (error.status_code, error.error_code) == (404, "IIC.404")
    error = error_of(lambda: delete_certificate(org, app, "not-a-certificate"))
    assert (error.status_code, error.error_code) == (400, "IIC.400")
    other = create_instance(org)
    error = error_of(lambda: activate(org, app, other.active_certificate.certificate_id))
    assert (error.status_code, error.error_code) == (404, "IIC.404")


def test_private_keys_are_sealed_and_never_returned(org):
    made = create_instance(org)
    with org.server.core.store.read() as session:
        stored = session.scalar(
            select(ApplicationCertificate).where(
                ApplicationCertificate.id == made.active_certificate.certificate_id
            )
        )
    assert "PRIVATE KEY" not in stored.private_key_sealed
    key_pem = org.server.core.box.open(stored.private_key_sealed)
    assert key_pem.startswith("-----BEGIN PRIVATE KEY-----")
    certificate = x509.load_pem_x509_certificate(made.active_certificate.certificate.encode())
    key = load_pem_private_key(key_pem.encode(), password=None)
    assert key.public_key().public_numbers() == certificate.public_key().public_numbers()
    assert "PRIVATE KEY" not in str(
        certificates(org, made.application_instance_id).to_json_object()
    )


@pytest.mark.parametrize("ttl, days", [("P1Y", (365, 366)), ("P90D", (90, 90))])
def test_certificates_live_as_long_as_the_security_configuration_says(org, ttl, days):
    app = create_instance(org).application_instance_id
    org.client().update_application_instance_security_configuration(
        ic.UpdateApplicationInstanceSecurityConfigurationRequest(
            instance_id=org.instance_id,
            application_instance_id=app,
            body=ic.UpdateApplicationInstanceSecurityConfigurationReqBody(
                security_config=ic.SecurityConfigDto(ttl=ttl)
            ),
        )
    )
    made = create_certificate(org, app)
    assert days[0] <= round((made.expiry_date - made.issue_date) / 86_400_000) <= days[1]
