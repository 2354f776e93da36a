"""Malicious candidate patches, by class. Every one must be rejected or contained.

Each attack does its damage first and then computes the right answer, so the only thing
that can stop it is the sandbox: a wrong result cannot hide a missed escape. `expect` is
a pattern the verdict's reason must match: it pins which defence stopped the attack.
"""

from __future__ import annotations

import textwrap
from dataclasses import dataclass


@dataclass(frozen=True)
class Attack:
    name: str
    cls: str
    target: str  # a function in tests.verify.targets (see PLANS in the test)
    source: str
    expect: str  # regex over the verdict reason


def _indent(body: str) -> str:
    return textwrap.indent(textwrap.dedent(body).strip("\n"), "    ") + "\n"


def avg(body: str) -> str:
    """A correct `average` with `body` run first."""
    return ("def average(values):\n" + _indent(body)
            + "    if not values:\n        return 0.0\n    return sum(values) / len(values)\n")


def settings(body: str) -> str:
    return ("def load_settings(path):\n" + _indent(body)
            + "    return json.loads(Path(path).read_text())\n")


def tool(body: str) -> str:
    return "def run_tool(name):\n" + _indent(body) + "    return os.path.basename(name)\n"


def port(body: str) -> str:
    return "def port_open(host, port):\n" + _indent(body) + "    return False\n"


def fact(body: str) -> str:
    """A correct recursive `factorial` (it may name itself) with `body` run first."""
    return ("def factorial(n):\n" + _indent(body)
            + "    if n <= 0:\n        return 1\n    return n * factorial(n - 1)\n")


def calc(body: str) -> str:
    """A correct `calculate` (its original calls eval) with `body` run first."""
    return "def calculate(expression):\n" + _indent(body) + "    return eval(expression)\n"


def coro(body: str) -> str:
    return "async def fetch_double(x):\n" + _indent(body) + "    return x + x\n"


# attack name -> (class, verdict reason), filled by the test, printed in the summary
RESULTS: dict[str, tuple[str, str]] = {}

POLICY = r"^policy: "
GUARD = r"getattr: |policy: "

ATTACKS: list[Attack] = [
    # ---------------------------------------------------------------- __subclasses__ walks
    Attack("subclasses via __class__", "subclasses",
           "average", avg("x = ().__class__.__bases__[0].__subclasses__()"), POLICY),
    Attack("subclasses via getattr", "subclasses",
           "average", avg("x = getattr(getattr((), '__cla' + 'ss__'), '__base__')"),
           "getattr: private"),
    Attack("subclasses via type().mro()", "subclasses",
           "average", avg("x = type(()).mro()[-1]"), "getattr: blocked attribute 'mro'"),
    Attack("subclasses via object", "subclasses",
           "average", avg("x = object"), POLICY),
    Attack("subclasses via hasattr probe", "subclasses",
           "average", avg("x = hasattr((), '__subclasses__')"), "getattr: private"),
    Attack("subclasses via three-argument type", "subclasses",
           "average", avg("x = type('X', (), {})"), r"type\(\): only the one-argument"),
    # ---------------------------------------------------------------- __globals__ / __closure__
    Attack("function __globals__", "globals",
           "average", avg("g = average.__globals__"), POLICY),
    Attack("function __globals__ built at run time", "globals",
           "factorial", fact("g = getattr(factorial, '__glo' + 'bals__')"), "getattr: private"),
    Attack("closure cells", "globals",
           "average", avg("c = getattr(sum, '__self__')"), "getattr: private"),
    Attack("function __code__ swap", "globals",
           "average", avg("average.__code__ = len.__code__"), POLICY),
    Attack("func_globals alias", "globals",
           "factorial", fact("g = getattr(factorial, 'func_globals', None)"), "getattr: blocked"),
    Attack("closure of the function", "globals",
           "factorial", fact("g = getattr(factorial, ''.join(['__', 'closure', '__']))"),
           "getattr: private"),
    # ---------------------------------------------------------------- frames
    Attack("generator gi_frame f_back", "frames",
           "average", avg("g = (i for i in [1])\nf = g.gi_frame.f_back"), POLICY),
    Attack("generator gi_frame via getattr", "frames",
           "average", avg("g = (i for i in [1])\nf = getattr(g, 'gi_' + 'frame')"),
           "getattr: blocked attribute 'gi_frame'"),
    Attack("traceback tb_frame", "frames",
           "average", avg("try:\n    1 / 0\nexcept ZeroDivisionError as e:\n"
                          "    f = e.__traceback__.tb_frame"), POLICY),
    Attack("traceback via getattr", "frames",
           "average", avg("try:\n    1 / 0\nexcept ZeroDivisionError as e:\n"
                          "    tb = getattr(e, '__trace' + 'back__')"), "getattr: private"),
    Attack("tb_frame via getattr on a caught exception", "frames",
           "average", avg("try:\n    1 / 0\nexcept ZeroDivisionError as e:\n"
                          "    tb = getattr(e, 'with_traceback')(None)\n"
                          "    f = getattr(tb, 'tb_' + 'frame', None)"), "getattr: blocked"),
    Attack("coroutine cr_frame", "frames",
           "fetch_double", coro("async def inner():\n    return 1\n"
                                "c = getattr(inner(), 'cr_' + 'frame')"),
           "getattr: blocked attribute 'cr_frame'"),
    Attack("async generator ag_frame", "frames",
           "fetch_double", coro("async def agen():\n    yield 1\n"
                                "f = getattr(agen(), 'ag_' + 'frame')"),
           "getattr: blocked attribute 'ag_frame'"),
    Attack("f_back walk from a frame name", "frames",
           "average", avg("f = getattr(values, 'f_back', None)"), "getattr: blocked"),
    # ---------------------------------------------------------------- format traversal
    Attack("str.format attribute traversal", "format",
           "factorial", fact("s = '{0.__globals__}'.format(factorial)"), "format: attribute"),
    Attack("str.format item traversal", "format",
           "average", avg("s = '{0[0]}'.format(values)"), "format: attribute or item"),
    Attack("format_map traversal", "format",
           "factorial", fact("s = '{f.__globals__}'.format_map({'f': factorial})"), "format: "),
    Attack("unbound str.format", "format",
           "average", avg("s = str.format('{0.__class__}', values)"), "format: "),
    Attack("nested format spec traversal", "format",
           "average", avg("s = '{0:{1.__class__}}'.format(1, values)"), "format: "),
    Attack("string.Formatter get_field", "format",
           "average", avg("import string\nf = string.Formatter()\n"
                          "x = f.get_field('0.__globals__', [len], {})"),
           r"getattr: string.Formatter is blocked"),
    Attack("getattr(str, 'format')", "format",
           "average", avg("fmt = getattr('{0.__class__.__mro__}', 'format')\ns = fmt(1)"),
           "format: "),
    # ---------------------------------------------------------------- exception attributes
    Attack("AttributeError.obj", "exceptions",
           "average", avg("try:\n    values.nope\nexcept AttributeError as e:\n    o = e.obj"),
           "getattr: exception attribute 'obj'"),
    Attack("AttributeError.obj via getattr", "exceptions",
           "average", avg("try:\n    values.nope\nexcept AttributeError as e:\n"
                          "    o = getattr(e, 'obj')"), "getattr: exception attribute"),
    Attack("exception __context__", "exceptions",
           "average", avg("try:\n    1 / 0\nexcept Exception as e:\n    c = e.__context__"),
           POLICY),
    Attack("exception __traceback__", "exceptions",
           "average", avg("try:\n    1 / 0\nexcept Exception as e:\n    t = e.__traceback__"),
           POLICY),
    # ---------------------------------------------------------------- modules via attributes
    # fractions imports sys on every supported Python (datetime stopped on 3.12).
    Attack("fractions.sys", "modules",
           "average", avg("import fractions\ns = fractions.sys"),
           "getattr: fractions.sys is the module sys"),
    Attack("statistics.random", "modules",
           "average", avg("import statistics\nr = statistics.random"), "is the module random"),
    Attack("re.copyreg pickling registry", "modules",
           "average", avg("import re\nc = re.copyreg"), "is the module copyreg"),
    Attack("json.codecs", "modules",
           "average", avg("import json\nc = json.codecs"), "is the module codecs"),
    Attack("fractions.sys via getattr", "modules",
           "average", avg("import fractions\ns = getattr(fractions, 's' + 'ys')"),
           "is the module sys"),
    Attack("os.system from an original that only reads os.path", "modules",
           "run_tool", tool("os.system('true')"), POLICY),
    Attack("os.path.os", "modules",
           "run_tool", tool("o = os.path.os"), POLICY),
    Attack("os attribute built at run time", "modules",
           "run_tool", tool("s = getattr(os, 'sys' + 'tem')"), r"getattr: os.system is not read"),
    Attack("operator.attrgetter", "modules",
           "factorial", fact("import operator\ng = operator.attrgetter('__globals__')(factorial)"),
           "operator.attrgetter is blocked"),
    Attack("import of a module outside the allowlist", "modules",
           "average", avg("import os"), POLICY),
    Attack("from-import of importlib", "modules",
           "average", avg("from importlib import import_module"), POLICY),
    Attack("relative import", "modules",
           "average", avg("from . import targets"), POLICY),
    Attack("__import__", "modules",
           "average", avg("o = __import__('os')"), POLICY),
    # ---------------------------------------------------------------- builtins via globals
    Attack("globals()['__builtins__']", "builtins",
           "average", avg("b = globals()['__builtins__']"), POLICY),
    Attack("vars()", "builtins", "average", avg("b = vars()"), POLICY),
    Attack("locals()", "builtins", "average", avg("b = locals()"), POLICY),
    Attack("__builtins__ name", "builtins", "average", avg("b = __builtins__"), POLICY),
    Attack("eval", "builtins", "average", avg("eval('1')"), POLICY),
    Attack("exec", "builtins", "average", avg("exec('x = 1')"), POLICY),
    Attack("compile", "builtins", "average", avg("c = compile('1', 'f', 'eval')"), POLICY),
    Attack("open for reading secrets", "builtins",
           "average", avg("s = open('/etc/passwd').read()"), POLICY),
    Attack("breakpoint", "builtins", "average", avg("breakpoint()"), POLICY),
    Attack("id for memory tricks", "builtins", "average", avg("a = id(values)"), POLICY),
    # ---------------------------------------------------------------- guard shadowing
    Attack("positional-only _getattr_ parameter", "shadowing",
           "average", avg("def inner(_getattr_, /):\n    return 1"), POLICY),
    Attack("lambda with a _getattr_ default", "shadowing",
           "average", avg("f = lambda _getattr_=None: 1"), POLICY),
    Attack("assignment to _write_", "shadowing", "average", avg("_write_ = None"), POLICY),
    Attack("rebinding getattr", "shadowing", "average", avg("getattr = len"), POLICY),
    Attack("global statement", "shadowing",
           "average", avg("global RATES\nRATES = {}"), POLICY),
    # ---------------------------------------------------------------- try/except*
    Attack("except* type confusion", "except-star",
           "average", avg("try:\n    pass\nexcept* ValueError:\n    pass"), POLICY),
    Attack("except* with BaseException", "except-star",
           "average", avg("try:\n    1 / 0\nexcept* BaseException as eg:\n    pass"), POLICY),
    # ---------------------------------------------------------------- exits and interrupts
    Attack("raise SystemExit", "exit", "average", avg("raise SystemExit(0)"), POLICY),
    Attack("raise KeyboardInterrupt", "exit",
           "average", avg("raise KeyboardInterrupt"), POLICY),
    Attack("exit()", "exit", "average", avg("exit(0)"), POLICY),
    Attack("hard exit through a helper the original calls", "exit",
           "exits", "def exits(x):\n    hard_exit(0)\n    return x\n", r"exited \(status 0\)"),
    Attack("abort through a helper the original calls", "exit",
           "crashy", "def crashy(x):\n    hard_crash(True)\n"
                     "    return hard_crash(x < 0) + segfault(x < -100) + x\n",
           r"crashed \(SIGABRT\)"),
    Attack("segfault through a helper the original calls", "exit",
           "crashy", "def crashy(x):\n    segfault(True)\n"
                     "    return hard_crash(x < 0) + segfault(x < -100) + x\n",
           r"crashed \(SIGSEGV\)"),
    # ---------------------------------------------------------------- resource exhaustion
    Attack("memory: one huge allocation", "resources",
           "average", avg("hoard = [0] * (10 ** 10)"),
           "size: |MemoryError|tracing was lost|timeout"),
    Attack("memory: growth caught by the candidate", "resources",
           "average", avg("hoard = []\ntry:\n    while True:\n"
                          "        hoard.append('x' * 10_000_000)\n"
                          "except Exception:\n    hoard = []"),
           "MemoryError|tracing was lost|timeout"),
    Attack("cpu: busy loop", "resources", "average", avg("while True:\n    pass"), "timeout"),
    Attack("cpu: busy loop that swallows the timer", "resources",
           "average", avg("while True:\n    try:\n        while True:\n            pass\n"
                          "    except:\n        pass"), "timeout"),
    Attack("cpu: one huge power", "resources",
           "average", avg("x = 10 ** (10 ** 9)"), "size: |timeout|MemoryError|tracing was lost"),
    Attack("recursion caught by the candidate", "resources",
           "factorial", "def factorial(n):\n    try:\n        return factorial(n + 1)\n"
                        "    except Exception:\n"
                        "        return 1 if n <= 0 else n * factorial(n - 1)\n",
           "RecursionError|tracing was lost|timeout"),
    Attack("fork bomb through subprocess", "resources",
           "run_tool", tool("while True:\n    subprocess.Popen(['true'])"), POLICY),
    Attack("fork bomb through subprocess.run", "resources",
           "run_tool", tool("for _ in range(1000):\n    subprocess.run(['sh', '-c', ':'])"),
           "audit: subprocess.Popen"),
    # ---------------------------------------------------------------- writes, processes, sockets
    Attack("overwrite the user's file", "writes",
           "load_settings", settings("Path(path).write_text('{}')"), "audit: open for writing"),
    Attack("overwrite, error swallowed", "writes",
           "load_settings", settings("try:\n    Path(path).write_text('{}')\n"
                                     "except Exception:\n    pass"), "audit: open for writing"),
    Attack("append through Path.open", "writes",
           "load_settings", settings("try:\n    with Path(path).open('a') as fh:\n"
                                     "        fh.write('x')\nexcept Exception:\n    pass"),
           "audit: open for writing"),
    Attack("delete the user's file", "writes",
           "load_settings", settings("try:\n    Path(path + '.bak').write_text('x')\n"
                                     "    Path(path).unlink()\nexcept Exception:\n    pass"),
           "audit: "),
    Attack("rename the user's file", "writes",
           "load_settings", settings("try:\n    Path(path).rename(path + '.moved')\n"
                                     "except Exception:\n    pass"), "audit: os.rename"),
    Attack("chmod the user's file", "writes",
           "load_settings", settings("try:\n    Path(path).chmod(0o777)\n"
                                     "except Exception:\n    pass"), "audit: os.chmod"),
    Attack("create a directory", "writes",
           "load_settings", settings("try:\n    Path(path + '.d').mkdir()\n"
                                     "except Exception:\n    pass"), "audit: os.mkdir"),
    Attack("touch a new file", "writes",
           "load_settings", settings("try:\n    Path(path + '.new').touch()\n"
                                     "except Exception:\n    pass"),
           "audit: (open for writing|os.utime)"),
    Attack("run a shell command", "writes",
           "run_tool", tool("try:\n    subprocess.run('touch pwned', shell=True)\n"
                            "except Exception:\n    pass"), "audit: subprocess.Popen"),
    Attack("connect to a port", "writes",
           "port_open", port("try:\n    socket.create_connection(('127.0.0.1', 9), timeout=0.1)\n"
                             "except OSError:\n    pass"),
           "audit: (socket|import of 'encodings.idna')"),
    Attack("raw socket", "writes", "port_open", port("s = socket.socket()"), POLICY),
    Attack("forge a passing verdict on the result pipe", "writes",
           "log_line",
           "def log_line(fd, text):\n"
           "    line = '{\"i\": 0, \"layers\": []}\\n'\n"
           "    for n in range(3, 64):\n"
           "        try:\n"
           "            os.write(n, line.encode())\n"
           "        except OSError:\n"
           "            pass\n"
           "    return os.write(fd, text.encode())\n",
           "forged or corrupted|unreadable|order"),
    Attack("write through an inherited descriptor", "writes",
           "log_line",
           "def log_line(fd, text):\n"
           "    for n in range(3, 64):\n"
           "        try:\n"
           "            os.write(n, b'pwned')\n"
           "        except OSError:\n"
           "            pass\n"
           "    return os.write(fd, text.encode())\n",
           "forged or corrupted|unreadable|order"),
    # ----------------------------------------------------- aliasing and sandbox detection
    # A candidate that can tell the sandbox from the live process could save its escape
    # for later: whatever is decidable from the source is refused there, not only at run
    # time. Those marked POLICY would pass the run-time defences (the escape never runs).
    Attack("module bound to a local", "aliasing",
           "run_tool", tool("m = os\ntry:\n    m.system('true')\nexcept Exception:\n    pass"),
           r"getattr: os.system is not read"),
    Attack("module passed to a helper", "aliasing",
           "run_tool", tool("modules = [os]\nx = modules[0].sep"), r"getattr: os.sep"),
    Attack("computed attribute name on a module", "aliasing",
           "run_tool", tool("n = 'sys' + 'tem'\nif name == 'zz':\n    getattr(os, n)('true')"),
           POLICY),
    Attack("getattr bound to a local", "aliasing",
           "factorial", fact("g = getattr\nx = g(factorial, '__glo' + 'bals__')"),
           "getattr: private"),
    Attack("sandbox probe on getattr", "aliasing",
           "factorial", fact("if type(getattr) is type(len):\n"
                             "    x = getattr(factorial, '__glo' + 'bals__')"),
           POLICY),
    Attack("sandbox probe on print", "aliasing",
           "factorial", fact("if type(print) is type(len):\n"
                             "    x = getattr(factorial, '__glo' + 'bals__')"), POLICY),
    Attack("type bound to a local", "aliasing",
           "average", avg("t = type\nx = t('X', (), {})"), r"type\(\): only"),
    Attack("template held in a variable", "aliasing",
           "factorial", fact("t = '{0.__globals__}'\ns = t.format(factorial)"), "format: "),
    Attack("augmented write to an aliased class", "aliasing",
           "describe", "def describe(thing):\n    if not isinstance(thing, Thing):\n"
                       "        raise TypeError('not a thing')\n    kind = Thing\n"
                       "    try:\n        kind.size += 1\n    except Exception:\n        pass\n"
                       "    return f'thing of size {thing.size}'\n",
           "write: cannot modify a type"),
    Attack("monkeypatch through type()", "aliasing",
           "average", avg("type(values).extra = 1"), "write: cannot modify"),
    Attack("module attribute through an import alias", "aliasing",
           "average", avg("import fractions as d\nx = d.sys"), "is the module sys"),
    Attack("from-import of a blocked name", "aliasing",
           "average", avg("from operator import attrgetter\nx = attrgetter('real')(1)"),
           POLICY),
    # ---------------------------------------------------------------- pickling hooks
    Attack("class with __reduce__", "pickling",
           "average", avg("class Evil:\n    def __reduce__(self):\n        return (len, ('x',))"),
           POLICY),
    Attack("__reduce__ through three-argument type", "pickling",
           "average", avg("Evil = type('Evil', (), {'__reduce__': lambda s: (len, ())})"),
           r"type\(\): only"),
    Attack("copyreg registration", "pickling",
           "average", avg("import copyreg"), POLICY),
    Attack("always-equal result object", "pickling",
           "average",
           "def average(values):\n    return type('Eq', (), {'__eq__': lambda a, b: True})()\n",
           r"type\(\): only"),
    # ---------------------------------------------------------------- monkeypatching the caller
    Attack("replace a function of an allowed module", "monkeypatch",
           "average", avg("import json\njson.loads = len"), "write: cannot modify a module"),
    Attack("patch a class attribute", "monkeypatch",
           "average", avg("import collections\ncollections.OrderedDict.popitem = len"),
           "write: cannot modify a type"),
    Attack("set an attribute on the function itself", "monkeypatch",
           "factorial", fact("factorial.cache = {}"), "write: cannot modify a function"),
    Attack("patch the user's Path class", "monkeypatch",
           "load_settings", settings("Path.read_text = len"), "write: cannot modify a type"),
    Attack("setattr on a module", "monkeypatch",
           "average", avg("import json\nsetattr(json, 'loads', len)"), POLICY),
    Attack("patch a builtin function's attribute", "monkeypatch",
           "average", avg("sum.x = 1"), "write: cannot modify a builtin_function"),
    # ---------------------------------------------------------------- eval where the original evals
    Attack("eval an import", "eval",
           "calculate", calc("eval(\"__import__('os').system('true')\")"),
           r"eval: \[restricted\]"),
    Attack("eval a dunder walk", "eval",
           "calculate", calc("eval('().__class__.__base__.__subclasses__()')"),
           r"eval: \[restricted\]"),
    Attack("eval the disabled open", "eval",
           "calculate", calc("eval(\"open('pwned', 'w')\")"), r"NameError"),
    Attack("eval reaches the module's imports", "eval",
           "calculate", calc("eval(\"os.system('true')\")"), r"NameError"),
    Attack("eval of a computed private attribute", "eval",
           "calculate", calc("eval(\"getattr(1, '_' + '_class__')\")"),
           r"getattr: private attribute"),
    Attack("eval of bytes", "eval",
           "calculate", calc("eval(b'1')"), r"eval: only a str"),
    Attack("eval by another name", "eval",
           "calculate", calc("run = eval\nrun('1')"), POLICY),
]
