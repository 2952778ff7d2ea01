"""Bulk import of expert profiles through the API: ``importExperts`` and its per-row report."""
