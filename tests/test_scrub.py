"""Redaction: secrets by key and by value go; ordinary code and text stay."""

from __future__ import annotations

import importlib
import inspect
import random
import re
import string
import tokenize
from collections.abc import Iterator
from io import StringIO

import pytest

from selfheal import scrub
from selfheal.scrub import (
    REDACTED,
    Scrubber,
    env_secrets,
    get_scrubber,
    is_secret_key,
    redact_mapping,
    redact_source,
    redact_text,
    redact_value,
    restore_source,
    safe_repr,
    set_scrubber,
)


@pytest.fixture(autouse=True)
def _default_scrubber() -> Iterator[None]:
    previous = get_scrubber()
    yield
    set_scrubber(previous)


# --------------------------------------------------------------------------- keys


@pytest.mark.parametrize(
    "name",
    ["password", "db_password", "DB_PASSWORD", "passwd", "pwd", "user_pass", "secret",
     "client_secret", "AWS_SECRET_ACCESS_KEY", "api_key", "apiKey", "ApiKey", "X-Api-Key",
     "token", "auth_token", "accessToken", "refresh_token", "csrftoken", "tokens",
     "authorization", "Proxy-Authorization", "cookie", "Set-Cookie", "session",
     "session_id", "sessionid", "dsn", "SENTRY_DSN", "private_key", "signing_key",
     "credentials", "jwt", "otp", "pin", "signature", "passphrase", "connection_string"],
)
def test_secret_keys(name: str) -> None:
    assert is_secret_key(name)


@pytest.mark.parametrize(
    "name",
    ["author", "authors", "mapping", "spinner", "footprint", "keyboard", "monkey", "key",
     "keys", "tokenize", "tokenizer", "passthrough", "bypass", "compass", "pk", "index",
     "value", "username", "user", "email", "host", "port", "description", "opinion",
     "sessile", "", "_", "x1"],
)
def test_ordinary_keys(name: str) -> None:
    assert not is_secret_key(name)


def test_redact_value_and_mapping_go_by_key() -> None:
    assert redact_value("password", "hunter2") == REDACTED
    assert redact_value("count", 3) == "3"
    assert redact_mapping({"api_key": "abc", "n": [1, 2], "user": "bob"}) == {
        "api_key": REDACTED, "n": "[1, 2]", "user": "'bob'"
    }


# --------------------------------------------------------------------------- values

SECRETS_IN_TEXT = [
    ("Authorization: Bearer abcdef0123456789abcdef", "abcdef0123456789abcdef"),
    ("curl -H 'Authorization: Basic dXNlcjpwYXNzd29yZDEyMw=='", "dXNlcjpwYXNzd29yZDEyMw"),
    ("key sk-ant-api03-AbCdEf0123456789xyzXYZ-_ab", "sk-ant-api03"),
    ("OPENAI=sk-proj-abcdefghijklmnop1234", "sk-proj-abcdefghijklmnop"),
    ("sk-abcdefghijklmnopqrstuvwx", "sk-abcdefghijklmnop"),
    ("stripe sk_live_abcdefghij0123456789", "sk_live_abcdefghij"),
    ("aws AKIAIOSFODNN7EXAMPLE here", "AKIAIOSFODNN7EXAMPLE"),
    ("temp ASIAXXXXXXXXXXXXXXXX", "ASIAXXXXXXXXXXXXXXXX"),
    ("jwt eyJhbGciOiJIUzI1NiJ9.eyJzdWIiOiIxMjM0NTY3ODkwIn0.dozjgNryP4J3jVmNHl0w5N_XgL0n3I9PlFUP",
     "eyJhbGciOiJIUzI1NiJ9"),
    ("postgres://admin:hunter2@db.example.com:5432/app", "hunter2"),
    ("redis://:s3cretpass@cache:6379/0", "s3cretpass"),
    ("gh token ghp_" + "a1B2" * 9, "ghp_a1B2"),
    ("slack xoxb-123456789012-abcdefghijkl", "xoxb-1234"),
    ("google AIza" + "Sy" + "A" * 33, "AIzaSyAAAA"),
    ("hf hf_" + "abcDEF123" * 4, "hf_abcDEF"),
    ("password=hunter2&user=bob", "hunter2"),
    ("{'password': 'hunter2', 'user': 'bob'}", "hunter2"),
    ('{"api_key": "abc123def", "n": 1}', "abc123def"),
    ("token: abcd1234efgh", "abcd1234efgh"),
    ("-----BEGIN RSA PRIVATE KEY-----\nMIIEowIBAAKCAQEA\n-----END RSA PRIVATE KEY-----",
     "MIIEowIBAAKCAQEA"),
]


@pytest.mark.parametrize(("text", "secret"), SECRETS_IN_TEXT,
                         ids=[s for s, _ in SECRETS_IN_TEXT])
def test_secret_values_are_redacted(text: str, secret: str) -> None:
    out = redact_text(text)
    assert secret not in out
    assert REDACTED in out


def test_what_surrounds_a_secret_is_kept() -> None:
    assert redact_text("postgres://admin:hunter2@db.example.com/app") == (
        f"postgres://admin:{REDACTED}@db.example.com/app"
    )
    assert redact_text("Authorization: Bearer abcdef0123456789abcdef") == (
        f"Authorization: Bearer {REDACTED}"
    )
    assert redact_text("password=hunter2&user=bob") == f"password={REDACTED}&user=bob"


def test_random_keys_are_redacted_by_entropy() -> None:
    rng = random.Random(20240501)
    alphabet = string.ascii_letters + string.digits
    keys = ["".join(rng.choice(alphabet) for _ in range(n))
            for n in (24, 32, 40) for _ in range(200)]
    keys = [k for k in keys if re.search("[a-z]", k) and re.search("[A-Z]", k)
            and re.search("[0-9]", k)]
    missed = [k for k in keys if k in redact_text(f"value {k} end")]
    # Random 24+ character keys: at most a handful of 600 slip through the entropy test.
    assert len(missed) <= 6, missed


ORDINARY = [
    "the author mapping spinner footprint",
    "token validation failed for user bob",
    "the bearer of this message",
    "sha 0123456789abcdef",  # a 16-character hex digest
    "commit 3f2a9c1d8e7b6a5f4e3d2c1b0a9f8e7d6c5b4a39",  # 40
    "md5 9e107d9d372bb6826bd81d3542a419d6",
    "sha256 " + "ab34" * 16,
    "uuid 123e4567-e89b-12d3-a456-426614174000",
    "AbstractSingletonProxyFactoryBean",
    "x = compute_total_price_with_tax_2",
    "IMAP4_server_hostname and utf8_decode_table_v2",
    "https://docs.python.org/3/library/functools.html#functools.lru_cache",
    "http://www.w3.org/TR/REC-html40/appendix/notes.html",
    "/usr/lib/python3.11/site-packages/some_package/module.py",
    "ValueError: invalid literal for int() with base 10: 'abc'",
    "KeyError: 'GBP'",
    "password: The password for the account.",
    "Signature: the signature of the function",
    "version 1.3.6.1.5.5.7.3.1",
    "mail bob@example.com",
    "auth=(.*)",
]


@pytest.mark.parametrize("text", ORDINARY)
def test_ordinary_text_is_left_alone(text: str) -> None:
    assert redact_text(text) == text


@pytest.mark.parametrize("module", ["inspect", "argparse", "typing", "json.decoder",
                                    "collections", "dataclasses", "pathlib", "textwrap"])
def test_ordinary_code_is_left_alone(module: str) -> None:
    source = inspect.getsource(importlib.import_module(module))
    secrets: dict[str, str] = {}
    out = redact_source(source, secrets)
    changed = set(secrets.values())
    # inspect has one docstring example a careful reader might call a secret; no more.
    assert len(changed) <= 1, changed
    assert len(out.splitlines()) == len(source.splitlines())
    names = [t.string for t in tokenize.generate_tokens(StringIO(source).readline)
             if t.type == tokenize.NAME]
    out_names = [t.string for t in tokenize.generate_tokens(StringIO(out).readline)
                 if t.type == tokenize.NAME]
    assert out_names == names  # only literals and comments may change


def test_emails_are_kept_unless_asked() -> None:
    assert redact_text("mail bob@example.com") == "mail bob@example.com"
    strict = Scrubber(redact_emails=True)
    assert "bob@example.com" not in strict.redact_text("mail bob@example.com")


# --------------------------------------------------------------------------- reprs


def test_safe_repr_redacts_by_key_inside_dicts_and_nested() -> None:
    text = safe_repr({"password": "x", "a": 1, "nested": {"api_key": "zzz", "ok": "yes"}})
    assert text == (
        f"{{'password': {REDACTED}, 'a': 1, "
        f"'nested': {{'api_key': {REDACTED}, 'ok': 'yes'}}}}"
    )


def test_a_secret_in_a_long_string_is_redacted_before_the_string_is_cut() -> None:
    jwt = "eyJhbGciOiJIUzI1NiJ9.eyJzdWIiOiIxMjM0NTY3ODkwIn0." + "x" * 300
    assert "eyJ" not in safe_repr("prefix " + jwt + " suffix")
    long_key = "sk-ant-api03-" + "Ab1" * 100
    assert "Ab1Ab1" not in safe_repr([long_key])


def test_safe_repr_survives_a_broken_repr_and_truncates() -> None:
    class Broken:
        def __repr__(self) -> str:
            raise RuntimeError("no")

    assert safe_repr(Broken()).startswith("<Broken")
    assert len(safe_repr("a" * 1000, limit=50)) == 50
    assert safe_repr("a" * 1000, limit=50).endswith("...")


def test_dataclass_style_reprs_are_redacted_by_key() -> None:
    class Creds:
        def __repr__(self) -> str:
            return "Creds(user='bob', password='hunter2')"

    assert "hunter2" not in safe_repr(Creds())
    assert "bob" in safe_repr(Creds())


def test_redact_data_walks_json() -> None:
    data = {"headers": {"Authorization": "Bearer abc", "Accept": "json"},
            "items": ["ok", "sk-ant-api03-abcdefghijkl"], "n": 3}
    assert get_scrubber().redact_data(data) == {
        "headers": {"Authorization": REDACTED, "Accept": "json"},
        "items": ["ok", REDACTED], "n": 3,
    }


# --------------------------------------------------------------------------- source code


SOURCE = '''\
def connect(host, password="hunter2", timeout=3):
    API_KEY = "sk-ant-api03-abcdefghijklmnop"  # token: abcd1234efgh
    headers = {"token": "plain-token-value", "Accept": "json"}
    headers["secret"] = "s3cr3t"
    url = f"https://bob:pa55word@{host}/x"
    if password == "letmein1":
        return call(host, api_key="k-123456", name="bob", fmt="Basic %s")
    return "%s:%s" % (host, timeout)
'''


def test_source_redaction_changes_only_literals_and_restores_them() -> None:
    secrets: dict[str, str] = {}
    out = redact_source(SOURCE, secrets)
    for value in ("hunter2", "sk-ant-api03-abcdefghijklmnop", "abcd1234efgh",
                  "plain-token-value", "s3cr3t", "pa55word", "letmein1", "k-123456"):
        assert value not in out, value
    for kept in ('"Accept": "json"', 'name="bob"', 'fmt="Basic %s"', '"%s:%s"', "timeout=3",
                 "def connect(host, password="):
        assert kept in out, kept
    assert restore_source(out, secrets) == SOURCE
    # A model that keeps the placeholders gets the originals back, wherever they are.
    edited = out.replace("timeout=3", "timeout=5")
    assert restore_source(edited, secrets) == SOURCE.replace("timeout=3", "timeout=5")


def test_the_same_secret_gets_the_same_placeholder() -> None:
    secrets: dict[str, str] = {}
    first = redact_source('token = "abc123xyz"\n', secrets)
    second = redact_source('other_token = "abc123xyz"\n', secrets)
    assert first.split("=")[1] == second.split("=")[1]
    assert len(secrets) == 1


def test_annotations_are_not_mistaken_for_values() -> None:
    secrets: dict[str, str] = {}
    out = redact_source("def f(password: 'str' = 'hunter22', n: 'int' = 1): ...\n", secrets)
    assert "'str'" in out
    assert "hunter22" not in out
    assert list(secrets.values()) == ["hunter22"]


def test_untokenizable_source_is_redacted_as_text() -> None:
    out = redact_source('password = "hunter2\n  (((', {})
    assert "hunter2" not in out


# --------------------------------------------------------------------------- configuration


def test_extra_keys_safe_keys_and_patterns() -> None:
    custom = Scrubber(extra_keys=("ssn_number", "iban"), safe_keys=("session",),
                      extra_patterns=(r"ACME-[0-9]{6}",))
    assert custom.is_secret_key("iban")
    assert custom.is_secret_key("customer_iban")
    assert not custom.is_secret_key("session")
    assert custom.redact_text("order ACME-123456 ok") == f"order {REDACTED} ok"
    assert redact_text("order ACME-123456 ok") == "order ACME-123456 ok"


def test_known_secrets_are_always_removed() -> None:
    custom = Scrubber().with_known(["correcthorsebattery", "abc"])  # "abc": too short, ignored
    assert custom.redact_text("pw is correcthorsebattery!") == f"pw is {REDACTED}!"
    assert custom.redact_text("abc") == "abc"


def test_entropy_can_be_switched_off() -> None:
    key = "Zx9qL2mN8vB4cR7tY1wE5uI3"
    assert key not in redact_text(f"k {key}")
    assert key in Scrubber(entropy=False).redact_text(f"k {key}")


def test_set_scrubber_changes_the_module_functions() -> None:
    previous = set_scrubber(Scrubber(extra_keys=("iban",)))
    assert redact_value("iban", "DE89370400440532013000") == REDACTED
    set_scrubber(previous)
    assert redact_value("iban", "x") == "'x'"


def test_env_secrets_takes_values_of_secret_named_variables() -> None:
    env = {"MY_API_KEY": "value-of-the-key", "HOME": "/home/bob", "SHORT_TOKEN": "abc",
           "DATABASE_PASSWORD": "plainpassword"}
    assert env_secrets(env) == frozenset({"value-of-the-key", "plainpassword"})


def test_redaction_fails_closed() -> None:
    class Exploding(Scrubber):
        def is_secret_key(self, name: str) -> bool:
            raise RuntimeError("bug")

    assert Exploding().redact_text("password=x") == REDACTED


def test_module_exports_keep_their_signatures() -> None:
    # capture.py and the sandbox call these; their shapes are a contract.
    assert list(inspect.signature(scrub.safe_repr).parameters) == ["value", "limit"]
    assert list(inspect.signature(scrub.redact_value).parameters) == ["name", "value", "limit"]
    assert list(inspect.signature(scrub.redact_mapping).parameters) == ["values", "limit"]
    assert list(inspect.signature(scrub.redact_text).parameters) == ["text"]


def test_secret_named_environment_values_are_removed_everywhere(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    value = "plainlowercaseenvvalue"  # no pattern would catch it
    assert redact_text(f"cfg = {value}") == f"cfg = {value}"
    monkeypatch.setenv("PAYMENTS_API_TOKEN", value)
    scrub.refresh_environment()
    try:
        assert redact_text(f"cfg = {value}") == f"cfg = {REDACTED}"
        assert value not in safe_repr({"cfg": value})
        assert Scrubber(environment=False).redact_text(value) == value
    finally:
        monkeypatch.delenv("PAYMENTS_API_TOKEN")
        scrub.refresh_environment()
    assert redact_text(value) == value
