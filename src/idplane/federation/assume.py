"""STS `assume_agency_with_oidc` / `_with_saml`: a federated user of an account's identity
provider assumes an agency with an ID token or a SAML response, on the same verification as
federated sign-in (federation/idtoken.py, federation/assertions.py, replay included), and gets
the agency session's temporary AK/SK.

- `provider_urn` is `iam::<account>:identity-provider:<idp id>`; the provider must be enabled
  and have an OIDC configuration.
- The agency (`agency_urn`, of any account) must trust the provider's account (an agency
  never trusts its own account); an agency with a trust policy must name the
  provider in an Allow for `Federated` principals (`"Principal": {"Federated": [<provider
  urn>]}`), with the request's context (`sts:SourceIdentity`).
- The session's principal is `sts::<account>:external-user:<idp id>/<session name>`; deleting
  the provider ends its sessions (federation/providers.py).
"""

from __future__ import annotations

import base64
import hashlib
import re
from dataclasses import dataclass

from sqlalchemy import delete, select
from sqlalchemy.orm import Session

from idplane.federation import assertions
from idplane.federation.idtoken import verify_id_token
from idplane.federation.tables import IdentityProvider, OidcConfig, SamlMetadata
from idplane.iam.sessions.service import (
    AgencySessions,
    IssuedCredentials,
    SessionSpec,
    SourcePrincipal,
    agency_named,
    open_session_in,
)
from idplane.iam.sessions.tables import AgencySession
from idplane.iam.sessions.trust import trust_decision
from idplane.platform.auth.caller import SourceKind
from idplane.platform.db import Store
from idplane.platform.errors import Forbidden, Invalid, Unauthenticated

INVALID = "PAP5.0029"
SESSION_NAME = "https://www.huaweicloud.com/SAML/Attributes/AgencySessionName"
SOURCE_IDENTITY = "https://www.huaweicloud.com/SAML/Attributes/SourceIdentity"
DENIED = "PAP5.0001"


@dataclass(frozen=True)
class AssumeWithOidc:
    provider_urn: str
    agency_urn: str
    session_name: str
    id_token: str
    duration_seconds: int | None = None
    policy: dict | None = None


@dataclass(frozen=True)
class AssumeWithSaml:
    provider_urn: str
    agency_urn: str
    saml_assertion: str
    duration_seconds: int | None = None
    policy: dict | None = None


@dataclass(frozen=True)
class AssumedWithSaml:
    issued: IssuedCredentials
    audience: str
    issuer: str
    name_qualifier: str
    subject: str
    subject_type: str


@dataclass(frozen=True)
class AssumedWithOidc:
    issued: IssuedCredentials
    audience: str
    provider: str
    subject: str


def parse_provider_urn(urn: str) -> tuple[str, str]:
    """`iam::<account>:identity-provider:<idp id>` -> (account, idp id)."""
    parts = urn.split(":", 4)
    if len(parts) != 5 or parts[0] != "iam" or parts[3] != "identity-provider" or not parts[2]:
        raise Invalid(
            "provider_urn must be iam::<account-id>:identity-provider:<provider-id>.", INVALID
        )
    return parts[2], parts[4]


def federated_urn(account_id: str, idp_id: str, session_name: str) -> str:
    return f"sts::{account_id}:external-user:{idp_id}/{session_name}"


def end_sessions_of(session: Session, account_id: str, idp_id: str) -> None:
    """Ends the agency sessions the provider's users opened (their keys go with them)."""
    prefix = federated_urn(account_id, idp_id, "")
    session.execute(
        delete(AgencySession).where(
            AgencySession.source_kind == SourceKind.FEDERATED_USER.value,
            AgencySession.source_account_id == account_id,
            AgencySession.source_principal_urn.startswith(prefix, autoescape=True),
        )
    )


class FederatedAssume:
    def __init__(self, store: Store, sessions: AgencySessions):
        self.store = store
        self.sessions = sessions

    def assume_agency_with_oidc(self, request: AssumeWithOidc) -> AssumedWithOidc:
        from idplane.sts.service import parse_agency_urn

        account_id, idp_id = parse_provider_urn(request.provider_urn)
        parse_agency_urn(request.agency_urn)  # 400 before any verification
        with self.store.transaction() as session:
            idp = session.scalar(
                select(IdentityProvider).where(
                    IdentityProvider.account_id == account_id, IdentityProvider.id == idp_id
                )
            )
            config = session.scalar(
                select(OidcConfig).where(
                    OidcConfig.account_id == account_id, OidcConfig.idp_id == idp_id
                )
            )
            if idp is None or config is None:
                raise Unauthenticated("No OIDC identity provider has this provider_urn.", DENIED)
            if not idp.enabled:
                raise Forbidden(f"Identity Provider {idp_id} is disabled", DENIED)
            claims = verify_id_token(
                request.id_token, config.signing_key, config.idp_url, config.client_id
            )
            source_identity = claims.get("source_identity")
            issued = self._open(
                session,
                request.provider_urn,
                request.agency_urn,
                str(claims["sub"]),
                request.session_name,
                source_identity if isinstance(source_identity, str) else None,
                request.duration_seconds,
                request.policy,
            )
        return AssumedWithOidc(issued, config.client_id, request.provider_urn, str(claims["sub"]))

    def assume_agency_with_saml(
        self, request: AssumeWithSaml, sp: assertions.SpEndpoints
    ) -> AssumedWithSaml:
        account_id, idp_id = parse_provider_urn(request.provider_urn)
        document = assertions.decode_response(request.saml_assertion)
        with self.store.transaction() as session:
            idp = session.scalar(
                select(IdentityProvider).where(
                    IdentityProvider.account_id == account_id, IdentityProvider.id == idp_id
                )
            )
            metadata = session.scalar(
                select(SamlMetadata)
                .where(SamlMetadata.account_id == account_id, SamlMetadata.idp_id == idp_id)
                .order_by(SamlMetadata.seq)
            )
            if idp is None or metadata is None:
                raise Unauthenticated("No SAML identity provider has this provider_urn.", DENIED)
            if not idp.enabled:
                raise Forbidden(f"Identity Provider {idp_id} is disabled", DENIED)
            verified = assertions.verify_response(document, metadata.data, sp)
            assertions.use_once(session, account_id, verified)
            subject = verified.claims.get("__NAMEID__", "")
            if not subject:
                raise Unauthenticated("The assertion names no subject.", DENIED)
            session_name = verified.claims.get(SESSION_NAME) or _session_name(subject)
            source_identity = verified.claims.get(SOURCE_IDENTITY)
            issued = self._open(
                session,
                request.provider_urn,
                request.agency_urn,
                subject,
                session_name,
                source_identity,
                request.duration_seconds,
                request.policy,
            )
        qualifier = hashlib.sha1(
            f"{verified.issuer}{account_id}/{idp_id}".encode(), usedforsecurity=False
        ).digest()
        prefix = "urn:oasis:names:tc:SAML:2.0:nameid-format:"
        subject_type = verified.subject_format.removeprefix(prefix)
        return AssumedWithSaml(
            issued,
            verified.recipient,
            verified.issuer,
            base64.b64encode(qualifier).decode(),
            subject,
            subject_type,
        )

    def _open(
        self,
        session: Session,
        provider_urn: str,
        agency_urn_: str,
        principal_id: str,
        session_name: str,
        source_identity: str | None,
        duration_seconds: int | None,
        policy: dict | None,
    ) -> IssuedCredentials:
        from idplane.sts.service import parse_agency_urn

        account_id, idp_id = parse_provider_urn(provider_urn)
        agency_account, agency_name = parse_agency_urn(agency_urn_)
        agency = agency_named(session, agency_account, agency_name)
        if agency.trust_policy is not None:
            context = {"sts:SourceIdentity": (source_identity,)} if source_identity else {}
            decision = trust_decision(
                agency.trust_policy, "Federated", account_id, provider_urn, agency_urn_, context
            )
            if not decision.allowed:
                raise Forbidden(
                    f"The trust policy of agency {agency_name} does not allow identity "
                    f"provider {idp_id}: {decision.reason}.",
                    DENIED,
                )
        source = SourcePrincipal(
            kind=SourceKind.FEDERATED_USER,
            account_id=account_id,
            principal_id=principal_id[:256],
            principal_urn=federated_urn(account_id, idp_id, session_name),
            trusted_party=account_id,
        )
        spec = SessionSpec(
            session_name=session_name,
            duration_seconds=duration_seconds,
            policy=policy,
            source_identity=source_identity,
        )
        row = open_session_in(session, agency, source, spec)
        return self.sessions.issue_credentials_in(session, row)


def _session_name(subject: str) -> str:
    """A session name from the subject (Huawei's body has none): its allowed characters."""
    name = re.sub(r"[^\w+=,.@-]", "-", subject)[:128]
    return name if len(name) >= 2 else f"{name}--"
