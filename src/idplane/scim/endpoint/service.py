"""The SCIM endpoint's operations, named after the `huaweicloudsdkidentitycenterscim` methods.

Every write is one transaction that first holds the provisioning tenant (so nothing is written
once its deletion committed), locks the row it changes (`SELECT ... FOR UPDATE`, so concurrent
PATCHes never lose one another's changes), checks `If-Match` against the row's version, and
maps the directory's unique constraints to 409 `uniqueness`. Users and groups are created
under the directory's quotas and deleted through `DirectoryService.delete_principal`, so
memberships, account assignments and whatever else hooks in go with them.
"""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from typing import Any

from sqlalchemy import select
from sqlalchemy.exc import IntegrityError
from sqlalchemy.orm import Session

from idplane.identitystore.directory.service import DirectoryService
from idplane.identitystore.provisioning.service import ScimProvisioningService, ScimTenant
from idplane.platform.db import Store
from idplane.platform.errors import NotFound, PreconditionFailed
from idplane.scim.endpoint.groups import GroupKind
from idplane.scim.endpoint.kinds import Kind, is_resource_id, matches_etag
from idplane.scim.endpoint.query import ListRequest, View, list_resources, shows_members
from idplane.scim.endpoint.users import UserKind
from idplane.scim.listing import list_response
from idplane.scim.patch import apply_patch, operations_of
from idplane.scim.projection import project
from idplane.scim.schemas import Catalog


@dataclass(frozen=True)
class Shown:
    """A resource as the response shows it, with what the headers need."""

    body: dict[str, Any]
    version: int
    location: str


class ScimService:
    def __init__(
        self,
        store: Store,
        directory: DirectoryService,
        provisioning: ScimProvisioningService,
        catalog: Catalog | None = None,
    ):
        self.store = store
        self.directory = directory
        self.provisioning = provisioning
        self.catalog = catalog or Catalog.load()
        self.users = UserKind(self.catalog.resource("User"))
        self.groups = GroupKind(
            self.catalog.resource("Group"), directory.quotas, directory.members_removed
        )

    def authenticate(self, tenant_id: str, token: str | None) -> ScimTenant:
        return self.provisioning.authenticate_bearer(tenant_id, token)

    def base_url(self, tenant: ScimTenant) -> str:
        return self.provisioning.scim_endpoint(tenant.tenant_id).rstrip("/")

    # Discovery ------------------------------------------------------------------------------

    def service_provider_config(self, tenant: ScimTenant) -> dict[str, Any]:
        return self.catalog.service_provider_config(self.base_url(tenant))

    def list_schemas(self, tenant: ScimTenant) -> dict[str, Any]:
        documents = self.catalog.schema_documents(self.base_url(tenant))
        return list_response(documents, len(documents), 1)

    def get_schema(self, tenant: ScimTenant, schema_id: str) -> dict[str, Any]:
        return self.catalog.schema_document(schema_id, self.base_url(tenant))

    def list_resource_types(self, tenant: ScimTenant) -> dict[str, Any]:
        documents = self.catalog.resource_type_documents(self.base_url(tenant))
        return list_response(documents, len(documents), 1)

    def get_resource_type(self, tenant: ScimTenant, type_id: str) -> dict[str, Any]:
        return self.catalog.resource_type_document(type_id, self.base_url(tenant))

    # Users ----------------------------------------------------------------------------------

    def create_user(self, tenant: ScimTenant, body: Any, view: View) -> Shown:
        return self._create(self.users, tenant, body, view)

    def get_user(self, tenant: ScimTenant, user_id: str, view: View) -> Shown:
        return self._get(self.users, tenant, user_id, view)

    def list_users(self, tenant: ScimTenant, request: ListRequest) -> dict[str, Any]:
        return self._list(self.users, tenant, request)

    def put_user(
        self, tenant: ScimTenant, user_id: str, body: Any, view: View, if_match: str | None
    ) -> Shown:
        return self._put(self.users, tenant, user_id, body, view, if_match)

    def patch_user(
        self, tenant: ScimTenant, user_id: str, body: Any, view: View, if_match: str | None
    ) -> Shown:
        return self._patch(self.users, tenant, user_id, body, view, if_match)

    def delete_user(self, tenant: ScimTenant, user_id: str, if_match: str | None) -> None:
        self._delete(self.users, tenant, user_id, if_match)

    # Groups ---------------------------------------------------------------------------------

    def create_group(self, tenant: ScimTenant, body: Any, view: View) -> Shown:
        return self._create(self.groups, tenant, body, view)

    def get_group(self, tenant: ScimTenant, group_id: str, view: View) -> Shown:
        return self._get(self.groups, tenant, group_id, view)

    def list_groups(self, tenant: ScimTenant, request: ListRequest) -> dict[str, Any]:
        return self._list(self.groups, tenant, request)

    def put_group(
        self, tenant: ScimTenant, group_id: str, body: Any, view: View, if_match: str | None
    ) -> Shown:
        return self._put(self.groups, tenant, group_id, body, view, if_match)

    def patch_group(
        self, tenant: ScimTenant, group_id: str, body: Any, view: View, if_match: str | None
    ) -> Shown:
        return self._patch(self.groups, tenant, group_id, body, view, if_match)

    def delete_group(self, tenant: ScimTenant, group_id: str, if_match: str | None) -> None:
        self._delete(self.groups, tenant, group_id, if_match)

    # The flows every resource type shares ---------------------------------------------------

    def _create(self, kind: Kind, tenant: ScimTenant, body: Any, view: View) -> Shown:
        resource = kind.prepare(body, None)
        with self._writing(kind, tenant) as session:
            row = kind.insert(session, tenant, resource)
            # The quota's counts row last, as deletions take it after the principal: a group
            # created with members never waits for it while holding a member's lock.
            self.directory.reserve(
                session, tenant.identity_store_id, kind.principal_type, written=True
            )
            session.flush()
            return self._shown(session, kind, tenant, row, view)

    def _get(self, kind: Kind, tenant: ScimTenant, resource_id: str, view: View) -> Shown:
        with self.store.read() as session:
            row = self._find(session, kind, tenant, resource_id, lock=False)
            return self._shown(session, kind, tenant, row, view)

    def _list(self, kind: Kind, tenant: ScimTenant, request: ListRequest) -> dict[str, Any]:
        with self.store.read() as session:
            return list_resources(
                session,
                kind,
                tenant.identity_store_id,
                request,
                self.base_url(tenant),
                self.catalog.max_results,
            )

    def _put(
        self,
        kind: Kind,
        tenant: ScimTenant,
        resource_id: str,
        body: Any,
        view: View,
        if_match: str | None,
    ) -> Shown:
        with self._writing(kind, tenant) as session:
            row = self._find(session, kind, tenant, resource_id, lock=True, if_match=if_match)
            before = self._whole(session, kind, tenant, row)
            kind.update(session, tenant, row, before, kind.prepare(body, row))
            session.flush()
            return self._shown(session, kind, tenant, row, view)

    def _patch(
        self,
        kind: Kind,
        tenant: ScimTenant,
        resource_id: str,
        body: Any,
        view: View,
        if_match: str | None,
    ) -> Shown:
        operations = operations_of(body)
        with self._writing(kind, tenant) as session:
            row = self._find(session, kind, tenant, resource_id, lock=True, if_match=if_match)
            before = self._whole(session, kind, tenant, row)
            result = apply_patch(before, operations, kind.schema)
            if result.changed:
                kind.check(result.resource)
                kind.update(session, tenant, row, before, result.resource)
                session.flush()
            return self._shown(session, kind, tenant, row, view)

    def _delete(
        self, kind: Kind, tenant: ScimTenant, resource_id: str, if_match: str | None
    ) -> None:
        with self._writing(kind, tenant) as session:
            if is_resource_id(resource_id):
                kind.before_delete(session, resource_id)
            row = self._find(session, kind, tenant, resource_id, lock=True, if_match=if_match)
            self.directory.delete_principal(
                session, tenant.identity_store_id, kind.principal_type, row.id
            )

    @contextmanager
    def _writing(self, kind: Kind, tenant: ScimTenant) -> Iterator[Session]:
        """One write transaction for the tenant; unique violations become 409 uniqueness.

        Locks are taken in one order everywhere (PostgreSQL would abort a cycle): the tenant,
        groups, users, then the store's quota counts row (creations and deletions)."""
        try:
            with self.store.transaction() as session:
                self.provisioning.hold_tenant(session, tenant)
                yield session
        except IntegrityError as error:
            raise kind.conflict(error) from None

    def _find(
        self,
        session: Session,
        kind: Kind,
        tenant: ScimTenant,
        resource_id: str,
        *,
        lock: bool,
        if_match: str | None = None,
    ) -> Any:
        """The row (locked until the write commits when `lock`), or 404; 412 when `If-Match`
        names another version."""
        model = kind.model
        if not is_resource_id(resource_id):
            raise NotFound(f"{kind.name} {resource_id[:64]} not found.")
        stmt = select(model).where(
            model.identity_store_id == tenant.identity_store_id, model.id == resource_id
        )
        # FOR NO KEY UPDATE: inserting a membership that references the row does not wait.
        row = session.scalar(stmt.with_for_update(key_share=True) if lock else stmt)
        if row is None:
            raise NotFound(f"{kind.name} {resource_id} not found.")
        if if_match is not None and not matches_etag(if_match, row.version):
            raise PreconditionFailed(
                f"{kind.name} {resource_id} has changed: its version is not {if_match}."
            )
        return row

    def _whole(self, session: Session, kind: Kind, tenant: ScimTenant, row: Any) -> dict:
        return kind.render(session, [row], self.base_url(tenant), True)[0]

    def _shown(
        self, session: Session, kind: Kind, tenant: ScimTenant, row: Any, view: View
    ) -> Shown:
        members = shows_members(kind, view)
        resource = kind.render(session, [row], self.base_url(tenant), members)[0]
        shown = project(resource, kind.schema, view.attributes, view.excluded_attributes)
        return Shown(shown, row.version, resource["meta"]["location"])
