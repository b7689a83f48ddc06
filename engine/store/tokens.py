"""Join codes, facilitator keys and participant tokens.

A key or token reads ``<row id>.<secret>``: the id finds the row, the secret proves the right to it. Only
``sha256(salt || secret)`` is stored, with a random 16-byte salt, and hashes are compared with
:func:`hmac.compare_digest`. A slow hash (scrypt) would add nothing: the secrets are 256 random bits from
:mod:`secrets`, not passwords a person chose, so they cannot be guessed from a dictionary.
"""

from __future__ import annotations

import hashlib
import hmac
import secrets

SECRET_BYTES = 32  # 256 bits for keys and tokens
JOIN_CODE_BYTES = 16  # 128 bits: a join code is shared with every participant, and only lets them join


def new_join_code() -> str:
    """An unguessable join code (128 random bits, 22 URL-safe characters)."""
    return secrets.token_urlsafe(JOIN_CODE_BYTES)


def new_secret() -> str:
    return secrets.token_urlsafe(SECRET_BYTES)


def hash_secret(secret: str) -> str:
    """``sha256$<salt hex>$<digest hex>`` of ``secret`` with a fresh random salt."""
    salt = secrets.token_bytes(16)
    digest = hashlib.sha256(salt + secret.encode("utf-8")).hexdigest()
    return f"sha256${salt.hex()}${digest}"


def check_secret(secret: str, stored: str) -> bool:
    """Whether ``secret`` matches the stored hash; constant-time in the digest comparison."""
    try:
        scheme, salt_hex, digest = stored.split("$")
        salt = bytes.fromhex(salt_hex)
    except ValueError:
        return False
    if scheme != "sha256":
        return False
    candidate = hashlib.sha256(salt + secret.encode("utf-8")).hexdigest()
    return hmac.compare_digest(candidate, digest)


def make_credential(row_id: int, secret: str) -> str:
    return f"{row_id}.{secret}"


def split_credential(credential: object) -> tuple[int, str] | None:
    """``(row id, secret)`` from a key or token, or None when it is not shaped like one."""
    if not isinstance(credential, str) or len(credential) > 200:
        return None
    head, sep, secret = credential.strip().partition(".")
    if not sep or not head.isdigit() or not secret or len(head) > 18:
        return None
    return int(head), secret
