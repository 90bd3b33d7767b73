"""Problem codes of the catalog, decisions and the items, roles and fields files name."""

from __future__ import annotations

from formmerge.problem_codes._model import ProblemCode

CODES = (
    # the catalog
    ProblemCode(
        "invalid-entry",
        "Invalid catalog entry",
        "A catalog item, role, code list or material does not fit its model.",
        "items/person.yaml:12: CatalogItem 'name': type: Input should be 'string', 'date', ...",
    ),
    ProblemCode(
        "catalog-mismatch",
        "Another catalog than the merge's",
        "A merged form is split, read back, prefilled or exported with a catalog other than the "
        "one it was merged with (its content fingerprint differs); pass that catalog.",
        "form 'newborn-birth': 'newborn-birth' was merged with catalog sha256:1f0c…, but the "
        "packaged catalog is sha256:9a3e…: pass the catalog it was merged with (catalog=...)",
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
    ProblemCode(
        "bad-workbook",
        "Not a review workbook",
        "A review workbook cannot be read, or lacks its queue sheet or one of its columns.",
        "queue.xlsx, at sheet 'queue', row 1: sheet 'queue' lacks the column(s) decision",
    ),
    ProblemCode(
        "output-exists",
        "Output exists",
        "A learned catalog copy would overwrite a directory that already exists.",
        "learned: the directory exists; name a new one for the learned catalog",
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
    ProblemCode(
        "derivation-without-role",
        "Derivation across people",
        "A catalog derivation derives an item from one that no role shares with it.",
        "derivations.yaml:4: 'registered_capital' and 'citizen_id' share no role, so no "
        "person has both; derive only within one person",
    ),
)
