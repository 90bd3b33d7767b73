"""YAML and JSON form files, read by :mod:`formmerge.documents` with :class:`FormError`.

Form files are parsed into plain data plus a map from each JSON pointer in the document to the
line it starts on, so that a problem found later can say "forms/hukou.yaml:23". The reading
rules (YAML 1.2 core scalars, keys as written, duplicate keys, limits) are those of
:mod:`formmerge.documents`, the same for every file formmerge reads.
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

from formmerge import documents
from formmerge.documents import Document, escape, join_pointer, parse_document, read_document_text
from formmerge.errors import FormError

__all__ = ["Document", "document_from_data", "escape", "join_pointer", "parse_text", "read_text"]


def read_text(path: Path, file: str) -> str:
    """The UTF-8 text of a YAML or JSON form file; raises :class:`FormError` if unreadable."""
    try:
        return read_document_text(path, file, error=FormError)
    except FormError as e:
        raise FormError(f"cannot read the form in {file}", e.problems) from None


def document_from_data(data: Any, file: str) -> Document:
    """A document for form data not read from text; raises :class:`FormError` if too deep."""
    return documents.document_from_data(data, file, error=FormError)


def parse_text(text: str, file: str, *, json_syntax: bool) -> Document:
    """Parse YAML or JSON form text; raises :class:`FormError` on a syntax error or a limit."""
    try:
        return parse_document(text, file, json_syntax=json_syntax, error=FormError)
    except FormError as e:
        raise FormError(f"cannot read the form in {file}", e.problems) from None
