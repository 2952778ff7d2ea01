"""Moving data in and out of the registry: what the ``import`` and ``export`` commands call.

* ``import_experts`` / ``import_experts_file``: bulk profile import from JSON Lines, JSON or
  CSV, row by row with line-numbered rejections (``registry.importer``);
* ``export_graph`` / ``import_graph``: the whole registry as JSON Lines and its restore into an
  empty database (``registry.exporter``), and ``graph_fingerprint`` to check that two graphs
  are the same (``registry.fingerprint``).
"""

from __future__ import annotations

from registry.exporter import KINDS, ExportError, export_graph, import_graph
from registry.fingerprint import graph_fingerprint
from registry.importer import (
    CSV_COLUMNS,
    MAX_ROW_BYTES,
    ImportResult,
    RejectedRow,
    detect_format,
    import_experts,
    import_experts_file,
)

__all__ = [
    "CSV_COLUMNS",
    "KINDS",
    "MAX_ROW_BYTES",
    "ExportError",
    "ImportResult",
    "RejectedRow",
    "detect_format",
    "export_graph",
    "graph_fingerprint",
    "import_experts",
    "import_experts_file",
    "import_graph",
]
