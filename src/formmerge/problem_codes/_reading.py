"""Problem codes of reading files: every YAML or JSON file, every form file."""

from __future__ import annotations

from formmerge.problem_codes._model import ProblemCode

CODES = (
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
)
