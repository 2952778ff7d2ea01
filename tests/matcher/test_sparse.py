"""Row replacement in CSR matrices, both ways (splice a few rows, mask-and-add many)."""

from __future__ import annotations

import numpy as np
import pytest
import scipy.sparse as sp

from matching.sparse import replace_rows


@pytest.mark.parametrize("n_changed", [0, 1, 3, 300])
def test_replace_rows_matches_dense_assignment(n_changed):
    rng = np.random.default_rng(n_changed)
    dense = rng.random((400, 30)) * (rng.random((400, 30)) < 0.2)
    rows = rng.choice(410, size=n_changed, replace=False)  # some rows are new (>= 400)
    block = rng.random((n_changed, 30)) * (rng.random((n_changed, 30)) < 0.3)
    expected = np.vstack([dense, np.zeros((10, 30))])
    expected[rows] = block
    got = replace_rows(sp.csr_matrix(dense), rows, sp.csr_matrix(block), 410)
    assert got.shape == (410, 30)
    np.testing.assert_allclose(got.toarray(), expected)
