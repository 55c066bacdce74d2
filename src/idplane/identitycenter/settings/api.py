"""HTTP routes of the instance settings, named after the SDK methods."""

from __future__ import annotations

from fastapi import APIRouter, Depends
from fastapi.responses import Response

from idplane.identitycenter.settings import schemas as s
from idplane.identitycenter.settings.service import ENABLED, SettingsService
from idplane.instances.schemas import PathId
from idplane.platform.auth.caller import Caller
from idplane.platform.errors import IdentityCenterEnvelope
from idplane.platform.routing import api_router
from idplane.platform.web import SIGNED, authenticated, empty

ABAC = "/v1/instances/{instance_id}/access-control-attribute-configuration"
SSO = "/v1/instances/{instance_id}/sso-configuration"
MFA = "/v1/instances/{instance_id}/mfa-devices/management-settings"
HA = "/v1/instances/{instance_id}/disaster-recovery-configuration"


def create_router(service: SettingsService) -> APIRouter:
    router = api_router(envelope=IdentityCenterEnvelope(), tags=["instance-settings"])
    signed = authenticated(SIGNED)

    @router.post(ABAC)
    def create_instance_access_control_attribute_configuration(
        instance_id: PathId, body: s.AttributeConfigurationBody, caller: Caller = Depends(signed)
    ) -> Response:
        configuration = body.instance_access_control_attribute_configuration
        service.create_instance_access_control_attribute_configuration(
            caller, instance_id, configuration
        )
        return empty(200)

    @router.get(ABAC, response_model=s.AttributeConfigurationResponse)
    def describe_instance_access_control_attribute_configuration(
        instance_id: PathId, caller: Caller = Depends(signed)
    ) -> s.AttributeConfigurationResponse:
        attributes = service.describe_instance_access_control_attribute_configuration(
            caller, instance_id
        )
        configuration = s.AttributeConfiguration(access_control_attributes=attributes)
        return s.AttributeConfigurationResponse(
            instance_access_control_attribute_configuration=configuration, status=ENABLED
        )

    @router.put(ABAC)
    def update_instance_access_control_attribute_configuration(
        instance_id: PathId, body: s.AttributeConfigurationBody, caller: Caller = Depends(signed)
    ) -> Response:
        configuration = body.instance_access_control_attribute_configuration
        service.update_instance_access_control_attribute_configuration(
            caller, instance_id, configuration
        )
        return empty(200)

    @router.delete(ABAC)
    def delete_instance_access_control_attribute_configuration(
        instance_id: PathId, caller: Caller = Depends(signed)
    ) -> Response:
        service.delete_instance_access_control_attribute_configuration(caller, instance_id)
        return empty(200)

    @router.get(SSO, response_model=s.SsoConfigurationResponse)
    def get_sso_configuration(
        instance_id: PathId, caller: Caller = Depends(signed)
    ) -> s.SsoConfigurationResponse:
        configuration = service.get_sso_configuration(caller, instance_id)
        return s.SsoConfigurationResponse(sso_configuration=s.SsoConfiguration(**configuration))

    @router.post(SSO)
    def update_sso_configuration(
        instance_id: PathId, body: s.UpdateSsoConfigurationBody, caller: Caller = Depends(signed)
    ) -> Response:
        service.update_sso_configuration(caller, instance_id, body)
        return empty(200)

    @router.get(MFA, response_model=s.MfaDeviceManagementResponse)
    def get_mfa_device_management_for_identity_store(
        instance_id: PathId, caller: Caller = Depends(signed)
    ) -> s.MfaDeviceManagementResponse:
        store_id, permission = service.get_mfa_device_management_for_identity_store(
            caller, instance_id
        )
        return s.MfaDeviceManagementResponse(identity_store_id=store_id, user_permission=permission)

    @router.post(MFA)
    def put_mfa_device_management_for_identity_store(
        instance_id: PathId, body: s.MfaDeviceManagementBody, caller: Caller = Depends(signed)
    ) -> Response:
        service.put_mfa_device_management_for_identity_store(
            caller, instance_id, body.identity_store_id, body.user_permission
        )
        return empty(200)

    @router.get(HA, response_model=s.HaConfigurationResponse)
    def get_ha_configuration(
        instance_id: PathId, caller: Caller = Depends(signed)
    ) -> s.HaConfigurationResponse:
        choice = service.get_ha_configuration(caller, instance_id)
        return s.HaConfigurationResponse(disaster_recovery_choice=choice)

    @router.put(HA)
    def update_ha_configuration(
        instance_id: PathId, body: s.HaConfigurationBody, caller: Caller = Depends(signed)
    ) -> Response:
        service.update_ha_configuration(caller, instance_id, body.disaster_recovery_choice)
        return empty(200)

    return router
