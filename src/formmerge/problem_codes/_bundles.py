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
)
