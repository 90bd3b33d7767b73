"""Answers an applicant might type: a value each field's checks accept, from its schema.

Shared by the reference page's browser tests, the screenshots and the service load test, which
all need a complete application without a person at the keyboard.
"""

from __future__ import annotations

import json
import re
from datetime import date
from typing import Any

from formmerge.validators import FORMAT_SAMPLES, make_citizen_id

__all__ = ["answer_required", "field_schema", "sample_answers", "sample_value"]

SAMPLE_TEXT = "测试填写"
SAMPLE_DATE = "2026-06-01"
SAMPLE_NUMBER = 30


def sample_value(prop: dict[str, Any]) -> Any:
    """A value the property's type, options, pattern and format accept."""
    if "enum" in prop:
        return prop["enum"][0]
    if prop["type"] == "boolean":
        return True
    named = prop.get("format") or (prop.get("x-formmerge") or {}).get("format")
    if named == "citizen-id":
        return make_citizen_id("420527", date(2026, 5, 20), 7, "1")
    if named == "date":
        return SAMPLE_DATE
    if named in FORMAT_SAMPLES:
        return FORMAT_SAMPLES[named][0]
    if prop["type"] in ("integer", "number"):
        low, high = prop.get("minimum", 0), prop.get("maximum", 10_000)
        return int(max(low, min(SAMPLE_NUMBER, high)))
    pattern = prop.get("pattern")
    if pattern:
        fits = [s for v in FORMAT_SAMPLES.values() for s in v if re.search(pattern, s)]
        if not fits:
            raise ValueError(f"no sample fits the pattern {pattern}")
        return fits[0]
    return SAMPLE_TEXT[: prop.get("maxLength", len(SAMPLE_TEXT))]


def _required(node: dict[str, Any]) -> list[str]:
    return [*node.get("required", []), *node.get("not", {}).get("not", {}).get("required", [])]


def sample_answers(schema: dict[str, Any], given: dict[str, Any]) -> dict[str, Any]:
    """``given`` (nested form data, prefilled values say) with every required plain field of
    the application schema answered."""
    out = {key: dict(value) for key, value in given.items()}
    for key, section in schema["properties"].items():
        for field_id in _required(section):
            prop = section["properties"][field_id]
            if prop.get("type") != "array" and field_id not in out.get(key, {}):
                out.setdefault(key, {})[field_id] = sample_value(prop)
    return out


def field_schema(schema: dict[str, Any], path: list[Any]) -> dict[str, Any]:
    """The property at a page field's ``data-path`` ([section, field] or [section, block,
    row, field])."""
    section = schema["properties"][path[0]]
    if len(path) == 2:
        return dict(section["properties"][path[1]])
    return dict(section["properties"][path[1]]["items"]["properties"][path[3]])


def answer_required(page: Any, schema: dict[str, Any]) -> int:
    """Answer every required field the reference page leaves to type; how many it answered."""
    blocks = page.locator("#application .field[data-required=true][data-readonly=false]")
    answered = 0
    for i in range(blocks.count()):
        block = blocks.nth(i)
        prop = field_schema(schema, json.loads(block.get_attribute("data-path")))
        if "enum" in prop:
            if block.locator("select").input_value() != "":
                continue
            block.locator("select").select_option(index=1)
        elif prop["type"] == "boolean":
            block.locator("input[type=radio]").first.check()
        elif block.locator("input").input_value() == "":
            block.locator("input").fill(str(sample_value(prop)))
        else:
            continue
        answered += 1
    return answered
