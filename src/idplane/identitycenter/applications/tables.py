"""Every table of Identity Center applications, for `idplane.tables.load_all_tables()`."""

from idplane.identitycenter.applications.assignments.tables import ApplicationAssignment
from idplane.identitycenter.applications.certificates.tables import ApplicationCertificate
from idplane.identitycenter.applications.instances.tables import ApplicationInstance
from idplane.identitycenter.applications.profiles.tables import ApplicationProfile

__all__ = [
    "ApplicationAssignment",
    "ApplicationCertificate",
    "ApplicationInstance",
    "ApplicationProfile",
]
