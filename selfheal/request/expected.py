"""Is an exception a failure, or one the program expects?

Owns the judgement the request path makes before anything else happens to an exception
that escaped an instrumented function: a failure (capture, heal, store) or an expected
exception (passed through untouched: nothing captured, stored, counted or recorded).

Not a failure:
- a `BaseException` outside `Exception`, and StopIteration / StopAsyncIteration, which
  end iterators;
- an exception the function raises on purpose: a `raise` it executes itself, or one its
  own narrow `except` caught and re-raised (`except KeyError: if strict: raise`);
- an exception a caller on the stack handles by name: the innermost `try` whose body the
  caller is executing has an `except` naming the type or a base narrower than
  `Exception`, or a `with` statement around the call uses a context manager that expects
  exceptions (`contextlib.suppress`, `pytest.raises`, unittest's `assertRaises`);
- a web framework's HTTP answer raised as an exception (`abort(404)`, `Http404`...).

A catch-all is not handling: `except Exception`, `except BaseException` and a bare
`except` are where frameworks turn errors into 500s, runners log them and retry; there
the exception is a failure. Reaching the bottom of the stack uncaught is a failure too.
Where the judgement cannot tell (a handler whose type is computed by a call, a frame
with no source that does have a handler here), the exception is left alone.

How it is decided, cheaply and only on the failure path: the frames are walked from the
function outwards; each frame's source file is parsed once (cached) into the `try` and
`with` blocks of each scope, the block whose body holds the frame's current line is
found, and its `except` names are resolved in the frame's namespace by static lookups
(`inspect.getattr_static`: no descriptor, property or module `__getattr__` runs).

It must not import the heal loop, capture anything, keep references to frames past the
call, or run user code; any error inside it means "cannot tell".
"""

from __future__ import annotations

import ast
import contextlib
import dis
import inspect
import linecache
import os
import sys
import sysconfig
import threading
import types
from collections import OrderedDict
from collections.abc import Iterator
from dataclasses import dataclass
from typing import Any

__all__ = ["Judgement", "judge"]

# Exceptions that web frameworks raise to answer a request (turned into a 4xx/3xx
# response by the framework), matched by where the class is defined, so no framework
# is imported here. A subclass of any of them is an answer too.
HTTP_ANSWERS = frozenset(
    {
        ("werkzeug.exceptions", "HTTPException"),  # flask.abort, quart
        ("werkzeug.routing.exceptions", "RequestRedirect"),
        ("starlette.exceptions", "HTTPException"),  # fastapi.HTTPException derives from it
        ("starlette.exceptions", "WebSocketException"),
        ("django.http.response", "Http404"),
        ("django.core.exceptions", "PermissionDenied"),
        ("django.core.exceptions", "SuspiciousOperation"),
        ("django.core.exceptions", "BadRequest"),
        ("rest_framework.exceptions", "APIException"),
        ("aiohttp.web_exceptions", "HTTPException"),
        ("tornado.web", "HTTPError"),
        ("falcon.http_error", "HTTPError"),
        ("falcon.http_status", "HTTPStatus"),
        ("pyramid.httpexceptions", "HTTPException"),
        ("sanic.exceptions", "SanicException"),
        ("bottle", "HTTPResponse"),
        ("litestar.exceptions.http_exceptions", "HTTPException"),
    }
)

_RAISE = dis.opmap["RAISE_VARARGS"]
_SELFHEAL_DIR = os.path.dirname(os.path.abspath(__file__)) + os.sep
_MAX_FRAMES = 400  # deeper stacks are walked this far, then called unhandled
_MAX_FILES = 512  # parsed source files kept


@dataclass(frozen=True)
class Judgement:
    """The verdict on one exception: a failure or not, and why, in words for a record."""

    failure: bool
    why: str


# --- the blocks of each scope of a source file --------------------------------------


@dataclass(frozen=True)
class _Block:
    """A `try` or `with` statement: the lines of its body, and what catches there."""

    first: int
    last: int
    depth: int
    handlers: tuple[ast.expr | None, ...] = ()  # try: each `except` type, None if bare
    items: tuple[ast.expr, ...] = ()  # with: the context expressions, in order

    @property
    def is_try(self) -> bool:
        return not self.items


_Scopes = dict[tuple[int, str], tuple[_Block, ...]]


class _Indexer(ast.NodeVisitor):
    """Collect each scope's try/with blocks, keyed as code objects know their scope."""

    def __init__(self) -> None:
        self.scopes: _Scopes = {}
        self._stack: list[list[_Block]] = []
        self._depth = 0

    def index(self, tree: ast.Module) -> _Scopes:
        self._scope(1, "<module>", tree.body)
        return self.scopes

    def _scope(self, first_line: int, name: str, body: list[ast.stmt]) -> None:
        self._stack.append([])
        outer_depth, self._depth = self._depth, 0
        for stmt in body:
            self.visit(stmt)
        self._depth = outer_depth
        blocks = self._stack.pop()
        if blocks:
            self.scopes[(first_line, name)] = tuple(blocks)

    def _defined(self, node: ast.FunctionDef | ast.AsyncFunctionDef | ast.ClassDef) -> None:
        # Decorators, defaults and bases run in the enclosing scope.
        for expr in node.decorator_list:
            self.visit(expr)
        first = min([node.lineno, *(d.lineno for d in node.decorator_list)])
        self._scope(first, node.name, node.body)

    visit_FunctionDef = _defined
    visit_AsyncFunctionDef = _defined
    visit_ClassDef = _defined

    def visit_Lambda(self, node: ast.Lambda) -> None:
        return None  # no statements, so no try or with

    def _body_block(self, body: list[ast.stmt], **kind: Any) -> None:
        if body:
            last = max(getattr(s, "end_lineno", None) or s.lineno for s in body)
            self._stack[-1].append(_Block(body[0].lineno, last, self._depth, **kind))

    def _try(self, node: ast.Try) -> None:
        self._body_block(node.body, handlers=tuple(h.type for h in node.handlers))
        self._nested(node)

    visit_Try = _try
    visit_TryStar = _try

    def _with(self, node: ast.With | ast.AsyncWith) -> None:
        self._body_block(node.body, items=tuple(i.context_expr for i in node.items))
        self._nested(node)

    visit_With = _with
    visit_AsyncWith = _with

    def _nested(self, node: ast.AST) -> None:
        self._depth += 1
        self.generic_visit(node)
        self._depth -= 1


_files: OrderedDict[str, _Scopes | None] = OrderedDict()
_files_lock = threading.Lock()


def _stdlib_source(filename: str) -> list[str]:
    """Lines of a frozen standard module (`<frozen importlib._bootstrap>`) from its file."""
    name = filename[len("<frozen ") : -1]
    module = sys.modules.get(name)
    path = getattr(module, "__file__", None)
    if not path:
        path = os.path.join(sysconfig.get_paths()["stdlib"], *name.split(".")) + ".py"
    return linecache.getlines(path)


def _scopes(filename: str, module_globals: dict[str, Any]) -> _Scopes | None:
    """The blocks of every scope in `filename`; None when there is no usable source."""
    with _files_lock:
        if filename in _files:
            _files.move_to_end(filename)
            return _files[filename]
    if filename.startswith("<frozen "):
        lines = _stdlib_source(filename)
    else:
        lines = linecache.getlines(filename, module_globals)
    scopes: _Scopes | None = None
    if lines:
        try:
            scopes = _Indexer().index(ast.parse("".join(lines), filename))
        except (SyntaxError, ValueError, RecursionError):
            scopes = None
    with _files_lock:
        _files[filename] = scopes
        while len(_files) > _MAX_FILES:
            _files.popitem(last=False)
    return scopes


def forget_sources() -> None:
    """Drop the parsed files (tests that rewrite a file under the same name use this)."""
    with _files_lock:
        _files.clear()
        _codes.clear()
        _ranges.clear()


# Per code object: its scope's blocks (empty: nothing can catch in it, or selfheal's
# own code), None without source. Keyed by id with the code kept beside it (so the id
# cannot be reused while the entry lives); bounded like the file cache.
_codes: dict[int, tuple[types.CodeType, tuple[_Block, ...] | None]] = {}
_MAX_CODES = 8192


def _code_blocks(frame: types.FrameType) -> tuple[_Block, ...] | None:
    code = frame.f_code
    entry = _codes.get(id(code))
    if entry is not None and entry[0] is code:
        return entry[1]
    blocks: tuple[_Block, ...] | None
    if code.co_filename.startswith(_SELFHEAL_DIR):
        blocks = ()  # selfheal's own frames are not the program's
    else:
        scopes = _scopes(code.co_filename, frame.f_globals)
        blocks = None if scopes is None else scopes.get((code.co_firstlineno, code.co_name), ())
    if len(_codes) >= _MAX_CODES:
        _codes.clear()  # rare: a cold start again is cheaper than LRU bookkeeping per frame
    _codes[id(code)] = (code, blocks)
    return blocks


def _inside(blocks: tuple[_Block, ...], line: int) -> list[_Block]:
    """The blocks whose body holds `line`, innermost first."""
    inside = [b for b in blocks if b.first <= line <= b.last]
    if len(inside) > 1:
        inside.sort(key=lambda b: b.depth, reverse=True)
    return inside


# --- frames with no source ----------------------------------------------------------


# Per code object (3.11+): the instruction ranges its exception table covers, each a
# try or with block's body; cached like `_codes`.
_ranges: dict[int, tuple[types.CodeType, tuple[tuple[int, int], ...]]] = {}


def _handler_ranges(code: types.CodeType) -> tuple[tuple[int, int], ...]:
    entry = _ranges.get(id(code))
    if entry is not None and entry[0] is code:
        return entry[1]
    table = dis.Bytecode(code).exception_entries  # type: ignore[attr-defined]
    ranges = tuple((e.start, e.end) for e in table)
    if len(_ranges) >= _MAX_CODES:
        _ranges.clear()
    _ranges[id(code)] = (code, ranges)
    return ranges


def _may_catch_here(frame: types.FrameType) -> bool:
    """Could a handler of this frame be active at its current instruction?

    On 3.11+ the code's exception table says so exactly: outside every range it covers,
    no try or with block of this frame is running, whatever its source says.
    """
    code = frame.f_code
    if sys.version_info >= (3, 11):
        lasti = frame.f_lasti
        return any(start <= lasti < end for start, end in _handler_ranges(code))
    # 3.10 keeps no exception table: any block set up anywhere means "maybe".
    setups = {dis.opmap[n] for n in ("SETUP_FINALLY", "SETUP_WITH", "SETUP_ASYNC_WITH")}
    return any(op in setups for op in code.co_code[::2])


# --- resolving `except` names and `with` items without running user code -----------

_UNRESOLVED = object()


def _lookup(frame: types.FrameType, node: ast.expr) -> Any:
    """The value of a dotted name or a tuple of them in `frame`, by static lookups."""
    if isinstance(node, ast.Name):
        name, code = node.id, frame.f_code
        # Reading f_locals of a function frame builds a dict of all its locals: only do
        # it when the name is one of them.
        local = not code.co_flags & inspect.CO_OPTIMIZED or (
            name in code.co_varnames or name in code.co_cellvars or name in code.co_freevars
        )
        for namespace in (frame.f_locals if local else {}, frame.f_globals, frame.f_builtins):
            try:
                return namespace[name]
            except KeyError:
                continue
        return _UNRESOLVED
    if isinstance(node, ast.Attribute):
        owner = _lookup(frame, node.value)
        if owner is _UNRESOLVED:
            return _UNRESOLVED
        try:
            return inspect.getattr_static(owner, node.attr)
        except AttributeError:
            return _UNRESOLVED
    if isinstance(node, ast.Tuple):
        values = tuple(_lookup(frame, e) for e in node.elts)
        return _UNRESOLVED if _UNRESOLVED in values else values
    return _UNRESOLVED


def _types_of(value: Any) -> tuple[type, ...] | None:
    """Exception classes named by an `except` or `raises` argument; None if not that."""
    if isinstance(value, type) and issubclass(value, BaseException):
        return (value,)
    if isinstance(value, tuple):
        found: list[type] = []
        for item in value:
            sub = _types_of(item)
            if sub is None:
                return None
            found.extend(sub)
        return tuple(found)
    return None


_CATCH_ALL = (Exception, BaseException)


def _named(cls: type) -> str:
    return cls.__name__ if cls.__module__ == "builtins" else f"{cls.__module__}.{cls.__qualname__}"


# --- context managers that expect exceptions ----------------------------------------


def _qualified(obj: Any) -> tuple[str, str]:
    return (getattr(obj, "__module__", "") or "", getattr(obj, "__qualname__", "") or "")


def _expecting_callables() -> dict[Any, str]:
    """Callables whose result, used in a `with`, expects the exceptions it is given."""
    known: dict[Any, str] = {}

    known[contextlib.suppress] = "contextlib.suppress"
    unittest_case = sys.modules.get("unittest.case")
    if unittest_case is not None:
        case = unittest_case.TestCase
        known[case.assertRaises] = "assertRaises"
        known[case.assertRaisesRegex] = "assertRaisesRegex"
    pytest = sys.modules.get("pytest")
    if pytest is not None and hasattr(pytest, "raises"):
        known[pytest.raises] = "pytest.raises"
    return known


# Classes whose instances expect exceptions (what the call forms of pytest.raises and
# assertRaises run `with`), by where they are defined, and the attribute naming them.
_EXPECTING_CLASSES = {
    ("unittest.case", "_AssertRaisesContext"): "expected",
    ("_pytest.raises", "RaisesExc"): "expected_exceptions",
    ("_pytest.python_api", "RaisesContext"): "expected_exception",
}


def _expected_by_item(frame: types.FrameType, item: ast.expr) -> tuple[str, Any] | None:
    """(what, the expected types' value) when a `with` item expects exceptions."""
    if isinstance(item, ast.Call):
        func = _lookup(frame, item.func)
        if func is _UNRESOLVED:
            return None
        what = _expecting_callables().get(func)
        attr = None
        if what is None and isinstance(func, type):
            attr = _EXPECTING_CLASSES.get(_qualified(func))
            what = func.__qualname__ if attr is not None else None
        if what is None:
            return None
        if what == "contextlib.suppress":
            values = [_lookup(frame, a) for a in item.args]
            return what, _UNRESOLVED if _UNRESOLVED in values else tuple(values)
        arg: ast.expr | None = item.args[0] if item.args else None
        for keyword in item.keywords:
            if keyword.arg in ("expected_exception", "exception"):
                arg = keyword.value
        return what, _UNRESOLVED if arg is None else _lookup(frame, arg)
    value = _lookup(frame, item)
    if value is _UNRESOLVED:
        return None
    attr = _EXPECTING_CLASSES.get(_qualified(type(value)))
    if attr is None:
        return None
    try:
        return type(value).__qualname__, vars(value)[attr]
    except (KeyError, TypeError):
        return type(value).__qualname__, _UNRESOLVED


# --- the walk -----------------------------------------------------------------------


def _where(frame: types.FrameType, line: int) -> str:
    code = frame.f_code
    name = getattr(code, "co_qualname", code.co_name)
    module = frame.f_globals.get("__name__", "?")
    return f"{name} ({module}, line {line})"


def _at_block(
    exc: BaseException, frame: types.FrameType, block: _Block, line: int
) -> Judgement | None:
    """The verdict this block gives, or None when the exception passes through it."""
    where = _where(frame, line)
    if block.is_try:
        for handler in block.handlers:
            if handler is None:
                return Judgement(True, f"reached a bare `except:` (a catch-all) in {where}")
            types_ = _types_of(_lookup(frame, handler))
            if types_ is None:
                return Judgement(False, f"cannot tell what the `except` in {where} catches")
            matching = [t for t in types_ if isinstance(exc, t)]
            if not matching:
                continue
            narrow = [t for t in matching if t not in _CATCH_ALL]
            if narrow:
                return Judgement(False, f"{where} handles {_named(narrow[0])}")
            return Judgement(
                True, f"reached `except {_named(matching[0])}` (a catch-all) in {where}"
            )
        return None
    for item in reversed(block.items):  # the last item is entered last: innermost
        expected = _expected_by_item(frame, item)
        if expected is None:
            continue  # an ordinary context manager: it lets exceptions through
        what, value = expected
        types_ = _types_of(value)
        if types_ is None:
            return Judgement(False, f"cannot tell what {what} in {where} expects")
        if isinstance(exc, types_):
            # A test's or a suppress's explicit expectation, even of Exception itself.
            return Judgement(False, f"{what} in {where} expects {type(exc).__name__}")
    return None


def _raised_on_purpose(exc: BaseException, frame: types.FrameType, line: int) -> str | None:
    """Why the function's own code raised `exc` deliberately, if it did."""
    tb = exc.__traceback__
    last = tb
    while tb is not None:
        last = tb
        tb = tb.tb_next
    if (
        last is not None
        and last.tb_frame is frame
        and _opcode_at(frame.f_code, last.tb_lasti) == _RAISE
    ):
        return f"{_where(frame, last.tb_lineno)} raises it explicitly"
    for block in _inside(_code_blocks(frame) or (), line):
        if not block.is_try:
            continue
        for handler in block.handlers:
            types_ = None if handler is None else _types_of(_lookup(frame, handler))
            if types_ is None:
                break
            narrow = [t for t in types_ if isinstance(exc, t) and t not in _CATCH_ALL]
            if narrow:
                return f"{_where(frame, line)} catches {_named(narrow[0])} and re-raises it"
            if any(isinstance(exc, t) for t in types_):
                break  # a catch-all caught it first: a pass-through, not a contract
    return None


_bytecode: dict[int, tuple[types.CodeType, bytes]] = {}


def _opcode_at(code: types.CodeType, offset: int) -> int:
    # co_code is rebuilt on every access on 3.11+ (a copy of the whole bytecode): once
    # per code object is enough.
    entry = _bytecode.get(id(code))
    if entry is None or entry[0] is not code:
        if len(_bytecode) >= _MAX_CODES:
            _bytecode.clear()
        entry = _bytecode[id(code)] = (code, code.co_code)
    raw = entry[1]
    return raw[offset] if 0 <= offset < len(raw) else -1


def _doctest_expects(frame: types.FrameType) -> bool:
    """Is this doctest's runner running an example whose expected output is a traceback?

    The runner runs every example under a bare `except:`; what says that an exception
    is expected is the example itself (`exc_msg` is set when a traceback is expected).
    """
    code = frame.f_code
    if code.co_name != "__run" or frame.f_globals.get("__name__") != "doctest":
        return False
    example = frame.f_locals.get("example")
    try:
        return vars(example).get("exc_msg") is not None
    except TypeError:
        return False


def _callers(frame: types.FrameType) -> Iterator[types.FrameType]:
    current = frame.f_back
    for _ in range(_MAX_FRAMES):
        if current is None:
            return
        yield current
        current = current.f_back


def _judge_frames(exc: BaseException, own: types.FrameType, own_line: int) -> Judgement:
    on_purpose = _raised_on_purpose(exc, own, own_line)
    if on_purpose is not None:
        return Judgement(False, on_purpose)
    for frame in _callers(own):
        code = frame.f_code
        known = _codes.get(id(code))
        if known is not None and known[0] is code:
            blocks = known[1]
        elif _EXACT_TABLES and not _may_catch_here(frame):
            # No try or with is running in this frame: its source (a file to parse, the
            # first time) cannot change the answer. A code with no handler at all never
            # will: remember it as a scope with nothing that can catch.
            if not _handler_ranges(code) and len(_codes) < _MAX_CODES:
                _codes[id(code)] = (code, ())
            continue
        else:
            blocks = _code_blocks(frame)
        if blocks is not None and not blocks:
            continue  # nothing in this scope can catch
        line = frame.f_lineno
        if blocks and _doctest_expects(frame):
            return Judgement(False, "the doctest being run expects a traceback here")
        if blocks is None or line is None:
            if _may_catch_here(frame):
                where = _where(frame, line or 0)
                return Judgement(False, f"cannot tell whether {where} handles it (no source)")
            continue
        for block in _inside(blocks, line):
            verdict = _at_block(exc, frame, block, line)
            if verdict is not None:
                return verdict
    return Judgement(True, "nothing on the stack handles it")


_EXACT_TABLES = sys.version_info >= (3, 11)
_answers: dict[type, str | None] = {}


def _http_answer(exc_type: type) -> str | None:
    """The web framework class `exc_type` derives from, if it is an HTTP answer."""
    try:
        return _answers[exc_type]
    except KeyError:
        pass
    found = next(
        (_named(c) for c in exc_type.__mro__ if (c.__module__, c.__qualname__) in HTTP_ANSWERS),
        None,
    )
    if len(_answers) < _MAX_CODES:
        _answers[exc_type] = found
    return found


def judge(exc: BaseException) -> Judgement:
    """Is `exc`, caught in an instrumented function's own frame, a failure?

    Call it from inside that frame's handler, while the callers' frames are live: the
    first traceback entry is the function's frame, and its callers are on the stack.
    """
    if not isinstance(exc, Exception):
        return Judgement(False, f"{type(exc).__name__} is not an Exception")
    if isinstance(exc, (StopIteration, StopAsyncIteration)):
        return Judgement(False, f"{type(exc).__name__} ends an iteration")
    answer = _http_answer(type(exc))
    if answer is not None:
        return Judgement(False, f"{answer} is a web framework's answer")
    tb = exc.__traceback__
    if tb is None:
        return Judgement(True, "it has no traceback to judge by")
    try:
        return _judge_frames(exc, tb.tb_frame, tb.tb_lineno)
    except Exception as error:  # never let the judgement itself fail the program
        return Judgement(False, f"cannot tell ({type(error).__name__} while judging)")
    finally:
        del tb
