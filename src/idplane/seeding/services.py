"""The services a seed file is applied through, wired as app.py wires them, over one
transaction: every service's own unit of work becomes a savepoint of it, so a seed file is
written whole or not at all."""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass

from sqlalchemy import Connection
from sqlalchemy.orm import Session

from idplane.app import Core, build_core
from idplane.federation.assembly import FederationServices
from idplane.identitycenter.assembly import ApplicationServices, IdentityCenterServices
from idplane.identitycenter.assignments.service import AssignmentService
from idplane.identitycenter.service import IdentityCenterService
from idplane.identitystore.assembly import DirectoryServices, build_directory
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

    @contextmanager
    def read_connection(self) -> Iterator[Connection]:
        yield self.session.connection()

    def dispose(self) -> None:
        pass


@dataclass
class SeedServices:
    core: Core
    organizations: OrganizationService
    identity_center: IdentityCenterService
    directory: DirectoryServices
    permission_sets: IdentityCenterServices  # .permission_sets and .policies
    assignments: AssignmentService
    federation: FederationServices
    applications: ApplicationServices

    @classmethod
    def build(cls, core: Core, session: Session) -> SeedServices:
        store = OneTransaction(session, core.store.url)
        inner = build_core(core.settings, store)  # type: ignore[arg-type]
        gate = IdentityCenterGate(store, inner.authorizer)  # type: ignore[arg-type]
        directory = build_directory(
            store,  # type: ignore[arg-type]
            gate,
            minimum_password_length=minimum_password_length,
        )
        center = IdentityCenterServices.build(
            store,  # type: ignore[arg-type]
            gate,
            inner.box,
            directory.directory,
            core.settings.region,
            core.settings.endpoint,
        )
        return cls(
            core=inner,
            organizations=OrganizationService(store, inner.authorizer, inner.accounts),  # type: ignore[arg-type]
            identity_center=center.instance,
            directory=directory,
            permission_sets=center,
            assignments=center.assignments,
            federation=FederationServices.build(
                store,  # type: ignore[arg-type]
                inner.authorizer,
                inner.accounts,
                inner.tokens,
            ),
            applications=center.applications,
        )
