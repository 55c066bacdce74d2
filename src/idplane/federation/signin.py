"""Federated sign-in: an identity provider's verified assertion (an OIDC ID token, a SAML
response) becomes an IAM token, as Keystone's `mapped` auth method makes it.

1. The provider: the one named (path or `X-Idp-Id`) whose configuration verifies the
   assertion. Provider ids are unique per account, so several accounts may have an `ACME`;
   the unverified issuer only narrows the candidates, the verification decides.
2. The provider must be enabled (Keystone: 403 otherwise) and its domain enabled (401).
3. virtual_user_sso: the protocol's mapping turns the claims into a user and groups
   (federation/engine.py); the user is shadowed by an IAM user row of the account (one per
   provider and unique id) whose group memberships are set to the mapped groups at every
   sign-in (Keystone's expiring memberships), so policies apply as to any IAM user.
   iam_user_sso: the IAM user whose external identity id (`xuser_id`) is the mapped user id
   (or, without a mapping, the subject) signs in; no such user is 401.
4. The token (methods `["mapped"]`) records the provider, so deleting the provider revokes
   it, and its protocol, groups, user name and domain, so that issuing and every validation
   (`GET /v3/auth/tokens`) show the same `user.OS-FEDERATION`; it can be scoped to the
   account or one of its projects.
"""

from __future__ import annotations

import hashlib
from collections.abc import Callable
from dataclasses import dataclass
from datetime import timedelta
from typing import Any

from sqlalchemy import delete, select
from sqlalchemy.exc import IntegrityError
from sqlalchemy.orm import Session

from idplane.federation import engine
from idplane.federation.tables import (
    IAM_USER_SSO,
    FederatedUser,
    FederationDomain,
    IdentityProvider,
    Mapping,
    Protocol,
)
from idplane.iam.groups.tables import Group, GroupMember
from idplane.iam.tables import Account, Token, User
from idplane.iam.tokens import Scope, TokenService, scoped_project
from idplane.platform import ids
from idplane.platform.clock import now
from idplane.platform.crypto import token_digest
from idplane.platform.db import Store
from idplane.platform.errors import Forbidden, Unauthenticated

CODE = "IAM.0101"
# (idp, session) -> verified claims, or raises Unauthenticated
Verifier = Callable[[IdentityProvider, Session], dict[str, Any]]


@dataclass(frozen=True)
class SignedIn:
    secret: str
    body: dict


class FederatedSignIn:
    def __init__(self, store: Store, tokens: TokenService):
        self.store = store
        self.tokens = tokens

    def sign_in(
        self,
        candidates: Callable[[Session], list[IdentityProvider]],
        protocol_id: str,
        verify: Verifier,
        scope: Scope | None,
        catalog: bool,
    ) -> SignedIn:
        try:
            return self._sign_in(candidates, protocol_id, verify, scope, catalog)
        except IntegrityError:
            # A concurrent first sign-in of the same user made the shadow first: use it.
            return self._sign_in(candidates, protocol_id, verify, scope, catalog)

    def _sign_in(
        self,
        candidates: Callable[[Session], list[IdentityProvider]],
        protocol_id: str,
        verify: Verifier,
        scope: Scope | None,
        catalog: bool,
    ) -> SignedIn:
        with self.store.transaction() as session:
            idp, claims = _verified(session, candidates(session), verify)
            if not idp.enabled:
                raise Forbidden(f"Identity Provider {idp.id} is disabled")
            domain = _domain(session, idp)
            account = session.scalars(select(Account).where(Account.id == idp.account_id)).one()
            if not account.enabled or (domain is not None and not domain.enabled):
                raise Unauthenticated("The identity provider's domain is disabled.", CODE)
            protocol = session.scalar(
                select(Protocol).where(
                    Protocol.account_id == idp.account_id,
                    Protocol.idp_id == idp.id,
                    Protocol.id == protocol_id,
                )
            )
            if protocol is None:
                raise Unauthenticated(
                    f"The identity provider {idp.id} has no protocol {protocol_id}.", CODE
                )
            mapped = _map(session, protocol, claims)
            if idp.sso_type == IAM_USER_SSO:
                user, display = _iam_user(session, idp, mapped, claims), None
            else:
                user, display = _shadow(session, idp, protocol_id, mapped)
            groups = _groups(session, account, mapped, domain)
            if idp.sso_type != IAM_USER_SSO:
                _set_memberships(session, user, groups)
            project = scoped_project(session, account, scope, "user")
            secret = ids.opaque_token()
            issued = now()
            token = Token(
                id=ids.uuid_str(),
                digest=token_digest(secret),
                account_id=account.id,
                user_id=user.id,
                project_id=project.id if project else None,
                methods=["mapped"],
                identity_provider_id=idp.id,
                federation=federation_record(protocol_id, groups, display, domain),
                issued_at=issued,
                expires_at=issued + timedelta(hours=self.tokens.settings.token_hours),
            )
            session.add(token)
            user.last_login_at = issued
            session.flush()
        return SignedIn(secret, self.tokens.user_body(account, user, project, token, catalog))


def federation_record(
    protocol_id: str, groups: list[Group], display: str | None, domain: FederationDomain | None
) -> dict[str, Any]:
    """What the token keeps of its sign-in, for every later validation to show it."""
    return {
        "protocol_id": protocol_id,
        "group_ids": [g.id for g in groups],
        "user_name": display,
        "domain": {"id": domain.id, "name": domain.name} if domain is not None else None,
    }


def _verified(
    session: Session, candidates: list[IdentityProvider], verify: Verifier
) -> tuple[IdentityProvider, dict]:
    if not candidates:
        raise Unauthenticated("No identity provider can verify this assertion.", CODE)
    failure: Unauthenticated | None = None
    for idp in candidates:
        try:
            return idp, verify(idp, session)
        except Unauthenticated as error:
            failure = error
    assert failure is not None
    raise failure


def _domain(session: Session, idp: IdentityProvider) -> FederationDomain | None:
    if idp.domain_id is None:
        return None
    return session.scalar(select(FederationDomain).where(FederationDomain.id == idp.domain_id))


def _map(session: Session, protocol: Protocol, claims: dict) -> engine.Mapped | None:
    if protocol.mapping_id is None:
        return None
    mapping = session.scalar(
        select(Mapping).where(
            Mapping.account_id == protocol.account_id, Mapping.id == protocol.mapping_id
        )
    )
    if mapping is None:
        raise Unauthenticated("The protocol's mapping is gone.", CODE)
    return engine.evaluate(mapping.rules, claims)


def _unique_id(mapped: engine.Mapped | None, claims: dict) -> str:
    user = mapped.user if mapped else {}
    value = user.get("id") or user.get("name") or claims.get("sub")
    if not isinstance(value, str) or not value:
        raise Unauthenticated("The mapping gives the federated user no name or id.", CODE)
    return value[:255]


def _shadow(
    session: Session, idp: IdentityProvider, protocol_id: str, mapped: engine.Mapped | None
) -> tuple[User, str]:
    if mapped is None:
        raise Unauthenticated("A virtual_user_sso protocol needs a mapping.", CODE)
    unique = _unique_id(mapped, {})
    display = (mapped.user.get("name") or unique)[:255]
    found = session.execute(
        select(FederatedUser, User)
        .join(User, User.id == FederatedUser.user_id)
        .where(
            FederatedUser.account_id == idp.account_id,
            FederatedUser.idp_id == idp.id,
            FederatedUser.unique_id == unique,
        )
    ).first()
    moment = now()
    if found is not None:
        shadow, user = found
        if not user.enabled:
            raise Unauthenticated("The user or account is disabled.", "IAM.0102")
        shadow.display_name, shadow.last_seen_at = display, moment
        return user, display
    digest = hashlib.sha256(f"{idp.account_id}\0{idp.id}\0{unique}".encode()).hexdigest()
    user = User(
        id=digest[:32],
        account_id=idp.account_id,
        name=f"federated_{digest[:24]}",
        password_hash=None,
        description=f"Federated user {display[:160]} of identity provider {idp.id}",
        created_at=moment,
    )
    session.add(user)
    session.flush()
    session.add(
        FederatedUser(
            user_id=user.id,
            account_id=idp.account_id,
            idp_id=idp.id,
            protocol_id=protocol_id,
            unique_id=unique,
            display_name=display,
            last_seen_at=moment,
        )
    )
    return user, display


def _iam_user(
    session: Session, idp: IdentityProvider, mapped: engine.Mapped | None, claims: dict
) -> User:
    external = _unique_id(mapped, claims)
    user = session.scalar(
        select(User).where(User.account_id == idp.account_id, User.xuser_id == external)
    )
    if user is None or not user.enabled:
        raise Unauthenticated("No enabled IAM user has this external identity id.", CODE)
    return user


def _groups(
    session: Session,
    account: Account,
    mapped: engine.Mapped | None,
    domain: FederationDomain | None,
) -> list[Group]:
    """The account's groups the mapping names (by id, or by name in the account's domain or
    the provider's); a group that does not exist fails the sign-in, as in Keystone."""
    if mapped is None:
        return []
    own = {account.id, account.name} | ({domain.id, domain.name} if domain else set())
    found: dict[str, Group] = {}
    for group_id in mapped.group_ids:
        group = session.scalar(
            select(Group).where(Group.account_id == account.id, Group.id == group_id)
        )
        if group is None:
            raise Unauthenticated(f"The mapped group {group_id} does not exist.", CODE)
        found[group.id] = group
    for named in mapped.group_names:
        where = named.get("domain") or {}
        if where and not ({where.get("id"), where.get("name")} & own):
            raise Unauthenticated(f"The mapped group {named['name']} is not in this account.", CODE)
        group = session.scalar(
            select(Group).where(Group.account_id == account.id, Group.name == named["name"])
        )
        if group is None:
            raise Unauthenticated(f"The mapped group {named['name']} does not exist.", CODE)
        found[group.id] = group
    return list(found.values())


def _set_memberships(session: Session, user: User, groups: list[Group]) -> None:
    session.execute(delete(GroupMember).where(GroupMember.user_id == user.id))
    moment = now()
    session.add_all(GroupMember(group_id=g.id, user_id=user.id, created_at=moment) for g in groups)
    session.flush()
