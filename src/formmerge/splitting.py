"""Split one set of answers to a merged form into one payload per source form, and back.

Answers are canonical (see :mod:`formmerge.field_codec`): ISO dates (``2025-05-16``), code-list
codes (``"1"`` for male per GB/T 2261.1), numbers and booleans as such, lists for fields in
repeating groups (one value per row) and for multi-select fields. Each payload uses its form's
own keys and nesting, its date format and its option codes, and is validated against that
form's constraints.

Lossless or loud: every answer either reaches each form as a value that reads back to exactly
the same canonical value, or a problem names the form and field (and the row) where it did not.
A value a form cannot hold is kept in the payload as given, with the problem. A source field
that gets no answer is reported (and present in the payload as ``None``; a field of a repeating
group gets no row), never silently dropped.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping
from dataclasses import dataclass, field
from datetime import date
from typing import Any

from formmerge.catalog import catalog_for
from formmerge.constraints import form_problems, value_problems
from formmerge.derivations import derive_values
from formmerge.errors import Location, Problem
from formmerge.field_codec import ConversionError, FieldCodec, same_value
from formmerge.identities import bind
from formmerge.ingest.jsonschema import MULTI_SELECT_FORMAT
from formmerge.models import Catalog, Field, Form, MergedField, MergedForm
from formmerge.payloads import ABSENT, get_value, pointer, put_value, unknown_keys

__all__ = ["PRECISION_CODE", "ReadBackResult", "SplitResult", "read_back", "split"]

PRECISION_CODE = "held-at-form-precision"
"""A date or date-time a form holds coarser than it was answered (minutes where the answer has
seconds, the month where it has a day): the form receives it at its own precision and the
merged answer is unchanged. A note, not a refusal: the department asked no more than that."""


@dataclass(frozen=True)
class SplitResult:
    """Payloads per source form id, and every problem met while building them."""

    payloads: dict[str, dict[str, Any]]
    problems: list[Problem] = field(default_factory=list)

    @property
    def ok(self) -> bool:
        """True when every source field got a valid answer."""
        return not self.problems


@dataclass(frozen=True)
class ReadBackResult:
    """Canonical answers read from one form's payload, and every value that could not be."""

    answers: dict[str, Any]
    """Merged field id to canonical value (``None`` where the payload holds none)."""
    problems: list[Problem] = field(default_factory=list)

    @property
    def ok(self) -> bool:
        """True when every value of the payload was read exactly."""
        return not self.problems


def _lineage(merged: MergedForm) -> dict[tuple[str, str], MergedField]:
    return {(r.form, r.path): mf for mf in merged.fields for r in mf.sources}


def _empty(value: Any) -> bool:
    """No answer: ``None``, empty text or an empty list (anything else, even ``0``, is one)."""
    return value is None or (isinstance(value, str | list | tuple) and len(value) == 0)


class _Walker:
    """Applies a scalar conversion through a field's rows and multi-select lists."""

    def __init__(
        self, form: Form, f: Field, problems: list[Problem], *, report_empty: bool = False
    ) -> None:
        self.form, self.f, self.problems = form, f, problems
        self.report_empty = report_empty
        self.depth = sum(g.repeating for g in f.group)
        self.multi = f.format == MULTI_SELECT_FORMAT

    def where(self, rows: tuple[int, ...]) -> Location:
        return Location(form=self.form.id, field=self.f.path, pointer=pointer(self.f, rows))

    def report(self, code: str, message: str, rows: tuple[int, ...]) -> None:
        self.problems.append(Problem(code, message, self.where(rows)))

    def walk(self, value: Any, convert: Callable[[Any, tuple[int, ...]], Any]) -> Any:
        return self._walk(value, convert, (), self.depth)

    def _walk(
        self,
        value: Any,
        convert: Callable[[Any, tuple[int, ...]], Any],
        rows: tuple[int, ...],
        depth: int,
    ) -> Any:
        if isinstance(value, tuple):
            value = list(value)
        if depth > 0 or self.multi:
            if not isinstance(value, list):
                what = "a list, one value per row" if depth else "a list of selected options"
                self.report("expected-list", f"the field takes {what}; read as one", rows)
                value = [value]
            if depth > 0:
                return [self._walk(v, convert, (*rows, i), depth - 1) for i, v in enumerate(value)]
            return [self._scalar(v, convert, rows) for v in value]
        if isinstance(value, list) and len(value) == 1:
            # one row of a field that repeats in another form: this form asks it once
            return self._scalar(value[0], convert, rows)
        if isinstance(value, list | tuple | set | dict):
            self.report("unexpected-list", "the field takes one value; kept as given", rows)
            return value
        return self._scalar(value, convert, rows)

    def _scalar(
        self, value: Any, convert: Callable[[Any, tuple[int, ...]], Any], rows: tuple[int, ...]
    ) -> Any:
        if value is None or (isinstance(value, str) and not value and self.report_empty):
            if self.report_empty:
                self.report("no-answer", "no answer in this row", rows)
            return None
        try:
            return convert(value, rows)
        except ConversionError as e:
            self.report(e.code, e.summary, rows)
            return value


def _split_field(
    form: Form, f: Field, codec: FieldCodec, value: Any, problems: list[Problem]
) -> Any:
    walker = _Walker(form, f, problems, report_empty=True)

    def to_form(v: Any, rows: tuple[int, ...]) -> Any:
        canonical = codec.canonical(v)
        raw = codec.to_form(canonical)
        try:
            back = codec.to_canonical(raw)
        except ConversionError:
            back = ABSENT
        if not same_value(back, canonical):
            held = f" (its format is {f.date_format!r})" if f.date_format else ""
            if codec.mf.type in ("date", "datetime") and back is not ABSENT:
                # a coarser calendar: the form asks the day where the answer has a time, the
                # month where it has a day; it gets what it asks, the answer stays whole
                message = f"the form holds this date at its own precision{held}"
                walker.report(PRECISION_CODE, message, rows)
            else:
                walker.report("lossy-value", f"the form cannot hold this value exactly{held}", rows)
        problems.extend(value_problems(f, raw, walker.where(rows)))
        return raw

    return walker.walk(value, to_form)


def _codec(
    catalog: Catalog, mf: MergedField, form: Form, f: Field, problems: list[Problem]
) -> FieldCodec | None:
    """The field's codec, or ``None`` (with a problem) if the catalog lacks its code list."""
    if mf.code_list is not None and mf.code_list not in {c.id for c in catalog.code_lists}:
        message = (
            f"the catalog has no code list {mf.code_list!r}; split with the catalog the form "
            "was merged with (the value is kept as given)"
        )
        problems.append(Problem("unknown-code-list", message, Location(form=form.id, field=f.path)))
        return None
    return FieldCodec(catalog, mf, f, form.language)


def _reader(codec: FieldCodec) -> Callable[[Any, tuple[int, ...]], Any]:
    def read(value: Any, rows: tuple[int, ...]) -> Any:
        return codec.to_canonical(value)

    return read


def split(
    merged: MergedForm,
    answers: Mapping[str, Any] | None,
    catalog: Catalog | None = None,
    *,
    binding: Mapping[str, str] | None = None,
    derive: bool = True,
    application_date: date | None = None,
) -> SplitResult:
    """Build each source form's payload from answers keyed by merged field id.

    Args:
        merged: the merged form (it carries its source forms).
        answers: canonical values keyed by :attr:`MergedField.id`.
        catalog: the catalog used for code lists (default: the shipped one).
        binding: roles that are the same person (see :func:`formmerge.identities.bind`),
            applied to ``merged`` first: one answer then fills every bound role's fields.
        derive: fill derivable fields left unanswered from their sources (see
            :mod:`formmerge.derivations`) and report answers their sources contradict.
        application_date: the date ages are derived on (default: today).

    Returns:
        The payloads and the problems: missing answers, values a form rejects or cannot hold
        exactly, answers to no field of the merged form, declarations (formats, patterns)
        that cannot be checked. Each problem names the form and field.
    """
    catalog = catalog_for(merged, catalog)
    merged = bind(merged, binding, catalog)
    problems: list[Problem] = []
    if not isinstance(answers, Mapping):
        message = f"answers must map merged field ids to values, not {type(answers).__name__}"
        problems.append(Problem("not-a-mapping", message, Location(form=merged.id)))
        answers = {}
    lineage = _lineage(merged)
    known = {f.id for f in merged.fields}
    problems += [
        Problem("unknown-answer", f"{k!r} is not a field of the merged form", Location(field=k))
        for k in answers
        if k not in known
    ]
    if derive:
        derived, conflicts = derive_values(merged, answers, catalog, on=application_date)
        answers = {**answers, **{k: v.value for k, v in derived.items()}}
        problems += conflicts
    payloads: dict[str, dict[str, Any]] = {}
    for form in merged.forms:
        problems += form_problems(form)
        payload: dict[str, Any] = {}
        for f in form.fields:
            loc = Location(form=form.id, field=f.path)
            mf = lineage.get((form.id, f.path))
            if mf is None:
                problems.append(Problem("not-in-lineage", "no merged field holds it", loc))
                continue
            value = answers.get(mf.id)
            if _empty(value):
                code = "missing-required" if f.required else "no-answer"
                problems.append(Problem(code, f"no answer for {mf.id}", loc))
                put_value(payload, f, None)
                continue
            codec = _codec(catalog, mf, form, f, problems)
            put_value(
                payload,
                f,
                value if codec is None else _split_field(form, f, codec, value, problems),
            )
        payloads[form.id] = payload
    return SplitResult(payloads=payloads, problems=problems)


def read_back(
    merged: MergedForm, form_id: str, payload: Any, catalog: Catalog | None = None
) -> ReadBackResult:
    """Read one form's payload back into canonical answers keyed by merged field id.

    Args:
        merged: the merged form.
        form_id: the id of one of its source forms.
        payload: that form's payload (as :func:`split` builds it, or as the department sent it).
        catalog: the catalog used for code lists (default: the shipped one).

    Returns:
        The answers and the problems: an unknown form, a payload that is no mapping, values
        that cannot be read exactly, keys no field of the form has. Each names the form and
        field.
    """
    catalog = catalog_for(merged, catalog)
    form = next((f for f in merged.forms if f.id == form_id), None)
    if form is None:
        forms = ", ".join(repr(f.id) for f in merged.forms)
        message = f"{form_id!r} is not a source form of {merged.id!r} (its forms: {forms})"
        return ReadBackResult({}, [Problem("unknown-form", message, Location(form=form_id))])
    problems: list[Problem] = []
    if not isinstance(payload, Mapping):
        message = f"the payload must be a mapping, not {type(payload).__name__}"
        problems.append(Problem("not-a-mapping", message, Location(form=form_id)))
        payload = {}
    lineage = _lineage(merged)
    answers: dict[str, Any] = {}
    for f in form.fields:
        mf = lineage.get((form.id, f.path))
        if mf is None:
            loc = Location(form=form.id, field=f.path)
            problems.append(Problem("not-in-lineage", "no merged field holds it", loc))
            continue
        raw = get_value(payload, f)
        if raw is ABSENT:
            answers[mf.id] = None
            continue
        codec = _codec(catalog, mf, form, f, problems)
        walker = _Walker(form, f, problems)
        answers[mf.id] = raw if codec is None else walker.walk(raw, _reader(codec))
    for where, message in unknown_keys(payload, form):
        loc = Location(form=form.id, pointer=where)
        problems.append(Problem("unknown-payload-key", message, loc))
    return ReadBackResult(answers, problems)
