"""Experts: the profile type, search filters, loaders (where visibility is enforced) and the
``expert``/``experts``/``facets`` queries."""
