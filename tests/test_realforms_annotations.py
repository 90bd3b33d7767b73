"""The hand annotations of the real-forms benchmark are well formed and match their forms.

benchmarks/realforms/annotations/<corpus>/<form>.yaml give, per field of a real form, the
catalog item (or an ``x:`` concept listed in a concepts file) and the role. These tests check
the schema of every annotation file and, when the real forms are present beside the
repository (../shared/realforms-dev/, ../shared/reference/), that the annotated keys are
exactly the fields of the source form under the key convention of
benchmarks/realforms/annotations/README.md.
"""

from __future__ import annotations

import json
import re
from collections.abc import Iterator
from functools import cache
from pathlib import Path
from typing import Any

import pytest
import yaml

from formmerge import load_catalog

REPO = Path(__file__).resolve().parents[1]
REALFORMS = REPO / "benchmarks" / "realforms"
ANNOTATIONS = REALFORMS / "annotations"
SHARED = REPO.parent / "shared"
SOURCE_DIRS = {
    "zhejiang": SHARED / "realforms-dev" / "zhejiang",
    "va": SHARED / "realforms-dev" / "va",
    "us-grants": SHARED / "reference" / "us-grants-forms",
}
SPLIT_CORPUS = {"zhejiang": "zhejiang", "va": "va", "us-grants": "us-grants-forms"}
"""Annotation folder -> the corpus's name in split.yaml."""

FORM_KEYS = {"source", "title", "subject", "fields"}
FIELD_KEYS = {"key", "label", "section", "item", "role", "patterns", "office_use"}
PATTERNS = {"subject", "layout", "open-role", "compound", "bilingual", "english", "equivalent"}
FORM_SUBJECTS = {"person", "organization"}
"""Subjects besides the person roles of roles.yaml (deceased, child ...)."""
OPEN_ROLE = re.compile(r"^other:\S+$")
CONCEPT = re.compile(r"^x:[a-z][a-z0-9_]*$")
PLACEHOLDER = re.compile(r"\$\{([^}]*)\}")
VIEW_PREFIX = "view:"


def annotation_files() -> list[Path]:
    return sorted(p for corpus in SOURCE_DIRS for p in (ANNOTATIONS / corpus).glob("*.yaml"))


@cache
def concepts() -> frozenset[str]:
    ids: set[str] = set()
    for path in sorted(REALFORMS.glob("concepts*.yaml")):
        ids.update(yaml.safe_load(path.read_text(encoding="utf-8")) or {})
    return frozenset(ids)


@cache
def catalog_ids() -> tuple[frozenset[str], frozenset[str], frozenset[str]]:
    """Item ids, role ids and the ids of the roles that are persons."""
    catalog = load_catalog()
    roles = frozenset(r.id for r in catalog.roles)
    persons = frozenset(r.id for r in catalog.roles if r.person)
    return frozenset(i.id for i in catalog.items), roles, persons


def load(path: Path) -> dict[str, Any]:
    data = yaml.safe_load(path.read_text(encoding="utf-8"))
    assert isinstance(data, dict), f"{path.name}: the top level must be a mapping"
    return data


def field_problems(field: Any, where: str) -> Iterator[str]:
    items, roles, _ = catalog_ids()
    if not isinstance(field, dict) or not isinstance(field.get("key"), str) or not field["key"]:
        yield f"{where}: a field needs a non-empty string key"
        return
    where = f"{where} {field['key']}"
    yield from (f"{where}: unknown attribute {k!r}" for k in sorted(set(field) - FIELD_KEYS))
    for name in ("label", "section"):
        if name in field and not (isinstance(field[name], str) and field[name].strip()):
            yield f"{where}: {name} must be a non-empty string"
    if field.get("office_use", False) is not False:
        if field["office_use"] is not True:
            yield f"{where}: office_use must be true or absent"
        return
    item = field.get("item")
    item_ids = item if isinstance(item, list) else [item]
    if isinstance(item, list) and (len(item) < 2 or len(set(map(str, item))) != len(item)):
        yield f"{where}: item must be one id or a list of two or more different ids"
    for one in item_ids:
        if not isinstance(one, str) or not (one in items or one in concepts()):
            hint = " (add it to a concepts file)" if CONCEPT.match(str(one)) else ""
            yield f"{where}: unknown item {one!r}{hint}"
    role = field.get("role")
    if not isinstance(role, str) or not (role in roles or OPEN_ROLE.match(role)):
        yield f"{where}: unknown role {role!r}"
    patterns = field.get("patterns", [])
    if not isinstance(patterns, list) or not set(patterns) <= PATTERNS:
        yield f"{where}: patterns must be a list of {sorted(PATTERNS)}"


def form_problems(path: Path, data: dict[str, Any]) -> Iterator[str]:
    _, _, persons = catalog_ids()
    where = f"{path.parent.name}/{path.name}"
    yield from (f"{where}: unknown attribute {k!r}" for k in sorted(set(data) - FORM_KEYS))
    source = data.get("source")
    if not isinstance(source, str) or Path(source).stem != path.stem:
        yield f"{where}: source must name the form file {path.stem}.*"
    if data.get("subject") not in FORM_SUBJECTS | persons:
        yield f"{where}: subject {data.get('subject')!r} is not a person role or organization"
    fields = data.get("fields")
    if not isinstance(fields, list) or not fields:
        yield f"{where}: fields must be a non-empty list"
        return
    seen: set[Any] = set()
    for field in fields:
        yield from field_problems(field, where)
        key = field.get("key") if isinstance(field, dict) else None
        if key in seen:
            yield f"{where} {key}: annotated twice"
        seen.add(key)


# ----------------------------------------------------------------- source field keys


def freemarker_keys(text: str) -> list[str]:
    """Field keys of a FreeMarker form: placeholder names, repeats numbered ``name~2``..."""
    counts: dict[str, int] = {}
    keys = []
    for match in PLACEHOLDER.finditer(text):
        name = re.split(r"[!?]", match.group(1).strip())[0].strip().strip("()")
        counts[name] = counts.get(name, 0) + 1
        keys.append(name if counts[name] == 1 else f"{name}~{counts[name]}")
    return keys


def schema_paths(schema: dict[str, Any]) -> tuple[set[str], list[set[str]]]:
    """Every property path of a JSON Schema, and its leaves (each as its accepted spellings).

    Arrays and oneOf/anyOf alternatives are transparent; a ``view:`` wrapper is accepted either
    without its name or with the ``view:`` prefix dropped, as the key convention allows both.
    """
    paths: set[str] = set()
    leaves: dict[frozenset[str], None] = {}

    def resolve(node: Any, depth: int) -> dict[str, Any]:
        while isinstance(node, dict) and isinstance(node.get("$ref"), str) and depth < 50:
            target: Any = schema
            for part in node["$ref"].lstrip("#/").split("/"):
                target = target.get(part.replace("~1", "/").replace("~0", "~"), {})
            node = {**target, **{k: v for k, v in node.items() if k != "$ref"}}
            depth += 1
        return node if isinstance(node, dict) else {}

    def structured(node: dict[str, Any], depth: int) -> bool:
        """True if the node holds properties (itself, in allOf, oneOf or anyOf) or items."""
        if "items" in node or "properties" in node:
            return True
        nested = [n for k in ("allOf", "oneOf", "anyOf") for n in node.get(k, [])]
        return depth < 50 and any(structured(resolve(n, depth), depth + 1) for n in nested)

    def walk(node: Any, prefixes: frozenset[str], depth: int) -> None:
        node = resolve(node, depth)
        if not structured(node, depth):
            if prefixes != frozenset({""}) and node.get("type") != "object":
                leaves[prefixes] = None
            return
        if "items" in node:
            walk(node["items"], prefixes, depth + 1)
        for name, child in node.get("properties", {}).items():
            view = name.startswith(VIEW_PREFIX)
            names = {"", name[len(VIEW_PREFIX) :]} if view else {name}
            joined = frozenset("/".join(x for x in (p, n) if x) for p in prefixes for n in names)
            paths.update(joined)
            walk(child, joined, depth + 1)
        for nested in (n for k in ("allOf", "oneOf", "anyOf") for n in node.get(k, [])):
            if structured(resolve(nested, depth), depth + 1):
                walk(nested, prefixes, depth + 1)

    walk(schema, frozenset({""}), 0)
    return paths - {""}, [set(p) for p in leaves]


def grant_keys(text: str) -> set[str]:
    """Property keys of a us-grants-forms listing (``key | title | type | $ref | enum`` lines)."""
    keys: set[str] = set()
    section = ""
    for line in text.splitlines():
        if line.startswith("#"):
            section = line
        elif "properties" in section and line.count("|") >= 4:
            keys.add(line.split("|")[0].strip())
    return keys


def source_mismatches(corpus: str, source: Path, keys: list[str]) -> list[str]:
    text = source.read_text(encoding="utf-8")
    if corpus == "zhejiang":
        expected = freemarker_keys(text)
        missing = [k for k in expected if k not in keys]
        extra = [k for k in keys if k not in expected]
        out_of_order = not missing and not extra and keys != expected
        return (
            [f"not annotated: {k}" for k in missing]
            + [f"not in the form: {k}" for k in extra]
            + (["keys are not in document order"] if out_of_order else [])
        )
    if corpus == "va":
        paths, leaves = schema_paths(json.loads(text))
        problems = [f"not a property path: {k}" for k in keys if k not in paths]
        return problems + [
            f"not annotated: {sorted(leaf)[0]}" for leaf in leaves if not leaf & set(keys)
        ]
    listed = grant_keys(text)
    roots = {re.split(r"[/.]", k)[0] for k in keys}
    listed_roots = {re.split(r"[/.]", k)[0] for k in listed}
    return [
        f"not in the form: {k}" for k in keys if re.split(r"[/.]", k)[0] not in listed_roots
    ] + [f"not annotated: {k}" for k in sorted(listed_roots - roots)]


# ----------------------------------------------------------------- tests


def test_every_zhejiang_form_of_the_split_is_annotated() -> None:
    split = yaml.safe_load((REALFORMS / "split.yaml").read_text(encoding="utf-8"))
    wanted = {Path(f).stem for part in split["zhejiang"].values() for f in part}
    annotated = {p.stem for p in (ANNOTATIONS / "zhejiang").glob("*.yaml")}
    assert sorted(wanted - annotated) == []
    assert sorted(annotated - wanted) == []


def test_concepts_are_described() -> None:
    """Every concepts file maps x:<snake_case> ids to a one-line meaning.

    A concept both corpora use may be described in both files (the same data asked by Chinese
    and English forms), so an id is not required to be unique across files.
    """
    for path in sorted(REALFORMS.glob("concepts*.yaml")):
        data = yaml.safe_load(path.read_text(encoding="utf-8")) or {}
        assert isinstance(data, dict), path.name
        for concept, meaning in data.items():
            assert CONCEPT.match(concept), f"{path.name}: {concept!r} is not x:<snake_case>"
            assert isinstance(meaning, str) and meaning.strip(), f"{path.name}: {concept}"
            assert "\n" not in meaning.strip(), f"{path.name}: {concept} takes more than a line"


def test_every_chinese_concept_is_used() -> None:
    described = set(yaml.safe_load((REALFORMS / "concepts-zh.yaml").read_text(encoding="utf-8")))
    used = set()
    for path in (ANNOTATIONS / "zhejiang").glob("*.yaml"):
        for field in load(path)["fields"]:
            item = field.get("item", [])
            used.update(item if isinstance(item, list) else [item])
    assert sorted(described - used) == []


@pytest.mark.parametrize("path", annotation_files(), ids=lambda p: f"{p.parent.name}/{p.stem}")
def test_annotation_schema(path: Path) -> None:
    assert list(form_problems(path, load(path))) == []


@pytest.mark.parametrize(
    "path",
    [p for p in annotation_files() if p.parent.name == "zhejiang"],
    ids=lambda p: f"{p.parent.name}/{p.stem}",
)
def test_annotation_keys_are_the_fields_of_the_form(path: Path) -> None:
    # the English files' keys are checked against their sources, with the array and
    # alternative rules of the benchmark's VA reader, in test_realforms_annotations_en.py
    corpus = path.parent.name
    source = SOURCE_DIRS[corpus] / Path(str(load(path).get("source", ""))).name
    if not source.is_file():
        pytest.skip(f"{source} is absent: the real forms are not beside the repository")
    keys = [f["key"] for f in load(path)["fields"]]
    assert source_mismatches(corpus, source, keys) == []


@pytest.mark.parametrize(
    ("field", "problem"),
    [
        ({"key": "a", "item": "name", "role": "applicant"}, None),
        ({"key": "a", "item": ["uscc", "organization_code"], "role": "organization"}, None),
        ({"key": "a", "item": "name", "role": "other:设计单位", "patterns": ["open-role"]}, None),
        ({"key": "a", "label": "审核人", "office_use": True}, None),
        ({"key": "a", "item": "no_such_item", "role": "applicant"}, "unknown item"),
        ({"key": "a", "item": "x:never_described", "role": "applicant"}, "concepts file"),
        ({"key": "a", "item": ["name"], "role": "applicant"}, "two or more"),
        ({"key": "a", "item": "name", "role": "designer"}, "unknown role"),
        ({"key": "a", "item": "name", "role": "other:"}, "unknown role"),
        ({"key": "a", "item": "name", "role": "applicant", "patterns": ["x"]}, "patterns"),
        ({"key": "a", "item": "name"}, "unknown role"),
        ({"key": "a", "item": "name", "role": "applicant", "colour": 1}, "unknown attribute"),
        ({"label": "姓名", "item": "name", "role": "applicant"}, "non-empty string key"),
    ],
)
def test_field_checks(field: dict[str, Any], problem: str | None) -> None:
    problems = list(field_problems(field, "form"))
    if problem is None:
        assert problems == []
    else:
        assert problems and all(problem in p for p in problems), problems


@pytest.mark.parametrize(
    ("text", "keys"),
    [
        ("${a!DefaultValue} ${b} ${a!''}", ["a", "b", "a~2"]),
        ('${x.y!""} ${x.y?html} ${ (z)!}', ["x.y", "x.y~2", "z"]),
        ("<#list datas as data>${data.value!DefaultValue}</#list>", ["data.value"]),
        ("no placeholder", []),
    ],
)
def test_freemarker_keys(text: str, keys: list[str]) -> None:
    assert freemarker_keys(text) == keys


def test_schema_paths_make_arrays_alternatives_and_view_wrappers_transparent() -> None:
    schema = {
        "definitions": {"name": {"type": "object", "properties": {"first": {"type": "string"}}}},
        "type": "object",
        "properties": {
            "children": {
                "type": "array",
                "items": {"properties": {"name": {"$ref": "#/definitions/name"}}},
            },
            "address": {
                "oneOf": [{"properties": {"city": {}}}, {"properties": {"city": {}, "zip": {}}}]
            },
            "view:veteranInfo": {"properties": {"ssn": {"type": "string"}}},
        },
    }
    paths, leaves = schema_paths(schema)
    assert {"children/name/first", "address/city", "address/zip", "ssn", "veteranInfo/ssn"} <= paths
    assert "children/items/name/first" not in paths
    assert sorted(sorted(leaf) for leaf in leaves) == [
        ["address/city"],
        ["address/zip"],
        ["children/name/first"],
        ["ssn", "veteranInfo/ssn"],
    ]
