// The repeatable sections of "My profile" (employment, education, publications, patents,
// projects, awards): a list with Edit and Remove per item and an Add form, each change sent
// as add*/update*/remove* with the item's position and the profile version read.

import { clear, h, nextId, replace } from "../dom.js";
import { gql } from "../gql.js";
import { countryName, enumLabel, t } from "../i18n.js";
import { combobox } from "./combobox.js";
import { checkControls, countrySelect, enumSelect, valueOf } from "./forms.js";
import { badge, field } from "./ui.js";

const ORGS = `query Orgs($q: String) { organizations(filter: {query: $q}, first: 8) {
  nodes { id name nameVi country city kind } } }`;
const KINDS = ["UNIVERSITY", "INSTITUTE", "COMPANY", "AGENCY"];
const YEAR = { type: "number", min: 1950, max: 2100 };

/** The organization part of an item form: a name with suggestions, country and kind. */
function organizationField(org, label) {
  let picked = org && org.id ? { ...org } : null;
  const country = countrySelect(org ? org.country : "", { id: nextId("org-country") });
  const kind = enumSelect("OrganizationKind", KINDS, org ? org.kind : "", { id: nextId("org-kind") });
  const box = combobox({
    label, required: true, keepText: true, value: org ? org.name : "",
    hint: t("form.orgHint"),
    search: async (q) => (await gql(ORGS, { q })).organizations.nodes,
    main: (o) => o.name, sub: (o) => [o.nameVi && o.nameVi !== o.name ? o.nameVi : null, countryName(o.country)].filter(Boolean).join(" · "),
    onPick: (o) => {
      picked = o;
      country.value = o.country || "";
      kind.value = o.kind || "";
    },
    onInput: () => { picked = null; },
  });
  const controls = { "organization.name": box.input, "organization.country": country, "organization.kind": kind };
  return {
    nodes: [box, h("div", { class: "form-grid" }, field(t("form.orgCountry"), country), field(t("form.orgKind"), kind))],
    controls,
    check: () => checkControls([box.input]) && (picked || checkControls([Object.assign(country, { required: true })])),
    value: () => (picked && picked.name === box.input.value.trim()
      ? { id: picked.id }
      : { name: box.input.value.trim(), country: country.value || null, kind: kind.value || null }),
  };
}

/** The sections: the mutations' names, the item fields and a one-line summary of an item. */
export const LIST_SECTIONS = [
  {
    key: "employment", title: "me.employment", add: "addEmployment", update: "updateEmployment", remove: "removeEmployment",
    addType: "AddEmploymentInput", updateType: "UpdateEmploymentInput",
    fields: [{ name: "organization", kind: "org", label: "form.organization" }, { name: "title", label: "form.title", max: 200 },
      { name: "from", label: "form.from", ...YEAR }, { name: "to", label: "form.to", ...YEAR, hint: "form.toHint" }],
    summary: (e) => [h("strong", {}, e.title || t("expert.position")), ` · ${e.organization ? e.organization.name : ""} `, h("span", { class: "muted" }, `${e.from || "?"} – ${e.to || t("expert.present")}`)],
  },
  {
    key: "education", title: "me.education", add: "addEducation", update: "updateEducation", remove: "removeEducation",
    addType: "AddEducationInput", updateType: "UpdateEducationInput",
    fields: [{ name: "organization", kind: "org", label: "form.school" }, { name: "degree", kind: "enum", type: "Degree", values: ["BACHELOR", "ENGINEER", "MASTER", "PHD", "POSTDOC", "DSC"], label: "form.degree", required: true },
      { name: "field", label: "form.field", max: 200 }, { name: "year", label: "form.year", ...YEAR }],
    summary: (e) => [h("strong", {}, enumLabel("Degree", e.degree)), e.field ? ` · ${e.field}` : "", ` · ${e.organization ? e.organization.name : ""} `, h("span", { class: "muted" }, e.year || "")],
  },
  {
    key: "publications", title: "me.publications", add: "addPublication", update: "updatePublication", remove: "removePublication",
    addType: "AddPublicationInput", updateType: "UpdatePublicationInput",
    fields: [{ name: "title", label: "form.title", required: true, max: 500 }, { name: "venue", label: "form.venue", max: 300 },
      { name: "year", label: "form.year", ...YEAR }, { name: "doi", label: "form.doi", pattern: "^10\\.\\d{4,9}/\\S+$", patternMsg: "form.doiFormat" },
      { name: "citations", label: "form.citations", type: "number", min: 0, max: 1000000, default: 0 }],
    carry: (p) => ({ abstract: p.abstract ?? null }),
    summary: (p) => [h("strong", {}, p.title), " ", h("span", { class: "muted" }, [p.venue, p.year].filter(Boolean).join(", "))],
  },
  {
    key: "patents", title: "me.patents", add: "addPatent", update: "updatePatent", remove: "removePatent",
    addType: "AddPatentInput", updateType: "UpdatePatentInput",
    fields: [{ name: "title", label: "form.title", required: true, max: 500 }, { name: "number", label: "form.patentNumber", max: 100 },
      { name: "year", label: "form.year", ...YEAR }, { name: "country", kind: "country", label: "form.country" },
      { name: "granted", kind: "checkbox", label: "form.granted" }, { name: "applied", kind: "checkbox", label: "form.applied" }],
    summary: (p) => [h("strong", {}, p.title), " ", h("span", { class: "muted" }, [p.number, p.year].filter(Boolean).join(", ")), " ", p.granted ? badge(t("expert.granted"), "ok") : null],
  },
  {
    key: "projects", title: "me.projects", add: "addProject", update: "updateProject", remove: "removeProject",
    addType: "AddProjectInput", updateType: "UpdateProjectInput",
    fields: [{ name: "title", label: "form.title", required: true, max: 300 },
      { name: "relation", kind: "enum", type: "ProjectRelation", values: ["LED", "CONTRIBUTED"], label: "form.relation" },
      { name: "role", label: "form.role", max: 200 },
      { name: "scale", kind: "enum", type: "ProjectScale", values: ["INTERNATIONAL", "NATIONAL", "MINISTRY", "PROVINCE", "INSTITUTIONAL", "INDUSTRY"], label: "form.scale" },
      { name: "outcome", kind: "enum", type: "ProjectOutcome", values: ["ONGOING", "COMPLETED", "APPLIED", "TRANSFERRED"], label: "form.outcome" },
      { name: "startYear", label: "form.startYear", ...YEAR }, { name: "endYear", label: "form.endYear", ...YEAR },
      { name: "interdisciplinary", kind: "checkbox", label: "form.interdisciplinary" },
      { name: "summary", kind: "textarea", label: "form.summary", max: 2000, span: true }],
    carry: (p) => ({ areas: (p.areas || []).map((a) => a.id), budgetUsd: p.budgetUsd ?? null }),
    summary: (p) => [h("strong", {}, p.title), " ", h("span", { class: "muted" }, [enumLabel("ProjectRelation", p.relation), enumLabel("ProjectScale", p.scale), [p.startYear, p.endYear].filter(Boolean).join("–")].filter(Boolean).join(" · "))],
  },
  {
    key: "awards", title: "me.awards", add: "addAward", update: "updateAward", remove: "removeAward",
    addType: "AddAwardInput", updateType: "UpdateAwardInput",
    fields: [{ name: "title", label: "form.title", required: true, max: 300 }, { name: "year", label: "form.year", ...YEAR },
      { name: "international", kind: "checkbox", label: "form.international" }],
    summary: (a) => [h("strong", {}, a.title), " ", h("span", { class: "muted" }, a.year || ""), a.international ? [" ", badge(t("expert.international"), "ok")] : null],
  },
];

/** The form of one item; returns {node, controls, read()}; read() is null when a check fails. */
function itemForm(spec, item) {
  const controls = {};
  const parts = [];
  let org = null;
  for (const f of spec.fields) {
    const value = item ? item[f.name] : undefined;
    if (f.kind === "org") {
      org = organizationField(item ? item.organization : null, t(f.label));
      Object.entries(org.controls).forEach(([k, c]) => { controls[k] = c; });
      parts.push(h("div", { class: "span-2" }, org.nodes));
      continue;
    }
    let control;
    if (f.kind === "enum") control = enumSelect(f.type, f.values, value || "", {});
    else if (f.kind === "country") control = countrySelect(value || "", {});
    else if (f.kind === "checkbox") control = h("input", { type: "checkbox", checked: Boolean(value) });
    else if (f.kind === "textarea") control = h("textarea", { maxlength: f.max || null }, value || "");
    else {
      control = h("input", {
        type: f.type || "text", min: f.min ?? null, max: f.type === "number" ? f.max ?? null : null,
        maxlength: f.type === "number" ? null : f.max || null, value: value ?? (f.default ?? ""),
        "data-pattern": f.pattern || null, "data-pattern-msg": f.patternMsg || null,
        inputmode: f.type === "number" ? "numeric" : null,
      });
    }
    controls[f.name] = control;
    if (f.kind === "checkbox") {
      control.id = nextId(f.name);
      parts.push(h("div", { class: "choice" }, control, h("label", { for: control.id }, t(f.label))));
    } else {
      const wrapped = field(t(f.label), control, { required: f.required, hint: f.hint ? t(f.hint) : null, className: f.span ? "span-2" : "" });
      parts.push(wrapped);
    }
  }
  return {
    node: h("div", { class: "form-grid" }, parts),
    controls,
    read() {
      const plain = Object.entries(controls).filter(([k]) => !k.startsWith("organization.")).map(([, c]) => c);
      if (!checkControls(plain) || (org && !org.check())) return null;
      // Fields the form does not show are sent back as they were, so an edit keeps them.
      const out = item && spec.carry ? spec.carry(item) : {};
      for (const f of spec.fields) {
        if (f.kind === "org") out.organization = org.value();
        else if (f.kind === "checkbox") out[f.name] = controls[f.name].checked;
        else {
          const v = valueOf(controls[f.name]);
          out[f.name] = v === null && f.default !== undefined ? f.default : v;
        }
      }
      return out;
    },
  };
}

/**
 * A list section. `ctx` gives: expert() (the profile as last read), edit(section, name, type,
 * build(version), {controls, prefix}) which runs a mutation and resolves true on success.
 */
export function listSection(spec, ctx) {
  const headingId = `h-${spec.key}`;
  const list = h("ul", { class: "edit-list" });
  const status = h("div", { class: "section-status", "aria-live": "polite" });
  const formHolder = h("div");
  const section = h("section", { class: "card section-form", "aria-labelledby": headingId, id: `edit-${spec.key}` });
  const me = { status, section };

  function openForm(position) {
    const items = ctx.expert()[spec.key];
    const item = position === null ? null : items[position];
    const form = itemForm(spec, item);
    const legend = position === null ? t("me.addItem", { what: t(spec.title) }) : t("me.editItem", { what: t(spec.title) });
    const fieldset = h("form", {
      class: "repeat-item", novalidate: true, "aria-label": legend,
      onsubmit: async (event) => {
        event.preventDefault();
        const value = form.read();
        if (!value) return;
        const ok = position === null
          ? await ctx.edit(me, spec.add, spec.addType, (version) => ({ id: ctx.expert().id, version, item: value }), { controls: form.controls, prefix: "item." })
          : await ctx.edit(me, spec.update, spec.updateType, (version) => ({ id: ctx.expert().id, version, position, item: value }), { controls: form.controls, prefix: "item." });
        if (ok) {
          clear(formHolder);
          draw();
          addButton.focus();
        }
      },
    },
    h("h3", {}, legend), form.node,
    h("div", { class: "actions" },
      h("button", { type: "submit", class: "btn btn-primary" }, t("common.save")),
      h("button", { type: "button", class: "btn", onclick: () => { clear(formHolder); addButton.focus(); } }, t("common.cancel"))));
    replace(formHolder, fieldset);
    const first = fieldset.querySelector("input, select, textarea");
    if (first) first.focus();
  }

  async function remove(position) {
    const ok = await ctx.edit(me, spec.remove, "RemoveItemInput", (version) => ({ id: ctx.expert().id, version, position }), {});
    if (ok) draw();
  }

  function draw() {
    const items = ctx.expert()[spec.key] || [];
    replace(list, ...(items.length ? items.map((item, i) => h("li", { class: "edit-item" },
      h("div", { class: "edit-summary" }, spec.summary(item)),
      h("div", { class: "edit-actions" },
        h("button", { type: "button", class: "btn btn-small", "aria-label": `${t("common.edit")}: ${itemName(item)}`, onclick: () => openForm(i) }, t("common.edit")),
        h("button", { type: "button", class: "btn btn-small btn-danger", "aria-label": `${t("common.remove")}: ${itemName(item)}`, onclick: () => remove(i) }, t("common.remove")))))
      : [h("li", { class: "muted" }, t("expert.none"))]));
  }

  const addButton = h("button", { type: "button", class: "btn btn-small", onclick: () => openForm(null) }, `+ ${t("common.add")}`);
  section.append(h("h2", { id: headingId }, h("span", {}, t(spec.title)), addButton), list, formHolder, status);
  draw();
  me.redraw = draw;
  return me;
}

function itemName(item) {
  return item.title || (item.organization && item.organization.name) || enumLabel("Degree", item.degree) || "";
}
