"""Shortlists: an account's working lists of experts per task, with ``addToShortlist``,
``removeFromShortlist`` and the ``shortlists`` query."""
