"""Tests for formmerge.bundle: the example bundles, their ground truth, and malformed bundles."""

from __future__ import annotations

from collections import Counter
from functools import cache
from pathlib import Path

import pytest
import yaml
from hypothesis import given
from hypothesis import strategies as st

from formmerge import bundle as bundle_module
from formmerge.bundle import (
    Bundle,
    ExpectedMapping,
    check_expected,
    list_example_bundles,
    load_bundle,
    load_expected,
)
from formmerge.catalog import load_catalog
from formmerge.errors import BundleError
from formmerge.materials import merge_materials
from formmerge.models import Catalog
from formmerge.resources import data_path

EXAMPLES = list_example_bundles()
EXAMPLE_IDS = [p.name for p in EXAMPLES]

MIN_FORMS = 3
MAX_FORMS = 7
REQUIRED_BUNDLES = (
    "newborn-birth",
    "enterprise-change",
    "school-enrolment",
    "retirement",
    "marriage-hukou",
    "english-small-business",
)


@cache
def catalog() -> Catalog:
    return load_catalog()


@cache
def example(name: str) -> Bundle:
    return load_bundle(data_path("examples") / "bundles" / name)


def test_all_names_are_exported() -> None:
    assert len(set(bundle_module.__all__)) == len(bundle_module.__all__)
    for name in bundle_module.__all__:
        assert hasattr(bundle_module, name)


def test_the_required_example_bundles_ship() -> None:
    assert set(REQUIRED_BUNDLES) <= set(EXAMPLE_IDS)
    assert sorted(EXAMPLE_IDS) == EXAMPLE_IDS


# --------------------------------------------------------------------------- the examples


@pytest.mark.parametrize("name", EXAMPLE_IDS)
def test_example_loads_with_3_to_7_forms(name: str) -> None:
    b = example(name)
    assert b.id == name
    assert MIN_FORMS <= len(b.forms) <= MAX_FORMS
    assert b.source_dir is not None and b.source_dir.name == name
    assert all(f.fields for f in b.forms)
    assert {f.subject for f in b.forms} == {b.subject}


@pytest.mark.parametrize("name", EXAMPLE_IDS)
def test_example_expected_mapping_agrees_with_forms_and_catalog(name: str) -> None:
    b = example(name)
    problems = check_expected(b, load_expected(b.source_dir or name), catalog())
    assert [str(p) for p in problems] == []


@pytest.mark.parametrize("name", EXAMPLE_IDS)
def test_example_has_unmatched_fields_and_a_recurring_gap(name: str) -> None:
    expected = load_expected(example(name).source_dir or name)
    assert expected.unmatched()
    assert expected.gaps
    for group in expected.gap_refs():
        assert len({form for form, _ in group}) >= 2, "a gap recurs across forms"


@pytest.mark.parametrize("name", EXAMPLE_IDS)
def test_example_integrated_process_beats_the_separate_matters(name: str) -> None:
    b = example(name)
    before = b.process_before
    assert all(f.process.steps >= 1 and f.process.days > 0 for f in b.forms)
    assert b.process.steps < before.steps
    assert b.process.trips < before.trips
    assert b.process.days < before.days


@pytest.mark.parametrize("name", EXAMPLE_IDS)
def test_example_departments_can_be_ordered(name: str) -> None:
    b = example(name)
    producers: dict[str, set[str]] = {}
    for f in b.forms:
        for item in f.produces:
            producers.setdefault(item, set()).add(f.id)
    after = {
        f.id: {p for i in f.consumes for p in producers.get(i, set())} - {f.id} for f in b.forms
    }
    done: set[str] = set()
    while len(done) < len(after):
        ready = {f for f, needs in after.items() if f not in done and needs <= done}
        assert ready, f"produces/consumes form a cycle among {sorted(set(after) - done)}"
        done |= ready


@pytest.mark.parametrize("name", EXAMPLE_IDS)
def test_example_materials_are_named(name: str) -> None:
    b = example(name)
    assert all(f.materials for f in b.forms)
    assert all(m.name.strip() for f in b.forms for m in f.materials)


def test_examples_mix_input_formats() -> None:
    suffixes = Counter(
        "csv"
        if f.source_file.endswith(".csv")
        else "schema"
        if ".schema." in f.source_file
        else "native"
        for name in EXAMPLE_IDS
        for f in example(name).forms
        if f.source_file
    )
    assert suffixes["native"] > suffixes["schema"] >= 3
    assert suffixes["csv"] >= 3


def test_enterprise_change_models_the_reported_case() -> None:
    b = example("enterprise-change")
    assert len(b.forms) == 6
    assert sum(len(f.materials) for f in b.forms) == 26
    assert b.process_before.trips == 6
    assert b.process_before.days >= 6
    assert (b.process.steps, b.process.trips, b.process.days) == (1, 0, 1)
    assert b.subject == "organization"


def test_enterprise_change_materials_leave_six_once_e_licences_replace_paper() -> None:
    e_licences = {m.id for m in catalog().materials if m.e_licence}
    merged = merge_materials(example("enterprise-change").forms, catalog())
    assert len(merged) == 8
    assert len([m for m in merged if m.id not in e_licences]) == 6


# --------------------------------------------------------------------------- malformed bundles

FORM_A = "id: form-a\ntitle: A\nfields:\n  - {key: xm, label: 姓名}\n"
FORM_B = "id: form-b\ntitle: B\nfields:\n  - {key: sfzhm, label: 身份证号码}\n"


def write_bundle(root: Path, bundle_yaml: str, forms: dict[str, str]) -> Path:
    (root / "forms").mkdir(parents=True, exist_ok=True)
    (root / "bundle.yaml").write_text(bundle_yaml, encoding="utf-8")
    for name, text in forms.items():
        (root / "forms" / name).write_text(text, encoding="utf-8")
    return root


def test_forms_default_to_every_form_file_in_order(tmp_path: Path) -> None:
    forms = {"2-b.yaml": FORM_B, "1-a.yaml": FORM_A, "notes.txt": "not a form"}
    b = load_bundle(write_bundle(tmp_path, "id: t\ntitle: T\n", forms))
    assert [f.id for f in b.forms] == ["form-a", "form-b"]
    assert b.process.steps == 0


def test_bundle_yaml_path_works_like_the_directory(tmp_path: Path) -> None:
    root = write_bundle(tmp_path, "id: t\ntitle: T\nforms: [forms/b.yaml]\n", {"b.yaml": FORM_B})
    assert load_bundle(root / "bundle.yaml") == load_bundle(root)


@pytest.mark.parametrize(
    ("bundle_yaml", "forms", "code", "file"),
    [
        (
            "id: t\ntitle: T\nforms: [forms/a.yaml, forms/gone.yaml]\n",
            {"a.yaml": FORM_A},
            "file-not-found",
            "gone.yaml",
        ),
        ("id: t\ntitle: T\n", {"a.yaml": FORM_A, "b.yaml": FORM_A}, "duplicate-form-id", "b.yaml"),
        ("id: t\ntitle: [T\n", {"a.yaml": FORM_A}, "syntax-error", "bundle.yaml"),
        ("id: t\ntitle: T\nsteps: 3\n", {"a.yaml": FORM_A}, "invalid-bundle", "bundle.yaml"),
        ("id: t\n", {"a.yaml": FORM_A}, "invalid-bundle", "bundle.yaml"),
        ("- a\n- b\n", {"a.yaml": FORM_A}, "not-a-mapping", "bundle.yaml"),
        ("id: t\ntitle: T\n", {}, "no-forms", "bundle.yaml"),
        ("id: t\ntitle: T\n", {"a.yaml": "id: a\nfields: 3\n"}, None, "a.yaml"),
    ],
    ids=["missing", "duplicate", "yaml", "unknown-key", "no-title", "list", "empty", "bad-form"],
)
def test_bad_bundles_name_the_file(
    tmp_path: Path, bundle_yaml: str, forms: dict[str, str], code: str | None, file: str
) -> None:
    with pytest.raises(BundleError) as info:
        load_bundle(write_bundle(tmp_path, bundle_yaml, forms))
    assert info.value.problems
    if code is not None:
        assert code in info.value.codes
    assert any((p.location.file or "").endswith(file) for p in info.value.problems)


def test_missing_bundle_yaml(tmp_path: Path) -> None:
    with pytest.raises(BundleError) as info:
        load_bundle(tmp_path)
    assert info.value.codes == ["file-not-found"]


def test_all_problems_are_reported_together(tmp_path: Path) -> None:
    bundle_yaml = (
        "id: t\ntitle: T\nforms: [forms/a.yaml, forms/x.yaml, forms/y.yaml, forms/a2.yaml]\n"
    )
    root = write_bundle(tmp_path, bundle_yaml, {"a.yaml": FORM_A, "a2.yaml": FORM_A})
    with pytest.raises(BundleError) as info:
        load_bundle(root)
    assert sorted(info.value.codes) == ["duplicate-form-id", "file-not-found", "file-not-found"]


# --------------------------------------------------------------------------- expected mappings


def test_expected_mapping_parts() -> None:
    expected = ExpectedMapping.model_validate(
        {
            "mapping": {
                "a": {"xm": "name@applicant", "bz": None, "sms": None},
                "b": {"name": "name@applicant", "fq/xm": "name@father", "notice": None},
            },
            "gaps": [["a:sms", "b:notice"]],
            "merged_fields": 4,
        }
    )
    assert expected.target("b", "fq/xm") == ("name", "father")
    assert expected.target("a", "bz") is None
    assert expected.pairs() == {("name", "applicant"), ("name", "father")}
    assert expected.unmatched() == [("a", "bz"), ("a", "sms"), ("b", "notice")]
    assert expected.count_merged_fields() == 4
    with pytest.raises(KeyError):
        expected.target("a", "nope")


@pytest.mark.parametrize(
    "data",
    [
        {"mapping": {"a": {"xm": "name"}}, "merged_fields": 1},
        {"mapping": {"a": {"xm": "name@"}}, "merged_fields": 1},
        {"mapping": {"a": {"xm": "@applicant"}}, "merged_fields": 1},
        {"mapping": {"a": {"xm": None}}, "merged_fields": 1, "gaps": [["a:xm"]]},
        {"mapping": {"a": {"xm": None}}, "merged_fields": 1, "gaps": [["xm", "a:xm"]]},
        {"mapping": {}, "merged_fields": -1},
        {"mapping": {}, "merged_fields": 0, "extra": 1},
    ],
)
def test_malformed_expected_mapping(tmp_path: Path, data: dict[str, object]) -> None:
    (tmp_path / "expected.yaml").write_text(yaml.safe_dump(data), encoding="utf-8")
    with pytest.raises(BundleError) as info:
        load_expected(tmp_path)
    assert set(info.value.codes) == {"invalid-bundle"}
    assert all(
        p.location.file and p.location.file.endswith("expected.yaml") for p in info.value.problems
    )


def test_check_expected_finds_disagreements(tmp_path: Path) -> None:
    b = load_bundle(
        write_bundle(tmp_path, "id: t\ntitle: T\n", {"a.yaml": FORM_A, "b.yaml": FORM_B})
    )
    expected = ExpectedMapping.model_validate(
        {
            "mapping": {
                "form-a": {"xm": "name@nobody", "ghost": None},
                "form-z": {"x": "no_such_item@applicant"},
            },
            "gaps": [["form-a:xm", "form-z:x"]],
            "merged_fields": 7,
        }
    )
    codes = Counter(p.code for p in check_expected(b, expected, catalog()))
    assert codes == Counter(
        {
            "unknown-form": 1,
            "form-not-mapped": 1,
            "unknown-field": 1,
            "gap-not-null": 2,
            "merged-fields-mismatch": 1,
            "unknown-role": 1,
            "unknown-item": 1,
        }
    )


@given(
    st.lists(
        st.tuples(
            st.sampled_from(["name", "sex", "citizen_id", None]),
            st.sampled_from(["applicant", "child"]),
        ),
        min_size=1,
        max_size=20,
    )
)
def test_merged_field_count_is_pairs_plus_lone_unmatched(
    rows: list[tuple[str | None, str]],
) -> None:
    mapping = {
        "f": {f"k{i}": (f"{item}@{role}" if item else None) for i, (item, role) in enumerate(rows)}
    }
    pairs = {(item, role) for item, role in rows if item}
    lone = sum(1 for item, _ in rows if item is None)
    expected = ExpectedMapping(mapping=mapping, merged_fields=0)
    assert expected.count_merged_fields() == len(pairs) + lone
    assert expected.count_merged_fields() <= len(rows)


DOCS = Path(__file__).resolve().parents[1] / "docs" / "bundles.md"


@pytest.mark.skipif(not DOCS.is_file(), reason="documentation not present")
@pytest.mark.parametrize("name", EXAMPLE_IDS)
def test_docs_table_lists_each_bundle_with_its_counts(name: str) -> None:
    b = example(name)
    expected = load_expected(b.source_dir or name)
    row = next(
        line for line in DOCS.read_text(encoding="utf-8").splitlines() if f"| `{name}` |" in line
    )
    cells = [c.strip() for c in row.strip("|").split("|")]
    fields = sum(len(f.fields) for f in b.forms)
    assert cells[3:6] == [str(len(b.forms)), str(fields), str(expected.merged_fields)]
