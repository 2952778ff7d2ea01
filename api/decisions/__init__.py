"""Decisions on a task's candidates (shortlisted, contacted, interviewed, selected, rejected):
the type and ``recordDecision``. Decisions teach the matcher."""
