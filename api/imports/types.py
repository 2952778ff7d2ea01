"""GraphQL types of ``importExperts``: the formats, and the report row by row."""

from __future__ import annotations

from enum import Enum

import strawberry

from api.errors import FieldErrorType

__all__ = ["ImportFormat", "ImportRowStatus", "ImportRow", "ExpertsImported"]


@strawberry.enum(description="How the content is written (the same formats as the `chuyengia "
                             "import` command; CSV columns are listed in its documentation).")
class ImportFormat(Enum):
    JSONL = "jsonl"
    CSV = "csv"


@strawberry.enum
class ImportRowStatus(Enum):
    CREATED = "CREATED"
    UPDATED = "UPDATED"
    UNCHANGED = "UNCHANGED"
    REJECTED = "REJECTED"


@strawberry.type(description="What became of one row of the content.")
class ImportRow:
    line: int = strawberry.field(description="1-based line of the row in the content.")
    status: ImportRowStatus
    expert_id: strawberry.ID | None = strawberry.field(
        description="The profile the row is for; null when the row could not be read.")
    reason: str | None = strawberry.field(description="Why a row was rejected, in English, "
                                                      "with the paths of the invalid fields.")
    errors: list[FieldErrorType] = strawberry.field(
        description="Why a row was rejected, problem by problem, each with its code; path "
                    "`\"\"` is the row as a whole. Empty for a row that was written.")


@strawberry.type(description="The import ran: valid rows were written, in batches, and each "
                             "row is reported. Importing the same content again changes "
                             "nothing.")
class ExpertsImported:
    created: int
    updated: int
    unchanged: int
    rejected: int
    rows: list[ImportRow] = strawberry.field(description="By line.")
