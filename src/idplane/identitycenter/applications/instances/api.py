"""HTTP routes of the application instance APIs, named after the SDK methods."""

from __future__ import annotations

from fastapi import APIRouter, Depends
from fastapi.responses import Response

from idplane.identitycenter.applications.instances import schemas as s
from idplane.identitycenter.applications.instances.service import ApplicationInstanceService
from idplane.identitycenter.applications.schemas import ApplicationInstanceId, plain
from idplane.instances.schemas import InstanceId, Limit, Marker
from idplane.platform.auth.caller import Caller
from idplane.platform.errors import IdentityCenterEnvelope
from idplane.platform.paging import page_request
from idplane.platform.routing import api_router
from idplane.platform.web import SIGNED, authenticated, empty

LIST = "/v1/instances/{instance_id}/application-instances"
ONE = LIST + "/{application_instance_id}"


def create_router(service: ApplicationInstanceService) -> APIRouter:
    router = api_router(envelope=IdentityCenterEnvelope(), tags=["identitycenter"])
    signed = authenticated(SIGNED)

    @router.post(LIST, response_model=s.ApplicationInstanceResponse, status_code=201)
    def create_application_instance(
        instance_id: InstanceId,
        body: s.CreateApplicationInstanceBody,
        caller: Caller = Depends(signed),
    ) -> s.ApplicationInstanceResponse:
        view = service.create_application_instance(caller, instance_id, body.name, body.template_id)
        return s.one_out(view)

    @router.get(LIST, response_model=s.ApplicationInstancesResponse)
    def list_application_instances(
        instance_id: InstanceId,
        limit: Limit = None,
        marker: Marker = None,
        caller: Caller = Depends(signed),
    ) -> s.ApplicationInstancesResponse:
        return s.page_out(
            service.list_application_instances(caller, instance_id, page_request(limit, marker))
        )

    @router.get(ONE, response_model=s.ApplicationInstanceResponse)
    def get_application_instance(
        instance_id: InstanceId,
        application_instance_id: ApplicationInstanceId,
        caller: Caller = Depends(signed),
    ) -> s.ApplicationInstanceResponse:
        view = service.get_application_instance(caller, instance_id, application_instance_id)
        return s.one_out(view)

    @router.delete(ONE)
    def delete_application_instance(
        instance_id: InstanceId,
        application_instance_id: ApplicationInstanceId,
        caller: Caller = Depends(signed),
    ) -> Response:
        service.delete_application_instance(caller, instance_id, application_instance_id)
        return empty(200)

    @router.put(ONE + "/display-data")
    def update_application_instance_display_data(
        instance_id: InstanceId,
        application_instance_id: ApplicationInstanceId,
        body: s.DisplayDataBody,
        caller: Caller = Depends(signed),
    ) -> Response:
        service.update_application_instance_display_data(
            caller, instance_id, application_instance_id, body.display_name, body.description
        )
        return empty(200)

    @router.put(ONE + "/status")
    def update_application_instance_status(
        instance_id: InstanceId,
        application_instance_id: ApplicationInstanceId,
        body: s.StatusBody,
        caller: Caller = Depends(signed),
    ) -> Response:
        service.update_application_instance_status(
            caller, instance_id, application_instance_id, body.status
        )
        return empty(200)

    @router.put(ONE + "/security-configuration")
    def update_application_instance_security_configuration(
        instance_id: InstanceId,
        application_instance_id: ApplicationInstanceId,
        body: s.SecurityConfigBody,
        caller: Caller = Depends(signed),
    ) -> Response:
        service.update_application_instance_security_configuration(
            caller, instance_id, application_instance_id, plain(body.security_config)
        )
        return empty(200)

    @router.put(ONE + "/service-provider-configuration")
    def update_application_instance_service_provider_configuration(
        instance_id: InstanceId,
        application_instance_id: ApplicationInstanceId,
        body: s.ServiceProviderConfigBody,
        caller: Caller = Depends(signed),
    ) -> Response:
        service.update_application_instance_service_provider_configuration(
            caller, instance_id, application_instance_id, plain(body.service_provider_config)
        )
        return empty(200)

    @router.put(ONE + "/response-configuration")
    def update_application_instance_response_configuration(
        instance_id: InstanceId,
        application_instance_id: ApplicationInstanceId,
        body: s.ResponseConfigBody,
        caller: Caller = Depends(signed),
    ) -> Response:
        service.update_application_instance_response_configuration(
            caller, instance_id, application_instance_id, plain(body.response_config)
        )
        return empty(200)

    @router.put(ONE + "/response-schema-configuration")
    def update_application_instance_response_schema_configuration(
        instance_id: InstanceId,
        application_instance_id: ApplicationInstanceId,
        body: s.ResponseSchemaConfigBody,
        caller: Caller = Depends(signed),
    ) -> Response:
        service.update_application_instance_response_schema_configuration(
            caller, instance_id, application_instance_id, plain(body.response_schema_config)
        )
        return empty(200)

    @router.post(ONE + "/metadata")
    def import_application_instance_service_provider_metadata(
        instance_id: InstanceId,
        application_instance_id: ApplicationInstanceId,
        body: s.MetadataBody,
        caller: Caller = Depends(signed),
    ) -> Response:
        service.import_application_instance_service_provider_metadata(
            caller, instance_id, application_instance_id, body.metadata
        )
        return empty(200)

    @router.get("/saml/metadata/{application_instance_id}", include_in_schema=True)
    def identity_provider_metadata(application_instance_id: ApplicationInstanceId) -> Response:
        document = service.identity_provider_metadata(application_instance_id)
        return Response(document, media_type="application/samlmetadata+xml")

    return router
