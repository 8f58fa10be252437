"""Fields encrypted at rest (商用密码, 等保 level 3): SM4-GCM by default, AES-256-GCM where a deployment must use
it (HALFBUILT_FIELD_CIPHER=aes). The key lives outside the database: HALFBUILT_FIELD_KEY (hex), else a key file in
the data directory made at first use (`field_key`, mode 600; back it up apart from the database backups).

A stored value reads "sm4:" or "aes:" + base64(nonce | ciphertext | tag), so a value written under either
algorithm stays readable after a switch, and a value from before encryption (no prefix) reads as itself."""

from __future__ import annotations

import base64
import os
from functools import cache
from pathlib import Path

from cryptography.exceptions import InvalidTag
from cryptography.hazmat.primitives.ciphers import Cipher, algorithms, modes
from cryptography.hazmat.primitives.ciphers.aead import AESGCM
from django.conf import settings
from django.core.exceptions import ImproperlyConfigured

NONCE = 12
TAG = 16
KEY_BYTES = {"sm4": 16, "aes": 32}


class Undecryptable(ValueError):
    """A stored value the key in use does not open (another deployment's key, or a changed value)."""


@cache
def _key_material() -> bytes:
    """32 bytes: SM4 takes the first 16, AES-256 all of them (one key whichever algorithm is chosen)."""
    if given := settings.FIELD_KEY:
        try:
            key = bytes.fromhex(given)
        except ValueError as exc:
            raise ImproperlyConfigured("HALFBUILT_FIELD_KEY must be 64 hexadecimal characters") from exc
        if len(key) != 32:
            raise ImproperlyConfigured("HALFBUILT_FIELD_KEY must be 64 hexadecimal characters (32 bytes)")
        return key
    path = Path(settings.FIELD_KEY_FILE)
    if not path.exists():  # written whole, then linked into place: a process starting beside never reads half
        path.parent.mkdir(parents=True, exist_ok=True)
        draft = path.with_name(f".{path.name}.{os.getpid()}")
        fd = os.open(draft, os.O_WRONLY | os.O_CREAT | os.O_TRUNC, 0o600)
        with os.fdopen(fd, "w") as out:
            out.write(os.urandom(32).hex())
        try:
            os.link(draft, path)
        except FileExistsError:
            pass  # another process made it first: theirs is the key
        finally:
            draft.unlink()
    return bytes.fromhex(path.read_text().strip())


def _sm4(key: bytes, nonce: bytes, data: bytes, tag: bytes | None = None) -> bytes:
    if tag is None:
        encryptor = Cipher(algorithms.SM4(key[:16]), modes.GCM(nonce)).encryptor()
        return encryptor.update(data) + encryptor.finalize() + encryptor.tag
    decryptor = Cipher(algorithms.SM4(key[:16]), modes.GCM(nonce, tag)).decryptor()
    return decryptor.update(data) + decryptor.finalize()


def encrypt(text: str) -> str:
    if not text:
        return text
    algorithm, key, nonce = settings.FIELD_CIPHER, _key_material(), os.urandom(NONCE)
    data = text.encode()
    sealed = _sm4(key, nonce, data) if algorithm == "sm4" else AESGCM(key).encrypt(nonce, data, None)
    return f"{algorithm}:{base64.b64encode(nonce + sealed).decode()}"


def decrypt(stored: str) -> str:
    if not stored or ":" not in stored[:4]:
        return stored  # empty, or written before encryption
    algorithm, _, body = stored.partition(":")
    if algorithm not in KEY_BYTES:
        return stored
    raw = base64.b64decode(body)
    nonce, sealed = raw[:NONCE], raw[NONCE:]
    try:
        if algorithm == "sm4":
            return _sm4(_key_material(), nonce, sealed[:-TAG], sealed[-TAG:]).decode()
        return AESGCM(_key_material()).decrypt(nonce, sealed, None).decode()
    except InvalidTag as exc:
        raise Undecryptable("a field does not open with this deployment's key") from exc


def stored_length(max_chars: int) -> int:
    """The column length a value of `max_chars` characters needs once encrypted (UTF-8 up to 3 bytes each)."""
    sealed = NONCE + 3 * max_chars + TAG
    return 4 + 4 * ((sealed + 2) // 3)


def seal(values: dict | None, keys) -> dict | None:
    """A JSON record (a change-log snapshot, a revision) with the values of `keys` encrypted, lists too."""
    if not values:
        return values
    return {key: _each(encrypt, value) if key in keys else value for key, value in values.items()}


def unseal(values: dict | None, keys) -> dict | None:
    if not values:
        return values
    return {key: _each(decrypt, value) if key in keys else value for key, value in values.items()}


def _each(function, value):
    if isinstance(value, list):
        return [_each(function, v) for v in value]
    return function(value) if isinstance(value, str) and value else value
