"""An identity store's external identity source through huaweicloudsdkidentitycenterstore: the
external SAML IdP (from a real pysaml2 IdP's metadata), its certificates, the store's SP
configuration and certificates, and the verification of that IdP's signed responses."""

from __future__ import annotations

import pytest
from huaweicloudsdkidentitycenterstore.v1 import model as ids

from idplane.identitystore.external_idp.service import ExternalIdpService
from idplane.platform.errors import Unauthenticated
from tests.federation.saml_idp import SamlIdp
from tests.identitystore.builders import failure, new_directory


@pytest.fixture
def directory(server):  # a store of its own: one external IdP per store
    return new_directory(server)


def sp_config(client, store_id):
    request = ids.GetSpConfigurationForDirectoryRequest(identity_store_id=store_id)
    return client.get_sp_configuration_for_directory(request).sp_saml_config


def make_idp(directory, tmp_path) -> SamlIdp:
    sp = sp_config(directory.client(), directory.identity_store_id)
    return SamlIdp(tmp_path, sp.issuer, [sp.acs_url])


def create_from_metadata(directory, idp: SamlIdp):
    body = ids.CreateIDPReqBody(idp_saml_metadata=idp.metadata())
    request = ids.CreateExternalIdPConfigurationForDirectoryRequest(
        identity_store_id=directory.identity_store_id, body=body
    )
    return directory.client().create_external_id_p_configuration_for_directory(request)


def enable(directory, idp_id: str):
    request = ids.EnableExternalIdPConfigurationForDirectoryRequest(
        identity_store_id=directory.identity_store_id, idp_id=idp_id
    )
    return directory.client().enable_external_id_p_configuration_for_directory(request)


def test_the_sp_configuration_names_the_stores_issuer_and_acs_url(server, directory) -> None:
    sp = sp_config(directory.client(), directory.identity_store_id)
    store = directory.identity_store_id
    assert sp.issuer == f"{server.url}/v1/identity-stores/{store}/saml"
    assert sp.acs_url == f"{sp.issuer}/acs"
    assert f'entityID="{sp.issuer}"' in sp.metadata


def test_sp_certificates_one_active_at_a_time(directory) -> None:
    client, store = directory.client(), directory.identity_store_id
    first = client.create_sp_certificate(ids.CreateSpCertificateRequest(identity_store_id=store))
    second = client.create_sp_certificate(ids.CreateSpCertificateRequest(identity_store_id=store))
    assert (first.state, second.state) == ("ACTIVE", "INACTIVE")
    assert "BEGIN CERTIFICATE" in first.x509certificate
    assert "".join(first.x509certificate.splitlines()[1:-1]) in sp_config(client, store).metadata
    status, _ = failure(
        lambda: client.delete_sp_certificate(
            ids.DeleteSpCertificateRequest(
                identity_store_id=store, certificate_id=first.certificate_id
            )
        )
    )
    assert status == 400
    client.update_sp_active_certificate(
        ids.UpdateSpActiveCertificateRequest(
            identity_store_id=store, certificate_id=second.certificate_id
        )
    )
    listed = client.list_sp_certificates(ids.ListSpCertificatesRequest(identity_store_id=store))
    states = {c.certificate_id: c.state for c in listed.body}
    assert states == {first.certificate_id: "INACTIVE", second.certificate_id: "ACTIVE"}
    client.delete_sp_certificate(
        ids.DeleteSpCertificateRequest(identity_store_id=store, certificate_id=first.certificate_id)
    )


def test_an_external_idp_from_metadata_goes_through_its_life(directory, tmp_path) -> None:
    client, store = directory.client(), directory.identity_store_id
    idp = make_idp(directory, tmp_path)
    created = create_from_metadata(directory, idp)
    assert len(created.idp_certificate_ids) == 1
    assert created.hws_sp_saml_config.acs_url.endswith("/saml/acs")
    listed = client.list_external_id_p_configurations_for_directory(
        ids.ListExternalIdPConfigurationsForDirectoryRequest(identity_store_id=store)
    ).associations
    assert [(a.idp_id, a.is_enabled, a.idp_saml_config.entity_id) for a in listed] == [
        (created.idp_id, False, idp.entity_id)
    ]
    status, _ = failure(lambda: create_from_metadata(directory, idp))
    assert status == 409
    certificates = client.list_external_id_p_certificates(
        ids.ListExternalIdPCertificatesRequest(identity_store_id=store, idp_id=created.idp_id)
    ).idp_certificates
    assert certificates[0].x509_certificate_in_pem.startswith("-----BEGIN CERTIFICATE-----")
    imported = client.import_external_id_p_certificate(
        ids.ImportExternalIdPCertificateRequest(
            identity_store_id=store,
            idp_id=created.idp_id,
            body=ids.ImportExternalIdPCertificateReqBody(
                x509_certificate_in_pem=idp.other_cert.read_text(), certificate_use="SIGNING"
            ),
        )
    )
    client.delete_external_id_p_certificate(
        ids.DeleteExternalIdPCertificateRequest(
            identity_store_id=store, idp_id=created.idp_id, certificate_id=imported.certificate_id
        )
    )
    client.update_external_id_p_configuration_for_directory(
        ids.UpdateExternalIdPConfigurationForDirectoryRequest(
            identity_store_id=store,
            idp_id=created.idp_id,
            body=ids.UpdateExternalIdPConfigurationForDirectoryReqBody(
                entity_id=idp.entity_id, login_url="https://idp.example.com/sso"
            ),
        )
    )
    enable(directory, created.idp_id)
    status, _ = failure(  # an enabled IdP is not deleted
        lambda: client.delete_external_id_p_configuration_for_directory(
            ids.DeleteExternalIdPConfigurationForDirectoryRequest(
                identity_store_id=store, idp_id=created.idp_id
            )
        )
    )
    assert status == 400
    client.disable_external_id_p_configuration_for_directory(
        ids.DisableExternalIdPConfigurationForDirectoryRequest(
            identity_store_id=store, idp_id=created.idp_id
        )
    )
    client.delete_external_id_p_configuration_for_directory(
        ids.DeleteExternalIdPConfigurationForDirectoryRequest(
            identity_store_id=store, idp_id=created.idp_id
        )
    )


def test_garbage_metadata_and_certificates_are_400(directory) -> None:
    client, store = directory.client(), directory.identity_store_id
    status, _ = failure(
        lambda: client.create_external_id_p_configuration_for_directory(
            ids.CreateExternalIdPConfigurationForDirectoryRequest(
                identity_store_id=store, body=ids.CreateIDPReqBody(idp_saml_metadata="<x/>")
            )
        )
    )
    assert status == 400
    status, _ = failure(
        lambda: client.create_external_id_p_configuration_for_directory(
            ids.CreateExternalIdPConfigurationForDirectoryRequest(
                identity_store_id=store,
                body=ids.CreateIDPReqBody(
                    idp_saml_config={"entity_id": "x", "login_url": "https://x"},
                    idp_certificate="not a certificate",
                ),
            )
        )
    )
    assert status == 400


def test_an_enabled_external_idps_signed_response_signs_its_user_in(
    server, directory, tmp_path
) -> None:
    idp = make_idp(directory, tmp_path)
    created = create_from_metadata(directory, idp)
    store = directory.identity_store_id
    service = ExternalIdpService(server.core.store, None, server.core.box, server.url)
    sp = service.sp_endpoints(store)
    response = idp.response("alice@example.com", {}, sp.recipients[0], in_response_to="_r1")
    with pytest.raises(Unauthenticated):  # not enabled yet
        service.verify_sign_in(store, response, "_r1")
    enable(directory, created.idp_id)
    with pytest.raises(Unauthenticated):  # the answer to another AuthnRequest
        service.verify_sign_in(store, response, "_r2")
    subject = service.verify_sign_in(store, response, "_r1")
    assert (subject.name_id, subject.emails) == ("alice@example.com", ("alice@example.com",))
    with pytest.raises(Unauthenticated):  # an assertion signs in once
        service.verify_sign_in(store, response, "_r1")
    unsolicited = idp.response("alice@example.com", {}, sp.recipients[0])
    with pytest.raises(Unauthenticated):
        service.verify_sign_in(store, unsolicited, "_r1")
    forged = idp.response("mallory", {}, sp.recipients[0], impostor=True, in_response_to="_r3")
    with pytest.raises(Unauthenticated):
        service.verify_sign_in(store, forged, "_r3")
    elsewhere = idp.response(
        "alice@example.com", {}, "https://elsewhere.example.com/acs", in_response_to="_r4"
    )
    with pytest.raises(Unauthenticated):
        service.verify_sign_in(store, elsewhere, "_r4")
