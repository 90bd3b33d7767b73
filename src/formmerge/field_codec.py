"""Converting one value between its canonical form and one form field's own representation.

The canonical value of a merged field depends on its type: text for ``string`` and ``file``, an
``int`` for ``integer``, an ``int`` or ``float`` for ``number``, a ``bool`` for ``boolean``, ISO
text for ``date`` (``2025-05-16``) and ``datetime`` (``2025-05-16T09:30:00``), and a code (a
code-list code for catalogued items) for enumerations. :meth:`FieldCodec.canonical` brings an
answer into that form where that is exact (a ``date`` becomes its ISO text, ``"12"`` the integer
12, a code-list label its code); :meth:`FieldCodec.to_form` writes a canonical value as one form
field holds it (its option code, its date format, its type) and :meth:`FieldCodec.to_canonical`
reads it back. A value that cannot be converted exactly (1.7 into an integer field, "abc" into a
number field, ``"maybe"`` into a yes/no question) raises :class:`ConversionError` with a
kebab-case code; the caller turns it into a located problem and keeps the value as given.
"""

from __future__ import annotations

import math
import re
import unicodedata
from collections.abc import Callable
from datetime import date, datetime
from typing import Any

from formmerge.catalog import code_for
from formmerge.errors import FormmergeError
from formmerge.models import Catalog, Field, MergedField, Option
from formmerge.normalize import normalize_label
from formmerge.validators import format_date, parse_date

__all__ = ["ConversionError", "FieldCodec", "same_value"]

YES_WORDS = frozenset({"是", "yes", "y", "true", "1", "有", "同意"})
"""Option labels and texts that mean yes (compared lower-case after NFKC)."""
NO_WORDS = frozenset({"否", "no", "n", "false", "0", "无", "不同意"})
"""Option labels and texts that mean no."""

_INTEGER_TEXT = re.compile(r"[+-]?\d+", re.ASCII)
_TEMPORAL = ("date", "datetime")


class ConversionError(FormmergeError):
    """A value that a field cannot hold exactly. ``code`` is the problem code to report."""

    def __init__(self, code: str, message: str) -> None:
        self.code = code
        super().__init__(message)


def _type_name(value: Any) -> str:
    return "a list" if isinstance(value, list | tuple | set) else type(value).__name__


def _word(text: str) -> str:
    return unicodedata.normalize("NFKC", text).strip().lower()


def _integer(value: Any) -> int:
    if isinstance(value, int) and not isinstance(value, bool):
        return value
    if isinstance(value, float) and math.isfinite(value) and value.is_integer():
        return int(value)
    if isinstance(value, str) and _INTEGER_TEXT.fullmatch(value.strip()):
        try:
            return int(value.strip())
        except ValueError:  # more digits than int() converts
            pass
    if isinstance(value, float) and math.isfinite(value):
        raise ConversionError("wrong-type", "a number with a fraction cannot be a whole number")
    raise ConversionError("wrong-type", f"expected a whole number, got {_type_name(value)}")


def _number(value: Any) -> int | float:
    if isinstance(value, int) and not isinstance(value, bool):
        return value
    if isinstance(value, float) and math.isfinite(value):
        return value
    if isinstance(value, str):
        text = value.strip()
        if _INTEGER_TEXT.fullmatch(text):
            return _integer(text)
        try:
            number = float(text)
        except ValueError:
            number = math.nan
        if math.isfinite(number):
            return number
    raise ConversionError("wrong-type", f"expected a finite number, got {_type_name(value)}")


def _boolean(value: Any) -> bool:
    if isinstance(value, bool):
        return value
    if isinstance(value, int) and value in (0, 1):
        return bool(value)
    if isinstance(value, str) and _word(value) in YES_WORDS | NO_WORDS:
        return _word(value) in YES_WORDS
    raise ConversionError("wrong-type", f"expected yes or no, got {_type_name(value)}")


def _text(value: Any) -> str:
    if isinstance(value, str):
        return value
    finite = isinstance(value, int) or (isinstance(value, float) and math.isfinite(value))
    if finite and not isinstance(value, bool):
        return str(value)
    raise ConversionError("wrong-type", f"expected text, got {_type_name(value)}")


def _moment(value: Any, fmt: str | None = None) -> date | datetime:
    """A date or date-time from a date object, ISO text, the form's format or a form spelling."""
    if isinstance(value, date):
        return value
    if isinstance(value, str):
        text = value.strip()
        if fmt:
            try:  # strptime reads unpadded numbers: the "-" flag of format_date is not needed
                return datetime.strptime(text, fmt.replace("%-", "%"))
            except ValueError:
                pass
        try:
            return date.fromisoformat(text)
        except ValueError:
            pass
        try:
            return datetime.fromisoformat(text)
        except ValueError:
            pass
        day = parse_date(text)
        if day is not None:
            return day
    raise ConversionError("wrong-type", f"expected a date, got {_type_name(value)}")


def _iso_date(moment: date | datetime) -> str:
    if isinstance(moment, datetime):
        if moment.time() != datetime.min.time():
            raise ConversionError("lossy-value", "a date-time with a time cannot be a date")
        return moment.date().isoformat()
    return moment.isoformat()


def _iso_datetime(moment: date | datetime) -> str:
    # a bare date stays a date: the time is unknown, not midnight
    return moment.isoformat()


def same_value(a: Any, b: Any) -> bool:
    """True if two canonical values are the same: equal, and a boolean only equals a boolean."""
    if isinstance(a, bool) != isinstance(b, bool):
        return False
    if isinstance(a, list) and isinstance(b, list):
        return len(a) == len(b) and all(same_value(x, y) for x, y in zip(a, b, strict=True))
    if isinstance(a, int | float) and isinstance(b, int | float):
        return a == b
    return type(a) is type(b) and a == b


class FieldCodec:
    """Converts one scalar value of one merged field for one of its source fields.

    Args:
        catalog: the catalog that holds the merged field's code list.
        merged_field: the field of the merged form.
        form_field: one source field merged into it.
        language: the source form's language, for yes/no written as text.
    """

    def __init__(
        self,
        catalog: Catalog,
        merged_field: MergedField,
        form_field: Field,
        language: str = "zh",
    ) -> None:
        self.catalog, self.mf, self.f, self.language = catalog, merged_field, form_field, language
        self._to_form_options, self._from_form_options = self._pair_options()

    # --- canonical values ------------------------------------------------------------------

    def canonical(self, value: Any) -> Any:
        """The canonical value of an answer to the merged field.

        Raises:
            ConversionError: the answer is not a value of the field's type.
        """
        kind = self.mf.type
        if kind == "integer":
            return _integer(value)
        if kind == "number":
            return _number(value)
        if kind == "boolean":
            return _boolean(value)
        if kind == "date":
            return _iso_date(_moment(value))
        if kind == "datetime":
            return _iso_datetime(_moment(value))
        if self.mf.code_list is not None or self.mf.options:
            return self._canonical_code(value)
        return _text(value)

    def _canonical_code(self, value: Any) -> str:
        text = _text(value)
        if self.mf.code_list is not None:
            code = code_for(self.catalog, self.mf.code_list, text)
            if code is None:
                raise ConversionError("invalid-option", f"{text!r} is no code of the code list")
            return code
        codes = [o.code for o in self.mf.options]
        if text in codes:
            return text
        labelled = [o.code for o in self.mf.options if o.label == text]
        if len(labelled) == 1:
            return labelled[0]
        raise ConversionError("invalid-option", f"{text!r} is not an option of the field")

    # --- canonical to form -----------------------------------------------------------------

    def to_form(self, value: Any) -> Any:
        """A canonical value as the form field holds it.

        Raises:
            ConversionError: the form field cannot hold the value (no option for it ...).
        """
        f = self.f
        if f.options:
            return self._form_option(value)
        temporal = self._temporal_kind()
        if temporal is not None:
            moment = _moment(value)
            if temporal == "datetime" and not isinstance(moment, datetime):
                moment = datetime(moment.year, moment.month, moment.day)
            return format_date(moment, f.date_format) if f.date_format else moment.isoformat()
        if f.type == "integer":
            return _integer(value)
        if f.type == "number":
            return _number(value)
        if f.type == "boolean" or self.mf.type == "boolean":
            yes_no = _boolean(value)
            if f.type == "boolean":
                return yes_no
            words = ("是", "否") if self.language.startswith("zh") else ("yes", "no")
            return words[0] if yes_no else words[1]
        if self.mf.code_list is not None:
            codes = {c.code: c for c in self.catalog.code_list(self.mf.code_list).codes}
            code = _text(value)
            return codes[code].label_zh if code in codes else code
        return _text(value)

    def _temporal_kind(self) -> str | None:
        if self.f.type in _TEMPORAL:
            return self.f.type
        return self.mf.type if self.mf.type in _TEMPORAL else None

    def _form_option(self, value: Any) -> str:
        if self.mf.type == "boolean":
            words = YES_WORDS if _boolean(value) else NO_WORDS
            for o in self.f.options:
                if _word(normalize_label(o.label or o.code)) in words:
                    return o.code
            raise ConversionError("invalid-option", "the form has no option for this answer")
        code = _text(value)
        if code in self._to_form_options:
            return self._to_form_options[code]
        if any(o.code == code for o in self.f.options) and not self.mf.options:
            return code
        raise ConversionError("invalid-option", f"{code!r} is not an option of the form")

    def _option_code(self, option: Option) -> str | None:
        """The canonical code a form option stands for."""
        if self.mf.type == "boolean":
            return None
        if self.mf.code_list is not None:
            return code_for(self.catalog, self.mf.code_list, option.code) or code_for(
                self.catalog, self.mf.code_list, option.label
            )
        return _merged_option(self.mf.options, option)

    def _pair_options(self) -> tuple[dict[str, str], dict[str, str]]:
        """Canonical code to form option code, and back (first spelling wins each way)."""
        to_form: dict[str, str] = {}
        from_form: dict[str, str] = {}
        for option in self.f.options:
            code = self._option_code(option)
            if code is None:
                continue
            to_form.setdefault(code, option.code)
            from_form.setdefault(option.code, code)
        return to_form, from_form

    # --- form to canonical -----------------------------------------------------------------

    def to_canonical(self, raw: Any) -> Any:
        """A value the form field holds, as the canonical value of the merged field.

        Raises:
            ConversionError: the value is not one the form field can hold, or the merged
                field cannot hold it exactly.
        """
        f = self.f
        if raw is None:
            return None
        if f.options:
            return self._option_canonical(raw)
        temporal = self._temporal_kind()
        if temporal is not None:
            moment = _moment(raw, f.date_format)
            if self.mf.type == "date":
                return _iso_date(moment)
            return _iso_datetime(moment)
        native: Any = raw
        if f.type == "integer":
            native = _integer(raw)
        elif f.type == "number":
            native = _number(raw)
        elif f.type == "boolean":
            native = _boolean(raw)
        return self.canonical(native)

    def _option_canonical(self, raw: Any) -> Any:
        code = str(raw) if isinstance(raw, int) and not isinstance(raw, bool) else raw
        option = next((o for o in self.f.options if o.code == code), None)
        if option is None:
            raise ConversionError("invalid-option", f"{code!r} is not an option of the form")
        if self.mf.type == "boolean":
            word = _word(normalize_label(option.label or option.code))
            if word in YES_WORDS | NO_WORDS:
                return word in YES_WORDS
            raise ConversionError("wrong-type", f"option {option.code!r} is neither yes nor no")
        if option.code in self._from_form_options:
            return self.canonical(self._from_form_options[option.code])
        if not self.mf.options and self.mf.code_list is None:
            return self.canonical(option.code)
        raise ConversionError("invalid-option", f"option {option.code!r} has no merged option")


def _merged_option(options: tuple[Option, ...], option: Option) -> str | None:
    """The merged option a form option is, by the closest evidence that is not ambiguous:
    same code and label, then the same label, then the same normalised label, then the code.
    Labels equal after normalisation (流产（4个月以下）/ 流产（4个月及以上）) stay apart."""
    normal = normalize_label(option.label or option.code)
    tests: tuple[Callable[[Option], bool], ...] = (
        lambda o: o.code == option.code and normalize_label(o.label or o.code) == normal,
        lambda o: bool(option.label) and o.label == option.label,
        lambda o: normalize_label(o.label or o.code) == normal,
        lambda o: o.code == option.code,
    )
    for test in tests:
        found = [o.code for o in options if test(o)]
        if len(found) == 1:
            return found[0]
    return None
