"""HTTP routes of the certificate APIs, named after the SDK methods."""

from __future__ import annotations

from fastapi import APIRouter, Depends
from fastapi.responses import Response

from idplane.identitycenter.applications.certificates import schemas as s
from idplane.identitycenter.applications.certificates.service import CertificateService
from idplane.identitycenter.applications.schemas import ApplicationInstanceId, CertificateId
from idplane.instances.schemas import InstanceId, Limit, Marker
from idplane.platform.auth.caller import Caller
from idplane.platform.errors import IdentityCenterEnvelope
from idplane.platform.paging import page_request
from idplane.platform.routing import api_router
from idplane.platform.web import SIGNED, authenticated, empty

PATH = "/v1/instances/{instance_id}/application-instances/{application_instance_id}/certificates"


def create_router(service: CertificateService) -> APIRouter:
    router = api_router(envelope=IdentityCenterEnvelope(), tags=["identitycenter"])
    signed = authenticated(SIGNED)

    @router.get(PATH, response_model=s.CertificatesResponse)
    def list_application_instance_certificates(
        instance_id: InstanceId,
        application_instance_id: ApplicationInstanceId,
        limit: Limit = None,
        marker: Marker = None,
        caller: Caller = Depends(signed),
    ) -> s.CertificatesResponse:
        page = service.list_application_instance_certificates(
            caller, instance_id, application_instance_id, page_request(limit, marker)
        )
        return s.page_out(page)

    @router.post(PATH, response_model=s.CertificateResponse, status_code=201)
    def create_application_instance_certificate(
        instance_id: InstanceId,
        application_instance_id: ApplicationInstanceId,
        caller: Caller = Depends(signed),
    ) -> s.CertificateResponse:
        certificate = service.create_application_instance_certificate(
            caller, instance_id, application_instance_id
        )
        return s.one_out(certificate)

    @router.put(PATH + "/{certificate_id}", response_model=s.CertificateResponse)
    def update_application_instance_active_certificate(
        instance_id: InstanceId,
        application_instance_id: ApplicationInstanceId,
        certificate_id: CertificateId,
        caller: Caller = Depends(signed),
    ) -> s.CertificateResponse:
        certificate = service.update_application_instance_active_certificate(
            caller, instance_id, application_instance_id, certificate_id
        )
        return s.one_out(certificate)

    @router.delete(PATH + "/{certificate_id}")
    def delete_application_instance_certificate(
        instance_id: InstanceId,
        application_instance_id: ApplicationInstanceId,
        certificate_id: CertificateId,
        caller: Caller = Depends(signed),
    ) -> Response:
        service.delete_application_instance_certificate(
            caller, instance_id, application_instance_id, certificate_id
        )
        return empty(200)

    return router
