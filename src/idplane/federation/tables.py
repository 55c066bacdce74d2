"""Federation tables: identity providers, their remote ids, protocols, mappings, OIDC
configurations and SAML metadata, all owned by one account (Keystone domain).

Public ids are chosen by the caller and unique per account, so every foreign key is composite
(`account_id`, public id). Cascades follow the API: deleting an identity provider removes its
remote ids, protocols, OIDC configuration and SAML metadata; mappings outlive it, and a mapping
a protocol still names cannot be deleted (the protocol's foreign key says NO ACTION).
"""

from __future__ import annotations

from datetime import datetime

from sqlalchemy import (
    JSON,
    Boolean,
    CheckConstraint,
    DateTime,
    ForeignKey,
    ForeignKeyConstraint,
    Index,
    Integer,
    String,
    Text,
    UniqueConstraint,
    text,
)
from sqlalchemy.orm import Mapped, mapped_column

from idplane.platform.db import Base

IDP_QUOTA = 10  # identity providers per account (Huawei IAM quota page)
VIRTUAL_USER_SSO = "virtual_user_sso"
IAM_USER_SSO = "iam_user_sso"


class FederationAccount(Base):
    """One row per account that has identity providers: their common `sso_type` and how many
    there are. Every create and delete updates this row in its transaction, so concurrent
    writers serialise on it and the CHECK holds the quota under any number of processes."""

    __tablename__ = "federation_accounts"
    __table_args__ = (
        CheckConstraint(f"idp_count >= 0 AND idp_count <= {IDP_QUOTA}", name="idp_quota"),
    )

    account_id: Mapped[str] = mapped_column(
        ForeignKey("accounts.id", ondelete="CASCADE"), primary_key=True
    )
    sso_type: Mapped[str] = mapped_column(String(32))
    idp_count: Mapped[int] = mapped_column(Integer, default=0)


class FederationDomain(Base):
    """A Keystone domain of an account's federated users, made (as Keystone 30 makes it) for an
    identity provider created without `domain_id`. It is not the account: disabling or deleting
    it touches only the federated users and identity providers in it."""

    __tablename__ = "federation_domains"
    __table_args__ = (Index("ix_federation_domains_page", "account_id", "seq"),)

    seq: Mapped[int] = mapped_column(Integer, primary_key=True, autoincrement=True)
    id: Mapped[str] = mapped_column(String(64), unique=True)
    account_id: Mapped[str] = mapped_column(ForeignKey("accounts.id", ondelete="CASCADE"))
    name: Mapped[str] = mapped_column(String(64))
    description: Mapped[str] = mapped_column(String(255), default="")
    enabled: Mapped[bool] = mapped_column(Boolean, default=True)
    created_at: Mapped[datetime] = mapped_column(DateTime(timezone=True))


class IdentityProvider(Base):
    __tablename__ = "federation_identity_providers"
    __table_args__ = (
        UniqueConstraint("account_id", "id"),
        Index("ix_federation_identity_providers_page", "account_id", "seq"),
        # Huawei: at most one iam_user_sso identity provider per account.
        Index(
            "uq_federation_identity_providers_one_iam_user_sso",
            "account_id",
            unique=True,
            sqlite_where=text("sso_type = 'iam_user_sso'"),
            postgresql_where=text("sso_type = 'iam_user_sso'"),
        ),
    )

    seq: Mapped[int] = mapped_column(Integer, primary_key=True, autoincrement=True)
    account_id: Mapped[str] = mapped_column(ForeignKey("accounts.id", ondelete="CASCADE"))
    id: Mapped[str] = mapped_column(String(64))
    sso_type: Mapped[str] = mapped_column(String(32))
    description: Mapped[str] = mapped_column(String(255), default="")
    enabled: Mapped[bool] = mapped_column(Boolean, default=False)
    authorization_ttl: Mapped[int | None] = mapped_column(Integer)
    # The Keystone domain of its federated users: a FederationDomain's id, or null for the
    # account itself (providers created with `domain_id` = the account, and older rows).
    domain_id: Mapped[str | None] = mapped_column(String(64), index=True)
    created_at: Mapped[datetime] = mapped_column(DateTime(timezone=True))
    updated_at: Mapped[datetime] = mapped_column(DateTime(timezone=True))


class RemoteId(Base):
    """Keystone's remote ids (SAML entityID / OIDC issuer): unique across the deployment, so
    an assertion's issuer names exactly one identity provider."""

    __tablename__ = "federation_remote_ids"
    __table_args__ = (
        ForeignKeyConstraint(
            ["account_id", "idp_id"],
            ["federation_identity_providers.account_id", "federation_identity_providers.id"],
            ondelete="CASCADE",
        ),
        Index("ix_federation_remote_ids_idp", "account_id", "idp_id"),
    )

    remote_id: Mapped[str] = mapped_column(String(255), primary_key=True)
    account_id: Mapped[str] = mapped_column(String(64))
    idp_id: Mapped[str] = mapped_column(String(64))
    position: Mapped[int] = mapped_column(Integer)


class Mapping(Base):
    __tablename__ = "federation_mappings"
    __table_args__ = (
        UniqueConstraint("account_id", "id"),
        Index("ix_federation_mappings_page", "account_id", "seq"),
    )

    seq: Mapped[int] = mapped_column(Integer, primary_key=True, autoincrement=True)
    account_id: Mapped[str] = mapped_column(ForeignKey("accounts.id", ondelete="CASCADE"))
    id: Mapped[str] = mapped_column(String(64))
    rules: Mapped[list] = mapped_column(JSON)
    schema_version: Mapped[str] = mapped_column(String(16), default="1.0")
    created_at: Mapped[datetime] = mapped_column(DateTime(timezone=True))
    updated_at: Mapped[datetime] = mapped_column(DateTime(timezone=True))


class Protocol(Base):
    __tablename__ = "federation_protocols"
    __table_args__ = (
        UniqueConstraint("account_id", "idp_id", "id"),
        ForeignKeyConstraint(
            ["account_id", "idp_id"],
            ["federation_identity_providers.account_id", "federation_identity_providers.id"],
            ondelete="CASCADE",
        ),
        # NO ACTION: a mapping in use cannot go (checked at statement end, so deleting a whole
        # account, which cascades to both, still works).
        ForeignKeyConstraint(
            ["account_id", "mapping_id"],
            ["federation_mappings.account_id", "federation_mappings.id"],
        ),
        Index("ix_federation_protocols_mapping", "account_id", "mapping_id"),
        Index("ix_federation_protocols_page", "account_id", "idp_id", "seq"),
    )

    seq: Mapped[int] = mapped_column(Integer, primary_key=True, autoincrement=True)
    account_id: Mapped[str] = mapped_column(String(64))
    idp_id: Mapped[str] = mapped_column(String(64))
    id: Mapped[str] = mapped_column(String(64))
    # Null only for iam_user_sso providers, which match users by external id, not by mapping.
    mapping_id: Mapped[str | None] = mapped_column(String(64))
    remote_id_attribute: Mapped[str | None] = mapped_column(String(64))
    created_at: Mapped[datetime] = mapped_column(DateTime(timezone=True))


class OidcConfig(Base):
    """Huawei's OpenID Connect configuration of an identity provider (one per provider)."""

    __tablename__ = "federation_oidc_configs"
    __table_args__ = (
        UniqueConstraint("account_id", "idp_id"),
        ForeignKeyConstraint(
            ["account_id", "idp_id"],
            ["federation_identity_providers.account_id", "federation_identity_providers.id"],
            ondelete="CASCADE",
        ),
    )

    seq: Mapped[int] = mapped_column(Integer, primary_key=True, autoincrement=True)
    account_id: Mapped[str] = mapped_column(String(64))
    idp_id: Mapped[str] = mapped_column(String(64))
    access_mode: Mapped[str] = mapped_column(String(32))
    idp_url: Mapped[str] = mapped_column(String(255))
    client_id: Mapped[str] = mapped_column(String(255))
    authorization_endpoint: Mapped[str | None] = mapped_column(String(255))
    scope: Mapped[str | None] = mapped_column(String(255))
    response_type: Mapped[str | None] = mapped_column(String(32))
    response_mode: Mapped[str | None] = mapped_column(String(32))
    signing_key: Mapped[str] = mapped_column(Text)
    created_at: Mapped[datetime] = mapped_column(DateTime(timezone=True))
    updated_at: Mapped[datetime] = mapped_column(DateTime(timezone=True))


class SamlMetadata(Base):
    """The SAML metadata imported for one protocol of an identity provider."""

    __tablename__ = "federation_saml_metadata"
    __table_args__ = (
        UniqueConstraint("account_id", "idp_id", "protocol_id"),
        ForeignKeyConstraint(
            ["account_id", "idp_id", "protocol_id"],
            [
                "federation_protocols.account_id",
                "federation_protocols.idp_id",
                "federation_protocols.id",
            ],
            ondelete="CASCADE",
        ),
    )

    seq: Mapped[int] = mapped_column(Integer, primary_key=True, autoincrement=True)
    id: Mapped[str] = mapped_column(String(64), unique=True)
    account_id: Mapped[str] = mapped_column(String(64))
    idp_id: Mapped[str] = mapped_column(String(64))
    protocol_id: Mapped[str] = mapped_column(String(64))
    entity_id: Mapped[str] = mapped_column(String(1024))
    xaccount_type: Mapped[str] = mapped_column(String(64), default="")
    data: Mapped[str] = mapped_column(Text)
    updated_at: Mapped[datetime] = mapped_column(DateTime(timezone=True))


class FederatedUser(Base):
    """The shadow of a federated (virtual) user: an IAM user row (so tokens, group memberships
    and policies work as for anyone) that only its identity provider signs in. Keyed by the
    provider and the user's unique id from the mapping; goes with the provider."""

    __tablename__ = "federation_users"
    __table_args__ = (
        UniqueConstraint("account_id", "idp_id", "unique_id"),
        ForeignKeyConstraint(
            ["account_id", "idp_id"],
            ["federation_identity_providers.account_id", "federation_identity_providers.id"],
            ondelete="CASCADE",
        ),
    )

    user_id: Mapped[str] = mapped_column(
        ForeignKey("iam_users.id", ondelete="CASCADE"), primary_key=True
    )
    account_id: Mapped[str] = mapped_column(String(64))
    idp_id: Mapped[str] = mapped_column(String(64))
    protocol_id: Mapped[str] = mapped_column(String(64))
    unique_id: Mapped[str] = mapped_column(String(255))
    display_name: Mapped[str] = mapped_column(String(255))
    last_seen_at: Mapped[datetime] = mapped_column(DateTime(timezone=True))


class SamlAssertionUse(Base):
    """A SAML assertion already used to sign in, kept until it expires so it is used once:
    keyed by the SHA-256 of its issuer and ID."""

    __tablename__ = "federation_saml_assertions"

    key: Mapped[str] = mapped_column(String(64), primary_key=True)
    account_id: Mapped[str] = mapped_column(ForeignKey("accounts.id", ondelete="CASCADE"))
    expires_at: Mapped[datetime] = mapped_column(DateTime(timezone=True), index=True)
