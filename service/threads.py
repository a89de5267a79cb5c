"""How a post's comments are arranged for readers: thread order, sort order, nesting depth.

Plain Python with no Flask import, so the arrangement can be read and tested on its own.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Sequence
from dataclasses import dataclass
from datetime import datetime
from enum import StrEnum
from typing import Generic, Protocol, TypeVar


class SortOrder(StrEnum):
    OLDEST = "oldest"
    NEWEST = "newest"
    TOP_NEWEST = "top-newest"  # threads newest first, replies in conversation order


class Node(Protocol):
    @property
    def id(self) -> int: ...
    @property
    def parent_id(self) -> int | None: ...
    @property
    def created_at(self) -> datetime: ...
    @property
    def deleted(self) -> bool: ...


N = TypeVar("N", bound=Node)


@dataclass(frozen=True, slots=True)
class Placed(Generic[N]):
    """A comment where the reader sees it: under `parent`, at `depth` (0 is top level).

    `reply_to` is the comment it really answers when that is deeper than the thread may nest.
    """

    node: N
    parent: int | None
    depth: int
    reply_to: int | None = None


def arrange(
    nodes: Sequence[N], max_depth: int, sort: SortOrder = SortOrder.OLDEST
) -> list[Placed[N]]:
    """Depth-first thread order; replies deeper than `max_depth` are flattened to that depth.

    A reply whose parent is not among `nodes` becomes top-level. A deleted comment stays only
    while it still has replies to hold together.
    """
    ids = {n.id for n in nodes}
    children: dict[int | None, list[N]] = defaultdict(list)
    for node in nodes:
        children[node.parent_id if node.parent_id in ids else None].append(node)

    keep: dict[int, bool] = {}

    def kept(node: N) -> bool:  # iterative post-order would be longer; threads are shallow
        if node.id not in keep:
            keep[node.id] = any([kept(c) for c in children[node.id]]) or not node.deleted
        return keep[node.id]

    def ordered(items: list[N], top: bool) -> list[N]:
        newest = sort is SortOrder.NEWEST or (top and sort is SortOrder.TOP_NEWEST)
        return sorted(
            (n for n in items if kept(n)), key=lambda n: (n.created_at, n.id), reverse=newest
        )

    placed: list[Placed[N]] = []
    stack: list[Placed[N]] = [Placed(n, None, 0) for n in reversed(ordered(children[None], True))]
    while stack:
        item = stack.pop()
        placed.append(item)
        nested = item.depth < max_depth
        below = [
            Placed(c, item.node.id, item.depth + 1)
            if nested
            else Placed(c, item.parent, item.depth, reply_to=item.node.id)
            for c in ordered(children[item.node.id], False)
        ]
        stack.extend(reversed(below))
    return placed
