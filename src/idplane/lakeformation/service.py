"""LakeFormation service authorization: the agreements a tenant accepts and the IAM agencies
the service asks for.

A tenant is one project of an account: v1 paths name it (`/v1/{project_id}/...`, with a
token of that project), v2 takes it from the credential (project-scoped token or the
`X-Project-Id` of a BasicCredentials signature). Agencies belong to the account, as IAM
agencies do, and are made and removed with IAM's own functions inside our transaction.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass

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
from idplane.lakeformation.catalog import (
    ADMIN_TRUST,
    AgencyKind,
    AgreementRule,
    agency_kinds,
    agreement_rules,
)
from idplane.lakeformation.tables import Agreement
from idplane.platform.auth.caller import Caller, CredentialKind
from idplane.platform.authz import Authorizer, evaluate
from idplane.platform.clock import now
from idplane.platform.db import Store, rowcount
from idplane.platform.errors import Conflict, Invalid, NotFound

# LakeFormation's error codes (ErrorCode page): service prefix + 8 digits.
ALREADY_EXISTS = "lakeformation.00000003"
TOO_MANY = "lakeformation.00000004"
LIST_EMPTY = "lakeformation.00000006"
MUST_NOT_BE_NULL = "lakeformation.00000007"
PROJECT_MISMATCH = "lakeformation.00000021"
MISSING_TOKEN = "lakeformation.00000023"
NOT_FOUND = "common.01000001"
MAX_AGREEMENTS = 1000


@dataclass(frozen=True)
class Tenant:
    account_id: str
    project_id: str


@dataclass(frozen=True)
class TenantAgreement:
    agreement_name: str
    agreement_version: str


@dataclass(frozen=True)
class AgreementView:
    agreements: list[TenantAgreement]
    is_agency: bool


@dataclass(frozen=True)
class AgencyView:
    kind: AgencyKind
    exists: bool
    granted: tuple[str, ...]  # the service's actions the agency allows
    missing: tuple[str, ...]  # the service's actions it does not

    @property
    def authorized(self) -> bool:
        return self.exists and not self.missing


def v1_tenant(caller: Caller, project_id: str, token_required: bool = True) -> Tenant:
    """v1 paths want a tenant token of the project they name (AK/SK alone is not enough)."""
    if token_required and caller.kind != CredentialKind.TOKEN:
        raise Invalid("X-Auth-Token is missing in the request.", MISSING_TOKEN)
    if caller.project_id != project_id:
        scope = f"project {caller.project_id}" if caller.project_id else "no project"
        raise Invalid(
            f"The credential is scoped to {scope}, not to project {project_id} of the URL.",
            PROJECT_MISMATCH,
        )
    return Tenant(caller.account_id, project_id)


def v2_tenant(caller: Caller) -> Tenant:
    """v2 paths take the project of the credential: token scope or signed X-Project-Id."""
    if caller.project_id is None:
        raise Invalid(
            "The request names no project: use a project-scoped token or sign with "
            "X-Project-Id (BasicCredentials with a project id).",
            MUST_NOT_BE_NULL,
        )
    return Tenant(caller.account_id, caller.project_id)


class LakeFormationService:
    def __init__(self, store: Store, authorizer: Authorizer):
        self.store = store
        self.authorizer = authorizer
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
                _upsert(session, tenant, agreement, moment)
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


def _upsert(session: Session, tenant: Tenant, agreement: TenantAgreement, moment) -> None:
    """One row per tenant and name; a unique constraint settles concurrent registrations."""
    existing = _agreement(session, tenant.project_id, agreement.agreement_name)
    if existing is None:
        try:
            with session.begin_nested():
                session.add(
                    Agreement(
                        account_id=tenant.account_id,
                        project_id=tenant.project_id,
                        agreement_name=agreement.agreement_name,
                        agreement_version=agreement.agreement_version,
                        created_at=moment,
                        updated_at=moment,
                    )
                )
            return
        except IntegrityError:
            existing = _agreement(session, tenant.project_id, agreement.agreement_name)
            if existing is None:
                raise
    existing.agreement_version = agreement.agreement_version
    existing.updated_at = moment


def _agreement(session: Session, project_id: str, name: str) -> Agreement | None:
    return session.scalar(
        select(Agreement).where(
            Agreement.project_id == project_id, Agreement.agreement_name == name
        )
    )
