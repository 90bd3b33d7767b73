"""The cases a JSON Schema property is asked in: conditions, their names, and how they fold.

A property defined under an alternative (``oneOf``/``anyOf``), a ``then``/``else`` or a
``dependentSchemas`` entry is asked only when that branch holds. Each definition of it is a
:class:`Variant` carrying the :class:`Condition` path that leads to it; the field built from
the variants names the cases it is asked in, after folding away alternatives that together
cover a whole ``oneOf``/``anyOf`` (a property every alternative defines is always asked).
"""

from __future__ import annotations

from dataclasses import dataclass, replace
from typing import Any

from formmerge.ingest._schema_fields import code_text
from formmerge.ingest._schema_refs import Part, SchemaAt, SchemaNode

__all__ = [
    "Condition",
    "Conditions",
    "Properties",
    "Scope",
    "Variant",
    "alternative_label",
    "describe",
    "fold",
    "test_label",
]


@dataclass(frozen=True)
class Condition:
    """One branch a part of the schema sits in."""

    label: str
    """How a reader of the form would say it: ``country = CAN``, ``not (homeless = true)``."""
    group: str | None = None
    """The pointer of the oneOf/anyOf this is an alternative of (None for other branches)."""
    index: int = 0
    count: int = 0


Conditions = tuple[Condition, ...]
"""Branches that must all hold (outermost first); ``()`` is unconditional."""


@dataclass(frozen=True)
class Variant:
    """One definition of a property: its schemas (all of which apply) and where it sits."""

    schemas: tuple[SchemaAt, ...]
    conditions: Conditions
    required: bool
    """Whether the object defining it requires it (in this branch)."""
    refs: tuple[str, ...]
    title: str | None = None
    """A label for a field that has no title of its own (an array's title, for its items)."""

    @property
    def pointer(self) -> str:
        """Where the (first) definition is."""
        return self.schemas[0].pointer


Properties = dict[str, list[Variant]]
"""Property name -> its definitions, in the order they were read."""


@dataclass(frozen=True)
class Scope:
    """Where the properties of an object (and of its branches) are being gathered."""

    into: Properties
    conditions: Conditions = ()
    required: frozenset[str] = frozenset()
    """Names the enclosing object requires whichever branch holds."""
    depth: int = 0
    """How many branches and wrappers deep this object's reading is."""

    def under(self, condition: Condition, required: frozenset[str]) -> Scope:
        """The scope of a branch of this object."""
        conditions = (*self.conditions, condition)
        return replace(self, conditions=conditions, required=required, depth=self.depth + 1)

    def inside(self) -> Scope:
        """The scope of a wrapper whose properties are this object's."""
        return replace(self, depth=self.depth + 1)


def alternative_label(node: SchemaNode, keyword: str, index: int, count: int) -> str:
    """An alternative's name: its title, else the values it pins, else its place."""
    title = node.keywords.get("title")
    if isinstance(title, str) and title.strip():
        return title.strip()
    pinned = ", ".join(
        text for part in node.collected("properties") if (text := _pinned(part.value))
    )
    return pinned or f"{keyword} alternative {index + 1} of {count}"


def test_label(test: Part) -> str:
    """What an ``if`` tests, in words: the values it pins, else the names it requires."""
    schema = test.value
    words = ""
    if isinstance(schema, dict):
        words = _pinned(schema.get("properties"))
        required = schema.get("required")
        if not words and isinstance(required, list) and required:
            words = " and ".join(f"{n} is given" for n in required if isinstance(n, str))
    return words or f"the condition at {test.pointer} holds"


def describe(conditions: Conditions) -> str:
    """The branches of one case, joined by ``and``."""
    return " and ".join(c.label for c in conditions)


def fold(cases: list[tuple[Conditions, bool]]) -> tuple[list[Conditions], bool]:
    """The distinct cases a field is asked in, and whether it is always asked and required.

    Args:
        cases: for each variant, its conditions and whether its object requires it there.

    Returns:
        ``([], required)`` when the field is asked unconditionally (alternatives covering a
        whole oneOf/anyOf fold into their enclosing case, required if every one requires it);
        otherwise the cases, and False.
    """
    current = list(dict.fromkeys(cases))
    while (folded := _fold_one(current)) is not None:
        current = folded
    if any(not conditions for conditions, _ in current):
        return [], any(required for conditions, required in current if not conditions)
    return [conditions for conditions, _ in current], False


def _fold_one(cases: list[tuple[Conditions, bool]]) -> list[tuple[Conditions, bool]] | None:
    """The cases with one complete set of alternatives folded, or None if there is none."""
    members: dict[tuple[Conditions, str], dict[int, bool]] = {}
    counts: dict[str, int] = {}
    for conditions, required in cases:
        last = conditions[-1] if conditions else None
        if last is not None and last.group is not None:
            seen = members.setdefault((conditions[:-1], last.group), {})
            seen[last.index] = seen.get(last.index, True) and required
            counts[last.group] = last.count
    for (prefix, group), seen in members.items():
        if len(seen) == counts[group]:
            rest = [
                case for case in cases
                if not (case[0] and case[0][:-1] == prefix and case[0][-1].group == group)
            ]  # fmt: skip
            return list(dict.fromkeys([*rest, (prefix, all(seen.values()))]))
    return None


def _pinned(properties: Any) -> str:
    """``name = value`` for each property a schema pins to one value (const or enum of one)."""
    if not isinstance(properties, dict):
        return ""
    pinned = []
    for name, schema in properties.items():
        if not isinstance(schema, dict):
            continue
        values = [schema["const"]] if "const" in schema else schema.get("enum")
        if isinstance(values, list) and len(values) == 1:
            text = code_text(values[0])
            if text is not None:
                pinned.append(f"{name} = {text}")
    return ", ".join(pinned)
