"""Cursor pagination shared by every list: ``PageInfo`` and the page-size rule.

Lists are connections: ``first`` items after the cursor ``after`` (the ``endCursor`` of the
previous page). ``first`` is at most ``MAX_PAGE``; a larger value is refused with a
``BAD_USER_INPUT`` error that says so, never silently cut.
"""

from __future__ import annotations

from collections.abc import Awaitable, Callable

import strawberry

from registry.errors import Code, ValidationError

__all__ = ["PageInfo", "Counted", "MAX_PAGE", "DEFAULT_PAGE", "check_first"]

MAX_PAGE = 100
DEFAULT_PAGE = 20


@strawberry.type(description="Where a page ends and whether another follows.")
class PageInfo:
    has_next_page: bool
    end_cursor: str | None = strawberry.field(
        description="Pass as `after` to get the next page; null for an empty page.")


@strawberry.type
class Counted:
    """A connection's ``totalCount``, counted only when a query asks for it."""

    count: strawberry.Private[Callable[[], Awaitable[int]]]

    @strawberry.field(description="How many items the list holds for the caller with the same "
                                  "filter, over all its pages.")
    async def total_count(self) -> int:
        return await self.count()


def check_first(first: int, *, path: str = "first", minimum: int = 0) -> int:
    if not minimum <= first <= MAX_PAGE:
        raise ValidationError.at(
            path, Code.OUT_OF_RANGE, f"must be between {minimum} and {MAX_PAGE} (got {first}); "
                                     "page through longer lists with `after`",
            min=minimum, max=MAX_PAGE)
    return first
