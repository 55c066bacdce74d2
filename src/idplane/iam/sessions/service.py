"""Opening agency sessions and finding the live ones: the mechanism behind STS assume_agency,
IAM agency tokens and agency temporary AK/SK, the Identity Center portal's credentials and
federated assume_agency_with_oidc/saml. Callers decide *whether* a principal may assume
(trust policy, external id, MFA, permissions); this module enforces what holds for every
session: the agency's trust names the principal's side, the duration fits the agency, a chain
keeps its source identity and transitive tags, and a session lives only while its agency
still trusts that side and has not expired.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from datetime import datetime, timedelta

from sqlalchemy import select
from sqlalchemy.orm import Session

from idplane.iam.agencies.tables import Agency
from idplane.iam.sessions.tables import AgencySession
from idplane.iam.sessions.trust import still_trusted
from idplane.iam.tables import Account, TemporaryAccessKey
from idplane.platform import ids
from idplane.platform.auth.caller import AssumedSession, Caller, CredentialKind, SourceKind
from idplane.platform.clock import as_utc, now
from idplane.platform.crypto import SecretBox, token_digest
from idplane.platform.db import Store
from idplane.platform.errors import Forbidden, Invalid, NotFound

MIN_SECONDS = 900
CHAINED_MAX_SECONDS = 3600  # a session opened from temporary credentials lasts at most 1 h
DEFAULT_SECONDS = 3600


@dataclass(frozen=True)
class SourcePrincipal:
    """Who assumes the agency. `trusted_party` is what the agency's trust must name: the
    principal's account id (IAM users, roots, agency sessions, federated users of an account's
    IdP), or a cloud service name `op_svc_*` for a service-trusting agency."""

    kind: SourceKind
    account_id: str
    principal_id: str
    principal_urn: str
    trusted_party: str
    parent: AssumedSession | None = None  # set when an agency session assumes onwards

    @classmethod
    def of_caller(cls, caller: Caller) -> SourcePrincipal:
        """The principal behind an authenticated IAM caller (user, root or agency session)."""
        if caller.session is not None:
            kind = SourceKind.AGENCY_SESSION
        else:
            kind = SourceKind.ROOT if caller.is_root else SourceKind.USER
        return cls(
            kind=kind,
            account_id=caller.account_id,
            principal_id=caller.principal_id,
            principal_urn=caller.principal_urn,
            trusted_party=caller.account_id,
            parent=caller.session,
        )


@dataclass(frozen=True)
class SessionSpec:
    session_name: str
    duration_seconds: int | None = None  # None: one hour, or less when the agency allows less
    policy: dict | None = None  # session policy: narrows, never widens
    source_identity: str | None = None
    tags: Mapping[str, str] = field(default_factory=dict)
    transitive_tag_keys: Sequence[str] = ()
    mfa: bool = False
    max_seconds: int | None = None  # a caller-specific cap (e.g. 3600 for chained STS calls)


@dataclass(frozen=True)
class IssuedCredentials:
    session: AssumedSession
    access: str
    secret: str
    security_token: str
    expires_at: datetime


class AgencySessions:
    """Agency sessions over the store; `open_*_in` run inside a caller's transaction."""

    def __init__(self, store: Store, box: SecretBox):
        self.store = store
        self.box = box

    def open_agency_session(
        self, agency_account_id: str, agency_name: str, source: SourcePrincipal, spec: SessionSpec
    ) -> IssuedCredentials:
        """Opens a session in the named agency and issues its temporary AK/SK."""
        with self.store.transaction() as session:
            agency = agency_named(session, agency_account_id, agency_name)
            return self.issue_credentials_in(
                session, open_session_in(session, agency, source, spec)
            )

    def issue_credentials_in(
        self, session: Session, row: AgencySession, until: datetime | None = None
    ) -> IssuedCredentials:
        """A temporary AK/SK + security token bound to the session, expiring with it (or at
        `until`, when that is sooner)."""
        expires = as_utc(row.expires_at)
        if until is not None and until < expires:
            expires = until
        access, secret, security = ids.access_key(), ids.secret_key(), ids.opaque_token(96)
        session.add(
            TemporaryAccessKey(
                access=access,
                account_id=row.account_id,
                user_id=None,
                secret_sealed=self.box.seal(secret),
                security_token_digest=token_digest(security),
                session_policy=row.session_policy,
                agency_id=row.agency_id,
                agency_session_id=row.id,
                created_at=now(),
                expires_at=expires,
            )
        )
        return IssuedCredentials(assumed(row), access, secret, security, expires)


def agency_named(session: Session, account_id: str, name: str) -> Agency:
    agency = session.scalar(
        select(Agency).where(Agency.account_id == account_id, Agency.name == name)
    )
    if agency is None:
        raise NotFound(f"Could not find agency {name} in account {account_id}.")
    return agency


def open_session_in(
    session: Session, agency: Agency, source: SourcePrincipal, spec: SessionSpec
) -> AgencySession:
    """Checks what every session must satisfy and stores it; issues no credential."""
    if not trusts(agency, source.trusted_party) or not _trust_policy_names(
        agency, source.kind, source.trusted_party, source.principal_urn
    ):
        raise Forbidden(f"The agency {agency.name} does not trust the caller's account.")
    if agency.expires_at is not None and as_utc(agency.expires_at) <= now():
        raise Forbidden(f"The agency {agency.name} has expired.")
    seconds = _duration(agency, source, spec)
    parent = source.parent
    source_identity = _source_identity(parent, spec.source_identity)
    tags, transitive = _tags(parent, spec)
    issued = now()
    row = AgencySession(
        id=ids.hex32(),
        account_id=agency.account_id,
        agency_id=agency.id,
        agency_name=agency.name,
        session_name=spec.session_name,
        trusted_party=source.trusted_party,
        source_kind=str(source.kind),
        source_account_id=source.account_id,
        source_principal_id=parent.source_principal_id if parent else source.principal_id,
        source_principal_urn=parent.source_principal_urn if parent else source.principal_urn,
        parent_session_id=parent.id if parent else None,
        assumed_by_urn=source.principal_urn,
        source_identity=source_identity,
        tags=tags,
        transitive_tag_keys=transitive,
        session_policy=spec.policy,
        mfa=spec.mfa or bool(parent and parent.mfa),
        issued_at=issued,
        expires_at=issued + timedelta(seconds=seconds),
    )
    session.add(row)
    session.flush()
    return row


def trusts(agency: Agency, party: str) -> bool:
    if agency.trust_domain_id is not None:
        return agency.trust_domain_id == party
    return agency.trust_domain_name == party


IAM_SOURCES = (SourceKind.USER, SourceKind.ROOT, SourceKind.AGENCY_SESSION)


def _trust_policy_names(agency: Agency, kind: SourceKind, account_id: str, urn: str) -> bool:
    """An agency with a trust policy must (still) name an IAM principal in an Allow. Other
    sources (portal, federation) are judged by their own services against it."""
    if agency.trust_policy is None or kind not in IAM_SOURCES:
        return True
    return still_trusted(agency.trust_policy, "IAM", account_id, urn)


def live_session_in(session: Session, session_id: str) -> tuple[AgencySession, Account] | None:
    """The session if it may still act: not expired, its agency (a deleted agency takes its
    sessions along) unexpired and still trusting the side that assumed it, its account on."""
    row = session.execute(
        select(AgencySession, Agency, Account)
        .join(Agency, Agency.id == AgencySession.agency_id)
        .join(Account, Account.id == AgencySession.account_id)
        .where(AgencySession.id == session_id)
    ).first()
    if row is None:
        return None
    stored, agency, account = row
    moment = now()
    if as_utc(stored.expires_at) <= moment or not account.enabled:
        return None
    if agency.expires_at is not None and as_utc(agency.expires_at) <= moment:
        return None
    if not trusts(agency, stored.trusted_party) or not _trust_policy_names(
        agency, SourceKind(stored.source_kind), stored.trusted_party, stored.assumed_by_urn
    ):
        return None
    return stored, account


def assumed(row: AgencySession) -> AssumedSession:
    return AssumedSession(
        id=row.id,
        account_id=row.account_id,
        agency_id=row.agency_id,
        agency_name=row.agency_name,
        session_name=row.session_name,
        source_kind=SourceKind(row.source_kind),
        source_account_id=row.source_account_id,
        source_principal_id=row.source_principal_id,
        source_principal_urn=row.source_principal_urn,
        source_identity=row.source_identity,
        tags=tuple(sorted((row.tags or {}).items())),
        transitive_tag_keys=tuple(row.transitive_tag_keys or ()),
        mfa=row.mfa,
        expires_at=as_utc(row.expires_at),
    )


def session_caller(
    row: AgencySession, account: Account, kind: CredentialKind, credential_id: str, **extra
) -> Caller:
    """The Caller of a request made in the session (AK/SK + security token, or a token)."""
    return Caller(
        account_id=account.id,
        account_name=account.name,
        user_id=None,
        user_name=None,
        is_root=False,
        kind=kind,
        credential_id=credential_id,
        expires_at=as_utc(row.expires_at),
        agency_id=row.agency_id,
        session_policy=row.session_policy,
        session=assumed(row),
        **extra,
    )


def _duration(agency: Agency, source: SourcePrincipal, spec: SessionSpec) -> int:
    limit = agency.max_session_duration or DEFAULT_SECONDS
    if spec.max_seconds is not None:
        limit = min(limit, spec.max_seconds)
    if source.parent is not None:
        limit = min(limit, CHAINED_MAX_SECONDS)
    seconds = spec.duration_seconds
    if seconds is None:
        return min(DEFAULT_SECONDS, limit)
    if seconds < MIN_SECONDS or seconds > limit:
        raise Invalid(
            f"duration_seconds must be between {MIN_SECONDS} and {limit} for this agency"
            + (" when chaining agency sessions" if source.parent is not None else "")
            + ".",
            "IAM.0007",
        )
    return seconds


def _source_identity(parent: AssumedSession | None, requested: str | None) -> str | None:
    """Once set, a chain's source identity stays; it can be set only where there is none."""
    if parent is None or parent.source_identity is None:
        return requested
    if requested is not None and requested != parent.source_identity:
        raise Invalid("source_identity cannot be changed once set in a chain.", "IAM.0007")
    return parent.source_identity


def _tags(parent: AssumedSession | None, spec: SessionSpec) -> tuple[dict, list]:
    """A chain inherits its transitive tags; they cannot be overridden further along."""
    tags = dict(spec.tags)
    keys = list(spec.transitive_tag_keys)
    missing = [k for k in keys if k not in tags]
    if missing:
        raise Invalid(f"transitive_tag_keys names tags not passed: {missing[0]}.", "IAM.0007")
    if parent is not None:
        inherited = dict(parent.tags)
        for key in parent.transitive_tag_keys:
            if key in tags and tags[key] != inherited.get(key):
                raise Invalid(f"The transitive tag {key} cannot be overridden.", "IAM.0007")
            tags[key] = inherited.get(key, "")
            if key not in keys:
                keys.append(key)
    return tags, keys
