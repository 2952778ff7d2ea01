"""Moving data in and out of the registry: what the ``import`` and ``export`` commands call.

* ``import_experts`` / ``import_experts_file``: bulk profile import from JSON Lines, JSON or
  CSV, row by row with line-numbered rejections (``registry.importer``);
* ``export_graph`` / ``import_graph``: the whole registry as JSON Lines and its restore into an
  empty database, and ``graph_fingerprint`` to check that both hold the same graph
  (``registry.exporter``).
"""

from __future__ import annotations

from registry.exporter import KINDS, ExportError, export_graph, graph_fingerprint, import_graph
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
    "CSV_COLUMNS", "MAX_ROW_BYTES", "KINDS", "ImportResult", "RejectedRow", "ExportError",
    "import_experts", "import_experts_file", "detect_format", "export_graph", "import_graph",
    "graph_fingerprint",
]
