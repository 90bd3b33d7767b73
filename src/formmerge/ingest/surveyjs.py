"""SurveyJS surveys: the JSON that SurveyJS Form Library renders and Survey Creator writes.

A survey is ``{title, pages: [{name, title, elements: [...]}]}`` (or ``elements`` at the top
level); each element is a question with a ``type`` and a ``name`` (the data key; ``valueName``
when given), or a container of questions.

* ``panel`` with a title (and a page with a title) becomes a group keyed by its name; without
  one it is transparent. ``paneldynamic`` is a repeating group of its ``templateElements``,
  ``matrixdynamic`` a repeating group of its ``columns``, ``multipletext`` a group of its
  ``items``, ``matrixdropdown`` a group per row of its columns, ``matrix`` a group of one
  choice field per row.
* ``text`` reads its ``inputType`` (``date``, ``datetime-local``, ``number``, ``email`` ...),
  ``dropdown`` / ``radiogroup`` / ``checkbox`` / ``tagbox`` their ``choices`` (strings or
  ``{value, text}``; ``hasOther``/``hasNone`` add those choices), ``boolean`` is a yes/no field,
  ``rating`` a whole number between ``rateMin`` and ``rateMax`` (or a choice of ``rateValues``),
  ``file`` and ``signaturepad`` files. ``isRequired`` and ``validators`` (``numeric``, ``text``,
  ``regex``, ``email``) become the field's constraints.
* ``visibleIf``, ``enableIf``, ``requiredIf`` and the survey's ``triggers`` and
  ``calculatedValues`` are kept as ``info`` notes; ``html`` and ``image`` elements hold no data
  and ``expression`` questions are computed, both noted too.
"""

from __future__ import annotations

from typing import Any

from formmerge.ingest._documents import Document, join_pointer
from formmerge.ingest._fieldtree import (
    MULTI_SELECT_FORMAT,
    FieldCollector,
    Group,
    join_text,
    regex_text,
    scalar_text,
)
from formmerge.ingest._rules import option_list
from formmerge.models import Form

__all__ = ["INPUT_TYPES", "QUESTION_TYPES", "form_from_document", "is_surveyjs"]

QUESTION_TYPES: dict[str, str] = {
    "text": "string", "comment": "string", "dropdown": "enum", "radiogroup": "enum",
    "checkbox": "enum", "tagbox": "enum", "imagepicker": "enum", "ranking": "enum",
    "boolean": "boolean", "rating": "integer", "file": "file", "signaturepad": "file",
}  # fmt: skip
"""The field type of each question type that holds one answer."""

MULTI_SELECT_TYPES = ("checkbox", "tagbox", "ranking")
"""Question types whose answer is a list of the choices (``imagepicker`` with ``multiSelect``)."""

INPUT_TYPES: dict[str, tuple[str, str | None]] = {
    "date": ("date", None), "datetime-local": ("datetime", None), "datetime": ("datetime", None),
    "number": ("number", None), "range": ("number", None), "email": ("string", "email"),
    "tel": ("string", "phone"), "url": ("string", "url"),
}  # fmt: skip
"""A ``text`` question's ``inputType`` -> its field type and value format."""

DISPLAY_TYPES = ("html", "image")
"""Element types that show something and hold no answer."""

LOGIC_KEYWORDS = (
    "visibleIf", "enableIf", "requiredIf", "choicesVisibleIf", "choicesEnableIf",
    "defaultValueExpression", "setValueIf", "resetValueIf",
)  # fmt: skip
"""Expressions a form field cannot hold; each is kept as an ``info`` note."""

SURVEY_LOGIC_KEYWORDS = ("triggers", "calculatedValues")
"""Survey-level logic, kept as ``info`` notes."""

PREFERRED_LOCALES = ("zh-cn", "zh", "default", "en")
"""Which text of a localised string (``{"default": ..., "zh-cn": ...}``) is read first."""

DEFAULT_RATE_RANGE = (1, 5)
"""SurveyJS's ``rateMin`` and ``rateMax`` when a rating question gives none."""


def is_surveyjs(data: Any) -> bool:
    """True for a mapping with a top-level ``pages``, ``elements`` or ``questions`` list."""
    keys = ("pages", "elements", "questions")
    return isinstance(data, dict) and any(isinstance(data.get(key), list) for key in keys)


def form_from_document(document: Document, default_id: str | None = None) -> Form:
    """Build the form a SurveyJS survey describes.

    Args:
        document: the parsed survey JSON, with line numbers where known.
        default_id: the form id when ``x-formmerge`` gives none (usually the file stem).

    Raises:
        FormError: with one problem, located by JSON pointer and line, for each mistake.
    """
    return _SurveyReader(document).read(default_id)


class _SurveyReader:
    def __init__(self, document: Document) -> None:
        self.out = FieldCollector(document)
        self.panels: set[int] = set()
        """Ids of the groups that panels and pages make: context only, not a data scope."""
        self.answers: dict[tuple[str, ...], tuple[str, str]] = {}
        """Where each answer's data key (within its repeating scope) was first seen."""

    def read(self, default_id: str | None) -> Form:
        data = self.out.document.data
        if not is_surveyjs(data):
            message = "a SurveyJS survey has a pages or elements list"
            self.out.problem("unsupported-schema", message, "")
            return self.out.build({"id": default_id} if default_id else {})
        survey = dict(data)
        if "title" in survey:
            survey["title"] = _localized(survey["title"])
        form = self.out.form_metadata(survey, "", default_id)
        if isinstance(data.get("locale"), str) and "language" not in form:
            form["language"] = data["locale"].split("-")[0].lower()
        for keyword in SURVEY_LOGIC_KEYWORDS:
            if data.get(keyword):
                message = f"the survey's {keyword} are not read; they hold no fields"
                self.out.note("skipped-logic", message, f"/{keyword}", "info")
        for keyword in ("elements", "questions"):
            self._elements(data.get(keyword), f"/{keyword}", [])
        pages = data.get("pages")
        if isinstance(pages, list):
            for index, page in enumerate(pages):
                if isinstance(page, dict):
                    self._logic(page, f"/pages/{index}", page.get("name"))
                self._container(page, f"/pages/{index}", [], "elements")
        elif pages is not None:
            self.out.problem("invalid-value", "pages must be a list of pages", "/pages")
        return self.out.build(form)

    def _elements(self, elements: Any, at: str, groups: list[Group]) -> None:
        if elements is None:
            return
        if not isinstance(elements, list):
            self.out.problem("invalid-value", "elements must be a list of questions", at)
            return
        for index, element in enumerate(elements):
            self._element(element, join_pointer(at, index), groups)

    def _element(self, element: Any, at: str, groups: list[Group]) -> None:
        if not isinstance(element, dict):
            self.out.problem("invalid-value", "an element is a mapping with a type and a name", at)
            return
        kind = element.get("type")
        name = element.get("valueName") or element.get("name")
        self._logic(element, at, name)
        if kind in DISPLAY_TYPES:
            message = f"{kind} element {name or ''!r} holds no answer; it is not a field"
            self.out.note("skipped-layout", message, at, "info")
        elif kind == "expression":
            message = f"expression {name!r} is computed from other answers, not asked"
            self.out.note("skipped-logic", message, at, "info")
        elif kind == "panel":
            self._container(element, at, groups, "elements")
        elif not isinstance(name, str) or not name.strip():
            message = "a question needs a name (the key of its answer)"
            self.out.problem("missing-attribute", message, join_pointer(at, "name"))
        elif kind in ("paneldynamic", "matrixdynamic", "matrixdropdown", "multipletext", "matrix"):
            before = len(self.out.fields)
            group = self._group(element, name, repeating=kind in ("paneldynamic", "matrixdynamic"))
            if kind == "paneldynamic":
                templates = element.get("templateElements")
                self._elements(templates, f"{at}/templateElements", [*groups, group])
            else:
                self._matrix(element, at, [*groups, group])
            if len(self.out.fields) == before and not self.out.problems:
                message = f"{kind} {name!r} holds no questions; it is read as one field"
                self.out.note("unsupported-schema", message, at, "warning")
                self._question({**element, "type": "text"}, name, at, groups)
        else:
            self._question(element, name, at, groups)

    def _container(self, element: Any, at: str, groups: list[Group], keyword: str) -> None:
        """A page or panel: a group when it has a title, transparent otherwise."""
        if not isinstance(element, dict):
            self.out.problem("invalid-value", "a page or panel is a mapping with elements", at)
            return
        title, name = _localized(element.get("title")), element.get("name")
        inner = groups
        if title.strip():
            key = name if isinstance(name, str) and name.strip() else title
            panel: Group = {"key": key, "label": title}
            self.panels.add(id(panel))
            inner = [*groups, panel]
        if element.get(keyword) in (None, []):
            self.out.note("skipped-layout", "an empty page or panel holds no data", at, "info")
        self._elements(element.get(keyword), join_pointer(at, keyword), inner)

    def _matrix(self, element: dict[str, Any], at: str, groups: list[Group]) -> None:
        kind = element["type"]
        if kind == "multipletext":
            self._elements(element.get("items"), f"{at}/items", groups)
            return
        columns, rows = _listed(element.get("columns")), _listed(element.get("rows"))
        if kind == "matrix":  # one choice per row; the columns are the choices
            for index, row in enumerate(rows):
                value, text = _choice(row)
                question = {"type": "radiogroup", "title": text, "choices": columns}
                self._question(question, value, f"{at}/rows/{index}", groups)
            return
        shared = {k: element[k] for k in ("choices", "cellType") if k in element}
        cells: list[tuple[dict[str, Any], str]] = []
        for index, column in enumerate(columns):
            column_at = f"{at}/columns/{index}"
            if not isinstance(column, dict) or not isinstance(column.get("name"), str):
                self.out.problem("missing-attribute", "a matrix column needs a name", column_at)
                continue
            cell = {**shared, **column, "type": column.get("cellType", shared.get("cellType"))}
            cells.append(({**cell, "type": cell["type"] or "dropdown"}, column_at))
        # a dynamic matrix's rows are the answers; a dropdown matrix has one group per row
        row_groups = [[]] if kind == "matrixdynamic" else [[_row_group(row)] for row in rows]
        for row_group in row_groups:
            for cell, column_at in cells:
                self._question(cell, cell["name"], column_at, [*groups, *row_group])

    def _question(self, element: dict[str, Any], name: str, at: str, groups: list[Group]) -> None:
        kind = element.get("type", "text")
        if not isinstance(kind, str):
            self.out.problem("invalid-value", "a question type is text", join_pointer(at, "type"))
            kind = "text"
        attrs: dict[str, str] = {}
        field: dict[str, Any] = {"key": name, "label": _localized(element.get("title")) or name}
        if "title" in element:
            attrs["label"] = join_pointer(at, "title")
        if groups:
            field["group"] = [dict(g) for g in groups]
        if kind not in QUESTION_TYPES:
            message = f"question type {kind!r} is not one formmerge knows; read as a text field"
            self.out.note("unsupported-schema", message, join_pointer(at, "type"), "warning")
        field["type"] = QUESTION_TYPES.get(kind, "string")
        if kind == "text" and element.get("inputType") in INPUT_TYPES:
            field["type"], value_format = INPUT_TYPES[element["inputType"]]
            if value_format:
                field["format"], attrs["format"] = value_format, join_pointer(at, "inputType")
        if field["type"] == "enum" or (kind == "rating" and "rateValues" in element):
            self._choices(element, at, field, attrs, kind)
        elif kind == "rating":
            low = element.get("rateMin", DEFAULT_RATE_RANGE[0])
            count = element.get("rateCount")
            high = low + count - 1 if _whole(count) and _whole(low) else DEFAULT_RATE_RANGE[1]
            field["minimum"], field["maximum"] = low, element.get("rateMax", high)
            attrs["minimum"], attrs["maximum"] = f"{at}/rateMin", f"{at}/rateMax"
        elif kind == "boolean" and ("valueTrue" in element or "valueFalse" in element):
            # answers are stored as these values, not as true/false: they are the codes
            field["type"], attrs["options"] = "enum", join_pointer(at, "valueTrue")
            field["options"] = [
                {"code": scalar_text(element.get(f"value{side}", side.lower())),
                 "label": _localized(element.get(f"label{side}")) or side.lower()}
                for side in ("True", "False")
            ]  # fmt: skip
        if element.get("isRequired") is True:
            field["required"], attrs["required"] = True, join_pointer(at, "isRequired")
        numeric = field["type"] in ("number", "integer")  # min/max of a date input are dates
        for keyword, attr in (("maxLength", "max_length"), ("min", "minimum"), ("max", "maximum")):
            if keyword in element and (keyword == "maxLength" or numeric):
                field[attr], attrs[attr] = element[keyword], join_pointer(at, keyword)
        self._validators(element.get("validators"), join_pointer(at, "validators"), field, attrs)
        hints = (_localized(element.get("description")), _localized(element.get("placeholder")))
        if join_text(*hints):
            field["description"] = join_text(*hints)
        self.out.field_extension(element, at, field, attrs)
        self._check_answer_key(name, at, groups)
        self.out.add_field(field, at, attrs)

    def _choices(
        self, element: dict[str, Any], at: str, field: dict[str, Any], attrs: dict[str, str],
        kind: str,
    ) -> None:  # fmt: skip
        keyword = "rateValues" if kind == "rating" else "choices"
        choices, pointer = element.get(keyword), join_pointer(at, keyword)
        if kind in MULTI_SELECT_TYPES or (kind == "imagepicker" and element.get("multiSelect")):
            field["format"] = MULTI_SELECT_FORMAT
        if choices is None and ("choicesByUrl" in element or "choicesFromQuestion" in element):
            source = "choicesByUrl" if "choicesByUrl" in element else "choicesFromQuestion"
            message = f"the choices of {field['key']!r} come from {source}; read as a text field"
            self.out.note("unsupported-schema", message, join_pointer(at, source), "warning")
            field.pop("format", None)
            field["type"] = "string"
            return
        field["type"] = "string"  # until the choices are read: one mistake, one problem
        if not isinstance(choices, list):
            self.out.problem("invalid-options", f"{keyword} must be a list of choices", pointer)
            return
        localized = [
            {**c, "text": _localized(c["text"])} if isinstance(c, dict) and "text" in c else c
            for c in choices
        ]
        options = option_list(self.out, localized, pointer, ("text",))
        if options is None:
            return
        for flag, value, text_key, default in (
            ("hasOther", "other", "otherText", "其他"), ("hasNone", "none", "noneText", "无"),
        ):  # fmt: skip
            if element.get(flag) is True:
                label = _localized(element.get(text_key)) or default
                options.append({"code": value, "label": label})
        field["type"], field["options"], attrs["options"] = "enum", options, pointer

    def _validators(
        self, validators: Any, at: str, field: dict[str, Any], attrs: dict[str, str]
    ) -> None:
        if validators is None:
            return
        if not isinstance(validators, list):
            self.out.problem("invalid-value", "validators must be a list of validators", at)
            return
        for index, validator in enumerate(validators):
            pointer = join_pointer(at, index)
            kind = validator.get("type") if isinstance(validator, dict) else None
            if not isinstance(validator, dict) or not isinstance(kind, str):
                self.out.problem("invalid-value", "a validator is a mapping with a type", pointer)
            elif kind == "numeric":
                for key, attr in (("minValue", "minimum"), ("maxValue", "maximum")):
                    if key in validator:
                        field[attr], attrs[attr] = validator[key], join_pointer(pointer, key)
            elif kind == "text":
                for key, attr in (("minLength", "min_length"), ("maxLength", "max_length")):
                    if key in validator:
                        field[attr], attrs[attr] = validator[key], join_pointer(pointer, key)
            elif kind == "regex" and "regex" in validator:
                value = validator["regex"]
                field["pattern"] = regex_text(value) if isinstance(value, str) else value
                attrs["pattern"] = join_pointer(pointer, "regex")
            elif kind == "email":
                field["format"], attrs["format"] = "email", pointer
            else:
                message = f"{kind} validator has no field attribute to hold it; not read"
                self.out.note("unread-rule", message, pointer, "warning")

    def _check_answer_key(self, name: str, at: str, groups: list[Group]) -> None:
        """SurveyJS keeps answers flat, panels aside: two questions of one name share one."""
        scope = tuple(str(g["key"]) for g in groups if id(g) not in self.panels)
        path = "/".join([*(str(g["key"]) for g in groups), name])
        first_at, first_path = self.answers.setdefault((*scope, name), (at, path))
        if first_path != path:  # the same path is reported as a duplicate key anyway
            message = f"SurveyJS keeps this answer and the one at {first_at} both under {name!r}"
            self.out.problem("duplicate-key", message, at)

    def _logic(self, element: dict[str, Any], at: str, name: Any) -> None:
        for keyword in LOGIC_KEYWORDS:
            if keyword in element:
                message = f"the {keyword} expression of {name!r} is not read"
                self.out.note("skipped-logic", message, join_pointer(at, keyword), "info")

    def _group(self, element: dict[str, Any], name: str, repeating: bool) -> Group:
        group: Group = {"key": name, "label": _localized(element.get("title"))}
        return group | ({"repeating": True} if repeating else {})


def _whole(value: Any) -> bool:
    return isinstance(value, int) and not isinstance(value, bool)


def _listed(value: Any) -> list[Any]:
    return value if isinstance(value, list) else []


def _row_group(row: Any) -> Group:
    value, text = _choice(row)
    return {"key": value, "label": text}


def _choice(item: Any) -> tuple[str, str]:
    """A matrix row or choice as (value, text)."""
    if isinstance(item, dict):
        value = item.get("value", "")
        return str(value), _localized(item.get("text")) or str(value)
    return str(item), str(item)


def _localized(value: Any) -> str:
    """A SurveyJS string: plain, or localised ``{"default": ..., "zh-cn": ...}``."""
    if isinstance(value, dict):
        for locale in PREFERRED_LOCALES:
            if isinstance(value.get(locale), str):
                return str(value[locale])
        return next((v for v in value.values() if isinstance(v, str)), "")
    return value if isinstance(value, str) else ""
