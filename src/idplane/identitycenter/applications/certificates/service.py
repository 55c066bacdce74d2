"""Signing certificates of an application instance: list, create, activate, delete.

An application instance always has exactly one ACTIVE certificate: it gets one when it is
created, a new certificate starts INACTIVE, activating one deactivates the previous one in the
same transaction, and the active one cannot be deleted (409 IIC.1007: activate another one
first). At most `MAX_CERTIFICATES` per application instance, counted under the application
instance's row lock. The private key is generated here, sealed with the master key and never
leaves the store; generating it happens before the transaction opens, so no lock waits on it.
"""

from __future__ import annotations

from sqlalchemy import delete, func, select, update
from sqlalchemy.orm import Session

from idplane.identitycenter.applications.certificates import keys
from idplane.identitycenter.applications.certificates.tables import (
    ACTIVE,
    INACTIVE,
    ApplicationCertificate,
)
from idplane.identitycenter.applications.configuration import (
    DEFAULT_CERTIFICATE_TTL,
    certificate_validity,
)
from idplane.identitycenter.applications.instances.tables import ApplicationInstance
from idplane.identitycenter.applications.scope import application_unit
from idplane.instances.errors import not_found
from idplane.instances.gate import IdentityCenterGate
from idplane.platform import ids
from idplane.platform.auth.caller import Caller
from idplane.platform.clock import as_utc, now
from idplane.platform.crypto import SecretBox
from idplane.platform.db import Store
from idplane.platform.errors import Conflict, Invalid, QuotaExceeded
from idplane.platform.paging import Page, PageRequest, keyset_page

MAX_CERTIFICATES = 3


class CertificateService:
    def __init__(self, store: Store, gate: IdentityCenterGate, box: SecretBox):
        self.store = store
        self.gate = gate
        self.box = box

    # For the application instances' own creation ------------------------------------------

    @staticmethod
    def issue(application_instance_id: str, ttl: str | None) -> keys.IssuedCertificate:
        return keys.issue(
            application_instance_id, certificate_validity(ttl or DEFAULT_CERTIFICATE_TTL)
        )

    def add(
        self,
        session: Session,
        application_instance_id: str,
        issued: keys.IssuedCertificate,
        status: str,
    ) -> ApplicationCertificate:
        certificate = ApplicationCertificate(
            id=ids.uuid_str(),
            application_instance_id=application_instance_id,
            algorithm=issued.algorithm,
            key_size=issued.key_size,
            certificate=issued.certificate_pem,
            private_key_sealed=self.box.seal(issued.private_key_pem),
            status=status,
            issued_at=issued.issued_at,
            expires_at=issued.expires_at,
        )
        session.add(certificate)
        session.flush()
        return certificate

    @staticmethod
    def active(
        session: Session, application_instance_ids: list[str]
    ) -> dict[str, ApplicationCertificate]:
        stmt = select(ApplicationCertificate).where(
            ApplicationCertificate.application_instance_id.in_(application_instance_ids),
            ApplicationCertificate.status == ACTIVE,
        )
        return {c.application_instance_id: c for c in session.scalars(stmt)}

    # The API ----------------------------------------------------------------------------------

    def list_application_instance_certificates(
        self, caller: Caller, instance_id: str, application_instance_id: str, paging: PageRequest
    ) -> Page:
        with application_unit(
            self.gate,
            caller,
            "IdentityCenter:application:listApplicationInstanceCertificates",
            instance_id,
            application_instance_id,
        ) as (session, _, application):
            stmt = select(ApplicationCertificate).where(
                ApplicationCertificate.application_instance_id == application.id
            )
            return keyset_page(session, stmt, ApplicationCertificate.seq, paging)

    def create_application_instance_certificate(
        self, caller: Caller, instance_id: str, application_instance_id: str
    ) -> ApplicationCertificate:
        action = "IdentityCenter:application:createApplicationInstanceCertificate"
        with application_unit(self.gate, caller, action, instance_id, application_instance_id) as (
            session,
            _,
            application,
        ):
            ttl = application.security_config.get("ttl")
        issued = self.issue(application_instance_id, ttl)
        with application_unit(
            self.gate, caller, action, instance_id, application_instance_id, write=True, lock=True
        ) as (session, _, application):
            if self._count(session, application.id) >= MAX_CERTIFICATES:
                raise QuotaExceeded(
                    f"an application instance holds at most {MAX_CERTIFICATES} "
                    "certificates; delete an inactive one first."
                )
            return self.add(session, application.id, issued, INACTIVE)

    def update_application_instance_active_certificate(
        self, caller: Caller, instance_id: str, application_instance_id: str, certificate_id: str
    ) -> ApplicationCertificate:
        action = "IdentityCenter:application:updateApplicationInstanceActiveCertificate"
        with application_unit(
            self.gate, caller, action, instance_id, application_instance_id, write=True, lock=True
        ) as (session, _, application):
            certificate = self._certificate(session, application, certificate_id)
            if as_utc(certificate.expires_at) <= now():
                raise Invalid(f"certificate {certificate_id} has expired; it cannot be activated.")
            # Deactivate first, in its own statement: at no moment are two certificates active.
            session.execute(
                update(ApplicationCertificate)
                .where(
                    ApplicationCertificate.application_instance_id == application.id,
                    ApplicationCertificate.status == ACTIVE,
                )
                .values(status=INACTIVE)
            )
            session.execute(
                update(ApplicationCertificate)
                .where(ApplicationCertificate.id == certificate.id)
                .values(status=ACTIVE)
            )
            session.refresh(certificate)
            return certificate

    def delete_application_instance_certificate(
        self, caller: Caller, instance_id: str, application_instance_id: str, certificate_id: str
    ) -> None:
        action = "IdentityCenter:application:deleteApplicationInstanceCertificate"
        with application_unit(
            self.gate, caller, action, instance_id, application_instance_id, write=True, lock=True
        ) as (session, _, application):
            certificate = self._certificate(session, application, certificate_id)
            if certificate.status == ACTIVE:
                raise Conflict(
                    f"Data modification failed: certificate {certificate_id} is the active "
                    "certificate of the application instance; activate another one first."
                )
            session.execute(
                delete(ApplicationCertificate).where(ApplicationCertificate.id == certificate.id)
            )

    # Internals ------------------------------------------------------------------------------

    @staticmethod
    def _certificate(
        session: Session, application: ApplicationInstance, certificate_id: str
    ) -> ApplicationCertificate:
        certificate = session.scalar(
            select(ApplicationCertificate).where(
                ApplicationCertificate.id == certificate_id,
                ApplicationCertificate.application_instance_id == application.id,
            )
        )
        if certificate is None:
            raise not_found("certificate", certificate_id)
        return certificate

    @staticmethod
    def _count(session: Session, application_instance_id: str) -> int:
        stmt = select(func.count()).where(
            ApplicationCertificate.application_instance_id == application_instance_id
        )
        return session.scalar(stmt) or 0
