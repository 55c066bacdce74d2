"""The services a seed file is applied through, wired as app.py wires them, over one
transaction: every service's own unit of work becomes a savepoint of it, so a seed file is
written whole or not at all."""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass

from sqlalchemy.orm import Session

from idplane.app import Core, build_core
from idplane.federation import api as federation_api
from idplane.identitycenter.applications import api as applications_api
from idplane.identitycenter.assignments.service import AssignmentService
from idplane.identitycenter.permission_sets import api as permission_sets_api
from idplane.identitycenter.service import IdentityCenterService
from idplane.identitystore.directory import api as directory_api
from idplane.identitystore.password_policy.service import minimum_password_length
from idplane.instances.gate import IdentityCenterGate
from idplane.organizations.service import OrganizationService


class OneTransaction:
    """Looks like a Store to the services; every block runs in the one open session."""

    def __init__(self, session: Session, url: str):
        self.session = session
        self.url = url

    @contextmanager
    def transaction(self) -> Iterator[Session]:
        with self.session.begin_nested():
            yield self.session

    @contextmanager
    def read(self) -> Iterator[Session]:
        yield self.session

    def dispose(self) -> None:
        pass


@dataclass
class SeedServices:
    core: Core
    organizations: OrganizationService
    identity_center: IdentityCenterService
    directory: directory_api.Directory
    permission_sets: permission_sets_api.PermissionSets
    assignments: AssignmentService
    federation: federation_api.FederationServices
    applications: applications_api.Applications

    @classmethod
    def build(cls, core: Core, session: Session) -> SeedServices:
        store = OneTransaction(session, core.store.url)
        inner = build_core(core.settings, store)  # type: ignore[arg-type]
        gate = IdentityCenterGate(store, inner.authorizer)
        directory = directory_api.build_directory(
            store, gate, minimum_password_length=minimum_password_length
        )
        permission_sets = permission_sets_api.build_permission_sets(store, gate)
        quotas = permission_sets.permission_sets.quotas
        assignments = AssignmentService(store, gate, quotas)
        directory.directory.add_principal_deleted_hook(assignments.on_principal_deleted)
        return cls(
            core=inner,
            organizations=OrganizationService(store, inner.authorizer, inner.accounts),
            identity_center=IdentityCenterService(store, gate, core.settings.region),
            directory=directory,
            permission_sets=permission_sets,
            assignments=assignments,
            federation=federation_api.build_services(store, inner.authorizer, inner.accounts),
            applications=applications_api.build_applications(
                store, gate, inner.box, directory.directory, core.settings.endpoint
            ),
        )
