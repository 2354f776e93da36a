"""Minimal textual edits of a function's source, addressed by AST node positions.

The offline engine never regenerates a function with `ast.unparse`: every candidate is
the original text with a few exact spans replaced, so comments, formatting and the
diff a person reviews stay as small as the change itself.

This module owns source positions (AST columns are UTF-8 byte offsets; edits use
character offsets), edit application, re-indentation of inserted statements and the
normalised form used to dedupe candidates. It must not run any code.
"""

from __future__ import annotations

import ast
from collections.abc import Iterable, Sequence
from dataclasses import dataclass


@dataclass(frozen=True, order=True)
class Edit:
    """Replace `text[start:end]` (character offsets) with `replacement`."""

    start: int
    end: int
    replacement: str

    def overlaps(self, other: Edit) -> bool:
        if self.start == self.end or other.start == other.end:
            # Two insertions at one point are ambiguous; an insertion inside a span too.
            return other.start <= self.start <= other.end or self.start <= other.start <= self.end
        return self.start < other.end and other.start < self.end


def apply_edits(text: str, edits: Iterable[Edit]) -> str:
    """Apply non-overlapping edits (any order) to `text`."""
    ordered = sorted(edits, key=lambda e: (e.start, e.end), reverse=True)
    for edit in ordered:
        text = text[: edit.start] + edit.replacement + text[edit.end :]
    return text


def disjoint(edits: Sequence[Edit]) -> bool:
    return all(not a.overlaps(b) for i, a in enumerate(edits) for b in edits[i + 1 :])


def normalized(source: str) -> str | None:
    """A formatting-free identity of a source text, or None when it does not parse."""
    try:
        return ast.dump(ast.parse(source))
    except (SyntaxError, ValueError, RecursionError, MemoryError):
        return None


# Expressions that never need parentheses wherever an expression may stand.
_ATOMIC = (
    ast.Name,
    ast.Constant,
    ast.Call,
    ast.Attribute,
    ast.Subscript,
    ast.List,
    ast.Dict,
    ast.Set,
    ast.ListComp,
    ast.SetComp,
    ast.DictComp,
    ast.JoinedStr,
)


class SourceText:
    """A parsed source text with helpers to turn nodes into spans and edits."""

    def __init__(self, text: str) -> None:
        self.text = text
        self.lines = text.splitlines(keepends=True)
        self._starts: list[int] = []
        pos = 0
        for line in self.lines:
            self._starts.append(pos)
            pos += len(line)
        self._starts.append(pos)
        self.tree = ast.parse(text)
        self.parents: dict[ast.AST, ast.AST] = {}
        for node in ast.walk(self.tree):
            for child in ast.iter_child_nodes(node):
                self.parents[child] = node

    # ------------------------------------------------------------------ positions

    def offset(self, lineno: int, col_byte: int) -> int:
        if lineno - 1 >= len(self.lines):
            return len(self.text)
        line = self.lines[lineno - 1]
        col = len(line.encode("utf-8")[:col_byte].decode("utf-8", errors="replace"))
        return self._starts[lineno - 1] + col

    def span(self, node: ast.AST) -> tuple[int, int]:
        start = self.offset(node.lineno, node.col_offset)  # type: ignore[attr-defined]
        end_line = getattr(node, "end_lineno", None) or node.lineno  # type: ignore[attr-defined]
        end_col = getattr(node, "end_col_offset", None)
        end = self.offset(end_line, end_col) if end_col is not None else start
        return start, end

    def segment(self, node: ast.AST) -> str:
        start, end = self.span(node)
        return self.text[start:end]

    def line_start(self, lineno: int) -> int:
        return self._starts[lineno - 1]

    def indent_of(self, lineno: int) -> str:
        line = self.lines[lineno - 1]
        return line[: len(line) - len(line.lstrip(" \t"))]

    def starts_line(self, stmt: ast.stmt) -> bool:
        """True when the statement is the first thing on its line (not after `;`/`:`)."""
        return len(self.indent_of(stmt.lineno).encode()) == stmt.col_offset

    def owns_lines(self, stmt: ast.stmt) -> bool:
        """True when the statement occupies whole lines (nothing else but comments)."""
        if not self.starts_line(stmt) or stmt.end_lineno is None:
            return False
        tail = self.lines[stmt.end_lineno - 1]
        end = (
            self.offset(stmt.end_lineno, stmt.end_col_offset or 0)
            - self._starts[stmt.end_lineno - 1]
        )
        rest = tail[end:].strip()
        return rest == "" or rest.startswith("#")

    # ------------------------------------------------------------------ edits

    def replace(self, node: ast.AST, text: str) -> Edit:
        start, end = self.span(node)
        return Edit(start, end, text)

    def replace_expr(self, node: ast.expr, new: str) -> Edit:
        """Replace an expression, adding parentheses only where precedence needs them."""
        return self.replace(node, self.fit(node, new))

    def fit(self, node: ast.expr, new: str) -> str:
        try:
            parsed = ast.parse(new, mode="eval").body
        except SyntaxError:
            return f"({new})"
        if isinstance(parsed, _ATOMIC) or new.startswith("("):
            return new
        parent = self.parents.get(node)
        free_context = (
            ast.Expr,
            ast.Assign,
            ast.AugAssign,
            ast.AnnAssign,
            ast.Return,
            ast.If,
            ast.While,
            ast.keyword,
            ast.List,
            ast.Set,
            ast.Assert,
        )
        if isinstance(parent, free_context):
            return new
        if isinstance(parent, ast.Call) and node is not parent.func:
            return new
        if isinstance(parent, ast.Subscript) and node is parent.slice:
            return new
        if isinstance(parent, ast.comprehension) and node is parent.iter:
            return new
        if isinstance(parent, ast.For) and node is parent.iter:
            return new
        if isinstance(parent, ast.Tuple) and not isinstance(parsed, (ast.Tuple, ast.Lambda)):
            return new
        if isinstance(parent, ast.Slice):
            return new
        return f"({new})"

    def body_indent(self, stmt: ast.stmt) -> str:
        return self.indent_of(stmt.lineno)

    def insert_before(self, stmt: ast.stmt, code: str) -> Edit | None:
        """Insert statement(s) `code` (unindented, may be multi-line) before `stmt`."""
        if not self.starts_line(stmt):
            return None
        indent = self.indent_of(stmt.lineno)
        pos = self.line_start(stmt.lineno)
        return Edit(pos, pos, indent_block(code, indent))

    def insert_after(self, stmt: ast.stmt, code: str) -> Edit | None:
        if not self.owns_lines(stmt) or stmt.end_lineno is None:
            return None
        indent = self.indent_of(stmt.lineno)
        pos = self._starts[stmt.end_lineno]
        text = indent_block(code, indent)
        if pos == len(self.text) and not self.text.endswith("\n"):
            text = "\n" + text.rstrip("\n")
        return Edit(pos, pos, text)

    def delete(self, stmt: ast.stmt, siblings: Sequence[ast.stmt]) -> Edit | None:
        """Delete a statement; a sole statement of its block becomes `pass`."""
        if not self.owns_lines(stmt) or stmt.end_lineno is None:
            return None
        if len(siblings) == 1:
            start, end = self.span(stmt)
            return Edit(start, end, "pass")
        return Edit(self.line_start(stmt.lineno), self._starts[stmt.end_lineno], "")

    def whole_lines(self, stmt: ast.stmt) -> str:
        end = stmt.end_lineno or stmt.lineno
        return "".join(self.lines[stmt.lineno - 1 : end])

    def dedented(self, stmt: ast.stmt) -> str:
        """The statement's own text, re-based to column 0 (for moving and copying)."""
        indent = self.indent_of(stmt.lineno)
        out = []
        for line in self.whole_lines(stmt).splitlines():
            out.append(line[len(indent) :] if line.startswith(indent) else line.lstrip())
        return "\n".join(out)

    def wrap(self, stmt: ast.stmt, head: str, tail: str = "") -> Edit | None:
        """Nest `stmt` in a block: `head` (e.g. "if x is not None:"), then the statement
        indented one level, then optional `tail` lines at the head's level."""
        if not self.owns_lines(stmt):
            return None
        indent = self.indent_of(stmt.lineno)
        step = _indent_step(self.text)
        body = indent_block(self.dedented(stmt), indent + step)
        text = indent + head + "\n" + body
        if tail:
            text += indent_block(tail, indent)
        end_line = stmt.end_lineno or stmt.lineno
        return Edit(self.line_start(stmt.lineno), self._starts[end_line], text)


def indent_block(code: str, indent: str) -> str:
    lines = code.splitlines()
    return "".join((indent + line if line.strip() else line) + "\n" for line in lines)


def _indent_step(text: str) -> str:
    for line in text.splitlines()[1:]:
        stripped = line.lstrip(" \t")
        if stripped and len(stripped) < len(line):
            return line[: len(line) - len(stripped)]
    return "    "


__all__ = ["Edit", "SourceText", "apply_edits", "disjoint", "indent_block", "normalized"]
