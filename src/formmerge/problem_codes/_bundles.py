"""Problem codes of bundles, merging and splitting."""

from __future__ import annotations

from formmerge.problem_codes._model import ProblemCode

CODES = (
    # bundles
    ProblemCode(
        "invalid-bundle",
        "Invalid bundle file",
        "A bundle.yaml or expected.yaml key is missing, unknown or of the wrong kind.",
        "bundle.yaml, at /titel: Extra inputs are not permitted (fix or remove this key)",
    ),
    ProblemCode(
        "form-not-mapped",
        "Form not mapped",
        "An expected mapping does not mention a form of the bundle.",
        "expected.yaml, form 'tax': the form's fields are missing from the mapping",
    ),
    ProblemCode(
        "field-not-mapped",
        "Field not mapped",
        "An expected mapping does not mention a field of a form.",
        "expected.yaml, form 'tax', field 'nsrsbh': field missing from the mapping",
    ),
    ProblemCode(
        "gap-not-null",
        "Gap field mapped",
        "A catalog-gap field of an expected mapping is mapped to an item instead of null.",
        "expected.yaml, form 'a', field 'bz': a gap field must be mapped to null",
    ),
    ProblemCode(
        "merged-fields-mismatch",
        "Merged field count mismatch",
        "An expected mapping's merged_fields disagrees with the count its mapping implies.",
        "expected.yaml: merged_fields is 40 but the mapping implies 41",
    ),
    ProblemCode(
        "dependency-cycle",
        "Dependency cycle",
        "The bundle's forms produce and consume each other's items in a circle, so they cannot "
        "be ordered.",
        "forms/a.yaml, form 'a': a -> b -> a (b needs licence_no from a; a needs tax_id from "
        "b); remove one of these produces/consumes",
    ),
    # merging and splitting
    ProblemCode(
        "length-conflict",
        "Length conflict",
        "No length fits every form merged into one field.",
        "field 'name@applicant': no length fits every form",
    ),
    ProblemCode(
        "range-conflict",
        "Range conflict",
        "No number is in every merged form's range.",
        "field 'age@child': no number is in every form's range",
    ),
    ProblemCode(
        "type-conflict",
        "Type conflict",
        "The merged forms' field types cannot hold one value.",
        "field 'photo@applicant': types ['file', 'string'] cannot hold one value",
    ),
    ProblemCode(
        "disjoint-options",
        "Disjoint options",
        "The merged forms' options of one field share no value.",
        "field 'sex@applicant': the forms' options have no value in common",
    ),
    ProblemCode(
        "unknown-answer",
        "Unknown answer",
        "An answer is given for no field of the merged form.",
        "field 'nickname@applicant': 'nickname@applicant' is not a field of the merged form",
    ),
    ProblemCode(
        "missing-required",
        "Missing required answer",
        "A field a form requires has no answer.",
        "form 'hukou', field 'sfzhm': no answer for citizen_id@applicant",
    ),
    ProblemCode(
        "no-answer",
        "No answer",
        "An optional field has no answer.",
        "form 'hukou', field 'bz': no answer for remark@applicant",
    ),
    ProblemCode(
        "invalid-option",
        "Invalid option",
        "An answer is not an option of the form.",
        "form 'hukou', field 'xb': '9' is not an option of the form",
    ),
    ProblemCode(
        "too-long",
        "Too long",
        "An answer is longer than the form allows.",
        "form 'hukou', field 'xm': longer than 20 characters",
    ),
    ProblemCode(
        "too-short",
        "Too short",
        "An answer is shorter than the form allows.",
        "form 'hukou', field 'xm': shorter than 2 characters",
    ),
    ProblemCode(
        "pattern-mismatch",
        "Pattern mismatch",
        "An answer does not match the form's pattern.",
        "form 'hukou', field 'yzbm': does not match '[0-9]{6}'",
    ),
    ProblemCode(
        "below-minimum",
        "Below minimum",
        "A number is below the form's minimum.",
        "form 'school', field 'age': below the minimum 6",
    ),
    ProblemCode(
        "above-maximum",
        "Above maximum",
        "A number is above the form's maximum.",
        "form 'school', field 'age': above the maximum 18",
    ),
    ProblemCode(
        "invalid-format",
        "Invalid format",
        "An answer fails the form's format validator (an ID number's checksum, a phone number).",
        "form 'hukou', field 'sfzhm': not a valid citizen-id",
    ),
    # role identities
    ProblemCode(
        "identity-with-itself",
        "Role declared the same as itself",
        "A bundle's identities say a role can be the same person as itself.",
        "bundle.yaml, at /identities/applicant: 'applicant' is declared the same person as "
        "itself; list other roles",
    ),
    ProblemCode(
        "bad-binding",
        "Unreadable role binding",
        "A role binding is not written as ROLE=ROLE.",
        "field 'guardian': write a binding as ROLE=ROLE",
    ),
    ProblemCode(
        "binding-repeated",
        "Role bound twice",
        "One role is bound to two different roles in one application.",
        "field 'applicant': 'applicant' is bound to both 'mother' and 'father'; bind it once",
    ),
    ProblemCode(
        "identity-not-declared",
        "Identity not declared",
        "A binding makes two roles one person although the bundle does not declare they can be.",
        "form 'newborn-birth', field 'applicant': the bundle does not declare that the "
        "applicant can be the child (it can be mother, father)",
    ),
    ProblemCode(
        "binding-chain",
        "Binding to a bound role",
        "A role is bound to a role that is itself bound to another.",
        "form 'newborn-birth', field 'guardian': 'applicant' is bound itself (to 'mother'); "
        "bind guardian to it",
    ),
    # derived items
    ProblemCode(
        "derived-value-conflict",
        "Answer contradicts its source",
        "An answer (typed or read from a register) disagrees with what the catalog derives from "
        "another answer of the same person, such as a birth date that is not the one in the "
        "citizen ID number.",
        "form 'newborn-birth', field 'birth_date@child': the answer disagrees with what "
        "子女公民身份号码 (citizen_id@child) gives; correct one of them (citizen_id_birth_date)",
    ),
)
