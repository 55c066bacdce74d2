"""`idplane keys rotate` and `idplane keys prune`: a new master key for the store's sealed
secrets while servers keep serving, as Keystone's credential_rotate/credential_migrate do.

Rotate puts a new key first in the key list (the old ones stay, so every server still opens
everything), re-seals every `*_sealed` column of every table with it in one transaction and
records its check value. Prune re-seals what a server sealed with an old key meanwhile, then
keeps only the newest key."""

from __future__ import annotations

import secrets
from dataclasses import dataclass

from sqlalchemy import Table, select, update
from sqlalchemy.orm import Session

from idplane.config import Settings, SettingsError
from idplane.platform.crypto import MasterKeys, SecretBox, format_master_keys, write_master_keys
from idplane.platform.db import Base, Store
from idplane.platform.keycheck import check_value, record_master_key
from idplane.tables import load_all_tables


@dataclass
class KeyChange:
    check_value: str  # of the key that seals from now on
    resealed: int  # secrets sealed anew
    keys: int  # keys now configured
    environment_value: str | None  # the new IDPLANE_MASTER_KEY to set, when it comes from there


def rotate_master_key(settings: Settings, store: Store, box: SecretBox) -> KeyChange:
    keys = [secrets.token_bytes(32), *box.keys.all()]
    return _change(settings, store, box.keys, keys)


def prune_master_keys(settings: Settings, store: Store, box: SecretBox) -> KeyChange:
    return _change(settings, store, box.keys, [box.keys.current])


def _change(
    settings: Settings, store: Store, configured: MasterKeys, keys: list[bytes]
) -> KeyChange:
    previous = configured.all()
    # Opens with every key old or new, seals with the newest.
    box = SecretBox(MasterKeys([keys[0], *(k for k in previous if k != keys[0])]))
    path = configured.path
    if path is not None and len(keys) > len(previous):
        # Servers reading this file open what the transaction below seals, even before it ends.
        write_master_keys(path, keys)
    try:
        with store.transaction() as session:
            resealed = reseal_all(session, box)
            record_master_key(session, keys[0])
    except BaseException:
        if path is not None and len(keys) > len(previous):
            # The old key seals again, the new one stays: anything it sealed still opens.
            write_master_keys(path, [*previous, keys[0]])
        raise
    if path is not None and len(keys) <= len(previous):
        write_master_keys(path, keys)
    from_env = None if path is not None else format_master_keys(keys).strip().replace("\n", ",")
    return KeyChange(check_value(keys[0]), resealed, len(keys), from_env)


def sealed_tables() -> list[tuple[Table, list[str]]]:
    load_all_tables()
    found = []
    for table in Base.metadata.sorted_tables:
        columns = [c.name for c in table.columns if c.name.endswith("_sealed")]
        if columns:
            found.append((table, columns))
    return found


def reseal_all(session: Session, box: SecretBox) -> int:
    """Seals every sealed value not already sealed with the newest key anew; fails (writing
    nothing) on a value no configured key opens."""
    count = 0
    for table, columns in sealed_tables():
        keys = list(table.primary_key.columns)
        for row in session.execute(select(*keys, *(table.c[name] for name in columns))).all():
            values = row._mapping
            changes = {}
            for name in columns:
                sealed = values[name]
                if sealed is None or box.sealed_with_current(sealed):
                    continue
                try:
                    changes[name] = box.seal(box.open(sealed))
                except Exception:
                    where = ", ".join(f"{k.name}={values[k.name]}" for k in keys)
                    raise SettingsError(
                        f"{table.name}.{name} ({where}) opens with none of the master keys; "
                        "nothing was re-sealed"
                    ) from None
            if changes:
                condition = [k == values[k.name] for k in keys]
                session.execute(update(table).where(*condition).values(**changes))
                count += len(changes)
    return count
