"""Role identities: a bundle declares who can be the same person, an application binds them."""

from __future__ import annotations

import shutil
from pathlib import Path

import pytest

from formmerge.bundle import Bundle, list_example_bundles, load_bundle
from formmerge.catalog import load_catalog
from formmerge.cli import main
from formmerge.errors import BundleError
from formmerge.identities import BindingError, bind, parse_binding
from formmerge.merging import merge_bundle
from formmerge.splitting import split

CATALOG = load_catalog()
MOTHER = {"applicant": "mother", "guardian": "mother"}


def _bundle(name: str) -> Bundle:
    return load_bundle(next(p for p in list_example_bundles() if p.name == name))


@pytest.fixture(scope="module")
def newborn() -> Bundle:
    return _bundle("newborn-birth")


def test_the_newborn_bundle_declares_who_the_applicant_and_guardian_can_be(newborn: Bundle) -> None:
    assert newborn.identities == {
        "applicant": ("mother", "father"),
        "guardian": ("mother", "father"),
    }


def test_without_a_binding_nothing_changes(newborn: Bundle) -> None:
    unbound = merge_bundle(newborn)
    assert merge_bundle(newborn, binding={}) == unbound
    assert bind(unbound, None) is unbound
    assert unbound.binding == ()
    assert {"name@applicant", "name@mother", "name@guardian"} <= {f.id for f in unbound.fields}


def test_binding_the_mother_asks_her_data_once(newborn: Bundle) -> None:
    unbound = merge_bundle(newborn)
    bound = merge_bundle(newborn, binding=MOTHER)
    # hand count: the applicant's 5 fields (mobile, mailing address, postal code, name,
    # citizen ID) meet the mother's mobile, name and citizen ID: 3 saved; the guardian's 7
    # (mobile, phone, current address, relationship, name, document type and number) meet the
    # mother's mobile, name and document number: 3 saved. 66 - 6 = 60.
    assert len(unbound.fields) - len(bound.fields) == 6
    # what is left of the applicant and the guardian are items the catalog gives no mother
    # (where the documents are mailed): they stay the applicant's
    left = {f.item for f in bound.fields if f.role in ("applicant", "guardian")}
    assert left == {"mailing_address", "postal_code"}
    assert all("mother" not in CATALOG.item(item).roles for item in left)
    name = bound.field("name@mother")
    was = {r for fid in ("name@applicant", "name@mother", "name@guardian")
           for r in unbound.field(fid).sources}  # fmt: skip
    assert set(name.sources) == was
    assert name.label == "母亲姓名"
    # every source field is still in exactly one merged field
    refs = [r for f in bound.fields for r in f.sources]
    assert len(refs) == len(set(refs)) == sum(len(f.fields) for f in newborn.forms)
    assert dict(bound.binding) == MOTHER


def test_split_fills_every_departments_field_for_each_bound_role(newborn: Bundle) -> None:
    bound = merge_bundle(newborn, binding=MOTHER)
    result = split(bound, {"name@mother": "王芳", "mobile@mother": "13800138000"}, CATALOG)
    payloads = result.payloads
    assert payloads["birth-registration"]["mq"]["xm"] == "王芳"  # the mother
    assert payloads["birth-registration"]["sbr"]["xm"] == "王芳"  # the applicant
    assert payloads["vaccination-certificate"]["guardian"]["motherName"] == "王芳"
    assert payloads["social-security-card"]["jhr"]["aac003"] == "王芳"  # the guardian
    assert payloads["birth-registration"]["sbr"]["lxdh"] == "13800138000"


def test_split_takes_the_binding_as_an_argument(newborn: Bundle) -> None:
    unbound = merge_bundle(newborn)
    result = split(unbound, {"name@mother": "王芳"}, CATALOG, binding=MOTHER)
    assert result.payloads["birth-registration"]["sbr"]["xm"] == "王芳"
    # unbound, the applicant's name is its own field and the mother's answer does not reach it
    apart = split(unbound, {"name@mother": "王芳"}, CATALOG)
    assert apart.payloads["birth-registration"]["sbr"]["xm"] is None


def test_binding_the_father_instead(newborn: Bundle) -> None:
    bound = merge_bundle(newborn, binding={"applicant": "father"})
    ids = {f.id for f in bound.fields}
    assert "name@applicant" not in ids
    assert "name@guardian" in ids  # the guardian is not bound
    assert "mobile@father" in ids  # the applicant's mobile is now the father's


def test_binding_an_undeclared_identity_is_a_located_problem(newborn: Bundle) -> None:
    with pytest.raises(BindingError) as info:
        merge_bundle(newborn, binding={"applicant": "child"})
    (problem,) = info.value.problems
    assert problem.code == "identity-not-declared"
    assert problem.location.form == "newborn-birth" and problem.location.field == "applicant"
    assert "mother, father" in problem.message


def test_binding_an_unknown_role_or_a_chain_is_refused(newborn: Bundle) -> None:
    unbound = merge_bundle(newborn)
    with pytest.raises(BindingError) as info:
        bind(unbound, {"applicant": "queen"}, CATALOG)
    assert info.value.codes == ["unknown-role"]
    chained = unbound.model_copy(
        update={"identities": (("guardian", ("applicant",)), ("applicant", ("mother",)))}
    )
    with pytest.raises(BindingError) as info:
        bind(chained, {"guardian": "applicant", "applicant": "mother"}, CATALOG)
    assert info.value.codes == ["binding-chain"]


def test_a_form_without_declared_identities_binds_nothing() -> None:
    marriage = merge_bundle(_bundle("marriage-hukou"))
    with pytest.raises(BindingError) as info:
        bind(marriage, {"spouse": "applicant"}, CATALOG)
    assert info.value.codes == ["identity-not-declared"]
    assert "declares none" in info.value.problems[0].message


def test_parse_binding_reads_as_and_bind_options() -> None:
    assert parse_binding((), "mother") == {"applicant": "mother"}
    assert parse_binding(("guardian=mother",), "mother") == MOTHER
    with pytest.raises(BindingError) as info:
        parse_binding(("guardian", "applicant=father"), "mother")
    assert info.value.codes == ["bad-binding", "binding-repeated"]


def test_bundle_identities_naming_unknown_roles_are_located(tmp_path: Path) -> None:
    source = next(p for p in list_example_bundles() if p.name == "school-enrolment")
    copy = tmp_path / "school"
    shutil.copytree(source, copy)
    text = (copy / "bundle.yaml").read_text("utf-8")
    text = text.replace("applicant: [mother, father]", "applicant: [mum, applicant]")
    (copy / "bundle.yaml").write_text(text, "utf-8")
    with pytest.raises(BundleError) as info:
        load_bundle(copy)
    assert info.value.codes == ["unknown-role", "identity-with-itself"]
    assert all(p.location.pointer == "/identities/applicant" for p in info.value.problems)
    assert all(p.location.file.endswith("bundle.yaml") for p in info.value.problems)


def test_the_cli_refuses_an_undeclared_binding(capsys: pytest.CaptureFixture[str]) -> None:
    bundle = str(next(p for p in list_example_bundles() if p.name == "newborn-birth"))
    code = main(["prefill", bundle, "--subject", "110101199003077777", "--as", "child"])
    assert code == 2
    assert "identity-not-declared" in capsys.readouterr().out


@pytest.mark.parametrize(
    ("name", "binding", "saved"),
    [
        # the parent who applies: name, citizen ID and mobile were asked of both (3 of the
        # applicant's 10 fields; its phone, address, documents and property stay, now hers)
        ("school-enrolment", {"applicant": "mother"}, 3),
        # the legal representative files and is the contact: the agent's mobile, phone, name,
        # citizen ID and document number all exist for the representative (5); the contact's
        # mobile, phone, name and citizen ID too (4)
        ("enterprise-change", {"agent": "legal_representative"}, 5),
        (
            "enterprise-change",
            {"agent": "legal_representative", "contact": "legal_representative"},
            9,
        ),
        # the contact files: the agent's phone, email, postal code, street address, city, job
        # title, given, family and middle names exist for the contact (9; the agent's full name
        # does not)
        ("english-small-business", {"agent": "contact"}, 9),
    ],
)
def test_fields_saved_by_binding_match_hand_counts(
    name: str, binding: dict[str, str], saved: int
) -> None:
    bundle = _bundle(name)
    assert (
        len(merge_bundle(bundle).fields) - len(merge_bundle(bundle, binding=binding).fields)
        == saved
    )


def test_the_cli_merges_a_bundle_with_its_roles_bound(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    import json

    bundle = str(next(p for p in list_example_bundles() if p.name == "newborn-birth"))
    out = tmp_path / "merged.json"
    assert (
        main(["merge", bundle, "--as", "mother", "--bind", "guardian=mother", "-o", str(out)]) == 0
    )
    data = json.loads(out.read_text("utf-8"))
    assert len(data["fields"]) == 60
    assert [list(pair) for pair in data["binding"]] == [
        ["applicant", "mother"],
        ["guardian", "mother"],
    ]
    assert main(["merge", bundle, "--as", "child"]) == 2
    assert "identity-not-declared" in capsys.readouterr().out
