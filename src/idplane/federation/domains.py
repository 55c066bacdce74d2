"""The Keystone domains of an account's federated users (Keystone 30's semantics).

An identity provider created without `domain_id` gets a domain of its own, named by a fresh
uuid and described as Keystone describes it; one created with `domain_id` names the account
itself or one of these domains. `/v3/domains` shows them next to the account, and they can be
disabled (which revokes the tokens of their federated users) and, once disabled, deleted
(which deletes their identity providers, as Keystone's domain-deleted callback does). None of
this ever touches the account: the account's own domain cannot be disabled through the API.
"""

from __future__ import annotations

from sqlalchemy import select, update
from sqlalchemy.orm import Session

from idplane.federation.tables import FederationDomain, IdentityProvider
from idplane.iam.tables import Account, Token
from idplane.platform import ids
from idplane.platform.clock import now
from idplane.platform.errors import Forbidden, NotFound

DESCRIPTION = "Auto generated federated domain for Identity Provider: {}"


def create_idp_domain(session: Session, account_id: str, idp_id: str) -> str:
    domain_id = ids.hex32()
    session.add(
        FederationDomain(
            id=domain_id,
            account_id=account_id,
            name=domain_id,
            description=DESCRIPTION.format(idp_id),
            enabled=True,
            created_at=now(),
        )
    )
    return domain_id


def own_domain(session: Session, account_id: str, domain_id: str) -> str | None:
    """The stored domain of a provider created with `domain_id`: None for the account itself,
    else one of the account's federated domains; another's domain is 403, no domain 404."""
    if domain_id == account_id:
        return None
    found = session.scalar(select(FederationDomain).where(FederationDomain.id == domain_id))
    if found is not None and found.account_id == account_id:
        return found.id
    if found is not None or session.scalar(select(Account.id).where(Account.id == domain_id)):
        raise Forbidden("The domain belongs to another account.", "IAM.0003")
    raise NotFound(f"Could not find domain: {domain_id}.", "IAM.0004")


def list_domains(
    session: Session, account_id: str, name: str | None, enabled: bool | None
) -> list[FederationDomain]:
    stmt = select(FederationDomain).where(FederationDomain.account_id == account_id)
    if name is not None:
        stmt = stmt.where(FederationDomain.name == name)
    if enabled is not None:
        stmt = stmt.where(FederationDomain.enabled.is_(enabled))
    return list(session.scalars(stmt.order_by(FederationDomain.seq)))


def find_domain(session: Session, account_id: str, domain_id: str) -> FederationDomain | None:
    return session.scalar(
        select(FederationDomain).where(
            FederationDomain.account_id == account_id, FederationDomain.id == domain_id
        )
    )


def disable(session: Session, domain: FederationDomain) -> None:
    """Keystone: a disabled domain's users cannot sign in, and their tokens are revoked."""
    domain.enabled = False
    idp_ids = _idp_ids(session, domain)
    if idp_ids:
        session.execute(
            update(Token)
            .where(Token.account_id == domain.account_id, Token.identity_provider_id.in_(idp_ids))
            .values(revoked=True)
        )


def delete(session: Session, domain: FederationDomain) -> None:
    """Deletes a disabled domain and, as Keystone's domain-deleted callback does, the
    identity providers whose domain it is (revoking their tokens)."""
    from idplane.federation.providers import delete_idp_rows

    if domain.enabled:
        raise Forbidden("Cannot delete a domain that is enabled, please disable it first.")
    for idp_id in _idp_ids(session, domain):
        delete_idp_rows(session, domain.account_id, idp_id)
    session.delete(domain)


def _idp_ids(session: Session, domain: FederationDomain) -> list[str]:
    return list(
        session.scalars(
            select(IdentityProvider.id).where(
                IdentityProvider.account_id == domain.account_id,
                IdentityProvider.domain_id == domain.id,
            )
        )
    )
