"""From GraphQL input objects to the registry's documents, and from the registry's field paths
back to the input's.

The registry validates plain documents whose keys are the GraphQL field names
(``fullName``, ``skills.2.level``), so ``as_document`` only has to walk an input object: a
field left out (``UNSET``) is left out of the document, so an update leaves it unchanged,
while an explicit ``null`` is kept, so an update clears it. Enums become their values.

When an edit changes one item of a profile list, the registry reports problems by the item's
place in the whole document (``employment.3.to``); ``relocate`` moves such paths to where the
caller wrote the item (``item.to``).
"""

from __future__ import annotations

from collections.abc import Callable
from enum import Enum
from typing import Any

from strawberry.types.base import has_object_definition
from strawberry.types.unset import UNSET
from strawberry.utils.str_converters import to_camel_case

from registry.errors import ValidationError

__all__ = ["as_document", "relocate"]


def as_document(value: Any) -> Any:
    """A plain document for the registry from a (nested) strawberry input value.

    An input class may define ``to_document()`` when its document is not its fields one to one.
    """
    if hasattr(value, "to_document"):
        return value.to_document()
    if has_object_definition(value):
        out = {}
        for f in value.__strawberry_definition__.fields:
            item = getattr(value, f.python_name)
            if item is not UNSET:
                out[f.graphql_name or to_camel_case(f.python_name)] = as_document(item)
        return out
    if isinstance(value, list | tuple):
        return [as_document(v) for v in value]
    if isinstance(value, Enum):
        return value.value
    return value


def relocate(exc: ValidationError, move: Callable[[str], str | None]) -> ValidationError:
    """``exc`` with each path replaced by ``move(path)`` (``None`` keeps the path)."""
    return ValidationError([e.at(move(e.path) or e.path) for e in exc.errors])
