"""Clustering uncatalogued fields across forms."""

from __future__ import annotations

from hypothesis import given
from hypothesis import strategies as st

from formmerge.clustering import cluster_labels


def test_similar_labels_of_different_forms_join() -> None:
    fields = [("a", "是否同意短信通知", "boolean"), ("b", "是否同意接收短信通知", "boolean")]
    assert cluster_labels(fields) == [[0, 1]]


def test_two_fields_of_one_form_never_join() -> None:
    fields = [
        ("a", "备用电话号", "string"),
        ("a", "备用电话号", "string"),
        ("b", "备用电话号", "string"),
    ]
    clusters = cluster_labels(fields)
    assert sorted(map(len, clusters)) == [1, 2]
    for cluster in clusters:
        forms = [fields[i][0] for i in cluster]
        assert len(forms) == len(set(forms))


def test_a_label_plus_a_qualifier_joins() -> None:
    fields = [
        ("a", "变更后", "string"),
        ("b", "变更后内容", "string"),
        ("c", "变更前内容", "string"),
    ]
    assert cluster_labels(fields) == [[0, 1], [2]]


def test_overlapping_options_join_fairly_similar_labels() -> None:
    fields = [("a", "退休类别", "enum"), ("b", "退休类型", "enum")]
    same = frozenset({"正常退休", "提前退休"})
    assert cluster_labels(fields, options=[same, same]) == [[0, 1]]
    other = frozenset({"甲", "乙"})
    assert cluster_labels(fields, options=[same, other]) == [[0], [1]]


def test_different_roles_never_join() -> None:
    fields = [("a", "Prefix", "string"), ("b", "Prefix", "string")]
    assert cluster_labels(fields, roles=["contact", "agent"]) == [[0], [1]]


def test_files_and_values_do_not_join() -> None:
    fields = [("a", "照片", "file"), ("b", "照片", "string")]
    assert cluster_labels(fields) == [[0], [1]]


@given(
    st.lists(
        st.tuples(st.sampled_from("abc"), st.text(max_size=6), st.sampled_from(["string", "file"])),
        max_size=25,
    )
)
def test_every_field_is_in_exactly_one_cluster(fields: list[tuple[str, str, str]]) -> None:
    clusters = cluster_labels(fields)
    flat = sorted(i for c in clusters for i in c)
    assert flat == list(range(len(fields)))
    for cluster in clusters:
        forms = [fields[i][0] for i in cluster]
        assert len(forms) == len(set(forms))
