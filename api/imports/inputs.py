"""Input of ``importExperts``."""

from __future__ import annotations

import strawberry

from api.imports.types import ImportFormat

__all__ = ["ImportExpertsInput"]


@strawberry.input
class ImportExpertsInput:
    format: ImportFormat
    content: str = strawberry.field(description="The rows, as a file of `format` would hold "
                                                "them; at most the server's import limit.")
