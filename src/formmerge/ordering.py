"""The order in which a bundle's departments must act, from what each produces and consumes.

A form may declare the catalog items its department's act ``produces`` (the birth medical
certificate number, the household registration record ...) and the items that must exist
before it can act (``consumes``). Form *b* depends on form *a* when *a* produces an item *b*
consumes. Items no form of the bundle produces come from outside (an existing register) and
order nothing; a form that consumes an item it produces itself does not wait for itself.

From that graph :func:`department_order` gives the stages in which departments can act (all
forms of a stage in parallel), :func:`find_cycle` names a circular dependency, and
:func:`critical_path` gives the bundle's shortest possible duration in working days: the
longest chain of dependent forms, weighted by each form's ``process.days``.
"""

from __future__ import annotations

import itertools
from collections.abc import Sequence

from formmerge.errors import BundleError, Location, Problem
from formmerge.models import Form

__all__ = [
    "critical_path",
    "department_order",
    "dependencies",
    "find_cycle",
]


def dependencies(forms: Sequence[Form]) -> dict[str, dict[str, tuple[str, ...]]]:
    """For every form, the forms it waits for and the items that make it wait.

    Returns:
        ``{form id: {producer form id: (item, ...)}}``, with every form as a key, producers in
        the order of ``forms``.
    """
    producers: dict[str, list[str]] = {}
    for form in forms:
        for item in dict.fromkeys(form.produces):
            producers.setdefault(item, []).append(form.id)
    graph: dict[str, dict[str, tuple[str, ...]]] = {}
    for form in forms:
        waits: dict[str, list[str]] = {}
        for item in dict.fromkeys(form.consumes):
            for producer in producers.get(item, []):
                if producer != form.id:
                    waits.setdefault(producer, []).append(item)
        order = {f.id: i for i, f in enumerate(forms)}
        graph[form.id] = {p: tuple(waits[p]) for p in sorted(waits, key=order.__getitem__)}
    return graph


def _topological(graph: dict[str, dict[str, tuple[str, ...]]]) -> tuple[list[str], set[str]]:
    """Form ids with producers before consumers (stable), and the ids left over in cycles."""
    waiting = {node: len(before) for node, before in graph.items()}
    consumers: dict[str, list[str]] = {node: [] for node in graph}
    for node, before in graph.items():
        for producer in before:
            consumers[producer].append(node)
    ready = [node for node in graph if waiting[node] == 0]
    order: list[str] = []
    while ready:
        node = ready.pop(0)
        order.append(node)
        for consumer in consumers[node]:
            waiting[consumer] -= 1
            if waiting[consumer] == 0:
                ready.append(consumer)
    return order, set(graph) - set(order)


def find_cycle(forms: Sequence[Form]) -> list[str] | None:
    """A circular dependency among the forms, as ``[a, b, ..., a]``, or None if there is none.

    ``a -> b`` reads "b needs something a produces". The cycle is found by walking back from
    the first form (in the order of ``forms``) that cannot be ordered and starts at its
    earliest form, so the result is stable.
    """
    graph = dependencies(forms)
    _, left = _topological(graph)
    if not left:
        return None
    node = next(f.id for f in forms if f.id in left)
    walk: list[str] = []
    while node not in walk:
        walk.append(node)
        node = next(p for p in graph[node] if p in left)
    cycle = walk[walk.index(node) :]
    cycle.reverse()
    order = {f.id: i for i, f in enumerate(forms)}
    first = min(range(len(cycle)), key=lambda i: order[cycle[i]])
    cycle = cycle[first:] + cycle[:first]
    return [*cycle, cycle[0]]


def _raise_on_cycle(forms: Sequence[Form]) -> None:
    cycle = find_cycle(forms)
    if cycle is None:
        return
    graph = dependencies(forms)
    first = next(f for f in forms if f.id == cycle[0])
    links = [f"{b} needs {', '.join(graph[b][a])} from {a}" for a, b in itertools.pairwise(cycle)]
    named = " -> ".join(cycle)
    raise BundleError(
        f"the forms depend on each other in a cycle: {named}",
        [
            Problem(
                "dependency-cycle",
                f"{named} ({'; '.join(links)}); remove one of these produces/consumes",
                Location(file=first.source_file, form=first.id),
            )
        ],
    )


def department_order(forms: Sequence[Form]) -> list[list[str]]:
    """The stages in which the departments can act: every form after all it depends on.

    A form's stage is one more than the latest stage of the forms it waits for; forms in the
    same stage are independent and can act in parallel. Within a stage, forms keep the order
    of ``forms``.

    Raises:
        BundleError: the forms depend on each other in a cycle (code ``dependency-cycle``,
            naming the cycle as ``a -> b -> a``).
    """
    _raise_on_cycle(forms)
    graph = dependencies(forms)
    stage: dict[str, int] = {}
    for node in _topological(graph)[0]:
        stage[node] = 1 + max((stage[p] for p in graph[node]), default=-1)
    stages: list[list[str]] = []
    for form in forms:
        index = stage[form.id]
        while len(stages) <= index:
            stages.append([])
        stages[index].append(form.id)
    return stages


def critical_path(forms: Sequence[Form]) -> tuple[float, list[str]]:
    """The bundle's shortest duration in working days, and the chain of forms that sets it.

    Independent forms run in parallel, dependent forms one after the other; the duration is
    the largest sum of ``process.days`` along a chain of dependencies. Ties go to the chain
    that ends, and then starts, earliest in ``forms``.

    Returns:
        ``(days, [form id, ...])`` with the path in acting order; ``(0, [])`` for no forms.

    Raises:
        BundleError: the forms depend on each other in a cycle.
    """
    _raise_on_cycle(forms)
    graph = dependencies(forms)
    days = {f.id: f.process.days for f in forms}
    best: dict[str, tuple[float, list[str]]] = {}
    for node in _topological(graph)[0]:
        before = [best[p] for p in graph[node]]
        start, chain = max(before, key=lambda b: b[0], default=(0.0, []))
        best[node] = (start + days[node], [*chain, node])

    result: tuple[float, list[str]] = (0.0, [])
    for form in forms:
        candidate = best[form.id]
        if candidate[0] > result[0] or not result[1]:
            result = candidate
    return result
