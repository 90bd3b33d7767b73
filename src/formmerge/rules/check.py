"""Type checking of rule conditions against the catalog, the parameters and the application.

:func:`check_condition` returns a copy of the parsed tree with every node's ``type`` set, and
the problems it found: unknown roles, items, parameters and functions, roles an item cannot be
about, values of the application that the rule may not read, codes outside an item's code
list, and type mismatches (a date compared with a number, ``and`` over a number ...).
"""

from __future__ import annotations

import difflib
from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field, replace
from datetime import date

from formmerge.models import Catalog, CatalogItem
from formmerge.rules.functions import FUNCTIONS, ArgType
from formmerge.rules.nodes import (
    BOOLEAN,
    DATE,
    FILE,
    NUMBER,
    STRING,
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
    Type,
    Value,
    field_refs,
    list_of,
)

__all__ = [
    "CheckProblem",
    "Scope",
    "check_condition",
    "item_type",
    "scope_from_catalog",
    "value_type",
]

_ITEM_TYPES: dict[str, Type] = {
    "string": STRING,
    "integer": NUMBER,
    "number": NUMBER,
    "boolean": BOOLEAN,
    "date": DATE,
    "datetime": DATE,
    "enum": STRING,
    "file": FILE,
}
_ORDERED = ("number", "date")
_EQUATABLE = ("string", "number", "date", "boolean")


@dataclass(frozen=True)
class CheckProblem:
    """One problem in a condition: a kebab-case code, a message, and the character offset."""

    code: str
    message: str
    pos: int


@dataclass(frozen=True)
class ItemInfo:
    """What the checker needs to know of a catalog item."""

    type: Type
    roles: tuple[str, ...]


@dataclass(frozen=True)
class Scope:
    """What a condition may name: items and roles, parameters, and the application's fields.

    ``fields`` is ``None`` when any field of the catalog may be read (checking a rules file on
    its own); otherwise the set of merged field ids (``item@role``) the application holds.
    """

    items: Mapping[str, ItemInfo]
    roles: frozenset[str]
    params: Mapping[str, Type] = field(default_factory=dict)
    fields: frozenset[str] | None = None


def item_type(item: CatalogItem, catalog: Catalog) -> Type:
    """The rule-language type of a catalog item (enumerations carry their code list)."""
    base = _ITEM_TYPES[item.type]
    if item.code_list is None:
        return base
    try:
        codes = frozenset(c.code for c in catalog.code_list(item.code_list).codes)
    except KeyError:
        codes = None
    return Type(base.name, code_list=item.code_list, codes=codes)


def value_type(value: object) -> Type | None:
    """The type of a parameter value, or None if the language has no such value."""
    if isinstance(value, bool):
        return BOOLEAN
    if isinstance(value, int | float):
        return NUMBER
    if isinstance(value, str):
        return STRING
    if isinstance(value, date):
        return DATE
    if isinstance(value, list | tuple) and value:
        types = {value_type(v) for v in value}
        if len(types) == 1 and (element := types.pop()) is not None and element.name != "list":
            return list_of(element)
    return None


def scope_from_catalog(
    catalog: Catalog, params: Mapping[str, Type] | None = None, fields: Iterable[str] | None = None
) -> Scope:
    """The scope of rules over ``catalog``'s items and roles."""
    items = {i.id: ItemInfo(item_type(i, catalog), i.roles) for i in catalog.items}
    return Scope(
        items=items,
        roles=frozenset(r.id for r in catalog.roles),
        params=dict(params or {}),
        fields=None if fields is None else frozenset(fields),
    )


def _suggest(name: str, known: Iterable[str]) -> str:
    close = difflib.get_close_matches(name, sorted(known), n=3, cutoff=0.7)
    return f"; did you mean {', '.join(close)}?" if close else ""


class _Checker:
    def __init__(self, scope: Scope) -> None:
        self.scope = scope
        self.problems: list[CheckProblem] = []

    def fail(self, node: Expr, code: str, message: str) -> None:
        self.problems.append(CheckProblem(code, message, node.pos))

    def check(self, node: Expr) -> tuple[Expr, Type | None]:
        """The typed node and its type (None if it could not be typed)."""
        if isinstance(node, Constant):
            t = value_type(node.value)
            return replace(node, type=t), t
        if isinstance(node, FieldRef):
            t = self.field(node)
        elif isinstance(node, Param):
            t = self.param(node)
        elif isinstance(node, Call):
            return self.call(node)
        elif isinstance(node, Not):
            operand, ot = self.check(node.operand)
            self.want(node.operand, ot, BOOLEAN, "'not'")
            return replace(node, operand=operand, type=BOOLEAN), BOOLEAN
        elif isinstance(node, Logical):
            left, lt = self.check(node.left)
            right, rt = self.check(node.right)
            self.want(node.left, lt, BOOLEAN, f"'{node.op}'")
            self.want(node.right, rt, BOOLEAN, f"'{node.op}'")
            return replace(node, left=left, right=right, type=BOOLEAN), BOOLEAN
        elif isinstance(node, Compare):
            return self.compare(node)
        elif isinstance(node, Binary):
            left, lt = self.check(node.left)
            right, rt = self.check(node.right)
            self.want(node.left, lt, NUMBER, f"'{node.op}'")
            self.want(node.right, rt, NUMBER, f"'{node.op}'")
            return replace(node, left=left, right=right, type=NUMBER), NUMBER
        else:
            return self.in_list(node)
        return replace(node, type=t), t

    def want(self, node: Expr, got: Type | None, wanted: Type, what: str) -> None:
        if got is not None and not got.same_kind(wanted):
            self.fail(node, "type-mismatch", f"{what} needs a {wanted}, not a {got}")

    def field(self, node: FieldRef) -> Type | None:
        scope, ref = self.scope, f"{node.role}.{node.item}"
        if node.role not in scope.roles:
            known = ", ".join(sorted(scope.roles))
            self.fail(
                node,
                "unknown-role",
                f"unknown role {node.role!r} in {ref}{_suggest(node.role, scope.roles)} "
                f"(roles: {known})",
            )
            return None
        info = scope.items.get(node.item)
        if info is None:
            hint = _suggest(node.item, scope.items)
            self.fail(node, "unknown-item", f"unknown catalog item {node.item!r} in {ref}{hint}")
            return None
        if node.role not in info.roles:
            allowed = ", ".join(info.roles)
            self.fail(
                node,
                "role-not-allowed",
                f"{node.item} can be about {allowed}, not {node.role} ({ref})",
            )
            return None
        if scope.fields is not None and node.field_id not in scope.fields:
            self.fail(
                node,
                "not-in-application",
                f"{ref} ({node.field_id}) is not a field of this application; a rule may read "
                "only the values its application holds",
            )
        return info.type

    def param(self, node: Param) -> Type | None:
        t = self.scope.params.get(node.name)
        if t is None:
            hint = _suggest(node.name, self.scope.params)
            self.fail(
                node,
                "unknown-name",
                f"unknown name {node.name!r}: not a parameter of the rule set{hint} "
                "(declare it under 'params', or write role.item to read a value)",
            )
        return t

    def call(self, node: Call) -> tuple[Expr, Type | None]:
        fn = FUNCTIONS.get(node.name)
        typed = [self.check(a) for a in node.args]
        args = tuple(a for a, _ in typed)
        types = [t for _, t in typed]
        if fn is None:
            known = ", ".join(sorted(FUNCTIONS))
            self.fail(
                node,
                "unknown-function",
                f"unknown function {node.name!r}{_suggest(node.name, FUNCTIONS)} "
                f"(functions: {known})",
            )
            return replace(node, args=args), None
        signatures = [fn.params] + ([fn.also] if fn.also else [])
        if fn.variadic:
            signatures = [
                fn.params[:-1] + (fn.params[-1],) * max(1, len(args) - len(fn.params) + 1)
            ]
        matching = [s for s in signatures if self.fits(s, types)]
        if not matching:
            self.fail(
                node,
                "type-mismatch" if any(len(s) == len(args) for s in signatures) else "arity",
                f"{node.name}() takes {' or '.join(_shape(s) for s in signatures)}; "
                f"got ({', '.join(str(t or '?') for t in types)}); signature {fn.signature}",
            )
        if fn.constant and any(True for a in args for _ in field_refs(a)):
            self.fail(
                node,
                "not-constant",
                f"{node.name}() takes constants, not values of the application",
            )
        for a, t in zip(args, types, strict=True):
            if t is not None and t.name == "list":
                self.fail(a, "type-mismatch", f"{node.name}() does not take a list")
        result = fn.returns
        if result is None:
            result = next((t for t in types if t is not None), None)
            result = None if result is None else Type(result.name)
        return replace(node, args=args, type=result), result

    @staticmethod
    def fits(signature: tuple[ArgType, ...], types: list[Type | None]) -> bool:
        if len(signature) != len(types):
            return False
        same = {t.name for s, t in zip(signature, types, strict=True) if s == "same" and t}
        if len(same) > 1:
            return False
        return all(
            t is None or s in ("any", "same") or t.name == s
            for s, t in zip(signature, types, strict=True)
        )

    def compare(self, node: Compare) -> tuple[Expr, Type | None]:
        left, lt = self.check(node.left)
        right, rt = self.check(node.right)
        if lt is not None and rt is not None:
            if not lt.same_kind(rt):
                self.fail(node, "type-mismatch", f"cannot compare a {lt} with a {rt} ({node.op})")
            elif node.op in ("<", "<=", ">", ">=") and lt.name not in _ORDERED:
                self.fail(node, "type-mismatch", f"{node.op} orders numbers and dates, not a {lt}")
            elif lt.name not in _EQUATABLE:
                self.fail(node, "type-mismatch", f"a {lt} cannot be compared")
            self.codes(lt, right)
            self.codes(rt, left)
        return replace(node, left=left, right=right, type=BOOLEAN), BOOLEAN

    def codes(self, enum: Type, other: Expr) -> None:
        """Fail if a constant compared with an enumerated item is not one of its codes."""
        if enum.codes is None or not isinstance(other, Constant):
            return
        values: tuple[Value, ...] = (
            other.value if isinstance(other.value, tuple) else (other.value,)
        )
        for v in values:
            if isinstance(v, str) and v not in enum.codes:
                shown = ", ".join(sorted(enum.codes)[:12])
                self.fail(
                    other,
                    "unknown-code",
                    f"{v!r} is not a code of {enum.code_list} (codes: {shown}"
                    f"{' ...' if len(enum.codes) > 12 else ''})",
                )

    def in_list(self, node: InList) -> tuple[Expr, Type | None]:
        needle, nt = self.check(node.needle)
        if nt is not None and nt.name not in _EQUATABLE:
            self.fail(
                node.needle,
                "type-mismatch",
                f"'in' looks up strings, numbers, dates or booleans, not a {nt}",
            )
        if isinstance(node.options, Param):
            options_node, ot = self.check(node.options)
            if ot is not None and ot.name != "list":
                self.fail(
                    node.options,
                    "type-mismatch",
                    f"'in' needs a list; {node.options.name} is a {ot}",
                )
            elif ot is not None and nt is not None and ot.element and not nt.same_kind(ot.element):
                self.fail(node, "type-mismatch", f"cannot look up a {nt} in a {ot}")
            options: tuple[Expr, ...] | Param = options_node  # type: ignore[assignment]
        else:
            typed = []
            for option in node.options:
                if any(True for _ in field_refs(option)):
                    self.fail(
                        option,
                        "not-constant",
                        "the list after 'in' holds constants, not values of the application",
                    )
                o, ot = self.check(option)
                typed.append(o)
                if ot is not None and nt is not None and not nt.same_kind(ot):
                    self.fail(option, "type-mismatch", f"cannot look up a {nt} among {ot}s")
                if nt is not None:
                    self.codes(nt, o)
            options = tuple(typed)
            if not options:
                self.fail(node, "rule-syntax", "the list after 'in' is empty")
        return replace(node, needle=needle, options=options, type=BOOLEAN), BOOLEAN


def _shape(signature: tuple[ArgType, ...]) -> str:
    return "(" + ", ".join(signature) + ")"


def check_condition(expr: Expr, scope: Scope) -> tuple[Expr, list[CheckProblem]]:
    """Type-check a parsed condition.

    Returns:
        The tree with every node typed, and the problems found (empty if the condition is well
        typed and names only what ``scope`` allows). A condition must be a boolean.
    """
    checker = _Checker(scope)
    typed, t = checker.check(expr)
    if t is not None and t != BOOLEAN and not t.same_kind(BOOLEAN):
        checker.fail(expr, "type-mismatch", f"a condition must be true or false; this one is a {t}")
    return typed, checker.problems
