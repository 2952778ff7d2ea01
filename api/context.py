"""The per-request context every resolver receives as ``info.context``.

One ``Context`` is built for each HTTP request (see ``api.http.GraphQLView.get_context``): it
holds the caller's account (``None`` when anonymous), the process-wide ``Database`` and
``Settings``, and a fresh set of DataLoaders, so nothing is cached across requests.

The registry is synchronous (the Neo4j driver blocks), so resolvers never call it directly:
``await ctx.db_call(fn, *args)`` runs ``fn`` in a worker thread and keeps the event loop free,
and fails fast when Neo4j is down. Context variables (such as ``registry.db.count_queries``)
follow the call into the thread.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Any, TypeVar

from api.availability import Reachability, guarded_call
from registry.search import Viewer

if TYPE_CHECKING:
    from starlette.requests import Request
    from starlette.responses import Response

    from api.loaders import Loaders
    from registry.accounts import Account
    from registry.db import Database
    from registry.settings import Settings

__all__ = ["Context", "ADMIN", "HR_AGENCY", "PROGRAMME_LEAD", "EXPERT", "CONTACT_READERS"]

T = TypeVar("T")

ADMIN, HR_AGENCY, PROGRAMME_LEAD, EXPERT = "ADMIN", "HR_AGENCY", "PROGRAMME_LEAD", "EXPERT"
# Roles that may see an expert's e-mail and phone when the expert consented (audited).
CONTACT_READERS = frozenset((HR_AGENCY, PROGRAMME_LEAD))


@dataclass
class Context:
    db: Database
    settings: Settings
    account: Account | None = None
    request: Request | None = None
    response: Response | None = None
    reachability: Reachability | None = None
    loaders: Loaders = field(init=False)

    def __post_init__(self) -> None:
        from api.loaders import Loaders  # the loaders' batch functions import domain types

        self.loaders = Loaders.for_context(self)

    # --- the registry, off the event loop -------------------------------------------------

    async def db_call(self, fn: Callable[..., T], /, *args: Any, **kwargs: Any) -> T:
        """Run a blocking registry function in a worker thread and return its result; raises
        ``DatabaseUnavailable`` promptly when Neo4j is down (``api.availability``)."""
        return await guarded_call(self.reachability, fn, *args, **kwargs)

    async def read(self, work: Callable[..., T], /, *args: Any) -> T:
        """``work(tx, *args)`` in one managed read transaction (the registry's batch readers,
        such as ``registry.experts.read_profiles``, have this shape)."""
        return await self.db_call(self.db.read, work, *args)

    # --- who is asking --------------------------------------------------------------------

    @property
    def role(self) -> str | None:
        return self.account.role if self.account else None

    @property
    def is_admin(self) -> bool:
        return self.role == ADMIN

    @property
    def account_id(self) -> str | None:
        return self.account.id if self.account else None

    @property
    def expert_id(self) -> str | None:
        """The expert the caller *is* (EXPERT accounts only)."""
        return self.account.expert_id if self.account else None

    def owns(self, expert_id: str) -> bool:
        return self.expert_id is not None and self.expert_id == expert_id

    @property
    def viewer(self) -> Viewer:
        """The caller as ``registry.search`` understands it (which visibilities to include)."""
        return Viewer(signed_in=self.account is not None, admin=self.is_admin,
                      expert_id=self.expert_id)

    # --- audit ----------------------------------------------------------------------------

    async def audit_contact_read(self, expert_id: str) -> None:
        """Record that the caller read ``expert_id``'s contact details. Reads of one request
        are written together (one statement for a page); the details are returned only after
        the event is stored."""
        await self.loaders.contact_read.load(expert_id)
