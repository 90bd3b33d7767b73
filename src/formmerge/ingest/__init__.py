"""Reading departmental form definitions into :class:`~formmerge.models.Form`.

These formats are read, chosen by file extension and, for YAML and JSON, by content (tested in
the order of the table: a Formily or form-render schema is a JSON Schema too, so the UI
formats are recognised first):

======================  =========================================  ============================
format                  files                                      module
======================  =========================================  ============================
Formily schema          ``x-component``/``x-decorator`` in a node  :mod:`.formily`
form-render schema      ``widget`` in a node, or a top-level       :mod:`.formrender`
                        ``displayType``/``column``/``labelWidth``
SurveyJS survey         a top-level ``pages``, ``elements`` or     :mod:`.surveyjs`
                        ``questions`` list
JSON Schema             ``.json``/``.yaml`` with ``$schema``,      :mod:`.jsonschema`
                        top-level ``properties`` or
                        ``type: object``
CSV field list          ``.csv`` (+ optional ``<stem>.meta.yaml``) :mod:`.tabular`
XLSX field list         ``.xlsx``, ``.xlsm`` (+ the same sidecar)  :mod:`.tabular`
HTML table form         ``.html``, ``.htm``, ``.ftl`` (FreeMarker)  :mod:`.html`
Word table form         ``.docx``                                  :mod:`.word`
数据元 list              ``.csv``/``.xlsx`` whose header row has    :mod:`.dataelements`
                        数据项名称, 数据项编码, 值域 ... (tested
                        before the field list)
native form             any other ``.yaml``, ``.yml``, ``.json``   :mod:`.native`
======================  =========================================  ============================

Every problem in a file is reported at once, in one :class:`~formmerge.errors.FormError`
whose ``problems`` name the file and the line, JSON pointer or spreadsheet row. What a reader
read leniently or left out is a located :class:`~formmerge.models.Note` in ``Form.notes``;
``strict=True`` refuses every note of severity ``warning`` as a problem of the same code.
"""

from __future__ import annotations

import os
from collections.abc import Iterable, Mapping
from pathlib import Path
from typing import Any, NoReturn

from formmerge.errors import FormError, Location, Problem
from formmerge.ingest import (
    dataelements,
    formily,
    formrender,
    html,
    jsonschema,
    native,
    surveyjs,
    tabular,
    word,
)
from formmerge.ingest._documents import Document, document_from_data, parse_text, read_text
from formmerge.ingest._problems import PROBLEM_CODES, make_problem
from formmerge.ingest._sheets import read_table
from formmerge.models import Form, Note

__all__ = [
    "FORM_SUFFIXES",
    "PROBLEM_CODES",
    "form_from_dict",
    "is_form_file",
    "load_form",
    "load_forms",
    "refuse_warnings",
]

DOCUMENT_SUFFIXES = (".yaml", ".yml", ".json")
FORM_SUFFIXES: tuple[str, ...] = (
    *DOCUMENT_SUFFIXES,
    *tabular.TABLE_SUFFIXES,
    *html.HTML_SUFFIXES,
    *word.WORD_SUFFIXES,
)
"""File extensions :func:`load_form` reads (lower case)."""


def load_form(path: str | os.PathLike[str], *, strict: bool = False) -> Form:
    """Read one form file in any supported format.

    Args:
        path: a ``.yaml``/``.yml``/``.json`` (native form or JSON Schema), ``.csv``,
            ``.xlsx``/``.xlsm``, ``.html``/``.htm``/``.ftl`` or ``.docx`` file. The path as
            given is used in problem locations.
        strict: refuse the form when the reader left anything out or read it leniently
            (a ``warning`` note); ``info`` notes never refuse a form.

    Returns:
        The form, with ``source_file`` set to ``path``.

    Raises:
        FormError: the file is missing or unreadable, or describes an invalid form; its
            ``problems`` list every mistake found in the file.
    """
    form = _load_form(path)
    if strict:
        refuse_warnings([form])
    return form


def _load_form(path: str | os.PathLike[str]) -> Form:
    file = os.fspath(path)
    source = Path(file)
    suffix = source.suffix.lower()
    if not source.is_file():
        what = "is a directory, not a form file" if source.is_dir() else "does not exist"
        _fail(file, "file-not-found", f"form file {file!r} {what}")
    if suffix in tabular.TABLE_SUFFIXES:
        table = read_table(source, file)
        if dataelements.is_data_element_table(table.fields):
            return dataelements.form_from_table(table, source.stem)
        return tabular.form_from_table(table, source.stem)
    if suffix in html.HTML_SUFFIXES:
        return html.load_html(source, file)
    if suffix in word.WORD_SUFFIXES:
        return word.load_docx(source, file)
    if suffix not in DOCUMENT_SUFFIXES:
        hint = "; save .xls workbooks as .xlsx" if suffix == ".xls" else ""
        what = suffix or "files without an extension"
        message = f"cannot read {what} as a form; expected one of {', '.join(FORM_SUFFIXES)}"
        _fail(file, "unknown-file-format", message + hint)
    document = parse_text(read_text(source, file), file, json_syntax=suffix == ".json")
    return _form_from_document(document, source.stem)


def load_forms(paths: Iterable[str | os.PathLike[str]], *, strict: bool = False) -> list[Form]:
    """Read several form files; a directory stands for the form files directly inside it.

    Directories are read in file-name order and their ``*.meta.yaml`` sidecars are skipped.
    ``strict`` is as for :func:`load_form`.

    Raises:
        FormError: with the problems of every file that failed and of every form id that
            appears twice, all in one error.
    """
    forms: list[Form] = []
    problems: list[Problem] = []
    first_file: dict[str, str] = {}
    for file in _expand(paths):
        try:
            form = load_form(file, strict=strict)
        except FormError as e:
            problems.extend(e.problems)
            continue
        if form.id in first_file:
            message = f"form id {form.id!r} is also the id of {first_file[form.id]}"
            location = Location(file=file, form=form.id)
            problems.append(make_problem("duplicate-form-id", message, location))
        first_file.setdefault(form.id, file)
        forms.append(form)
    if problems:
        raise FormError("cannot load the forms", problems)
    return forms


def form_from_dict(
    data: Mapping[str, Any], source: str | os.PathLike[str] | None = None, *, strict: bool = False
) -> Form:
    """Build a form from plain data: the native format, or a JSON Schema.

    Args:
        data: a native form mapping (conveniences included), a JSON Schema or a UI schema.
        source: where the data came from, for problem locations and ``Form.source_file``;
            when ``data`` has no id, the stem of ``source`` becomes the id.
        strict: as for :func:`load_form`.

    Raises:
        FormError: with one problem for each mistake.
    """
    file = os.fspath(source) if source is not None else "<form data>"
    stem = Path(file).stem if source is not None else None
    form = _form_from_document(document_from_data(dict(data), file), stem)
    if strict:
        refuse_warnings([form])
    return form


def refuse_warnings(forms: Iterable[Form]) -> None:
    """Raise one FormError with a problem for each ``warning`` note of ``forms``, if any.

    This is what ``strict=True`` does after reading; call it on forms read another way (a
    bundle's) to read them strictly too.
    """
    problems = [
        make_problem(note.code, note.message, _note_location(form, note))
        for form in forms
        for note in form.notes
        if note.severity == "warning"
    ]
    if problems:
        files = sorted({p.location.file or "<form data>" for p in problems})
        raise FormError(f"strict reading refuses {', '.join(files)}", problems)


def _note_location(form: Form, note: Note) -> Location:
    return Location(form.source_file, note.line, note.pointer, form.id)


def is_form_file(path: str | os.PathLike[str]) -> bool:
    """True if :func:`load_forms` would read ``path`` when it lists a directory."""
    name = Path(path).name.lower()
    is_sidecar = any(name.endswith(s) for s in tabular.META_SUFFIXES)
    hidden = name.startswith((".", "~$"))  # editor and spreadsheet lock files
    return Path(path).suffix.lower() in FORM_SUFFIXES and not is_sidecar and not hidden


def _form_from_document(document: Document, stem: str | None) -> Form:
    """The form of a YAML or JSON document, read by the first format that recognises it."""
    data = document.data
    if formily.is_formily(data):
        return formily.form_from_document(document, stem)
    if formrender.is_formrender(data):
        return formrender.form_from_document(document, stem)
    if surveyjs.is_surveyjs(data):
        return surveyjs.form_from_document(document, stem)
    if jsonschema.is_json_schema(data):
        return jsonschema.form_from_document(document, stem and stem.removesuffix(".schema"))
    return native.form_from_document(document, stem)


def _expand(paths: Iterable[str | os.PathLike[str]]) -> list[str]:
    files: list[str] = []
    for path in paths:
        file = os.fspath(path)
        if Path(file).is_dir():
            files += sorted(str(p) for p in Path(file).iterdir() if p.is_file() and is_form_file(p))
        else:
            files.append(file)
    return files


def _fail(file: str, code: str, message: str) -> NoReturn:
    problem = make_problem(code, message, Location(file=file))
    raise FormError(f"cannot read the form in {file}", [problem])
