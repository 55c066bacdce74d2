"""Application instances: create from a catalog template, read, list, delete, and change their
display data, status and SAML settings (directly, or from the service provider's metadata).

Creating one makes, in one transaction, the application instance (`app-ins-` + 16 hex, status
`CREATED`, the template's display data and settings), its `Default` profile and its first,
active signing certificate (whose key is generated before the transaction opens). Deleting it
removes its profiles, assignments and certificates by ON DELETE CASCADE, in the same statement.
"""

from __future__ import annotations

import copy
from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

from sqlalchemy import delete, select
from sqlalchemy.exc import IntegrityError
from sqlalchemy.orm import Session

from idplane.identitycenter.applications import configuration
from idplane.identitycenter.applications.catalog.service import Catalog, Template
from idplane.identitycenter.applications.certificates.service import CertificateService
from idplane.identitycenter.applications.certificates.tables import ACTIVE, ApplicationCertificate
from idplane.identitycenter.applications.instances.idp_metadata import idp_metadata
from idplane.identitycenter.applications.instances.metadata import parse_sp_metadata
from idplane.identitycenter.applications.instances.tables import (
    CREATED,
    DISABLED,
    ENABLED,
    ApplicationInstance,
)
from idplane.identitycenter.applications.profiles.service import new_default_profile
from idplane.identitycenter.applications.scope import application_unit
from idplane.instances.errors import invalid, not_found
from idplane.instances.gate import GatedInstance, IdentityCenterGate
from idplane.platform import ids
from idplane.platform.auth.caller import Caller
from idplane.platform.clock import now
from idplane.platform.db import Store, is_unique_violation
from idplane.platform.errors import Conflict
from idplane.platform.paging import Page, PageRequest, keyset_page

ACTION = "IdentityCenter:application:"


@dataclass(frozen=True)
class InstanceView:
    application: ApplicationInstance
    certificate: ApplicationCertificate | None
    identity_provider: dict[str, str]  # IdentityProviderConfigDto


class ApplicationInstanceService:
    def __init__(
        self,
        store: Store,
        gate: IdentityCenterGate,
        catalog: Catalog,
        certificates: CertificateService,
        endpoint: str,
    ):
        self.store = store
        self.gate = gate
        self.catalog = catalog
        self.certificates = certificates
        self.endpoint = endpoint.rstrip("/")

    def create_application_instance(
        self, caller: Caller, instance_id: str, name: str, template_id: str
    ) -> InstanceView:
        action = ACTION + "createApplicationInstance"
        # Checked before the key is made, so refused callers cost no key generation.
        with self.gate.instance_unit(caller, action, instance_id):
            pass
        template = self.catalog.template(template_id)
        if template is None:
            raise not_found("application template", template_id)
        document = template.document()
        # A template leaves the certificate lifetime open; the instance starts with ours.
        ttl = document["security_config"].get("ttl") or configuration.DEFAULT_CERTIFICATE_TTL
        application_instance_id = ids.prefixed_hex("app-ins-", 16)
        issued = self.certificates.issue(application_instance_id, ttl)
        try:
            with self.gate.instance_unit(caller, action, instance_id, write=True) as (
                session,
                instance,
            ):
                application = _new_instance(
                    application_instance_id, instance, name, template, document, ttl
                )
                session.add(application)
                session.flush()
                session.add(new_default_profile(application.id))
                certificate = self.certificates.add(session, application.id, issued, ACTIVE)
                return self._view(application, certificate)
        except IntegrityError as error:
            if is_unique_violation(error):
                raise Conflict(
                    f"Duplicate entity objects: an application instance named {name} "
                    "already exists.",
                    "IIC.1257",
                ) from None
            raise

    def get_application_instance(
        self, caller: Caller, instance_id: str, application_instance_id: str
    ) -> InstanceView:
        with application_unit(
            self.gate,
            caller,
            ACTION + "getApplicationInstance",
            instance_id,
            application_instance_id,
        ) as (session, _, application):
            return self._views(session, [application])[0]

    def list_application_instances(
        self, caller: Caller, instance_id: str, paging: PageRequest
    ) -> Page:
        with self.gate.instance_unit(caller, ACTION + "listApplicationInstances", instance_id) as (
            session,
            instance,
        ):
            stmt = select(ApplicationInstance).where(ApplicationInstance.instance_id == instance.id)
            page = keyset_page(session, stmt, ApplicationInstance.seq, paging)
            page.rows = self._views(session, page.rows)
            return page

    def delete_application_instance(
        self, caller: Caller, instance_id: str, application_instance_id: str
    ) -> None:
        with application_unit(
            self.gate,
            caller,
            ACTION + "deleteApplicationInstance",
            instance_id,
            application_instance_id,
            write=True,
        ) as (session, _, application):
            session.execute(
                delete(ApplicationInstance).where(ApplicationInstance.id == application.id)
            )

    def identity_provider_metadata(self, application_instance_id: str) -> bytes:
        """The metadata at `identity_provider_config.metadata_url`. Public, as an identity
        provider's metadata is: it holds nothing but URLs and the public certificate."""
        with self.store.read() as session:
            application = session.scalar(
                select(ApplicationInstance).where(ApplicationInstance.id == application_instance_id)
            )
            if application is None:
                raise not_found("application instance", application_instance_id)
            view = self._views(session, [application])[0]
        schema = application.response_schema_config
        formats = schema.get("supported_name_id_formats") or [schema["subject"]["name_id_format"]]
        certificate = view.certificate.certificate if view.certificate else None
        return idp_metadata(view.identity_provider, certificate, formats)

    # Changes ----------------------------------------------------------------------------------

    def update_application_instance_display_data(
        self,
        caller: Caller,
        instance_id: str,
        application_instance_id: str,
        display_name: str,
        description: str,
    ) -> None:
        def change(application: ApplicationInstance) -> None:
            application.display_name = display_name
            application.description = description

        self._change(
            caller,
            instance_id,
            application_instance_id,
            "updateApplicationInstanceDisplayData",
            change,
        )

    def update_application_instance_status(
        self, caller: Caller, instance_id: str, application_instance_id: str, status: str
    ) -> None:
        if status not in (ENABLED, DISABLED):
            raise invalid(f"status must be {ENABLED} or {DISABLED}")

        def change(application: ApplicationInstance) -> None:
            application.status = status

        self._change(
            caller, instance_id, application_instance_id, "updateApplicationInstanceStatus", change
        )

    def update_application_instance_security_configuration(
        self, caller: Caller, instance_id: str, application_instance_id: str, config: dict[str, Any]
    ) -> None:
        checked = configuration.security_config(config)
        self._set(
            caller,
            instance_id,
            application_instance_id,
            "security_config",
            checked,
            "SecurityConfiguration",
        )

    def update_application_instance_service_provider_configuration(
        self, caller: Caller, instance_id: str, application_instance_id: str, config: dict[str, Any]
    ) -> None:
        checked = configuration.service_provider_config(config)
        self._set(
            caller,
            instance_id,
            application_instance_id,
            "service_provider_config",
            checked,
            "ServiceProviderConfiguration",
        )

    def update_application_instance_response_configuration(
        self, caller: Caller, instance_id: str, application_instance_id: str, config: dict[str, Any]
    ) -> None:
        checked = configuration.response_config(config)
        self._set(
            caller,
            instance_id,
            application_instance_id,
            "response_config",
            checked,
            "ResponseConfiguration",
        )

    def update_application_instance_response_schema_configuration(
        self, caller: Caller, instance_id: str, application_instance_id: str, config: dict[str, Any]
    ) -> None:
        checked = configuration.response_schema_config(config)
        self._set(
            caller,
            instance_id,
            application_instance_id,
            "response_schema_config",
            checked,
            "ResponseSchemaConfiguration",
        )

    def import_application_instance_service_provider_metadata(
        self, caller: Caller, instance_id: str, application_instance_id: str, document: str
    ) -> None:
        metadata = parse_sp_metadata(document)

        def change(application: ApplicationInstance) -> None:
            provider = {
                "audience": metadata.entity_id,
                "require_request_signature": metadata.authn_requests_signed,
                "consumers": metadata.consumers,
            }
            start_url = application.service_provider_config.get("start_url")
            if start_url:
                provider["start_url"] = start_url
            application.service_provider_config = configuration.service_provider_config(provider)
            if metadata.name_id_formats:
                application.response_schema_config = _with_name_id_formats(
                    application.response_schema_config, metadata.name_id_formats
                )

        self._change(
            caller,
            instance_id,
            application_instance_id,
            "importApplicationInstanceServiceProviderMetadata",
            change,
        )

    # Internals ------------------------------------------------------------------------------

    def _set(self, caller, instance_id, application_instance_id, column, value, what) -> None:
        def change(application: ApplicationInstance) -> None:
            setattr(application, column, value)

        self._change(
            caller, instance_id, application_instance_id, f"updateApplicationInstance{what}", change
        )

    def _change(
        self,
        caller: Caller,
        instance_id: str,
        application_instance_id: str,
        operation: str,
        change: Callable[[ApplicationInstance], None],
    ) -> None:
        with application_unit(
            self.gate,
            caller,
            ACTION + operation,
            instance_id,
            application_instance_id,
            lock=True,
            write=True,
        ) as (_session, _, application):
            change(application)
            application.updated_at = now()

    def _views(
        self, session: Session, applications: list[ApplicationInstance]
    ) -> list[InstanceView]:
        active = self.certificates.active(session, [a.id for a in applications])
        return [self._view(a, active.get(a.id)) for a in applications]

    def _view(
        self, application: ApplicationInstance, certificate: ApplicationCertificate | None
    ) -> InstanceView:
        base = f"{self.endpoint}/saml"
        identity_provider = {
            "issuer_url": f"{base}/assertion/{application.id}",
            "metadata_url": f"{base}/metadata/{application.id}",
            "remote_login_url": f"{base}/assertion/{application.id}",
            "remote_logout_url": f"{base}/logout/{application.id}",
        }
        return InstanceView(application, certificate, identity_provider)


def _new_instance(
    application_instance_id: str,
    instance: GatedInstance,
    name: str,
    template: Template,
    document: dict[str, Any],
    ttl: str,
) -> ApplicationInstance:
    moment = now()
    application = template.application
    return ApplicationInstance(
        id=application_instance_id,
        instance_id=instance.id,
        account_id=instance.account_id,
        name=name,
        template_id=template.template_id,
        application_id=application.application_id,
        provider_id=application.provider.application_provider_id,
        template=document,
        display_name=application.display_name,
        description=application.description,
        icon=application.icon or None,
        status=CREATED,
        visible=True,
        end_user_visible=True,
        assignment_required=True,
        security_config={"ttl": ttl},
        service_provider_config=copy.deepcopy(document["service_provider_config"]),
        response_config=copy.deepcopy(document["response_config"]),
        response_schema_config=copy.deepcopy(document["response_schema_config"]),
        created_at=moment,
        updated_at=moment,
    )


def _with_name_id_formats(config: dict[str, Any], formats: list[str]) -> dict[str, Any]:
    """The service provider's name-id formats become the supported ones; the subject keeps its
    format if the provider supports it, else takes the provider's first."""
    updated = copy.deepcopy(config)
    updated["supported_name_id_formats"] = formats
    if updated["subject"]["name_id_format"] not in formats:
        updated["subject"]["name_id_format"] = formats[0]
    return updated
