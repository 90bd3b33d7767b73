"""``formmerge demo``: the whole pipeline once, on the embedded default data.

Builds the synthetic registers if they are missing, merges the newborn-birth bundle with the
decisions it ships, prefills it for the mother of a newborn found in the registers, and prints
the single application: what was prefilled (and from which department), what is left to type,
and how many fields the family no longer types.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from pathlib import Path

from rich.console import Console
from rich.table import Table

from formmerge.bundle import Bundle, load_bundle
from formmerge.catalog import load_catalog
from formmerge.demodata import DEFAULT_PERSONS, demo_subjects, ensure_demo_data
from formmerge.merging import merge_bundle
from formmerge.models import Catalog, MergedForm
from formmerge.prefill import Prefill, mask_value, prefill
from formmerge.resources import data_path
from formmerge.validators import is_valid_citizen_id

__all__ = ["DEMO_BINDING", "DEMO_BUNDLE", "DEMO_SUBJECT", "DemoRun", "print_demo", "run_demo"]

DEMO_BUNDLE = "newborn-birth"
"""The example bundle the demo merges and prefills."""

DEMO_SUBJECT = "newborn_mother"
"""Which kind of demo subject applies (see :data:`formmerge.demodata.subjects.SUBJECT_QUERIES`)."""

DEMO_SUBJECTS: dict[str, str] = {"mother": DEMO_SUBJECT, "father": "newborn_father"}
"""The demo subject when the applicant is bound to this role."""

DEMO_BINDING: dict[str, str] = {"applicant": "mother", "guardian": "mother"}
"""Who the demo subject is: the mother applies, as the child's guardian (see
:mod:`formmerge.identities`), so the application asks her data once."""


@dataclass(frozen=True)
class DemoRun:
    """What the demo computed, for printing or for tests."""

    bundle: Bundle
    merged: MergedForm
    prefilled: Prefill
    subject: str
    registers: Path
    unbound_fields: int = 0
    """Merged fields without the binding: what the application asked before it knew who
    applies."""

    @property
    def fields_before(self) -> int:
        """Fields over all source forms: what the family typed before."""
        return sum(len(f.fields) for f in self.bundle.forms)

    @property
    def fields_to_type(self) -> int:
        """Merged fields no register could fill."""
        return len(self.prefilled.to_type)


def run_demo(
    registers: Path | str | None = None,
    persons: int = DEFAULT_PERSONS,
    progress: bool = True,
    binding: Mapping[str, str] | None = None,
) -> DemoRun:
    """Build the demo registers if needed, then merge and prefill the newborn-birth bundle.

    ``binding`` says who the applicant is (default :data:`DEMO_BINDING`, the mother); an empty
    mapping keeps every role its own person.
    """
    path = ensure_demo_data(registers, persons=persons, progress=progress)
    bundle = load_bundle(data_path("examples") / "bundles" / DEMO_BUNDLE)
    unbound = merge_bundle(bundle)
    binding = DEMO_BINDING if binding is None else binding
    merged = merge_bundle(bundle, binding=binding)
    # who applies is the subject: the father's key when the father applies
    applicant = binding.get("applicant", "mother")
    subject = demo_subjects(path)[DEMO_SUBJECTS.get(applicant, DEMO_SUBJECT)]
    result = prefill(merged, subject, connection=path, matter=bundle.title)
    return DemoRun(bundle, merged, result, subject, path, len(unbound.fields))


_MASKED_FORMATS = frozenset({"citizen-id", "mobile", "phone"})
"""Formats masked on screen even for the applicant (a terminal can be read over a shoulder);
an ID number in any field (证件号码) is masked too."""


def _display(catalog: Catalog, item_id: str | None, value: object) -> str:
    """A value as the applicant sees it: codes as their labels, ID numbers and phones masked."""
    if item_id is None:
        return str(value)
    item = catalog.item(item_id)
    if item.format in _MASKED_FORMATS or is_valid_citizen_id(value):
        return mask_value(item, value, catalog)
    if item.code_list is not None:
        codes = {c.code: c.label_zh for c in catalog.code_list(item.code_list).codes}
        return codes.get(str(value), str(value))
    return str(value)


def _application_table(run: DemoRun) -> Table:
    catalog = load_catalog()
    role_labels = {r.id: r.label_zh for r in catalog.roles}
    table = Table(title=f"一表申请 · {run.bundle.title} ({len(run.merged.fields)} fields)")
    for column in ("role", "field", "value", "from", ""):
        table.add_column(column, overflow="fold")
    for f in run.merged.fields:
        got = run.prefilled.values.get(f.id)
        role = role_labels.get(f.role or "", "") if f.role else "—"
        if got is None:
            table.add_row(role, f.label, "[bold yellow]to type[/]", "", "")
            continue
        shown = _display(catalog, f.item, got.value)
        lock = "read-only" if got.read_only else "suggested"
        origin = got.department
        if got.derived_from:
            origin = f"derived from {run.merged.field(got.derived_from).label}"
        table.add_row(role, f.label, shown, origin, lock)
    return table


def print_demo(run: DemoRun, console: Console) -> None:
    """Print the merged, prefilled application and the reduction in typed fields."""
    console.print(_application_table(run))
    before, merged = run.fields_before, len(run.merged.fields)
    typed = run.fields_to_type
    prefilled = len(run.prefilled.values)
    console.print(
        f"\n[bold]{len(run.bundle.forms)} departmental forms, {before} fields[/bold] "
        f"-> one application of {merged} fields ({(merged - before) / before:+.0%}); "
        f"{prefilled} prefilled from shared registers, "
        f"[bold]{typed} left to type ({(typed - before) / before:+.0%} typed fields)[/bold]."
    )
    who = "father" if dict(run.merged.binding).get("applicant") == "father" else "mother"
    derived = sum(1 for v in run.prefilled.values.values() if v.derived_from)
    derived += len(run.prefilled.derived)
    if run.merged.binding:
        bound = ", ".join(f"{role} = {person}" for role, person in run.merged.binding)
        console.print(
            f"roles bound ({bound}): {run.unbound_fields - merged} fields asked once instead "
            f"of twice; {derived} fields derived from another answer, not asked."
        )
    console.print(
        f"subject: {who} of a newborn, {mask_value('citizen_id', run.subject)}; "
        f"registers: {run.registers}"
    )
