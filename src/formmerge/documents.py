"""One safe reader for every YAML and JSON file formmerge reads, with the line of every value.

Forms, catalog files, source configurations, decisions, bundles and rules are all read here, so
that every file kind follows the same rules and reports the same failure with the same code:

* **YAML 1.2 core scalars.** ``yes``/``no``/``on``/``off`` are text, ``true``/``false`` are
  booleans; there are no sexagesimal numbers (``1:20`` is text) and no timestamps (``2026-08-31``
  stays text for the caller to parse, so an impossible date is the caller's located problem,
  not a crash). Numbers with leading zeros (option codes such as ``01``), octal and hexadecimal
  stay text too, and so does anything PyYAML writes unquoted as text (``1e5``): a decimal
  number has a point, its exponent a sign (``1.5e+3``). Mapping keys are always the text
  written in the file (``{1: 男}`` has the key ``"1"``).
* **Duplicate keys** are problems naming both lines (``Document.problems``), never resolved
  silently: the caller reports them with its own problems.
* **Bounded input** (:class:`~formmerge.settings.DocumentLimits`): the file size, the nesting
  depth, the number of aliases and the values they add when expanded (a 700-byte "billion
  laughs" file is refused at once), and the digits of an integer.
* **Clean text**: UTF-8 (a byte-order mark is allowed); control characters are refused with
  their line and column.

Every refusal raises the caller's :class:`~formmerge.errors.FormmergeError` subclass with one
located :class:`~formmerge.errors.Problem`. JSON is parsed by the json module (its syntax rules
apply: ``NaN`` and ``Infinity`` are not JSON); its lines come from a YAML composition of the same
text, of which JSON is nearly always a subset.
"""

from __future__ import annotations

import json
import os
import re
from collections.abc import Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import TYPE_CHECKING, Any, NoReturn, cast

import yaml
from yaml.composer import Composer
from yaml.constructor import SafeConstructor
from yaml.nodes import MappingNode, Node, ScalarNode, SequenceNode
from yaml.resolver import Resolver

from formmerge.errors import FormmergeError, Location, Problem
from formmerge.problem_codes import problem
from formmerge.settings import DEFAULT_DOCUMENT_LIMITS, DocumentLimits

__all__ = [
    "Document",
    "document_from_data",
    "escape",
    "join_pointer",
    "node_at",
    "parse_document",
    "read_document",
    "read_document_text",
]

_DROPPED_TAGS = {
    "tag:yaml.org,2002:int",
    "tag:yaml.org,2002:float",
    "tag:yaml.org,2002:bool",
    "tag:yaml.org,2002:timestamp",
    "tag:yaml.org,2002:value",
}
_MERGE_TAG = "tag:yaml.org,2002:merge"
_NON_PRINTABLE = re.compile(
    "[^\x09\x0a\x0d\x20-\x7e\x85\xa0-\ud7ff\ue000-\ufffd\U00010000-\U0010ffff]"
)
"""Characters YAML does not allow in a file (JSON allows none of them unescaped either)."""
_JSON_TOKENS = re.compile(r'"(?:[^"\\]|\\.)*"|[\[\]{}]')
_UTF16_BOMS = (b"\xff\xfe", b"\xfe\xff")


class _Refused(Exception):
    """A limit or rule of the reader broken while parsing: becomes one located problem."""

    def __init__(self, code: str, message: str, line: int | None) -> None:
        super().__init__(message)
        self.code, self.message, self.line = code, message, line


def _libyaml_parsing() -> type[yaml.SafeLoader]:
    """libyaml's scanner and parser (C) under PyYAML's composer and constructor (Python).

    ``yaml.CSafeLoader`` composes nodes in C, where neither depth nor aliases can be bounded;
    here only the parsing is in C (eight times faster than the pure parser on real forms), and
    nodes are composed by :class:`_Loader`, which counts as it goes. Without libyaml, the pure
    parser does the same, slower.
    """
    try:
        from yaml._yaml import CParser
    except ImportError:
        return yaml.SafeLoader

    class LibyamlParsing(Composer, CParser, SafeConstructor, Resolver):
        def __init__(self, text: str) -> None:
            CParser.__init__(self, text)
            Composer.__init__(self)
            SafeConstructor.__init__(self)
            Resolver.__init__(self)

    return cast(type[yaml.SafeLoader], LibyamlParsing)  # the same interface, duck-typed


if TYPE_CHECKING:
    _Parsing = yaml.SafeLoader
else:
    _Parsing = _libyaml_parsing()


class _Rules:
    """What both loaders share: text keys, bounded integers, located constructor errors.

    Mixed into a PyYAML loader, whose ``construct_*`` methods these extend.
    """

    limits: DocumentLimits

    def construct_object(self, node: Node, deep: bool = False) -> Any:
        try:
            return super().construct_object(node, deep=deep)  # type: ignore[misc]
        except (ValueError, OverflowError, TypeError) as e:
            # An explicit tag on a value it cannot convert (``!!int abc``, ``!!float x``).
            raise yaml.constructor.ConstructorError(
                None, None, f"cannot read {node.value!r} as {node.tag}: {e}", node.start_mark
            ) from e

    def construct_mapping(self, node: MappingNode, deep: bool = False) -> dict[Any, Any]:
        self.flatten_mapping(node)  # type: ignore[attr-defined]
        mapping: dict[Any, Any] = {}
        for key_node, value_node in node.value:
            if not isinstance(key_node, ScalarNode):
                raise yaml.constructor.ConstructorError(
                    "while constructing a mapping",
                    node.start_mark,
                    "found a key that is not text (a list or a mapping)",
                    key_node.start_mark,
                )
            mapping[key_node.value] = self.construct_object(value_node, deep=deep)
        return mapping

    def construct_bounded_int(self, node: ScalarNode) -> int:
        digits = len(node.value.lstrip("+-").replace("_", ""))
        if digits > self.limits.max_integer_digits:
            message = f"an integer of {digits} digits; at most {self.limits.max_integer_digits}"
            raise _Refused("number-too-large", message, node.start_mark.line + 1)
        return int(super().construct_yaml_int(node))  # type: ignore[misc]

    def construct_text(self, node: ScalarNode) -> str:
        return str(node.value)


class _Loader(_Rules, _Parsing):
    """A safe loader with YAML 1.2 core scalars, text keys and bounded composition.

    Depth and alias counts are checked while nodes are composed, before any recursion can
    overflow; scalars are resolved by the YAML 1.2 core rules set up below.
    """

    def __init__(self, text: str, limits: DocumentLimits) -> None:
        super().__init__(text)
        self.limits = limits
        self.depth = 0
        self.aliases = 0

    def compose_node(self, parent: Node | None, index: Any) -> Node | None:
        event = self.peek_event()  # type: ignore[no-untyped-call]
        line = event.start_mark.line + 1 if event.start_mark is not None else None
        if isinstance(event, yaml.AliasEvent):
            self.aliases += 1
            if self.aliases > self.limits.max_aliases:
                message = f"more than {self.limits.max_aliases} aliases; write the values out"
                raise _Refused("too-many-aliases", message, line)
            return super().compose_node(parent, index)
        self.depth += 1
        try:
            if self.depth > self.limits.max_depth:
                message = f"values nest more than {self.limits.max_depth} levels deep"
                raise _Refused("too-deep", message, line)
            return super().compose_node(parent, index)
        finally:
            self.depth -= 1


_HAS_LIBYAML = _Parsing is not yaml.SafeLoader
"""Whether libyaml is installed: PyYAML was built with it and it imports."""

if TYPE_CHECKING or not _HAS_LIBYAML:  # noqa: SIM108 (type checkers see one base class)
    _CLoaderBase = yaml.SafeLoader
else:
    _CLoaderBase = yaml.CSafeLoader  # libyaml's whole loader: parser and composer in C


class _CLoader(_Rules, _CLoaderBase):
    """The same rules over libyaml's composer (``yaml.CSafeLoader``), for text without aliases.

    libyaml composes nodes in C, where neither aliases nor depth can be counted as they are
    read; so this loader only reads text with no anchor or alias (no ``&`` or ``*``
    anywhere), and depth is checked on the composed nodes (libyaml itself stops at 1,000
    levels). It resolves scalars with the same YAML 1.2 core rules as :class:`_Loader`.
    """

    def __init__(self, text: str, limits: DocumentLimits) -> None:
        super().__init__(text)
        self.limits = limits


def _install_rules(loader: type[yaml.SafeLoader]) -> None:
    """Give a loader class the YAML 1.2 core scalar rules and the bounded constructors."""
    loader.yaml_implicit_resolvers = {
        first: [(tag, rx) for tag, rx in resolvers if tag not in _DROPPED_TAGS]
        for first, resolvers in yaml.SafeLoader.yaml_implicit_resolvers.items()
    }
    loader.add_implicit_resolver(
        "tag:yaml.org,2002:bool",
        re.compile(r"^(?:true|True|TRUE|false|False|FALSE)$"),
        list("tTfF"),
    )
    loader.add_implicit_resolver(
        "tag:yaml.org,2002:int", re.compile(r"^[-+]?(?:0|[1-9][0-9]*)$"), list("-+0123456789")
    )
    loader.add_implicit_resolver(
        "tag:yaml.org,2002:float",
        # Only what PyYAML's writer also takes for a number, so that text it writes unquoted
        # ("1e5", "0E0") reads back as text: a decimal point, an exponent with a sign.
        re.compile(
            r"""^(?:[-+]?[0-9]+\.[0-9]*(?:[eE][-+][0-9]+)?
            |\.[0-9]+(?:[eE][-+][0-9]+)?
            |[-+]?\.(?:inf|Inf|INF)
            |\.(?:nan|NaN|NAN))$""",
            re.X,
        ),
        list("-+0123456789."),
    )
    loader.add_constructor("tag:yaml.org,2002:int", _Rules.construct_bounded_int)  # type: ignore[type-var]
    loader.add_constructor("tag:yaml.org,2002:timestamp", _Rules.construct_text)  # type: ignore[type-var]


_install_rules(_Loader)
_install_rules(_CLoader)


def _libyaml_for(text: str) -> bool:
    """Whether the C loader may read ``text``: libyaml is installed and there is no anchor or
    alias in it (no ``&`` or ``*`` anywhere, a superset of the anchors and aliases)."""
    return _HAS_LIBYAML and "&" not in text and "*" not in text


@dataclass(frozen=True)
class Document:
    """Parsed data, where each value came from, and the problems found while parsing.

    Attributes:
        file: the file name used in problem locations.
        data: the parsed data.
        lines: every JSON pointer in ``data`` mapped to its 1-based line (None if unknown).
        problems: problems that do not stop reading (a key written twice); the caller reports
            them with its own.
        root: the YAML node tree (None for data not read from text), for callers that need more
            than lines (the style of a block scalar).
    """

    file: str
    data: Any
    lines: dict[str, int | None] = field(default_factory=dict)
    problems: list[Problem] = field(default_factory=list)
    root: Node | None = field(default=None, compare=False, repr=False)

    def nearest(self, pointer: str) -> tuple[str, int | None]:
        """The longest prefix of ``pointer`` present in the document, and its line."""
        while pointer and pointer not in self.lines:
            pointer = pointer.rsplit("/", 1)[0]
        return pointer, self.lines.get(pointer)

    def line(self, path: Sequence[str | int] = ()) -> int | None:
        """The line of the value at ``path`` (keys and indexes), or of its nearest parent."""
        return self.nearest(join_pointer("", *path))[1]

    def node(self, path: Sequence[str | int] = ()) -> Node | None:
        """The YAML node at ``path``, or its nearest parent (see :func:`node_at`)."""
        return node_at(self.root, path)


def escape(segment: str | int) -> str:
    """One JSON pointer segment (RFC 6901): ``~`` and ``/`` escaped."""
    return str(segment).replace("~", "~0").replace("/", "~1")


def join_pointer(base: str, *segments: str | int) -> str:
    """``base`` extended by ``segments``, each escaped."""
    return base + "".join("/" + escape(s) for s in segments)


def node_at(node: Node | None, path: Sequence[str | int]) -> Node | None:
    """The deepest node along ``path`` (mapping keys and sequence indexes) below ``node``.

    Stops at the last part that exists, so a problem deep inside a value that is not there
    still points at the nearest enclosing line.
    """
    for part in path:
        child: Node | None = None
        if isinstance(node, MappingNode):
            child = next((v for k, v in node.value if getattr(k, "value", None) == part), None)
        elif isinstance(node, SequenceNode) and isinstance(part, int):
            child = node.value[part] if 0 <= part < len(node.value) else None
        if child is None:
            break
        node = child
    return node


def read_document(
    path: str | os.PathLike[str],
    *,
    file: str | None = None,
    error: type[FormmergeError] = FormmergeError,
    json_syntax: bool | None = None,
    limits: DocumentLimits = DEFAULT_DOCUMENT_LIMITS,
) -> Document:
    """Read and parse one YAML or JSON file under ``limits``.

    Args:
        path: the file.
        file: the name to give the file in problem locations (``path`` as given by default).
        error: the exception class to raise (the caller's, such as ``CatalogError``).
        json_syntax: parse as JSON; by default, when the file name ends in ``.json``.
        limits: the bounds on size, depth, aliases and integers.

    Returns:
        The document; duplicate keys are in its ``problems``.

    Raises:
        FormmergeError: ``error`` with one located problem when the file is missing,
            unreadable, too large, not UTF-8, holds control characters, is not valid YAML or
            JSON, or breaks a limit.
    """
    name = os.fspath(path) if file is None else file
    text = read_document_text(path, name, error=error, limits=limits)
    if json_syntax is None:
        json_syntax = os.fspath(path).lower().endswith(".json")
    return parse_document(text, name, json_syntax=json_syntax, error=error, limits=limits)


def read_document_text(
    path: str | os.PathLike[str],
    file: str,
    *,
    error: type[FormmergeError] = FormmergeError,
    limits: DocumentLimits = DEFAULT_DOCUMENT_LIMITS,
) -> str:
    """The UTF-8 text of a file (a byte-order mark removed); raises ``error`` if unreadable."""
    try:
        source = Path(path)
        if source.is_dir():
            _fail(error, file, "file-not-found", "is a directory, not a file", None)
        if source.exists() and not source.is_file():
            _fail(error, file, "unreadable-file", "not a regular file (a pipe, a device)", None)
        size = source.stat().st_size
        with source.open("rb") as stream:
            raw = stream.read(limits.max_bytes + 1)  # bounded, should the file grow meanwhile
        if max(size, len(raw)) > limits.max_bytes:
            size = max(size, len(raw))
            message = f"the file has {size:,} bytes; at most {limits.max_bytes:,} are read"
            _fail(error, file, "file-too-large", message, None)
    except FileNotFoundError:
        _fail(error, file, "file-not-found", "the file does not exist", None)
    except OSError as e:
        _fail(error, file, "unreadable-file", f"cannot read the file: {e.strerror or e}", None)
    except ValueError as e:  # a NUL character in the path
        _fail(error, file, "unreadable-file", f"cannot read the file: {e}", None)
    try:
        return raw.decode("utf-8-sig")
    except UnicodeDecodeError as e:
        line = raw[: e.start].count(b"\n") + 1
        if raw.startswith(_UTF16_BOMS):
            message = "the file is UTF-16 text; save it as UTF-8"
        else:
            message = f"the file is not UTF-8 text (byte 0x{raw[e.start]:02x}); save it as UTF-8"
        _fail(error, file, "encoding-error", message, line)


def parse_document(
    text: str,
    file: str,
    *,
    json_syntax: bool = False,
    error: type[FormmergeError] = FormmergeError,
    limits: DocumentLimits = DEFAULT_DOCUMENT_LIMITS,
) -> Document:
    """Parse YAML or JSON text under ``limits``; raises ``error`` with one located problem."""
    if (
        len(text) > limits.max_bytes
        or len(text.encode("utf-8", "surrogatepass")) > limits.max_bytes
    ):
        message = f"the text is larger than {limits.max_bytes:,} bytes"
        _fail(error, file, "file-too-large", message, None)
    bad = _NON_PRINTABLE.search(text)
    if bad is not None:
        line = text.count("\n", 0, bad.start()) + 1
        column = bad.start() - (text.rfind("\n", 0, bad.start()) + 1) + 1
        message = (
            f"control character U+{ord(bad.group()):04X} at line {line}, column {column}; "
            "remove it or write it as an escape"
        )
        _fail(error, file, "control-character", message, line)
    try:
        if json_syntax:
            return _parse_json(text, file, limits)
        return _parse_yaml(text, file, limits)
    except _Refused as e:
        _fail(error, file, e.code, e.message, e.line)
    except yaml.MarkedYAMLError as e:
        mark = e.problem_mark or e.context_mark
        if "maximum nesting depth" in str(e.problem):
            # libyaml scans far ahead in flow collections and stops at its own bound (1,000)
            # before the composer has seen the nodes: the same failure as our depth limit.
            message = f"values nest more than {limits.max_depth} levels deep"
            _fail(error, file, "too-deep", message, mark.line + 1 if mark else None)
        where = f" (line {mark.line + 1}, column {mark.column + 1})" if mark else ""
        message = f"invalid YAML: {e.problem or e.context}{where}"
        _fail(error, file, "syntax-error", message, mark.line + 1 if mark else None)
    except yaml.YAMLError as e:
        _fail(error, file, "syntax-error", f"invalid YAML: {e}", None)
    except json.JSONDecodeError as e:
        message = f"invalid JSON: {e.msg} (line {e.lineno}, column {e.colno})"
        _fail(error, file, "syntax-error", message, e.lineno)


def document_from_data(
    data: Any,
    file: str,
    *,
    error: type[FormmergeError] = FormmergeError,
    limits: DocumentLimits = DEFAULT_DOCUMENT_LIMITS,
) -> Document:
    """A document for data that was not read from text (no line numbers).

    Raises:
        FormmergeError: ``error`` if the data nests deeper than ``limits.max_depth``.
    """
    lines: dict[str, int | None] = {}
    try:
        _walk_data(data, "", lines, limits.max_depth)
    except _Refused:
        message = f"values nest more than {limits.max_depth} levels deep"
        _fail(error, file, "too-deep", message, None)
    return Document(file, data, lines)


# --------------------------------------------------------------------------- parsing


def _parse_yaml(text: str, file: str, limits: DocumentLimits) -> Document:
    if _libyaml_for(text):
        try:
            return _parse_yaml_with(_CLoader(text, limits), file, limits)
        except (yaml.YAMLError, _Refused, RecursionError):
            pass  # the reference loader reads it again and reports the failure as always
    return _parse_yaml_with(_Loader(text, limits), file, limits)


def _parse_yaml_with(loader: Any, file: str, limits: DocumentLimits) -> Document:
    try:
        node = loader.get_single_node()
        document = _document(file, None, node, limits)
        # Lines are taken before construction, which rewrites merge keys (<<) in place.
        data = None if node is None else loader.construct_document(node)
    finally:
        loader.dispose()
    return Document(file, data, document.lines, document.problems, node)


def _parse_json(text: str, file: str, limits: DocumentLimits) -> Document:
    _check_json_depth(text, limits)

    def integer(digits: str) -> int:
        if len(digits.lstrip("-")) > limits.max_integer_digits:
            line = text.count("\n", 0, max(text.find(digits), 0)) + 1
            message = f"an integer of {len(digits)} digits; at most {limits.max_integer_digits}"
            raise _Refused("number-too-large", message, line)
        return int(digits)

    def constant(name: str) -> Any:
        line = text.count("\n", 0, max(text.find(name), 0)) + 1
        raise _Refused("syntax-error", f"invalid JSON: {name} is not a JSON number", line)

    data = json.loads(text, parse_int=integer, parse_constant=constant)
    loaders = (_CLoader, _Loader) if _libyaml_for(text) else (_Loader,)
    for kind in loaders:
        loader = kind(text, limits)
        try:
            return _document(file, data, loader.get_single_node(), limits)
        except (yaml.YAMLError, _Refused, RecursionError):
            continue
        finally:
            loader.dispose()
    return document_from_data(data, file)


def _check_json_depth(text: str, limits: DocumentLimits) -> None:
    """Refuse JSON nested deeper than the limit before the json module recurses into it."""
    depth = 0
    for token in _JSON_TOKENS.finditer(text):
        bracket = token.group()
        if bracket in "[{":
            depth += 1
            if depth > limits.max_depth:
                line = text.count("\n", 0, token.start()) + 1
                message = f"values nest more than {limits.max_depth} levels deep"
                raise _Refused("too-deep", message, line)
        elif bracket in "]}":
            depth -= 1


def _document(file: str, data: Any, node: Node | None, limits: DocumentLimits) -> Document:
    lines: dict[str, int | None] = {}
    problems: list[Problem] = []
    if node is not None:
        _check_expansion(node, limits)
        lines[""] = node.start_mark.line + 1
        _walk_node(node, "", lines, problems, file)
    return Document(file, data, lines, problems, node)


def _check_expansion(root: Node, limits: DocumentLimits) -> None:
    """Refuse a recursive alias, or aliases that expand too deep or to too many values.

    Sizes and heights are computed once per node (aliases share nodes), so this takes time in
    proportion to the file, however large its expansion would be.
    """
    known: dict[int, tuple[int, int]] = {}  # node -> (expanded size, expanded height)
    active: set[int] = set()

    def measure(node: Node, depth: int) -> tuple[int, int]:
        key = id(node)
        if key in active:
            message = "an alias refers to a value that contains it"
            raise _Refused("recursive-alias", message, node.start_mark.line + 1)
        size, height = known.get(key) or _measure_children(node, depth)
        if depth + height > limits.max_depth:
            message = f"values nest more than {limits.max_depth} levels deep once aliases expand"
            raise _Refused("too-deep", message, node.start_mark.line + 1)
        return size, height

    def _measure_children(node: Node, depth: int) -> tuple[int, int]:
        key = id(node)
        active.add(key)
        children: list[Node] = []
        if isinstance(node, MappingNode):
            children = [part for pair in node.value for part in pair]
        elif isinstance(node, SequenceNode):
            children = list(node.value)
        measured = [measure(child, depth + 1) for child in children]
        active.discard(key)
        result = (1 + sum(s for s, _ in measured), 1 + max((h for _, h in measured), default=0))
        known[key] = result
        return result

    expanded, _ = measure(root, 0)
    added = expanded - len(known)
    if added > limits.max_alias_nodes:
        message = (
            f"aliases expand to {expanded:,} values where the file holds {len(known):,}; "
            f"at most {limits.max_alias_nodes:,} may be added"
        )
        raise _Refused("too-many-aliases", message, root.start_mark.line + 1)


def _walk_node(
    node: Node, pointer: str, lines: dict[str, int | None], problems: list[Problem], file: str
) -> None:
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
                problems.append(problem("duplicate-mapping-key", message, location))
                # The value read is the later one: forget the earlier value's lines, so that
                # its keys are not reported as written twice too.
                for stale in [p for p in lines if p.startswith(child + "/")]:
                    del lines[stale]
            lines[child] = line
            _walk_node(value_node, child, lines, problems, file)
    elif isinstance(node, SequenceNode):
        for index, item in enumerate(node.value):
            child = join_pointer(pointer, index)
            lines[child] = item.start_mark.line + 1
            _walk_node(item, child, lines, problems, file)


def _walk_data(data: Any, pointer: str, lines: dict[str, int | None], room: int) -> None:
    if room <= 0:
        raise _Refused("too-deep", "values nest too deep", None)
    lines[pointer] = None
    if isinstance(data, dict):
        for key, value in data.items():
            _walk_data(value, join_pointer(pointer, str(key)), lines, room - 1)
    elif isinstance(data, list):
        for index, value in enumerate(data):
            _walk_data(value, join_pointer(pointer, index), lines, room - 1)


def _fail(
    error: type[FormmergeError], file: str, code: str, message: str, line: int | None
) -> NoReturn:
    raise error(f"cannot read {file}", [problem(code, message, Location(file=file, line=line))])
