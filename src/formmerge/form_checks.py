"""Checks on a set of forms before they are matched and merged.

Merging the same form twice would ask every question twice (lineage is keyed by form id, so
two forms with one id cannot be told apart), and scoring a huge label against every alias of
the catalog costs time in proportion to its length; both are refused with located problems
rather than giving a wrong merge or a long wait.
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Iterator, Sequence

from formmerge.errors import FormError, Location, Problem
from formmerge.models import Form
from formmerge.settings import DEFAULT_MAX_LABEL_LENGTH

__all__ = ["check_mergeable", "mergeable_problems"]


def mergeable_problems(
    forms: Sequence[Form], max_label_length: int = DEFAULT_MAX_LABEL_LENGTH
) -> Iterator[Problem]:
    """Every reason the forms cannot be merged: a form id given more than once
    (``duplicate-form``), a label or key longer than ``max_label_length`` (``label-too-long``).
    """
    counts = Counter(f.id for f in forms)
    reported: set[str] = set()
    for form in forms:
        if counts[form.id] > 1 and form.id not in reported:
            reported.add(form.id)
            message = f"form {form.id!r} is given {counts[form.id]} times; give each form once"
            yield Problem("duplicate-form", message, Location(file=form.source_file, form=form.id))
    for form in forms:
        for field in form.fields:
            for part, text in (("label", field.label), ("key", field.key)):
                if len(text) > max_label_length:
                    message = (
                        f"the {part} has {len(text)} characters, more than {max_label_length}; "
                        "put explanations in the field's description"
                    )
                    where = Location(file=form.source_file, form=form.id, field=field.path)
                    yield Problem("label-too-long", message, where)


def check_mergeable(
    forms: Sequence[Form], max_label_length: int = DEFAULT_MAX_LABEL_LENGTH
) -> None:
    """Raise if the forms cannot be merged (see :func:`mergeable_problems`).

    Raises:
        FormError: with every problem found.
    """
    problems = list(mergeable_problems(forms, max_label_length))
    if problems:
        raise FormError("these forms cannot be merged", problems)
