"""What a sign-in session may last and how passwords are judged, read from the instance's
settings and the identity store's password policy."""

from __future__ import annotations

import re
from datetime import timedelta

from sqlalchemy import select
from sqlalchemy.orm import Session

from idplane.identitycenter.permission_sets.agencies import parse_duration
from idplane.identitycenter.settings.tables import InstanceSettings
from idplane.identitystore.password_policy.service import Policy, password_policy_of
from idplane.instances.store_tables import IdentityStore
from idplane.platform.errors import Invalid

DEFAULT_SESSION = timedelta(hours=8)  # Identity Center's default max_authentication_age
HALF_WAY = timedelta(minutes=10)  # a password accepted, the next step due within this


def session_lifetime(session: Session, identity_store_id: str) -> timedelta:
    configured = session.scalar(
        select(InstanceSettings.sso_configuration)
        .join(IdentityStore, IdentityStore.instance_id == InstanceSettings.instance_id)
        .where(IdentityStore.id == identity_store_id)
    )
    age = ((configured or {}).get("session_configuration") or {}).get("max_authentication_age")
    return parse_duration(age) or DEFAULT_SESSION


def mfa_mode(session: Session, identity_store_id: str) -> str:
    configured = session.scalar(
        select(InstanceSettings.sso_configuration)
        .join(IdentityStore, IdentityStore.instance_id == InstanceSettings.instance_id)
        .where(IdentityStore.id == identity_store_id)
    )
    return (configured or {}).get("mfa_mode") or "ALWAYS_ON"


def check_new_password(session: Session, identity_store_id: str, password: str) -> None:
    """The identity store's password policy; raises Invalid naming what is missing."""
    policy: Policy = password_policy_of(session, identity_store_id)
    missing = []
    if len(password) < policy.minimum_password_length:
        missing.append(f"at least {policy.minimum_password_length} characters")
    if len(password) > 128:
        missing.append("at most 128 characters")
    rules = (
        (policy.require_lowercase_characters, r"[a-z]", "a lowercase letter"),
        (policy.require_uppercase_characters, r"[A-Z]", "an uppercase letter"),
        (policy.require_numbers, r"[0-9]", "a digit"),
        (policy.require_symbols, r"[^A-Za-z0-9]", "a symbol"),
    )
    missing += [
        what for required, pattern, what in rules if required and not re.search(pattern, password)
    ]
    if missing:
        raise Invalid("The new password needs " + ", ".join(missing) + ".", "IIC.400")
