"""The matcher in the API: ranked candidates of a task, unsaved-task matching, similar experts,
team recommendation, and eligibility under the decrees' schemes.

Fields
------
* ``Task.candidates(first, after, filter, excludedFirst)`` and ``Task.decisions``
  (``fields.py``, added to ``Task`` through ``api.tasks.extensions``);
* ``matchTask(input, ...)``, ``similarExperts(expertId, first)``,
  ``recommendTeam(taskId, size)`` (``queries.py``, in ``QUERIES``);
* ``Expert.eligibility`` (``eligibility.py``; one resolver line in ``api.experts.types``).

Who may see what (``permissions.py``)
-------------------------------------
* Candidates and the recommended team of a task: administrators; the programme lead who
  posted the task (any status); HR agencies, for OPEN tasks only (they look for people while a
  task seeks them, and keep shortlists, but never see the drafts or closed selections of a
  lead). Others get a ``FORBIDDEN`` error and ``null``.
* ``matchTask`` (a task not saved yet): programme leads and administrators.
* ``Task.decisions`` (the latest decision per candidate): the lead who posted the task and
  administrators; an empty list for everyone else.
* ``similarExperts`` and ``Expert.eligibility``: whoever may see the profile.

Every expert returned comes from ``info.context.loaders.expert`` (the page's experts in one
batch), so profile visibility applies: an expert the caller may not see is left out of the
page, never shown with a score or reasons. Eligibility criteria that read a protected
attribute (the age limit of Decree 263 reads the birth year) are shown as withheld, and the
scheme's status is what the other criteria allow, to anyone but the expert and administrators
(``eligibility.py``).

The matcher is synchronous and process-wide (``matching.service.get_matcher``); resolvers
reach it through ``service.current_matcher()`` in ``context.db_call``.
"""
