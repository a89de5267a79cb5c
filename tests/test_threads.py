"""Thread arrangement: order, sort, depth flattening, deleted comments, without an app."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import UTC, datetime, timedelta

from service.threads import SortOrder, arrange

T0 = datetime(2026, 11, 27, 10, 0, tzinfo=UTC)


@dataclass
class C:
    id: int
    parent_id: int | None = None
    deleted: bool = False

    @property
    def created_at(self) -> datetime:
        return T0 + timedelta(minutes=self.id)


def shape(placed):
    return [(p.node.id, p.parent, p.depth, p.reply_to) for p in placed]


def test_depth_first_oldest_first():
    nodes = [C(1), C(2), C(3, 1), C(4, 3), C(5, 1)]
    assert shape(arrange(nodes, 4)) == [
        (1, None, 0, None),
        (3, 1, 1, None),
        (4, 3, 2, None),
        (5, 1, 1, None),
        (2, None, 0, None),
    ]


def test_replies_deeper_than_max_depth_are_flattened_and_say_whom_they_answer():
    nodes = [C(1), C(2, 1), C(3, 2), C(4, 3)]
    assert shape(arrange(nodes, 1)) == [
        (1, None, 0, None),
        (2, 1, 1, None),
        (3, 1, 1, 2),
        (4, 1, 1, 3),
    ]
    assert shape(arrange(nodes, 0)) == [
        (1, None, 0, None),
        (2, None, 0, 1),
        (3, None, 0, 2),
        (4, None, 0, 3),
    ]


def test_sort_orders():
    nodes = [C(1), C(2), C(3, 1), C(4, 1)]
    ids = lambda sort: [p.node.id for p in arrange(nodes, 4, sort)]  # noqa: E731
    assert ids(SortOrder.OLDEST) == [1, 3, 4, 2]
    assert ids(SortOrder.NEWEST) == [2, 1, 4, 3]
    assert ids(SortOrder.TOP_NEWEST) == [2, 1, 3, 4]


def test_deleted_comment_stays_only_while_it_holds_replies():
    nodes = [C(1, deleted=True), C(2, 1), C(3, deleted=True), C(4, deleted=True), C(5, 4, True)]
    assert [p.node.id for p in arrange(nodes, 4)] == [1, 2]


def test_reply_to_an_unlisted_parent_is_top_level():
    assert shape(arrange([C(2, 99)], 4)) == [(2, None, 0, None)]
