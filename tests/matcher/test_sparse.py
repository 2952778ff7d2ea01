"""Row replacement in CSR matrices, both ways (splice a few rows, mask-and-add many)."""

from __future__ import annotations

import numpy as np
import pytest
import scipy.sparse as sp

from matching.sparse import replace_ragged, replace_rows


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


def test_rows_that_hold_what_they_held_leave_the_matrix_as_it_is():
    rng = np.random.default_rng(5)
    m = sp.csr_matrix(rng.random((50, 8)) * (rng.random((50, 8)) < 0.4))
    rows = np.array([3, 17, 40])
    same = replace_rows(m, rows, m[rows], 50)
    assert same is m  # no copy: derived data (a column-major copy) stays valid
    changed = m[rows].toarray()
    changed[1, 2] += 1.0
    got = replace_rows(m, rows, sp.csr_matrix(changed), 50)
    assert got is not m
    expected = m.toarray()
    expected[rows] = changed
    np.testing.assert_allclose(got.toarray(), expected)
    assert replace_rows(m, rows, m[rows], 52).shape == (52, 8)  # grown: a new matrix


def test_ragged_rows_that_hold_what_they_held_are_kept():
    indptr = np.array([0, 2, 2, 5])
    values = np.array([7, 8, 1, 2, 3])
    kept = replace_ragged(indptr, values, np.array([0, 2]), [np.array([7, 8]),
                                                              np.array([1, 2, 3])], 3)
    assert kept[0] is indptr and kept[1] is values
    new_indptr, new_values = replace_ragged(indptr, values, np.array([2]),
                                            [np.array([1, 2, 4])], 3)
    assert new_values.tolist() == [7, 8, 1, 2, 4] and new_indptr.tolist() == [0, 2, 2, 5]
