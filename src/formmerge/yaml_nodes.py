"""Line numbers for YAML: find the node a parsed value came from, to name its line in errors."""

from __future__ import annotations

from collections.abc import Sequence

import yaml

__all__ = ["node_at"]


def node_at(node: yaml.Node | None, path: Sequence[str | int]) -> yaml.Node | None:
    """The deepest node along ``path`` (mapping keys and sequence indexes) below ``node``.

    Stops at the last part that exists, so a problem deep inside a value that is not there
    still points at the nearest enclosing line.
    """
    for part in path:
        child: yaml.Node | None = None
        if isinstance(node, yaml.MappingNode):
            child = next((v for k, v in node.value if getattr(k, "value", None) == part), None)
        elif isinstance(node, yaml.SequenceNode) and isinstance(part, int):
            child = node.value[part] if 0 <= part < len(node.value) else None
        if child is None:
            break
        node = child
    return node
