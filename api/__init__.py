"""The GraphQL API: one package per domain, composed into one schema in ``api.schema``.

Layout
------
``api/<domain>/`` (``experts``, ``taxonomy``, ``organizations``, ``tasks``, ``network``,
``accounts``), each with what it needs of:

* ``types.py``    the ``@strawberry.type`` classes (``ExpertType``, ``TaskType``, ...)
* ``filters.py``  the ``@strawberry.input`` filters (``ExpertFilter``, ``TaskFilter``, ...)
* ``loaders.py``  batch functions behind the per-request DataLoaders
* ``queries.py``  one ``<Domain>Queries`` type holding the domain's root query fields
* ``mutations.py`` one ``<Domain>Mutations`` type (added by the mutation step)

Cross-cutting modules:

* ``context.py``      ``Context`` (``info.context``): ``account``, ``db``, ``settings``,
  ``loaders``, ``await db_call(fn, *args)`` (the blocking registry in a worker thread, failing
  fast when Neo4j is down), ``await read(work, *args)`` (``work(tx, ...)`` in one read
  transaction), ``viewer`` (for ``registry.search``), ``role``/``is_admin``/``account_id``/
  ``expert_id``/``owns(expert_id)``, ``await audit_contact_read(expert_id)``.
* ``loaders.py``      ``Loaders``: one DataLoader per kind, built with each ``Context``
  (``expert`` applies profile visibility; ``task`` hides others' drafts; ``contact_read``
  writes a request's CONTACT_READ audit events in one statement).
* ``permissions.py``  small ``Permission`` classes combined with ``|`` and ``&``, ``guard()``
  to put them on a field, and the visibility rules (``may_view_profile``, ``may_view_task``).
* ``errors.py``       the typed expected failures (``ValidationFailed``, ``NotFound``,
  ``VersionConflict``, ``NotAllowed``, all ``UserError``), the exception handlers that turn
  registry errors into them, and the ``extensions.code`` of GraphQL errors.
* ``safeguards.py``   depth/alias/token limits, introspection switch, error masking.
* ``pagination.py``   ``PageInfo`` and the page-size rule (``first`` at most 100).
* ``enums.py``        enums built from the registry's vocabularies.
* ``http.py``         GraphQL over HTTP (methods, content negotiation, sizes, bearer tokens,
  rate limit); ``ratelimit.py``; ``availability.py``; ``runtime.py`` (the app's database).
* ``schema.py``       the composition root: ``QUERIES``, ``MUTATIONS``, ``build_schema``.

Adding a mutation module (e.g. expert profile edits)
----------------------------------------------------
1. Create ``api/experts/mutations.py`` with one type::

       @strawberry.type
       class ExpertMutations:
           @strawberry.mutation(extensions=[guard(IsAuthenticated(), silent=False)])
           async def update_profile(self, info: strawberry.Info[Context, None],
                                    id: strawberry.ID, version: int, input: ProfileInput
                                    ) -> Annotated[ProfileUpdated | ValidationFailed
                                                   | VersionConflict | NotFound | NotAllowed,
                                                   strawberry.union("UpdateProfileResult")]:
               doc = await info.context.db_call(experts.update_expert, info.context.db,
                                                str(id), version, change)
               return ProfileUpdated(expert=ExpertType.from_doc(doc))

   Let the registry raise: ``ValidationError``, ``NotFound``, ``VersionConflict`` and
   ``NotAllowed`` become the matching union member by themselves (``api.errors``); call
   ``typed_error(exc)`` only where you catch one yourself. Input types go in the domain's
   ``inputs.py`` (or ``filters.py``); permission checks go in ``guard(...)``, not in the body.
   Write the audit event in the registry transaction that makes the change.
2. Add ``ExpertMutations`` to ``MUTATIONS`` in ``api/schema.py`` (one line, one import).
3. Re-export the SDL: ``python -m api.schema schema.graphql``; the drift test checks it.
4. Test it under ``tests/api/test_gql_*.py`` (the root-field registry covers ``Query``; add
   the same ``@covers`` habit for ``Mutation`` if you extend that test).

Adding fields to ``Task`` (the matcher's ``candidates``)
--------------------------------------------------------
Write a ``@strawberry.type`` field group with resolver fields only in your own package
(e.g. ``api/matching/fields.py``: ``TaskCandidateFields`` with ``candidates``, reading the task
as ``self``), and list it in ``api.tasks.extensions.task_field_groups``; ``TaskType`` inherits
from every listed group. Details and an example are in ``api/tasks/extensions.py``.
Experts returned by such a field must come from ``info.context.loaders.expert`` so that
visibility applies.
"""
