"""Redaction: nothing leaves the process before it passes through here.

Owns: safe, truncated reprs of arbitrary objects, and redaction by key (a local named
`password`) and by value (a string that looks like a bearer token or an API key), for
plain text and for Python source (where only literals and comments may change, and
each redacted span can be put back locally with `restore_source`). Every text that
goes to a record, an engine, a log or a span is built with these functions.

It must never raise: a repr that fails becomes a placeholder, and a redaction that
fails drops the whole text (failing closed). It must not import any stage module.

Configuration: the module-level functions use the process-wide `Scrubber`
(`get_scrubber()` / `set_scrubber()`); build one with extra key words, keys known to be
safe, extra value patterns, email redaction or exact secret strings to always remove.
"""

from __future__ import annotations

import base64
import functools
import io
import math
import os
import re
import reprlib
import threading
import time
import tokenize
from collections import Counter
from collections.abc import Callable, Iterable, Mapping
from dataclasses import dataclass, field, replace
from itertools import pairwise
from typing import Any

REDACTED = "[REDACTED]"

# Key names are split into words (snake_case, camelCase, kebab-case, dotted) first.
# A key is secret when its words, glued together, contain one of these ...
SECRET_KEY_PARTS: tuple[str, ...] = (
    "password", "passwd", "passphrase", "secret", "credential", "apikey", "accesskey",
    "privatekey", "secretkey", "signingkey", "encryptionkey", "masterkey", "authorization",
    "cookie", "bearer", "connectionstring", "accesstoken", "refreshtoken", "authtoken",
    "csrftoken", "apitoken",
)
# ... or when one of its words (singular or plural) is one of these. Short words are
# matched whole so `author`, `mapping`, `spinner` and `footprint` stay visible.
SECRET_KEY_WORDS: tuple[str, ...] = (
    "token", "session", "sessionid", "sid", "auth", "pwd", "pass", "pin", "otp", "jwt",
    "dsn", "csrf", "xsrf", "signature", "cred", "creds", "apikey", "cvv", "ssn",
)

_WORDS = re.compile(r"[A-Z]+(?![a-z])|[A-Z]?[a-z]+|[0-9]+")


# Each pattern redacts its named group `secret` when it has one, else the whole match.
_VALUE_PATTERNS: tuple[re.Pattern[str], ...] = (
    re.compile(
        r"-----BEGIN [A-Z0-9 ]*PRIVATE KEY-----(?P<secret>[\s\S]*?)"
        r"(?:-----END [A-Z0-9 ]*PRIVATE KEY-----|$)"
    ),
    # user:password@host in URLs: keep the user and the host.
    re.compile(r"\b[a-zA-Z][a-zA-Z0-9+.\-]*://[^:/@\s'\"]*:(?P<secret>[^@/\s'\"]+)@"),
    # HTTP authorization schemes; the credential must look like one (digit, or long).
    re.compile(
        r"(?i)\b(?:bearer|basic|token|digest)\s+"
        r"(?P<secret>(?=[A-Za-z0-9\-._~+/]*[0-9])[A-Za-z0-9\-._~+/]{8,}=*|[A-Za-z0-9\-._~+/]{20,}=*)"
    ),
    re.compile(r"\bsk-ant-[A-Za-z0-9\-_]{8,}"),
    re.compile(r"\b(?:sk|rk)-(?:proj-|svcacct-|admin-)?[A-Za-z0-9\-_]{16,}"),
    re.compile(r"\b(?:sk|rk|pk)_(?:live|test)_[A-Za-z0-9]{10,}"),
    re.compile(r"\b(?:AKIA|ASIA|AGPA|AIDA|AROA|ANPA|ANVA|AIPA)[0-9A-Z]{16}\b"),
    re.compile(r"\beyJ[A-Za-z0-9_\-]{5,}\.[A-Za-z0-9_\-]{5,}\.[A-Za-z0-9_\-]{5,}"),  # JWT
    re.compile(r"\b(?:gh[pousr]|github_pat)_[A-Za-z0-9_]{20,}"),
    re.compile(r"\bglpat-[A-Za-z0-9_\-]{20,}"),
    re.compile(r"\bxox[abeoprs]-[A-Za-z0-9\-]{10,}"),
    re.compile(r"\bAIza[0-9A-Za-z_\-]{35}"),
    re.compile(r"\bhf_[A-Za-z0-9]{30,}"),
    re.compile(r"\bnpm_[A-Za-z0-9]{36}"),
)
# Every built-in pattern needs a run of 6 key-ish characters or a `:` / `=`.
_MAYBE_SECRET = re.compile(r"[A-Za-z0-9_\-+/]{6}|[:=]")
_EMAIL = re.compile(r"\b[A-Za-z0-9._%+\-]+@[A-Za-z0-9.\-]+\.[A-Za-z]{2,}\b")
# `key = value`, `"key": "value"`, `key: value`; whether the key is secret is decided by
# `is_secret_key` in the callback, so the word rules above apply here too.
_KEY_VALUE = re.compile(
    r"(?P<q>[\"']?)(?P<key>[A-Za-z_][A-Za-z0-9_.\-]*)(?P=q)"
    r"(?P<sep>\s*(?<![=!<>:])(?:=(?!=)|:(?![:=]))\s*)"
    # A quote may be left open: source cut mid-string is still redacted.
    r"(?P<value>\[REDACTED\]|\"(?:[^\"\\\n]|\\.)*\"?|'(?:[^'\\\n]|\\.)*'?|[^\s,;&)}\]\"']+)"
)
_TOKENISH = re.compile(r"(?<![A-Za-z0-9+/=_\-])[A-Za-z0-9+/=_\-]{20,}")
_FORMAT_FIELD = re.compile(r"%[-#0 +]*[0-9]*(?:\.[0-9]+)?[sdifrxXeEgGc]|\{[^{}\s]*\}")
_DOTTED_NUMBER = re.compile(r"[0-9]+(?:[.\-][0-9]+)+")  # versions, OIDs, IP addresses
_KEY_NAME = re.compile(r"[A-Za-z][A-Za-z0-9_\-]*")
_HEXISH = re.compile(r"[0-9a-fA-F\-]+")
_IDENTIFIER_LIKE = re.compile(r"[A-Za-z_\-]+[0-9]*")


def _words(name: str) -> list[str]:
    return [w.lower() for w in _WORDS.findall(name)]


def _char_class(c: str) -> int:
    return 0 if c.islower() else 1 if c.isupper() else 2 if c.isdigit() else 3


def _class_switch_rate(text: str) -> float:
    if len(text) < 2:
        return 0.0
    switches = sum(_char_class(a) != _char_class(b) for a, b in pairwise(text))
    return switches / (len(text) - 1)


def _entropy(text: str) -> float:
    counts = Counter(text)
    n = len(text)
    return -sum(c / n * math.log2(c / n) for c in counts.values())


def env_secrets(environ: Mapping[str, str] | None = None, min_length: int = 8) -> frozenset[str]:
    """Values of environment variables whose names are secret (`*_API_KEY`, `*_TOKEN` ...).

    A scrubber with `environment=True` (the default) removes these wherever they appear,
    so a key that sits in the environment cannot leave the process even after user code
    copied it into a variable with an innocent name.
    """
    env = os.environ if environ is None else environ
    default = get_scrubber()
    return frozenset(
        v for k, v in env.items() if len(v) >= min_length and default.is_secret_key(k)
    )


_ENV_REFRESH_S = 2.0
_env_cache: tuple[float, tuple[str, ...]] = (-1e9, ())


def _env_known() -> tuple[str, ...]:
    """`env_secrets()` longest first, re-read at most every couple of seconds (reading
    and classifying the whole environment on every redaction would cost more than the
    redaction itself)."""
    global _env_cache
    now = time.monotonic()
    stamp, values = _env_cache
    if now - stamp > _ENV_REFRESH_S:
        try:
            values = tuple(sorted(env_secrets(), key=len, reverse=True))
        except Exception:
            values = ()
        _env_cache = (now, values)
    return values


def refresh_environment() -> None:
    """Re-read the environment's secrets now (after setting a key, for instance)."""
    global _env_cache
    _env_cache = (-1e9, ())


@dataclass(frozen=True)
class Scrubber:
    """A redaction policy. Immutable; derive variants with `with_known` / `replace`.

    `extra_keys`: more key words (matched like SECRET_KEY_WORDS); `safe_keys`: key names
    never redacted by key (exact, case-insensitive); `extra_patterns`: more regexes for
    values (a group named `secret` limits what is removed); `redact_emails`; `entropy`:
    redact long random-looking tokens; `known_secrets`: exact strings always removed;
    `environment`: also remove the values of secret-named environment variables.
    """

    extra_keys: tuple[str, ...] = ()
    safe_keys: tuple[str, ...] = ()
    extra_patterns: tuple[str, ...] = ()
    redact_emails: bool = False
    entropy: bool = True
    entropy_min_length: int = 20
    known_secrets: frozenset[str] = frozenset()
    environment: bool = True
    _patterns: tuple[re.Pattern[str], ...] = field(init=False, repr=False, compare=False)
    _extra_compiled: bool = field(init=False, repr=False, compare=False)
    _repr: _ScrubRepr = field(init=False, repr=False, compare=False)
    _key_words: frozenset[str] = field(init=False, repr=False, compare=False)
    _safe: frozenset[str] = field(init=False, repr=False, compare=False)

    def __post_init__(self) -> None:
        extra = tuple(re.compile(p) for p in self.extra_patterns)
        # Patterns that remove their whole match are scanned in one pass (one regex
        # alternation), the ones that keep part of their match one by one.
        whole = [p for p in _VALUE_PATTERNS + extra if "secret" not in p.groupindex
                 and not p.flags & ~re.UNICODE]
        partial = [p for p in _VALUE_PATTERNS + extra if p not in whole]
        combined = re.compile("|".join(f"(?:{p.pattern})" for p in whole)) if whole else None
        object.__setattr__(self, "_patterns", tuple(partial) + ((combined,) if combined else ()))
        object.__setattr__(self, "_extra_compiled", bool(extra))
        # reprlib.Repr keeps only its limits, so one instance serves every thread.
        object.__setattr__(self, "_repr", _ScrubRepr(self))
        words = {w.lower() for w in SECRET_KEY_WORDS}
        for key in self.extra_keys:
            words.update(_words(key) if len(_words(key)) == 1 else ["".join(_words(key))])
        object.__setattr__(self, "_key_words", frozenset(words))
        object.__setattr__(self, "_safe", frozenset(k.lower() for k in self.safe_keys))

    def with_known(self, secrets: Iterable[str]) -> Scrubber:
        """This policy, also removing these exact strings (ignores ones shorter than 6)."""
        known = self.known_secrets | {s for s in secrets if isinstance(s, str) and len(s) >= 6}
        return replace(self, known_secrets=frozenset(known))

    # ------------------------------------------------------------------ keys

    def is_secret_key(self, name: str) -> bool:
        if not name or name.lower() in self._safe:
            return False
        words = _words(name)
        if not words:
            return False
        glued = "".join(words)
        if any(part in glued for part in SECRET_KEY_PARTS):
            return True
        key_words = self._key_words
        for word in words:
            if word in key_words or (word.endswith("s") and word[:-1] in key_words):
                return True
        # Adjacent words glued: `api_key`, `session_id`, `auth_token` ...
        return any(a + b in key_words for a, b in pairwise(words))

    # ------------------------------------------------------------------ text

    def _looks_random(self, token: str) -> bool:
        if len(token) < self.entropy_min_length:
            return False
        if _HEXISH.fullmatch(token):  # digests, uuids: common in code, not credentials
            return False
        if _IDENTIFIER_LIKE.fullmatch(token):  # long_snake_names, CamelCase, name_2
            return False
        core = token.strip("=")
        classes = sum(bool(re.search(p, core)) for p in (r"[a-z]", r"[A-Z]", r"[0-9]"))
        if classes < 3:
            return False
        # A random base62 string of length n has entropy close to log2(min(n, 62)) ...
        threshold = 0.78 * math.log2(min(len(core), 62))
        if _entropy(core) < threshold:
            return False
        # ... and switches between lower case, upper case and digits at about 6 of 10
        # characters; names such as `IMAP4_server_hostname` or `utf8Decoder2` switch
        # rarely (fewer than 1 in 100 random 20-character keys fall below 0.3).
        # Separators do not count: a path such as `org/TR/REC-html40/appendix` switches
        # at every slash but is made of words.
        return _class_switch_rate("".join(ch for ch in core if ch.isalnum())) >= 0.3

    def redact_text(self, text: str, on_secret: Callable[[str], str] | None = None) -> str:
        """Replace anything in `text` that looks like a secret.

        `on_secret(secret) -> replacement` chooses the replacement (default REDACTED);
        `redact_source` uses it to number placeholders it can put back later.
        """
        replace_with = on_secret or (lambda _secret: REDACTED)
        try:
            known = sorted(self.known_secrets, key=len, reverse=True) if self.known_secrets else []
            if self.environment:
                known.extend(_env_known())
            for secret in known:
                if secret in text:
                    text = text.replace(secret, replace_with(secret))
            if not self._extra_compiled and not _MAYBE_SECRET.search(text) and not (
                self.redact_emails and "@" in text
            ):
                return text  # nothing long enough to be a key, no `key=value`: done

            def by_pattern(match: re.Match[str]) -> str:
                if "secret" in match.re.groupindex and match.group("secret") is not None:
                    start, end = match.span("secret")
                    base = match.start()
                    whole = match.group(0)
                    secret = match.group("secret")
                    if not secret or REDACTED in secret:
                        return whole
                    return whole[: start - base] + replace_with(secret) + whole[end - base :]
                if REDACTED in match.group(0):
                    return match.group(0)
                return replace_with(match.group(0))

            for pattern in self._patterns:
                text = pattern.sub(by_pattern, text)
            if self.redact_emails:
                text = _EMAIL.sub(lambda m: replace_with(m.group(0)), text)

            def by_key(match: re.Match[str]) -> str:
                value = match["value"]
                if not self.is_secret_key(match["key"]) or _is_placeholder(value):
                    return match.group(0)
                if value.lower() in _AUTH_SCHEMES:  # `Authorization: Bearer <cred>`
                    return match.group(0)
                if not any(ch.isalnum() for ch in value) or _FORMAT_FIELD.fullmatch(
                    value.strip("\"'")
                ):
                    return match.group(0)  # `auth=(.*)`, `cookie: %s`: not a credential
                if (
                    value[:1] not in "\"'"
                    and ":" in match["sep"]
                    and (value.isalpha() or _DOTTED_NUMBER.fullmatch(value))
                ):
                    # `Signature: the ...`, `password: The password for ...`: prose.
                    return match.group(0)
                if value[:1] in "\"'":
                    closed = len(value) >= 2 and value[-1] == value[0]
                    inner = value[1:-1] if closed else value[1:]
                    if not inner or _is_placeholder(inner):
                        return match.group(0)
                    value = value[0] + replace_with(inner) + (value[-1] if closed else "")
                else:
                    value = replace_with(value)
                return match.group(0)[: match.start("value") - match.start()] + value

            text = _KEY_VALUE.sub(by_key, text)
            if self.entropy:
                text = _TOKENISH.sub(
                    lambda m: replace_with(m.group(0)) if self._looks_random(m.group(0))
                    else m.group(0),
                    text,
                )
            return text
        except Exception:  # redaction must not fail open: drop the text instead
            return REDACTED

    def redact_untrusted(self, text: str, limit: int = 300) -> str:
        """Text that unreviewed code chose (a candidate's result or exception message,
        echoed by the verifier), made fit for a record, a log or a prompt: redacted like
        any text, cut to `limit`, and dropped whole when it holds a known secret (an
        exact one, or a secret-named environment variable's value) in a transformed form
        an exact match misses: spaced out, chunked, reversed, upper-cased, as hex, as
        character codes, as one big integer, or any ten characters of it."""
        try:
            text = text[: max(limit, 0) * 4]  # bounded work, whatever the text's size
            known = set(self.known_secrets)
            if self.environment:
                known.update(_env_known())
            flat = "".join(ch for ch in text.lower() if ch.isalnum())
            if any(form in flat for secret in known for form in secret_forms(secret)):
                return UNTRUSTED_REDACTED
            return truncate(self.redact_text(text), limit)
        except Exception:
            return REDACTED

    # ------------------------------------------------------------------ objects

    def safe_repr(self, value: Any, limit: int = 200) -> str:
        """A redacted, truncated repr that never raises and never runs for long."""
        try:
            text = self._repr.repr(value)
        except Exception as exc:  # a user __repr__ that raises
            try:
                kind = type(value).__qualname__
            except Exception:
                kind = "object"
            text = f"<{kind} object (repr failed: {type(exc).__name__})>"
        text = self.redact_text(text)
        return truncate(text, limit)

    def redact_value(self, name: str, value: Any, limit: int = 200) -> str:
        """The repr of a named value, redacted by key and by value."""
        if self.is_secret_key(name):
            return REDACTED
        return self.safe_repr(value, limit)

    def redact_mapping(self, values: Mapping[str, Any], limit: int = 200) -> dict[str, str]:
        return {str(k): self.redact_value(str(k), v, limit) for k, v in values.items()}

    def redact_data(self, data: Any, _key: str = "") -> Any:
        """Redact a JSON-like structure (dicts, lists, strings) by key and by value."""
        if isinstance(data, Mapping):
            return {
                k: (REDACTED if isinstance(k, str) and self.is_secret_key(k)
                    and isinstance(v, (str, int, float)) else self.redact_data(v, str(k)))
                for k, v in data.items()
            }
        if isinstance(data, (list, tuple)):
            return [self.redact_data(v, _key) for v in data]
        if isinstance(data, str):
            return self.redact_text(data)
        return data


_AUTH_SCHEMES = frozenset({"bearer", "basic", "token", "digest"})
UNTRUSTED_REDACTED = "[REDACTED: the text held a form of a secret]"
_WINDOW = 10  # characters of a secret that identify it (secrets of 16 or more)


@functools.lru_cache(maxsize=256)
def secret_forms(secret: str) -> tuple[str, ...]:
    """What `secret` can look like in a text once everything but letters and digits is
    dropped and the rest lower-cased (see `Scrubber.redact_untrusted`)."""
    if len(secret) < 8:
        return ()
    raw = secret.encode()
    core = "".join(ch for ch in secret.lower() if ch.isalnum())
    hexed = raw.hex()
    codes = [str(ord(ch)) for ch in secret]
    forms = {core, core[::-1], hexed, "".join(codes), str(int.from_bytes(raw, "big")),
             "".join(ch for ch in base64.b64encode(raw).decode().lower() if ch.isalnum()),
             base64.b32encode(raw).decode().lower().rstrip("=")}
    if len(core) >= 16:
        for i in range(len(core) - _WINDOW + 1):
            forms.update((core[i:i + _WINDOW], core[::-1][i:i + _WINDOW]))
        for i in range(0, len(hexed) - 2 * _WINDOW + 1, 2):
            forms.add(hexed[i:i + 2 * _WINDOW])
        for i in range(len(codes) - 5):  # a list of codes cut short shows a few
            forms.add("".join(codes[i:i + 6]))
    return tuple(sorted((f for f in forms if len(f) >= 8), key=len, reverse=True))


def _is_placeholder(value: str) -> bool:
    return REDACTED in value or value.startswith("__selfheal_redacted_")


class _ScrubRepr(reprlib.Repr):
    """reprlib with redaction of whole strings before they are cut (a secret cut in the
    middle no longer matches any pattern) and of dict values under secret keys."""

    def __init__(self, scrubber: Scrubber) -> None:
        super().__init__()
        self.scrubber = scrubber
        self.maxstring = 120
        self.maxother = 120
        self.maxlist = self.maxtuple = self.maxset = self.maxdict = 12
        self.maxfrozenset = self.maxdeque = self.maxarray = 12
        self.maxlevel = 3

    def repr_str(self, x: str, level: int) -> str:
        return reprlib.Repr.repr_str(self, self.scrubber.redact_text(x), level)

    def repr_dict(self, x: dict[Any, Any], level: int) -> str:
        if not any(isinstance(k, str) and self.scrubber.is_secret_key(k) for k in x):
            return reprlib.Repr.repr_dict(self, x, level)
        n = len(x)
        if n == 0:
            return "{}"
        if level <= 0:
            return "{...}"
        pieces = []
        for i, (key, value) in enumerate(x.items()):
            if i >= self.maxdict:
                pieces.append("...")
                break
            shown = (REDACTED if isinstance(key, str) and self.scrubber.is_secret_key(key)
                     else self.repr1(value, level - 1))
            pieces.append(f"{self.repr1(key, level - 1)}: {shown}")
        return "{" + ", ".join(pieces) + "}"


def truncate(text: str, limit: int) -> str:
    """Cut `text` to `limit` characters, marking the cut with `...`."""
    if limit <= 0 or len(text) <= limit:
        return text
    if limit <= 3:
        return text[:limit]
    return text[: limit - 3] + "..."


# --------------------------------------------------------------------------- source code


_PLACEHOLDER = "__selfheal_redacted_{}__"
_PLACEHOLDER_RE = re.compile(r"__selfheal_redacted_\d+__")


def redact_source(
    source: str,
    secrets: dict[str, str] | None = None,
    scrubber: Scrubber | None = None,
) -> str:
    """Redact secrets in Python source without changing what the code means elsewhere.

    Only string literals and comments change: a literal that looks like a secret, or
    that is assigned to / passed as / keyed by a secret-named target (`password = "..."`,
    `{"token": "..."}`, `f(api_key="...")`), has the secret replaced by a numbered
    placeholder. `secrets` collects placeholder -> original so `restore_source` can put
    the originals back into code that comes back (a patch), locally. Source that does
    not tokenize is redacted as plain text.
    """
    scrub = scrubber or get_scrubber()
    table = secrets if secrets is not None else {}
    reverse = {v: k for k, v in table.items()}

    def placeholder(secret: str) -> str:
        if secret in reverse:
            return reverse[secret]
        name = _PLACEHOLDER.format(len(table) + 1)
        table[name] = secret
        reverse[secret] = name
        return name

    try:
        tokens = list(tokenize.generate_tokens(io.StringIO(source).readline))
    except (tokenize.TokenError, IndentationError, SyntaxError):
        return scrub.redact_text(source, placeholder)
    except Exception:
        return REDACTED

    edits: list[tuple[tuple[int, int], tuple[int, int], str]] = []
    # NEWLINE stays: it ends a statement, so look-behind never crosses into the last one.
    skip = (tokenize.NL, tokenize.COMMENT, tokenize.INDENT, tokenize.DEDENT)
    significant = [t for t in tokens if t.type not in skip]
    position = {id(t): i for i, t in enumerate(significant)}
    string_types = {tokenize.STRING}
    fstring_middle = getattr(tokenize, "FSTRING_MIDDLE", None)
    if fstring_middle is not None:
        string_types.add(fstring_middle)
    for tok in tokens:
        if tok.type in string_types:
            keyed = _keyed_by_secret(significant, position[id(tok)], scrub)
            new = _redact_literal(tok.string, keyed, scrub, placeholder)
            if new != tok.string:
                edits.append((tok.start, tok.end, new))
        elif tok.type == tokenize.COMMENT:
            new = scrub.redact_text(tok.string, placeholder)
            if new != tok.string:
                edits.append((tok.start, tok.end, new))
    if not edits:
        return source
    lines = source.splitlines(keepends=True)
    # Apply from the end so earlier positions stay valid.
    for (srow, scol), (erow, ecol), new in reversed(edits):
        head = lines[srow - 1][:scol]
        tail = lines[erow - 1][ecol:]
        lines[srow - 1 : erow] = [head + new + tail]
    return "".join(lines)


_STRING_PREFIX = re.compile(r"(?i)^(?P<prefix>[rbuf]*)(?P<quote>'''|\"\"\"|'|\")")


def _redact_literal(
    literal: str,
    keyed: bool,
    scrub: Scrubber,
    placeholder: Callable[[str], str],
) -> str:
    m = _STRING_PREFIX.match(literal)
    if m is None:  # an f-string middle part: text only
        return scrub.redact_text(literal, placeholder)
    quote = m["quote"]
    start = m.end()
    end = len(literal) - len(quote)
    if end < start:
        return literal
    body = literal[start:end]
    if keyed and _could_be_secret(body):
        return literal[:start] + placeholder(body) + literal[end:]
    new_body = scrub.redact_text(body, placeholder)
    return literal[:start] + new_body + literal[end:] if new_body != body else literal


def _strong_key(name: str) -> bool:
    glued = "".join(_words(name))
    return any(part in glued for part in SECRET_KEY_PARTS)


def _could_be_secret(body: str) -> bool:
    """A literal bound to a secret-named target is redacted unless it plainly is not a
    secret: empty, punctuation only (`"@"`, `"..."`), a version or OID (`"1.3.6.1"`),
    or already a placeholder."""
    if not body or not any(ch.isalnum() for ch in body):
        return False
    if _DOTTED_NUMBER.fullmatch(body) or _PLACEHOLDER_RE.fullmatch(body):
        return False
    if _FORMAT_FIELD.search(body):
        return False  # a template the secret is formatted into: `"Basic %s"`, `"{}:{}"`
    stripped = body.strip()
    if stripped.lower() in _AUTH_SCHEMES:
        return False  # `"Basic "`: the scheme, the credential is concatenated later
    # A header or field name as the value (`auth_header = "Proxy-Authorization"`).
    return not (_KEY_NAME.fullmatch(stripped) and _strong_key(stripped))


def _names_secret(tok: tokenize.TokenInfo, scrub: Scrubber) -> bool:
    if tok.type == tokenize.NAME:
        return scrub.is_secret_key(tok.string)
    if tok.type == tokenize.STRING:
        return scrub.is_secret_key(_STRING_PREFIX.sub("", tok.string).rstrip("'\""))
    return False


def _keyed_by_secret(sig: list[tokenize.TokenInfo], i: int, scrub: Scrubber) -> bool:
    """Is the literal at `sig[i]` bound to a secret-named target?

    `password = "..."`, `password: str = "..."`, `{"token": "..."}`, `f(api_key="...")`,
    `d["secret"] = "..."`, `if token == "..."`. A literal that is an annotation
    (`password: "str" = ...`) is not: the value after it is.
    """
    if i < 2:
        return False
    op = sig[i - 1]
    if op.type != tokenize.OP or op.string not in ("=", ":", "==", "!=", ":=", "+="):
        return False
    if op.string == ":" and i + 1 < len(sig) and sig[i + 1].string == "=":
        return False  # an annotation written as a string
    target = sig[i - 2]
    if op.string in ("==", "!="):
        # `if token == "lambda"` in a tokenizer is common; `if password == "..."` with a
        # real secret is caught here only for the strong key names.
        return target.type == tokenize.NAME and _strong_key(target.string)
    if _names_secret(target, scrub):
        return True
    if target.type == tokenize.OP and target.string == "]" and i >= 4:
        return _names_secret(sig[i - 3], scrub)  # d["password"] = "..."
    if op.string == "=":
        # `name: <annotation> = "..."`: walk back over the annotation to its `:`.
        depth = 0
        j = i - 2
        while j > 0:
            tok = sig[j]
            if tok.string in (")", "]", "}"):
                depth += 1
            elif tok.string in ("(", "[", "{"):
                if depth == 0:
                    return False
                depth -= 1
            elif tok.type == tokenize.NEWLINE or (
                depth == 0 and tok.string in (",", ";", "=", "def", "lambda")
            ):
                return False
            elif depth == 0 and tok.string == ":":
                return _names_secret(sig[j - 1], scrub)
            j -= 1
    return False


def restore_source(source: str, secrets: Mapping[str, str]) -> str:
    """Put back the originals of the placeholders `redact_source` made (local use only)."""
    if not secrets:
        return source
    return _PLACEHOLDER_RE.sub(lambda m: secrets.get(m.group(0), m.group(0)), source)


# --------------------------------------------------------------------------- process default

_lock = threading.Lock()
_default = Scrubber()


def get_scrubber() -> Scrubber:
    """The process-wide redaction policy."""
    return _default


def set_scrubber(scrubber: Scrubber) -> Scrubber:
    """Replace the process-wide redaction policy; returns the previous one."""
    global _default
    with _lock:
        previous, _default = _default, scrubber
    return previous


def is_secret_key(name: str) -> bool:
    return _default.is_secret_key(name)


def redact_text(text: str) -> str:
    """Replace anything in `text` that looks like a secret."""
    return _default.redact_text(text)


def safe_repr(value: Any, limit: int = 200) -> str:
    """A redacted, truncated repr that never raises and never runs for long."""
    return _default.safe_repr(value, limit)


def redact_value(name: str, value: Any, limit: int = 200) -> str:
    """The repr of a named value, redacted by key and by value."""
    return _default.redact_value(name, value, limit)


def redact_untrusted(text: str, limit: int = 300) -> str:
    """Text unreviewed code chose, fit to keep (see `Scrubber.redact_untrusted`)."""
    return _default.redact_untrusted(text, limit)


def redact_mapping(values: Mapping[str, Any], limit: int = 200) -> dict[str, str]:
    return _default.redact_mapping(values, limit)

