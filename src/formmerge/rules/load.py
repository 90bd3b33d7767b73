"""Reading and checking ``rules.yaml`` files.

A rules file declares the eligibility rules of one bundle or matter::

    id: school-enrolment
    title: 义务教育入学资格
    params:
      enrolment_year: 2026
      district: "420502"
    reads: [hukou_region_code@child]           # shared data checked that no form asks for
    rules:
      - id: child-age
        condition: age_on(child.birth_date, date(enrolment_year, 8, 31)) >= 6
        message:
          zh: 儿童须在入学当年8月31日前年满6周岁。
          en: The child must be at least 6 years old on 31 August of the enrolment year.
        forms: [primary-school-enrolment]      # optional: the matters the rule gates

Every rule is parsed, type-checked against the catalog and its constant parts computed when
the file is read. Every problem is reported, each naming the rule, its line and the offending
part of the condition, in one :class:`~formmerge.errors.RuleError`.
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Mapping, Sequence
from datetime import date
from pathlib import Path
from typing import Any

from pydantic import BaseModel, ConfigDict, ValidationError
from pydantic import Field as PydanticField
from yaml.nodes import Node, ScalarNode, SequenceNode

from formmerge.documents import Document, node_at, parse_document, read_document_text
from formmerge.errors import Location, Problem, RuleError
from formmerge.models import Catalog
from formmerge.rules.check import check_condition, scope_from_catalog, value_type
from formmerge.rules.evaluate import FoldError, fold
from formmerge.rules.language import KEYWORDS, RuleSyntaxError, parse_condition
from formmerge.rules.model import Rule, RuleSet
from formmerge.rules.nodes import Type

__all__ = ["RULES_FILE", "RULE_ID_PATTERN", "load_rules", "parse_rules"]

RULES_FILE = "rules.yaml"
"""The rules file of a bundle directory."""

RULE_ID_PATTERN = r"[a-z][a-z0-9]*([-_][a-z0-9]+)*"
"""Rule and rule-set ids: lower-case words joined by ``-`` or ``_``."""

_PARAM_NAME = re.compile(r"[a-z][a-z0-9]*(_[a-z0-9]+)*")
_ISO_DATE = re.compile(r"[0-9]{4}-[0-9]{2}-[0-9]{2}")
"""An unquoted parameter written so is a date (``cutoff: 2026-08-31``); quoted, it is text."""
_SNIPPET_LENGTH = 30


class _Frozen(BaseModel):
    model_config = ConfigDict(extra="forbid", frozen=True)


class _Message(_Frozen):
    zh: str = PydanticField(min_length=1)
    en: str = PydanticField(min_length=1)


class _RuleSpec(_Frozen):
    id: str = PydanticField(pattern=f"^{RULE_ID_PATTERN}$")
    condition: str
    message: _Message
    forms: tuple[str, ...] = ()
    description: str = ""


class _RuleFile(_Frozen):
    id: str = PydanticField(pattern=f"^{RULE_ID_PATTERN}$")
    title: str = ""
    params: dict[str, Any] = PydanticField(default_factory=dict)
    reads: tuple[str, ...] = ()
    rules: tuple[_RuleSpec, ...] = PydanticField(min_length=1)


class _Reader:
    def __init__(self, file: str | None, root: Node | None) -> None:
        self.file = file
        self.root = root
        self.problems: list[Problem] = []

    def location(self, path: Sequence[str | int], offset: int = 0) -> Location:
        node = node_at(self.root, path)
        line = None
        if node is not None:
            line = node.start_mark.line + 1
            if isinstance(node, ScalarNode) and node.style in ("|", ">"):
                line += 1 + (node.value[:offset].count("\n") if node.style == "|" else 0)
        pointer = "/" + "/".join(str(p) for p in path)
        return Location(file=self.file, line=line, pointer=pointer)

    def add(self, code: str, message: str, path: Sequence[str | int], offset: int = 0) -> None:
        self.problems.append(Problem(code, message, self.location(path, offset)))


def _snippet(text: str, pos: int) -> str:
    part = text[pos : pos + _SNIPPET_LENGTH].replace("\n", " ")
    return part + ("..." if len(text) > pos + _SNIPPET_LENGTH else "") if part else "<end>"


def _params(reader: _Reader, raw: Mapping[str, Any]) -> tuple[dict[str, Any], dict[str, Type]]:
    values: dict[str, Any] = {}
    types: dict[str, Type] = {}
    for name, value in raw.items():
        path = ("params", name)
        if not isinstance(name, str) or not _PARAM_NAME.fullmatch(name) or name in KEYWORDS:
            reader.add(
                "invalid-parameter",
                f"parameter name {name!r} must be lower-case words joined by '_' and not a keyword",
                path,
            )
            continue
        try:
            value = _dates(value, node_at(reader.root, path))
        except ValueError as exc:
            message = f"parameter {name!r} = {value!r} is not a date: {exc}"
            reader.add("invalid-parameter", message, path)
            continue
        t = value_type(value)
        if t is None:
            reader.add(
                "invalid-parameter",
                f"parameter {name!r} = {value!r}: a parameter is a number, text, true/false, "
                "a date, or a non-empty list of one of these",
                path,
            )
            continue
        values[name] = tuple(value) if isinstance(value, list) else value
        types[name] = t
    return values, types


def _reads(reader: _Reader, reads: Sequence[str], catalog: Catalog) -> tuple[str, ...]:
    """The declared verification items, each ``item@role`` naming a catalog item and role."""
    roles = {r.id for r in catalog.roles}
    good: list[str] = []
    for index, field_id in enumerate(reads):
        item, _, role = field_id.partition("@")
        try:
            allowed = catalog.item(item).roles
        except KeyError:
            allowed = None
        if allowed is None or role not in roles or role not in allowed:
            why = (
                f"no catalog item {item!r}"
                if allowed is None
                else f"{item} can be about {', '.join(allowed)}, not {role or '(no role)'}"
            )
            reader.add("unknown-field", f"reads names {field_id!r}: {why}", ("reads", index))
        else:
            good.append(field_id)
    return tuple(dict.fromkeys(good))


def _rule(
    reader: _Reader,
    index: int,
    spec: _RuleSpec,
    catalog: Catalog,
    params: tuple[dict[str, Any], dict[str, Type]],
    fields: Iterable[str] | None,
) -> Rule | None:
    path: tuple[str | int, ...] = ("rules", index, "condition")
    count = len(reader.problems)
    try:
        parsed = parse_condition(spec.condition)
    except RuleSyntaxError as exc:
        reader.add(
            exc.code,
            f"rule {spec.id!r}: {exc.message} (at: {_snippet(spec.condition, exc.pos)})",
            path,
            exc.pos,
        )
        return None
    typed, problems = check_condition(parsed, scope_from_catalog(catalog, params[1], fields))
    for p in problems:
        reader.add(
            p.code,
            f"rule {spec.id!r}: {p.message} (at: {_snippet(spec.condition, p.pos)})",
            path,
            p.pos,
        )
    if len(reader.problems) == count:
        try:
            fold(typed, params[0], date.today())
        except FoldError as exc:
            reader.add("invalid-constant", f"rule {spec.id!r}: {exc.message}", path, exc.pos)
    if len(reader.problems) > count:
        return None
    return Rule(
        id=spec.id,
        condition=spec.condition,
        expression=typed,
        message_zh=spec.message.zh,
        message_en=spec.message.en,
        forms=spec.forms,
        description=spec.description,
        line=reader.location(path).line,
    )


def _dates(value: Any, node: Node | None) -> Any:
    """``value`` with every unquoted ``YYYY-MM-DD`` text of a parameter read as a date.

    The document reader keeps dates as text (YAML 1.2); a parameter's date is written unquoted,
    so its node says which texts were dates. Raises ValueError for an impossible date.
    """
    if isinstance(value, str) and _is_plain(node) and _ISO_DATE.fullmatch(value):
        return date.fromisoformat(value)
    if isinstance(value, list) and isinstance(node, SequenceNode):
        return [_dates(v, n) for v, n in zip(value, node.value, strict=False)]
    return value


def _is_plain(node: Node | None) -> bool:
    # libyaml marks a plain scalar's style "", PyYAML's pure parser None.
    return isinstance(node, ScalarNode) and not node.style


def _read(text: str, file: str | None) -> Document:
    return parse_document(text, file or "<rules>", error=RuleError)


def parse_rules(
    source: str | Mapping[str, Any],
    catalog: Catalog | None = None,
    *,
    file: str | None = None,
    fields: Iterable[str] | None = None,
) -> RuleSet:
    """Read and check a rule set from YAML text or from already loaded data.

    Args:
        source: the YAML text of a rules file, or its content as a mapping.
        catalog: the catalog whose items and roles the rules name; the shipped one by default.
        file: the file name to put in problem locations.
        fields: the merged field ids of the application; a rule reading a field outside them
            and the file's ``reads`` is an error.

    Raises:
        RuleError: with one problem per malformed, unsafe or ill-typed part, each naming the
            rule and the line.
    """
    if catalog is None:
        from formmerge.catalog import load_catalog

        catalog = load_catalog()
    if isinstance(source, str):
        document = _read(source, file)
        raw, root, duplicates = document.data, document.root, document.problems
    else:
        raw, root, duplicates = source, None, []
    reader = _Reader(file, root)
    reader.problems.extend(duplicates)
    try:
        spec = _RuleFile.model_validate(raw)
    except ValidationError as exc:
        for error in exc.errors():
            loc = tuple(error["loc"])
            reader.add("invalid-rules", f"{error['msg']} at {'/'.join(map(str, loc))}", loc)
        raise RuleError(f"invalid rules file {file or ''}".strip(), reader.problems) from None
    params = _params(reader, spec.params)
    reads = _reads(reader, spec.reads, catalog)
    if fields is not None:
        fields = [*fields, *reads]
    rules: list[Rule] = []
    seen: set[str] = set()
    for index, rule_spec in enumerate(spec.rules):
        if rule_spec.id in seen:
            reader.add(
                "duplicate-rule", f"rule id {rule_spec.id!r} is used twice", ("rules", index)
            )
        seen.add(rule_spec.id)
        rule = _rule(reader, index, rule_spec, catalog, params, fields)
        if rule is not None:
            rules.append(rule)
    if reader.problems:
        raise RuleError(f"rules {spec.id!r} have problems", reader.problems)
    return RuleSet(
        id=spec.id,
        rules=tuple(rules),
        params=params[0],
        param_types=params[1],
        reads=reads,
        title=spec.title,
        source_file=file,
    )


def load_rules(
    path: str | Path,
    catalog: Catalog | None = None,
    *,
    fields: Iterable[str] | None = None,
) -> RuleSet:
    """Read and check a rules file, or the ``rules.yaml`` of a bundle directory.

    Raises:
        RuleError: the file is missing, not YAML, or has malformed, unsafe or ill-typed rules.
    """
    p = Path(path)
    if p.is_dir():
        p = p / RULES_FILE
    text = read_document_text(p, str(p), error=RuleError)
    return parse_rules(text, catalog, file=str(p), fields=fields)
