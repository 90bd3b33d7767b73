"""The real-forms benchmark's metric code, on tiny hand-made cases."""

from __future__ import annotations

import re
from pathlib import Path

import pytest
from hypothesis import given
from hypothesis import strategies as st

from benchmarks.peers import valentine_available
from benchmarks.realforms import exact_label_clusters, normalised_label, run_group, scores
from benchmarks.realforms_metrics import (
    Prediction,
    ScoredField,
    accepted_clusters,
    dedup_score,
    mapping_scores,
    pattern_scores,
)
from benchmarks.realforms_peers import alias_frame, coma_predictions
from benchmarks.realforms_truth import AnnotatedField, annotated_forms, load_annotation
from benchmarks.us_grants import annotation_key, read_us_grants_form
from formmerge import load_catalog


def truth(key: str, items: str | tuple[str, ...], role: str, *patterns: str) -> AnnotatedField:
    items = (items,) if isinstance(items, str) else items
    return AnnotatedField(key=key, items=items, role=role, patterns=patterns)


# Two forms; A and B both ask the applicant's name and phone, B also the organization's phone.
TRUTH = {
    ("A", "name"): truth("name", "name", "applicant"),
    ("A", "tel"): truth("tel", "phone", "applicant", "layout"),
    ("B", "xm"): truth("xm", "name", "applicant"),
    ("B", "dh"): truth("dh", "phone", "applicant", "layout"),
    ("B", "dwdh"): truth("dwdh", "phone", "organization", "subject"),
}
TRUE_CLUSTERS = [[("A", "name"), ("B", "xm")], [("A", "tel"), ("B", "dh")], [("B", "dwdh")]]


def fields(predictions: dict[tuple[str, str], Prediction | None]) -> list[ScoredField]:
    return [
        ScoredField(form, TRUTH[(form, key)], predictions.get((form, key))) for form, key in TRUTH
    ]


def perfect() -> list[ScoredField]:
    return fields({ref: Prediction("matched", t.items[0], t.role) for ref, t in TRUTH.items()})


def test_perfect_prediction_scores_one_everywhere() -> None:
    rows = perfect()
    m = mapping_scores(rows)
    assert (m["accuracy"], m["wrong_confident"], m["review"], m["missed"]) == (1.0, 0.0, 0.0, 0.0)
    for merged in (TRUE_CLUSTERS, accepted_clusters(TRUE_CLUSTERS, rows)):
        d = dedup_score(merged, rows)
        assert (d.precision, d.recall, d.f1) == (1.0, 1.0, 1.0)
    assert all(p["accuracy"] == 1.0 for p in pattern_scores(rows).values())


def test_known_bad_prediction_gives_its_hand_computed_figures() -> None:
    # the organization's phone is taken as the applicant's (wrong, confident) and merged with
    # both applicant phones; A's name goes to review; B's name is missed.
    rows = fields(
        {
            ("A", "name"): Prediction("review", "name", "applicant"),
            ("A", "tel"): Prediction("matched", "phone", "applicant"),
            ("B", "dh"): Prediction("matched", "phone", "applicant"),
            ("B", "dwdh"): Prediction("matched", "phone", "applicant"),
        }
    )
    m = mapping_scores(rows)
    assert m["accuracy"] == 0.4  # 2 of 5 right
    assert m["wrong_confident"] == 0.2  # 1 of 5
    assert m["review"] == 0.2 and m["missed"] == 0.2
    merged = [[("A", "tel"), ("B", "dh"), ("B", "dwdh")], [("A", "name")]]
    d = dedup_score(merged, rows)
    # predicted cross-form pairs: tel-dh (true), tel-dwdh (false); true pairs: name-xm, tel-dh
    assert (d.tp, d.fp, d.fn) == (1, 1, 1)
    assert d.f1 == pytest.approx(0.5)
    assert pattern_scores(rows)["subject"]["wrong_confident"] == 1.0
    assert pattern_scores(rows)["layout"]["accuracy"] == 1.0


def test_accepting_review_joins_a_proposal_with_the_matched_fields() -> None:
    rows = fields(
        {
            ("A", "name"): Prediction("matched", "name", "applicant"),
            ("B", "xm"): Prediction("review", "name", "applicant"),
        }
    )
    as_merged = [[("A", "name")], [("B", "xm")]]
    assert dedup_score(as_merged, rows).tp == 0
    accepted = dedup_score(accepted_clusters(as_merged, rows), rows)
    assert (accepted.tp, accepted.fp) == (1, 0)


@pytest.mark.parametrize(
    ("items", "role", "predicted", "right"),
    [
        (("name", "enterprise_name"), "applicant", ("enterprise_name", "applicant"), True),
        (("name", "enterprise_name"), "applicant", ("name", "applicant"), True),
        (("name", "enterprise_name"), "applicant", ("phone", "applicant"), False),
        ("name", "other:veteran", ("name", "applicant"), False),
        ("name", "other:veteran", ("name", "other:veteran"), True),
        ("name", "other:veteran", ("name", "other:sponsor"), False),
    ],
)
def test_composite_items_and_open_roles(
    items: str | tuple[str, ...], role: str, predicted: tuple[str, str], right: bool
) -> None:
    row = ScoredField("A", truth("k", items, role), Prediction("matched", *predicted))
    assert row.right is right
    assert row.wrong_confident is not right


def test_office_use_and_uncatalogued_fields() -> None:
    office = ScoredField(
        "A", AnnotatedField(key="shr", office_use=True), Prediction("matched", "name", "agent")
    )
    concept = ScoredField("A", truth("p", "x:project_title", "organization"), None)
    m = mapping_scores([office, concept])
    assert m["fields"] == 1 and m["covered"] == 0 and m["accuracy"] is None
    assert m["missed"] == 1.0


def test_missed_fields_lose_their_pairs() -> None:
    rows = fields({})
    d = dedup_score([], rows)
    assert (d.tp, d.fp, d.fn) == (0, 0, 2)
    assert d.recall == 0.0


def test_exact_label_baseline_joins_equal_labels_only() -> None:
    labels = {("A", "a"): "Telephone Number", ("B", "b"): "telephone  number:", ("B", "c"): ""}
    clusters = exact_label_clusters(labels)
    assert sorted(map(sorted, clusters)) == [[("A", "a"), ("B", "b")], [("B", "c")]]
    assert normalised_label("Ｅｍａｉｌ Address") == "emailaddress"


GRANTS_TXT = """\
# SOURCE: hand-made for this test
# FORM: "form_name": "Tiny_1_0",
# SHARED DEFS used via $ref: ADDRESS_SHARED_V1:address = Street 1, City; {names} (per shared)
## JSON-schema properties: key | title | type | $ref(shared def) | enum (truncated)
organization_name | Legal Name |  | COMMON_SHARED_V1:organization_name |
applicant | Applicant |  | ADDRESS_SHARED_V1:address |
director | Project Director |  | person_group |
kind | Type | string |  | A: State; B: County
box |  | object |  |
box.date | Date | string |  |
people | People | array |  |
## local $defs
person_group.name | Name |  | COMMON_SHARED_V1:person_name |
person_group.phone | Telephone Number |  | COMMON_SHARED_V1:phone_number |
member.role | Project Role | string |  |
## UI schema sections (order of form)
SECTION 1. Applicant
""".format(names="COMMON_SHARED_V1:person_name = First Name, Last Name")


def test_us_grants_adapter_expands_definitions(tmp_path: Path) -> None:
    path = tmp_path / "tiny.txt"
    path.write_text(GRANTS_TXT, encoding="utf-8")
    form = read_us_grants_form(path)
    assert [annotation_key(f) for f in form.fields] == [
        "organization_name",
        "applicant.street_1",
        "applicant.city",
        "director.name.first_name",
        "director.name.last_name",
        "director.phone",
        "kind",
        "box.date",
        "people.role",
    ]
    first = form.fields[3]
    assert first.label == "First Name"
    assert [g.label for g in first.group] == ["Project Director", "Name"]
    assert form.fields[6].type == "enum" and [o.code for o in form.fields[6].options] == ["A", "B"]
    assert form.fields[-1].group[0].repeating


def test_annotation_needs_item_and_role_unless_office_use(tmp_path: Path) -> None:
    folder = tmp_path / "va"
    folder.mkdir()
    (folder / "f.yaml").write_text(
        "source: va/f.json\nfields:\n  - key: a\n    item: name\n", encoding="utf-8"
    )
    with pytest.raises(ValueError, match="needs an item and a role"):
        load_annotation("va", "f.json", tmp_path)
    (folder / "f.yaml").write_text(
        "fields:\n  - {key: a, item: name, role: applicant}\n  - {key: b, office_use: true}\n",
        encoding="utf-8",
    )
    form = load_annotation("va", "f.json", tmp_path)
    assert form is not None and [f.scored for f in form.fields] == [True, False]
    assert load_annotation("va", "absent.json", tmp_path) is None
    for bad, says in [("fields: [\n", "not valid YAML"), ("title: x\n", "needs a list of fields")]:
        (folder / "f.yaml").write_text(bad, encoding="utf-8")
        with pytest.raises(ValueError, match=says):
            load_annotation("va", "f.json", tmp_path)


def test_english_dev_run_accounts_for_every_annotated_field() -> None:
    forms, _ = annotated_forms("dev", "en")
    if not forms or not all(f.path.is_file() for f in forms):
        pytest.skip("the English real forms or their annotations are not here")
    run = run_group("en", "dev")
    result = scores(run)
    assert result["forms"] == len(forms) == result["forms_loaded"] + len(result["not_loaded"])
    scored = sum(1 for f in forms for field in f.fields if field.scored)
    assert result["mapping"]["fields"] == len(run.scored) == scored
    # the us-grants adapter is ours: every field it builds is annotated and found
    grants = [f.form_id for f in forms if f.corpus == "us-grants-forms"]
    assert grants and not set(grants) & set(run.not_loaded)
    assert all(sf.prediction is not None for sf in run.scored if sf.form in grants)
    assert not set(grants) & set(run.unannotated)
    for figure in result["dedup"].values():
        assert 0.0 <= figure["f1"] <= 1.0


def test_coma_gets_one_catalog_column_per_name() -> None:
    catalog = load_catalog()
    english, items = alias_frame(catalog, "en")
    assert len(set(english.columns)) == len(english.columns) == len(items)
    assert not any(re.search(r"[\u3400-\u9fff]", name) for name in english.columns)
    by_name = dict(zip(english.columns, items, strict=True))
    assert by_name["Given name"] == "given_name" and by_name["firstName"] == "given_name"
    chinese, _ = alias_frame(catalog, "zh")
    assert "姓名" in set(chinese.columns) and "xm" in set(chinese.columns)


def test_coma_baseline_maps_a_small_form(tmp_path: Path) -> None:
    if valentine_available() is None:
        pytest.skip("valentine is not installed (pip install -e '.[bench]')")
    path = tmp_path / "tiny.txt"
    path.write_text(GRANTS_TXT, encoding="utf-8")
    form = read_us_grants_form(path)
    result = coma_predictions([form], load_catalog())
    assert set(result.predictions) == {(form.id, f.path) for f in form.fields}
    assert result.predictions[(form.id, "director/name/first_name")] == ("given_name", "applicant")


@given(
    st.lists(
        st.tuples(st.sampled_from("ABCD"), st.sampled_from(("name", "phone", "email"))),
        min_size=1,
        max_size=30,
    )
)
def test_true_clusters_score_one_and_one_big_cluster_recalls_everything(
    placed: list[tuple[str, str]],
) -> None:
    rows = [
        ScoredField(form, truth(f"k{i}", item, "applicant"), None)
        for i, (form, item) in enumerate(placed)
    ]
    by_truth: dict[str, list[tuple[str, str]]] = {}
    for row in rows:
        by_truth.setdefault(row.truth.truth_label, []).append(row.ref)
    perfect = dedup_score(by_truth.values(), rows)
    assert (perfect.fp, perfect.fn) == (0, 0)
    everything = dedup_score([[row.ref for row in rows]], rows)
    assert everything.fn == 0 and everything.tp == perfect.tp
    alone = dedup_score([], rows)
    assert alone.tp == alone.fp == 0 and alone.fn == perfect.tp
