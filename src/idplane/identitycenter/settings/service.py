"""Instance settings: access-control attributes (ABAC), SSO configuration, MFA device
management, disaster recovery (HA). One row per instance (`InstanceSettings`), created by the
first write; until then every setting reads as its default:

- access-control attribute configuration: none (describe/update/delete answer 404; create
  once, 409 IIC.1257 when one exists). Created configurations are `ENABLED` at once.
- SSO: `mfa_mode` ALWAYS_ON, `no_mfa_signin_behavior` ALLOWED, `no_password_signin_behavior`
  BLOCKED, `allowed_mfa_types` [TOTP], `max_authentication_age` PT8H (the values Huawei's
  Terraform provider restores). An update applies every field it carries, whatever its
  `configuration_type`; absent fields keep their value.
- MFA device management: `user_permission` ALL_ACTIONS.
- Disaster recovery: `disaster_recovery_choice` REJECT.
"""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager
from typing import Any

from sqlalchemy import select
from sqlalchemy.exc import IntegrityError
from sqlalchemy.orm import Session

from idplane.identitycenter.settings import schemas as s
from idplane.identitycenter.settings.tables import InstanceSettings
from idplane.instances.errors import duplicate, invalid, not_found
from idplane.instances.gate import GatedInstance, IdentityCenterGate
from idplane.instances.store_tables import IdentityStore
from idplane.platform.auth.caller import Caller
from idplane.platform.clock import now
from idplane.platform.db import Store

ENABLED = "ENABLED"
DEFAULT_SSO: dict[str, Any] = {
    "mfa_mode": "ALWAYS_ON",
    "no_mfa_signin_behavior": "ALLOWED",
    "no_password_signin_behavior": "BLOCKED",
    "allowed_mfa_types": ["TOTP"],
    "session_configuration": {"max_authentication_age": "PT8H"},
}
DEFAULT_MFA_PERMISSION = "ALL_ACTIONS"
DEFAULT_DISASTER_RECOVERY = "REJECT"


class SettingsService:
    def __init__(self, store: Store, gate: IdentityCenterGate):
        self.store = store
        self.gate = gate

    # Access-control attributes ------------------------------------------------------------

    def create_instance_access_control_attribute_configuration(
        self, caller: Caller, instance_id: str, configuration: s.AttributeConfiguration
    ) -> None:
        action = "IdentityCenter:instance:createAccessControlAttributeConfiguration"
        with self._writing(caller, action, instance_id) as row:
            if row.access_control_attributes is not None:
                raise duplicate(
                    "the instance already has an access control attribute configuration"
                )
            row.access_control_attributes = _attributes(configuration)

    def describe_instance_access_control_attribute_configuration(
        self, caller: Caller, instance_id: str
    ) -> list[dict]:
        action = "IdentityCenter:instance:describeAccessControlAttributeConfiguration"
        row = self._read(caller, action, instance_id)
        if row is None or row.access_control_attributes is None:
            raise _no_configuration(instance_id)
        return row.access_control_attributes

    def update_instance_access_control_attribute_configuration(
        self, caller: Caller, instance_id: str, configuration: s.AttributeConfiguration
    ) -> None:
        action = "IdentityCenter:instance:updateAccessControlAttributeConfiguration"
        with self._writing(caller, action, instance_id) as row:
            if row.access_control_attributes is None:
                raise _no_configuration(instance_id)
            row.access_control_attributes = _attributes(configuration)

    def delete_instance_access_control_attribute_configuration(
        self, caller: Caller, instance_id: str
    ) -> None:
        action = "IdentityCenter:instance:deleteAccessControlAttributeConfiguration"
        with self._writing(caller, action, instance_id) as row:
            if row.access_control_attributes is None:
                raise _no_configuration(instance_id)
            row.access_control_attributes = None

    # SSO, MFA device management, disaster recovery ----------------------------------------

    def get_sso_configuration(self, caller: Caller, instance_id: str) -> dict[str, Any]:
        row = self._read(caller, "IdentityCenter:instance:getSsoConfiguration", instance_id)
        return {**DEFAULT_SSO, **((row and row.sso_configuration) or {})}

    def update_sso_configuration(
        self, caller: Caller, instance_id: str, body: s.UpdateSsoConfigurationBody
    ) -> None:
        changes = body.sso_configuration.model_dump(exclude_none=True)
        if body.configuration_type == "SESSION" and "session_configuration" not in changes:
            raise invalid("a SESSION configuration needs session_configuration")
        action = "IdentityCenter:instance:updateSsoConfiguration"
        with self._writing(caller, action, instance_id) as row:
            row.sso_configuration = {**DEFAULT_SSO, **(row.sso_configuration or {}), **changes}

    def get_mfa_device_management_for_identity_store(
        self, caller: Caller, instance_id: str
    ) -> tuple[str, str]:
        """(identity_store_id, user_permission)."""
        with self.gate.instance_unit(
            caller, "IdentityCenter:instance:getMfaDeviceManagement", instance_id
        ) as (session, instance):
            row = session.get(InstanceSettings, instance.id)
            permission = (row and row.mfa_user_permission) or DEFAULT_MFA_PERMISSION
            return _store_id(session, instance), permission

    def put_mfa_device_management_for_identity_store(
        self, caller: Caller, instance_id: str, identity_store_id: str, user_permission: str
    ) -> None:
        with self.gate.instance_unit(
            caller, "IdentityCenter:instance:putMfaDeviceManagement", instance_id, write=True
        ) as (session, instance):
            if identity_store_id != _store_id(session, instance):
                raise invalid(
                    f"identity_store_id {identity_store_id} is not the identity store of "
                    f"instance {instance.id}"
                )
            _locked_row(session, instance).mfa_user_permission = user_permission

    def get_ha_configuration(self, caller: Caller, instance_id: str) -> str:
        row = self._read(caller, "IdentityCenter:instance:getHaConfiguration", instance_id)
        return (row and row.disaster_recovery_choice) or DEFAULT_DISASTER_RECOVERY

    def update_ha_configuration(self, caller: Caller, instance_id: str, choice: str) -> None:
        action = "IdentityCenter:instance:updateHaConfiguration"
        with self._writing(caller, action, instance_id) as row:
            row.disaster_recovery_choice = choice

    # Internals ----------------------------------------------------------------------------

    def _read(self, caller: Caller, action: str, instance_id: str) -> InstanceSettings | None:
        with self.gate.instance_unit(caller, action, instance_id) as (session, instance):
            return session.get(InstanceSettings, instance.id)

    @contextmanager
    def _writing(self, caller: Caller, action: str, instance_id: str) -> Iterator[InstanceSettings]:
        """One transaction on the instance's settings row, made if missing, locked otherwise."""
        with self.gate.instance_unit(caller, action, instance_id, write=True) as (
            session,
            instance,
        ):
            yield _locked_row(session, instance)


def _locked_row(session: Session, instance: GatedInstance) -> InstanceSettings:
    """The instance's settings row, locked; inserted first if missing (a concurrent first
    writer that wins the primary key makes this one read the winner's row instead)."""
    stmt = select(InstanceSettings).where(InstanceSettings.instance_id == instance.id)
    row = session.scalar(stmt.with_for_update())
    if row is None:
        try:
            with session.begin_nested():  # flushed (and on a clash rolled back) on exit
                row = InstanceSettings(instance_id=instance.id, updated_at=now())
                session.add(row)
        except IntegrityError:
            row = session.scalar(stmt.with_for_update())
    assert row is not None  # made above, or by the concurrent creator we clashed with
    row.updated_at = now()
    return row


def _store_id(session: Session, instance: GatedInstance) -> str:
    store_id = session.scalar(
        select(IdentityStore.id).where(IdentityStore.instance_id == instance.id)
    )
    assert store_id is not None  # an instance always has its identity store
    return store_id


def _attributes(configuration: s.AttributeConfiguration) -> list[dict]:
    return [attribute.model_dump() for attribute in configuration.access_control_attributes]


def _no_configuration(instance_id: str):
    return not_found("access control attribute configuration of instance", instance_id)
