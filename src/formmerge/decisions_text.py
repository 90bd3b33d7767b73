"""Writing decisions into an existing decisions file without reformatting it.

Analysts annotate decisions files by hand (comments, blank lines, their own order). When a
tool records new decisions (``review --apply``, ``review -i``, ``review --confirm``) the file is
edited as text: entries that are unchanged keep their lines, comments included; an entry that
a new decision replaces loses its own lines (its comments with it); new entries are appended at
the end of the ``decisions:`` list. The edited text is read back and compared with the
decisions; when the file's layout is one this cannot edit safely (a flow-style list, no
``decisions:`` key in block style), the whole file is rewritten instead.
"""

from __future__ import annotations

import json
from typing import Any

import yaml
from yaml.nodes import MappingNode, SequenceNode

__all__ = ["edit_decisions_text"]


def _entry_text(entry: dict[str, Any], indent: int) -> str:
    """One decision as block YAML under a ``decisions:`` list indented by ``indent``."""
    body = yaml.safe_dump([entry], allow_unicode=True, sort_keys=False)
    pad = " " * indent
    return "".join(pad + line for line in body.splitlines(keepends=True))


def _line_start(text: str, index: int) -> int:
    return text.rfind("\n", 0, index) + 1


def _line_end(text: str, index: int) -> int:
    end = text.find("\n", index)
    return len(text) if end < 0 else end + 1


def edit_decisions_text(text: str, wanted: dict[str, Any]) -> str | None:
    """The file text edited to hold ``wanted`` (``Decisions.to_dict()``), or None when the
    layout cannot be edited in place (the caller rewrites the file then).

    Only the ``decisions:`` list may differ between ``text`` and ``wanted``; ``same:`` and
    ``roles:`` are kept as written, so a change there returns None too.
    """
    try:
        root = yaml.compose(text, Loader=yaml.SafeLoader)
        old = _plain(yaml.safe_load(text))
    except yaml.YAMLError:
        return None
    if not isinstance(root, MappingNode) or not isinstance(old, dict):
        return None
    seq = next((v for k, v in root.value if getattr(k, "value", None) == "decisions"), None)
    if not isinstance(seq, SequenceNode) or seq.flow_style or not seq.value:
        return None
    old_entries: list[Any] = old.get("decisions") or []
    new_entries: list[dict[str, Any]] = _plain(wanted).get("decisions", [])
    kept = [e for e in old_entries if e in new_entries]
    if new_entries[: len(kept)] != kept:
        return None
    added = new_entries[len(kept) :]
    spans = []
    for n, node in enumerate(seq.value):
        start = _line_start(text, node.start_mark.index)
        if n + 1 < len(seq.value):
            end = _line_start(text, seq.value[n + 1].start_mark.index)
        else:
            end = _line_end(text, node.end_mark.index - 1)
        spans.append((start, end))
    indent = seq.value[0].start_mark.column - 2
    tail = spans[-1][1]
    out = text[:tail]
    if not out.endswith("\n"):
        out += "\n"
    out += "".join(_entry_text(e, indent) for e in added) + text[tail:]
    for (start, end), entry in reversed(list(zip(spans, old_entries, strict=True))):
        if entry not in kept:
            out = out[:start] + out[end:]
    return out if _plain(yaml.safe_load(out)) == _plain(wanted) else None


def _plain(data: Any) -> Any:
    """Data as JSON would hold it (dates as text, empty top-level lists dropped)."""
    plain = json.loads(json.dumps(data or {}, default=str, ensure_ascii=False))
    if not isinstance(plain, dict):
        return plain
    return {k: v for k, v in plain.items() if v or k == "decisions"}
