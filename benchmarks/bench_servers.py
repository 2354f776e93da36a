"""Requests per second of a real server, bare and under `selfheal run`.

The Flask shop of tests/servers/ under gunicorn with 2 sync workers on 127.0.0.1,
started as `python -m gunicorn ...` and as `selfheal run -m gunicorn ...` (its business
logic instrumented by the import hook), driven by 8 client threads with a new
connection per request, half plain requests and half small quotes (the happy path of
the instrumented function; no bug is hit). The two servers run one after the other,
twice each, interleaved; the best round of each counts. The measurement runs in a
child process of its own: the benchmarks before it leave their process as they please
(live patches, guards), and a client measured there would measure that too.
"""

from __future__ import annotations

import json
import os
import shutil
import subprocess
import sys
import tempfile
import time
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parent.parent
if str(ROOT) not in sys.path:
    sys.path.insert(0, str(ROOT))  # the tests' servers and client helpers


APP = ROOT / "tests" / "servers" / "app"
GUNICORN = ["-m", "gunicorn", "-w", "2", "-b", "127.0.0.1:0", "--no-control-socket"]
LISTENING = r"Listening at: http://127\.0\.0\.1:(?P<port>\d+)"
THREADS = 8


def _plan(thread: int, i: int) -> tuple[str, str, Any]:
    if i % 2 == 0:
        return "plain", f"/echo?text=t{thread}-{i}", lambda s, b: s == 200
    quantity = 1 + (thread + i) % 9  # small orders: no bug on this path
    return "quote", f"/quote?sku=pen&qty={quantity}", lambda s, b: s == 200


def _requests_per_second(command: list[str], app: Path, env: dict[str, str], n: int) -> float:
    from tests.servers.serve import Server, drive

    server = Server.start(command, app, env, LISTENING)
    try:
        drive(server.base_url, _plan, threads=THREADS, per_thread=10)  # both workers warm
        started = time.perf_counter()
        answers = drive(server.base_url, _plan, threads=THREADS, per_thread=n // THREADS)
        elapsed = time.perf_counter() - started
    finally:
        server.stop()
    wrong = [a for a in answers if not a.right]
    if wrong:
        raise RuntimeError(f"{len(wrong)} wrong answers, e.g. {wrong[0]}")
    return len(answers) / elapsed


def run(smoke: bool) -> list[dict[str, object]]:
    done = subprocess.run(
        [sys.executable, __file__, "--smoke" if smoke else "--full"],
        capture_output=True, text=True, timeout=900, check=False,
    )  # fmt: skip
    if done.returncode != 0:
        raise RuntimeError(f"the servers benchmark failed:\n{done.stderr[-2000:]}")
    rows: list[dict[str, object]] = json.loads(done.stdout)
    return rows


def measure(smoke: bool) -> list[dict[str, object]]:
    n = 80 if smoke else 2000
    rounds = 1 if smoke else 2
    with tempfile.TemporaryDirectory(prefix="selfheal-bench-servers-") as tmp:
        app = Path(shutil.copytree(APP, Path(tmp) / "app"))
        env = {k: v for k, v in os.environ.items() if not k.startswith("SELFHEAL_")}
        env.pop("PYTHONPATH", None)
        env["SELFHEAL_STORE"] = str(Path(tmp) / "store")
        bare_cmd = [sys.executable, *GUNICORN, "shop.wsgi:app"]
        healed_cmd = [sys.executable, "-m", "selfheal.cli", "run", *GUNICORN, "shop.wsgi:app"]
        bare: list[float] = []
        instrumented: list[float] = []
        for _ in range(rounds):
            bare.append(_requests_per_second(bare_cmd, app, env, n))
            instrumented.append(_requests_per_second(healed_cmd, app, env, n))
    best_bare, best_instrumented = max(bare), max(instrumented)
    note = f"gunicorn -w 2 (sync), {THREADS} client threads, {n} requests, best of {rounds}"
    return [
        {"benchmark": "gunicorn: bare", "value": best_bare, "unit": "requests/s",
         "target": "", "note": note},
        {"benchmark": "gunicorn: under selfheal run", "value": best_instrumented,
         "unit": "requests/s", "target": "", "note": note},
        {"benchmark": "gunicorn: selfheal run / bare", "value": best_instrumented / best_bare,
         "unit": "x", "target": ">= 0.9", "note": "throughput kept (1.0 = no cost)"},
    ]  # fmt: skip


if __name__ == "__main__":
    print(json.dumps(measure(smoke="--smoke" in sys.argv)))
