// The strategic-technology lists, fetched once per page load. The list in force today is the
// one pages offer; groups of other lists are still named wherever they appear.

import { gql } from "../gql.js";

const QUERY = `query TechLists { techLists { id decision nameVi nameEn validFrom validTo
  areas { id code nameVi nameEn listId } } }`;

let pending = null;

export function techLists() {
  pending ||= gql(QUERY).then((data) => data.techLists).catch((err) => { pending = null; throw err; });
  return pending;
}

/** The list valid today (else the newest). */
export async function currentTechList() {
  const lists = await techLists();
  const today = new Date().toISOString().slice(0, 10);
  const valid = lists.filter((l) => (!l.validFrom || l.validFrom <= today) && (!l.validTo || today <= l.validTo));
  return valid[valid.length - 1] || lists[lists.length - 1] || null;
}
