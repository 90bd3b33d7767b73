"""The English real-forms annotations (va, us-grants): the shared format, every field listed."""

from __future__ import annotations

import re

import pytest
import yaml

from benchmarks.realforms_paths import leaf_paths
from benchmarks.realforms_truth import (
    REALFORMS,
    SPLITS,
    AnnotatedForm,
    annotation_path,
    load_annotation,
    load_split,
    source_path,
)
from benchmarks.us_grants import annotation_key, read_us_grants_form
from formmerge import load_catalog

ENGLISH = ("va", "us-grants-forms")
PATTERNS = {"subject", "layout", "open-role", "compound", "bilingual", "english", "equivalent"}
OPEN_ROLE = re.compile(r"other:[a-z][a-z0-9_]*")
CONCEPTS = yaml.safe_load((REALFORMS / "concepts-en.yaml").read_text(encoding="utf-8"))

FORMS = [
    (corpus, file) for corpus in ENGLISH for split in SPLITS for file in load_split()[corpus][split]
]


def annotation(corpus: str, file: str) -> AnnotatedForm:
    form = load_annotation(corpus, file)
    assert form is not None, f"{corpus}/{file} has no annotation"
    return form


@pytest.mark.parametrize(("corpus", "file"), FORMS)
def test_items_roles_and_patterns_are_known(corpus: str, file: str) -> None:
    catalog = load_catalog()
    items = {item.id for item in catalog.items}
    roles = {role.id for role in catalog.roles}
    form = annotation(corpus, file)
    source = yaml.safe_load(annotation_path(corpus, file).read_text(encoding="utf-8"))["source"]
    assert source == f"{annotation_path(corpus, file).parent.name}/{file}"
    assert form.subject in {"person", "organization"}
    for field in form.fields:
        if field.office_use:
            continue
        for item in field.items:
            assert item in items or item in CONCEPTS, f"{field.key}: unknown item {item}"
        assert field.role in roles or OPEN_ROLE.fullmatch(field.role or ""), field.key
        assert set(field.patterns) <= PATTERNS, field.key
        assert ("open-role" in field.patterns) == (field.role or "").startswith("other:"), field.key


def test_every_concept_is_used_and_none_is_a_catalog_item() -> None:
    used = {
        item
        for corpus, file in FORMS
        for field in annotation(corpus, file).fields
        for item in field.items
        if item.startswith("x:")
    }
    assert used == set(CONCEPTS)
    catalog_ids = {item.id for item in load_catalog().items}
    assert not {c.removeprefix("x:") for c in CONCEPTS} & catalog_ids


@pytest.mark.parametrize(("corpus", "file"), FORMS)
def test_every_field_of_the_source_is_annotated_once(corpus: str, file: str) -> None:
    path = source_path(corpus, file)
    if not path.is_file():
        pytest.skip(f"the real forms are not here ({path.parent.name}/ missing)")
    if corpus == "va":
        expected = list(leaf_paths(path))
    else:
        expected = [annotation_key(f) for f in read_us_grants_form(path).fields]
    assert [f.key for f in annotation(corpus, file).fields] == expected
