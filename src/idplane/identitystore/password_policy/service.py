"""The custom password policy of an identity store (`describe_password_policy`,
`update_password_policy`).

The API reference gives no ranges; these follow what the real service is known to accept
(Huawei's Terraform provider sets lengths and ages of 10 and 100, and documents
`password_reuse_prevention` as "1" only) and what Identity Center users expect:

| field                        | range   | default | meaning                                   |
|------------------------------|---------|---------|-------------------------------------------|
| minimum_password_length      | 8-128   | 8       | characters                                |
| require_lowercase_characters | bool    | true    |                                           |
| require_uppercase_characters | bool    | true    |                                           |
| require_numbers              | bool    | true    |                                           |
| require_symbols              | bool    | true    |                                           |
| max_password_age             | 0-1095  | 0       | days a password stays valid; 0: no expiry |
| password_reuse_prevention    | 1       | 1       | previous passwords that cannot be reused  |

An update changes the fields it names and keeps the others (so a partial body never resets
a setting by accident); it is one upsert statement, correct under concurrent updates.
"""

from __future__ import annotations

from dataclasses import asdict, dataclass, fields, replace

from sqlalchemy import select
from sqlalchemy.dialects import postgresql, sqlite
from sqlalchemy.orm import Session

from idplane.identitystore.password_policy.tables import PasswordPolicy
from idplane.instances.errors import invalid
from idplane.instances.gate import IdentityCenterGate
from idplane.platform.auth.caller import Caller
from idplane.platform.clock import now
from idplane.platform.db import Store


@dataclass(frozen=True)
class Policy:
    minimum_password_length: int = 8
    require_lowercase_characters: bool = True
    require_numbers: bool = True
    require_symbols: bool = True
    require_uppercase_characters: bool = True
    max_password_age: int = 0
    password_reuse_prevention: int = 1


DEFAULT = Policy()
RANGES = {
    "minimum_password_length": (8, 128),
    "max_password_age": (0, 1095),
    "password_reuse_prevention": (1, 1),
}
FIELDS = tuple(f.name for f in fields(Policy))


class PasswordPolicyService:
    def __init__(self, store: Store, gate: IdentityCenterGate):
        self.store = store
        self.gate = gate

    def describe_password_policy(self, caller: Caller, identity_store_id: str) -> Policy:
        with self.gate.store_unit(
            caller, "IdentityCenter:passwordPolicy:describe", identity_store_id
        ) as (session, store):
            return _policy_of(session, store.id)

    def update_password_policy(
        self, caller: Caller, identity_store_id: str, changes: dict[str, int | bool]
    ) -> Policy:
        """`changes` holds only the fields the request named."""
        _check(changes)
        with self.gate.store_unit(
            caller, "IdentityCenter:passwordPolicy:update", identity_store_id, write=True
        ) as (session, store):
            if changes:
                _upsert(session, store.id, changes)
            return _policy_of(session, store.id)


def _check(changes: dict[str, int | bool]) -> None:
    for name, value in changes.items():
        if name not in FIELDS:
            raise invalid(f"unknown password policy field {name}")
        low, high = RANGES.get(name, (None, None))
        if low is not None and high is not None and not low <= int(value) <= high:
            allowed = f"{low}" if low == high else f"between {low} and {high}"
            raise invalid(f"{name} must be {allowed}, not {value}")


def _upsert(session: Session, identity_store_id: str, changes: dict[str, int | bool]) -> None:
    moment = now()
    row = {**asdict(replace(DEFAULT, **changes)), "updated_at": moment}  # type: ignore[arg-type]
    dialect = postgresql if session.get_bind().dialect.name == "postgresql" else sqlite
    statement = dialect.insert(PasswordPolicy).values(identity_store_id=identity_store_id, **row)
    session.execute(
        statement.on_conflict_do_update(
            index_elements=[PasswordPolicy.identity_store_id],
            set_={**changes, "updated_at": moment},
        )
    )


def _policy_of(session: Session, identity_store_id: str) -> Policy:
    row = session.scalar(
        select(PasswordPolicy).where(PasswordPolicy.identity_store_id == identity_store_id)
    )
    if row is None:
        return DEFAULT
    return Policy(**{name: getattr(row, name) for name in FIELDS})


def password_policy_of(session: Session, identity_store_id: str) -> Policy:
    """The policy in force (the defaults until an update), for the sign-in pages."""
    return _policy_of(session, identity_store_id)


def minimum_password_length(session: Session, identity_store_id: str) -> int:
    """What the Identity Store asks of the passwords it issues (one-time passwords)."""
    return _policy_of(session, identity_store_id).minimum_password_length
