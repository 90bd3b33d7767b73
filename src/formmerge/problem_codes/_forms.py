"""Problem codes of forms: attributes, fields, groups, JSON Schema, CSV and XLSX."""

from __future__ import annotations

from formmerge.problem_codes._model import ProblemCode

CODES = (
    # forms
    ProblemCode(
        "invalid-field",
        "Invalid field",
        "A field is inconsistent in a way no more specific code covers.",
        "forms/a.yaml:7, form 'a', field 'x': a file field cannot have options",
    ),
    ProblemCode(
        "invalid-form",
        "Invalid form",
        "The form is inconsistent in a way no more specific code covers.",
        "forms/a.yaml:1, form 'a': the form has no id; give it one or name the file after it",
    ),
    ProblemCode(
        "empty-field",
        "Empty field",
        "A field has neither a key nor a label.",
        "forms/a.yaml:9, form 'a': a field needs a key or a label",
    ),
    ProblemCode(
        "unknown-type",
        "Unknown field type",
        "A field type is not one of the types formmerge knows.",
        "forms/a.yaml:6, form 'a', field 'csrq': unknown type 'datum'; did you mean 'date'?",
    ),
    ProblemCode(
        "missing-options",
        "Enum without options",
        "An enum field has no options.",
        "forms/a.yaml:8, form 'a', field 'xb': an enum field needs options",
    ),
    ProblemCode(
        "duplicate-option",
        "Option code written twice",
        "Two options of one field have the same code.",
        "forms/a.yaml:10, form 'a', field 'xb': option code '1' appears twice",
    ),
    ProblemCode(
        "min-greater-than-max",
        "Bounds crossed",
        "A lower bound (length or value) is above the upper bound.",
        "forms/a.yaml:12, form 'a', field 'age': minimum 18 is above maximum 10",
    ),
    ProblemCode(
        "invalid-pattern",
        "Invalid pattern",
        "A pattern is not a valid regular expression.",
        "forms/a.yaml:14, form 'a', field 'sfzhm': pattern '[0-9' is not a valid regular "
        "expression",
    ),
    ProblemCode(
        "duplicate-key",
        "Field key written twice",
        "Two fields have the same key in the same group.",
        "forms/a.yaml:20, form 'a', field 'xm': key 'xm' is used by another field of the same "
        "group (line 4)",
    ),
    ProblemCode(
        "invalid-group",
        "Invalid group",
        "A group path or a section is malformed.",
        "forms/a.yaml:3: a section needs a key (the group key)",
    ),
    ProblemCode(
        "empty-group",
        "Empty group",
        "A section of a native form lists no fields, so everything it was meant to hold would "
        "vanish.",
        "forms/a.yaml:5: section 'spouse' has no fields; add them or remove the section",
    ),
    ProblemCode(
        "group-conflict",
        "Group conflict",
        "One group is given two different labels or repeating flags.",
        "forms/a.yaml:30, form 'a', field 'po/xm': group 'po' is labelled both '配偶' and "
        "'配偶信息'",
    ),
    ProblemCode(
        "unresolved-ref",
        "Unresolved $ref",
        "A JSON Schema $ref does not point to a definition in the same document.",
        "forms/a.json:12: $ref '#/definitions/address' points to nothing in this document",
    ),
    ProblemCode(
        "ref-cycle",
        "$ref cycle",
        "A JSON Schema $ref leads back to a schema that contains it.",
        "forms/a.json:15: $ref '#/definitions/person' leads back to itself",
    ),
    ProblemCode(
        "unknown-required",
        "Unknown required name",
        "A JSON Schema's required names a property that does not exist.",
        "forms/a.json:40: required names 'email', which is not a property",
    ),
    ProblemCode(
        "unsupported-schema",
        "Unsupported schema",
        "A JSON Schema construct that has no form-field equivalent.",
        "forms/a.json:22: a property whose schema is false cannot be a field",
    ),
    ProblemCode(
        "missing-column",
        "Missing column",
        "A field list has no key or label column, or a batch table lacks a column the rules read.",
        "forms/a.csv:1: the table needs a key or a label column",
    ),
    ProblemCode(
        "unknown-column",
        "Unknown column",
        "A column header is not one of the known field attributes.",
        "forms/a.csv:1: unknown column 'lable'; did you mean 'label'?",
    ),
    ProblemCode(
        "duplicate-column",
        "Column written twice",
        "Two columns stand for the same field attribute.",
        "forms/a.csv:1: columns 'label' and '字段名称' both hold the label",
    ),
    ProblemCode(
        "extra-cell",
        "Cell without a header",
        "A row has a value in a column without a header.",
        "forms/a.csv:7: a value in column 9, which has no header",
    ),
    ProblemCode(
        "invalid-boolean",
        "Invalid yes/no cell",
        "A yes/no cell holds something else.",
        "forms/a.csv:4: required must be yes/no, 是/否 or true/false, not 'maybe'",
    ),
    ProblemCode(
        "invalid-number",
        "Invalid number cell",
        "A number cell holds something else.",
        "forms/a.csv:5: max_length must be a whole number, not 'ten'",
    ),
    ProblemCode(
        "invalid-options",
        "Invalid options cell",
        "An options cell cannot be read as code=label pairs.",
        "forms/a.csv:6: options '1=男;2' have a pair without '='",
    ),
    ProblemCode(
        "duplicate-form-id",
        "Form id used twice",
        "Two loaded forms (or two forms of one bundle) have the same id.",
        "forms/b.yaml, form 'a': form id 'a' is also the id of forms/a.yaml",
    ),
    ProblemCode(
        "no-forms",
        "No forms",
        "A bundle, or a directory given as forms, holds no form files.",
        "bundles/x/bundle.yaml: the bundle has no forms; list them under 'forms' or put them in"
        " forms/",
    ),
    ProblemCode(
        "no-fields",
        "No fields",
        "The forms to merge have no fields between them: there is nothing to ask.",
        "forms/a.yaml, form 'a': the form has no fields; there is nothing to merge",
    ),
    ProblemCode(
        "schema-too-large",
        "Schema too large",
        "A schema nests or expands beyond the limits in formmerge.settings.",
        "form.json, at /properties/x: a schema nests or expands beyond the limits in "
        "formmerge.settings",
    ),
    ProblemCode(
        "conditional-fields",
        "Conditional fields",
        "Fields of alternatives, then/else or dependentSchemas: optional.",
        "form.json, at /properties/x: fields of alternatives, then/else or dependentSchemas: "
        "optional",
    ),
    ProblemCode(
        "conditional-required",
        "Conditional required",
        "A property required only under a condition: read as optional.",
        "form.json, at /properties/x: a property required only under a condition: read as optional",
    ),
    ProblemCode(
        "ignored-keyword",
        "Ignored keyword",
        "A keyword with no field equivalent (a rule or annotation) left out.",
        "form.json, at /properties/x: a keyword with no field equivalent (a rule or "
        "annotation) left out",
    ),
    ProblemCode(
        "unknown-keyword",
        "Unknown keyword",
        "A keyword JSON Schema does not define (often a misspelling).",
        "form.json, at /properties/x: a keyword JSON Schema does not define (often a misspelling)",
    ),
    ProblemCode(
        "unnamed-properties",
        "Unnamed properties",
        "PatternProperties or additionalProperties: no fixed name, no field.",
        "form.json, at /properties/x: patternProperties or additionalProperties: no fixed "
        "name, no field",
    ),
    ProblemCode(
        "empty-object",
        "Empty object",
        "An object without properties (or a schema nothing satisfies) left out.",
        "form.json, at /properties/x: an object without properties (or a schema nothing "
        "satisfies) left out",
    ),
    ProblemCode(
        "ui-only",
        "Ui only",
        "A UI-only view: property skipped, or its properties read as its parent's.",
        "form.json, at /properties/x: a UI-only view: property skipped, or its properties "
        "read as its parent's",
    ),
    ProblemCode(
        "lenient-type",
        "Lenient type",
        "A type list or an array without items read as text.",
        "form.json, at /properties/x: a type list or an array without items read as text",
    ),
    ProblemCode(
        "unusable-value",
        "Unusable value",
        "A value no field can hold (Infinity, NaN, 1e400, an object option).",
        "form.json, at /properties/x: a value no field can hold (Infinity, NaN, 1e400, an "
        "object option)",
    ),
    ProblemCode(
        "unknown-dialect",
        "Unknown dialect",
        "$schema names no known draft; read as draft 2020-12.",
        "form.json, at /properties/x: $schema names no known draft; read as draft 2020-12",
    ),
    ProblemCode(
        "invalid-span",
        "Invalid span",
        "A table cell's rowspan or colspan is not a whole number.",
        "form.json, at /properties/x: a table cell's rowspan or colspan is not a whole number",
    ),
    ProblemCode(
        "office-use-skipped",
        "Office use skipped",
        "A part the office fills in (审核意见, 受理人...) is left out (info).",
        "form.json, at /properties/x: a part the office fills in (审核意见, 受理人...) is left out "
        "(info)",
    ),
    ProblemCode(
        "declaration-skipped",
        "Declaration skipped",
        "A pledge, signature or stamp box is left out (info).",
        "form.json, at /properties/x: a pledge, signature or stamp box is left out (info)",
    ),
    ProblemCode(
        "repeated-rows",
        "Repeated rows",
        "Blank repeats of a table row are read once, as a repeating group (info).",
        "form.json, at /properties/x: blank repeats of a table row are read once, as a "
        "repeating group (info)",
    ),
    ProblemCode(
        "blank-cell-skipped",
        "Blank cell skipped",
        "A template's value cell or check-box list has no placeholder (info).",
        "form.json, at /properties/x: a template's value cell or check-box list has no "
        "placeholder (info)",
    ),
    ProblemCode(
        "title-placeholder",
        "Title placeholder",
        "The form's title is a template placeholder, not printed text (info).",
        "form.json, at /properties/x: the form's title is a template placeholder, not printed"
        " text (info)",
    ),
    ProblemCode(
        "unlabelled-field",
        "Unlabelled field",
        "A value slot has no label before, left of or above it (warning).",
        "form.json, at /properties/x: a value slot has no label before, left of or above it "
        "(warning)",
    ),
    ProblemCode(
        "skipped-layout",
        "Skipped layout",
        "A layout part or widget that holds no data (a button, a text block).",
        "form.json, at /properties/x: a layout part or widget that holds no data (a button, a"
        " text block)",
    ),
    ProblemCode(
        "skipped-logic",
        "Skipped logic",
        "Visibility, linkage or calculation rules, which a form field cannot hold.",
        "form.json, at /properties/x: visibility, linkage or calculation rules, which a form "
        "field cannot hold",
    ),
    ProblemCode(
        "unread-rule",
        "Unread rule",
        "A validation rule with no field attribute to hold it (a custom function).",
        "form.json, at /properties/x: a validation rule with no field attribute to hold it (a"
        " custom function)",
    ),
    ProblemCode(
        "kept-in-description",
        "Kept in description",
        "A column with no field attribute, whose values join the description.",
        "form.json, at /properties/x: a column with no field attribute, whose values join the"
        " description",
    ),
    ProblemCode(
        "unresolved-code-set",
        "Unresolved code set",
        "A code set a data element names is not one of the catalog's code lists.",
        "form.json, at /properties/x: a code set a data element names is not one of the "
        "catalog's code lists",
    ),
    ProblemCode(
        "duplicate-form",
        "Duplicate form",
        "A form id is given more than once to merge (the same form twice would ask every "
        "question twice).",
        "form.json, at /properties/x: a form id is given more than once to merge (the same "
        "form twice would ask every question twice)",
    ),
    ProblemCode(
        "label-too-long",
        "Label too long",
        "A label or key is longer than the configured maximum label length; long explanations"
        " belong in the field's description.",
        "form.json, at /properties/x: a label or key is longer than the configured maximum "
        "label length; long explanations belong in the field's description",
    ),
    ProblemCode(
        "unsatisfiable-field",
        "Unsatisfiable field",
        "Source fields merged into one field have constraints no single value can satisfy.",
        "form.json, at /properties/x: source fields merged into one field have constraints no"
        " single value can satisfy",
    ),
    ProblemCode(
        "pattern-timeout",
        "Pattern timeout",
        "A form's pattern took longer than the pattern timeout to match an answer; the value "
        "is unchecked.",
        "form.json, at /properties/x: a form's pattern took longer than the pattern timeout "
        "to match an answer; the value is unchecked",
    ),
    ProblemCode(
        "wrong-type",
        "Wrong type",
        'Not a value of the field\'s type (1.7 or "abc" for an integer field, "maybe" for a '
        "yes/no question).",
        'form.json, at /properties/x: not a value of the field\'s type (1.7 or "abc" for an '
        'integer field, "maybe" for a yes/no question)',
    ),
    ProblemCode(
        "lossy-value",
        "Lossy value",
        "The form cannot hold the value exactly (a date for a form that asks only year and month).",
        "form.json, at /properties/x: the form cannot hold the value exactly (a date for a "
        "form that asks only year and month)",
    ),
    ProblemCode(
        "held-at-form-precision",
        "Held at the form's precision",
        "A note, not a refusal: a form's date format is coarser than the answer (the month for a "
        "full date, minutes for a time with seconds); that form receives the date at its own "
        "precision while the merged answer stays whole.",
        "form 'birth-registration', field 'csr/cssj': the form holds this date at its own "
        "precision (its format is '%Y-%m-%d %H:%M')",
    ),
    ProblemCode(
        "expected-list",
        "Expected list",
        "A single value for a repeating or multi-select field (read as one row).",
        "form.json, at /properties/x: a single value for a repeating or multi-select field "
        "(read as one row)",
    ),
    ProblemCode(
        "unexpected-list",
        "Unexpected list",
        "Several values for a field the form asks once.",
        "form.json, at /properties/x: several values for a field the form asks once",
    ),
    ProblemCode(
        "unknown-payload-key",
        "Unknown payload key",
        "A key of a payload that no field of the form reads (its value would be lost).",
        "form.json, at /properties/x: a key of a payload that no field of the form reads (its"
        " value would be lost)",
    ),
    ProblemCode(
        "not-in-lineage",
        "Not in lineage",
        "A source field that no merged field holds (a hand-built merged form).",
        "form.json, at /properties/x: a source field that no merged field holds (a hand-built"
        " merged form)",
    ),
)
