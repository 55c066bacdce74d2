"""Secrets at rest: argon2 password hashes, master-key encryption, one-way token digests."""

from __future__ import annotations

import base64
import binascii
import hashlib
import hmac
import os
import re
import secrets
from collections.abc import Sequence
from pathlib import Path

from argon2 import PasswordHasher
from argon2.exceptions import InvalidHashError, VerificationError
from cryptography.exceptions import InvalidTag
from cryptography.hazmat.primitives.ciphers.aead import AESGCM

from idplane.config import SettingsError
from idplane.platform.db import outside_write

_hasher = PasswordHasher()


def set_password_hashing(time_cost: int, memory_kib: int, parallelism: int) -> None:
    """argon2id's cost for new hashes (the settings `argon2_*`); a stored hash keeps the
    parameters it was made with, so changing them never locks anyone out."""
    global _hasher
    _hasher = PasswordHasher(time_cost=time_cost, memory_cost=memory_kib, parallelism=parallelism)


def hash_password(password: str) -> str:
    # argon2 is slow on purpose: never while the request holds the database's write lock.
    return outside_write(lambda: _hasher.hash(password))


def verify_password(stored_hash: str, password: str) -> bool:
    def verify() -> bool:
        try:
            return _hasher.verify(stored_hash, password)
        except (VerificationError, InvalidHashError):
            return False

    return outside_write(verify)


def token_digest(token: str) -> str:
    """Bearer tokens, IAM tokens and security tokens are stored only as this digest."""
    return hashlib.sha256(token.encode()).hexdigest()


def constant_time_equal(a: str, b: str) -> bool:
    return hmac.compare_digest(a.encode(), b.encode())


class MasterKeys:
    """The master keys, newest first: the first seals, every one opens (a rotation keeps the
    old key until the operator drops it). From `IDPLANE_MASTER_KEY`, or from the data
    directory's `master.key`, re-read whenever the file changes, so a running server follows
    `idplane keys rotate` without a restart."""

    def __init__(self, keys: Sequence[bytes], path: Path | None = None):
        self._keys = _checked(list(keys))
        self.path = path
        self._seen = _stamp(path) if path else None

    @classmethod
    def from_text(cls, text: str, path: Path | None = None) -> MasterKeys:
        return cls(parse_master_keys(text), path)

    def all(self) -> list[bytes]:
        if self.path is not None:
            stamp = _stamp(self.path)
            if stamp != self._seen and stamp is not None:
                self._keys = _checked(parse_master_keys(self.path.read_text()))
                self._seen = stamp
        return self._keys

    @property
    def current(self) -> bytes:
        return self.all()[0]


def parse_master_keys(text: str) -> list[bytes]:
    """Base64 keys of 32 bytes, newest first, separated by commas or whitespace (one a line)."""
    try:
        return [base64.b64decode(part, validate=True) for part in re.split(r"[,\s]+", text) if part]
    except binascii.Error:
        raise MasterKeyError("the master key is not base64 (of 32 bytes)") from None


def format_master_keys(keys: Sequence[bytes]) -> str:
    return "\n".join(base64.b64encode(key).decode() for key in keys) + "\n"


class MasterKeyError(SettingsError):
    """A master key that cannot be used (told in one line by the CLI)."""


def _checked(keys: list[bytes]) -> list[bytes]:
    if not keys:
        raise MasterKeyError("no master key given")
    if any(len(key) != 32 for key in keys):
        raise MasterKeyError("the master key must be 32 bytes")
    return keys


def _stamp(path: Path) -> tuple[int, int, int] | None:
    try:
        status = path.stat()
    except FileNotFoundError:
        return None
    return (status.st_ino, status.st_mtime_ns, status.st_size)


class SecretBox:
    """Encrypts recoverable secrets with the server's master key (AES-256-GCM): secret access
    keys (needed to check HMAC signatures, so they cannot be hashed), TOTP seeds, private keys.
    Seals with the newest key; opens with whichever key sealed."""

    def __init__(self, keys: MasterKeys | bytes | Sequence[bytes]):
        if isinstance(keys, bytes):
            keys = [keys]
        self.keys = keys if isinstance(keys, MasterKeys) else MasterKeys(keys)
        self._aeads: dict[bytes, AESGCM] = {}

    def _aead(self, key: bytes) -> AESGCM:
        aead = self._aeads.get(key)
        if aead is None:
            aead = self._aeads[key] = AESGCM(key)
        return aead

    def seal(self, plaintext: str) -> str:
        nonce = os.urandom(12)
        sealed = self._aead(self.keys.current).encrypt(nonce, plaintext.encode(), None)
        return base64.b64encode(nonce + sealed).decode()

    def open(self, sealed: str) -> str:
        raw = base64.b64decode(sealed)
        for key in self.keys.all():
            try:
                return self._aead(key).decrypt(raw[:12], raw[12:], None).decode()
            except InvalidTag:
                continue
        raise InvalidTag()

    def sealed_with_current(self, sealed: str) -> bool:
        raw = base64.b64decode(sealed)
        try:
            self._aead(self.keys.current).decrypt(raw[:12], raw[12:], None)
        except InvalidTag:
            return False
        return True


def load_or_create_master_key(configured: str | None, data_dir: Path) -> MasterKeys:
    """`IDPLANE_MASTER_KEY` (base64 of 32 bytes; several, newest first, during a rotation)
    wins; else the data directory's key file, made on first start."""
    if configured:
        return MasterKeys.from_text(configured)
    path = data_dir / "master.key"
    if path.exists():
        return MasterKeys.from_text(path.read_text(), path)
    data_dir.mkdir(parents=True, exist_ok=True)
    key = secrets.token_bytes(32)
    try:
        fd = os.open(path, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o600)
    except FileExistsError:  # another worker of this data directory made it first
        return MasterKeys.from_text(path.read_text(), path)
    with os.fdopen(fd, "w") as handle:
        handle.write(base64.b64encode(key).decode())
    return MasterKeys([key], path)


def write_master_keys(path: Path, keys: Sequence[bytes]) -> None:
    """Replaces the key file at once (readers see the old or the new list, never half)."""
    temporary = path.with_name(f".{path.name}.{secrets.token_hex(4)}")
    fd = os.open(temporary, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o600)
    with os.fdopen(fd, "w") as handle:
        handle.write(format_master_keys(keys))
    os.replace(temporary, path)
