// The one way the pages talk to the server: GraphQL over POST /graphql, with the signed-in
// caller's token (kept in sessionStorage, so it ends with the tab) as a Bearer header.

const TOKEN_KEY = "chuyengia.token";
const ENDPOINT = "/graphql";

export function getToken() {
  return sessionStorage.getItem(TOKEN_KEY);
}

export function setToken(token) {
  if (token) sessionStorage.setItem(TOKEN_KEY, token);
  else sessionStorage.removeItem(TOKEN_KEY);
}

/** A failed request: `errors` as the server sent them, `status` the HTTP status. */
export class GraphQLRequestError extends Error {
  constructor(message, { errors = [], status = 0, data = null } = {}) {
    super(message);
    this.name = "GraphQLRequestError";
    this.errors = errors;
    this.status = status;
    this.data = data;
  }

  get codes() {
    return this.errors.map((e) => e.extensions && e.extensions.code).filter(Boolean);
  }

  /** The server's schema has no such field or argument yet (the feature is not served). */
  get unsupported() {
    return this.errors.some((e) => /Cannot query field|Unknown argument|Unknown type/.test(e.message || ""));
  }
}

const listeners = new Set();
/** Called with the error when the server refuses the token (401), e.g. a revoked one. */
export function onUnauthenticated(fn) {
  listeners.add(fn);
}

/**
 * Run a query or mutation; resolves to `data`. Errors (HTTP or GraphQL) reject with a
 * GraphQLRequestError. With {partial: true}, field errors beside data resolve to
 * {data, errors} instead, for pages that can show what they got.
 */
export async function gql(query, variables = {}, { partial = false, token } = {}) {
  const headers = { "Content-Type": "application/json", Accept: "application/json" };
  const bearer = token === undefined ? getToken() : token;
  if (bearer) headers.Authorization = `Bearer ${bearer}`;
  let response;
  try {
    response = await fetch(ENDPOINT, { method: "POST", headers, body: JSON.stringify({ query, variables }) });
  } catch (err) {
    throw new GraphQLRequestError("network", { status: 0 });
  }
  let body = null;
  try {
    body = await response.json();
  } catch (err) {
    throw new GraphQLRequestError(`HTTP ${response.status}`, { status: response.status });
  }
  const errors = (body && body.errors) || [];
  if (response.status === 401) {
    const error = new GraphQLRequestError(errors[0] ? errors[0].message : "unauthenticated", { errors, status: 401 });
    listeners.forEach((fn) => fn(error));
    throw error;
  }
  if (errors.length && (!partial || !body.data)) {
    throw new GraphQLRequestError(errors[0].message || "error", { errors, status: response.status, data: body.data });
  }
  if (partial) return { data: body.data, errors };
  return body.data;
}
