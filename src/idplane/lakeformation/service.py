"""LakeFormation service authorization: the agreements a tenant accepts and the IAM agencies
the service asks for.

Agency credentials are temporary AK/SK of a session LakeFormation (the service the agency
trusts) opens in the account's agency for the caller: they carry the agency's permissions and
die with it. Access services are the cloud services a tenant lets access LakeFormation.

A tenant is one project of an account (tenants.py). Agencies belong to the account, as IAM
agencies do, and are made and removed with IAM's own functions inside our transaction.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from datetime import datetime
from typing import Any, TypeVar

from sqlalchemy import delete, select
from sqlalchemy.exc import IntegrityError
from sqlalchemy.orm import Session

from idplane.iam.agencies.service import (
    create_agency_in,
    delete_agency_in,
    find_agency_in,
    grant_to_agency_in,
)
from idplane.iam.agencies.tables import Agency
from idplane.iam.permissions.service import Target
from idplane.iam.permissions.source import IamPolicySource, statements_of
from idplane.iam.roles.catalog import system_roles
from idplane.iam.sessions.service import (
    AgencySessions,
    IssuedCredentials,
    SessionSpec,
    SourcePrincipal,
    open_session_in,
)
from idplane.lakeformation.catalog import (
    ADMIN_TRUST,
    AccessService,
    AgencyKind,
    AgreementRule,
    access_services,
    agency_kinds,
    agreement_rules,
)
from idplane.lakeformation.tables import AccessServiceGrant, Agreement
from idplane.lakeformation.tenants import Tenant
from idplane.platform.auth.caller import Caller, CredentialKind, SourceKind
from idplane.platform.authz import Authorizer, evaluate
from idplane.platform.clock import now
from idplane.platform.db import Base, Store, rowcount
from idplane.platform.errors import Conflict, Invalid, NotFound

# LakeFormation's error codes (ErrorCode page): service prefix + 8 digits.
ALREADY_EXISTS = "lakeformation.00000003"
TOO_MANY = "lakeformation.00000004"
LIST_EMPTY = "lakeformation.00000006"
NOT_FOUND = "common.01000001"
BAD_REQUEST = "common.01000001"  # the documented 400 of the access-service APIs
MAX_AGREEMENTS = 1000
Row = TypeVar("Row", bound=Base)
MAX_ACCESS_SERVICES = 10  # GrantAccessServiceRequestBody: 1 to 10 items
SESSION_NAME = "LakeFormation"


@dataclass(frozen=True)
class TenantAgreement:
    agreement_name: str
    agreement_version: str


@dataclass(frozen=True)
class AgreementView:
    agreements: list[TenantAgreement]
    is_agency: bool


@dataclass(frozen=True)
class AccessServiceDecision:
    name: str
    grant: bool


@dataclass(frozen=True)
class AccessServiceView:
    service: AccessService
    grant: bool


@dataclass(frozen=True)
class AgencyCredential:
    kind: AgencyKind
    issued: IssuedCredentials
    issued_at: datetime


@dataclass(frozen=True)
class AgencyView:
    kind: AgencyKind
    exists: bool
    granted: tuple[str, ...]  # the service's actions the agency allows
    missing: tuple[str, ...]  # the service's actions it does not

    @property
    def authorized(self) -> bool:
        return self.exists and not self.missing


class LakeFormationService:
    def __init__(self, store: Store, authorizer: Authorizer, sessions: AgencySessions):
        self.store = store
        self.authorizer = authorizer
        self.sessions = sessions
        self.policies = IamPolicySource(store, system_roles())

    def _authorize(self, caller: Caller, action: str) -> None:
        self.authorizer.authorize(caller, action, account_id=caller.account_id)

    # Agreements -------------------------------------------------------------------------------

    def create_agreement(
        self,
        caller: Caller,
        tenant: Tenant,
        agreements: Sequence[TenantAgreement],
        with_agency: bool = False,
    ) -> None:
        """Registers (or re-registers: the version is replaced) the tenant's agreements; v1
        also authorizes the service, creating the account's `lakeformation_admin_trust`."""
        self._authorize(caller, "lakeformation:agreement:create")
        _check_agreements(agreements)
        moment = now()
        with self.store.transaction() as session:
            for agreement in agreements:
                _upsert(
                    session,
                    Agreement,
                    {"project_id": tenant.project_id, "agreement_name": agreement.agreement_name},
                    {"agreement_version": agreement.agreement_version, "updated_at": moment},
                    {"account_id": tenant.account_id, "created_at": moment},
                )
            if with_agency:
                self._ensure_agency(session, caller, agency_kinds()[ADMIN_TRUST])

    def show_agreement(self, caller: Caller, tenant: Tenant) -> AgreementView:
        self._authorize(caller, "lakeformation:agreement:get")
        with self.store.read() as session:
            rows = session.scalars(
                select(Agreement)
                .where(Agreement.project_id == tenant.project_id)
                .order_by(Agreement.seq)
            )
            agreements = [TenantAgreement(r.agreement_name, r.agreement_version) for r in rows]
            admin = agency_kinds()[ADMIN_TRUST].agency_name
            is_agency = find_agency_in(session, tenant.account_id, admin) is not None
        return AgreementView(agreements, is_agency)

    def delete_agreement(self, caller: Caller, tenant: Tenant, with_agency: bool = False) -> None:
        """Cancels the tenant's authorization: every agreement of the project goes; v1 also
        deletes the account's `lakeformation_admin_trust` agency. 404 if none registered."""
        self._authorize(caller, "lakeformation:agreement:delete")
        with self.store.transaction() as session:
            removed = rowcount(
                session.execute(delete(Agreement).where(Agreement.project_id == tenant.project_id))
            )
            if not removed:
                raise NotFound("The tenant has not registered any agreement.", NOT_FOUND)
            if with_agency:
                self._remove_agency(session, caller, agency_kinds()[ADMIN_TRUST])

    def show_agreement_rule(self, caller: Caller, tenant: Tenant) -> tuple[AgreementRule, ...]:
        self._authorize(caller, "lakeformation:agreementRule:list")
        return agreement_rules()

    # Agencies ---------------------------------------------------------------------------------

    def create_agency(self, caller: Caller, tenant: Tenant, agency_type: str) -> None:
        """Creates the agency of that type, or gives an existing one back the roles it lacks."""
        self._authorize(caller, "lakeformation:agency:create")
        with self.store.transaction() as session:
            self._ensure_agency(session, caller, agency_kinds()[agency_type])

    def show_agency(
        self, caller: Caller, tenant: Tenant, agency_type: str, must_exist: bool = False
    ) -> AgencyView:
        """v2 reports a missing agency as not authorized; v1 answers 404 for it."""
        self._authorize(caller, "lakeformation:agency:get")
        kind = agency_kinds()[agency_type]
        with self.store.read() as session:
            agency = find_agency_in(session, tenant.account_id, kind.agency_name)
            if agency is None and must_exist:
                raise NotFound(f"The agency {kind.agency_name} does not exist.", NOT_FOUND)
            if agency is None:
                return AgencyView(kind, False, (), ())
            statements = self._agency_statements(session, agency)
        granted = tuple(a for a in kind.actions if evaluate(statements, a))
        missing = tuple(a for a in kind.actions if a not in granted)
        return AgencyView(kind, True, granted, missing)

    def delete_agency(self, caller: Caller, tenant: Tenant, agency_type: str) -> None:
        self._authorize(caller, "lakeformation:agency:delete")
        kind = agency_kinds()[agency_type]
        with self.store.transaction() as session:
            if not self._remove_agency(session, caller, kind):
                raise NotFound(f"The agency {kind.agency_name} does not exist.", NOT_FOUND)

    def show_agency_credential(self, caller: Caller, agency_type: str) -> AgencyCredential:
        """Opens a session in the account's agency of that type, as LakeFormation (the service
        it trusts) on the caller's behalf, and issues its temporary AK/SK. 404 if the agency
        does not exist; 403 if it no longer trusts LakeFormation. The credentials act with
        the agency's permissions and stop working when the agency is deleted."""
        # Not a read action: the credentials carry the agency's permissions (ReadOnlyAccess's
        # `lakeformation:*:get*` must not hand them out).
        self._authorize(caller, "lakeformation:agencyCredential:create")
        kind = agency_kinds()[agency_type]
        with self.store.transaction() as session:
            agency = find_agency_in(session, caller.account_id, kind.agency_name)
            if agency is None:
                raise NotFound(f"The agency {kind.agency_name} does not exist.", NOT_FOUND)
            source = SourcePrincipal(
                kind=SourceKind.CLOUD_SERVICE,
                account_id=caller.account_id,
                principal_id=caller.principal_id,
                principal_urn=caller.principal_urn,
                trusted_party=kind.trust_domain_name,
                parent=caller.session,  # from temporary credentials: a chain, at most 1 h
            )
            row = open_session_in(session, agency, source, SessionSpec(SESSION_NAME))
            issued = self.sessions.issue_credentials_in(session, row)
            return AgencyCredential(kind, issued, row.issued_at)

    # Access services --------------------------------------------------------------------------

    def show_access_service(self, caller: Caller, tenant: Tenant) -> list[AccessServiceView]:
        """Every service of the catalog, granted or not (never decided on: not granted)."""
        self._authorize(caller, "lakeformation:accessService:get")
        with self.store.read() as session:
            rows = session.execute(
                select(AccessServiceGrant.name, AccessServiceGrant.granted).where(
                    AccessServiceGrant.project_id == tenant.project_id
                )
            )
            granted = {name: bool(value) for name, value in rows}
        return [
            AccessServiceView(service, granted.get(name, False))
            for name, service in access_services().items()
        ]

    def authorize_access_service(
        self, caller: Caller, tenant: Tenant, decisions: Sequence[AccessServiceDecision]
    ) -> None:
        """Grants or withdraws each named service for the tenant; services not named keep
        their state. Unknown or repeated names are 400 and change nothing."""
        self._authorize(caller, "lakeformation:accessService:authorize")
        _check_access_services(decisions)
        moment = now()
        with self.store.transaction() as session:
            for decision in decisions:
                _upsert(
                    session,
                    AccessServiceGrant,
                    {"project_id": tenant.project_id, "name": decision.name},
                    {"granted": decision.grant, "updated_at": moment},
                    {"account_id": tenant.account_id},
                )

    # Inside a transaction ---------------------------------------------------------------------

    def _ensure_agency(self, session: Session, caller: Caller, kind: AgencyKind) -> None:
        """The caller needs IAM's own permission to create the agency (as on the console)."""
        agency = find_agency_in(session, caller.account_id, kind.agency_name)
        if agency is None:
            self._authorize(caller, "iam:agencies:createAgency")
            try:
                with session.begin_nested():
                    _create_agency(session, caller.account_id, kind)
                return
            except Conflict:  # made concurrently by another request: give it its roles
                agency = find_agency_in(session, caller.account_id, kind.agency_name)
                if agency is None:
                    raise
        target = Target.domain(caller.account_id)
        for name in kind.roles:
            grant_to_agency_in(session, agency, system_roles().named(name), target)

    def _remove_agency(self, session: Session, caller: Caller, kind: AgencyKind) -> bool:
        if find_agency_in(session, caller.account_id, kind.agency_name) is None:
            return False
        self._authorize(caller, "iam:agencies:deleteAgency")
        return delete_agency_in(session, caller.account_id, kind.agency_name)

    def _agency_statements(self, session: Session, agency: Agency):
        """What the agency may do, judged exactly as IAM judges a caller acting through it."""
        acting = Caller(
            account_id=agency.account_id,
            account_name="",
            user_id=None,
            user_name=None,
            is_root=False,
            kind=CredentialKind.TEMPORARY,
            credential_id="",
            agency_id=agency.id,
        )
        documents = self.policies.documents_for(session, acting)
        return [statement for document in documents for statement in statements_of(document)]


def _create_agency(session: Session, account_id: str, kind: AgencyKind) -> Agency:
    return create_agency_in(
        session,
        account_id,
        kind.agency_name,
        kind.trust_domain_name,
        kind.description,
        "FOREVER",
        domain_roles=kind.roles,
    )


def _check_agreements(agreements: Sequence[TenantAgreement]) -> None:
    if not agreements:
        raise Invalid("agreements must list at least one agreement.", LIST_EMPTY)
    if len(agreements) > MAX_AGREEMENTS:
        raise Invalid(f"agreements may list at most {MAX_AGREEMENTS} agreements.", TOO_MANY)
    names = [a.agreement_name for a in agreements]
    if len(set(names)) != len(names):
        raise Invalid("agreements names an agreement more than once.", ALREADY_EXISTS)


def _check_access_services(decisions: Sequence[AccessServiceDecision]) -> None:
    if not decisions:
        raise Invalid("access_services must list at least one service.", LIST_EMPTY)
    if len(decisions) > MAX_ACCESS_SERVICES:
        raise Invalid(f"access_services may list at most {MAX_ACCESS_SERVICES} services.", TOO_MANY)
    names = [d.name for d in decisions]
    if len(set(names)) != len(names):
        raise Invalid("access_services names a service more than once.", ALREADY_EXISTS)
    unknown = [name for name in names if name not in access_services()]
    if unknown:
        known = ", ".join(access_services())
        raise Invalid(f"Unknown access service {unknown[0]!r}: one of {known}.", BAD_REQUEST)


def _upsert(
    session: Session,
    model: type[Row],
    key: dict[str, str],
    values: dict[str, Any],
    created: dict[str, Any],
) -> None:
    """One row per tenant and `key`: inserted with `created` + `values`, or given `values`. The
    unique constraint settles concurrent writers: the loser updates the winner's row."""
    query = select(model).filter_by(**key)
    existing = session.scalar(query)
    if existing is None:
        try:
            with session.begin_nested():
                session.add(model(**key, **created, **values))
            return
        except IntegrityError:
            existing = session.scalar(query)
            if existing is None:
                raise
    for name, value in values.items():
        setattr(existing, name, value)
