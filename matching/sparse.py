"""Small sparse-matrix helpers for the matcher's incremental updates."""

from __future__ import annotations

import numpy as np
import scipy.sparse as sp

__all__ = ["coo_rows", "replace_rows"]


def replace_rows(matrix: sp.csr_matrix, rows: np.ndarray, block: sp.spmatrix,
                 n_rows: int) -> sp.csr_matrix:
    """``matrix`` grown to ``n_rows`` rows with ``rows`` replaced by the rows of ``block``.

    Costs O(nnz): the old rows are masked out and the new ones added, instead of converting
    the matrix to a row-editable format and back.
    """
    matrix = sp.csr_matrix(matrix)
    if matrix.shape[0] < n_rows:
        matrix.resize((n_rows, matrix.shape[1]))
    if len(rows) == 0:
        return matrix
    keep = np.ones(n_rows, dtype=matrix.dtype)
    keep[rows] = 0
    kept = sp.diags(keep, format="csr") @ matrix
    place = sp.csr_matrix((np.ones(len(rows), dtype=matrix.dtype), (rows, np.arange(len(rows)))),
                          shape=(n_rows, len(rows)))
    out = (kept + place @ sp.csr_matrix(block, dtype=matrix.dtype)).tocsr()
    out.eliminate_zeros()
    return out


def coo_rows(entries: list[tuple[int, int, float]], shape: tuple[int, int],
             dtype: type = np.float32) -> sp.csr_matrix:
    """A CSR matrix from (row, column, value) triples (duplicates are summed)."""
    if not entries:
        return sp.csr_matrix(shape, dtype=dtype)
    r, c, v = zip(*entries)
    return sp.csr_matrix((np.asarray(v, dtype=dtype), (r, c)), shape=shape)
