"""The one document reader: YAML 1.2 core scalars, duplicate keys, limits, lines; and every
reader of governing files (form, sidecar, catalog, sources, decisions, bundle, rules) on hostile
input: the same located problem in every file kind, and for arbitrary bytes and structures a
FormmergeError or a value, never another exception."""

from __future__ import annotations

import importlib
import itertools
import json
import os
import sys
import tempfile
import time
from collections.abc import Callable, Iterator
from pathlib import Path
from typing import Any

import pytest
import yaml
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from formmerge import documents
from formmerge.bundle import load_bundle
from formmerge.catalog import load_catalog
from formmerge.decisions import load_decisions
from formmerge.documents import parse_document, read_document
from formmerge.errors import FormError, FormmergeError, RuleError
from formmerge.ingest import form_from_dict, load_form
from formmerge.prefill import load_sources
from formmerge.rules import load_rules
from formmerge.settings import DocumentLimits

BOMB = "\n".join(
    [
        'a: &a ["lol","lol","lol","lol","lol","lol","lol","lol","lol"]',
        *(f"{chr(98 + n)}: &{chr(98 + n)} [{','.join(['*' + chr(97 + n)] * 9)}]" for n in range(8)),
    ]
)
"""The "billion laughs": nine aliases of nine aliases, nine levels deep (387 million values)."""


def parse(text: str, *, json_syntax: bool = False, **limits: int) -> Any:
    document = parse_document(
        text, "f.yaml", json_syntax=json_syntax, limits=DocumentLimits(**limits)
    )
    return document.data


def refusal(text: str, *, json_syntax: bool = False, **limits: int) -> tuple[str, int | None]:
    with pytest.raises(FormmergeError) as info:
        parse(text, json_syntax=json_syntax, **limits)
    (problem,) = info.value.problems
    assert problem.location.file == "f.yaml"
    return problem.code, problem.location.line


# --------------------------------------------------------------------------- YAML 1.2 core


@pytest.mark.parametrize(
    ("text", "value"),
    [
        ("yes", "yes"),
        ("No", "No"),
        ("on", "on"),
        ("off", "off"),
        ("true", True),
        ("FALSE", False),
        ("~", None),
        ("null", None),
        ("12", 12),
        ("-3", -3),
        ("01", "01"),  # an option code, not the number 1
        ("0x1F", "0x1F"),
        ("0o17", "0o17"),
        ("1_000", "1_000"),
        ("1.5", 1.5),
        ("1.5e+3", 1500.0),
        ("1e5", "1e5"),  # PyYAML writes this text unquoted: it must read back as text
        ("0E0", "0E0"),
        (".inf", float("inf")),
        ("1:20", "1:20"),  # no sexagesimal numbers
        ("190:20:30.15", "190:20:30.15"),
        ("2026-08-31", "2026-08-31"),  # no timestamps: dates are the caller's to parse
        ("2026-02-30", "2026-02-30"),  # an impossible date is no crash
        ("2001-12-14t21:59:43.10-05:00", "2001-12-14t21:59:43.10-05:00"),
        ("!!timestamp 2026-13-45", "2026-13-45"),
        ("'yes'", "yes"),
    ],
)
def test_scalars_follow_the_yaml_1_2_core_schema(text: str, value: Any) -> None:
    assert parse(f"v: {text}\n") == {"v": value}


def test_mapping_keys_are_the_text_written() -> None:
    assert parse("1: 男\ntrue: x\nnull: y\n2026-01-01: z\n") == {
        "1": "男",
        "true": "x",
        "null": "y",
        "2026-01-01": "z",
    }


def test_merge_keys_still_merge() -> None:
    assert parse("base: &b {type: string, required: true}\nf: {<<: *b, key: xm}\n")["f"] == {
        "type": "string",
        "required": True,
        "key": "xm",
    }


def test_every_value_keeps_its_line() -> None:
    document = parse_document("id: a\nfields:\n  - key: xm\n    label: 姓名\n", "f.yaml")
    assert [document.line(p) for p in ([], ["id"], ["fields", 0], ["fields", 0, "label"])] == [
        1,
        1,
        3,
        4,
    ]
    assert document.line(["fields", 0, "nothing", 3]) == 3  # the nearest enclosing value


# --------------------------------------------------------------------------- duplicate keys


@pytest.mark.parametrize(
    ("text", "json_syntax", "pointer", "line"),
    [
        ("rules: [a]\nid: x\nrules: [b]\n", False, "/rules", 3),
        (
            "r:\n  - id: a\n    condition: 'false'\n    condition: 'true'\n",
            False,
            "/r/0/condition",
            4,
        ),
        ('{"aliases": [1],\n "aliases": [2]}', True, "/aliases", 2),
        ('{"a": {"b": 1,\n "b": 2}}', True, "/a/b", 2),
    ],
)
def test_a_key_written_twice_is_a_located_problem(
    text: str, json_syntax: bool, pointer: str, line: int
) -> None:
    document = parse_document(text, "f.yaml", json_syntax=json_syntax)
    assert [(p.code, p.location.pointer, p.location.line) for p in document.problems] == [
        ("duplicate-mapping-key", pointer, line)
    ]


def test_only_the_key_written_twice_is_reported_not_what_is_under_it() -> None:
    text = "decisions:\n  - {field: x, item: a}\ndecisions:\n  - {field: y, item: b}\n"
    assert [p.location.line for p in parse_document(text, "f.yaml").problems] == [3]


# --------------------------------------------------------------------------- refusals


DEEP = 3_000


@pytest.mark.parametrize(
    ("text", "json_syntax", "code", "line"),
    [
        ("a: 1\nb: \x07bell\n", False, "control-character", 2),
        ('{"a":\n "\x00"}', True, "control-character", 2),
        ("a: 1\nb: \x1b[31m\n", False, "control-character", 2),
        ("[" * DEEP + "]" * DEEP, False, "too-deep", 1),
        ("[" * DEEP + "]" * DEEP, True, "too-deep", 1),
        ("".join(f"{'  ' * n}k:\n" for n in range(150)), False, "too-deep", 100),
        (f"n: {'9' * 5_000}\n", False, "number-too-large", 1),
        (f'{{"n":\n {"9" * 5_000}}}', True, "number-too-large", 2),
        (f"n: !!int {'9' * 5_000}\n", False, "number-too-large", 1),
        ("n: !!int abc\n", False, "syntax-error", 1),
        ("n: !!float x\n", False, "syntax-error", 1),
        ("? [a, b]\n: c\n", False, "syntax-error", 1),
        ("a: [1,\n", False, "syntax-error", 2),
        ('{"a": NaN}', True, "syntax-error", 1),
        ('{"a": -Infinity}', True, "syntax-error", 1),
        ('{"a": 1,}', True, "syntax-error", 1),
        ("a: &a [*a]\n", False, "recursive-alias", 1),
        ("a: &a {b: *a}\n", False, "recursive-alias", 1),
        (BOMB, False, "too-many-aliases", 1),
        ("a: &a x\nb: [" + ", ".join(["*a"] * 1_001) + "]\n", False, "too-many-aliases", 2),
    ],
)
def test_bad_input_is_refused_with_a_located_problem(
    text: str, json_syntax: bool, code: str, line: int
) -> None:
    assert refusal(text, json_syntax=json_syntax) == (code, line)


def test_aliases_that_nest_deeper_than_the_limit_once_expanded_are_refused() -> None:
    # Each level alone is shallow; expanded, the last one is 30 levels deep.
    levels = ["l0: &l0 [[[[[[[[[[1]]]]]]]]]]"]
    levels += [f"l{n}: &l{n} [[[[[[[[[[*l{n - 1}]]]]]]]]]]" for n in range(1, 3)]
    text = "\n".join(levels) + "\n"
    assert parse(text, max_depth=40)["l2"]
    # Located at the aliased value that, nested under *l1 in l2, goes too deep.
    assert refusal(text, max_depth=25) == ("too-deep", 2)


def test_a_700_byte_alias_bomb_is_refused_at_once() -> None:
    assert len(BOMB.encode()) < 700
    start = time.perf_counter()
    code, _ = refusal(BOMB)
    assert code == "too-many-aliases"
    assert time.perf_counter() - start < 1.0


def test_aliases_within_the_limits_are_read() -> None:
    assert parse("a: &a [1, 2]\nb: *a\n") == {"a": [1, 2], "b": [1, 2]}


def test_the_size_limit_applies_to_text_and_files(tmp_path: Path) -> None:
    assert refusal("a: 123456789\n", max_bytes=8)[0] == "file-too-large"
    path = tmp_path / "big.yaml"
    path.write_text("a: 123456789\n", encoding="utf-8")
    with pytest.raises(FormmergeError) as info:
        read_document(path, limits=DocumentLimits(max_bytes=8))
    assert info.value.codes == ["file-too-large"]


# --------------------------------------------------------------------------- files


@pytest.mark.parametrize(
    ("content", "code", "line"),
    [
        ("a: 1\nb: caf\xe9\n".encode("latin-1"), "encoding-error", 2),
        ("a: 1\n".encode("utf-16"), "encoding-error", 1),
        ("a: 中文\n".encode("gb18030"), "encoding-error", 1),
    ],
)
def test_text_that_is_not_utf_8_is_refused(
    tmp_path: Path, content: bytes, code: str, line: int
) -> None:
    path = tmp_path / "f.yaml"
    path.write_bytes(content)
    with pytest.raises(FormmergeError) as info:
        read_document(path, file="f.yaml")
    assert [(p.code, p.location.line) for p in info.value.problems] == [(code, line)]


def test_a_utf_8_byte_order_mark_is_allowed(tmp_path: Path) -> None:
    path = tmp_path / "f.json"
    path.write_bytes(b'\xef\xbb\xbf{"a": 1}')
    assert read_document(path).data == {"a": 1}


@pytest.mark.parametrize(
    ("name", "code"),
    [
        ("missing.yaml", "file-not-found"),
        ("", "file-not-found"),
        ("a\x00b.yaml", "unreadable-file"),
    ],
)
def test_paths_that_name_no_readable_file_are_refused(tmp_path: Path, name: str, code: str) -> None:
    with pytest.raises(RuleError) as info:
        read_document(tmp_path / name, error=RuleError)
    assert info.value.codes == [code]


def test_json_is_read_by_the_json_rules_with_lines() -> None:
    document = parse_document('{"a": [1,\n  {"b": "x"}]}', "f.json", json_syntax=True)
    assert document.data == {"a": [1, {"b": "x"}]}
    assert document.line(["a", 1, "b"]) == 2


def test_reading_is_deterministic_and_plain_data() -> None:
    text = json.dumps({"a": [1, 2.5, "x", None, True, {"b": []}]})
    assert parse(text) == parse(text, json_syntax=True) == json.loads(text)


# --------------------------------------------------------------------------- every reader

_names = itertools.count()


def _unique(directory: Path, name: str) -> Path:
    """A fresh sub-directory, so that no reader's cache answers for an earlier example."""
    folder = directory / f"case{next(_names)}"
    folder.mkdir()
    return folder / name


def _write(path: Path, content: bytes) -> Path:
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_bytes(content)
    return path


def read_form_yaml(directory: Path, content: bytes) -> Any:
    return load_form(_write(_unique(directory, "form.yaml"), content))


def read_form_json(directory: Path, content: bytes) -> Any:
    return load_form(_write(_unique(directory, "form.json"), content))


def read_sidecar(directory: Path, content: bytes) -> Any:
    table = _write(_unique(directory, "form.csv"), "key,label\nxm,姓名\n".encode())
    _write(table.with_name("form.meta.yaml"), content)
    return load_form(table)


def read_catalog_items(directory: Path, content: bytes) -> Any:
    root = _unique(directory, "catalog")
    _write(root / "roles.yaml", b"roles:\n  - {id: applicant, label_zh: x, label_en: x}\n")
    _write(root / "items" / "person.yaml", content)
    return load_catalog(root)


def read_catalog_roles(directory: Path, content: bytes) -> Any:
    root = _unique(directory, "catalog")
    _write(root / "roles.yaml", content)
    return load_catalog(root)


def read_sources(directory: Path, content: bytes) -> Any:
    return load_sources(_write(_unique(directory, "sources.yaml"), content))


def read_decisions(directory: Path, content: bytes) -> Any:
    return load_decisions(_write(_unique(directory, "decisions.yaml"), content))


def read_bundle(directory: Path, content: bytes) -> Any:
    return load_bundle(_write(_unique(directory, "bundle.yaml"), content).parent)


def read_rules(directory: Path, content: bytes) -> Any:
    return load_rules(_write(_unique(directory, "rules.yaml"), content))


READERS: dict[str, Callable[[Path, bytes], Any]] = {
    "form.yaml": read_form_yaml,
    "form.json": read_form_json,
    "form.meta.yaml": read_sidecar,
    "person.yaml": read_catalog_items,
    "roles.yaml": read_catalog_roles,
    "sources.yaml": read_sources,
    "decisions.yaml": read_decisions,
    "bundle.yaml": read_bundle,
    "rules.yaml": read_rules,
}
"""Each reader, by the name of the file it is given."""

FINDINGS: list[tuple[str, bytes, bytes, str]] = [
    # (case, YAML content, JSON content, code)
    ("control character", b"id: a\x07\n", b'{"id": "a\x07"}', "control-character"),
    (
        "not UTF-8",
        "id: café\n".encode("latin-1"),
        '{"id": "é"}'.encode("latin-1"),
        "encoding-error",
    ),
    ("3,000 deep", b"x: " + b"[" * DEEP + b"]" * DEEP, b"[" * DEEP + b"]" * DEEP, "too-deep"),
    ("huge integer", b"id: " + b"9" * 5_000, b'{"id": ' + b"9" * 5_000 + b"}", "number-too-large"),
    ("alias bomb", BOMB.encode(), b"", "too-many-aliases"),
    ("recursive alias", b"id: &a [*a]\n", b"", "recursive-alias"),
    ("key written twice", b"id: a\nid: b\n", b'{"id": "a",\n "id": "b"}', "duplicate-mapping-key"),
]


FINDING_CASES = [
    pytest.param(reader, content, code, id=f"{reader}-{case}")
    for reader in sorted(READERS)
    for case, as_yaml, as_json, code in FINDINGS
    if (content := as_json if reader.endswith(".json") else as_yaml)
]
"""Every finding in every reader (JSON has no aliases)."""


@pytest.mark.parametrize(("reader", "content", "code"), FINDING_CASES)
def test_every_reader_reports_the_same_failure_with_the_same_located_code(
    tmp_path: Path, reader: str, content: bytes, code: str
) -> None:
    with pytest.raises(FormmergeError) as info:
        READERS[reader](tmp_path, content)
    located = [p for p in info.value.problems if p.code == code]
    assert located, info.value.codes
    assert all(str(p.location.file).endswith(reader) for p in located)
    if code != "file-too-large":
        assert all(p.location.line is not None for p in located)


def test_a_duplicate_key_is_reported_even_when_the_file_is_otherwise_valid(tmp_path: Path) -> None:
    text = b"decisions:\n  - {field: x, item: name}\ndecisions: []\n"
    with pytest.raises(FormmergeError) as info:
        read_decisions(tmp_path, text)
    assert info.value.codes == ["duplicate-mapping-key"]


# --------------------------------------------------------------------------- fuzzing

KNOWN_KEYS = st.sampled_from(
    [
        "id", "title", "fields", "sections", "key", "label", "type", "options", "group",
        "materials", "name", "process", "roles", "items", "domain", "label_zh", "label_en",
        "aliases", "sources", "relations", "columns", "decisions", "same", "item", "role",
        "field", "forms", "rules", "condition", "message", "params", "reads", "version",
    ]
)  # fmt: skip
SCALARS = (
    st.none()
    | st.booleans()
    | st.integers()
    | st.floats(allow_nan=False)
    | st.text(max_size=12)
    | st.sampled_from(["2026-02-30", "yes", "01", "1:20", "*", "&", "<<", "%", "@", "|"])
)
STRUCTURES = st.recursive(
    SCALARS,
    lambda children: (
        st.lists(children, max_size=4)
        | st.dictionaries(KNOWN_KEYS | st.text(max_size=6), children, max_size=5)
    ),
    max_leaves=25,
)


def _dumped(data: Any, as_json: bool) -> bytes:
    if as_json:
        return json.dumps(data, ensure_ascii=False).encode()
    return yaml.safe_dump(data, allow_unicode=True).encode()


def _read_or_refuse(reader: str, content: bytes) -> None:
    with tempfile.TemporaryDirectory() as directory:
        try:
            READERS[reader](Path(directory), content)
        except FormmergeError as error:
            assert error.problems or error.summary


FUZZ = settings(max_examples=15, deadline=None, suppress_health_check=[HealthCheck.too_slow])
FUZZ_SLOW = settings(max_examples=400, deadline=None, suppress_health_check=list(HealthCheck))


@pytest.mark.parametrize("reader", sorted(READERS))
@FUZZ
@given(content=st.binary(max_size=200))
def test_arbitrary_bytes_give_a_value_or_a_formmerge_error(reader: str, content: bytes) -> None:
    _read_or_refuse(reader, content)


@pytest.mark.parametrize("reader", sorted(READERS))
@FUZZ
@given(data=STRUCTURES)
def test_arbitrary_structures_give_a_value_or_a_formmerge_error(reader: str, data: Any) -> None:
    _read_or_refuse(reader, _dumped(data, reader.endswith(".json")))


@pytest.mark.slow
@pytest.mark.parametrize("reader", sorted(READERS))
@FUZZ_SLOW
@given(content=st.binary(max_size=2_000) | STRUCTURES.map(lambda d: _dumped(d, False)))
def test_many_more_inputs_give_a_value_or_a_formmerge_error(reader: str, content: bytes) -> None:
    _read_or_refuse(reader, content)


@pytest.fixture
def pure_parser(monkeypatch: pytest.MonkeyPatch) -> Iterator[Callable[..., Any]]:
    """parse_document as it runs where PyYAML has no libyaml (the pure parser)."""
    monkeypatch.setitem(sys.modules, "yaml._yaml", None)  # makes importing it fail
    pure = importlib.reload(documents)
    assert pure._Parsing is yaml.SafeLoader
    yield pure.parse_document
    monkeypatch.undo()
    importlib.reload(documents)


@pytest.mark.parametrize(
    ("text", "code"),
    [
        ("[" * DEEP + "]" * DEEP, "too-deep"),
        (BOMB, "too-many-aliases"),
        ("a: &a [*a]\n", "recursive-alias"),
        (f"n: {'9' * 5_000}\n", "number-too-large"),
        ("a: [1,\n", "syntax-error"),
    ],
)
def test_without_libyaml_the_same_input_is_refused_the_same_way(
    pure_parser: Callable[..., Any], text: str, code: str
) -> None:
    with pytest.raises(FormmergeError) as info:
        pure_parser(text, "f.yaml")
    assert info.value.codes == [code]
    assert pure_parser("v: [yes, 01, 2026-02-30, 1.5]\n", "f.yaml").data == {
        "v": ["yes", "01", "2026-02-30", 1.5]
    }


def test_form_data_in_memory_nested_too_deep_is_refused_too() -> None:
    data: dict[str, Any] = {"id": "a", "fields": []}
    inner = data
    for _ in range(DEEP):
        inner["n"] = {}
        inner = inner["n"]
    with pytest.raises(FormError) as info:
        form_from_dict(data)
    assert info.value.codes == ["too-deep"]


@pytest.mark.skipif(not hasattr(os, "mkfifo"), reason="named pipes need a POSIX system")
def test_a_pipe_is_not_read(tmp_path: Path) -> None:
    pipe = tmp_path / "pipe.yaml"
    os.mkfifo(pipe)
    with pytest.raises(FormmergeError) as info:
        read_document(pipe)
    assert info.value.codes == ["unreadable-file"]


# --------------------------------------------------------------------------- the two loaders

TRICKY_SCALARS = [
    "yes", "no", "on", "off", "y", "true", "False", "TRUE", "~", "null", "Null", "",
    "0", "01", "-0", "+7", "0x1F", "0o17", "017", "1_000", "1e5", "0E0", "1.5e+3", "1.", ".5",
    ".inf", "-.INF", ".NaN", "1:20", "190:20:30", "2026-08-31", "2026-02-30", "2026-08-31 10:00",
    "9" * 30, "!!int abc", "!!int 12", "!!float x", "!!str 12", "!!bool yes", "!!null ''",
    "!!timestamp 2026-01-01", "!!binary aGk=", "!custom x", "'single'", "'it''s'", '"tab\\tx"',
    '"\\u7537"', "男", "a: b", "[1, 2]", "{x: 1}", "[yes, 01, {a: 1:2}]", "- x", "|\n  block",
    ">-\n  folded", "'unterminated", '"open', "{", "]", "@x", "`x", "%x", "<<", "? q", "#c",
    "x #comment", "a\tb", "{a: 1, a: 2}", "{<<: {a: 1}, b: 2}", "[[[[]]]]",
]  # fmt: skip
TRICKY_KEYS = [
    "a", "b", "a", "1", "01", "yes", "null", "~", "<<", "'q'", '"d"', "[k]", "{k: v}", "? k",
    "1.5", "2026-01-01", "男", "a b", "a:b", "-",
]  # fmt: skip


def _block(node: Any, indent: int) -> list[str]:
    """Block-style YAML lines for a generated tree; scalars are written raw, as found above."""
    pad = " " * indent
    if isinstance(node, list):
        lines = []
        for child in node:
            inner = _block(child, indent + 2)
            lines.append(f"{pad}-" + (" " + inner[0].lstrip() if inner else " []"))
            lines.extend(inner[1:])
        return lines or [f"{pad}[]"]
    if isinstance(node, tuple):  # a mapping: (key, value) pairs, keys may repeat
        lines = []
        for key, value in node:
            if isinstance(value, str):
                lines.append(f"{pad}{key}: {value}")
            else:
                lines.append(f"{pad}{key}:")
                lines.extend(_block(value, indent + 2))
        return lines or [f"{pad}{{}}"]
    return [f"{pad}{node}"]


YAML_TREES = st.recursive(
    st.sampled_from(TRICKY_SCALARS),
    lambda children: (
        st.lists(children, max_size=4)
        | st.lists(st.tuples(st.sampled_from(TRICKY_KEYS), children), max_size=4).map(tuple)
    ),
    max_leaves=12,
)
YAML_TEXTS = YAML_TREES.map(lambda tree: "\n".join(_block(tree, 0)) + "\n")


def _outcome(parse: Callable[[], documents.Document]) -> tuple[Any, ...]:
    """What a reader gives: the data, lines and problems, or the refusal's problems."""
    try:
        found = parse()
    except FormmergeError as e:
        return ("refused", [(p.code, p.message, p.location.line) for p in e.problems])
    except (yaml.YAMLError, documents._Refused) as e:  # the loaders themselves, unwrapped
        return ("refused", type(e).__name__)
    problems = [(p.code, p.message, p.location.line) for p in found.problems]
    return ("read", repr(found.data), found.lines, problems)


def _with(loader: type[Any], text: str) -> tuple[Any, ...]:
    limits = DocumentLimits()
    return _outcome(lambda: documents._parse_yaml_with(loader(text, limits), "f.yaml", limits))


def _reference(text: str, json_syntax: bool = False) -> tuple[Any, ...]:
    """parse_document with the libyaml loader switched off: the Python composer only."""
    with pytest.MonkeyPatch.context() as patch:
        patch.setattr(documents, "_HAS_LIBYAML", False)
        return _outcome(lambda: parse_document(text, "f.yaml", json_syntax=json_syntax))


needs_libyaml = pytest.mark.skipif(
    not documents._HAS_LIBYAML, reason="PyYAML is installed without libyaml"
)


@needs_libyaml
def test_the_c_loader_is_libyamls_safe_loader_with_the_same_rules() -> None:
    assert issubclass(documents._CLoader, yaml.CSafeLoader)
    text = "v: [yes, 01, 1e5, 1.5e+3, 1:20, 2026-02-30, true, ~]\n1: 男\nv: again\n"
    c_loader, reference = _with(documents._CLoader, text), _with(documents._Loader, text)
    assert c_loader == reference
    assert c_loader[0] == "read"
    assert "'v': 'again'" in c_loader[1] and "'1': '男'" in c_loader[1]
    assert c_loader[3] == [
        (
            "duplicate-mapping-key",
            "key 'v' appears twice; the first is on line 1",
            3,
        )
    ]


@needs_libyaml
@settings(max_examples=300, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(text=YAML_TEXTS)
def test_both_loaders_read_the_same_values_lines_and_problems(text: str) -> None:
    c_loader, reference = _with(documents._CLoader, text), _with(documents._Loader, text)
    if reference[0] == "read":
        assert c_loader == reference
    else:
        assert c_loader[0] == "refused"  # and parse_document reports the reference's refusal
    assert _outcome(lambda: parse_document(text, "f.yaml")) == _reference(text)


@needs_libyaml
@pytest.mark.parametrize(
    "text",
    [
        "[" * DEEP + "]" * DEEP,
        "a:\n" + "".join(f"{' ' * n}- \n" for n in range(1, 150)),
        "[" * 150 + "]" * 150,
        f"n: {'9' * 5_000}\n",
        "a: [1,\n",
        "a: !!int abc\n",
        "a: !!float x\n",
        "? [a, b]\n: 1\n",
        "a: 1\n---\nb: 2\n",
        "{a: 1, a: 2, a: {b: 1, b: 2}}",
    ],
)
def test_both_loaders_refuse_the_same_way(text: str) -> None:
    assert _outcome(lambda: parse_document(text, "f.yaml")) == _reference(text)
    assert _outcome(lambda: parse_document(text, "f.json", json_syntax=True)) == _reference(
        text, json_syntax=True
    )
