// The skill picker: an ARIA combobox over `skills(query)` (Vietnamese and English names and
// aliases, diacritics ignored), plus the name cache that lets chips show a skill's name.

import { h } from "../dom.js";
import { combobox } from "./combobox.js";
import { gql } from "../gql.js";
import { lang, localName, t } from "../i18n.js";

const SEARCH = `query SkillSearch($q: String, $first: Int!) {
  skills(query: $q, first: $first) { id nameVi nameEn aliasesVi aliasesEn }
}`;
const CACHE_KEY = "chuyengia.skills";
const known = new Map(Object.entries(JSON.parse(sessionStorage.getItem(CACHE_KEY) || "{}")));

/** Remember skills' names (from any answer that carried them). */
export function rememberSkills(skills) {
  let added = false;
  for (const s of skills || []) {
    if (s && s.id && !known.has(s.id)) {
      known.set(s.id, { id: s.id, nameVi: s.nameVi, nameEn: s.nameEn });
      added = true;
    }
  }
  if (added) sessionStorage.setItem(CACHE_KEY, JSON.stringify(Object.fromEntries(known)));
}

/** A skill by id: the cached record, or a stand-in named after its id. */
export function skillById(id) {
  return known.get(id) || { id, nameVi: id, nameEn: id };
}

/** Look up skills that are not cached yet (by searching for the words of their ids). */
export async function resolveSkills(ids) {
  const missing = ids.filter((id) => !known.has(id));
  await Promise.all(missing.map(async (id) => {
    try {
      const data = await gql(SEARCH, { q: id.replace(/[-_]+/g, " "), first: 10 });
      rememberSkills(data.skills.filter((s) => s.id === id));
    } catch (err) {
      /* the id stays as its own name */
    }
  }));
  return ids.map(skillById);
}

/**
 * The labelled skill combobox. `onPick(skill)` is called with the chosen skill; `exclude()`
 * returns ids not to offer again.
 */
export function skillCombobox({ label, hint, onPick, exclude = () => [], id }) {
  return combobox({
    label, hint, id, placeholder: t("skills.placeholder"),
    search: async (q) => {
      const data = await gql(SEARCH, { q, first: 8 });
      const skip = new Set(exclude());
      return data.skills.filter((s) => !skip.has(s.id));
    },
    main: (s) => localName(s),
    sub: (s) => (lang() === "vi" ? s.nameEn : s.nameVi),
    subLang: lang() === "vi" ? "en" : "vi",
    onPick: (skill) => { rememberSkills([skill]); onPick(skill); },
    noneText: t("skills.none"),
    countText: (n) => t("skills.count", { n }),
  });
}

/** Chips of chosen skills, each with a remove button named after the skill. */
export function skillChips(skills, onRemove, { label } = {}) {
  if (!skills.length) return h("ul", { class: "chips", "aria-label": label || t("skills.chosen"), hidden: true });
  return h("ul", { class: "chips", "aria-label": label || t("skills.chosen") },
    skills.map((s) => h("li", { class: "chip" },
      h("span", {}, localName(s)),
      h("button", { type: "button", class: "chip-remove", "aria-label": t("skills.remove", { name: localName(s) }), onclick: () => onRemove(s) }, "×"))));
}
