"""Programmes and the tasks posted under them: types, loaders and queries.

``TaskType`` is open for extension: other domains add fields to it through
``api.tasks.extensions`` (the matcher adds ``candidates`` there).
"""
