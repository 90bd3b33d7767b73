"""Reduction reports on a small hand-built bundle whose every figure is counted by hand.

The bundle has three forms from two departments::

    a (dept X)  fields xm=name@applicant, sfzh=citizen_id@applicant, sj=mobile@applicant,
                bz=备注 (uncatalogued); materials 居民身份证, 申请书; produces marriage cert no.
    b (dept Y)  fields xm=name@applicant, sfzh=citizen_id@applicant, bz=备注,
                poxm=name@spouse; materials 身份证, 结婚证
    c (dept X)  fields sfzh=citizen_id@applicant, yhzh=bank_account_number@applicant;
                materials 银行卡; consumes the marriage certificate number

A "population" source holds name and citizen_id, keyed by citizen_id; the spouse's key is
found from the applicant's through a relation.
"""

from __future__ import annotations

import json
import math
from dataclasses import dataclass

import pandas as pd
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from formmerge.bundle import Bundle
from formmerge.errors import FormmergeError
from formmerge.merging import merge
from formmerge.models import (
    Catalog,
    CatalogItem,
    Field,
    FieldMatch,
    Form,
    Material,
    MaterialType,
    MergedForm,
    Process,
    Role,
)
from formmerge.report import (
    BundleReport,
    RoleLink,
    SourceCoverage,
    bundle_report,
    change_pct,
    portfolio_report,
)
from formmerge.report.charts import Series, bar_chart
from formmerge.report.render import format_cell, markdown_table

CATALOG = Catalog(
    items=(
        CatalogItem(
            id="name",
            domain="person",
            label_zh="姓名",
            label_en="Name",
            roles=("applicant", "spouse"),
        ),
        CatalogItem(
            id="citizen_id",
            domain="person",
            label_zh="公民身份号码",
            label_en="Citizen ID number",
            roles=("applicant", "spouse"),
        ),
        CatalogItem(id="mobile", domain="contact", label_zh="手机号码", label_en="Mobile"),
        CatalogItem(
            id="bank_account_number",
            domain="employment",
            label_zh="银行账号",
            label_en="Bank account number",
        ),
        CatalogItem(
            id="marriage_certificate_number",
            domain="marriage",
            label_zh="结婚证字号",
            label_en="Marriage certificate number",
        ),
    ),
    roles=(
        Role(id="applicant", label_zh="申请人", label_en="applicant", words_zh=("申请人",)),
        Role(id="spouse", label_zh="配偶", label_en="spouse", words_zh=("配偶",)),
    ),
    materials=(
        MaterialType(
            id="resident_id_card",
            name_zh="居民身份证",
            name_en="Resident ID card",
            aliases=("身份证",),
            evidences=("name", "citizen_id"),
            e_licence=True,
        ),
        MaterialType(
            id="marriage_certificate",
            name_zh="结婚证",
            name_en="Marriage certificate",
            evidences=("marriage_certificate_number",),
        ),
    ),
)

FORM_A = Form(
    id="a",
    title="表A",
    department="X",
    fields=(
        Field(key="xm", label="姓名"),
        Field(key="sfzh", label="身份证号"),
        Field(key="sj", label="手机"),
        Field(key="bz", label="备注"),
    ),
    materials=(Material(name="居民身份证"), Material(name="申请书")),
    process=Process(steps=2, trips=1, days=3),
    produces=("marriage_certificate_number",),
)
FORM_B = Form(
    id="b",
    title="表B",
    department="Y",
    fields=(
        Field(key="xm", label="姓名"),
        Field(key="sfzh", label="身份证号"),
        Field(key="bz", label="备注"),
        Field(key="poxm", label="配偶姓名"),
    ),
    materials=(Material(name="身份证", kind="copy"), Material(name="结婚证")),
    process=Process(steps=1, trips=1, days=4),
)
FORM_C = Form(
    id="c",
    title="表C",
    department="X",
    fields=(Field(key="sfzh", label="身份证号"), Field(key="yhzh", label="银行账号")),
    materials=(Material(name="银行卡"),),
    process=Process(steps=2, trips=1, days=2),
    consumes=("marriage_certificate_number",),
)
TARGETS: dict[tuple[str, str], tuple[str, str] | None] = {
    ("a", "xm"): ("name", "applicant"),
    ("a", "sfzh"): ("citizen_id", "applicant"),
    ("a", "sj"): ("mobile", "applicant"),
    ("a", "bz"): None,
    ("b", "xm"): ("name", "applicant"),
    ("b", "sfzh"): ("citizen_id", "applicant"),
    ("b", "bz"): None,
    ("b", "poxm"): ("name", "spouse"),
    ("c", "sfzh"): ("citizen_id", "applicant"),
    ("c", "yhzh"): ("bank_account_number", "applicant"),
}
POPULATION = SourceCoverage.from_pairs(
    [("population", "name"), ("population", "citizen_id")],
    name="test",
    links=[RoleLink("spouse", "applicant", "citizen_id", frozenset({"citizen_id"}))],
)


def _bundle(bundle_id: str = "toy", forms: tuple[Form, ...] = (FORM_A, FORM_B, FORM_C)) -> Bundle:
    return Bundle(
        id=bundle_id,
        title=f"{bundle_id} 一件事",
        forms=forms,
        process=Process(steps=1, trips=0, days=2),
    )


def _merged(bundle: Bundle) -> MergedForm:
    matches = []
    for form in bundle.forms:
        for fld in form.fields:
            target = TARGETS.get((form.id, fld.path))
            matches.append(
                FieldMatch(
                    form=form.id,
                    path=fld.path,
                    label=fld.label,
                    item=target[0] if target else None,
                    role=target[1] if target else None,
                    score=1.0 if target else 0.0,
                    status="matched" if target else "unmatched",
                )
            )
    return merge(bundle.forms, CATALOG, matches=matches, merged_id=bundle.id)


def _report(
    sources: SourceCoverage = POPULATION, prefill: PrefillStub | None = None
) -> BundleReport:
    bundle = _bundle()
    return bundle_report(bundle, _merged(bundle), prefill, sources, catalog=CATALOG)


@dataclass(frozen=True)
class Value:
    """A prefilled value as a prefill result holds it."""

    source: str
    read_only: bool


@dataclass(frozen=True)
class PrefillStub:
    """A subject's prefill result, as plain data."""

    values: dict[str, Value]


@pytest.fixture(scope="module")
def report() -> BundleReport:
    return _report()


# --------------------------------------------------------------------------- summary


@pytest.mark.parametrize(
    ("metric", "before", "after_merge", "after_prefill", "after"),
    [
        ("applications", 3, 1, 1, 1),
        ("fields", 10, 6, 3, 3),
        ("materials", 5, 4, 2, 2),
        ("steps", 5, None, None, 1),
        ("trips", 3, None, None, 0),
        ("days", 9, None, None, 2),
        ("days_critical_path", 9, None, None, 5),
    ],
)
def test_summary_figures_match_hand_counts(
    report: BundleReport,
    metric: str,
    before: float,
    after_merge: float | None,
    after_prefill: float | None,
    after: float,
) -> None:
    row = report.summary.set_index("metric").loc[metric]
    assert row["before"] == before
    assert row["after"] == after
    for column, expected in (("after_merge", after_merge), ("after_prefill", after_prefill)):
        if expected is None:
            assert math.isnan(row[column])
        else:
            assert row[column] == expected
    assert row["change_pct"] == change_pct(before, after)


def test_summary_metrics_in_documented_order(report: BundleReport) -> None:
    assert report.summary["metric"].tolist() == [
        "applications",
        "fields",
        "materials",
        "steps",
        "trips",
        "days",
        "days_critical_path",
    ]


@pytest.mark.parametrize(
    ("before", "after", "expected"),
    [(10, 3, -70.0), (26, 6, -76.9), (3, 3, 0.0), (2, 5, 150.0), (0, 4, math.nan)],
)
def test_change_pct(before: float, after: float, expected: float) -> None:
    got = change_pct(before, after)
    assert (math.isnan(got) and math.isnan(expected)) or got == expected


# --------------------------------------------------------------------------- traceability


def test_fields_table_has_one_row_per_source_field(report: BundleReport) -> None:
    f = report.fields
    assert list(zip(f["form"], f["path"], strict=True)) == list(TARGETS)
    into = dict(zip(zip(f["form"], f["path"], strict=True), f["merged_into"], strict=True))
    assert into[("a", "xm")] == into[("b", "xm")] == "name@applicant"
    assert into[("a", "bz")] == into[("b", "bz")]
    assert into[("a", "bz")].startswith("gap:")
    typed = sorted(set(f.loc[f["typed"], "merged_into"]))
    assert typed == sorted(["mobile@applicant", into[("a", "bz")], "bank_account_number@applicant"])


def test_a_role_is_prefilled_only_when_its_key_can_be_found() -> None:
    # The applicant's key comes from the login; the spouse's only through a relation.
    keys = POPULATION.role_keys("person")
    assert keys == {"applicant": frozenset({"citizen_id"}), "spouse": frozenset({"citizen_id"})}
    assert POPULATION.prefill_sources("name", "spouse", keys) == ("population",)
    alone = SourceCoverage.from_pairs([("population", "name")])
    lone_keys = alone.role_keys("person")
    assert alone.prefill_sources("name", "applicant", lone_keys) == ("population",)
    assert alone.prefill_sources("name", "spouse", lone_keys) == ()
    assert alone.prefill_sources(None, None, lone_keys) == ()
    assert alone.role_keys("organization") == {"organization": frozenset({"uscc"})}


def test_self_declared_data_prefills_fields_but_eliminates_no_document() -> None:
    declared = SourceCoverage.from_pairs(
        [("contact", "name"), ("contact", "citizen_id"), ("contact", "mobile")],
        self_declared=["contact"],
    )
    r = _report(declared)
    f = r.fields.set_index("merged_into")
    assert not f.loc["mobile@applicant", "typed"]
    assert f.loc["mobile@applicant", "prefill_sources"] == "contact"
    m = r.materials.set_index("merged_into")
    assert not m.loc["resident_id_card", "eliminated"].any()
    assert set(m.loc["resident_id_card", "not_covered"]) == {"name;citizen_id"}


def test_without_a_relation_the_spouse_is_typed() -> None:
    no_links = SourceCoverage.from_pairs([("population", "name"), ("population", "citizen_id")])
    r = _report(no_links)
    assert r.figure("fields", "after_prefill") == 4
    f = r.fields.set_index("merged_into")
    assert f.loc["name@spouse", "typed"]


@pytest.mark.parametrize(
    ("form", "name", "merged_into", "eliminated", "eliminated_by"),
    [
        ("a", "居民身份证", "resident_id_card", True, "population"),
        ("a", "申请书", None, False, ""),
        ("b", "身份证", "resident_id_card", True, "population"),
        ("b", "结婚证", "marriage_certificate", True, "form:a"),
        ("c", "银行卡", None, False, ""),
    ],
)
def test_materials_table_traces_each_material(
    report: BundleReport,
    form: str,
    name: str,
    merged_into: str | None,
    eliminated: bool,
    eliminated_by: str,
) -> None:
    m = report.materials
    row = m[(m["form"] == form) & (m["name"] == name)].iloc[0]
    if merged_into is not None:
        assert row["merged_into"] == merged_into
    else:
        assert row["merged_into"].startswith("other:")
    assert row["eliminated"] == eliminated
    assert row["eliminated_by"] == eliminated_by


def test_uncovered_material_names_the_missing_item() -> None:
    names_only = SourceCoverage.from_pairs([("population", "name")])
    m = _report(names_only).materials
    card = m[m["merged_into"] == "resident_id_card"]
    assert not card["eliminated"].any()
    assert set(card["not_covered"]) == {"citizen_id"}


def test_by_department_matches_hand_counts(report: BundleReport) -> None:
    d = report.by_department.set_index("department")
    assert d.loc["X", "forms"] == 2
    assert d.loc["X"][
        ["fields_before", "fields_after_merge", "fields_shared", "fields_typed"]
    ].tolist() == [6, 5, 3, 3]
    assert d.loc["Y"][
        ["fields_before", "fields_after_merge", "fields_shared", "fields_typed"]
    ].tolist() == [4, 4, 3, 1]
    cols = [
        "materials_before",
        "materials_after_merge",
        "materials_eliminated",
        "materials_after_prefill",
    ]
    assert d.loc["X"][cols].tolist() == [3, 3, 1, 2]
    assert d.loc["Y"][cols].tolist() == [2, 2, 2, 0]
    assert d.loc["X"][["steps_before", "trips_before", "days_before"]].tolist() == [4, 2, 5]
    assert d.loc["Y", "materials_change_pct"] == -100.0


def test_by_form_in_bundle_order_with_critical_path(report: BundleReport) -> None:
    f = report.by_form.set_index("form")
    assert f.index.tolist() == ["a", "b", "c"]
    assert f["fields_before"].tolist() == [4, 4, 2]
    assert f["fields_catalogued"].tolist() == [3, 3, 2]
    assert f["fields_uncatalogued"].tolist() == [1, 1, 0]
    assert f["materials_before"].tolist() == [2, 2, 1]
    assert f["on_critical_path"].tolist() == [True, False, True]


def test_department_breakdown_adds_up_to_before(report: BundleReport) -> None:
    s = report.summary.set_index("metric")
    d = report.by_department
    assert d["fields_before"].sum() == s.loc["fields", "before"]
    assert d["materials_before"].sum() == s.loc["materials", "before"]
    assert d["steps_before"].sum() == s.loc["steps", "before"]


# --------------------------------------------------------------------------- per subject


def test_per_subject_prefill_counts_only_filled_fields() -> None:
    prefill = PrefillStub(
        {
            "name@applicant": Value("population", True),
            "citizen_id@applicant": Value("population", True),
        }
    )
    r = _report(prefill=prefill)
    assert r.basis == "prefill"
    assert r.figure("fields", "after_prefill") == 4  # name@spouse is typed for this subject
    m = r.materials.drop_duplicates("merged_into").set_index("merged_into")
    assert m.loc["resident_id_card", "eliminated"]
    assert m.loc["resident_id_card", "eliminated_by"] == "population"
    assert m.loc["marriage_certificate", "eliminated"]  # produced by form a, no prefill needed


def test_per_subject_editable_value_keeps_the_material() -> None:
    prefill = PrefillStub(
        {
            "name@applicant": Value("population", True),
            "citizen_id@applicant": Value("self-declared", False),
        }
    )
    r = _report(prefill=prefill)
    m = r.materials.set_index("merged_into")
    assert not m.loc["resident_id_card", "eliminated"].any()
    assert r.figure("materials", "after_prefill") == 3


def test_holder_named_in_the_material_name_decides_per_subject() -> None:
    card = Material(name="配偶身份证", material_id="resident_id_card")
    spouse_card = FORM_B.model_copy(update={"materials": (card,)})
    bundle = _bundle("h", (FORM_A, spouse_card))
    merged = _merged(bundle)
    applicant_only = PrefillStub(
        {
            "name@applicant": Value("population", True),
            "citizen_id@applicant": Value("population", True),
        }
    )
    r = bundle_report(bundle, merged, applicant_only, POPULATION, catalog=CATALOG)
    m = r.materials.set_index("name")
    assert m.loc["居民身份证", "holders"] == "applicant;spouse"  # with 配偶身份证 of form b
    assert not m.loc["配偶身份证", "eliminated"]  # the spouse's name was not prefilled
    with_spouse = PrefillStub({**applicant_only.values, "name@spouse": Value("population", True)})
    r = bundle_report(bundle, merged, with_spouse, POPULATION, catalog=CATALOG)
    assert r.materials.set_index("name").loc["配偶身份证", "eliminated"]


def test_no_sources_eliminates_only_what_the_bundle_produces() -> None:
    r = _report(SourceCoverage())
    assert r.figure("fields", "after_prefill") == r.figure("fields", "after_merge") == 6
    assert r.figure("materials", "after_prefill") == 3
    assert r.basis == "static: sources"


# --------------------------------------------------------------------------- invariants

_PAIRS = [(s, i) for s in ("p", "q") for i in (it.id for it in CATALOG.items)]


@settings(max_examples=25, deadline=None)
@given(st.sets(st.sampled_from(_PAIRS)), st.sets(st.sampled_from(_PAIRS)))
def test_more_sources_never_mean_more_to_type_or_hand_in(
    small: set[tuple[str, str]], extra: set[tuple[str, str]]
) -> None:
    less = _report(SourceCoverage.from_pairs(small))
    more = _report(SourceCoverage.from_pairs(small | extra))
    for r in (less, more):
        s = r.summary.set_index("metric")
        for metric in ("fields", "materials"):
            assert s.loc[metric, "after_prefill"] <= s.loc[metric, "after_merge"]
            assert s.loc[metric, "after_merge"] <= s.loc[metric, "before"]
    for metric in ("fields", "materials"):
        assert more.figure(metric, "after_prefill") <= less.figure(metric, "after_prefill")


# --------------------------------------------------------------------------- portfolio


@pytest.fixture(scope="module")
def portfolio() -> object:
    first = _bundle("one")
    second = _bundle("two", (FORM_B, FORM_C))
    reports = [
        bundle_report(b, _merged(b), sources=POPULATION, catalog=CATALOG) for b in (first, second)
    ]
    return portfolio_report(reports, catalog=CATALOG)


def test_portfolio_tables(portfolio: object) -> None:
    from formmerge.report import PortfolioReport

    assert isinstance(portfolio, PortfolioReport)
    assert portfolio.bundles["bundle"].tolist() == ["one", "two"]
    assert portfolio.bundles["fields_before"].tolist() == [10, 6]
    assert portfolio.bundles["materials_before"].tolist() == [5, 3]
    s = portfolio.summary.set_index("metric")
    assert s.loc["fields", "before"] == 16
    assert s.loc["applications", "before"] == 5
    assert s.loc["applications", "after"] == 2
    reuse = portfolio.item_reuse.set_index("item")
    # citizen_id: forms a, b, c of "one" and b, c of "two"
    assert reuse.loc["citizen_id", "forms"] == 5
    assert reuse.loc["citizen_id", "bundles"] == 2
    assert reuse.index[0] == "citizen_id"
    assert reuse.loc["name", "roles"] == "applicant;spouse"
    gaps = portfolio.recurring_gaps
    assert gaps["label"].tolist() == ["备注"]
    assert gaps["forms"].tolist() == [3]  # one/a, one/b, two/b
    gone = portfolio.eliminated_materials.set_index("material")
    assert gone.loc["resident_id_card", "eliminated"] == 3
    assert gone.loc["marriage_certificate", "eliminated"] == 1  # form a is not in bundle two
    assert gone.loc["resident_id_card", "asked"] == 3


def test_portfolio_needs_a_bundle() -> None:
    with pytest.raises(FormmergeError, match="at least one bundle"):
        portfolio_report([], catalog=CATALOG)


# --------------------------------------------------------------------------- outputs


def test_csv_json_markdown_html(tmp_path: pytest.TempPathFactory, portfolio: object) -> None:
    from formmerge.report import PortfolioReport

    assert isinstance(portfolio, PortfolioReport)
    out = tmp_path  # type: ignore[assignment]
    paths = portfolio.to_csv(out)
    names = sorted(p.name for p in paths)
    assert "portfolio.bundles.csv" in names
    assert "one.materials.csv" in names
    summary = pd.read_csv(out / "one.summary.csv", encoding="utf-8-sig")  # type: ignore[operator]
    assert summary.set_index("metric").loc["fields", "after"] == 3
    assert "3.0" not in (out / "one.summary.csv").read_text("utf-8-sig")  # type: ignore[operator]
    data = json.loads(portfolio.to_json(out / "r.json").read_text("utf-8"))  # type: ignore[operator]
    assert data["reports"][0]["summary"][1]["after_merge"] == 6
    assert data["reports"][0]["summary"][3]["after_merge"] is None
    md = portfolio.to_markdown()
    assert "| 填写字段 | 16 | " in md
    assert "| Fields typed | 16 | " in portfolio.to_markdown(lang="en")
    page = portfolio.to_html(out / "r.html")  # type: ignore[operator]
    assert page.count("<svg") == 5 + 2 * 2
    assert "http://" not in page.replace('xmlns="http://www.w3.org/2000/svg"', "")
    assert "<table" in page and "one 一件事" in page


def test_html_escapes_data() -> None:
    form = FORM_C.model_copy(update={"department": "<script>alert(1)</script>"})
    bundle = _bundle("x", (form,))
    page = bundle_report(bundle, _merged(bundle), sources=POPULATION, catalog=CATALOG).to_html()
    assert "<script>alert(1)</script>" not in page
    assert "&lt;script&gt;alert(1)&lt;/script&gt;" in page


@pytest.mark.parametrize(
    ("column", "value", "text"),
    [
        ("before", 26.0, "26"),
        ("days", 0.5, "0.5"),
        ("change_pct", -76.92, "\u221276.9%"),
        ("fields_change_pct", 5.0, "+5.0%"),
        ("change", -20.0, "\u221220"),
        ("after", math.nan, "-"),
        ("eliminated", True, "是"),
        ("metric", "trips", "跑动次数"),
        ("name", "营业执照", "营业执照"),
    ],
)
def test_format_cell(column: str, value: object, text: str) -> None:
    assert format_cell(column, value) == text


def test_markdown_table_escapes_pipes() -> None:
    table = markdown_table(pd.DataFrame({"a": ["x|y"], "n": [1]}))
    assert table.splitlines() == ["| a | n |", "|---|---:|", "| x\\|y | 1 |"]


def test_bar_chart_draws_one_bar_per_finite_value() -> None:
    svg = bar_chart(
        "Fields",
        ["甲", "a very long department name " * 5],
        [Series("before", "before", [3, 4]), Series("after", "after", [1, math.nan])],
    )
    assert svg.startswith("<svg") and svg.endswith("</svg>")
    assert svg.count('class="bar"') == 3
    assert "\u2026" in svg  # the long label is cut to fit
