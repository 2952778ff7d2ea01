// Who is signed in: the token (sessionStorage, via gql.js) and the account it belongs to.

import { getToken, gql, onUnauthenticated, setToken } from "./gql.js";

const ME = `query Me { me { account { id name role organization expertId } } }`;

let account = null;
const listeners = new Set();

export function currentAccount() {
  return account;
}

export function role() {
  return account ? account.role : null;
}

export function signedIn() {
  return account !== null;
}

export function onSessionChange(fn) {
  listeners.add(fn);
}

function changed() {
  listeners.forEach((fn) => fn(account));
}

/** Check the stored token with the server; a refused one is dropped. */
export async function restore() {
  if (!getToken()) return null;
  try {
    const data = await gql(ME);
    account = data.me ? data.me.account : null;
  } catch (err) {
    if (err.status === 401) setToken(null);
    account = null;
  }
  changed();
  return account;
}

/** Sign in with an API token; resolves to the account, rejects when the server refuses it. */
export async function signIn(token) {
  const data = await gql(ME, {}, { token });
  if (!data.me) throw new Error("no account");
  setToken(token);
  account = data.me.account;
  changed();
  return account;
}

export function signOut() {
  setToken(null);
  account = null;
  changed();
}

onUnauthenticated(() => {
  if (account || getToken()) signOut();
});
