"""Secrets at rest: argon2 password hashes, master-key encryption, one-way token digests."""

from __future__ import annotations

import base64
import hashlib
import hmac
import os
import secrets
from pathlib import Path

from argon2 import PasswordHasher
from argon2.exceptions import InvalidHashError, VerificationError
from cryptography.hazmat.primitives.ciphers.aead import AESGCM

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


class SecretBox:
    """Encrypts secret access keys with the server's master key (AES-256-GCM).

    Secret keys must be recoverable to check HMAC signatures, so they cannot be hashed.
    """

    def __init__(self, key: bytes):
        if len(key) != 32:
            raise ValueError("the master key must be 32 bytes")
        self._aead = AESGCM(key)

    def seal(self, plaintext: str) -> str:
        nonce = os.urandom(12)
        return base64.b64encode(
            nonce + self._aead.encrypt(nonce, plaintext.encode(), None)
        ).decode()

    def open(self, sealed: str) -> str:
        raw = base64.b64decode(sealed)
        return self._aead.decrypt(raw[:12], raw[12:], None).decode()


def load_or_create_master_key(configured: str | None, data_dir: Path) -> bytes:
    """`IDPLANE_MASTER_KEY` (base64 of 32 bytes) wins; else a key file made on first start."""
    if configured:
        return base64.b64decode(configured)
    path = data_dir / "master.key"
    if path.exists():
        return base64.b64decode(path.read_text().strip())
    data_dir.mkdir(parents=True, exist_ok=True)
    key = secrets.token_bytes(32)
    try:
        fd = os.open(path, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o600)
    except FileExistsError:  # another worker of this data directory made it first
        return base64.b64decode(path.read_text().strip())
    with os.fdopen(fd, "w") as handle:
        handle.write(base64.b64encode(key).decode())
    return key
