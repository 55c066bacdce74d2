"""Wire models of the profile APIs (names from the SDK's attribute maps)."""

from __future__ import annotations

from pydantic import BaseModel

from idplane.identitycenter.applications.profiles.tables import ApplicationProfile


class ApplicationProfileDto(BaseModel):
    name: str
    status: str
    profile_id: str


class ProfilesResponse(BaseModel):
    application_profiles: list[ApplicationProfileDto]


def profiles_out(profiles: list[ApplicationProfile]) -> ProfilesResponse:
    return ProfilesResponse(
        application_profiles=[
            ApplicationProfileDto(name=p.name, status=p.status, profile_id=p.id) for p in profiles
        ]
    )
