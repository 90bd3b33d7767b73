"""Options and validation rules as the UI schema formats write them.

Formily's ``x-validator``, form-render's ``rules`` and SurveyJS's ``validators`` are lists of
rule objects in the style of antd and async-validator: ``{required: true}``,
``{pattern: "^\\d+$", message: ...}``, ``{min: 2, max: 50}``, ``{format: "email"}``. Options
are ``{label, value}`` objects (``{value, text}`` in SurveyJS) or plain values. The functions
here turn both into field attributes, reporting what cannot be read to a
:class:`~formmerge.ingest._fieldtree.FieldCollector`.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field
from typing import Any

from formmerge.ingest._documents import join_pointer
from formmerge.ingest._fieldtree import FieldCollector, regex_text, scalar_text

__all__ = ["QUIET_RULE_KEYS", "FormatNames", "apply_format", "apply_rule", "option_list"]

QUIET_RULE_KEYS = frozenset(
    {"message", "triggerType", "trigger", "whitespace", "text", "warningOnly"}
)
"""Rule keys that only shape how an error is shown; reading them would add nothing."""

_BOUND_KEYS = {"maxLength": "max_length", "minLength": "min_length", "minimum": "minimum",
               "maximum": "maximum"}  # fmt: skip


@dataclass(frozen=True)
class FormatNames:
    """How one UI format's value-format names read.

    Attributes:
        names: the format's names of value formats formmerge names otherwise
            (``idcard`` -> ``citizen-id``); other names are kept as written.
        types: formats that make a text field a field of another type (``date`` -> ``date``).
        ignored: formats that only choose a widget (``textarea``): no value format.
    """

    names: Mapping[str, str] = field(default_factory=dict)
    types: Mapping[str, str] = field(default_factory=dict)
    ignored: frozenset[str] = frozenset()


def apply_format(
    name: str, field: dict[str, Any], attrs: dict[str, str], at: str, formats: FormatNames
) -> None:
    """Set the type or the value format a format name stands for."""
    if name in formats.types:
        if field.get("type", "string") == "string":
            field["type"], attrs["type"] = formats.types[name], at
    elif name not in formats.ignored:
        field["format"], attrs["format"] = formats.names.get(name, name), at


def apply_rule(
    out: FieldCollector,
    key: str,
    value: Any,
    field: dict[str, Any],
    attrs: dict[str, str],
    at: str,
    formats: FormatNames,
) -> None:
    """Read one key of a rule object into field attributes; note a key none can hold."""
    if key == "required":
        if value is True:
            field["required"], attrs["required"] = True, at
    elif key == "format" and isinstance(value, str):
        apply_format(value, field, attrs, at, formats)
    elif key == "pattern":
        field["pattern"] = regex_text(value) if isinstance(value, str) else value
        attrs["pattern"] = at
    elif key in ("min", "max", "len"):
        # as in async-validator: min/max bound a text's length and a number's value
        lengths = field.get("type", "string") in ("string", "enum")
        low, high = ("min_length", "max_length") if lengths else ("minimum", "maximum")
        for attr in {"min": (low,), "max": (high,)}.get(key, (low, high)):
            field[attr], attrs[attr] = _whole(value) if lengths else value, at
    elif key in _BOUND_KEYS:
        field[_BOUND_KEYS[key]], attrs[_BOUND_KEYS[key]] = value, at
    elif key not in QUIET_RULE_KEYS:
        message = f"validation rule {key!r} has no field attribute to hold it; not read"
        out.note("unread-rule", message, at, "warning")


def option_list(
    out: FieldCollector, value: list[Any], at: str, label_keys: tuple[str, ...] = ("label",)
) -> list[dict[str, str]] | None:
    """Options from ``{value, <label key>}`` objects or plain values; bad entries reported.

    None when every entry was bad, so that the field is not also reported as lacking options.
    """
    options: list[dict[str, str]] = []
    for index, item in enumerate(value):
        if isinstance(item, dict):
            if "value" not in item:
                message = f"an option is {{{label_keys[0]}, value}}; this one has no value"
                out.problem("invalid-options", message, join_pointer(at, index))
                continue
            label = next((item[k] for k in label_keys if k in item), item["value"])
            if isinstance(item["value"], dict | list) or isinstance(label, dict | list):
                message = "an option's value and label are plain values, not lists or mappings"
                out.problem("invalid-options", message, join_pointer(at, index))
                continue
            options.append({"code": scalar_text(item["value"]), "label": scalar_text(label)})
            if isinstance(item.get("children"), list) and item["children"]:
                message = "nested options (a cascader's children) are not read; this one is"
                out.note(
                    "unsupported-schema", message, join_pointer(at, index, "children"), "warning"
                )
        elif isinstance(item, str | int | float | bool):
            options.append({"code": scalar_text(item), "label": scalar_text(item)})
        else:
            message = (
                f"an option is a value or {{{label_keys[0]}, value}}, not {type(item).__name__}"
            )
            out.problem("invalid-options", message, join_pointer(at, index))
    return options if options or not value else None


def _whole(value: Any) -> Any:
    return int(value) if isinstance(value, float) and value.is_integer() else value
