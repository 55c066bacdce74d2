"""Profiles of an application instance (`list_profiles`, the seed's `delete_profile`).

A profile is the association between an application instance and its users or groups. Every
application instance gets its `Default` profile (status `ENABLED`) when it is created, and every
application assignment is made through a profile. Deleting a profile ends the association with
every user or group assigned through it: their assignments go with it by ON DELETE CASCADE, in
the same statement; the users, groups and the application instance stay. An assignment made
after the `Default` profile was deleted makes a new `Default` profile (a new `profile_id`).
"""

from __future__ import annotations

from sqlalchemy import delete, select
from sqlalchemy.exc import IntegrityError
from sqlalchemy.orm import Session

from idplane.identitycenter.applications.profiles.tables import (
    DEFAULT,
    ENABLED,
    ApplicationProfile,
)
from idplane.identitycenter.applications.scope import application_unit
from idplane.instances.errors import not_found
from idplane.instances.gate import IdentityCenterGate
from idplane.platform import ids
from idplane.platform.auth.caller import Caller
from idplane.platform.clock import now
from idplane.platform.db import Store, rowcount


def new_default_profile(application_instance_id: str) -> ApplicationProfile:
    return ApplicationProfile(
        id=ids.prefixed_hex("p-", 16),
        application_instance_id=application_instance_id,
        name=DEFAULT,
        status=ENABLED,
        created_at=now(),
    )


def default_profile(session: Session, application_instance_id: str) -> ApplicationProfile:
    """The application instance's `Default` profile, made anew if it was deleted. Two requests
    making it at once: the unique name lets one insert win; the other reads the winner's."""
    profile = _default_of(session, application_instance_id)
    if profile is not None:
        return profile
    try:
        with session.begin_nested():
            profile = new_default_profile(application_instance_id)
            session.add(profile)
        return profile
    except IntegrityError:
        made = _default_of(session, application_instance_id)
        if made is None:
            raise
        return made


def _default_of(session: Session, application_instance_id: str) -> ApplicationProfile | None:
    return session.scalar(
        select(ApplicationProfile).where(
            ApplicationProfile.application_instance_id == application_instance_id,
            ApplicationProfile.name == DEFAULT,
        )
    )


class ProfileService:
    def __init__(self, store: Store, gate: IdentityCenterGate):
        self.store = store
        self.gate = gate

    def list_profiles(
        self, caller: Caller, instance_id: str, application_instance_id: str
    ) -> list[ApplicationProfile]:
        with application_unit(
            self.gate,
            caller,
            "IdentityCenter:application:listProfiles",
            instance_id,
            application_instance_id,
        ) as (session, _, application):
            stmt = select(ApplicationProfile).where(
                ApplicationProfile.application_instance_id == application.id
            )
            return list(session.scalars(stmt.order_by(ApplicationProfile.seq)))

    def delete_profile(
        self, caller: Caller, instance_id: str, application_instance_id: str, profile_id: str
    ) -> None:
        with application_unit(
            self.gate,
            caller,
            "IdentityCenter:application:deleteProfile",
            instance_id,
            application_instance_id,
            write=True,
        ) as (session, _, application):
            gone = session.execute(
                delete(ApplicationProfile).where(
                    ApplicationProfile.id == profile_id,
                    ApplicationProfile.application_instance_id == application.id,
                )
            )
            if rowcount(gone) == 0:
                raise not_found("profile", profile_id)
