"""Which master key seals this store's secrets: the store keeps a check value of it (an HMAC of
a fixed text, which reveals nothing of the key), so a server or command started with another
data directory or another IDPLANE_MASTER_KEY refuses to start instead of failing every signed
request or sealing new secrets with the wrong key."""

from __future__ import annotations

import hashlib
import hmac
from collections.abc import Callable
from datetime import datetime

from sqlalchemy import DateTime, Integer, String
from sqlalchemy.exc import IntegrityError
from sqlalchemy.orm import Mapped, Session, mapped_column

from idplane.config import SettingsError
from idplane.platform.clock import now
from idplane.platform.crypto import SecretBox
from idplane.platform.db import Base, Store

_TEXT = b"idplane master key check"


class MasterKeyCheck(Base):
    __tablename__ = "platform_master_key"

    id: Mapped[int] = mapped_column(Integer, primary_key=True)  # one row: 1
    check_value: Mapped[str] = mapped_column(String(64))
    recorded_at: Mapped[datetime] = mapped_column(DateTime(timezone=True))


class MasterKeyMismatch(SettingsError):
    """The configured master key is not the store's (told in one line by the CLI)."""


def check_value(key: bytes) -> str:
    return hmac.new(key, _TEXT, hashlib.sha256).hexdigest()[:16]


def verify_master_key(
    store: Store, box: SecretBox, source: str, sample: Callable[[Session], str | None]
) -> None:
    """Records the current key's check value in a store that has none (after proving, on one
    sealed secret the store already holds, that the keys open it), or compares it with the
    recorded one. During a rotation the recorded key may be any of the configured ones (the
    store's secrets open with every one of them). `sample` answers one sealed secret, or None."""
    mine = check_value(box.keys.current)
    known = [check_value(key) for key in box.keys.all()]
    for _ in range(2):  # a concurrent first start may record it between our read and insert
        try:
            with store.transaction() as session:
                recorded = session.get(MasterKeyCheck, 1)
                if recorded is not None:
                    _compare(recorded.check_value, known, source)
                    return
                _prove(box, sample(session), mine, source)
                session.add(MasterKeyCheck(id=1, check_value=mine, recorded_at=now()))
            return
        except IntegrityError:
            continue


def record_master_key(session: Session, key: bytes) -> None:
    """The store's secrets are now sealed with `key` (in the re-sealing transaction)."""
    recorded = session.get(MasterKeyCheck, 1)
    if recorded is None:
        session.add(MasterKeyCheck(id=1, check_value=check_value(key), recorded_at=now()))
    else:
        recorded.check_value = check_value(key)
        recorded.recorded_at = now()


def recorded_check_value(session: Session) -> str | None:
    recorded = session.get(MasterKeyCheck, 1)
    return recorded.check_value if recorded is not None else None


def _compare(recorded: str, known: list[str], source: str) -> None:
    if not any(hmac.compare_digest(recorded, mine) for mine in known):
        raise MasterKeyMismatch(_mismatch(recorded, known[0], source))


def _prove(box: SecretBox, sealed: str | None, mine: str, source: str) -> None:
    if sealed is None:
        return
    try:
        box.open(sealed)
    except Exception:
        raise MasterKeyMismatch(_mismatch("unrecorded", mine, source)) from None


def _mismatch(recorded: str, mine: str, source: str) -> str:
    return (
        f"the master key from {source} (check value {mine}) is not the key this store's "
        f"secrets are sealed with (check value {recorded}); start with the store's "
        "IDPLANE_DATA_DIR (its master.key) or its IDPLANE_MASTER_KEY"
    )
