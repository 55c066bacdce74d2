"""STS v5: assume_agency, get_caller_identity, decode_authorization_message.

assume_agency checks, in order: the URN names an IAM agency; trusted contexts (which idplane
does not offer) are refused; the caller's own policies allow `sts:agencies:assume` on the agency
(roots need none); the agency exists; an MFA serial number and token code, when given, name the
caller's bound virtual MFA device and a current, unused code (the session then has MFA, as it
has when the caller's token was got with MFA); the agency trusts the caller's account (and its
trust policy, when it has one, allows this principal on this request's conditions: external id,
source identity, session name, tags, `g:MFAPresent`); then the session mechanism
(iam/sessions) enforces the duration limits (agency maximum; 1 h when chaining) and a chain's
source identity and transitive tags. Session policies (`policy`, `policy_ids`) can only
narrow. Passing tags needs `sts::tagSession`, passing a source identity
`sts::setSourceIdentity` (as documented).
"""

from __future__ import annotations

import json
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from typing import Any

from sqlalchemy import select
from sqlalchemy.orm import Session

from idplane.iam.mfa.service import verify_serial_passcode
from idplane.iam.roles.catalog import RoleCatalog
from idplane.iam.roles.tables import CustomPolicy
from idplane.iam.sessions.service import (
    AgencySessions,
    IssuedCredentials,
    SessionSpec,
    SourcePrincipal,
    agency_named,
    open_session_in,
)
from idplane.iam.sessions.trust import trust_decision
from idplane.platform.auth.caller import Caller, CredentialKind
from idplane.platform.authz import Authorizer, caller_context, request_tags
from idplane.platform.conditions import Values
from idplane.platform.crypto import SecretBox
from idplane.platform.db import Store
from idplane.platform.errors import Forbidden, Invalid

ASSUME = "sts:agencies:assume"
DECODE = "sts:messages:decode"
TAG_SESSION = "sts::tagSession"
SET_SOURCE_IDENTITY = "sts::setSourceIdentity"
DENIED = "PAP5.0001"
MALFORMED_POLICY = "PAP5.0011"
INVALID = "STS.0400"


@dataclass(frozen=True)
class AssumeAgency:
    agency_urn: str
    session_name: str
    duration_seconds: int | None = None
    external_id: str | None = None
    policy: str | None = None
    policy_ids: Sequence[str] = ()
    source_identity: str | None = None
    tags: Mapping[str, str] = field(default_factory=dict)
    transitive_tag_keys: Sequence[str] = ()
    mfa_serial_number: str | None = None
    mfa_token_code: str | None = None
    provided_contexts: int = 0


class StsService:
    def __init__(
        self,
        store: Store,
        authorizer: Authorizer,
        sessions: AgencySessions,
        box: SecretBox,
        catalog: RoleCatalog,
    ):
        self.store = store
        self.authorizer = authorizer
        self.sessions = sessions
        self.box = box
        self.catalog = catalog

    def assume_agency(self, caller: Caller, request: AssumeAgency) -> IssuedCredentials:
        account_id, agency_name = parse_agency_urn(request.agency_urn)
        if bool(request.mfa_serial_number) != bool(request.mfa_token_code):
            raise Invalid("serial_number and token_code go together.", INVALID)
        if request.provided_contexts:
            raise Invalid("Trusted context providers are not supported.", INVALID)
        context = _assume_context(caller, request)
        for action in _actions_needed(request):
            self.authorizer.authorize(
                caller, action, code=DENIED, resource=request.agency_urn, context=context
            )
        source = SourcePrincipal.of_caller(caller)
        with self.store.transaction() as session:
            agency = agency_named(session, account_id, agency_name)
            mfa = self._mfa(session, caller, request)
            if mfa:
                context = {**context, "g:mfapresent": ("true",)}
            if agency.trust_policy is not None:
                decision = trust_decision(
                    agency.trust_policy,
                    "IAM",
                    caller.account_id,
                    caller.principal_urn,
                    request.agency_urn,
                    {**caller_context(caller), **context},
                )
                if not decision.allowed:
                    raise Forbidden(
                        f"The trust policy of agency {agency_name} does not allow the caller "
                        f"to assume it: {decision.reason}.",
                        DENIED,
                    )
            spec = SessionSpec(
                session_name=request.session_name,
                duration_seconds=request.duration_seconds,
                policy=self._session_policy(session, account_id, request),
                source_identity=request.source_identity,
                tags=dict(request.tags),
                transitive_tag_keys=list(request.transitive_tag_keys),
                # Signed with temporary credentials (X-Security-Token): chaining, at most 1 h.
                max_seconds=3600 if caller.kind == CredentialKind.TEMPORARY else None,
                mfa=mfa,
            )
            row = open_session_in(session, agency, source, spec)
            return self.sessions.issue_credentials_in(session, row)

    def _mfa(self, session: Session, caller: Caller, request: AssumeAgency) -> bool:
        """Whether the session opens with MFA: the caller's own (a token got with MFA, or a
        session that had it), or the serial number and current code of the caller's bound
        virtual MFA device; a wrong or replayed code is denied."""
        if request.mfa_serial_number is None:
            return caller.mfa_present
        user_id = caller.user_id if caller.session is None else None
        wrong = Forbidden("MFA authentication failed: the token code is wrong.", DENIED)
        verify_serial_passcode(
            session,
            self.box,
            user_id,
            request.mfa_serial_number,
            request.mfa_token_code,
            wrong,
        )
        return True

    def get_caller_identity(self, caller: Caller) -> dict[str, str]:
        return {
            "account_id": caller.account_id,
            "principal_urn": caller.principal_urn,
            "principal_id": caller.principal_id,
        }

    def decode_authorization_message(self, caller: Caller, encoded: str) -> str:
        self.authorizer.authorize(caller, DECODE, account_id=caller.account_id, code=DENIED)
        try:
            text = self.box.open(encoded)
            message = json.loads(text)
            owner = message["context"]["principal"]["account_id"]
        except Exception:  # not ours, tampered with, or not a message at all
            raise Invalid("The encoded message is not valid.", INVALID) from None
        if owner != caller.account_id:
            raise Forbidden("The message belongs to another account.", DENIED)
        return text

    def _session_policy(
        self, session: Session, account_id: str, request: AssumeAgency
    ) -> dict[str, Any] | None:
        """`policy` and `policy_ids` as one document; absent when neither is given."""
        if request.policy is None and not request.policy_ids:
            return None
        statements: list[Any] = []
        if request.policy is not None:
            statements.extend(_statements_of_text(request.policy))
        for policy_id in request.policy_ids:
            statements.extend(self._identity_policy(session, account_id, policy_id))
        return {"Version": "5.0", "Statement": statements}

    def _identity_policy(self, session: Session, account_id: str, policy_id: str) -> list[Any]:
        role = self.catalog.get(policy_id)
        document = role.policy if role is not None else None
        if document is None:
            document = session.scalar(
                select(CustomPolicy.policy).where(
                    CustomPolicy.id == policy_id, CustomPolicy.account_id == account_id
                )
            )
        if document is None:
            raise Invalid(f"No identity policy {policy_id} exists.", INVALID)
        return list(document.get("Statement") or [])


def _actions_needed(request: AssumeAgency) -> list[str]:
    """Passing tags or a source identity needs the documented dependent actions as well."""
    actions = [ASSUME]
    if request.tags or request.transitive_tag_keys:
        actions.append(TAG_SESSION)
    if request.source_identity:
        actions.append(SET_SOURCE_IDENTITY)
    return actions


def parse_agency_urn(urn: str) -> tuple[str, str]:
    """`iam::<account>:agency:<name>` → (account, name)."""
    parts = urn.split(":", 4)
    if len(parts) != 5 or parts[0] != "iam" or parts[3] != "agency" or not parts[2]:
        raise Invalid("agency_urn must be iam::<account-id>:agency:<agency-name>.", "PAP5.0029")
    return parts[2], parts[4]


def _statements_of_text(text: str) -> list[Any]:
    try:
        document = json.loads(text)
    except ValueError:
        raise Invalid("The session policy is not valid JSON.", MALFORMED_POLICY) from None
    statements = document.get("Statement") if isinstance(document, dict) else None
    if not isinstance(statements, list) or not all(
        isinstance(s, dict) and s.get("Effect") in ("Allow", "Deny") and s.get("Action")
        for s in statements
    ):
        raise Invalid(
            "The session policy needs a Statement list of Allow/Deny statements with Action.",
            MALFORMED_POLICY,
        )
    return statements


def _assume_context(caller: Caller, request: AssumeAgency) -> dict[str, Values]:
    context: dict[str, Values] = request_tags(request.tags) if request.tags else {}
    context["sts:agencysessionname"] = (request.session_name,)
    if request.external_id is not None:
        context["sts:externalid"] = (request.external_id,)
    source_identity = request.source_identity or (
        caller.session.source_identity if caller.session else None
    )
    if source_identity:
        context["sts:sourceidentity"] = (source_identity,)
    if request.transitive_tag_keys:
        context["sts:transitivetagkeys"] = tuple(request.transitive_tag_keys)
    context["g:sourceaccount"] = (caller.account_id,)
    context["g:sourceurn"] = (caller.principal_urn,)
    return context
