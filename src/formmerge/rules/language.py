"""Tokenizer and recursive-descent parser of the rule language.

The grammar (``docs/rules.md`` explains it with examples)::

    condition  := or_expr END
    or_expr    := and_expr ("or" and_expr)*
    and_expr   := not_expr ("and" not_expr)*
    not_expr   := "not" not_expr | comparison
    comparison := additive [ ("==" | "!=" | "<" | "<=" | ">" | ">=") additive
                           | ["not"] "in" (list | NAME) ]
    additive   := unary (("+" | "-") unary)*
    unary      := "-" unary | primary
    primary    := NUMBER | STRING | "true" | "false" | "(" or_expr ")"
                | NAME "(" [or_expr ("," or_expr)*] ")"      function call
                | NAME "." NAME                              role.item: a value of the application
                | NAME                                       a parameter of the rule set
    list       := "[" [or_expr ("," or_expr)*] "]"

Names are ASCII letters, digits and single underscores and may not start with an underscore,
so ``__import__`` or ``x.__class__`` cannot even be spelled. There is no statement separator,
no string concatenation, no subscript and no attribute access beyond ``role.item``: anything
else is a syntax error that names the offending character.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from typing import Literal

from formmerge.rules.nodes import (
    Binary,
    Call,
    Compare,
    Constant,
    Expr,
    FieldRef,
    InList,
    Logical,
    Not,
    Param,
)

__all__ = [
    "DEFAULT_MAX_CONDITION_LENGTH",
    "DEFAULT_MAX_DEPTH",
    "KEYWORDS",
    "RuleSyntaxError",
    "Token",
    "parse_condition",
    "tokenize",
]

DEFAULT_MAX_CONDITION_LENGTH = 4000
"""Longest condition text accepted, in characters (real conditions are a line or two)."""

DEFAULT_MAX_DEPTH = 40
"""Deepest nesting of sub-expressions accepted; guards the recursive parser and evaluators."""

KEYWORDS = frozenset({"and", "or", "not", "in", "true", "false"})
"""Words with a meaning of their own; they cannot name a parameter."""

TokenKind = Literal["number", "string", "name", "op", "end"]

_OPERATORS = ("==", "!=", "<=", ">=", "<", ">", "+", "-", "(", ")", "[", "]", ",", ".")
_NAME = re.compile(r"[A-Za-z_][A-Za-z0-9_]*")
_NUMBER = re.compile(r"[0-9]+(?:\.[0-9]+)?(?:[eE][+-]?[0-9]+)?")
_ESCAPES = {"\\": "\\", '"': '"', "'": "'", "n": "\n", "t": "\t"}
_HINTS = {
    "=": "use == to compare",
    "&": "use 'and'",
    "|": "use 'or' (there is no string concatenation)",
    ";": "a condition is one expression, not statements",
    "!": "use 'not' or !=",
}


class RuleSyntaxError(Exception):
    """A condition that cannot be read; ``pos`` is the offending character's offset."""

    def __init__(self, code: str, message: str, pos: int) -> None:
        super().__init__(message)
        self.code = code
        self.message = message
        self.pos = pos


@dataclass(frozen=True)
class Token:
    """One token: its kind, its text (a string literal's value for strings) and its offset."""

    kind: TokenKind
    text: str
    pos: int


def _string(text: str, start: int) -> tuple[str, int]:
    quote = text[start]
    out: list[str] = []
    i = start + 1
    while i < len(text):
        ch = text[i]
        if ch == quote:
            return "".join(out), i + 1
        if ch == "\n":
            break
        if ch == "\\":
            nxt = text[i + 1 : i + 2]
            if nxt not in _ESCAPES:
                raise RuleSyntaxError(
                    "rule-syntax",
                    f"unknown escape \\{nxt} in a string (use \\\\, \\\", \\', \\n or \\t)",
                    i,
                )
            out.append(_ESCAPES[nxt])
            i += 2
            continue
        out.append(ch)
        i += 1
    raise RuleSyntaxError("rule-syntax", f"unterminated string: close it with {quote}", start)


def _check_name(name: str, pos: int) -> None:
    if name.startswith("_") or "__" in name:
        raise RuleSyntaxError(
            "unsafe-name",
            f"name {name!r} is not allowed: names may not start with '_' or contain '__'",
            pos,
        )


def tokenize(text: str) -> list[Token]:
    """Split a condition into tokens.

    Raises:
        RuleSyntaxError: an unterminated string, a character outside the language, or a name
            starting with ``_`` or containing ``__``.
    """
    tokens: list[Token] = []
    i = 0
    while i < len(text):
        ch = text[i]
        if ch in " \t\r\n":
            i += 1
        elif ch in "\"'":
            value, end = _string(text, i)
            tokens.append(Token("string", value, i))
            i = end
        elif (m := _NUMBER.match(text, i)) is not None:
            tokens.append(Token("number", m.group(), i))
            i = m.end()
        elif (m := _NAME.match(text, i)) is not None:
            _check_name(m.group(), i)
            tokens.append(Token("name", m.group(), i))
            i = m.end()
        elif (op := next((o for o in _OPERATORS if text.startswith(o, i)), None)) is not None:
            tokens.append(Token("op", op, i))
            i += len(op)
        else:
            hint = _HINTS.get(ch, "it is not part of the rule language")
            raise RuleSyntaxError("rule-syntax", f"unexpected character {ch!r}: {hint}", i)
    tokens.append(Token("end", "", len(text)))
    return tokens


class _Parser:
    def __init__(self, text: str, max_depth: int) -> None:
        self.tokens = tokenize(text)
        self.i = 0
        self.depth = 0
        self.max_depth = max_depth

    # ----------------------------------------------------------------- helpers

    @property
    def tok(self) -> Token:
        return self.tokens[self.i]

    def at(self, kind: TokenKind, text: str | None = None) -> bool:
        return self.tok.kind == kind and (text is None or self.tok.text == text)

    def take(self) -> Token:
        tok = self.tok
        self.i += 1
        return tok

    def expect(self, kind: TokenKind, text: str, what: str) -> Token:
        if not self.at(kind, text):
            raise self.error(f"expected {what}")
        return self.take()

    def error(self, message: str) -> RuleSyntaxError:
        tok = self.tok
        found = "the end of the condition" if tok.kind == "end" else repr(tok.text)
        return RuleSyntaxError("rule-syntax", f"{message}, found {found}", tok.pos)

    def nested(self) -> None:
        self.depth += 1
        if self.depth > self.max_depth:
            raise RuleSyntaxError(
                "rule-too-deep",
                f"the condition nests deeper than {self.max_depth} levels",
                self.tok.pos,
            )

    # ----------------------------------------------------------------- grammar

    def condition(self) -> Expr:
        expr = self.or_expr()
        if not self.at("end"):
            raise self.error("expected an operator or the end of the condition")
        return expr

    def or_expr(self) -> Expr:
        self.nested()
        left = self.and_expr()
        while self.at("name", "or"):
            pos = self.take().pos
            left = Logical(pos, "or", left, self.and_expr())
        self.depth -= 1
        return left

    def and_expr(self) -> Expr:
        left = self.not_expr()
        while self.at("name", "and"):
            pos = self.take().pos
            left = Logical(pos, "and", left, self.not_expr())
        return left

    def not_expr(self) -> Expr:
        if self.at("name", "not"):
            pos = self.take().pos
            self.nested()
            operand = self.not_expr()
            self.depth -= 1
            return Not(pos, operand)
        return self.comparison()

    def comparison(self) -> Expr:
        left = self.additive()
        tok = self.tok
        if tok.kind == "op" and tok.text in ("==", "!=", "<", "<=", ">", ">="):
            self.take()
            right = self.additive()
            if self.tok.kind == "op" and self.tok.text in ("==", "!=", "<", "<=", ">", ">="):
                raise self.error("comparisons cannot be chained; join them with 'and'")
            return Compare(tok.pos, tok.text, left, right)  # type: ignore[arg-type]
        negated = False
        if self.at("name", "not") and self.tokens[self.i + 1].text == "in":
            self.take()
            negated = True
        if self.at("name", "in"):
            pos = self.take().pos
            return InList(pos, left, self.options(), negated)
        if negated:
            raise self.error("expected 'in' after 'not'")
        return left

    def options(self) -> tuple[Expr, ...] | Param:
        if self.at("name") and self.tok.text not in KEYWORDS:
            tok = self.take()
            return Param(tok.pos, tok.text)
        self.expect("op", "[", "a list [...] or a list parameter after 'in'")
        return self.items("]")

    def items(self, close: str) -> tuple[Expr, ...]:
        items: list[Expr] = []
        if not self.at("op", close):
            items.append(self.or_expr())
            while self.at("op", ","):
                self.take()
                items.append(self.or_expr())
        self.expect("op", close, f"',' or {close!r}")
        return tuple(items)

    def additive(self) -> Expr:
        left = self.unary()
        while self.tok.kind == "op" and self.tok.text in ("+", "-"):
            tok = self.take()
            left = Binary(tok.pos, tok.text, left, self.unary())  # type: ignore[arg-type]
        return left

    def unary(self) -> Expr:
        if self.at("op", "-"):
            pos = self.take().pos
            self.nested()
            operand = self.unary()
            self.depth -= 1
            if isinstance(operand, Constant) and isinstance(operand.value, float):
                return Constant(pos, -operand.value)
            return Binary(pos, "-", Constant(pos, 0.0), operand)
        return self.primary()

    def primary(self) -> Expr:
        tok = self.tok
        if tok.kind == "number":
            self.take()
            return Constant(tok.pos, float(tok.text))
        if tok.kind == "string":
            self.take()
            return Constant(tok.pos, tok.text)
        if self.at("op", "("):
            self.take()
            expr = self.or_expr()
            self.expect("op", ")", "')'")
            return expr
        if tok.kind != "name" or tok.text in ("and", "or", "not", "in"):
            raise self.error("expected a value, a name or '('")
        self.take()
        if tok.text in ("true", "false"):
            return Constant(tok.pos, tok.text == "true")
        if self.at("op", "("):
            self.take()
            return Call(tok.pos, tok.text, self.items(")"))
        if self.at("op", "."):
            self.take()
            if not self.at("name"):
                raise self.error(f"expected an item name after '{tok.text}.'")
            item = self.take()
            if self.at("op", ".") or self.at("op", "("):
                raise self.error("only role.item may be written with a dot")
            return FieldRef(tok.pos, tok.text, item.text)
        return Param(tok.pos, tok.text)


def parse_condition(text: str, *, max_depth: int = DEFAULT_MAX_DEPTH) -> Expr:
    """Parse a condition into an (untyped) syntax tree.

    Args:
        text: the condition, e.g. ``age_on(child.birth_date, date(enrolment_year, 8, 31)) >= 6``.
        max_depth: the deepest nesting accepted.

    Raises:
        RuleSyntaxError: the text is empty, too long, or not a condition of the language.
    """
    if not text.strip():
        raise RuleSyntaxError("rule-syntax", "the condition is empty", 0)
    if len(text) > DEFAULT_MAX_CONDITION_LENGTH:
        raise RuleSyntaxError(
            "rule-too-long",
            f"the condition has {len(text)} characters; at most {DEFAULT_MAX_CONDITION_LENGTH}",
            DEFAULT_MAX_CONDITION_LENGTH,
        )
    return _Parser(text, max_depth).condition()
