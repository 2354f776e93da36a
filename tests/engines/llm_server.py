"""A scripted LLM server on 127.0.0.1 for the engine tests.

It speaks the subset of the Anthropic Messages API (`POST /v1/messages`) and of the
OpenAI Chat Completions API (`POST /v1/chat/completions`) the engines use, and answers
each request with the next reply of its script. The real SDKs talk to it over HTTP;
every raw request body is kept for the tests to inspect.

Replies can be slow (`delay_s`), fail with any status and headers, or drop the
connection half way through the body (`drop=True`).
"""

from __future__ import annotations

import json
import socket
import threading
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from typing import Any

# Retry quickly: both SDKs honour this header before their own backoff.
FAST_RETRY = {"retry-after-ms": "1"}


@dataclass(frozen=True)
class Received:
    method: str
    path: str
    headers: dict[str, str]
    body: bytes

    @property
    def json(self) -> Any:
        return json.loads(self.body)


@dataclass(frozen=True)
class Reply:
    status: int = 200
    body: Any = None  # dict/list -> JSON; bytes/str -> raw
    headers: dict[str, str] = field(default_factory=dict)
    delay_s: float = 0.0
    drop: bool = False  # send the headers and half the body, then close the connection
    chunked: bool = False  # no content-length: the body in chunks, as a streaming server

    def encoded(self) -> bytes:
        if isinstance(self.body, bytes):
            return self.body
        if isinstance(self.body, str):
            return self.body.encode()
        return json.dumps(self.body if self.body is not None else {}).encode()


Script = Reply | Callable[[Received], Reply]


class LLMServer:
    """A ThreadingHTTPServer answering from a script. Use as a context manager."""

    def __init__(self) -> None:
        self.received: list[Received] = []
        self._script: list[Script] = []
        self._forever: Script | None = None
        self._lock = threading.Lock()
        self._stopping = threading.Event()
        server = self

        class Handler(BaseHTTPRequestHandler):
            protocol_version = "HTTP/1.1"

            def log_message(self, format: str, *args: Any) -> None:  # quiet
                pass

            def do_POST(self) -> None:
                length = int(self.headers.get("content-length") or 0)
                body = self.rfile.read(length) if length else b""
                request = Received(
                    "POST", self.path, {k.lower(): v for k, v in self.headers.items()}, body
                )
                reply = server._next(request)
                if reply.delay_s and server._stopping.wait(reply.delay_s):
                    return
                payload = reply.encoded()
                try:
                    self.send_response(reply.status)
                    self.send_header("content-type", "application/json")
                    for key, value in reply.headers.items():
                        self.send_header(key, value)
                    if reply.chunked:
                        self.send_header("transfer-encoding", "chunked")
                    else:
                        self.send_header("content-length", str(len(payload)))
                    if reply.drop:
                        self.send_header("connection", "close")
                    self.end_headers()
                    if reply.drop:
                        self.wfile.write(payload[: len(payload) // 2])
                        self.wfile.flush()
                        self.connection.shutdown(socket.SHUT_RDWR)
                        self.close_connection = True
                        return
                    if reply.chunked:
                        for start in range(0, len(payload), 65536):
                            piece = payload[start : start + 65536]
                            self.wfile.write(b"%x\r\n%s\r\n" % (len(piece), piece))
                        self.wfile.write(b"0\r\n\r\n")
                    else:
                        self.wfile.write(payload)
                except OSError:  # the client gave up (a timeout test): nothing to do
                    self.close_connection = True

        self._httpd = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
        self._httpd.daemon_threads = True
        self._thread = threading.Thread(
            target=self._httpd.serve_forever, kwargs={"poll_interval": 0.02}, daemon=True
        )

    # -- lifecycle

    def start(self) -> LLMServer:
        self._thread.start()
        return self

    def stop(self) -> None:
        self._stopping.set()
        self._httpd.shutdown()
        self._httpd.server_close()
        self._thread.join(5)

    def __enter__(self) -> LLMServer:
        return self.start()

    def __exit__(self, *exc: object) -> None:
        self.stop()

    @property
    def url(self) -> str:
        host, port = self._httpd.server_address[:2]
        return f"http://{host!s}:{port}"

    # -- script

    def script(self, *replies: Script) -> None:
        with self._lock:
            self._script.extend(replies)

    def forever(self, reply: Script) -> None:
        """Answer every request left after the script with `reply`."""
        with self._lock:
            self._forever = reply

    def _next(self, request: Received) -> Reply:
        with self._lock:
            self.received.append(request)
            if self._script:
                item = self._script.pop(0)
            elif self._forever is not None:
                item = self._forever
            else:
                item = Reply(500, {"error": "script exhausted"}, {"x-should-retry": "false"})
        return item(request) if callable(item) else item

    def bodies(self, path_suffix: str = "") -> list[Any]:
        return [r.json for r in self.received if r.path.endswith(path_suffix)]

    def raw(self) -> bytes:
        """Every byte of every request (headers and bodies) received so far."""
        out = []
        for r in self.received:
            out.append("\n".join(f"{k}: {v}" for k, v in r.headers.items()).encode())
            out.append(r.body)
        return b"\n".join(out)


# --------------------------------------------------------------------------- Anthropic


def anthropic_message(
    patches: Sequence[dict[str, str]] | None = None,
    *,
    text: str | None = None,
    tool_input: Any = None,
    stop_reason: str = "tool_use",
    input_tokens: int = 1200,
    output_tokens: int = 300,
    cache_read: int = 0,
    cache_write: int = 0,
    model: str = "claude-sonnet-4-5",
) -> dict[str, Any]:
    content: list[dict[str, Any]] = []
    if text is not None:
        content.append({"type": "text", "text": text})
    if patches is not None or tool_input is not None:
        content.append({
            "type": "tool_use",
            "id": "toolu_01",
            "name": "propose_patches",
            "input": tool_input if tool_input is not None else {"patches": list(patches or [])},
        })
    if text is not None and patches is None and tool_input is None:
        stop_reason = "end_turn" if stop_reason == "tool_use" else stop_reason
    return {
        "id": "msg_01",
        "type": "message",
        "role": "assistant",
        "model": model,
        "content": content,
        "stop_reason": stop_reason,
        "stop_sequence": None,
        "usage": {
            "input_tokens": input_tokens,
            "output_tokens": output_tokens,
            "cache_read_input_tokens": cache_read,
            "cache_creation_input_tokens": cache_write,
        },
    }


def anthropic_error(status: int, kind: str, message: str = "") -> Reply:
    return Reply(
        status,
        {"type": "error", "error": {"type": kind, "message": message or kind}},
        dict(FAST_RETRY),
    )


# --------------------------------------------------------------------------- OpenAI


def openai_completion(
    patches: Sequence[dict[str, str]] | None = None,
    *,
    content: str | None = None,
    arguments: str | None = None,
    finish_reason: str | None = None,
    prompt_tokens: int = 900,
    completion_tokens: int = 250,
    cached_tokens: int = 0,
    model: str = "gpt-4o-mini",
) -> dict[str, Any]:
    message: dict[str, Any] = {"role": "assistant", "content": content}
    if patches is not None or arguments is not None:
        message["tool_calls"] = [{
            "id": "call_01",
            "type": "function",
            "function": {
                "name": "propose_patches",
                "arguments": arguments
                if arguments is not None
                else json.dumps({"patches": list(patches or [])}),
            },
        }]
    return {
        "id": "chatcmpl-01",
        "object": "chat.completion",
        "created": 1_700_000_000,
        "model": model,
        "choices": [{
            "index": 0,
            "message": message,
            "finish_reason": finish_reason or ("tool_calls" if "tool_calls" in message else "stop"),
        }],
        "usage": {
            "prompt_tokens": prompt_tokens,
            "completion_tokens": completion_tokens,
            "total_tokens": prompt_tokens + completion_tokens,
            "prompt_tokens_details": {"cached_tokens": cached_tokens},
        },
    }


def openai_error(status: int, message: str = "") -> Reply:
    return Reply(
        status,
        {"error": {"message": message or f"error {status}", "type": "server_error"}},
        dict(FAST_RETRY),
    )
