"""The order of a bundle's departments from what their forms produce and consume."""

from __future__ import annotations

import itertools

import pytest
from hypothesis import given
from hypothesis import strategies as st

from formmerge.bundle import list_example_bundles, load_bundle
from formmerge.errors import BundleError
from formmerge.models import Form, Process
from formmerge.ordering import critical_path, department_order, dependencies, find_cycle


def _form(form_id: str, produces: str = "", consumes: str = "", days: float = 1.0) -> Form:
    return Form(
        id=form_id,
        produces=tuple(produces.split()),
        consumes=tuple(consumes.split()),
        process=Process(days=days),
    )


EXAMPLES = {p.name: p for p in list_example_bundles()}


@pytest.mark.parametrize(
    ("bundle", "stages", "days", "path"),
    [
        (
            "newborn-birth",
            [
                ["birth-medical-certificate", "vaccination-certificate"],
                ["birth-registration", "maternity-allowance"],
                ["resident-medical-insurance"],
                ["social-security-card"],
            ],
            16.0,
            ["birth-medical-certificate", "maternity-allowance"],
        ),
        (
            "enterprise-change",
            [
                ["company-change-registration"],
                [
                    "tax-registration-change",
                    "social-insurance-change",
                    "medical-insurance-change",
                    "housing-fund-change",
                    "bank-account-change",
                ],
            ],
            5.0,
            ["company-change-registration", "bank-account-change"],
        ),
        (
            "marriage-hukou",
            [
                ["marriage-registration"],
                ["hukou-migration", "property-add-co-owner"],
                ["id-card-renewal"],
            ],
            31.0,
            ["marriage-registration", "hukou-migration", "id-card-renewal"],
        ),
        (
            "retirement",
            [
                ["pension-claim"],
                [
                    "retiree-medical-benefits",
                    "housing-fund-withdrawal",
                    "retiree-community-registration",
                ],
            ],
            30.0,
            ["pension-claim", "retiree-medical-benefits"],
        ),
        (
            "school-enrolment",
            [
                [
                    "hukou-certificate",
                    "property-record-query",
                    "vaccination-record-check",
                    "non-local-eligibility",
                ],
                ["enrolment-application"],
            ],
            11.0,
            ["hukou-certificate", "enrolment-application"],
        ),
        (
            "english-small-business",
            [
                ["key-contacts", "llc-articles-of-organization"],
                ["state-tax-registration"],
                ["sf424"],
            ],
            75.0,
            ["llc-articles-of-organization", "state-tax-registration", "sf424"],
        ),
    ],
)
def test_example_bundles(
    bundle: str, stages: list[list[str]], days: float, path: list[str]
) -> None:
    forms = load_bundle(EXAMPLES[bundle]).forms
    assert department_order(forms) == stages
    assert critical_path(forms) == (days, path)
    assert find_cycle(forms) is None
    assert days <= sum(f.process.days for f in forms)


def test_dependencies_name_the_items() -> None:
    forms = [
        _form("hospital", produces="birth_certificate_number"),
        _form(
            "police", produces="citizen_id household_number", consumes="birth_certificate_number"
        ),
        _form("insurance", consumes="citizen_id birth_certificate_number"),
    ]
    assert dependencies(forms) == {
        "hospital": {},
        "police": {"hospital": ("birth_certificate_number",)},
        "insurance": {"hospital": ("birth_certificate_number",), "police": ("citizen_id",)},
    }


def test_items_from_outside_and_own_products_order_nothing() -> None:
    forms = [
        _form("a", produces="x", consumes="x citizen_id"),
        _form("b", consumes="uscc"),
    ]
    assert department_order(forms) == [["a", "b"]]
    assert critical_path(forms) == (1.0, ["a"])


def test_a_consumer_waits_for_every_producer() -> None:
    forms = [
        _form("a", produces="x", days=2),
        _form("b", produces="x", days=5),
        _form("c", consumes="x", days=1),
    ]
    assert department_order(forms) == [["a", "b"], ["c"]]
    assert critical_path(forms) == (6.0, ["b", "c"])


@pytest.mark.parametrize(
    ("forms", "cycle"),
    [
        (
            [_form("a", produces="x", consumes="y"), _form("b", produces="y", consumes="x")],
            ["a", "b", "a"],
        ),
        (
            [
                _form("free"),
                _form("police", produces="citizen_id", consumes="medical_insurance_number"),
                _form("insurance", produces="medical_insurance_number", consumes="bank"),
                _form("bank", produces="bank", consumes="citizen_id"),
            ],
            ["police", "bank", "insurance", "police"],
        ),
    ],
)
def test_cycles_are_found_and_named(forms: list[Form], cycle: list[str]) -> None:
    assert find_cycle(forms) == cycle
    for order in (department_order, critical_path):
        with pytest.raises(BundleError) as caught:
            order(forms)
        assert caught.value.codes == ["dependency-cycle"]
        assert " -> ".join(cycle) in str(caught.value)
    named = caught.value.problems[0].message
    assert "needs" in named and caught.value.problems[0].location.form == cycle[0]


def test_the_two_form_cycle_message() -> None:
    forms = [_form("a", produces="x", consumes="y"), _form("b", produces="y", consumes="x")]
    with pytest.raises(BundleError) as caught:
        department_order(forms)
    assert caught.value.problems[0].message == (
        "a -> b -> a (b needs x from a; a needs y from b); remove one of these produces/consumes"
    )


def test_no_forms() -> None:
    assert department_order([]) == []
    assert critical_path([]) == (0.0, [])


@st.composite
def _dags(draw: st.DrawFn) -> list[Form]:
    n = draw(st.integers(1, 12))
    forms = []
    for i in range(n):
        consumed = draw(st.sets(st.integers(0, max(i - 1, 0)), max_size=3)) if i else set()
        forms.append(
            _form(
                f"f{i}",
                produces=f"item{i}",
                consumes=" ".join(f"item{j}" for j in sorted(consumed)),
                days=draw(st.integers(0, 20)),
            )
        )
    return draw(st.permutations(forms))


@given(_dags())
def test_stages_respect_every_dependency(forms: list[Form]) -> None:
    stages = department_order(forms)
    stage = {f: i for i, ids in enumerate(stages) for f in ids}
    assert sorted(stage) == sorted(f.id for f in forms)
    for form_id, before in dependencies(forms).items():
        for producer in before:
            assert stage[producer] < stage[form_id]
        if stage[form_id] > 0:
            assert any(stage[p] == stage[form_id] - 1 for p in before)


@given(_dags())
def test_critical_path_is_the_longest_chain(forms: list[Form]) -> None:
    days, path = critical_path(forms)
    by_id = {f.id: f for f in forms}
    graph = dependencies(forms)
    assert days == sum(by_id[f].process.days for f in path)
    for earlier, later in itertools.pairwise(path):
        assert earlier in graph[later]
    assert max(f.process.days for f in forms) <= days <= sum(f.process.days for f in forms)
