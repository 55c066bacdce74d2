"""SAML metadata import and show through huaweicloudsdkiam; hostile XML is refused."""

from __future__ import annotations

import pytest
from huaweicloudsdkcore.exceptions.exceptions import ClientRequestException
from huaweicloudsdkiam.v3 import model as m

from tests.federation.conftest import http
from tests.federation.saml_samples import BILLION_LAUGHS, SP_METADATA, XXE, idp_metadata
from tests.federation.test_huawei_sdk import RULES, create_idp


def import_metadata(client, account, document: str, protocol_id: str = "saml", domain_id=None):
    body = m.CreateMetadataRequestBody(
        domain_id=domain_id or account.account_id, xaccount_type="", metadata=document
    )
    request = m.CreateMetadataRequest(idp_id="ACME", protocol_id=protocol_id, body=body)
    return client.create_metadata(request)


def show_metadata(client, protocol_id: str = "saml"):
    return client.show_metadata(m.ShowMetadataRequest(idp_id="ACME", protocol_id=protocol_id))


@pytest.fixture
def saml_idp(huawei):
    create_idp(huawei, "ACME", enabled=True)
    body = m.KeystoneCreateMappingRequestBody(mapping=m.MappingOption(rules=RULES))
    huawei.keystone_create_mapping(m.KeystoneCreateMappingRequest(id="mapping_ACME", body=body))
    for protocol_id in ("saml", "oidc"):
        option = m.ProtocolOption(mapping_id="mapping_ACME")
        huawei.keystone_create_protocol(
            m.KeystoneCreateProtocolRequest(
                idp_id="ACME",
                protocol_id=protocol_id,
                body=m.KeystoneCreateProtocolRequestBody(protocol=option),
            )
        )


def test_metadata_is_imported_and_shown(huawei, account, saml_idp) -> None:
    document = idp_metadata()
    imported = import_metadata(huawei, account, document)
    assert imported.status_code == 201
    assert imported.message == "Import metadata successful"
    shown = show_metadata(huawei)
    assert shown.entity_id == "https://idp.example.com/idp/shibboleth"
    assert (shown.idp_id, shown.protocol_id, shown.domain_id) == (
        "ACME",
        "saml",
        account.account_id,
    )
    assert shown.data == document
    assert shown.xaccount_type == ""
    assert shown.update_time.endswith("Z") and len(shown.id) == 32


def test_importing_again_replaces_the_metadata(huawei, account, saml_idp) -> None:
    import_metadata(huawei, account, idp_metadata("https://old.example.com"))
    first = show_metadata(huawei)
    import_metadata(huawei, account, idp_metadata("https://new.example.com"))
    second = show_metadata(huawei)
    assert second.entity_id == "https://new.example.com"
    assert second.id == first.id


@pytest.mark.parametrize(
    ("document", "complaint"),
    [
        (XXE, "DTD"),
        (BILLION_LAUGHS, "DTD"),
        ("<md:EntityDescriptor", "well-formed"),
        ("", "empty"),
        (SP_METADATA, "IDPSSODescriptor"),
        ("<EntityDescriptor entityID='x'><IDPSSODescriptor/></EntityDescriptor>", "root element"),
        (idp_metadata(entity_id=""), "entityID"),
        (idp_metadata(cert="bm90IGEgY2VydGlmaWNhdGU="), "certificate"),
        (idp_metadata(cert="%%%"), "certificate"),
        (idp_metadata() + "<!--" + "x" * 600_000 + "-->", "KiB"),
    ],
)
def test_hostile_or_invalid_metadata_is_refused(huawei, account, saml_idp, document, complaint):
    with pytest.raises(ClientRequestException) as raised:
        import_metadata(huawei, account, document)
    assert raised.value.status_code == 400
    assert complaint in raised.value.error_msg
    with pytest.raises(ClientRequestException) as missing:
        show_metadata(huawei)
    assert missing.value.status_code == 404


def test_metadata_is_refused_for_the_oidc_protocol(huawei, account, saml_idp) -> None:
    with pytest.raises(ClientRequestException) as raised:
        import_metadata(huawei, account, idp_metadata(), protocol_id="oidc")
    assert raised.value.status_code == 400


def test_metadata_of_an_unknown_protocol_is_404(huawei, account, saml_idp) -> None:
    with pytest.raises(ClientRequestException) as raised:
        import_metadata(huawei, account, idp_metadata(), protocol_id="saml2")
    assert raised.value.status_code == 404


def test_metadata_naming_another_account_is_forbidden(server, huawei, account, saml_idp) -> None:
    other = server.new_account()
    with pytest.raises(ClientRequestException) as raised:
        import_metadata(huawei, account, idp_metadata(), domain_id=other.account_id)
    assert raised.value.status_code == 403
    assert raised.value.error_code == "IAM.0003"


def test_metadata_goes_with_its_protocol(server, huawei, account, saml_idp, root_token) -> None:
    import_metadata(huawei, account, idp_metadata())
    base = "/v3/OS-FEDERATION/identity_providers/ACME/protocols/saml"
    with http(server, root_token) as client:
        assert client.delete(base).status_code == 204
        assert (
            client.put(base, json={"protocol": {"mapping_id": "mapping_ACME"}}).status_code == 201
        )
    with pytest.raises(ClientRequestException) as raised:
        show_metadata(huawei)
    assert raised.value.status_code == 404
