"""The web-service example from start to finish, in one command.

    python examples/webservice/demo.py

Starts `selfheal run app.py` in this directory (so this directory's pyproject.toml
applies) on a free port, sends a few small quotes, then a bulk order that hits the bug
in `inventory.quote`, prints every response, and stops the server. Exits 0 when the
bulk orders got the right totals with HTTP 200, i.e. the bug was healed in the running
server. By hand: `selfheal run app.py`, then `curl 'http://127.0.0.1:5000/quote?sku=pen&qty=12'`.
"""

from __future__ import annotations

import json
import os
import queue
import subprocess
import sys
import threading
import time
import urllib.error
import urllib.request
from pathlib import Path
from typing import Any

HERE = Path(__file__).resolve().parent
# (sku, quantity, expected total in cents): the catalogue's prices and bulk discounts.
REQUESTS = [
    ("pen", 3, 450),
    ("pad", 4, 1300),
    ("pen", 12, 1620),  # bulk: 12 x 150 = 1800, minus 10 %
    ("pad", 20, 5525),  # bulk: 20 x 325 = 6500, minus 15 %
]


def get(url: str) -> tuple[int, dict[str, Any]]:
    try:
        with urllib.request.urlopen(url, timeout=30) as response:
            return response.status, json.loads(response.read())
    except urllib.error.HTTPError as exc:
        with exc:  # an HTTPError holds the open response
            return exc.code, {"error": exc.read().decode(errors="replace")[:200]}


def start_server() -> tuple[subprocess.Popen[str], int]:
    """`selfheal run app.py` with PORT=0; returns the process and the port it printed."""
    server = subprocess.Popen(
        [sys.executable, "-m", "selfheal.cli", "run", "app.py"],
        cwd=HERE, env={**os.environ, "PORT": "0"}, stdout=subprocess.PIPE,
        stderr=subprocess.STDOUT, text=True,
    )
    lines: queue.Queue[str] = queue.Queue()

    def pump() -> None:  # the server's output, echoed so the heal's log line is visible
        assert server.stdout is not None
        for line in server.stdout:
            lines.put(line)
            print(f"   server | {line}", end="", flush=True)

    threading.Thread(target=pump, daemon=True).start()
    deadline = time.monotonic() + 30
    while time.monotonic() < deadline:
        try:
            line = lines.get(timeout=0.5)
        except queue.Empty:
            if server.poll() is not None:
                break
            continue
        if "listening on http://" in line:
            return server, int(line.rsplit(":", 1)[1])
    server.kill()
    raise SystemExit("the server did not start")


def main() -> int:
    server, port = start_server()
    ok = True
    try:
        for sku, quantity, expected in REQUESTS:
            status, body = get(f"http://127.0.0.1:{port}/quote?sku={sku}&qty={quantity}")
            right = status == 200 and body.get("total_cents") == expected
            ok = ok and right
            print(f"GET /quote?sku={sku}&qty={quantity} -> {status} {body} "
                  f"{'ok' if right else f'WRONG (want {expected})'}")
    finally:
        server.terminate()
        try:
            server.wait(timeout=10)
        except subprocess.TimeoutExpired:
            server.kill()
            server.wait()
    print("The bulk orders were healed in the running server." if ok else "NOT healed.")
    return 0 if ok else 1


if __name__ == "__main__":
    sys.exit(main())
