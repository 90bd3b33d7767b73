"""Application forms kept as HTML tables: ``.html``, ``.htm`` and FreeMarker ``.ftl`` templates.

Departments publish their Word 申请表 as HTML, often as a FreeMarker template whose value cells
hold ``${code}`` placeholders that a portal fills in. The file is parsed with lxml's HTML
parser; each ``<table>`` is expanded into a cell grid honouring ``rowspan`` and ``colspan`` and
read by :mod:`~formmerge.ingest._table_layout`. Slots are ``${code}`` placeholders (the key is
the variable: ``${a.b!""}`` is ``a.b``; a code used again is ``code~2``, ``code~3``... in
document order), ``<input name>``, ``<select>`` (its options) and ``<textarea>``.

FreeMarker directives (``<#if>``, ``<#list>``, ``<@macro>``, ``<#-- -->``) are not HTML; they
are blanked before parsing (line numbers stay), so the markup inside them is read once. The
form's title is the most prominent heading before the first table (an ``<h1>``..``<h6>``, else
the largest font its CSS class gives, else bold text, else the first paragraph); the form's
id is the file's stem.
"""

from __future__ import annotations

import html as html_entities
import re
from collections.abc import Iterator
from dataclasses import dataclass, field
from pathlib import Path

from lxml import etree
from lxml import html as lxml_html

from formmerge.errors import FormError, Location, Problem
from formmerge.ingest._cells import Cell, KeyNumbering, Segment, Slot, label_of, placeholder_code
from formmerge.ingest._documents import read_text
from formmerge.ingest._problems import make_problem, raise_problems
from formmerge.ingest._table_form import Block, build_table_form
from formmerge.models import Form

__all__ = ["HTML_SUFFIXES", "load_html"]

HTML_SUFFIXES = (".html", ".htm", ".ftl")
"""File extensions read as HTML table forms."""

_DIRECTIVE_RE = re.compile(r"<#--.*?-->|</?[#@][^>]*>", re.DOTALL)
_PLACEHOLDER_RE = re.compile(r"\$\{([^{}]*)\}")
_OPEN_PLACEHOLDER_RE = re.compile(r"\$\{[^{}]*(?:$|[{<\n])")
_CSS_RULE_RE = re.compile(r"\.([\w-]+)\s*\{([^}]*)\}")
_FONT_SIZE_RE = re.compile(r"font-size\s*:\s*([\d.]+)\s*(pt|px|em|rem)?")
_BLOCK_TAGS = frozenset({"p", "div", "br", "li", "h1", "h2", "h3", "h4", "h5", "h6", "tr"})
_CONTAINER_TAGS = ("table", *sorted(_BLOCK_TAGS - {"br"}))
_HEADINGS = ("h1", "h2", "h3", "h4", "h5", "h6")
_MAX_SPAN = 1000
"""Largest rowspan/colspan honoured (browsers clamp colspan to 1000 as the HTML spec says)."""
_SKIPPED_INPUTS = frozenset({"hidden", "submit", "button", "reset", "image"})


def load_html(path: Path, file: str, *, strict: bool = False) -> Form:
    """Read an HTML or FreeMarker table form.

    Args:
        path: the file.
        file: the name used for it in problem locations and ``Form.source_file``.
        strict: turn ``warning`` notes (a slot without a label) into errors.

    Returns:
        The form, its notes naming every part left out (office-use boxes, signatures).

    Raises:
        FormError: the file is unreadable, not UTF-8, empty, has an unterminated ``${`` or an
            invalid ``rowspan``/``colspan``, or holds no table and no slot.
    """
    text = read_text(path, file)
    problems = _template_problems(text, file)
    raise_problems(file, problems)
    root = _parse(_blank_directives(text), file)
    walker = _Walker(file, _font_sizes(root))
    body = root.find("body")
    walker.walk(body if body is not None else root)
    raise_problems(file, walker.problems)
    return build_table_form(walker.blocks, path.stem, file, strict=strict)


def _template_problems(text: str, file: str) -> list[Problem]:
    problems = []
    for match in _OPEN_PLACEHOLDER_RE.finditer(text):
        line = text.count("\n", 0, match.start()) + 1
        snippet = match.group(0).strip()[:30]
        message = f"placeholder {snippet!r} is not closed with '}}'"
        problems.append(make_problem("syntax-error", message, Location(file=file, line=line)))
    if not text.strip():
        problems.append(make_problem("empty-file", "the file is empty", Location(file=file)))
    return problems


def _blank_directives(text: str) -> str:
    """FreeMarker directives replaced by spaces, keeping every newline (and so every line)."""
    return _DIRECTIVE_RE.sub(lambda m: re.sub(r"[^\n]", " ", m.group(0)), text)


def _parse(text: str, file: str) -> etree._Element:
    try:
        return lxml_html.document_fromstring(text.encode("utf-8"), parser=_PARSER)
    except (etree.ParserError, ValueError) as e:
        problem = make_problem("syntax-error", f"not readable as HTML: {e}", Location(file=file))
        raise FormError(f"cannot read the form in {file}", [problem]) from e


_PARSER = lxml_html.HTMLParser(encoding="utf-8", remove_comments=True)


def _font_sizes(root: etree._Element) -> dict[str, float]:
    """Font size in points of each CSS class the document's ``<style>`` elements define."""
    sizes: dict[str, float] = {}
    for style in root.iter("style"):
        for name, body in _CSS_RULE_RE.findall(style.text or ""):
            found = _FONT_SIZE_RE.search(body)
            if found:
                value, unit = float(found.group(1)), found.group(2) or "px"
                sizes[name] = value * {"pt": 1.0, "px": 0.75, "em": 12.0, "rem": 12.0}[unit]
    return sizes


class _Walker:
    """Walks the document in order, turning tables into cells and other text into blocks."""

    def __init__(self, file: str, font_sizes: dict[str, float]) -> None:
        self.file = file
        self.font_sizes = font_sizes
        self.keys = KeyNumbering()
        self.blocks: list[Block] = []
        self.problems: list[Problem] = []
        self.tables = 0
        self.paragraphs = 0

    def walk(self, element: etree._Element) -> None:
        if element.tag == "table":
            self._table(element)
            return
        if not any(_has_descendant(element, tag) for tag in _CONTAINER_TAGS):
            self._paragraph(element)
            return
        for child in element:
            if isinstance(child.tag, str):
                self.walk(child)

    def _paragraph(self, element: etree._Element) -> None:
        segments = tuple(self._segments(element))
        if not any(isinstance(s, Slot) or label_of(s) for s in segments):
            return
        self.paragraphs += 1
        pointer = f"paragraph {self.paragraphs}"
        prominence = self._prominence(element)
        self.blocks.append(
            Block(cell=Cell(0, 0, 1, 1, segments, pointer, _line(element), prominence))
        )

    def _prominence(self, element: etree._Element) -> tuple[int, float, int]:
        nodes = [element, *element.iterdescendants()]
        heading = max((6 - _HEADINGS.index(n.tag) for n in nodes if n.tag in _HEADINGS), default=0)
        size = max(
            (self.font_sizes.get(c, 0.0) for n in nodes for c in (n.get("class") or "").split()),
            default=0.0,
        )
        bold = any(n.tag in ("b", "strong") or "bold" in (n.get("style") or "") for n in nodes)
        return heading, size, int(bold)

    def _table(self, table: etree._Element) -> None:
        self.tables += 1
        number = self.tables
        position = len(self.blocks)  # a nested table's block comes after this one
        cells: list[Cell] = []
        taken: set[tuple[int, int]] = set()
        rows = [tr for tr in table.iter("tr") if _owner_table(tr) is table]
        for row_index, tr in enumerate(rows):
            col = 0
            for cell_index, td in enumerate(c for c in tr if c.tag in ("td", "th")):
                while (row_index, col) in taken:
                    col += 1
                pointer = f"table {number}, row {row_index + 1}, cell {cell_index + 1}"
                rowspan = self._span(td, "rowspan", pointer, len(rows) - row_index)
                colspan = self._span(td, "colspan", pointer, _MAX_SPAN)
                segments = tuple(self._segments(td))
                cells.append(Cell(row_index, col, rowspan, colspan, segments, pointer, _line(td)))
                for r in range(row_index, row_index + rowspan):
                    for c in range(col, col + colspan):
                        taken.add((r, c))
                col += colspan
        self.blocks.insert(position, Block(cells=cells, table=number))

    def _span(self, td: etree._Element, attr: str, pointer: str, limit: int) -> int:
        value = (td.get(attr) or "1").strip()
        if not value.isdigit():
            message = f"{attr}={value!r} is not a whole number"
            location = Location(file=self.file, line=_line(td), pointer=pointer)
            self.problems.append(make_problem("invalid-span", message, location))
            return 1
        number = int(value)
        if number == 0:  # "0" spans the rest of the table section (HTML rowspan)
            return max(limit, 1)
        return max(1, min(number, limit))

    def _segments(self, element: etree._Element) -> list[Segment]:
        """The text and slots inside an element, in order; nested tables are read apart.

        Radio buttons and check boxes that share a name in one cell are one slot whose
        options are their values, each labelled by the text just after its button."""
        pieces: list[Segment | _ChoiceGroup] = []
        self._collect(element, pieces, {})
        return [self._choice_slot(p) if isinstance(p, _ChoiceGroup) else p for p in pieces]

    def _collect(
        self,
        element: etree._Element,
        pieces: list[Segment | _ChoiceGroup],
        groups: dict[str, _ChoiceGroup],
    ) -> None:
        pieces += self._text(element.text)
        for child in element:
            tail = child.tail
            if not isinstance(child.tag, str):
                pass
            elif child.tag == "table":
                self._table(child)
            elif _is_choice_input(child):
                tail = self._choice_option(child, pieces, groups)
            elif child.tag in ("input", "select", "textarea"):
                slot = self._control(child)
                if slot is not None:
                    pieces.append(slot)
            else:
                block = child.tag in _BLOCK_TAGS
                pieces += ["\n"] if block else []
                self._collect(child, pieces, groups)
                pieces += ["\n"] if block else []
            pieces += self._text(tail)

    def _choice_option(
        self,
        element: etree._Element,
        pieces: list[Segment | _ChoiceGroup],
        groups: dict[str, _ChoiceGroup],
    ) -> str:
        """Add a radio button or check box to its group; returns the text left after its label."""
        words = (element.tail or "").split(maxsplit=1)
        label = words[0] if words else element.get("value") or ""
        name = element.get("name") or element.get("id") or "choice"
        if name not in groups:
            groups[name] = _ChoiceGroup(name, (element.get("type") or "").lower())
            pieces.append(groups[name])
        groups[name].options.append((element.get("value") or label, label))
        return words[1] if len(words) > 1 else ""

    def _choice_slot(self, group: _ChoiceGroup) -> Slot:
        raw = f"<input type={group.kind} name={group.name}>"
        key = self.keys.number(group.name)
        if group.kind == "checkbox" and len(group.options) == 1:
            return Slot(key, raw, "input", (), "boolean")
        return Slot(key, raw, "input", tuple(group.options))

    def _text(self, text: str | None) -> Iterator[Segment]:
        if not text:
            return
        text = html_entities.unescape(text)  # Word exports write some entities twice (&amp;ldquo;)
        last = 0
        for match in _PLACEHOLDER_RE.finditer(text):
            yield text[last : match.start()]
            code = placeholder_code(match.group(1))
            yield Slot(self.keys.number(code or "value"), match.group(0))
            last = match.end()
        yield text[last:]

    def _control(self, element: etree._Element) -> Slot | None:
        kind = element.tag
        input_type = (element.get("type") or "text").lower() if kind == "input" else kind
        if input_type in _SKIPPED_INPUTS:
            return None
        name = element.get("name") or element.get("id") or kind
        raw = f"<{kind} name={name}>"
        options: tuple[tuple[str, str], ...] = ()
        if kind == "select":
            options = tuple(
                (o.get("value", _all_text(o)), _all_text(o)) for o in element.iter("option")
            )
        field_type = {"date": "date", "number": "number"}.get(input_type, "string")
        return Slot(self.keys.number(name), raw, kind, options, field_type)


@dataclass
class _ChoiceGroup:
    """Radio buttons or check boxes of one name in one cell, gathered into one slot."""

    name: str
    kind: str
    options: list[tuple[str, str]] = field(default_factory=list)


def _is_choice_input(element: etree._Element) -> bool:
    return element.tag == "input" and (element.get("type") or "").lower() in ("radio", "checkbox")


def _line(element: etree._Element) -> int | None:
    line = element.sourceline
    return line if isinstance(line, int) else None


def _all_text(element: etree._Element) -> str:
    return "".join(str(t) for t in element.itertext()).strip()


def _owner_table(element: etree._Element) -> etree._Element | None:
    parent = element.getparent()
    while parent is not None and parent.tag != "table":
        parent = parent.getparent()
    return parent


def _has_descendant(element: etree._Element, tag: str) -> bool:
    return next(element.iterdescendants(tag), None) is not None
