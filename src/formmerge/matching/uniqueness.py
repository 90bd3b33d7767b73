"""One (item, role) per section of a form: the weaker field of a clash takes its next choice."""

from __future__ import annotations

import numpy as np
import numpy.typing as npt

from formmerge.matching.decision import Decider
from formmerge.matching.query import Query
from formmerge.models import FieldMatch

__all__ = ["one_per_section"]

_SECOND_INSTANCE = "a second instance of the item in this section: whose is it?"


def _section(q: Query) -> str:
    return "/".join(g.key for g in q.field.group)


def one_per_section(
    decider: Decider,
    queries: list[Query],
    scores: npt.NDArray[np.float32],
    matches: list[FieldMatch],
) -> list[FieldMatch]:
    """Within one section of one form, give each (item, role) to its best field only.

    The weaker field falls back to its next candidate (at most ``review``), repeatedly, until
    no section holds an (item, role) twice. A field with no other candidate above the review
    threshold keeps the item and goes to ``review``: a second instance whose person nothing
    names (the layout context has already given a role to the fields it can).

    Args:
        decider: decides a field again with some items excluded.
        queries: the prepared fields.
        scores: their score rows.
        matches: their first decisions, replaced in place.

    Returns:
        ``matches``, with no (item, role) twice in one section.
    """
    skipped: dict[int, set[int]] = {}
    second: set[int] = set()
    for _ in range(decider.settings.rerank_candidates + 1):
        holders: dict[tuple[str, str, str | None, str | None], int] = {}
        clashes: list[tuple[int, int]] = []
        order = sorted(
            range(len(matches)),
            key=lambda i: (-int(matches[i].decided), -matches[i].score, i),
        )
        for i in order:
            m = matches[i]
            if m.item is None or i in second:
                continue
            key = (m.form, _section(queries[i]), m.item, m.role)
            if key in holders:
                clashes.append((i, holders[key]))
            else:
                holders[key] = i
        if not clashes:
            break
        for i, holder in clashes:
            lost = matches[i]
            assert lost.item is not None
            skipped.setdefault(i, set()).add(decider.index.item_pos(lost.item))
            retry = decider.decide(queries[i], scores[i], skip=skipped[i])
            note = f"{lost.item}@{lost.role} is taken by {matches[holder].path} in this section"
            if retry.status == "unmatched":
                # a second instance of the item whose person nothing names: a reviewer says
                # whose it is; it never silently drops out of the mapping
                second.add(i)
                matches[i] = lost.model_copy(
                    update={
                        "status": "review",
                        "reasons": (*lost.reasons, note, _SECOND_INSTANCE),
                    }
                )
                continue
            matches[i] = retry.model_copy(
                update={
                    "reasons": (*retry.reasons, note),
                    "status": "review" if retry.status == "matched" else retry.status,
                }
            )
    return _later_sections_in_doubt(queries, matches)


def _later_sections_in_doubt(queries: list[Query], matches: list[FieldMatch]) -> list[FieldMatch]:
    """A later section's second instance of an (item, role) in one form goes to review.

    "名称 | 地址" under 申请单位 and again under 载体情况, an 经办人 in the applicant's block and
    another in the carrier owner's, "变更前 / 变更后" blocks, two point-of-contact objects: one
    form asks one person's data once, so the second section is about someone or something else
    (the carrier's owner, the value after the change), whatever the default or the role word
    says. The first field in form order keeps the mapping (the subject's own section comes
    first); the later one goes to review with the reason, never silently merged.
    """
    first: dict[tuple[str, str, str | None], int] = {}
    for i, m in enumerate(matches):
        if m.item is None or m.decided:
            continue
        key = (m.form, m.item, m.role)
        held = first.setdefault(key, i)
        if held == i or _section(queries[held]) == _section(queries[i]):
            continue
        if m.status == "matched":
            note = (
                f"{m.item}@{m.role} is asked already by {matches[held].path} in another section: "
                "the same person's data is asked once"
            )
            matches[i] = m.model_copy(
                update={"status": "review", "reasons": (*m.reasons, note, _SECOND_INSTANCE)}
            )
    return matches
