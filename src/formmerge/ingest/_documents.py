"""YAML and JSON documents with the line of every value.

Form files are parsed into plain data plus a map from each JSON pointer in the document to the
line it starts on, so that a problem found later can say "forms/hukou.yaml:23".

YAML is read with a loader close to the YAML 1.2 core schema: ``yes``/``no``/``on``/``off``
stay strings, numbers with leading zeros (option codes such as ``01``) stay strings, dates stay
strings, and mapping keys are always the text written in the file (``{1: 男}`` has the key
``"1"``).
"""

from __future__ import annotations

import json
import re
import sys
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import yaml
from yaml.nodes import MappingNode, Node, ScalarNode, SequenceNode

from formmerge.errors import FormError, Location, Problem
from formmerge.ingest._problems import make_problem

__all__ = ["Document", "document_from_data", "escape", "join_pointer", "parse_text", "read_text"]

_DROPPED_TAGS = {
    "tag:yaml.org,2002:int",
    "tag:yaml.org,2002:bool",
    "tag:yaml.org,2002:timestamp",
    "tag:yaml.org,2002:value",
}
_MERGE_TAG = "tag:yaml.org,2002:merge"
_LONG_NUMBER = f"a number has more than {sys.get_int_max_str_digits()} digits and cannot be read"


class _FormLoader(yaml.SafeLoader):
    """A safe loader with YAML 1.2-like scalars and mapping keys kept as written."""

    def construct_mapping(self, node: MappingNode, deep: bool = False) -> dict[Any, Any]:
        self.flatten_mapping(node)
        mapping: dict[Any, Any] = {}
        for key_node, value_node in node.value:
            if isinstance(key_node, ScalarNode):
                key: Any = key_node.value
            else:
                key = self.construct_object(key_node, deep=deep)
            if not isinstance(key, str | int | float | bool | tuple | None):
                raise yaml.constructor.ConstructorError(
                    "while constructing a mapping",
                    node.start_mark,
                    "found an unhashable key",
                    key_node.start_mark,
                )
            mapping[key] = self.construct_object(value_node, deep=deep)
        return mapping


_FormLoader.yaml_implicit_resolvers = {
    first: [(tag, rx) for tag, rx in resolvers if tag not in _DROPPED_TAGS]
    for first, resolvers in yaml.SafeLoader.yaml_implicit_resolvers.items()
}
_FormLoader.add_implicit_resolver(
    "tag:yaml.org,2002:bool", re.compile(r"^(?:true|True|TRUE|false|False|FALSE)$"), list("tTfF")
)
_FormLoader.add_implicit_resolver(
    "tag:yaml.org,2002:int", re.compile(r"^[-+]?(?:0|[1-9][0-9]*)$"), list("-+0123456789")
)


@dataclass(frozen=True)
class Document:
    """Parsed form data, where each value came from, and problems found while parsing.

    Attributes:
        file: the file name used in problem locations.
        data: the parsed data.
        lines: every JSON pointer in ``data`` mapped to its 1-based line (None if unknown).
        problems: problems found while parsing that do not stop reading (duplicate keys).
    """

    file: str
    data: Any
    lines: dict[str, int | None] = field(default_factory=dict)
    problems: list[Problem] = field(default_factory=list)

    def nearest(self, pointer: str) -> tuple[str, int | None]:
        """The longest prefix of ``pointer`` present in the document, and its line."""
        while pointer and pointer not in self.lines:
            pointer = pointer.rsplit("/", 1)[0]
        return pointer, self.lines.get(pointer)


def escape(segment: str | int) -> str:
    """One JSON pointer segment (RFC 6901): ``~`` and ``/`` escaped."""
    return str(segment).replace("~", "~0").replace("/", "~1")


def join_pointer(base: str, *segments: str | int) -> str:
    """``base`` extended by ``segments``, each escaped."""
    return base + "".join("/" + escape(s) for s in segments)


def read_text(path: Path, file: str) -> str:
    """The UTF-8 text of a YAML or JSON form file; raises :class:`FormError` if unreadable."""
    try:
        raw = path.read_bytes()
    except OSError as e:
        raise _error(file, "unreadable-file", f"cannot read the file: {e.strerror}", None) from e
    try:
        return raw.decode("utf-8-sig")
    except UnicodeDecodeError as e:
        line = raw[: e.start].count(b"\n") + 1
        raise _error(file, "encoding-error", "the file is not UTF-8 text", line) from e


def parse_text(text: str, file: str, *, json_syntax: bool) -> Document:
    """Parse YAML or JSON text; raises :class:`FormError` on a syntax error.

    JSON is parsed by the json module (so its syntax rules apply); its lines are then taken
    from a YAML composition of the same text, of which JSON is nearly always a subset.
    """
    if json_syntax:
        try:
            data = json.loads(text)
        except json.JSONDecodeError as e:
            message = f"invalid JSON: {e.msg} (line {e.lineno}, column {e.colno})"
            raise _error(file, "syntax-error", message, e.lineno) from e
        except ValueError as e:  # an integer with more digits than Python converts
            raise _error(file, "syntax-error", _LONG_NUMBER, None) from e
        try:
            node = _compose(text)
        except yaml.YAMLError:
            return document_from_data(data, file)
        return _document(file, data, node)
    loader = _FormLoader(text)
    try:
        node = loader.get_single_node()
        document = _document(file, None, node)
        # Lines are taken before construction, which rewrites merge keys (<<) in place.
        data = None if node is None else loader.construct_document(node)
    except yaml.MarkedYAMLError as e:
        mark = e.problem_mark or e.context_mark
        where = f" (line {mark.line + 1}, column {mark.column + 1})" if mark else ""
        message = f"invalid YAML: {e.problem or e.context}{where}"
        raise _error(file, "syntax-error", message, mark.line + 1 if mark else None) from e
    except yaml.YAMLError as e:
        raise _error(file, "syntax-error", f"invalid YAML: {e}", None) from e
    except ValueError as e:  # an integer with more digits than Python converts
        raise _error(file, "syntax-error", _LONG_NUMBER, None) from e
    finally:
        loader.dispose()
    return Document(file, data, document.lines, document.problems)


def document_from_data(data: Any, file: str) -> Document:
    """A document for data that was not read from text (no line numbers)."""
    lines: dict[str, int | None] = {}
    _walk_data(data, "", lines)
    return Document(file, data, lines)


def _compose(text: str) -> Node | None:
    loader = _FormLoader(text)
    try:
        return loader.get_single_node()
    finally:
        loader.dispose()


def _document(file: str, data: Any, node: Node | None) -> Document:
    lines: dict[str, int | None] = {}
    problems: list[Problem] = []
    if node is not None:
        lines[""] = node.start_mark.line + 1
        _walk_node(node, "", lines, problems, file, set())
    return Document(file, data, lines, problems)


def _walk_node(
    node: Node,
    pointer: str,
    lines: dict[str, int | None],
    problems: list[Problem],
    file: str,
    active: set[int],
) -> None:
    if id(node) in active:  # a recursive alias; the construction step rejects nothing here
        return
    active.add(id(node))
    if isinstance(node, MappingNode):
        for key_node, value_node in node.value:
            if not isinstance(key_node, ScalarNode) or key_node.tag == _MERGE_TAG:
                continue
            child = join_pointer(pointer, key_node.value)
            line = key_node.start_mark.line + 1
            if child in lines:
                message = (
                    f"key {key_node.value!r} appears twice; the first is on line {lines[child]}"
                )
                location = Location(file=file, line=line, pointer=child)
                problems.append(make_problem("duplicate-mapping-key", message, location))
            lines[child] = line
            _walk_node(value_node, child, lines, problems, file, active)
    elif isinstance(node, SequenceNode):
        for index, item in enumerate(node.value):
            child = join_pointer(pointer, index)
            lines[child] = item.start_mark.line + 1
            _walk_node(item, child, lines, problems, file, active)
    active.discard(id(node))


def _walk_data(data: Any, pointer: str, lines: dict[str, int | None]) -> None:
    lines[pointer] = None
    if isinstance(data, dict):
        for key, value in data.items():
            _walk_data(value, join_pointer(pointer, str(key)), lines)
    elif isinstance(data, list):
        for index, value in enumerate(data):
            _walk_data(value, join_pointer(pointer, index), lines)


def _error(file: str, code: str, message: str, line: int | None) -> FormError:
    problem = make_problem(code, message, Location(file=file, line=line))
    return FormError(f"cannot read the form in {file}", [problem])
