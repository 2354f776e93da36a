"""Real servers for the tests: started in a process group of their own, always stopped.

`Server.start` runs a command (a server under `selfheal run`, listening on 127.0.0.1
port 0) with its output in a file, and waits, bounded, for the line that gives the port.
`Server.stop` ends the whole group: SIGTERM, then SIGKILL for whatever is left. `drive`
sends requests from several threads with a real HTTP client, one connection per request
so that every worker of a pre-fork server gets its share.
"""

from __future__ import annotations

import contextlib
import os
import re
import signal
import subprocess
import threading
import time
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import httpx

STOP_GRACE_S = 15.0


@dataclass
class Server:
    proc: subprocess.Popen[bytes]
    log: Path
    base_url: str = ""

    @classmethod
    def start(
        cls,
        command: Sequence[str],
        cwd: Path,
        env: dict[str, str],
        listening: str,
        timeout_s: float = 60.0,
    ) -> Server:
        """Start `command`; `listening` is a regex whose group "port" is the bound port."""
        log = cwd / "server.log"
        with log.open("wb") as out:
            proc = subprocess.Popen(
                list(command),
                cwd=cwd,
                env=env,
                stdin=subprocess.DEVNULL,
                stdout=out,
                stderr=subprocess.STDOUT,
                start_new_session=True,  # its own process group: workers die with it
            )
        server = cls(proc, log)
        pattern = re.compile(listening)
        deadline = time.monotonic() + timeout_s
        try:
            while time.monotonic() < deadline:
                found = pattern.search(server.output())
                if found:
                    server.base_url = f"http://127.0.0.1:{found.group('port')}"
                    return server
                if proc.poll() is not None:
                    break
                time.sleep(0.1)
        except BaseException:
            server.stop()
            raise
        server.stop()
        raise RuntimeError(f"the server did not start:\n{server.output()[-3000:]}")

    def output(self) -> str:
        return self.log.read_text(encoding="utf-8", errors="replace")

    def alive(self) -> bool:
        return self.proc.poll() is None

    def stop(self) -> None:
        if self.proc.poll() is None:
            _signal_group(self.proc.pid, signal.SIGTERM)
            with contextlib.suppress(subprocess.TimeoutExpired):
                self.proc.wait(timeout=STOP_GRACE_S)
        # Workers may outlive their master for a moment: the group goes, in any case.
        _signal_group(self.proc.pid, signal.SIGKILL)
        if self.proc.poll() is None:
            self.proc.wait(timeout=STOP_GRACE_S)


def _signal_group(pgid: int, signum: int) -> None:
    with contextlib.suppress(ProcessLookupError, PermissionError):
        os.killpg(pgid, signum)


@dataclass(frozen=True)
class Answer:
    kind: str  # what the request was for (the caller's label)
    status: int
    body: dict[str, Any]
    right: bool


Plan = Callable[[int, int], tuple[str, str, Callable[[int, dict[str, Any]], bool]]]


def drive(base_url: str, plan: Plan, threads: int, per_thread: int) -> list[Answer]:
    """Send `threads` x `per_thread` requests; plan(thread, i) -> (kind, path, check)."""
    answers: list[Answer] = []
    lock = threading.Lock()
    errors: list[BaseException] = []

    def worker(number: int) -> None:
        # No keep-alive: each request is a new connection, accepted by any worker.
        limits = httpx.Limits(max_keepalive_connections=0)
        try:
            with httpx.Client(base_url=base_url, timeout=60.0, limits=limits) as client:
                for i in range(per_thread):
                    kind, path, check = plan(number, i)
                    response = client.get(path)
                    try:
                        body = response.json()
                    except ValueError:
                        body = {"text": response.text[:200]}
                    answer = Answer(
                        kind, response.status_code, body, check(response.status_code, body)
                    )
                    with lock:
                        answers.append(answer)
        except BaseException as exc:  # reported by the caller, not lost in a thread
            with lock:
                errors.append(exc)

    pool = [threading.Thread(target=worker, args=(n,), daemon=True) for n in range(threads)]
    for thread in pool:
        thread.start()
    for thread in pool:
        thread.join(timeout=300)
    if errors:
        raise errors[0]
    if any(thread.is_alive() for thread in pool):
        raise TimeoutError("the client threads did not finish in 300 s")
    return answers
