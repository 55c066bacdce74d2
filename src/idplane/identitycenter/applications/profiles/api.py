"""HTTP routes of the profile APIs, named after the SDK methods (`delete_profile` is the seed
"Deleting the Association Between an Application Instance and a User or User Group")."""

from __future__ import annotations

from fastapi import APIRouter, Depends
from fastapi.responses import Response

from idplane.identitycenter.applications.profiles import schemas as s
from idplane.identitycenter.applications.profiles.service import ProfileService
from idplane.identitycenter.applications.schemas import ApplicationInstanceId, ProfileId
from idplane.instances.schemas import InstanceId
from idplane.platform.auth.caller import Caller
from idplane.platform.errors import IdentityCenterEnvelope
from idplane.platform.routing import api_router
from idplane.platform.web import SIGNED, authenticated, empty

PATH = "/v1/instances/{instance_id}/application-instances/{application_instance_id}/profiles"


def create_router(service: ProfileService) -> APIRouter:
    router = api_router(envelope=IdentityCenterEnvelope(), tags=["identitycenter"])
    signed = authenticated(SIGNED)

    @router.get(PATH, response_model=s.ProfilesResponse)
    def list_profiles(
        instance_id: InstanceId,
        application_instance_id: ApplicationInstanceId,
        caller: Caller = Depends(signed),
    ) -> s.ProfilesResponse:
        return s.profiles_out(service.list_profiles(caller, instance_id, application_instance_id))

    @router.delete(PATH + "/{profile_id}")
    def delete_profile(
        instance_id: InstanceId,
        application_instance_id: ApplicationInstanceId,
        profile_id: ProfileId,
        caller: Caller = Depends(signed),
    ) -> Response:
        service.delete_profile(caller, instance_id, application_instance_id, profile_id)
        return empty(200)

    return router
