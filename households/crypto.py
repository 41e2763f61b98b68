"""Personal data at rest (PIPL §51; GB/T 39786 §8.4; issue 16): SM4-GCM encryption with a
key kept outside the database and the repository, and an HMAC-SM3 blind index to find and
deduplicate values without decrypting them.

- The encryption key of version N is the key `households_vN` (obligations.keys: environment
  variable HOUSEHOLDS_VN_KEY or KEY_DIR/households_vN.key); settings.HOUSEHOLD_KEY_VERSION
  names the version new values are written with. The SM4 key (16 bytes) is derived from it
  with HMAC-SM3 so that the key files stay the same shape as the others.
- A ciphertext is text: "v<N>:" + base64(12-byte nonce ‖ ciphertext ‖ 16-byte tag). The field
  name is the associated data, so a value moved to another field fails to decrypt.
- The blind index uses its own key (`households_index`), which rotation never changes:
  re-encrypting keeps every index valid (`rotate_household_keys`).
"""

from __future__ import annotations

import base64
import os

from cryptography.exceptions import InvalidTag
from cryptography.hazmat.primitives import hashes, hmac
from cryptography.hazmat.primitives.ciphers import Cipher, algorithms, modes
from django.conf import settings

from obligations import keys

NONCE = 12
TAG = 16


def current_version() -> int:
    return int(getattr(settings, "HOUSEHOLD_KEY_VERSION", 1))


def _sm4_key(version: int) -> bytes:
    mac = hmac.HMAC(keys.key(f"households_v{version}"), hashes.SM3())
    mac.update(b"households sm4-gcm")
    return mac.finalize()[:16]


def encrypt(plaintext: str, field: str, *, version: int | None = None) -> str:
    """The ciphertext of `plaintext` for `field` (empty stays empty)."""
    if not plaintext:
        return ""
    return encrypt_bytes(plaintext.encode("utf-8"), field, version=version)


def encrypt_bytes(data: bytes, field: str, *, version: int | None = None) -> str:
    """Bytes as ciphertext text (an uploaded roster waiting in the cache is one)."""
    version = version or current_version()
    nonce = os.urandom(NONCE)
    encryptor = Cipher(algorithms.SM4(_sm4_key(version)), modes.GCM(nonce)).encryptor()
    encryptor.authenticate_additional_data(field.encode())
    body = encryptor.update(data) + encryptor.finalize()
    return f"v{version}:" + base64.b64encode(nonce + body + encryptor.tag).decode("ascii")


class DecryptionError(Exception):
    pass


def version_of(ciphertext: str) -> int | None:
    if not ciphertext:
        return None
    head, _sep, _rest = ciphertext.partition(":")
    return int(head[1:]) if head[:1] == "v" and head[1:].isdigit() else None


def decrypt(ciphertext: str, field: str) -> str:
    if not ciphertext:
        return ""
    return decrypt_bytes(ciphertext, field).decode("utf-8")


def decrypt_bytes(ciphertext: str, field: str) -> bytes:
    version = version_of(ciphertext)
    if version is None:
        raise DecryptionError("密文格式无效")
    raw = base64.b64decode(ciphertext.partition(":")[2])
    nonce, body, tag = raw[:NONCE], raw[NONCE:-TAG], raw[-TAG:]
    decryptor = Cipher(algorithms.SM4(_sm4_key(version)), modes.GCM(nonce, tag)).decryptor()
    decryptor.authenticate_additional_data(field.encode())
    try:
        return decryptor.update(body) + decryptor.finalize()
    except InvalidTag as exc:
        raise DecryptionError("密文校验失败（密钥不符或数据被改动）") from exc


def blind_index(value: str, field: str) -> str:
    """HMAC-SM3 of the normalized value under the index key: equal values, equal index."""
    if not value:
        return ""
    return keys.hmac_sm3("households_index", f"{field}:{value}".encode())
