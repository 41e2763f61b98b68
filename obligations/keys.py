"""Keys that must live outside the database and the repository (等保 8.1.4.3, 密评 GB/T 39786
§8.4): the audit chain's HMAC-SM3 key, the assessment seal's key, and (households) the SM4 keys.

A key named "audit" is read from, in order:

1. the environment variable ``AUDIT_KEY`` (64 hex digits = 32 bytes), as a secret store or
   the service manager would hand it to the process;
2. the file ``<settings.KEY_DIR>/audit.key`` (raw 32 bytes or 64 hex digits), readable only by
   the service account;
3. only where ``settings.KEYS_CREATE_MISSING`` is on (local development and tests, whose key
   directory is under ``var/``, outside git): a new random key written to that file.

Production settings leave KEYS_CREATE_MISSING off, so a missing key stops the process with a
message instead of silently starting a new chain. One module reads keys; every MAC in the
system goes through `hmac_sm3`.
"""

from __future__ import annotations

import os
import secrets
from pathlib import Path

from cryptography.hazmat.primitives import hashes, hmac
from django.conf import settings
from django.core.exceptions import ImproperlyConfigured

KEY_BYTES = 32
_cache: dict[str, bytes] = {}


def _decode(raw: bytes, where: str) -> bytes:
    text = raw.strip()
    if len(text) == 2 * KEY_BYTES:
        try:
            return bytes.fromhex(text.decode("ascii"))
        except (UnicodeDecodeError, ValueError):
            pass
    if len(raw) == KEY_BYTES:
        return raw
    raise ImproperlyConfigured(f"{where}: 密钥须为 {KEY_BYTES} 字节（或 {2 * KEY_BYTES} 位十六进制）。")


def key(name: str) -> bytes:
    """The key called `name` ("audit", "seal", …), read once per process."""
    if name in _cache:
        return _cache[name]
    variable = f"{name.upper()}_KEY"
    if os.environ.get(variable):
        value = _decode(os.environ[variable].encode(), f"环境变量 {variable}")
    else:
        directory = Path(getattr(settings, "KEY_DIR", "") or "")
        path = directory / f"{name}.key"
        if not str(directory):
            raise ImproperlyConfigured(f"未配置密钥 {name}：请设置环境变量 {variable} 或 KEY_DIR。")
        if path.exists():
            value = _decode(path.read_bytes(), str(path))
        elif getattr(settings, "KEYS_CREATE_MISSING", False):
            directory.mkdir(parents=True, exist_ok=True)
            value = secrets.token_bytes(KEY_BYTES)
            try:
                descriptor = os.open(path, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o600)
            except FileExistsError:  # another process made it first: use theirs
                value = _decode(path.read_bytes(), str(path))
            else:
                with os.fdopen(descriptor, "w") as handle:
                    handle.write(value.hex())
        else:
            raise ImproperlyConfigured(
                f"密钥文件 {path} 不存在：请由运维生成（python -c \"import secrets;"
                f"print(secrets.token_hex(32))\" > {path}，权限 600）或设置环境变量 {variable}。")
    _cache[name] = value
    return value


def hmac_sm3(name: str, data: bytes) -> str:
    """HMAC-SM3 (GB/T 32905) of `data` under the key `name`, as 64 hex digits."""
    mac = hmac.HMAC(key(name), hashes.SM3())
    mac.update(data)
    return mac.finalize().hex()
