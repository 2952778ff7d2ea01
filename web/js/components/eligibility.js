// Eligibility under each scheme of the decrees (231, 249, 263 of 2025), from the
// `expert { eligibility }` field: a status per scheme and the criteria met, missing or unknown.
// A criterion that rests on a protected attribute (the age limit) is `withheld` from everyone
// but the expert and administrators, and shown as such.

import { h } from "../dom.js";
import { gql } from "../gql.js";
import { enumLabel, lang, t } from "../i18n.js";
import { badge, errorText } from "./ui.js";

export const ELIGIBILITY_FIELDS = `schemeId decree nameVi nameEn status
  met { id textVi textEn } missing { id textVi textEn } unknown { id textVi textEn withheld }`;

const QUERY = `query Eligibility($id: ID!) { expert(id: $id) { id eligibility { ${ELIGIBILITY_FIELDS} } } }`;

const STATUS_KIND = { ELIGIBLE: "ok", POSSIBLY_ELIGIBLE: "warn", NOT_ELIGIBLE: "no" };

function text(record) {
  return lang() === "vi" ? record.textVi || record.textEn : record.textEn || record.textVi;
}

function name(record) {
  return lang() === "vi" ? record.nameVi || record.nameEn : record.nameEn || record.nameVi;
}

/** One scheme's status and its criteria, as a list item. */
export function schemeItem(scheme) {
  const criteria = (items, kind, label) => (items && items.length
    ? h("ul", { class: `criteria criteria-${kind}`, "aria-label": label }, items.map((c) => h("li", {}, h("span", { class: "criterion-mark", "aria-hidden": "true" }, { met: "✓", missing: "✗", unknown: "?" }[kind]), " ", text(c),
      c.withheld ? h("span", { class: "muted small withheld" }, ` (${t("eligibility.withheld")})`) : null)))
    : null);
  return h("li", { class: "scheme" },
    h("p", { class: "scheme-title" }, h("strong", {}, name(scheme)), scheme.decree ? h("span", { class: "muted" }, ` · ${scheme.decree}`) : null, " ",
      badge(enumLabel("EligibilityStatus", scheme.status), STATUS_KIND[scheme.status] || "")),
    criteria(scheme.met, "met", t("eligibility.met")),
    criteria(scheme.missing, "missing", t("eligibility.missing")),
    criteria(scheme.unknown, "unknown", t("eligibility.unknown")));
}

export function schemeList(schemes) {
  return h("ul", { class: "schemes" }, schemes.map(schemeItem));
}

/** The profile's eligibility section; it loads on its own, so the profile never waits for it. */
export function eligibilitySection(expertId) {
  const body = h("div", { class: "eligibility-body" }, h("p", { class: "loading" }, t("common.loading")));
  const sectionEl = h("section", { class: "card profile-section", "aria-labelledby": "h-eligibility", id: "section-eligibility" },
    h("h2", { id: "h-eligibility" }, t("eligibility.title")), body);
  gql(QUERY, { id: expertId }).then((data) => {
    const schemes = (data.expert && data.expert.eligibility) || [];
    body.replaceChildren(schemes.length ? schemeList(schemes) : h("p", { class: "muted" }, t("eligibility.none")),
      h("p", { class: "small muted" }, t("eligibility.note")));
  }).catch((err) => {
    body.replaceChildren(h("p", { class: "muted" }, errorText(err)));
  });
  return sectionEl;
}
