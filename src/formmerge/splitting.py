"""Split one set of answers to a merged form into one payload per source form, and back.

Answers are canonical: ISO dates (``2025-05-16``), code-list codes (``"1"`` for male per
GB/T 2261.1), numbers and booleans as such, and lists for fields in repeating groups. Each payload
uses its form's own keys and nesting, its date format and its option codes, and is validated
against that form's constraints. A source field that gets no answer is reported (and present in
the payload as ``None``), never silently dropped.
"""

from __future__ import annotations

import re
from collections.abc import Mapping
from dataclasses import dataclass, field
from datetime import date, datetime
from typing import Any

from formmerge.catalog import code_for, load_catalog
from formmerge.errors import Location, Problem
from formmerge.models import Catalog, Field, Form, MergedField, MergedForm
from formmerge.normalize import normalize_label
from formmerge.validators import VALIDATORS, format_date, parse_date

__all__ = ["SplitResult", "read_back", "split"]


@dataclass(frozen=True)
class SplitResult:
    """Payloads per source form id, and every problem met while building them."""

    payloads: dict[str, dict[str, Any]]
    problems: list[Problem] = field(default_factory=list)

    @property
    def ok(self) -> bool:
        """True when every source field got a valid answer."""
        return not self.problems


def _lineage(merged: MergedForm) -> dict[tuple[str, str], MergedField]:
    return {(r.form, r.path): mf for mf in merged.fields for r in mf.sources}


def _as_date(value: Any) -> date | None:
    if isinstance(value, datetime):
        return value.date()
    if isinstance(value, date):
        return value
    return parse_date(str(value))


def _as_datetime(value: Any, fmt: str | None = None) -> datetime | None:
    """A date-time from a datetime, an ISO string or a string in the form's own format."""
    if isinstance(value, datetime):
        return value
    text = str(value)
    for parse in (
        (lambda t: datetime.strptime(t, fmt)) if fmt else None,
        datetime.fromisoformat,
    ):
        if parse is None:
            continue
        try:
            return parse(text)
        except ValueError:
            continue
    return None


class _Codec:
    """Converts one value between canonical form and one form field's own representation."""

    def __init__(self, catalog: Catalog, merged_field: MergedField, form_field: Field) -> None:
        self.catalog, self.mf, self.f = catalog, merged_field, form_field

    def _canonical_code(self, text: str) -> str | None:
        if self.mf.code_list is None:
            return None
        return code_for(self.catalog, self.mf.code_list, text)

    def to_form(self, value: Any) -> Any:
        f = self.f
        if f.options:
            for o in f.options:
                if self._same_option(o.code, o.label, value):
                    return o.code
            return value
        if f.type == "datetime" or self.mf.type == "datetime":
            moment = _as_datetime(value)
            if moment is not None:
                return moment.strftime(f.date_format) if f.date_format else moment.isoformat()
        if f.type in ("date", "datetime") or self.mf.type in ("date", "datetime"):
            d = _as_date(value)
            return format_date(d, f.date_format) if d is not None else value
        if f.type == "integer":
            return int(value)
        if f.type == "number":
            return float(value)
        if f.type == "boolean":
            return bool(value)
        if self.mf.code_list is not None:
            codes = {c.code: c for c in self.catalog.code_list(self.mf.code_list).codes}
            return codes[str(value)].label_zh if str(value) in codes else str(value)
        return str(value)

    def _same_option(self, code: str, label: str, value: Any) -> bool:
        if isinstance(value, bool):
            return normalize_label(label or code) in (_YES if value else _NO)
        text = str(value)
        if self.mf.code_list is not None:
            canon = self._canonical_code(code) or self._canonical_code(label)
            return canon == text
        return normalize_label(label or code) == normalize_label(text) or code == text

    def to_canonical(self, raw: Any) -> Any:
        f = self.f
        if raw is None:
            return None
        if f.options:
            option = next((o for o in f.options if o.code == str(raw)), None)
            if option is not None:
                if self.mf.type == "boolean":
                    return normalize_label(option.label or option.code) in _YES
                if self.mf.code_list is not None:
                    return self._canonical_code(option.code) or self._canonical_code(option.label)
                merged_opt = next(
                    (
                        o
                        for o in self.mf.options
                        if normalize_label(o.label or o.code)
                        == normalize_label(option.label or option.code)
                    ),
                    None,
                )
                return merged_opt.code if merged_opt else option.code
        if f.type == "datetime" or self.mf.type == "datetime":
            moment = _as_datetime(raw, f.date_format)
            if moment is not None:
                return moment.isoformat()
        if f.type in ("date", "datetime") or self.mf.type in ("date", "datetime"):
            d = parse_date(str(raw))
            return d.isoformat() if d is not None else raw
        if self.mf.code_list is not None and isinstance(raw, str):
            return self._canonical_code(raw) or raw
        return raw

    def problems(self, raw: Any, loc: Location) -> list[Problem]:
        f, out = self.f, []
        text = str(raw)
        if f.options and text not in {o.code for o in f.options}:
            out.append(Problem("invalid-option", f"{text!r} is not an option of the form", loc))
        if f.max_length is not None and len(text) > f.max_length:
            out.append(Problem("too-long", f"longer than {f.max_length} characters", loc))
        if f.min_length is not None and len(text) < f.min_length:
            out.append(Problem("too-short", f"shorter than {f.min_length} characters", loc))
        if f.pattern and not re.fullmatch(f.pattern, text):
            out.append(Problem("pattern-mismatch", f"does not match {f.pattern!r}", loc))
        if isinstance(raw, int | float) and not isinstance(raw, bool):
            if f.minimum is not None and raw < f.minimum:
                out.append(Problem("below-minimum", f"below the minimum {f.minimum}", loc))
            if f.maximum is not None and raw > f.maximum:
                out.append(Problem("above-maximum", f"above the maximum {f.maximum}", loc))
        if f.format in VALIDATORS and not VALIDATORS[f.format](text):
            out.append(Problem("invalid-format", f"not a valid {f.format}", loc))
        return out


_YES = {"是", "yes", "y", "true", "1", "有", "同意"}
_NO = {"否", "no", "n", "false", "0", "无", "不同意"}


def _put(payload: dict[str, Any], f: Field, value: Any) -> None:
    """Place a value at the field's group path; a repeating group takes a list of rows."""
    node = payload
    for depth, g in enumerate(f.group):
        if g.repeating:
            rows = node.setdefault(g.key, [])
            values = value if isinstance(value, list) else [value]
            while len(rows) < len(values):
                rows.append({})
            rest = f.model_copy(update={"group": f.group[depth + 1 :]})
            for row, v in zip(rows, values, strict=False):
                _put(row, rest, v)
            return
        node = node.setdefault(g.key, {})
    node[f.key] = value


def _get(payload: Mapping[str, Any], f: Field) -> Any:
    node: Any = payload
    for depth, g in enumerate(f.group):
        node = node.get(g.key) if isinstance(node, Mapping) else None
        if g.repeating and isinstance(node, list):
            rest = f.model_copy(update={"group": f.group[depth + 1 :]})
            return [_get(row, rest) for row in node]
    return node.get(f.key) if isinstance(node, Mapping) else None


def split(
    merged: MergedForm, answers: Mapping[str, Any], catalog: Catalog | None = None
) -> SplitResult:
    """Build each source form's payload from answers keyed by merged field id.

    Args:
        merged: the merged form (it carries its source forms).
        answers: canonical values keyed by :attr:`MergedField.id`.
        catalog: the catalog used for code lists (default: the shipped one).

    Returns:
        The payloads and the problems (missing answers, values a form rejects, answers to no
        field of the merged form).
    """
    catalog = catalog or load_catalog()
    lineage = _lineage(merged)
    known = {f.id for f in merged.fields}
    problems = [
        Problem("unknown-answer", f"{k!r} is not a field of the merged form", Location(field=k))
        for k in answers
        if k not in known
    ]
    payloads: dict[str, dict[str, Any]] = {}
    for form in merged.forms:
        payload: dict[str, Any] = {}
        for f in form.fields:
            mf = lineage[(form.id, f.path)]
            loc = Location(form=form.id, field=f.path)
            value = answers.get(mf.id)
            if value is None or value == "":
                code = "missing-required" if f.required else "no-answer"
                problems.append(Problem(code, f"no answer for {mf.id}", loc))
                _put(payload, f, None)
                continue
            codec = _Codec(catalog, mf, f)
            values = value if isinstance(value, list) and f.repeating else [value]
            raws = [codec.to_form(v) for v in values]
            for raw in raws:
                problems.extend(codec.problems(raw, loc))
            _put(payload, f, raws if f.repeating and isinstance(value, list) else raws[0])
        payloads[form.id] = payload
    return SplitResult(payloads=payloads, problems=problems)


def read_back(
    merged: MergedForm, form_id: str, payload: Mapping[str, Any], catalog: Catalog | None = None
) -> dict[str, Any]:
    """Read one form's payload back into canonical answers keyed by merged field id."""
    catalog = catalog or load_catalog()
    lineage = _lineage(merged)
    form: Form = next(f for f in merged.forms if f.id == form_id)
    out: dict[str, Any] = {}
    for f in form.fields:
        mf = lineage[(form.id, f.path)]
        raw = _get(payload, f)
        codec = _Codec(catalog, mf, f)
        if isinstance(raw, list):
            out[mf.id] = [codec.to_canonical(r) for r in raw]
        else:
            out[mf.id] = codec.to_canonical(raw)
    return out
