"""Real servers under `selfheal run`, driven by a real HTTP client on 127.0.0.1.

The shop in tests/servers/app/ has a plain endpoint (`/echo`) and one whose business
logic has a bug for bulk orders (`/quote`, `shop.pricing`). Its settings
(`selfheal.toml`) include `shop.pricing` in heal mode, as a user would set them up.
Small orders come first, as real traffic does: they are the recorded calls a patch
must agree with (the evidence that lets a heal go live). Then 8 threads send 50
requests each, half plain and half bulk orders: every plain answer must be right, at
least 95% of the bulk ones healed and right, every worker must heal, none may crash.

The exception escapes `quote` into the framework's catch-all error boundary (Flask's
and Starlette's turn it into a 500): nothing in the program expects it, so it is a
failure, and healing it is what the user wants.
"""

from __future__ import annotations

import json
import re
import shutil
import time
from collections.abc import Callable, Iterator, Sequence
from pathlib import Path
from typing import Any

import pytest

from tests.commands.programs import clean_env, selfheal_command
from tests.servers.serve import Answer, Server, drive

APP = Path(__file__).resolve().parent / "app"
DOCS = Path(__file__).resolve().parents[2] / "docs" / "production.md"
# The commands docs/production.md shows; the tests add only where to listen.
GUNICORN = "selfheal run -m gunicorn -w 2 shop.wsgi:app"
UVICORN = "selfheal run -m uvicorn --workers 2 shop.asgi:app"
FLASK = "selfheal run -m flask --app shop.wsgi run --reload"
PRICES = {"pen": (150, 10), "pad": (325, 15), "ink": (1200, 5)}  # cents, bulk discount %
SKUS = sorted(PRICES)
THREADS, PER_THREAD = 8, 50


def right_total(sku: str, quantity: int) -> int:
    price, discount = PRICES[sku]
    total = price * quantity
    return total * (100 - discount) // 100 if quantity >= 10 else total


def quote_check(sku: str, quantity: int) -> Callable[[int, dict[str, Any]], bool]:
    return lambda status, body: (
        status == 200 and body.get("total_cents") == right_total(sku, quantity)
    )


def small_order(thread: int, i: int) -> tuple[str, str, Callable[[int, dict[str, Any]], bool]]:
    sku, quantity = SKUS[(thread + i) % 3], 1 + (thread * 3 + i) % 9
    return "small", f"/quote?sku={sku}&qty={quantity}", quote_check(sku, quantity)


def load(thread: int, i: int) -> tuple[str, str, Callable[[int, dict[str, Any]], bool]]:
    """Half plain requests, half bulk orders (the bug), interleaved in every thread."""
    if i % 2 == 0:
        text = f"t{thread}-{i}"
        return "plain", f"/echo?text={text}", lambda s, b: s == 200 and b.get("text") == text
    sku, quantity = SKUS[(thread + i) % 3], 10 + (thread * 7 + i) % 40
    return "bulk", f"/quote?sku={sku}&qty={quantity}", quote_check(sku, quantity)


@pytest.fixture
def shop(tmp_path: Path) -> Path:
    """A copy of the shop (its settings, and the caches selfheal writes, stay in tmp)."""
    return Path(shutil.copytree(APP, tmp_path / "app"))


@pytest.fixture
def servers() -> Iterator[list[Server]]:
    """Servers a test starts go in here; every one is stopped, whatever happened."""
    started: list[Server] = []
    try:
        yield started
    finally:
        for server in started:
            server.stop()


def documented(
    command: str, before_app: Sequence[str] = (), after: Sequence[str] = ()
) -> list[str]:
    """The documented command's arguments after `selfheal run`, with test-only options."""
    words = command.split()
    assert words[:2] == ["selfheal", "run"]
    args = words[2:]
    if before_app:
        args[-1:-1] = list(before_app)
    return [*args, *after]


def test_the_documented_commands_are_the_tested_ones() -> None:
    text = DOCS.read_text(encoding="utf-8")
    for command in (GUNICORN, UVICORN, FLASK):
        assert f"\n{command}\n" in text, command


def start(servers: list[Server], shop: Path, args: list[str], listening: str) -> Server:
    env = clean_env(shop.parent)  # the store is tmp_path/store
    server = Server.start(selfheal_command("run", *args), shop, env, listening)
    servers.append(server)
    return server


def worker_pids(server: Server, pattern: str, count: int, timeout_s: float = 60.0) -> set[int]:
    deadline = time.monotonic() + timeout_s
    while time.monotonic() < deadline:
        pids = {int(p) for p in re.findall(pattern, server.output())}
        if len(pids) >= count:
            return pids
        time.sleep(0.1)
    raise AssertionError(f"fewer than {count} workers started:\n{server.output()[-3000:]}")


def warm_up(server: Server, workers: set[int] | None, each: int = 3) -> dict[int, int]:
    """Small orders until every worker answered `each` of them (bounded: 10 rounds)."""
    served: dict[int, int] = {}
    for _ in range(10):
        answers = drive(server.base_url, small_order, threads=THREADS, per_thread=4)
        assert all(a.right for a in answers), [a for a in answers if not a.right][:3]
        for answer in answers:
            served[answer.body["worker"]] = served.get(answer.body["worker"], 0) + 1
        expected = workers if workers is not None else set(served)
        if all(served.get(pid, 0) >= each for pid in expected):
            return served
    raise AssertionError(f"small orders never reached every worker {workers}: {served}")


def assert_healed_everywhere(answers: list[Answer], workers: set[int], server: Server) -> None:
    plain = [a for a in answers if a.kind == "plain"]
    bulk = [a for a in answers if a.kind == "bulk"]
    assert len(plain) + len(bulk) == THREADS * PER_THREAD
    wrong_plain = [a for a in plain if not a.right]
    assert not wrong_plain, wrong_plain[:3]
    right_bulk = [a for a in bulk if a.right]
    assert len(right_bulk) >= 0.95 * len(bulk), (
        f"{len(right_bulk)}/{len(bulk)} bulk orders right; wrong: "
        f"{[a for a in bulk if not a.right][:3]}\n{server.output()[-3000:]}"
    )
    # Every worker healed: each one answered bulk orders right.
    assert {a.body["worker"] for a in right_bulk} == workers
    assert server.alive(), server.output()[-3000:]


def live_patches(store: Path) -> list[str]:
    records = [json.loads(p.read_text("utf-8")) for p in (store / "records").glob("*.json")]
    return sorted(r["report"]["function"]["qualname"] for r in records if r["status"] == "live")


def test_flask_under_gunicorn_with_two_sync_workers(shop: Path, servers: list[Server]) -> None:
    server = start(
        servers,
        shop,
        documented(GUNICORN, before_app=["-b", "127.0.0.1:0", "--no-control-socket"]),
        r"Listening at: http://127\.0\.0\.1:(?P<port>\d+)",
    )
    workers = worker_pids(server, r"Booting worker with pid: (\d+)", 2)
    warm_up(server, workers)
    answers = drive(server.base_url, load, threads=THREADS, per_thread=PER_THREAD)
    assert_healed_everywhere(answers, workers, server)
    output = server.output()
    # No worker died or was replaced: the two booted at start are the only ones.
    assert len(re.findall(r"Booting worker with pid", output)) == 2, output[-3000:]
    assert "WORKER TIMEOUT" not in output
    assert "Worker exited" not in output
    assert output.count("selfheal: healed quote") >= 1
    assert set(live_patches(shop.parent / "store")) == {"quote"}


@pytest.mark.parametrize("workers_count", [1, 2])
def test_starlette_under_uvicorn_with_async_handlers(
    shop: Path, servers: list[Server], workers_count: int
) -> None:
    # With --workers, uvicorn spawns fresh interpreters: selfheal reaches them through
    # the environment form; with one worker the server runs in the runner's process.
    args = documented(UVICORN, before_app=["--host", "127.0.0.1", "--port", "0"])
    if workers_count == 1:
        at = args.index("--workers")
        del args[at : at + 2]
    server = start(
        servers,
        shop,
        args,
        r"Uvicorn running on http://127\.0\.0\.1:(?P<port>\d+)",
    )
    workers = worker_pids(server, r"Started server process \[(\d+)\]", workers_count)
    warm_up(server, workers)
    answers = drive(server.base_url, load, threads=THREADS, per_thread=PER_THREAD)
    assert_healed_everywhere(answers, workers, server)
    output = server.output()
    assert len(re.findall(r"Started server process", output)) == workers_count, output[-3000:]
    assert "died" not in output
    assert "selfheal: healed aquote" in output
    assert set(live_patches(shop.parent / "store")) == {"aquote"}


def test_flask_run_with_the_reloader(shop: Path, servers: list[Server]) -> None:
    # The reloader serves from a fresh interpreter it starts with the same command:
    # instrumented through the environment form, not by the runner's process.
    server = start(
        servers,
        shop,
        documented(FLASK, after=["--port", "0"]),
        r"Running on http://127\.0\.0\.1:(?P<port>\d+)",
    )
    served = warm_up(server, None)
    (child,) = served
    assert child != server.proc.pid
    answers = drive(server.base_url, load, threads=4, per_thread=PER_THREAD * 2)
    assert_healed_everywhere(answers, {child}, server)
    assert set(live_patches(shop.parent / "store")) == {"quote"}
