"""The review queue in a terminal: a table to read, and a field-by-field review for small queues.

:func:`interactive_review` shows one field at a time (label, section, candidates, every reason)
and asks for a choice::

    1, 2, 3       confirm that candidate (its item and role)
    item@role     confirm any catalog item, with a role (``item`` alone: the matcher's role)
    r             reject the proposed item for this field
    s / Enter     skip: leave the field in the queue
    q             stop; what was decided so far is kept

Answers are read with :class:`rich.prompt.Prompt`, so the review can be driven through stdin.
"""

from __future__ import annotations

from rich.console import Console
from rich.markup import escape
from rich.panel import Panel
from rich.prompt import Prompt
from rich.table import Table

from formmerge.catalog import load_catalog
from formmerge.decisions import Decision
from formmerge.models import Catalog
from formmerge.review import ReviewEntry, ReviewQueue

__all__ = ["LARGE_QUEUE", "REVIEW_COMMANDS", "interactive_review", "parse_choice", "review_table"]

LARGE_QUEUE = 40
"""Beyond this many fields, the interactive review suggests the workbook instead."""

REVIEW_COMMANDS = {"r": "reject", "s": "skip", "q": "quit"}
"""The one-letter answers of the interactive review besides candidate numbers."""


def review_table(queue: ReviewQueue) -> Table:
    """The queue as one table: field, proposal, candidates and the deciding reason."""
    share = f"{queue.share:.0%}" if queue.fields else "-"
    table = Table(title=f"review queue: {len(queue.entries)} of {queue.fields} fields ({share})")
    for col in ("form", "field", "label", "section", "proposal", "score", "candidates", "why"):
        table.add_column(col, overflow="fold")
    for e in queue.entries:
        candidates = ", ".join(f"{c.target} {c.score:.2f}" for c in e.candidates)
        table.add_row(
            e.form, e.key, e.label, e.section, e.proposal, f"{e.score:.2f}", candidates, e.deciding
        )
    return table


def _entry_panel(entry: ReviewEntry, position: str) -> Panel:
    lines = [f"[bold]{escape(entry.label)}[/bold]  ({escape(entry.ref)})"]
    if entry.section:
        lines.append(f"section: {escape(entry.section)}")
    lines.append(f"proposed: {escape(entry.proposal)} {entry.score:.2f}")
    lines.append(f"[yellow]why in doubt:[/yellow] {escape(entry.deciding)}")
    for n, c in enumerate(entry.candidates, start=1):
        lines.append(f"  [cyan]{n}[/cyan]  {escape(c.target)}  {c.score:.2f}")
    lines.append("reasons:")
    lines.extend(f"  - {escape(r)}" for r in entry.reasons)
    return Panel("\n".join(lines), title=position)


def parse_choice(answer: str, entry: ReviewEntry, catalog: Catalog) -> Decision | str | None:
    """The decision an answer stands for, ``"skip"``/``"quit"``, or None if it is not valid.

    Args:
        answer: what the reviewer typed.
        entry: the field being reviewed.
        catalog: the catalog, to check typed items and roles.
    """
    text = answer.strip()
    if text in ("", "s"):
        return "skip"
    if text == "q":
        return "quit"
    base = {"form": entry.form, "field": entry.key, "label": entry.label}
    if text == "r":
        if entry.item is None:
            return None
        return Decision(**base, item=entry.item, status="rejected")
    if text.isdigit():
        n = int(text)
        if not 1 <= n <= len(entry.candidates):
            return None
        chosen = entry.candidates[n - 1]
        return Decision(**base, item=chosen.item, role=chosen.role)
    item, _, role = text.partition("@")
    items = {i.id for i in catalog.items}
    roles = {r.id for r in catalog.roles}
    if item not in items or (role and role not in roles):
        return None
    return Decision(**base, item=item, role=role or None)


def interactive_review(
    queue: ReviewQueue, console: Console, catalog: Catalog | None = None
) -> list[Decision]:
    """Ask for a decision on each queued field in turn.

    Args:
        queue: the queue.
        console: where to show the fields (answers are read from its input, i.e. stdin).
        catalog: the catalog for typed items (default: the shipped one).

    Returns:
        The decisions made, in queue order (skipped fields have none).
    """
    catalog = catalog or load_catalog()
    decided: list[Decision] = []
    total = len(queue.entries)
    if total > LARGE_QUEUE:
        console.print(f"{total} fields to review: `--xlsx FILE` shares them out as a workbook")
    hint = "1-3 candidate, item@role, r reject, s skip, q quit"
    for n, entry in enumerate(queue.entries, start=1):
        console.print(_entry_panel(entry, f"{n} of {total}"))
        while True:
            try:
                answer = Prompt.ask(hint, console=console, default="s", show_default=False)
            except EOFError:  # the input ended: stop as if the reviewer had quit
                answer = "q"
            choice = parse_choice(answer, entry, catalog)
            if choice is not None:
                break
            console.print(f"[red]not a choice:[/red] {escape(answer)} ({hint})")
        if choice == "quit":
            break
        if isinstance(choice, Decision):
            decided.append(choice)
    return decided
