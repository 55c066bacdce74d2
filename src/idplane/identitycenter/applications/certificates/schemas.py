"""Wire models of the certificate APIs (names from the SDK's attribute maps)."""

from __future__ import annotations

from pydantic import BaseModel

from idplane.identitycenter.applications.certificates.tables import ApplicationCertificate
from idplane.instances.schemas import PageInfo, page_info
from idplane.platform.clock import as_utc, epoch_ms
from idplane.platform.paging import Page


class CertificateDto(BaseModel):
    algorithm: str
    certificate: str  # PEM; the private key is never returned
    certificate_id: str
    expiry_date: int
    status: str
    key_size: str
    issue_date: int


class CertificateResponse(BaseModel):
    application_instance_certificate: CertificateDto


class CertificatesResponse(BaseModel):
    application_instance_certificates: list[CertificateDto]
    page_info: PageInfo


def certificate_out(certificate: ApplicationCertificate) -> CertificateDto:
    return CertificateDto(
        algorithm=certificate.algorithm,
        certificate=certificate.certificate,
        certificate_id=certificate.id,
        expiry_date=epoch_ms(as_utc(certificate.expires_at)),
        status=certificate.status,
        key_size=certificate.key_size,
        issue_date=epoch_ms(as_utc(certificate.issued_at)),
    )


def one_out(certificate: ApplicationCertificate) -> CertificateResponse:
    return CertificateResponse(application_instance_certificate=certificate_out(certificate))


def page_out(page: Page) -> CertificatesResponse:
    return CertificatesResponse(
        application_instance_certificates=[certificate_out(c) for c in page.rows],
        page_info=page_info(page),
    )
