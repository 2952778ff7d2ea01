"""GraphQL over HTTP: what is refused before the schema runs, and how answers are encoded.

Requests are checked in this order, each refusal a JSON error with an ``extensions.code``:
method (GET or POST, else 405), rate limit (429 with ``Retry-After``), ``Accept`` (406 when
neither ``application/graphql-response+json`` nor ``application/json`` is acceptable),
content type of a POST (``application/json``, else 415), size (``settings.max_body_bytes``,
else 413; 414 for a GET's query string), then the bearer token (401 when it is malformed,
unknown or revoked; never a silent anonymous). A mutation sent with GET is refused with 405.

Answers use the negotiated media type. With ``application/graphql-response+json`` a request
that fails before execution (unparsable, invalid, over a limit) gets 400 and no ``data``; with
``application/json`` it gets 200, as the GraphQL-over-HTTP specification asks.
"""

from __future__ import annotations

import hashlib
import json
from typing import Any

from cross_web import HTTPException
from starlette.requests import Request
from starlette.responses import JSONResponse, Response
from starlette.types import Receive, Scope, Send
from strawberry.asgi import GraphQL
from strawberry.schema.exceptions import InvalidOperationTypeError

from api.availability import guarded_call
from api.context import Context
from api.errors import UNAVAILABLE_MESSAGE
from api.ratelimit import RateLimiter
from api.runtime import Runtime
from registry.accounts import Account, authenticate
from registry.db import Database
from registry.errors import DatabaseUnavailable

__all__ = ["GraphQLView", "negotiate", "GRAPHQL_RESPONSE_JSON", "JSON"]

GRAPHQL_RESPONSE_JSON = "application/graphql-response+json"
JSON = "application/json"
_CODES = {400: "BAD_REQUEST", 401: "UNAUTHENTICATED", 404: "NOT_FOUND",
          405: "METHOD_NOT_ALLOWED", 406: "NOT_ACCEPTABLE", 413: "PAYLOAD_TOO_LARGE",
          414: "URI_TOO_LONG", 415: "UNSUPPORTED_MEDIA_TYPE", 429: "RATE_LIMITED",
          503: "SERVICE_UNAVAILABLE"}


class Refused(Exception):
    """An HTTP-level refusal: status, message for the client, extra headers."""

    def __init__(self, status: int, message: str, headers: dict[str, str] | None = None):
        super().__init__(message)
        self.status, self.message, self.headers = status, message, headers or {}

    def response(self) -> Response:
        body = {"errors": [{"message": self.message,
                            "extensions": {"code": _CODES.get(self.status, "BAD_REQUEST")}}]}
        return JSONResponse(body, status_code=self.status, headers=self.headers)


def negotiate(accept: str | None) -> str | None:
    """The media type to answer with, or None when the client accepts neither."""
    if not accept or not accept.strip():
        return JSON
    scores: dict[str, tuple[int, float]] = {}  # media -> (specificity, q) of the best range
    for part in accept.split(","):
        media, *params = (p.strip().lower() for p in part.split(";"))
        q = 1.0
        for param in params:
            if param.startswith("q="):
                try:
                    q = float(param[2:])
                except ValueError:
                    q = 0.0
        for candidate in (GRAPHQL_RESPONSE_JSON, JSON):
            specificity = {candidate: 2, "application/*": 1, "*/*": 0}.get(media)
            if specificity is not None and specificity >= scores.get(candidate, (-1, 0))[0]:
                scores[candidate] = (specificity, q)
    ranked = sorted(((q, spec, media == GRAPHQL_RESPONSE_JSON, media)
                     for media, (spec, q) in scores.items() if q > 0), reverse=True)
    if not ranked:
        return None
    q, spec, _, media = ranked[0]
    # Only wildcards (e.g. */*): answer with the long-standing default.
    return media if spec == 2 else JSON


class GraphQLView(GraphQL):
    """Strawberry's ASGI view with the checks and encoding described in the module docstring."""

    def __init__(self, schema: Any, *, runtime: Runtime):
        settings = runtime.settings
        super().__init__(schema, graphql_ide="graphiql" if settings.graphiql_enabled else None,
                         allow_queries_via_get=True, multipart_uploads_enabled=False)
        self.settings = settings
        self.runtime = runtime
        self.limiter = RateLimiter(settings.rate_limit_per_minute)

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http":  # no subscriptions are offered
            return await super().__call__(scope, receive, send)
        try:
            request = await self._admit(Request(scope, receive))
            response = await self.run(request)
        except Refused as refused:
            response = refused.response()
        except HTTPException as exc:
            headers = {"Allow": "POST"} if exc.status_code == 405 else None
            response = Refused(exc.status_code, exc.reason, headers).response()
        await response(scope, receive, send)

    # --- admission ------------------------------------------------------------------------

    async def _admit(self, request: Request) -> Request:
        if request.method not in ("GET", "POST"):
            raise Refused(405, "GraphQL is served over GET (queries) and POST.",
                          {"Allow": "GET, POST"})
        wait = self.limiter.take(self._rate_key(request))
        if wait:
            raise Refused(429, "Too many requests; slow down and retry after the time given "
                               "in Retry-After.", {"Retry-After": self.limiter.retry_after(wait)})
        wants_ide = (request.method == "GET" and "query" not in request.query_params
                     and "text/html" in request.headers.get("accept", ""))
        media = JSON if wants_ide else negotiate(request.headers.get("accept"))
        if media is None:
            raise Refused(406, f"Accept {GRAPHQL_RESPONSE_JSON} or {JSON}.")
        if request.method == "POST":
            request = await self._read_body(request)
        elif len(request.scope.get("query_string", b"")) > self.settings.max_body_bytes:
            raise Refused(414, "The query string is too long; send the query with POST.")
        request.state.media_type = media
        request.state.account = await self._authenticate(request)
        return request

    @staticmethod
    def _rate_key(request: Request) -> str:
        header = request.headers.get("authorization")
        if header:
            return "token:" + hashlib.sha256(header.encode()).hexdigest()
        return "ip:" + (request.client.host if request.client else "unknown")

    async def _read_body(self, request: Request) -> Request:
        content_type = request.headers.get("content-type", "").split(";")[0].strip().lower()
        if content_type != JSON:
            raise Refused(415, f"Send the request body as {JSON} (got "
                               f"{content_type or 'no Content-Type'}).")
        limit = self.settings.max_body_bytes
        too_large = Refused(413, f"The request body is larger than {limit} bytes.")
        declared = request.headers.get("content-length")
        if declared and declared.isdigit() and int(declared) > limit:
            raise too_large
        body = bytearray()
        async for chunk in request.stream():
            body += chunk
            if len(body) > limit:
                raise too_large
        data = bytes(body)

        async def replay() -> dict[str, Any]:
            return {"type": "http.request", "body": data, "more_body": False}

        return Request(request.scope, replay)

    async def _authenticate(self, request: Request) -> Account | None:
        header = request.headers.get("authorization")
        if header is None:
            return None
        scheme, _, token = header.strip().partition(" ")
        challenge = {"WWW-Authenticate": 'Bearer realm="chuyengia", error="invalid_token"'}
        if scheme.lower() != "bearer" or not token.strip():
            raise Refused(401, "The Authorization header must be 'Bearer <API token>'.",
                          challenge)
        try:
            account = await guarded_call(self.runtime.reachability, authenticate, self._db(),
                                         token.strip())
        except DatabaseUnavailable as exc:
            raise self._unavailable() from exc
        if account is None:
            raise Refused(401, "The API token is not valid: it is unknown or was revoked. Ask "
                               "an administrator for a new one.", challenge)
        return account

    def _db(self) -> Database:
        db = self.runtime.db
        if db is None:
            raise self._unavailable()
        return db

    @staticmethod
    def _unavailable() -> Refused:
        return Refused(503, UNAVAILABLE_MESSAGE, {"Retry-After": "5"})

    # --- strawberry hooks -----------------------------------------------------------------

    async def get_context(self, request: Any, response: Any) -> Context:
        return Context(db=self._db(), settings=self.settings,
                       account=getattr(request.state, "account", None),
                       request=request, response=response,
                       reachability=self.runtime.reachability)

    async def get_sub_response(self, request: Any) -> Response:
        sub = await super().get_sub_response(request)
        sub.media_type = getattr(request.state, "media_type", JSON)
        return sub

    def should_render_graphql_ide(self, request: Any) -> bool:
        # Only a browser asking for a page gets GraphiQL (and only when enabled); any other
        # GET without a query is a bad request, not a missing page.
        return (self.graphql_ide is not None and request.method == "GET"
                and request.query_params.get("query") is None
                and "text/html" in request.headers.get("accept", ""))

    def parse_json(self, data: str | bytes) -> Any:
        try:
            value = super().parse_json(data)
        except (UnicodeDecodeError, RecursionError) as exc:
            # json.loads guesses UTF-16/32 from the first bytes, and nests without bound.
            raise HTTPException(400, "The request body must be a JSON object in UTF-8, "
                                     "nested at most a few hundred levels.") from exc
        if not isinstance(value, dict):
            raise HTTPException(400, "The request must be a JSON object such as "
                                     '{"query": "...", "variables": {...}}.')
        if _has_lone_surrogate(value):
            # JSON escapes such as \ud800 decode to text no UTF-8 encoder (the Neo4j driver's
            # included) accepts; refused here, once, for every argument.
            raise HTTPException(400, "The request holds text that is not valid Unicode (a "
                                     "lone surrogate escape such as \\ud800).")
        return value

    async def execute_single(self, *args: Any, **kwargs: Any) -> Any:
        try:
            return await super().execute_single(*args, **kwargs)
        except HTTPException as exc:
            if isinstance(exc.__cause__, InvalidOperationTypeError):  # a mutation over GET
                raise HTTPException(405, "Mutations must be sent with POST.") from exc
            raise

    def create_response(self, response_data: Any, sub_response: Response) -> Response:
        media = sub_response.media_type or JSON
        status = 200
        if media == GRAPHQL_RESPONSE_JSON and _is_request_error(response_data):
            status = 400
            response_data = {k: v for k, v in response_data.items() if k != "data"}
        response = Response(self.encode_json(response_data), status_code=status,
                            media_type=media)
        response.headers.raw.extend(sub_response.headers.raw)
        if sub_response.status_code:
            response.status_code = sub_response.status_code
        return response

    def encode_json(self, data: object) -> str:
        return json.dumps(data, separators=(",", ":"), ensure_ascii=False)


def _has_lone_surrogate(value: Any) -> bool:
    pending = [value]  # a stack, not recursion: the JSON may nest as deep as json.loads allows
    while pending:
        item = pending.pop()
        if isinstance(item, str):
            try:
                item.encode("utf-8")
            except UnicodeEncodeError:
                return True
        elif isinstance(item, dict):
            pending.extend(item)
            pending.extend(item.values())
        elif isinstance(item, list):
            pending.extend(item)
    return False


def _is_request_error(data: Any) -> bool:
    """The operation never ran: no data, and no error belongs to a field."""
    if not isinstance(data, dict) or data.get("data") is not None or not data.get("errors"):
        return False
    return all("path" not in e for e in data["errors"])
