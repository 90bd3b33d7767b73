"""Helpers the tests of the form readers share: comparing forms, problems and notes as rows."""

from __future__ import annotations

import re
from pathlib import Path
from typing import Any

import pytest
from hypothesis import strategies as st

from formmerge.errors import FormError
from formmerge.ingest import load_form
from formmerge.models import Form

FORMS = Path(__file__).parent / "data" / "forms"

ProblemRow = tuple[str, str | None, int | None, str | None]


def comparable(form: Form) -> Form:
    """The form without the file it was read from and the reader's notes."""
    return form.model_copy(update={"source_file": None, "notes": ()})


def problem_rows(error: FormError) -> list[ProblemRow]:
    """Each problem as (code, file name, line, pointer), for comparison with a table."""
    return [
        (p.code, Path(p.location.file).name if p.location.file else None, p.location.line,
         p.location.pointer)
        for p in error.problems
    ]  # fmt: skip


def note_rows(form: Form) -> list[tuple[str, str, str | None]]:
    """Each note as (code, severity, pointer)."""
    return [(n.code, n.severity, n.pointer) for n in form.notes]


def load_error(path: Path) -> FormError:
    """The FormError that reading ``path`` raises."""
    with pytest.raises(FormError) as caught:
        load_form(path)
    return caught.value


SCALARS = st.none() | st.booleans() | st.integers(-5, 5) | st.text(max_size=4)


def json_values(keys: list[str]) -> st.SearchStrategy[Any]:
    """Arbitrary JSON whose mapping keys are mostly the given format's own keywords."""
    names = st.sampled_from(keys) | st.text(max_size=3)
    return st.recursive(
        SCALARS,
        lambda inner: st.lists(inner, max_size=3) | st.dictionaries(names, inner, max_size=4),
        max_leaves=25,
    )


DOCS = Path(__file__).parent.parent / "docs" / "forms.md"


def documented_files(target: Path) -> list[str]:
    """Write each ``title="<file>"`` code block of docs/forms.md under ``target``."""
    text = DOCS.read_text("utf-8")
    blocks = re.findall(r'^```\w+ title="([^"]+)"\n(.*?)^```', text, re.M | re.S)
    for name, block in blocks:
        (target / name).parent.mkdir(parents=True, exist_ok=True)
        (target / name).write_text(block, encoding="utf-8")
    return [name for name, _ in blocks]
