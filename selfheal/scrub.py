"""Redaction: nothing leaves the process before it passes through here.

Owns: safe, truncated reprs of arbitrary objects, and redaction by key (a local named
`password`) and by value (a string that looks like a bearer token or an API key). Every
text that goes to a record, an engine, a log or a span is built with these functions.
It must never raise: a repr that fails becomes a placeholder.
"""

from __future__ import annotations

import math
import re
import reprlib
from collections import Counter
from collections.abc import Iterable, Mapping
from typing import Any

REDACTED = "[REDACTED]"

SECRET_KEY_PARTS: tuple[str, ...] = (
    "password", "passwd", "pwd", "secret", "token", "api_key", "apikey", "auth",
    "authorization", "cookie", "session", "dsn", "credential", "private_key", "privatekey",
    "access_key", "signature", "passphrase", "bearer", "jwt", "csrf", "otp", "pin",
)

_VALUE_PATTERNS: tuple[re.Pattern[str], ...] = (
    re.compile(r"(?i)\bbearer\s+[A-Za-z0-9\-._~+/]{8,}=*"),
    re.compile(r"\bsk-ant-[A-Za-z0-9\-_]{8,}"),
    re.compile(r"\bsk-[A-Za-z0-9\-_]{16,}"),
    re.compile(r"\b(?:AKIA|ASIA)[0-9A-Z]{16}\b"),
    re.compile(r"\beyJ[A-Za-z0-9_\-]{5,}\.[A-Za-z0-9_\-]{5,}\.[A-Za-z0-9_\-]{5,}"),  # JWT
    re.compile(r"\b(?:gh[pousr]|github_pat)_[A-Za-z0-9_]{20,}"),
    re.compile(r"\bxox[baprs]-[A-Za-z0-9-]{10,}"),
    re.compile(r"-----BEGIN [A-Z ]*PRIVATE KEY-----[\s\S]*?(?:-----END [A-Z ]*PRIVATE KEY-----|$)"),
)
# user:password@ in URLs: keep the user and host, drop the password.
_URL_CREDENTIALS = re.compile(r"(?P<scheme>[a-zA-Z][a-zA-Z0-9+.\-]*://)(?P<user>[^:/@\s]*):(?P<pw>[^@/\s]+)@")
_KEY_VALUE = re.compile(
    r"(?i)(?P<key>[\"']?[A-Za-z0-9_\-]*(?:" + "|".join(SECRET_KEY_PARTS) + r")[A-Za-z0-9_\-]*[\"']?"
    r"\s*[:=]\s*)(?!\[REDACTED\])(?P<value>\"[^\"]*\"|'[^']*'|[^\s,;&}\]]+)"
)
_TOKENISH = re.compile(r"[A-Za-z0-9+/=_\-]{32,}")

_repr = reprlib.Repr()
_repr.maxstring = 120
_repr.maxother = 120
_repr.maxlist = _repr.maxtuple = _repr.maxset = _repr.maxdict = 12
_repr.maxlevel = 3


def is_secret_key(name: str) -> bool:
    lowered = name.lower()
    return any(part in lowered for part in SECRET_KEY_PARTS)


def _entropy(text: str) -> float:
    counts = Counter(text)
    n = len(text)
    return -sum(c / n * math.log2(c / n) for c in counts.values())


def _redact_high_entropy(match: re.Match[str]) -> str:
    token = match.group(0)
    # Long identifiers and hex digests of code are common and harmless; random-looking
    # mixed-case-and-digit strings are the shape of keys.
    classes = sum(bool(re.search(p, token)) for p in (r"[a-z]", r"[A-Z]", r"[0-9]"))
    if classes >= 3 and _entropy(token) >= 4.0:
        return REDACTED
    return token


def redact_text(text: str) -> str:
    """Replace anything in `text` that looks like a secret."""
    try:
        text = _URL_CREDENTIALS.sub(lambda m: f"{m['scheme']}{m['user']}:{REDACTED}@", text)
        for pattern in _VALUE_PATTERNS:
            text = pattern.sub(REDACTED, text)
        text = _KEY_VALUE.sub(lambda m: m["key"] + REDACTED, text)
        return _TOKENISH.sub(_redact_high_entropy, text)
    except Exception:  # redaction must not fail open: drop the text instead
        return REDACTED


def safe_repr(value: Any, limit: int = 200) -> str:
    """A redacted, truncated repr that never raises and never runs for long."""
    try:
        text = _repr.repr(value)
    except Exception as exc:  # a user __repr__ that raises
        text = f"<{type(value).__qualname__} object (repr failed: {type(exc).__name__})>"
    text = redact_text(text)
    if len(text) > limit:
        text = text[: limit - 3] + "..."
    return text


def redact_value(name: str, value: Any, limit: int = 200) -> str:
    """The repr of a named value, redacted by key and by value."""
    if is_secret_key(name):
        return REDACTED
    return safe_repr(value, limit)


def redact_mapping(values: Mapping[str, Any], limit: int = 200) -> dict[str, str]:
    return {str(k): redact_value(str(k), v, limit) for k, v in values.items()}


def redact_all(texts: Iterable[str]) -> list[str]:
    return [redact_text(t) for t in texts]
