"""The registry of problem codes: every code a :class:`~formmerge.errors.Problem` can carry.

One failure has one code wherever it happens: a YAML syntax error is ``syntax-error`` in a form,
the catalog, a source configuration, decisions, a bundle or rules alike. Each code has a title,
a description of what it means and an example of the message it comes with (the examples are
what ``docs/errors.md`` shows). Codes are kebab-case and stable: tests and callers compare
codes, never message text.

:func:`problem` builds a record and refuses a code that is not registered here, so a new code
is documented before it can be used.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from types import MappingProxyType

from formmerge.errors import Location, Problem

__all__ = ["PROBLEM_CODES", "ProblemCode", "problem"]


@dataclass(frozen=True)
class ProblemCode:
    """One registered problem code.

    Attributes:
        code: the kebab-case code.
        title: a few words naming the failure.
        description: what the failure is, and where it can arise.
        example: a problem as it prints (location, message), for the documentation.
    """

    code: str
    title: str
    description: str
    example: str


_CODES = (
    # reading a file (every YAML or JSON file, every form file)
    ProblemCode(
        "file-not-found",
        "File not found",
        "The path names no file (or names a directory where a file is needed): a form, a "
        "bundle.yaml, a rules or decisions file, a catalog directory or one of its required "
        "files.",
        "bundle.yaml: the file does not exist",
    ),
    ProblemCode(
        "unreadable-file",
        "Unreadable file",
        "The file exists but cannot be read: permissions, a damaged workbook, a NUL character "
        "in the path.",
        "forms/a.yaml: cannot read the file: Permission denied",
    ),
    ProblemCode(
        "file-too-large",
        "File too large",
        "The file is larger than the reader's size limit (DocumentLimits.max_bytes).",
        "forms/a.json: the file has 20,971,520 bytes; at most 16,777,216 are read",
    ),
    ProblemCode(
        "unknown-file-format",
        "Unknown file format",
        "The file extension is not one of the supported form formats.",
        "forms/a.xls: cannot read .xls as a form; expected one of .yaml, .yml, .json, .csv, "
        ".xlsx, .xlsm; save .xls workbooks as .xlsx",
    ),
    ProblemCode(
        "encoding-error",
        "Not UTF-8 text",
        "The text is not UTF-8 (or, for CSV, GB 18030); a byte-order mark is allowed.",
        "forms/a.yaml:3: the file is not UTF-8 text (byte 0xd5); save it as UTF-8",
    ),
    ProblemCode(
        "control-character",
        "Control character",
        "The text holds a control character that YAML and JSON do not allow unescaped.",
        "rules.yaml:4: control character U+0007 at line 4, column 12; remove it or write it as "
        "an escape",
    ),
    ProblemCode(
        "syntax-error",
        "Syntax error",
        "The YAML, JSON or CSV syntax is broken, or a tagged YAML value cannot be converted.",
        "rules.yaml:3: invalid YAML: expected ',' or ']', but got '<stream end>' (line 3, "
        "column 1)",
    ),
    ProblemCode(
        "too-deep",
        "Nested too deep",
        "Mappings and lists nest deeper than the reader's limit (DocumentLimits.max_depth), "
        "counting what aliases expand to.",
        "forms/a.json:101: values nest more than 100 levels deep",
    ),
    ProblemCode(
        "too-many-aliases",
        "Too many aliases",
        "YAML aliases are used more often, or expand to more values, than the reader's limits "
        'allow (a "billion laughs" file).',
        "forms/a.yaml:1: aliases expand to 387,420,490 values where the file holds 91; at most "
        "10,000 may be added",
    ),
    ProblemCode(
        "recursive-alias",
        "Recursive alias",
        "A YAML alias refers to a value that contains it, so the value would be infinite.",
        "forms/a.yaml:1: an alias refers to a value that contains it",
    ),
    ProblemCode(
        "number-too-large",
        "Number too large",
        "An integer has more digits than the reader's limit (DocumentLimits.max_integer_digits).",
        "rules.yaml:4: an integer of 5000 digits; at most 100",
    ),
    ProblemCode(
        "duplicate-mapping-key",
        "Key written twice",
        "A YAML or JSON mapping names the same key twice; neither value is taken silently.",
        "rules.yaml:9: key 'rules' appears twice; the first is on line 3",
    ),
    ProblemCode(
        "empty-file",
        "Empty file",
        "The file holds no form.",
        "forms/a.yaml:1: a form file holds a mapping with id, title, fields ...; this one holds"
        " nothing",
    ),
    ProblemCode(
        "not-a-mapping",
        "Not a mapping",
        "The top level of a file that holds a mapping (a form, a sidecar, bundle.yaml, sources, "
        "decisions) is something else.",
        "forms/a.yaml:1: a form file holds a mapping with id, title, fields ...; this one holds"
        " list",
    ),
    ProblemCode(
        "bad-file-structure",
        "Wrong file structure",
        "The top level of a catalog or decisions file is not the mapping, with the list, that "
        "the file kind holds.",
        "roles.yaml:1: expected a mapping with a list under 'roles'",
    ),
    ProblemCode(
        "unknown-attribute",
        "Unknown attribute",
        "A key the file format does not define (often a typo); the message suggests the closest"
        " known key.",
        "decisions.yaml:1: unknown top-level key 'decision'; did you mean 'decisions'?",
    ),
    ProblemCode(
        "missing-attribute",
        "Missing attribute",
        "A required key is absent.",
        "forms/a.yaml:2, form 'a', field 'xm': 'type' is required",
    ),
    ProblemCode(
        "invalid-value",
        "Invalid value",
        "An attribute has a value of the wrong kind.",
        "forms/a.yaml:5, form 'a', field 'age': maximum: Input should be a valid number (got "
        "'ten')",
    ),
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
    # the catalog
    ProblemCode(
        "invalid-entry",
        "Invalid catalog entry",
        "A catalog item, role, code list or material does not fit its model.",
        "items/person.yaml:12: CatalogItem 'name': type: Input should be 'string', 'date', ...",
    ),
    ProblemCode(
        "domain-mismatch",
        "Domain mismatch",
        "A domain file's domain (or an item's) is not the file's name.",
        "items/person.yaml:1: domain 'people' must be the file's name 'person'",
    ),
    ProblemCode(
        "code-list-id-mismatch",
        "Code list id mismatch",
        "A code list's id is not its file's name.",
        "code_lists/sex.yaml:1: code list id 'gender' must be the file's name 'sex'",
    ),
    ProblemCode(
        "duplicate-id",
        "Id defined twice",
        "Two catalog items, roles, code lists or materials have the same id.",
        "items/family.yaml:30: item id 'name' is defined twice: at items/person.yaml:3 and here",
    ),
    ProblemCode(
        "empty-alias",
        "Empty alias",
        "A label or alias is empty once normalised (punctuation and spaces only).",
        "items/person.yaml:8: '--' is empty once normalised",
    ),
    ProblemCode(
        "lonely-shared-alias",
        "Lonely shared alias",
        "A shared alias is claimed by no other item.",
        "items/person.yaml:9: shared alias 'number' of 'citizen_id' is claimed by no other item",
    ),
    ProblemCode(
        "alias-collision",
        "Alias names two items",
        "A name is an alias of several items and not marked shared by all of them.",
        "items/person.yaml:20: 'phone' names several items: mobile (alias), landline (alias); "
        "keep it in one item, or list it under shared_aliases of every item it can mean",
    ),
    ProblemCode(
        "alias-equals-label",
        "Alias is another item's label",
        "An alias of one item is the label of another.",
        "items/person.yaml:21: 'name' names several items: name (label), org_name (alias); keep"
        " it in one item, or list it under shared_aliases of every item it can mean",
    ),
    ProblemCode(
        "enum-without-code-list",
        "Enum without code list",
        "An enum item names no code list.",
        "items/person.yaml:14: item 'sex' is an enum; name its code_list",
    ),
    ProblemCode(
        "code-list-needs-enum",
        "Code list needs enum",
        "An item with a code list is not of type enum.",
        "items/person.yaml:15: item 'sex' has a code_list, so its type must be enum, not 'string'",
    ),
    ProblemCode(
        "unknown-code-list",
        "Unknown code list",
        "An item names a code list the catalog does not have.",
        "items/person.yaml:16: item 'sex' names unknown code list 'gender'",
    ),
    ProblemCode(
        "unknown-format",
        "Unknown format",
        "An item names a format no validator checks.",
        "items/person.yaml:17: item 'citizen_id' names unknown format 'citizenid'; known: "
        "citizen-id, ...",
    ),
    ProblemCode(
        "no-roles",
        "No roles",
        "An item lists no roles (the first is its default).",
        "items/person.yaml:18: item 'name' needs at least one role (the first is the default)",
    ),
    ProblemCode(
        "duplicate-code",
        "Code written twice",
        "A code list has the same code twice.",
        "code_lists/sex.yaml:6: code list 'sex' has code '1' twice",
    ),
    ProblemCode(
        "code-spelling-collision",
        "Spelling names two codes",
        "One spelling (label or alias) stands for two codes of a code list.",
        "code_lists/sex.yaml:8: code list 'sex': 'M' spells both '1' and '2'",
    ),
    ProblemCode(
        "unknown-evidence",
        "Unknown evidence",
        "A material evidences an item the catalog does not have.",
        "materials.yaml:10: material 'id_card' evidences unknown item 'citizen_no'",
    ),
    ProblemCode(
        "material-name-collision",
        "Material name used twice",
        "A name or alias names two materials.",
        "materials.yaml:20: '身份证' names materials 'id_card' and 'id_copy'",
    ),
    ProblemCode(
        "role-word-conflict",
        "Role word used twice",
        "A word that names a role is listed by another role too.",
        "at /roles/3/words: role 'father' lists '父' in words, which role 'parent' already uses;"
        " keep it in one role only",
    ),
    # decisions
    ProblemCode(
        "invalid-decision",
        "Invalid decision",
        "A decision entry does not fit the decision model.",
        "decisions.yaml:4, at /decisions/0: status: Input should be 'confirmed' or 'rejected'",
    ),
    # items, roles and fields named by files
    ProblemCode(
        "unknown-item",
        "Unknown item",
        "A file or a rule names an item the catalog does not have.",
        "decisions.yaml:3: item 'citizen_no' is not in the catalog",
    ),
    ProblemCode(
        "unknown-role",
        "Unknown role",
        "A file, a rule or a subject key names a role the catalog does not have.",
        "decisions.yaml:3: role 'dad' is not a catalog role",
    ),
    ProblemCode(
        "role-not-allowed",
        "Role not allowed",
        "An item is named with a role it cannot be about.",
        "expected.yaml, form 'a', field 'x': citizen_id allows roles applicant, father, not "
        "organization",
    ),
    ProblemCode(
        "unknown-field",
        "Unknown field",
        "A path or an item@role names no field of the form or of the application.",
        "rules.yaml:6, at /reads/0: reads names 'salary@applicant': no catalog item 'salary'",
    ),
    ProblemCode(
        "unknown-form",
        "Unknown form",
        "A file names a form that is not loaded.",
        "expected.yaml, form 'hospital': the bundle has no form with this id",
    ),
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
    # shared data sources and prefill
    ProblemCode(
        "invalid-source-config",
        "Invalid source configuration",
        "A source configuration does not fit its model.",
        "sources.yaml:5: sources.0.key: Field required",
    ),
    ProblemCode(
        "bad-identifier",
        "Bad SQL identifier",
        "A table or column name in a source configuration is not a safe SQL identifier.",
        "sources.yaml:7: sources.0.relation.table: not a safe SQL identifier: 'persons; drop'",
    ),
    ProblemCode(
        "duplicate-source",
        "Source id used twice",
        "Two sources of a configuration have the same id.",
        "sources.yaml:30: source id 'hukou' is used twice",
    ),
    ProblemCode(
        "unsupported-item",
        "Item cannot be prefilled",
        "A source provides an item of a kind prefill cannot read (a file).",
        "sources.yaml:12: 'photo' is a file item; it cannot be prefilled",
    ),
    ProblemCode(
        "unknown-source",
        "Unknown source",
        "A precedence list names a source that does not provide the item.",
        "sources.yaml:50: source 'tax' does not provide 'address'",
    ),
    ProblemCode(
        "relation-cycle",
        "Relation cycle",
        "Relations between roles lead round in a circle.",
        "sources.yaml:40: relations go round in a circle: father <- child <- father",
    ),
    ProblemCode(
        "missing-database",
        "Missing registers database",
        "The registers database file does not exist.",
        "registers.duckdb: no such file; build the demo registers with `formmerge demo-data`, "
        "or set `database` in the source configuration",
    ),
    ProblemCode(
        "unreadable-database",
        "Unreadable registers database",
        "The registers database cannot be opened.",
        "registers.duckdb: IOException",
    ),
    ProblemCode(
        "bad-subject-key",
        "Bad subject key",
        "A subject key (an ID number, a USCC) is empty or malformed.",
        "field 'applicant': the subject key for 'applicant' is empty",
    ),
    ProblemCode(
        "item-not-asked",
        "Item not asked",
        "A read of an item the form does not ask for (minimum necessary).",
        "field 'bank_account@applicant': the form does not ask for 'bank_account' of the "
        "applicant role; prefill reads only what the form asks (minimum necessary)",
    ),
    ProblemCode(
        "verified-value-changed",
        "Verified value changed",
        "A value prefilled from a verified source was changed before submission.",
        "field 'name@applicant': the verified value was changed",
    ),
    ProblemCode(
        "not-demo-data",
        "Not demo data",
        "A file where demo registers would be written exists and was not made by the demo "
        "generator.",
        "registers.duckdb: the file exists but was not made by formmerge's demo generator; it "
        "is left alone",
    ),
    ProblemCode(
        "no-demo-subject",
        "No demo subject",
        "The demo registers hold no subject of a kind the demo needs.",
        "field 'newborn_mother': no newborn mother in the demo registers; generate more people",
    ),
    # rules
    ProblemCode(
        "invalid-rules",
        "Invalid rules file",
        "A rules file key is missing, unknown or of the wrong kind.",
        "rules.yaml:1, at /rules: Field required at rules",
    ),
    ProblemCode(
        "duplicate-rule",
        "Rule id used twice",
        "Two rules of one file have the same id.",
        "rules.yaml:20, at /rules/3: rule id 'child-age' is used twice",
    ),
    ProblemCode(
        "invalid-parameter",
        "Invalid parameter",
        "A parameter's name or value is not one the rule language has (an impossible date "
        "included).",
        "rules.yaml:4, at /params/cutoff: parameter 'cutoff' = '2026-02-30' is not a date: day "
        "is out of range for month",
    ),
    ProblemCode(
        "unknown-parameter",
        "Unknown parameter",
        "A parameter override names a parameter the rule set does not have.",
        "at /params/year: the rule set has no parameter 'year'",
    ),
    ProblemCode(
        "rule-syntax",
        "Rule syntax error",
        "A condition cannot be parsed.",
        "rules.yaml:8, at /rules/0/condition: rule 'child-age': unexpected character '$' (at: "
        "$x > 1)",
    ),
    ProblemCode(
        "rule-too-deep",
        "Condition nested too deep",
        "A condition nests parentheses or operators deeper than the parser allows.",
        "rules.yaml:8, at /rules/0/condition: rule 'x': the condition nests too deeply",
    ),
    ProblemCode(
        "rule-too-long",
        "Condition too long",
        "A condition is longer than the parser allows.",
        "rules.yaml:8, at /rules/0/condition: rule 'x': the condition is too long",
    ),
    ProblemCode(
        "unsafe-name",
        "Unsafe name",
        "A condition uses a name that could reach outside the rule language (a dunder).",
        "rules.yaml:8, at /rules/0/condition: rule 'x': '__class__' is not allowed in a condition",
    ),
    ProblemCode(
        "type-mismatch",
        "Type mismatch",
        "Operand or argument types do not fit, or a parameter override has another type.",
        "rules.yaml:8, at /rules/0/condition: rule 'x': cannot compare a date with a number (>=)",
    ),
    ProblemCode(
        "unknown-name",
        "Unknown name",
        "A condition names a role, parameter or variable that does not exist.",
        "rules.yaml:8, at /rules/0/condition: rule 'x': unknown name 'chld'; did you mean 'child'?",
    ),
    ProblemCode(
        "unknown-function",
        "Unknown function",
        "A condition calls a function the rule language does not have.",
        "rules.yaml:8, at /rules/0/condition: rule 'x': unknown function 'agee'; did you mean "
        "'age_on'?",
    ),
    ProblemCode(
        "arity",
        "Wrong number of arguments",
        "A function is called with a number of arguments none of its signatures takes.",
        "rules.yaml:8, at /rules/0/condition: rule 'x': age_on() takes 2 arguments, not 1",
    ),
    ProblemCode(
        "not-constant",
        "Not constant",
        "A function argument that must be constant (a literal, a parameter, today()) is not.",
        "rules.yaml:8, at /rules/0/condition: rule 'x': date() takes constant arguments only",
    ),
    ProblemCode(
        "unknown-code",
        "Unknown code",
        "A condition compares an enum item with a code its code list does not have.",
        "rules.yaml:8, at /rules/0/condition: rule 'x': '9' is not a code of sex",
    ),
    ProblemCode(
        "not-in-application",
        "Not in the application",
        "A rule reads a field neither the application nor the file's reads has.",
        "rules.yaml:8, at /rules/0/condition: rule 'x': child.birth_date is not asked by the "
        "application; add it to reads",
    ),
    ProblemCode(
        "invalid-constant",
        "Invalid constant",
        "A constant part of a condition cannot be computed (an impossible date).",
        "rules.yaml:8, at /rules/0/condition: rule 'x': date(2026, 2, 30) is not a date",
    ),
    ProblemCode(
        "query-failed",
        "Query failed",
        "A batch verification query failed in the database.",
        "batch verification query failed: Binder Error",
    ),
    # reports
    ProblemCode(
        "chromium-failed",
        "Chromium failed",
        "The headless browser that renders a report's PNG is missing or failed.",
        "report.html: Chromium exited with status 1",
    ),
)

PROBLEM_CODES: Mapping[str, ProblemCode] = MappingProxyType({c.code: c for c in _CODES})
"""Every problem code, by code, in documentation order."""


def problem(code: str, message: str, location: Location | None = None) -> Problem:
    """A problem record whose code is registered.

    Raises:
        ValueError: ``code`` is not in :data:`PROBLEM_CODES` (a programming error: register
            and document the code first).
    """
    if code not in PROBLEM_CODES:
        raise ValueError(f"unregistered problem code {code!r}; add it to formmerge.problem_codes")
    return Problem(code, message, location or Location())
