"""Problem codes of shared-data sources, prefill, rules and reports."""

from __future__ import annotations

from formmerge.problem_codes._model import ProblemCode

CODES = (
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
        "or set 'database' in the source configuration",
    ),
    ProblemCode(
        "missing-register-file",
        "Missing register file",
        "A relation to read on Spark has no Parquet file in the registers folder (or its file "
        "does not exist).",
        "registers/population.parquet: no such file for relation 'population'; export the "
        "registers to Parquet",
    ),
    ProblemCode(
        "spark-unavailable",
        "Spark not available",
        "Batch prefill or verification on Spark cannot start: pyspark is not installed, no "
        "Java runtime is found, or the master is unreachable.",
        "pyspark is not installed; install formmerge's spark extra",
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
    ProblemCode(
        "page-too-wide",
        "Report page too wide",
        "A report page is wider than the widest screenshot taken; the PNG is refused rather "
        "than cut on the right.",
        "report.html: the page is 9120 px wide, more than the widest screenshot (8000 px)",
    ),
    ProblemCode(
        "unknown-language",
        "Unknown report language",
        "A report was asked for in a language it has no words for (zh and en exist).",
        "no report language 'fr': choose one of zh, en",
    ),
    ProblemCode(
        "unknown-cohort",
        "Unknown cohort",
        "A cohort is neither a file of subject keys nor one of the named cohort queries.",
        "no cohort 'mothers': name a file of subject keys or one of newborn_mothers, ...",
    ),
    ProblemCode(
        "cohort-query-failed",
        "Cohort query failed",
        "A named cohort's query cannot run on the registers (they lack its tables).",
        "cohort 'newborn_mothers' cannot be read from registers.duckdb: Catalog Error",
    ),
    ProblemCode(
        "cohort-empty",
        "Empty cohort",
        "A cohort file or query holds no subject key.",
        "keys.txt: the cohort holds no subject",
    ),
    # single-subject prefill faults and checks
    ProblemCode(
        "source-failed",
        "Source could not be read",
        "A source or relation query failed during a single-subject prefill; its items are "
        "left to type and the other sources are still read.",
        "field 'population': reading source 'population' failed, its items are left to type: "
        "CatalogException: Table with name no_such_table does not exist",
    ),
    ProblemCode(
        "subject-not-found",
        "Subject not found",
        "No register holds any data on a role whose key was given (a mistyped or unknown key); "
        "nothing is prefilled for that role and the command line exits 1.",
        "field 'applicant': no register holds any data on the applicant under the key given: "
        "nothing was prefilled for them; check the key",
    ),
    ProblemCode(
        "source-value-unfit",
        "Prefilled value rejected by a form",
        "A register holds a value that a department's form would reject (a pattern, an "
        "option); it is not offered and the field is left to type.",
        "form 'retiree-medical-benefits', field 'medical_insurance_region@applicant': source "
        "'medical_insurance' (宜昌市医疗保障局) holds a value that form 'retiree-medical-benefits' "
        "rejects (pattern-mismatch); it is not offered",
    ),
    ProblemCode(
        "bad-read",
        "Read refused",
        "A read beyond the form's fields (the rules' reads) names an unknown item, a role the"
        " item cannot have, or a role the application does not concern.",
        "field 'uscc@applicant': cannot read 'uscc@applicant': 'uscc' is not data a "
        "'applicant' has",
    ),
    ProblemCode(
        "audit-store-failed",
        "Audit store fault",
        "The audit trail cannot be written or read (a full disk, a folder given as the file, "
        "a closed connection).",
        "audit.duckdb: writing audit records failed: ConnectionException: Connection already "
        "closed",
    ),
    ProblemCode(
        "no-registers",
        "No registers given",
        "Prefill was given no connection and the source configuration names no database; "
        "formmerge never falls back to the demo registers.",
        "sources.yaml: no registers to read: pass connection= (a DuckDB connection or file) "
        "or set 'database' in the source configuration",
    ),
    ProblemCode(
        "inline-database-secret",
        "Database secret written inline",
        "A source configuration writes a PostgreSQL DSN or password into the file instead of "
        "naming the environment variable or secrets file that holds it.",
        "sources.yaml:6: database: a PostgreSQL DSN (with its password) is written inline; "
        "name it instead: postgres: {dsn_env: VARIABLE} or postgres: {dsn_file: path}",
    ),
    ProblemCode(
        "missing-database-dsn",
        "PostgreSQL DSN not found",
        "The environment variable or secrets file a source configuration names for its "
        "PostgreSQL database is unset, missing or empty.",
        "sources.yaml: the environment variable REGISTERS_DSN holds no PostgreSQL DSN (it is "
        "unset, missing or empty)",
    ),
    ProblemCode(
        "postgres-unavailable",
        "PostgreSQL support not installed",
        "A PostgreSQL source is configured but psycopg 3 is not installed.",
        "PostgreSQL sources need psycopg 3: pip install 'formmerge[postgres]'",
    ),
)
