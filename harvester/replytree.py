"""The reply tree of a depth-first listing, shared by engines and the merge of comment pages."""

from __future__ import annotations


class OpenBranch:
    """The latest post at each depth along the branch being listed.

    Forums that thread replies (Drupal among them) list a thread depth-first, so the parent of a post at
    depth d is the latest post seen at depth d - 1.
    """

    def __init__(self) -> None:
        self._at: dict[int, str] = {}

    def parent(self, depth: int) -> str | None:
        return self._at.get(depth - 1) if depth > 0 else None

    def push(self, depth: int, post_id: str) -> None:
        self._at[depth] = post_id
        for deeper in [d for d in self._at if d > depth]:
            del self._at[deeper]
