"""The learning catalog: proposals from confirmed decisions, counts, conflicts, the applied copy."""

from __future__ import annotations

from pathlib import Path

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from formmerge import load_catalog, match
from formmerge.bundle import list_example_bundles
from formmerge.catalog_learning import (
    CatalogPatch,
    LearningSource,
    apply_catalog_patch,
    learn_catalog,
    learning_source,
)
from formmerge.cli import main
from formmerge.decisions import Decision, Decisions
from formmerge.errors import DecisionsError
from formmerge.models import Catalog, Field, Form
from formmerge.resources import data_path


def _form(form_id: str, *fields: tuple[str, str]) -> Form:
    return Form(id=form_id, fields=tuple(Field(key=k, label=label) for k, label in fields))


def _source(name: str, form: Form, *decisions: Decision) -> LearningSource:
    return LearningSource(Decisions(decisions, source=name), (form,))


RESIDENCE = _form("bureau-a", ("jsdz", "居所地址"), ("dz", "地址"))
PREGNANT = _form("bureau-b", ("yfsfzh", "孕妇身份证号"))


@pytest.fixture(scope="module")
def catalog() -> Catalog:
    return load_catalog()


def _status(form: Form, catalog: Catalog, path: str) -> tuple[str, str | None, str | None]:
    m = next(m for m in match(form, catalog) if m.path == path)
    return m.status, m.item, m.role


@pytest.fixture(scope="module")
def learned(
    tmp_path_factory: pytest.TempPathFactory, catalog: Catalog
) -> tuple[CatalogPatch, Catalog]:
    sources = [
        _source(
            "a.yaml",
            RESIDENCE,
            Decision(form="bureau-a", field="jsdz", item="current_address", role="applicant"),
            Decision(form="bureau-a", field="dz", item="registered_address", role="organization"),
        ),
        _source(
            "b.yaml",
            PREGNANT,
            Decision(form="bureau-b", field="yfsfzh", item="citizen_id", role="mother"),
        ),
        _source(
            "c.yaml",
            _form("bureau-c", ("jsdz", "居所地址")),
            Decision(field="jsdz", item="current_address"),
        ),
    ]
    patch = learn_catalog(sources, catalog)
    return patch, apply_catalog_patch(patch, tmp_path_factory.mktemp("cat") / "catalog")


def test_aliases_and_role_words_are_proposed_with_counts(
    learned: tuple[CatalogPatch, Catalog],
) -> None:
    patch, _ = learned
    got = {(p.kind, p.target, p.value): (p.count, p.sources) for p in patch.proposals}
    assert got == {
        ("alias", "current_address", "居所地址"): (2, ("a.yaml", "c.yaml")),
        ("role_word", "mother", "孕妇"): (1, ("b.yaml",)),
    }
    # 地址 already names another item: not proposed, and the patch says why
    skipped = {(s.target, s.value): s.why for s in patch.skipped}
    assert "already a name of item" in skipped[("registered_address", "地址")]


def test_accepted_proposals_need_no_review_on_other_forms(
    learned: tuple[CatalogPatch, Catalog], catalog: Catalog
) -> None:
    _, improved = learned
    other = _form("bureau-z", ("jsdz", "居所地址"), ("yfxm", "孕妇姓名"))
    assert _status(other, catalog, "jsdz")[0] == "review"
    assert _status(other, improved, "jsdz") == ("matched", "current_address", "applicant")
    assert _status(other, catalog, "yfxm")[0] == "unmatched"
    assert _status(other, improved, "yfxm") == ("matched", "name", "mother")


def test_the_copy_keeps_the_catalogs_comments_and_adds_only_the_names(
    learned: tuple[CatalogPatch, Catalog], tmp_path: Path
) -> None:
    patch, _ = learned
    out = tmp_path / "copy"
    apply_catalog_patch(patch, out)
    shipped = data_path("field_catalog")
    before = (shipped / "roles.yaml").read_text(encoding="utf-8").splitlines()
    after = (out / "roles.yaml").read_text(encoding="utf-8").splitlines()
    changed = [(a, b) for a, b in zip(before, after, strict=True) if a != b]
    assert len(changed) == 1 and changed[0][1] == changed[0][0][:-1] + ', "孕妇"]'
    contact = (out / "items" / "contact.yaml").read_text(encoding="utf-8")
    assert '"居所地址"]' in contact
    assert contact.startswith((shipped / "items" / "contact.yaml").read_text(encoding="utf-8")[:40])


def test_a_rejection_or_a_threshold_keeps_a_lesson_out(catalog: Catalog) -> None:
    confirm = Decision(form="bureau-a", field="jsdz", item="current_address")
    reject = Decision(form="bureau-c", field="jsdz", item="current_address", status="rejected")
    sources = [
        _source("a.yaml", RESIDENCE, confirm),
        _source("c.yaml", _form("bureau-c", ("jsdz", "居所地址")), reject),
    ]
    patch = learn_catalog(sources, catalog)
    assert patch.proposals == ()
    assert [s.why for s in patch.skipped] == ["another decision rejects the item for this label"]
    patch = learn_catalog(sources[:1], catalog, min_count=2)
    assert patch.proposals == () and "fewer than 2" in patch.skipped[0].why


def test_the_patch_round_trips_and_reads_as_a_diff(
    learned: tuple[CatalogPatch, Catalog], catalog: Catalog, tmp_path: Path
) -> None:
    patch, _ = learned
    path = tmp_path / "patch.yaml"
    patch.save(path)
    assert CatalogPatch.from_file(path) == patch
    diff = patch.diff(catalog)
    assert "+ items/contact.yaml current_address.aliases: 居所地址   (2x, 2 file(s))" in diff
    assert "+ roles.yaml mother.words_zh: 孕妇" in diff


@settings(max_examples=6, deadline=None)
@given(order=st.permutations([0, 1, 2]))
def test_what_is_learned_does_not_depend_on_the_order_of_the_files(order: list[int]) -> None:
    catalog = load_catalog()
    sources = [
        _source(
            "a.yaml", RESIDENCE, Decision(form="bureau-a", field="jsdz", item="current_address")
        ),
        _source(
            "b.yaml",
            PREGNANT,
            Decision(form="bureau-b", field="yfsfzh", item="citizen_id", role="mother"),
        ),
        _source("c.yaml", RESIDENCE, Decision(form="bureau-a", field="jsdz", item="hukou_address")),
    ]
    shuffled = learn_catalog([sources[i] for i in order], catalog)
    assert shuffled == learn_catalog(sources, catalog)


def test_catalog_learn_from_the_command_line(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    files = [str(p / "decisions.yaml") for p in list_example_bundles()]
    patch, out = tmp_path / "patch.yaml", tmp_path / "learned"
    assert main(["catalog", "learn", *files, "-o", str(patch), "--apply", str(out)]) == 0
    printed = capsys.readouterr().out
    assert "+ items/" in printed and "not proposed" in printed
    assert CatalogPatch.from_file(patch).proposals
    assert load_catalog(out).items
    # a bundle's decisions bring the bundle's forms, so field decisions have labels
    newborn = next(p for p in list_example_bundles() if p.name == "newborn-birth")
    assert learning_source(newborn / "decisions.yaml").forms
    out2 = tmp_path / "again"
    assert main(["catalog", "learn", "--patch", str(patch), "--apply", str(out2)]) == 0
    assert (out2 / "roles.yaml").read_text(encoding="utf-8") == (out / "roles.yaml").read_text(
        encoding="utf-8"
    )


def test_catalog_learn_without_files_says_what_to_give(capsys: pytest.CaptureFixture[str]) -> None:
    assert main(["catalog", "learn"]) == 2
    assert "decisions files" in capsys.readouterr().out


def test_an_existing_directory_is_not_overwritten(
    learned: tuple[CatalogPatch, Catalog], tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    patch, _ = learned
    path = tmp_path / "patch.yaml"
    patch.save(path)
    assert main(["catalog", "learn", "--patch", str(path), "--apply", str(tmp_path)]) == 2
    assert "output-exists" in capsys.readouterr().out


@pytest.mark.parametrize(
    ("text", "code"), [(None, "file-not-found"), ("proposals: 3\n", "invalid-entry")]
)
def test_a_bad_patch_file_is_a_located_error(tmp_path: Path, text: str | None, code: str) -> None:
    path = tmp_path / "patch.yaml"
    if text is not None:
        path.write_text(text, encoding="utf-8")
    with pytest.raises(DecisionsError) as err:
        CatalogPatch.from_file(path)
    assert err.value.codes == [code] and err.value.problems[0].location.file == str(path)


def test_a_named_equivalence_becomes_an_item_the_next_run_matches(
    catalog: Catalog, tmp_path: Path
) -> None:
    pet_a = _form("bureau-a", ("xxmc", "犬只芯片编号"))
    pet_b = _form("bureau-b", ("jdxx", "宠物芯片号"))
    decisions = Decisions((), source="a.yaml", same=(("bureau-a:xxmc", "bureau-b:jdxx"),))
    patch = learn_catalog([LearningSource(decisions, (pet_a, pet_b))], catalog)
    (found,) = patch.equivalences
    assert set(found.labels) == {"犬只芯片编号", "宠物芯片号"} and found.count == 1
    # unnamed, it is listed but not applied
    assert "name an item" in patch.diff(catalog)
    plain = apply_catalog_patch(patch, tmp_path / "plain")
    assert {i.id for i in plain.items} == {i.id for i in catalog.items}
    named = patch.model_copy(
        update={"equivalences": (found.model_copy(update={"item": "pet_chip_number"}),)}
    )
    saved = tmp_path / "patch.yaml"
    named.save(saved)
    reread = CatalogPatch.from_file(saved)
    assert "+ items/learned.yaml pet_chip_number" in reread.diff(catalog)
    improved = apply_catalog_patch(reread, tmp_path / "named")
    item = improved.item("pet_chip_number")
    assert item.domain == "learned" and {item.label_zh, *item.aliases} == set(found.labels)
    for label in found.labels:  # each label on a form of its own (two in one form is a review)
        other = _form("bureau-z", ("xx", label))
        assert _status(other, catalog, "xx")[1] is None
        assert _status(other, improved, "xx")[:2] == ("matched", "pet_chip_number")
