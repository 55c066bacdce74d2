"""HTTP routes of an identity store's external identity source and SP side, named after the
SDK methods (huaweicloudsdkidentitycenterstore)."""

from __future__ import annotations

from fastapi import APIRouter, Depends
from fastapi.responses import JSONResponse, Response
from pydantic import BaseModel, ConfigDict, Field, StrictStr

from idplane.identitystore.external_idp.service import ExternalIdpService
from idplane.platform.auth.caller import Caller
from idplane.platform.errors import IdentityCenterEnvelope
from idplane.platform.routing import api_router
from idplane.platform.web import SIGNED, authenticated, empty

STORE = "/v1/identity-stores/{identity_store_id}"
IDPS = STORE + "/external-idp"
IDP = IDPS + "/{idp_id}"
SP_CERTS = STORE + "/saml-certificates"


class CreateIDPReqBody(BaseModel):
    model_config = ConfigDict(extra="forbid")
    idp_saml_metadata: StrictStr | None = Field(None, max_length=512 * 1024)
    idp_certificate: StrictStr | None = Field(None, max_length=16384)
    idp_saml_config: dict | None = None


class UpdateIdpReqBody(BaseModel):
    model_config = ConfigDict(extra="forbid")
    entity_id: StrictStr
    login_url: StrictStr


class ImportCertificateReqBody(BaseModel):
    model_config = ConfigDict(extra="forbid")
    x509_certificate_in_pem: StrictStr
    certificate_use: StrictStr


def create_router(service: ExternalIdpService) -> APIRouter:
    router = api_router(envelope=IdentityCenterEnvelope(), tags=["identitystore"])
    signed = authenticated(SIGNED)

    @router.get(IDPS)
    def list_external_id_p_configurations_for_directory(
        identity_store_id: str, caller: Caller = Depends(signed)
    ) -> dict:
        found = service.list_external_id_p_configurations_for_directory(caller, identity_store_id)
        return {"associations": found}

    @router.post(IDPS)
    def create_external_id_p_configuration_for_directory(
        identity_store_id: str, body: CreateIDPReqBody, caller: Caller = Depends(signed)
    ) -> dict:
        return service.create_external_id_p_configuration_for_directory(
            caller, identity_store_id, body.model_dump()
        )

    @router.put(IDP)
    def update_external_id_p_configuration_for_directory(
        identity_store_id: str,
        idp_id: str,
        body: UpdateIdpReqBody,
        caller: Caller = Depends(signed),
    ) -> Response:
        service.update_external_id_p_configuration_for_directory(
            caller, identity_store_id, idp_id, body.entity_id, body.login_url
        )
        return empty(200)

    @router.delete(IDP)
    def delete_external_id_p_configuration_for_directory(
        identity_store_id: str, idp_id: str, caller: Caller = Depends(signed)
    ) -> Response:
        service.delete_external_id_p_configuration_for_directory(caller, identity_store_id, idp_id)
        return empty(200)

    @router.post(IDP + "/enable")
    def enable_external_id_p_configuration_for_directory(
        identity_store_id: str, idp_id: str, caller: Caller = Depends(signed)
    ) -> Response:
        service.set_enabled(caller, identity_store_id, idp_id, True)
        return empty(200)

    @router.post(IDP + "/disable")
    def disable_external_id_p_configuration_for_directory(
        identity_store_id: str, idp_id: str, caller: Caller = Depends(signed)
    ) -> Response:
        service.set_enabled(caller, identity_store_id, idp_id, False)
        return empty(200)

    @router.get(IDP + "/certificate")
    def list_external_id_p_certificates(
        identity_store_id: str, idp_id: str, caller: Caller = Depends(signed)
    ) -> dict:
        found = service.list_external_id_p_certificates(caller, identity_store_id, idp_id)
        return {"idp_certificates": found}

    @router.post(IDP + "/certificate")
    def import_external_id_p_certificate(
        identity_store_id: str,
        idp_id: str,
        body: ImportCertificateReqBody,
        caller: Caller = Depends(signed),
    ) -> dict:
        certificate_id = service.import_external_id_p_certificate(
            caller, identity_store_id, idp_id, body.x509_certificate_in_pem, body.certificate_use
        )
        return {"certificate_id": certificate_id}

    @router.delete(IDP + "/certificate/{certificate_id}")
    def delete_external_id_p_certificate(
        identity_store_id: str, idp_id: str, certificate_id: str, caller: Caller = Depends(signed)
    ) -> Response:
        service.delete_external_id_p_certificate(caller, identity_store_id, idp_id, certificate_id)
        return empty(200)

    @router.get(STORE + "/sp-config")
    def get_sp_configuration_for_directory(
        identity_store_id: str, caller: Caller = Depends(signed)
    ) -> dict:
        return service.get_sp_configuration_for_directory(caller, identity_store_id)

    @router.get(SP_CERTS)
    def list_sp_certificates(identity_store_id: str, caller: Caller = Depends(signed)):
        return JSONResponse(service.list_sp_certificates(caller, identity_store_id))

    @router.post(SP_CERTS)
    def create_sp_certificate(identity_store_id: str, caller: Caller = Depends(signed)) -> dict:
        return service.create_sp_certificate(caller, identity_store_id)

    @router.delete(SP_CERTS + "/{certificate_id}")
    def delete_sp_certificate(
        identity_store_id: str, certificate_id: str, caller: Caller = Depends(signed)
    ) -> Response:
        service.delete_sp_certificate(caller, identity_store_id, certificate_id)
        return empty(200)

    @router.post(SP_CERTS + "/{certificate_id}/active")
    def update_sp_active_certificate(
        identity_store_id: str, certificate_id: str, caller: Caller = Depends(signed)
    ) -> Response:
        service.update_sp_active_certificate(caller, identity_store_id, certificate_id)
        return empty(200)

    return router
