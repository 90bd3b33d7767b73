"""Verifying applications: one at a time in Python, or many at once in DuckDB.

:func:`verify` checks one application (a mapping of merged field ids to values, or a prefill
result) and returns a :class:`RuleOutcome` per rule, with the values used, where they came
from, and why the rule passed, failed or could not be decided. :func:`verify_batch` checks a
table of subjects (one row each, one column per merged field id) with one SQL query on a
private in-memory DuckDB connection that can reach nothing but that table.
"""

from __future__ import annotations

import sys
from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field
from datetime import date
from pathlib import Path
from typing import TYPE_CHECKING, Any, Literal

import duckdb
from rich.table import Table

from formmerge.errors import Location, Problem, RuleError
from formmerge.models import MergedForm
from formmerge.prefill.backend import clean_database_message
from formmerge.prefill.masking import mask_safely, redact
from formmerge.rules.load import load_rules
from formmerge.rules.model import BoundRuleSet, RuleSet
from formmerge.rules.nodes import Value
from formmerge.rules.sql import SUBJECTS_TABLE, batch_sql
from formmerge.rules.values import as_text, coerce

if TYPE_CHECKING:
    import pandas as pd

__all__ = [
    "ANSWER_SOURCE",
    "STATUSES",
    "RuleOutcome",
    "Status",
    "format_outcomes",
    "verify",
    "verify_batch",
]

Status = Literal["pass", "fail", "unknown"]
STATUSES: tuple[Status, ...] = ("pass", "fail", "unknown")

ANSWER_SOURCE = "applicant"
"""The source recorded for values the applicant typed in (``answers``)."""

_CONNECTION_CONFIG: dict[str, str | bool | int | float | list[str]] = {
    "enable_external_access": False,
    "autoinstall_known_extensions": False,
    "autoload_known_extensions": False,
    "lock_configuration": True,
}
"""The private connection of :func:`verify_batch` reads no file, network or extension."""

RulesArg = RuleSet | BoundRuleSet | str | Path
FieldsArg = Iterable[str] | MergedForm | None


@dataclass(frozen=True)
class RuleOutcome:
    """The outcome of one rule on one application.

    Attributes:
        rule_id: the rule.
        status: ``pass``, ``fail``, or ``unknown`` when data the rule needs is missing or
            unreadable (never silently a pass or a fail).
        message_zh: what the rule requires, in Chinese (shown when it fails).
        message_en: the same in English.
        used: every field the rule reads: ``{field id: (value, source)}``; the value is
            ``None`` when missing, the source ``None`` when the caller gave a bare value.
        reason: why the outcome is what it is, naming the parts of the condition that
            failed or could not be decided and the values compared.
    """

    rule_id: str
    status: Status
    message_zh: str
    message_en: str
    used: Mapping[str, tuple[Any, str | None]] = field(default_factory=dict)
    reason: str = ""

    def __post_init__(self) -> None:
        # the reason quotes the values compared: ID and phone numbers in it are masked
        object.__setattr__(self, "reason", redact(self.reason))

    def to_dict(self) -> dict[str, Any]:
        """Plain data for JSON output; values are masked by their item's sensitivity (the
        unmasked values stay in :attr:`used`)."""
        return {
            "rule_id": self.rule_id,
            "status": self.status,
            "message_zh": self.message_zh,
            "message_en": self.message_en,
            "used": {k: {"value": _masked(k, v), "source": s} for k, (v, s) in self.used.items()},
            "reason": self.reason,
        }

    def __repr__(self) -> str:
        used = {k: (_masked(k, v), s) for k, (v, s) in self.used.items()}
        return (
            f"RuleOutcome(rule_id={self.rule_id!r}, status={self.status!r}, "
            f"used={used!r}, reason={self.reason!r})"
        )


def _json(value: Any) -> Any:
    return value.isoformat() if isinstance(value, date) else value


def _masked(field_id: str, value: Any) -> Any:
    """A used value for output: numbers, booleans and dates as they are (they are not what
    identifies a person), text masked by the sensitivity of the field's item."""
    if value is None or isinstance(value, bool | int | float | date):
        return _json(value)
    item = field_id.partition("@")[0] if "@" in field_id else ""
    return mask_safely(item, value)


def _bind(
    rules: RulesArg,
    params: Mapping[str, Any] | None,
    as_of: date | None,
    fields: Iterable[str] | None,
) -> BoundRuleSet:
    if isinstance(rules, str | Path):
        rules = load_rules(rules)
    if isinstance(rules, BoundRuleSet):
        if params is None and as_of is None and fields is None:
            return rules
        declared = rules.ruleset.params
        kept = {k: v for k, v in rules.params.items() if v != declared.get(k)}
        params, as_of = {**kept, **(params or {})}, as_of or rules.as_of
        rules = rules.ruleset
    return rules.bind(params=params, as_of=as_of, fields=fields)


def _field_ids(fields: FieldsArg) -> list[str] | None:
    if fields is None:
        return None
    if isinstance(fields, MergedForm):
        return [f.id for f in fields.fields]
    return list(fields)


def _provenance(application: Any) -> dict[str, tuple[Any, str | None]]:
    """``{field id: (value, source)}`` from a mapping or a prefill result."""
    values = application if isinstance(application, Mapping) else application.values
    out: dict[str, tuple[Any, str | None]] = {}
    for field_id, v in values.items():
        if hasattr(v, "value") and hasattr(v, "source"):
            source = v.source
            out[field_id] = (v.value, None if source is None else str(source))
        else:
            out[field_id] = (v, None)
    return out


def verify(
    application: Any,
    rules: RulesArg,
    *,
    answers: Mapping[str, Any] | None = None,
    params: Mapping[str, Any] | None = None,
    as_of: date | None = None,
    fields: FieldsArg = None,
    form: str | None = None,
) -> list[RuleOutcome]:
    """Check one application against a rule set.

    Args:
        application: ``{field id: value}``, or a prefill result (an object whose ``values``
            map field ids to objects with ``value`` and ``source``), whose provenance is kept.
        rules: a rule set, a bound rule set, or the path of a rules file or bundle directory.
        answers: values the applicant gave, overriding the application's (source
            :data:`ANSWER_SOURCE`).
        params: parameter values overriding the rule set's defaults.
        as_of: the date of evaluation (``today()``); today if not given.
        fields: the application's field ids (or its merged form); a rule reading another field
            is an error. Not checked when ``None``.
        form: only the rules that apply to this form (rules with no ``forms`` apply to all).

    Returns:
        One outcome per rule, in the rule set's order.

    Raises:
        RuleError: the rules cannot be read or bound (see :meth:`RuleSet.bind`).
    """
    bound = _bind(rules, params, as_of, _field_ids(fields))
    provenance = _provenance(application)
    for field_id, value in (answers or {}).items():
        provenance[field_id] = (value, ANSWER_SOURCE)
    types = bound.types
    env: dict[str, Value | None] = {}
    unreadable: dict[str, str] = {}
    for field_id, t in types.items():
        value, why = coerce(provenance.get(field_id, (None, None))[0], t)
        env[field_id] = value
        if why is not None:
            unreadable[field_id] = why
    outcomes = []
    for b in bound.rules:
        rule = b.rule
        if form is not None and rule.forms and form not in rule.forms:
            continue
        result = b.evaluate(env)
        status: Status = "unknown" if result is None else "pass" if result else "fail"
        reason = b.explain(env, result)
        if status == "unknown":
            missing = [f for f in rule.fields if env.get(f) is None and f not in unreadable]
            bad = [f"{f}: {unreadable[f]}" for f in rule.fields if f in unreadable]
            reason += "".join(
                [
                    f"; missing: {', '.join(missing)}" if missing else "",
                    f"; unreadable: {'; '.join(bad)}" if bad else "",
                ]
            )
        used = {
            f: (
                env[f] if f not in unreadable else provenance[f][0],
                provenance.get(f, (None, None))[1],
            )
            for f in rule.fields
        }
        outcomes.append(
            RuleOutcome(rule.id, status, rule.message_zh, rule.message_en, used, reason)
        )
    return outcomes


def _relation_table(subjects: Any) -> Any:
    """Something DuckDB can scan; object columns of mixed Python types become text."""
    if isinstance(subjects, duckdb.DuckDBPyRelation):
        return subjects.to_arrow_table()
    pandas = sys.modules.get("pandas")  # a DataFrame given means pandas is loaded
    if pandas is None or not isinstance(subjects, pandas.DataFrame):
        return subjects
    mixed = [
        c
        for c in subjects.columns
        if subjects[c].dtype == object and subjects[c].dropna().map(type).nunique() > 1
    ]
    if not mixed:
        return subjects
    return subjects.assign(**{c: subjects[c].map(as_text).astype(object) for c in mixed})


def _batch_conditions(
    rules: RulesArg,
    params: Mapping[str, Any] | None,
    as_of: date | None,
    columns: Mapping[str, str],
    fields: FieldsArg,
    id_column: str | None,
) -> tuple[BoundRuleSet, list[tuple[str, Any]]]:
    """The rules bound for a batch over ``columns``, and their (rule id, condition) pairs.

    Raises:
        RuleError: the subjects lack a field the rules read (``missing-column``), or the id
            column has a rule's name.
    """
    allowed = _field_ids(fields)
    bound = _bind(rules, params, as_of, list(columns) if allowed is None else allowed)
    missing = sorted({f for f in bound.ruleset.fields if f not in columns})
    if missing:
        raise RuleError(
            f"the subjects lack fields the rules of {bound.ruleset.id!r} read",
            [Problem("missing-column", f"no column {f!r}", Location()) for f in missing],
        )
    if id_column is not None and id_column in {b.rule.id for b in bound.rules}:
        raise RuleError(f"id column {id_column!r} has the name of a rule")
    return bound, [(b.rule.id, b.expression) for b in bound.rules]


def verify_batch(
    subjects: Any,
    rules: RulesArg,
    *,
    id_column: str | None = None,
    params: Mapping[str, Any] | None = None,
    as_of: date | None = None,
    fields: FieldsArg = None,
) -> pd.DataFrame:
    """Check many subjects at once with one DuckDB query.

    The subjects are registered on a private in-memory connection that cannot read files,
    the network or extensions, under an internal name; the query is built by
    :func:`formmerge.rules.sql.batch_sql` with every constant bound as a parameter.

    Args:
        subjects: a pandas DataFrame, a pyarrow Table or a DuckDB relation with one row per
            subject and one column per merged field id (``item@role``).
        rules: a rule set, a bound rule set, or the path of a rules file or bundle directory.
        id_column: a column identifying the subject, copied to the result.
        params: parameter values overriding the rule set's defaults.
        as_of: the date of evaluation (``today()``); today if not given.
        fields: the application's field ids; by default the subjects' columns. A rule
            reading a field outside them is an error.

    Returns:
        A DataFrame with the id column (if given) and one categorical column per rule id
        holding ``pass``, ``fail`` or ``unknown``, one row per subject in input order.

    Raises:
        RuleError: the rules cannot be bound, or read a field the subjects lack.
    """
    with duckdb.connect(":memory:", config=_CONNECTION_CONFIG) as con:
        try:
            con.register(SUBJECTS_TABLE, _relation_table(subjects))
        except duckdb.Error as exc:
            raise _database_error("reading the subjects", exc) from exc
        relation = con.table(SUBJECTS_TABLE)
        columns = dict(zip(relation.columns, (str(t) for t in relation.types), strict=True))
        bound, conditions = _batch_conditions(rules, params, as_of, columns, fields, id_column)
        sql, values = batch_sql(conditions, columns, id_column=id_column)
        try:
            return con.execute(sql, values).df()
        except duckdb.Error as exc:
            raise _database_error(f"batch verification of {bound.ruleset.id!r}", exc, sql) from exc


def _database_error(what: str, exc: duckdb.Error, sql: str | None = None) -> RuleError:
    """A failed query as a :class:`RuleError`: a database message may quote the subjects'
    values, so only its cleaned first line is shown; the statement (identifiers and
    placeholders only) is kept on the error."""
    detail = clean_database_message(str(exc).splitlines()[0] if str(exc) else "")
    problem = Problem("query-failed", f"{type(exc).__name__}: {detail}", Location())
    error = RuleError(f"{what} failed", [problem])
    error.sql = sql
    return error


def format_outcomes(outcomes: Iterable[RuleOutcome], *, language: str = "zh") -> Table:
    """A rich table of outcomes: rule, status, message (for failures), reason, values used.

    ID numbers and mobile numbers in reasons and values are masked.
    """
    table = Table(title="条件核验 / Eligibility")
    for column in ("rule", "status", "message", "reason", "values used"):
        table.add_column(column)
    styles = {"pass": "green", "fail": "red", "unknown": "yellow"}
    for o in outcomes:
        message = "" if o.status == "pass" else (o.message_zh if language == "zh" else o.message_en)
        used = "\n".join(
            f"{k} = {'—' if v is None else _json(v)}" + (f" ({s})" if s else "")
            for k, (v, s) in o.used.items()
        )
        # ID and phone numbers are masked: a verification table ends up in logs and tickets
        status = f"[{styles[o.status]}]{o.status}[/]"
        table.add_row(o.rule_id, status, message, redact(o.reason), redact(used))
    return table
