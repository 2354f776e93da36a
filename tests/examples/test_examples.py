"""Every example and the README's example run here, offline, as a user would run them.

Each runs in a subprocess with this interpreter, its patch store in the test's tmp_path
(`SELFHEAL_STORE`) and its temporary files there too (`TMPDIR`), with no LLM credentials
in the environment. The assertions are on what the example prints, its exit status and
the records it leaves in the store, so an example that stops doing what its docstring
says fails here. No example may modify the repository: the examples tree is hashed
before and after every test.
"""

from __future__ import annotations

import hashlib
import json
import os
import queue
import re
import socket
import subprocess
import sys
import threading
import time
import urllib.error
import urllib.request
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest

from selfheal.models import PatchRecord, PatchStatus
from selfheal.store import open_store

REPO = Path(__file__).resolve().parents[2]
EXAMPLES = REPO / "examples"
WEBSERVICE = EXAMPLES / "webservice"
RUN_TIMEOUT_S = 120.0


def example_env(tmp_path: Path, **extra: str) -> dict[str, str]:
    """The environment of an example: offline, its store and temp files under tmp_path."""
    env = {
        key: value
        for key, value in os.environ.items()
        if not key.startswith(("SELFHEAL_", "ANTHROPIC_", "OPENAI_"))
    }
    tmp = tmp_path / "tmp"
    tmp.mkdir(exist_ok=True)
    env.update(
        SELFHEAL_STORE=str(tmp_path / "store"),
        TMPDIR=str(tmp),
        PYTHONPATH=os.pathsep.join(p for p in (str(REPO), env.get("PYTHONPATH", "")) if p),
        PYTHONDONTWRITEBYTECODE="1",  # no __pycache__ inside examples/
        NO_COLOR="1",
    )
    env.update(extra)
    return env


def run_example(
    tmp_path: Path, script: Path, *args: str, cwd: Path | None = None, **env: str
) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        [sys.executable, str(script), *args],
        cwd=cwd or tmp_path,
        env=example_env(tmp_path, **env),
        capture_output=True,
        text=True,
        timeout=RUN_TIMEOUT_S,
        check=False,
    )


def records(tmp_path: Path) -> list[PatchRecord]:
    return open_store(str(tmp_path / "store")).list()


def explain(result: subprocess.CompletedProcess[str]) -> str:
    return f"exit {result.returncode}\n--- stdout\n{result.stdout}\n--- stderr\n{result.stderr}"


def _tree_digest(root: Path) -> str:
    digest = hashlib.sha256()
    for path in sorted(root.rglob("*")):
        if path.is_file() and "__pycache__" not in path.parts:
            digest.update(str(path.relative_to(root)).encode())
            digest.update(path.read_bytes())
    return digest.hexdigest()


@pytest.fixture(autouse=True)
def _examples_untouched() -> Iterator[None]:
    before = _tree_digest(EXAMPLES)
    yield
    assert _tree_digest(EXAMPLES) == before, "an example modified files under examples/"


# --------------------------------------------------------------------------- README


def readme_example() -> str:
    """The Python block under the README's "In fifteen lines" heading."""
    text = (REPO / "README.md").read_text(encoding="utf-8")
    section = text.split("## In fifteen lines", 1)[1]
    match = re.search(r"```python\n(.*?)```", section, re.S)
    assert match is not None, "the README lost its Python example"
    return match.group(1)


def test_readme_example_heals_median_and_prints_7(tmp_path: Path) -> None:
    code = readme_example()
    assert len(code.splitlines()) <= 20, "the README example should stay about 15 lines"
    script = tmp_path / "median.py"
    script.write_text(code, encoding="utf-8")
    result = run_example(tmp_path, script)
    assert result.returncode == 0, explain(result)
    assert result.stdout == "7\n", explain(result)  # the comment in the README says so
    [record] = records(tmp_path)
    assert record.status is PatchStatus.LIVE
    assert record.function == "__main__.median"
    assert record.report.exception is not None
    assert record.report.exception.type.endswith("IndexError")
    # The patch the README promises is reviewable: a diff of median.py.
    assert "+++ b/median.py" in record.diff


# --------------------------------------------------------------------------- scripts


def test_quickstart_heals_the_invoice(tmp_path: Path) -> None:
    result = run_example(tmp_path, EXAMPLES / "quickstart.py")
    assert result.returncode == 0, explain(result)
    assert "returned 37.05" in result.stdout
    [record] = records(tmp_path)
    assert record.status is PatchStatus.LIVE
    assert record.chosen is not None
    assert ".unit_price" in record.chosen.source


def test_async_worker_heals_once_without_blocking_the_loop(tmp_path: Path) -> None:
    result = run_example(tmp_path, EXAMPLES / "async_worker.py")
    assert result.returncode == 0, explain(result)
    for line in ("ada  19.75", "bob  3.99", "cy   100.0", "dee  3.3"):
        assert line in result.stdout
    assert "never blocked" in result.stdout
    # Three workers failed at the same moment; one heal ran.
    [record] = records(tmp_path)
    assert record.status is PatchStatus.LIVE
    assert record.report.function.kind == "coroutine"
    assert record.chosen is not None
    assert "float(" in record.chosen.source


def test_properties_heals_a_wrong_result(tmp_path: Path) -> None:
    result = run_example(tmp_path, EXAMPLES / "properties.py")
    assert result.returncode == 0, explain(result)
    assert "returned [9, 7]" in result.stdout
    assert "= [50, 30, 20]" in result.stdout
    [record] = records(tmp_path)
    assert record.status is PatchStatus.LIVE
    assert record.report.kind == "property"
    assert record.chosen is not None
    assert "ranked[: n]" in record.chosen.source
    # The calls made before the failure were replayed against the patch.
    verdict = next(o.verdict for o in record.candidates if o.candidate == record.chosen)
    recorded = next(layer for layer in verdict.layers if layer.layer == "recorded")
    assert recorded.passed
    assert recorded.ran == 2


def test_review_session_works_on_a_copy_and_applies_the_patch(tmp_path: Path) -> None:
    # No SELFHEAL_STORE: the session's store is the `.selfheal` of its temporary project.
    env = example_env(tmp_path)
    del env["SELFHEAL_STORE"]
    result = subprocess.run(
        [sys.executable, str(EXAMPLES / "review_session.py"), "--keep"],
        cwd=tmp_path, env=env, capture_output=True, text=True, timeout=RUN_TIMEOUT_S,
        check=False,
    )
    assert result.returncode == 0, explain(result)
    for command in ("$ selfheal run job.py", "$ selfheal show", "$ selfheal approve",
                    "$ SELFHEAL_MODE=approved selfheal run job.py", "$ selfheal apply",
                    "$ python job.py"):
        assert command in result.stdout
    [project] = (tmp_path / "tmp").glob("selfheal-review-*")
    patched = (project / "billing.py").read_text()
    assert re.search(r"""rates\[["']reduced["']\] if books""", patched)
    [record] = open_store(str(project / ".selfheal")).list()
    assert record.status is PatchStatus.APPLIED
    assert [change.status for change in record.history] == [
        PatchStatus.PROPOSED, PatchStatus.VERIFIED, PatchStatus.APPROVED, PatchStatus.LIVE,
        PatchStatus.APPLIED,
    ]
    assert record.history[2].reason == "checked: books pay the reduced rate"


def test_anthropic_example_explains_itself_without_a_key(tmp_path: Path) -> None:
    result = run_example(tmp_path, EXAMPLES / "anthropic_example.py")
    assert "Traceback" not in result.stderr, explain(result)
    assert "ANTHROPIC_API_KEY is not set" in result.stdout
    assert "verified patch found: False" in result.stdout
    assert "no API key" in result.stdout


def test_anthropic_example_against_a_local_fake_claude(tmp_path: Path) -> None:
    from tests.engines.llm_server import LLMServer, Reply, anthropic_message

    fixed = (
        "def median(values: list[float]) -> float:\n"
        "    ordered = sorted(values)\n"
        "    middle = len(ordered) // 2\n"
        "    if len(ordered) % 2 == 0:\n"
        "        return (ordered[middle - 1] + ordered[middle]) / 2\n"
        "    return ordered[middle]\n"
    )
    with LLMServer() as server:
        server.forever(Reply(body=anthropic_message(
            [{"source": fixed, "rationale": "even lengths take the mean of the middle two"}]
        )))
        result = run_example(
            tmp_path, EXAMPLES / "anthropic_example.py",
            ANTHROPIC_API_KEY="test-key-not-real", ANTHROPIC_BASE_URL=server.url,
        )
        sent = server.raw()
    assert result.returncode == 0, explain(result)
    assert "verified patch found: True" in result.stdout
    assert "median([4, 1, 3, 2]) = 2.5" in result.stdout
    assert server.bodies("/v1/messages"), "the example never asked the model"
    # The example promises that module globals such as its API_TOKEN never leave.
    assert b"sk-ant-api03-example" not in sent


# --------------------------------------------------------------------------- web service


class Server:
    """`selfheal run app.py` in examples/webservice, on a free port of 127.0.0.1."""

    def __init__(self, tmp_path: Path) -> None:
        self.output: list[str] = []
        self._lines: queue.Queue[str] = queue.Queue()
        self.process = subprocess.Popen(
            [sys.executable, "-m", "selfheal.cli", "run", "app.py"],
            cwd=WEBSERVICE, env=example_env(tmp_path, PORT="0"),
            stdout=subprocess.PIPE, stderr=subprocess.STDOUT, text=True,
        )
        threading.Thread(target=self._pump, daemon=True).start()
        self.port = self._wait_for_port(timeout_s=30.0)
        self._wait_for_connections(timeout_s=10.0)

    def _pump(self) -> None:
        assert self.process.stdout is not None
        for line in self.process.stdout:
            self.output.append(line)
            self._lines.put(line)

    def _wait_for_port(self, timeout_s: float) -> int:
        deadline = time.monotonic() + timeout_s
        while time.monotonic() < deadline:
            try:
                line = self._lines.get(timeout=0.2)
            except queue.Empty:
                if self.process.poll() is not None:
                    break
                continue
            found = re.search(r"listening on http://127\.0\.0\.1:(\d+)", line)
            if found:
                return int(found.group(1))
        raise AssertionError(f"the server did not start:\n{self.log}")

    def _wait_for_connections(self, timeout_s: float) -> None:
        deadline = time.monotonic() + timeout_s
        while True:
            try:
                with socket.create_connection(("127.0.0.1", self.port), timeout=1):
                    return
            except OSError:
                if time.monotonic() > deadline or self.process.poll() is not None:
                    raise AssertionError(f"the server accepts no connections:\n{self.log}")
                time.sleep(0.05)

    @property
    def log(self) -> str:
        return "".join(self.output)

    def get(self, path: str) -> tuple[int, dict[str, Any]]:
        url = f"http://127.0.0.1:{self.port}{path}"
        try:
            with urllib.request.urlopen(url, timeout=30) as response:
                return response.status, json.loads(response.read())
        except urllib.error.HTTPError as exc:
            with exc:  # an HTTPError holds the open response
                return exc.code, {"body": exc.read().decode(errors="replace")}

    def stop(self) -> None:
        if self.process.poll() is None:
            self.process.terminate()
            try:
                self.process.wait(timeout=10)
            except subprocess.TimeoutExpired:
                self.process.kill()
                self.process.wait(timeout=10)
        if self.process.stdout is not None:
            self.process.stdout.close()


@pytest.fixture
def shop(tmp_path: Path) -> Iterator[Server]:
    server = Server(tmp_path)
    try:
        yield server
    finally:
        server.stop()


def test_webservice_heals_a_bulk_order_in_the_running_server(
    shop: Server, tmp_path: Path
) -> None:
    assert shop.get("/quote?sku=pen&qty=3") == (
        200, {"sku": "pen", "name": "Ballpoint pen", "quantity": 3, "total_cents": 450}
    )
    assert shop.get("/quote?sku=pad&qty=4")[1]["total_cents"] == 1300
    # The bug: bulk orders raise KeyError in inventory.quote. Healed in this request.
    status, body = shop.get("/quote?sku=pen&qty=12")
    assert (status, body.get("total_cents")) == (200, 1620), shop.log
    # Later requests run the patch; one heal, one record.
    assert shop.get("/quote?sku=pad&qty=20")[1]["total_cents"] == 5525
    assert shop.get("/quote?sku=nope&qty=1")[0] == 404
    [record] = records(tmp_path)
    assert record.function == "inventory.quote"  # the included module, not the routes
    assert record.status is PatchStatus.LIVE
    assert record.chosen is not None
    assert re.search(r"""item\[["']bulk_discount_pct["']\]""", record.chosen.source)
    assert "healed quote" in shop.log


def test_webservice_without_selfheal_fails_the_bulk_order(tmp_path: Path) -> None:
    """The control: the same app under plain python answers 500 and stores nothing."""
    process = subprocess.Popen(
        [sys.executable, "app.py", "0"], cwd=WEBSERVICE, env=example_env(tmp_path),
        stdout=subprocess.PIPE, stderr=subprocess.DEVNULL, text=True,
    )
    try:
        assert process.stdout is not None
        line = process.stdout.readline()  # the app prints its port first, flushed
        port = int(line.rsplit(":", 1)[1])
        url = f"http://127.0.0.1:{port}/quote?sku=pen&qty=12"
        with pytest.raises(urllib.error.HTTPError) as failed:
            urllib.request.urlopen(url, timeout=30)
        failed.value.close()
        assert failed.value.code == 500
    finally:
        process.kill()
        process.wait(timeout=10)
        if process.stdout is not None:
            process.stdout.close()
    assert not (tmp_path / "store").exists()


def test_webservice_demo_script(tmp_path: Path) -> None:
    result = run_example(tmp_path, WEBSERVICE / "demo.py")
    assert result.returncode == 0, explain(result)
    assert "GET /quote?sku=pen&qty=12 -> 200" in result.stdout
    assert "healed in the running server" in result.stdout
    assert [r.status for r in records(tmp_path)] == [PatchStatus.LIVE]


# --------------------------------------------------------------------------- coverage

# Every runnable file under examples/ and the test that runs it (a new example without a
# test fails here). review/job.py and webservice/app.py run inside their drivers' tests.
COVERED = {
    "quickstart.py": test_quickstart_heals_the_invoice,
    "async_worker.py": test_async_worker_heals_once_without_blocking_the_loop,
    "properties.py": test_properties_heals_a_wrong_result,
    "review_session.py": test_review_session_works_on_a_copy_and_applies_the_patch,
    "review/job.py": test_review_session_works_on_a_copy_and_applies_the_patch,
    "anthropic_example.py": test_anthropic_example_against_a_local_fake_claude,
    "webservice/app.py": test_webservice_heals_a_bulk_order_in_the_running_server,
    "webservice/demo.py": test_webservice_demo_script,
}


def test_every_runnable_example_is_run_by_a_test() -> None:
    runnable = {
        path.relative_to(EXAMPLES).as_posix()
        for path in EXAMPLES.rglob("*.py")
        if "__pycache__" not in path.parts
        and 'if __name__ == "__main__":' in path.read_text(encoding="utf-8")
    }
    assert runnable == set(COVERED)
