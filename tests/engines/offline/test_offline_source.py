"""Minimal textual edits: spans from AST positions, parentheses only where needed,
statement insertion, deletion and wrapping keep the rest of the text byte for byte."""

from __future__ import annotations

import ast

from selfheal.engines.offline.source import Edit, SourceText, apply_edits, normalized

SOURCE = """def f(xs, k):
    # keep this comment
    total = 0  # and this one
    for x in xs:
        total += x * k
    return total / len(xs)
"""


def _node(src: SourceText, kind: type, text: str) -> ast.AST:
    for node in ast.walk(src.tree):
        if isinstance(node, kind) and src.segment(node) == text:
            return node
    raise AssertionError(f"no {kind.__name__} {text!r}")


def test_replacing_an_expression_changes_only_its_span() -> None:
    src = SourceText(SOURCE)
    node = _node(src, ast.BinOp, "x * k")
    out = apply_edits(SOURCE, [src.replace_expr(node, "x + k")])  # type: ignore[arg-type]
    assert out == SOURCE.replace("x * k", "x + k")
    assert "# keep this comment" in out
    assert "# and this one" in out


def test_parentheses_are_added_only_when_precedence_needs_them() -> None:
    src = SourceText(SOURCE)
    name = _node(src, ast.Name, "x")
    # `x` inside `x * k`: a sum must be parenthesised there ...
    assert src.fit(name, "x + 1") == "(x + 1)"  # type: ignore[arg-type]
    # ... but not as a whole return value or a call argument.
    ret = _node(src, ast.BinOp, "total / len(xs)")
    assert src.fit(ret, "total // len(xs)") == "total // len(xs)"  # type: ignore[arg-type]
    call_arg = next(n for n in ast.walk(src.tree) if isinstance(n, ast.Call)).args[0]
    assert src.fit(call_arg, "xs + ys") == "xs + ys"


def test_columns_are_utf8_bytes_but_edits_use_characters() -> None:
    text = 'def g(s):\n    return "é" + s.uper()\n'
    src = SourceText(text)
    attr = next(n for n in ast.walk(src.tree) if isinstance(n, ast.Attribute))
    start, end = src.span(attr)
    assert text[start:end] == "s.uper"
    assert apply_edits(text, [Edit(end - 4, end, "upper")]) == text.replace("uper", "upper")


def test_statement_insert_delete_and_wrap_keep_indentation() -> None:
    src = SourceText(SOURCE)
    loop = next(n for n in ast.walk(src.tree) if isinstance(n, ast.For))
    body = loop.body[0]
    guard = src.insert_before(body, "if x is None:\n    continue")
    assert guard is not None
    inserted = apply_edits(SOURCE, [guard])
    assert (
        "    for x in xs:\n        if x is None:\n            continue\n        total += x * k\n"
        in inserted
    )
    removal = src.delete(body, loop.body)
    assert removal is not None
    deleted = apply_edits(SOURCE, [removal])
    assert "    for x in xs:\n        pass\n" in deleted  # a sole statement becomes `pass`
    block = src.wrap(body, "try:", "except TypeError:\n    continue")
    assert block is not None
    wrapped = apply_edits(SOURCE, [block])
    expected = (
        "        try:\n"
        "            total += x * k\n"
        "        except TypeError:\n"
        "            continue\n"
    )
    assert expected in wrapped
    for text in (inserted, deleted, wrapped):
        assert normalized(text) is not None


def test_normalized_ignores_formatting_and_rejects_broken_code() -> None:
    assert normalized("def f(a):  return a+1\n") == normalized("def f(a):\n    return (a + 1)\n")
    assert normalized("def f(:\n") is None


def test_overlapping_edits_are_detected() -> None:
    assert Edit(0, 5, "x").overlaps(Edit(3, 8, "y"))
    assert not Edit(0, 3, "x").overlaps(Edit(3, 8, "y"))
    assert Edit(4, 4, "x").overlaps(Edit(2, 6, "y"))  # an insertion inside a replaced span
