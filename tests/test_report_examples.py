"""Reports of the example bundles against counts made by hand from the bundle files.

The literals below were counted by reading each form file: its fields (a CSV row, a YAML or
JSON field, a JSON Schema leaf property, sections and ``$ref`` expanded), its materials and
its ``process``; the bundle's ``process`` from ``bundle.yaml``; the critical path from the
forms' ``produces`` and ``consumes``; the deduplicated materials by the catalog's material
types. The number of merged fields is the bundle author's hand count in ``expected.yaml``.
"""

from __future__ import annotations

from collections import defaultdict
from dataclasses import dataclass
from functools import cache

import pytest

from formmerge.bundle import (
    Bundle,
    ExpectedMapping,
    list_example_bundles,
    load_bundle,
    load_expected,
)
from formmerge.catalog import load_catalog
from formmerge.materials import merge_materials
from formmerge.models import FieldMatch, FieldRef, MergedField, MergedForm
from formmerge.report import BundleReport, SourceCoverage, bundle_report


@dataclass(frozen=True)
class Hand:
    """Counts made by hand from one bundle's files."""

    forms: tuple[tuple[str, int, int], ...]
    """(form id, fields, materials) in bundle order."""
    steps: int
    trips: int
    days: float
    after: tuple[int, int, float]
    """The bundle's declared process: steps, trips, days."""
    materials_after_merge: int
    critical_days: float
    critical_path: tuple[str, ...]
    departments: int
    fields_typed: int
    """Merged fields still typed with the demo sources: no source holds the item, or the
    role's key cannot be found (contact persons, agents, guardians), or uncatalogued."""
    materials_after_prefill: int
    """Documents left once those whose evidenced items verified sources (or a producing form
    of the bundle) supply are taken away."""
    derived: int = 0
    """Merged fields neither prefilled nor typed: a catalog derivation fills them from another
    field of the same person (field_catalog/derivations.yaml)."""


HAND: dict[str, Hand] = {
    "english-small-business": Hand(
        forms=(
            ("sf424", 37, 3),
            ("key-contacts", 19, 1),
            ("llc-articles-of-organization", 19, 2),
            ("state-tax-registration", 21, 2),
        ),
        steps=6,
        trips=1,
        days=76,
        after=(1, 0, 30),
        materials_after_merge=8,  # eight different documents, none asked twice
        critical_days=75,  # articles 5 -> state tax 10 -> SF-424 60
        critical_path=("sf424", "llc-articles-of-organization", "state-tax-registration"),
        departments=3,
        # 9 organization items without a source (address lines, email ...), 15 contact,
        # 10 agent, 6 shareholder (all but the name), 5 gaps, 13 other uncatalogued fields
        fields_typed=58,
        # no document evidences a catalog item
        materials_after_prefill=8,
    ),
    "enterprise-change": Hand(
        forms=(
            ("company-change-registration", 32, 8),
            ("tax-registration-change", 15, 4),
            ("social-insurance-change", 17, 3),
            ("medical-insurance-change", 14, 3),
            ("housing-fund-change", 13, 3),
            ("bank-account-change", 17, 5),
        ),
        steps=8,
        trips=6,
        days=9,
        after=(1, 0, 1),
        # 营业执照, 股东会决议, 公司章程修正案, 法定代表人任职文件, 居民身份证 (legal
        # representative's and agent's), 授权委托书, 住所使用证明, 准予变更登记通知书
        materials_after_merge=8,
        critical_days=5,  # business registration 3 -> bank account 2
        critical_path=("company-change-registration", "bank-account-change"),
        departments=6,
        # organization 6 (postal code, mailing address, bank, housing fund), legal
        # representative 2 (ID type, phone), shareholder 4, contact 4, agent 4 (mobile,
        # phone, name, citizen ID), 4 gaps, 11 uncatalogued
        fields_typed=35,
        # the agent's 证件号码 is the citizen ID number the agent types (no document type is
        # asked of the agent: the resident ID card)
        derived=1,
        # the business licence (market register) and the ID cards (population register; the
        # photo comes with the e-licence) go; 6 remain
        materials_after_prefill=6,
    ),
    "marriage-hukou": Hand(
        forms=(
            ("marriage-registration", 25, 3),
            ("hukou-migration", 22, 4),
            ("id-card-renewal", 11, 2),
            ("property-add-co-owner", 17, 3),
        ),
        steps=9,
        trips=6,
        days=36,
        after=(1, 1, 10),
        # 居民身份证, 居民户口簿, 合影照片, 结婚证, 不动产权证书
        materials_after_merge=5,
        critical_days=31,  # marriage 1 -> hukou migration 10 -> ID card 20
        critical_path=("marriage-registration", "hukou-migration", "id-card-renewal"),
        departments=3,
        # applicant 3 (ID type, mailing address, phone), spouse 2, 1 gap, 7 others
        fields_typed=13,
        # household register and marriage certificate eliminated
        # and the resident ID card (its photo comes with the e-licence)
        materials_after_prefill=2,
    ),
    "newborn-birth": Hand(
        forms=(
            ("birth-medical-certificate", 24, 2),
            ("vaccination-certificate", 14, 2),
            ("birth-registration", 22, 4),
            ("resident-medical-insurance", 14, 3),
            ("social-security-card", 16, 2),
            ("maternity-allowance", 15, 4),
        ),
        steps=12,
        trips=6,
        days=30,
        after=(1, 0, 10),
        # 居民身份证, 出生医学证明, 居民户口簿, 结婚证, 诊断证明或出院小结, 银行卡
        materials_after_merge=6,
        critical_days=16,  # birth certificate 1 -> maternity allowance 15
        critical_path=("birth-medical-certificate", "maternity-allowance"),
        departments=5,
        # child 2 (health status, blood type), applicant 1 (mailing address), guardian 7,
        # 2 gaps, 8 others
        fields_typed=20,
        # 母亲年龄 and 父亲年龄: from the birth dates in the parents' citizen ID numbers
        derived=2,
        # birth certificate, household register, marriage certificate eliminated
        # and the resident ID card (its photo comes with the e-licence)
        materials_after_prefill=2,
    ),
    "retirement": Hand(
        forms=(
            ("pension-claim", 18, 4),
            ("retiree-medical-benefits", 14, 3),
            ("housing-fund-withdrawal", 14, 3),
            ("retiree-community-registration", 14, 2),
        ),
        steps=7,
        trips=5,
        days=38,
        after=(1, 0, 10),
        # 居民身份证, 职工人事档案, 退休审批表, 社会保障卡, 缴费年限核定表, 银行卡
        materials_after_merge=6,
        critical_days=30,  # pension claim 20 -> retiree medical benefits 10
        critical_path=("pension-claim", "retiree-medical-benefits"),
        departments=4,
        # applicant 4 (work start, medical insurance years, phone, ID type), contact 2,
        # 2 gaps, 7 others
        fields_typed=15,
        # social security card eliminated
        # and the resident ID card (its photo comes with the e-licence)
        materials_after_prefill=4,
    ),
    "school-enrolment": Hand(
        forms=(
            ("enrolment-application", 23, 5),
            ("hukou-certificate", 15, 2),
            ("property-record-query", 11, 2),
            ("vaccination-record-check", 10, 1),
            ("non-local-eligibility", 11, 4),
        ),
        steps=7,
        trips=5,
        days=20,
        after=(1, 0, 5),
        # 居民户口簿, 不动产权证书, 预防接种证, 居民身份证, 出生医学证明, 居住证,
        # 社会保险缴费证明, 劳动合同
        materials_after_merge=8,
        critical_days=11,  # hukou certificate (or property record) 1 -> enrolment 10
        critical_path=(),  # two one-day predecessors tie; the tie-break is ordering's business
        departments=5,
        # child 1 (class), applicant 3 (ID type, phone, mailing address), guardian 5
        # (name, citizen ID, mobile, employer, residence permit), 2 gaps, 9 others
        fields_typed=20,
        # the guardian's 社会保障号码 is the guardian's citizen ID number
        derived=1,
        # household register, vaccination and birth certificates, social insurance proof
        # and the resident ID card (its photo comes with the e-licence)
        materials_after_prefill=3,
    ),
}


@dataclass(frozen=True)
class Bound:
    """Counts made by hand for one bundle with its roles bound as one person."""

    binding: tuple[tuple[str, str], ...]
    saved_by_identities: int
    fields_after_merge: int
    fields_typed: int
    derived: int


BOUND: dict[str, Bound] = {
    # the mother applies as the guardian: the applicant's mobile, name and citizen ID are
    # hers (3; the mailing address and postal code stay the applicant's, a mother has none in
    # the catalog), the guardian's mobile, name and document number too (3). Of the
    # guardian's 7 typed fields her name, mobile and document number are prefilled and her
    # current address is found through her key: phone, relationship, document type remain.
    # 66 - 6 = 60 fields, 20 - 7 + 3 = 16 typed; the two ages still derived.
    "newborn-birth": Bound((("applicant", "mother"), ("guardian", "mother")), 6, 60, 16, 2),
    # the mother applies and is the guardian: the applicant's mobile, name, citizen ID (3)
    # and the guardian's name, citizen ID, mobile, employer (4) are hers. 51 - 7 = 44; the
    # guardian's 5 typed fields but the residence permit are hers and prefilled, the
    # applicant's ID type and phone become hers, still typed: 20 - 4 = 16; her social
    # security number is now prefilled, not derived.
    "school-enrolment": Bound((("applicant", "mother"), ("guardian", "mother")), 7, 44, 16, 0),
    # the legal representative files and is the contact: the agent's mobile, phone, name,
    # citizen ID and document number (5) and the contact's mobile, phone, name, citizen ID
    # (4) are the representative's, whose name, ID and mobile the market register gives:
    # 53 - 9 = 44 fields; the agent's 4 and the contact's 4 typed fields go, 35 - 8 = 27;
    # the document number is now the representative's, prefilled.
    "enterprise-change": Bound(
        (("agent", "legal_representative"), ("contact", "legal_representative")), 9, 44, 27, 0
    ),
    # the contact files: the agent's phone, email, postal code, street address, city, job
    # title and given, family and middle names are the contact's (9; the agent's full name
    # becomes the contact's name, still typed): 67 - 9 = 58 and 58 - 9 = 49 typed.
    "english-small-business": Bound((("agent", "contact"),), 9, 58, 49, 0),
}


@cache
def _bundle(name: str) -> Bundle:
    (path,) = [p for p in list_example_bundles() if p.name == name]
    return load_bundle(path)


def hand_merged(bundle: Bundle, expected: ExpectedMapping) -> MergedForm:
    """The merged form the hand-written mapping of ``expected.yaml`` implies."""
    refs: dict[str, list[FieldRef]] = defaultdict(list)
    targets: dict[str, tuple[str | None, str | None]] = {}
    gap_of = {ref: i for i, group in enumerate(expected.gap_refs()) for ref in group}
    matches = []
    for form in bundle.forms:
        for fld in form.fields:
            target = expected.target(form.id, fld.path)
            item, role = target if target else (None, None)
            if target:
                fid = f"{item}@{role}"
            elif (form.id, fld.path) in gap_of:
                fid = f"gap:{gap_of[(form.id, fld.path)]}"
            else:
                fid = f"{form.id}:{fld.path}"
            refs[fid].append(FieldRef(form=form.id, path=fld.path))
            targets[fid] = (item, role)
            matches.append(
                FieldMatch(
                    form=form.id,
                    path=fld.path,
                    label=fld.label,
                    item=item,
                    role=role,
                    score=1.0 if target else 0.0,
                    status="matched" if target else "unmatched",
                )
            )
    fields = tuple(
        MergedField(id=fid, item=targets[fid][0], role=targets[fid][1], label=fid, sources=tuple(r))
        for fid, r in refs.items()
    )
    return MergedForm(
        id=bundle.id,
        forms=bundle.forms,
        fields=fields,
        matches=tuple(matches),
        materials=merge_materials(bundle.forms, load_catalog()),
    )


@cache
def _report(name: str) -> BundleReport:
    bundle = _bundle(name)
    merged = hand_merged(bundle, load_expected(bundle.source_dir))  # type: ignore[arg-type]
    return bundle_report(bundle, merged)


def test_every_example_bundle_has_hand_counts() -> None:
    assert sorted(p.name for p in list_example_bundles()) == sorted(HAND)


@pytest.mark.parametrize("name", sorted(HAND))
def test_before_figures(name: str) -> None:
    hand, report = HAND[name], _report(name)
    s = report.summary.set_index("metric")
    assert s.loc["applications", "before"] == len(hand.forms)
    assert s.loc["fields", "before"] == sum(f[1] for f in hand.forms)
    assert s.loc["materials", "before"] == sum(f[2] for f in hand.forms)
    assert (s.loc["steps", "before"], s.loc["trips", "before"], s.loc["days", "before"]) == (
        hand.steps,
        hand.trips,
        hand.days,
    )


@pytest.mark.parametrize("name", sorted(HAND))
def test_after_figures(name: str) -> None:
    hand, report = HAND[name], _report(name)
    s = report.summary.set_index("metric")
    expected = load_expected(_bundle(name).source_dir)  # type: ignore[arg-type]
    assert s.loc["applications", "after"] == 1
    assert s.loc["fields", "after_merge"] == expected.merged_fields
    assert s.loc["materials", "after_merge"] == hand.materials_after_merge
    assert (s.loc["steps", "after"], s.loc["trips", "after"], s.loc["days", "after"]) == hand.after
    assert s.loc["days_critical_path", "after"] == hand.critical_days


@pytest.mark.parametrize("name", sorted(HAND))
def test_prefill_figures_with_the_demo_sources(name: str) -> None:
    hand = HAND[name]
    for report in (_report(name), bundle_report(_bundle(name))):
        s = report.summary.set_index("metric")
        assert s.loc["fields", "after_prefill"] == hand.fields_typed
        assert s.loc["materials", "after_prefill"] == hand.materials_after_prefill
        assert report.basis == "static: demo"


@pytest.mark.parametrize("name", sorted(HAND))
def test_fields_saved_by_derivations(name: str) -> None:
    hand = HAND[name]
    for report in (_report(name), bundle_report(_bundle(name))):
        assert report.saved_by_derivations == hand.derived
        assert report.saved_by_identities == 0
        f = report.fields
        assert not (f["typed"] & f["derived"]).any()
        assert not (f["prefilled"] & f["derived"]).any()


def test_every_bundle_that_declares_identities_has_bound_hand_counts() -> None:
    declared = {name for name in HAND if _bundle(name).identities}
    assert declared == set(BOUND)


@pytest.mark.parametrize("name", sorted(BOUND))
def test_figures_with_the_roles_bound(name: str) -> None:
    hand, bundle = BOUND[name], _bundle(name)
    merged = hand_merged(bundle, load_expected(bundle.source_dir))  # type: ignore[arg-type]
    binding = dict(hand.binding)
    for report in (
        bundle_report(bundle, merged, binding=binding),
        bundle_report(bundle, binding=binding),
    ):
        s = report.summary.set_index("metric")
        assert s.loc["fields", "before"] == sum(f[1] for f in HAND[name].forms)
        assert s.loc["fields", "after_merge"] == hand.fields_after_merge
        assert s.loc["fields", "after_prefill"] == hand.fields_typed
        assert report.saved_by_identities == hand.saved_by_identities
        assert report.saved_by_derivations == hand.derived
        unbound = load_expected(bundle.source_dir).merged_fields  # type: ignore[arg-type]
        assert unbound - hand.saved_by_identities == hand.fields_after_merge


@pytest.mark.parametrize("name", sorted(HAND))
def test_per_form_breakdown(name: str) -> None:
    hand, report = HAND[name], _report(name)
    f = report.by_form
    assert list(zip(f["form"], f["fields_before"], f["materials_before"], strict=True)) == list(
        hand.forms
    )
    if hand.critical_path:
        assert sorted(f.loc[f["on_critical_path"], "form"]) == sorted(hand.critical_path)
    assert len(report.by_department) == hand.departments
    assert report.by_department["fields_before"].sum() == sum(x[1] for x in hand.forms)


@pytest.mark.parametrize("name", sorted(HAND))
def test_default_report_agrees_with_the_hand_counts(name: str) -> None:
    """The default report (matcher and the bundle's decisions) gives the same figures."""
    ours, hand = bundle_report(_bundle(name)).summary, _report(name).summary
    cols = ["metric", "before", "after_merge", "after"]
    keep = ours["metric"] != "fields"
    assert (
        ours[keep][cols].fillna(-1).values.tolist() == hand[keep][cols].fillna(-1).values.tolist()
    )
    fields = ours.set_index("metric").loc["fields"]
    assert fields["before"] == sum(f[1] for f in HAND[name].forms)
    expected = load_expected(_bundle(name).source_dir)  # type: ignore[arg-type]
    assert fields["after_merge"] == expected.merged_fields


# --------------------------------------------------------------------------- the reported case

ID_CARD_ITEMS = (
    "name",
    "sex",
    "ethnicity",
    "birth_date",
    "citizen_id",
    "hukou_address",
    "id_issuing_authority",
    "id_valid_from",
    "id_valid_to",
    "photo",
)
LICENCE_ITEMS = (
    "enterprise_name",
    "uscc",
    "enterprise_type",
    "registered_address",
    "business_address",
    "registered_capital",
    "establishment_date",
    "business_scope",
    "business_term_from",
    "business_term_to",
    "registration_authority",
    "approval_date",
)
E_LICENCES = SourceCoverage.from_pairs(
    [("population", i) for i in ID_CARD_ITEMS] + [("market", i) for i in LICENCE_ITEMS],
    name="e-licences",
)


def test_enterprise_change_reproduces_the_reported_scale() -> None:
    """26 materials, 6 matters and 6 trips before; 6 materials, 0 trips, 1 day after."""
    bundle = _bundle("enterprise-change")
    merged = hand_merged(bundle, load_expected(bundle.source_dir))  # type: ignore[arg-type]
    report = bundle_report(bundle, merged, sources=E_LICENCES)
    s = report.summary.set_index("metric")
    assert s.loc["applications", "before"] == 6
    assert s.loc["materials", "before"] == 26
    assert s.loc["materials", "after_merge"] == 8
    assert s.loc["materials", "after"] == 6
    assert s.loc["trips", "before"] == 6
    assert s.loc["trips", "after"] == 0
    assert s.loc["days", "after"] == 1
    m = report.materials.drop_duplicates("merged_into").set_index("merged_into")
    assert m.loc["business_licence", "eliminated_by"] == "market"
    assert m.loc["resident_id_card", "eliminated_by"] == "e-licence:resident_id_card;population"
    kept = sorted(m.index[~m["eliminated"]])
    assert len(kept) == 6
    assert {"shareholders_resolution", "articles_of_association", "power_of_attorney"} <= set(kept)
