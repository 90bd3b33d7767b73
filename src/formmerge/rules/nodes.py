"""The syntax tree of a rule condition, and the value types of the rule language.

Every node is a frozen dataclass. The parser (:mod:`formmerge.rules.language`) builds them
with ``type`` unset; the checker (:mod:`formmerge.rules.check`) returns a copy of the tree with
every ``type`` filled in, which the evaluators (:mod:`formmerge.rules.evaluate`,
:mod:`formmerge.rules.sql`) rely on.
"""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import dataclass
from datetime import date
from typing import Literal, TypeAlias

__all__ = [
    "BOOLEAN",
    "DATE",
    "FILE",
    "NUMBER",
    "STRING",
    "Binary",
    "Call",
    "Compare",
    "Constant",
    "Expr",
    "FieldRef",
    "InList",
    "Logical",
    "Not",
    "Param",
    "Type",
    "TypeName",
    "Value",
    "children",
    "field_refs",
    "list_of",
    "unparse",
]

TypeName = Literal["string", "number", "boolean", "date", "file", "list"]

Value: TypeAlias = str | float | bool | date
"""A value the language computes with (``None`` stands for unknown)."""


@dataclass(frozen=True)
class Type:
    """A value type. ``element`` is set for lists; ``code_list`` for enumerated strings."""

    name: TypeName
    element: Type | None = None
    code_list: str | None = None
    codes: frozenset[str] | None = None
    """The allowed codes of an enumerated item, to check literals compared with it."""

    def __str__(self) -> str:
        if self.name == "list":
            return f"list of {self.element}"
        return self.name

    def same_kind(self, other: Type) -> bool:
        """True if values of the two types can be compared (code lists aside)."""
        if self.name == "list" or other.name == "list":
            return (
                self.name == other.name
                and self.element is not None
                and other.element is not None
                and self.element.same_kind(other.element)
            )
        return self.name == other.name


STRING = Type("string")
NUMBER = Type("number")
BOOLEAN = Type("boolean")
DATE = Type("date")
FILE = Type("file")


def list_of(element: Type) -> Type:
    """The type of a list whose elements have type ``element``."""
    return Type("list", element=Type(element.name))


@dataclass(frozen=True)
class _Node:
    pos: int
    """Offset of the node's first character in the condition text."""


@dataclass(frozen=True)
class Constant(_Node):
    """A literal (``6``, ``"420502"``, ``true``) or a value computed from literals alone."""

    value: Value | tuple[Value, ...]
    type: Type | None = None


@dataclass(frozen=True)
class FieldRef(_Node):
    """A value of the application: ``role.item``, i.e. the merged field ``item@role``."""

    role: str
    item: str
    type: Type | None = None

    @property
    def field_id(self) -> str:
        """The merged field id, ``item@role``."""
        return f"{self.item}@{self.role}"


@dataclass(frozen=True)
class Param(_Node):
    """A parameter of the rule set (``enrolment_year``), bound when the rules are evaluated."""

    name: str
    type: Type | None = None


@dataclass(frozen=True)
class Call(_Node):
    """A call of one of the language's functions."""

    name: str
    args: tuple[Expr, ...]
    type: Type | None = None


@dataclass(frozen=True)
class Not(_Node):
    """``not operand``."""

    operand: Expr
    type: Type | None = None


@dataclass(frozen=True)
class Logical(_Node):
    """``left and right`` / ``left or right`` (three-valued)."""

    op: Literal["and", "or"]
    left: Expr
    right: Expr
    type: Type | None = None


@dataclass(frozen=True)
class Compare(_Node):
    """``left op right`` with one of ``== != < <= > >=``."""

    op: Literal["==", "!=", "<", "<=", ">", ">="]
    left: Expr
    right: Expr
    type: Type | None = None


@dataclass(frozen=True)
class Binary(_Node):
    """``left + right`` / ``left - right`` on numbers (``-x`` is ``0 - x``)."""

    op: Literal["+", "-"]
    left: Expr
    right: Expr
    type: Type | None = None


@dataclass(frozen=True)
class InList(_Node):
    """``needle in [a, b]`` / ``needle not in [a, b]``; the list holds constants."""

    needle: Expr
    options: tuple[Expr, ...] | Param
    negated: bool = False
    type: Type | None = None


Expr: TypeAlias = Constant | FieldRef | Param | Call | Not | Logical | Compare | Binary | InList


def children(node: Expr) -> Iterator[Expr]:
    """The direct sub-expressions of ``node``."""
    if isinstance(node, Call):
        yield from node.args
    elif isinstance(node, Not):
        yield node.operand
    elif isinstance(node, Logical | Compare | Binary):
        yield node.left
        yield node.right
    elif isinstance(node, InList):
        yield node.needle
        if isinstance(node.options, Param):
            yield node.options
        else:
            yield from node.options


def field_refs(node: Expr) -> Iterator[FieldRef]:
    """Every field reference in ``node``, depth first, left to right (with repeats)."""
    if isinstance(node, FieldRef):
        yield node
    for child in children(node):
        yield from field_refs(child)


def _constant_text(value: Value | tuple[Value, ...]) -> str:
    if isinstance(value, tuple):
        return "[" + ", ".join(_constant_text(v) for v in value) + "]"
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, float):
        return str(int(value)) if value.is_integer() else repr(value)
    if isinstance(value, date):
        return f'date("{value.isoformat()}")'
    escaped = value.replace("\\", "\\\\").replace('"', '\\"')
    return '"' + escaped.replace("\n", "\\n").replace("\t", "\\t") + '"'


_PRECEDENCE = {"or": 1, "and": 2, "not": 3, "compare": 4, "additive": 5, "atom": 6}


def _precedence(node: Expr) -> int:
    if isinstance(node, Logical):
        return _PRECEDENCE[node.op]
    if isinstance(node, Not):
        return _PRECEDENCE["not"]
    if isinstance(node, Compare | InList):
        return _PRECEDENCE["compare"]
    if isinstance(node, Binary):
        return _PRECEDENCE["additive"]
    return _PRECEDENCE["atom"]


def _wrapped(node: Expr, minimum: int) -> str:
    text = unparse(node)
    return f"({text})" if _precedence(node) < minimum else text


def unparse(node: Expr) -> str:
    """The canonical text of an expression (parsing it gives the same tree, positions aside)."""
    if isinstance(node, Constant):
        return _constant_text(node.value)
    if isinstance(node, FieldRef):
        return f"{node.role}.{node.item}"
    if isinstance(node, Param):
        return node.name
    if isinstance(node, Call):
        return f"{node.name}({', '.join(unparse(a) for a in node.args)})"
    if isinstance(node, Not):
        return "not " + _wrapped(node.operand, _PRECEDENCE["not"])
    if isinstance(node, Logical):
        level = _PRECEDENCE[node.op]
        return f"{_wrapped(node.left, level)} {node.op} {_wrapped(node.right, level + 1)}"
    if isinstance(node, Compare):
        level = _PRECEDENCE["additive"]
        return f"{_wrapped(node.left, level)} {node.op} {_wrapped(node.right, level)}"
    if isinstance(node, Binary):
        level = _PRECEDENCE["additive"]
        return f"{_wrapped(node.left, level)} {node.op} {_wrapped(node.right, level + 1)}"
    options = (
        node.options.name
        if isinstance(node.options, Param)
        else "[" + ", ".join(unparse(o) for o in node.options) + "]"
    )
    keyword = "not in" if node.negated else "in"
    return f"{_wrapped(node.needle, _PRECEDENCE['additive'])} {keyword} {options}"
