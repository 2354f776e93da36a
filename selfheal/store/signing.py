"""Signatures with a key the operator holds: tamper evidence for what a store keeps.

A `Signer` signs bytes with HMAC-SHA256 and checks such signatures. The key comes from
the environment (`SELFHEAL_SIGNING_KEY`) or from a file (`SELFHEAL_SIGNING_KEY_FILE`, or
the `signing_key_file` setting) that must not lie inside the store: whoever can write
records must not be able to read the key, or a signature proves nothing.

Any store uses the same three calls: `load_signer(...)` once, `signer.sign(payload)`
when it binds something, `signer.check(payload, signature)` when it relies on it. The
payload is the caller's business (the directory store signs an approval's record id,
content hash, approver and time); this module must not know what a record is, must not
log or store a key, and must not read anything but the key.
"""

from __future__ import annotations

import hashlib
import hmac
import os
from collections.abc import Mapping
from dataclasses import dataclass, field
from pathlib import Path

from selfheal.errors import ConfigurationError

__all__ = ["KEY_ENV", "KEY_FILE_ENV", "MIN_KEY_BYTES", "Signer", "SigningKeyError", "load_signer"]

KEY_ENV = "SELFHEAL_SIGNING_KEY"
KEY_FILE_ENV = "SELFHEAL_SIGNING_KEY_FILE"
MIN_KEY_BYTES = 16
ALGORITHM = "hmac-sha256"


class SigningKeyError(ConfigurationError):
    """The signing key is configured but cannot be used (missing, short, inside the store)."""


@dataclass(frozen=True)
class Signer:
    """Signs and checks payloads with one HMAC key.

    `key_id` names the key without revealing it, so a check can tell "signed with
    another key" from "the signed bytes changed".
    """

    key_id: str
    _key: bytes = field(repr=False)

    @classmethod
    def from_key(cls, key: bytes) -> Signer:
        if len(key) < MIN_KEY_BYTES:
            raise SigningKeyError(
                f"the signing key is {len(key)} bytes; use at least {MIN_KEY_BYTES} random "
                "bytes (for instance: python -c 'import secrets; print(secrets.token_hex(32))')"
            )
        # A separate hash domain: the id must not be a cheap oracle for the key itself.
        key_id = hashlib.sha256(b"selfheal key id\n" + key).hexdigest()[:12]
        return cls(key_id, key)

    def sign(self, payload: bytes) -> str:
        """`hmac-sha256:<key id>:<hex digest>` of `payload`."""
        digest = hmac.new(self._key, payload, hashlib.sha256).hexdigest()
        return f"{ALGORITHM}:{self.key_id}:{digest}"

    def check(self, payload: bytes, signature: str) -> str | None:
        """None if `signature` is this key's signature of `payload`, else why not."""
        parts = signature.split(":")
        if len(parts) != 3 or parts[0] != ALGORITHM:
            return "the signature is not in the hmac-sha256:<key id>:<digest> form"
        if parts[1] != self.key_id:
            return f"signed with key {parts[1]}, not with the configured key {self.key_id}"
        if not hmac.compare_digest(self.sign(payload), signature):
            return "the signature does not match: what was signed has changed since"
        return None


def _inside(path: Path, directory: Path) -> bool:
    try:
        path.resolve().relative_to(directory.resolve())
    except ValueError:
        return False
    return True


def load_signer(
    key_file: str | os.PathLike[str] | None = None,
    *,
    store_root: str | os.PathLike[str] | None = None,
    environ: Mapping[str, str] | None = None,
) -> Signer | None:
    """The configured signer, or None when no key is configured.

    `SELFHEAL_SIGNING_KEY` holds the key itself; `SELFHEAL_SIGNING_KEY_FILE` (or
    `key_file`, the setting) names a file holding it. Raises SigningKeyError when both
    are set, the file cannot be read, the key is short, or the file is inside
    `store_root`.
    """
    env = os.environ if environ is None else environ
    inline = env.get(KEY_ENV, "")
    named = env.get(KEY_FILE_ENV, "") or (os.fspath(key_file) if key_file else "")
    if inline and named:
        raise SigningKeyError(
            f"both {KEY_ENV} and a key file ({named}) are set; set only one of them"
        )
    if inline:
        return Signer.from_key(inline.strip().encode())
    if not named:
        return None
    path = Path(named).expanduser()
    if store_root is not None and _inside(path, Path(store_root)):
        raise SigningKeyError(
            f"the signing key file {path} is inside the patch store {store_root}; keep it "
            "outside (anyone who can write records could read it and sign anything)"
        )
    try:
        key = path.read_bytes()
    except OSError as exc:
        raise SigningKeyError(
            f"cannot read the signing key file {path}: {exc.strerror or exc} "
            f"(set {KEY_FILE_ENV} or signing_key_file to a readable file, or unset it)"
        ) from None
    return Signer.from_key(key.strip())
