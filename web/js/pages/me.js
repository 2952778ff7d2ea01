// My profile (experts): every section editable with inline validation; a version conflict is
// explained with a way forward (reload, or save my change over the newer version); visibility
// and consent switches; a completeness hint that says what would improve matches.

import { clear, h, nextId, replace } from "../dom.js";
import { gql } from "../gql.js";
import { enumLabel, localName, t } from "../i18n.js";
import { announce, button, errorMessage, field, message } from "../components/ui.js";
import { checkControls, clearErrors, countrySelect, enumSelect, fieldErrorList, listOf, mutate, showFieldErrors, valueOf } from "../components/forms.js";
import { resultText } from "../components/problems.js";
import { LIST_SECTIONS, listSection } from "../components/profile-lists.js";
import { completeness } from "../components/completeness.js";
import { rememberSkills, skillCombobox } from "../components/skills.js";

export const ME_FIELDS = `id fullName honorific headline bio homepage residenceCountry city diaspora
  nationalities languages yearsExperience hIndex citations availability availableFrom
  willingToRelocate remoteOk visibility contactConsent orcid verified version gender birthYear
  contact { email phone }
  skills { level years source skill { id nameVi nameEn } }
  employment { title from to organization { id name nameVi country kind } }
  education { degree field year organization { id name nameVi country kind } }
  publications { id doi title abstract year venue citations }
  patents { id number title year country granted applied }
  projects { id title summary relation role scale outcome budgetUsd startYear endYear interdisciplinary areas { id } }
  awards { id title year international }`;

const QUERY = `query MyProfile { me { account { id role expertId } expert { ${ME_FIELDS} } } }`;
const UPDATED = `... on ProfileUpdated { expert { ${ME_FIELDS} } }`;
// Their results have no ValidationFailed.
const SETTINGS = new Set(["setAvailability", "setVisibility", "setContactConsent"]);
const HONORIFICS = ["GS.", "PGS.", "TSKH.", "TS.", "ThS.", "KS.", "CN."];

export async function render(ctx) {
  ctx.setTitle(t("me.title"));
  const data = await gql(QUERY);
  const state = { expert: data.me && data.me.expert };
  if (!state.expert) {
    return h("section", { class: "page" }, h("h1", {}, t("me.title")), message("info", t("me.noProfile")));
  }
  rememberSkills(state.expert.skills.map((s) => s.skill));
  const hintHolder = h("div");
  const listeners = [];
  const drawHint = () => replace(hintHolder, completeness(state.expert));

  /**
   * Run a profile mutation built for the version read; show the outcome in the section.
   * Resolves true when the profile was updated.
   */
  async function edit(section, name, type, build, { controls = {}, prefix = "" } = {}, version = state.expert.version) {
    clear(section.status);
    clearErrors(controls);
    let result;
    try {
      result = await mutate(name, type, build(version), UPDATED, { validation: !SETTINGS.has(name), conflict: true });
    } catch (err) {
      section.status.append(errorMessage(err));
      return false;
    }
    if (result.__typename === "ProfileUpdated") {
      state.expert = result.expert;
      rememberSkills(state.expert.skills.map((s) => s.skill));
      drawHint();
      listeners.forEach((fn) => fn(section));
      section.status.append(message("ok", t("me.saved")));
      announce(t("me.saved"));
      return true;
    }
    if (result.__typename === "ValidationFailed") {
      const rest = showFieldErrors(controls, result.fields, { prefix });
      section.status.append(message("error", t("me.invalid"), fieldErrorList(rest)));
      return false;
    }
    if (result.__typename === "VersionConflict") {
      return new Promise((resolve) => {
        const overwrite = button(t("me.conflictOverwrite"), {
          class: "btn btn-primary",
          onclick: async () => resolve(await edit(section, name, type, build, { controls, prefix }, result.currentVersion)),
        });
        const reload = button(t("me.conflictReload"), { onclick: () => window.dispatchEvent(new HashChangeEvent("hashchange")) });
        section.status.append(h("div", { class: "message message-warn conflict", role: "alert" },
          h("p", {}, h("strong", {}, t("me.conflictTitle"))),
          h("p", {}, t("me.conflictBody", { mine: result.expectedVersion, now: result.currentVersion })),
          h("div", { class: "actions" }, overwrite, reload)));
        overwrite.focus();
      });
    }
    section.status.append(message("error", resultText(result)));
    return false;
  }

  const api = { expert: () => state.expert, edit };
  const basics = basicsSection(state, api);
  const availability = availabilitySection(state, api);
  const visibility = visibilitySection(state, api);
  const skills = skillsSection(state, api);
  const lists = LIST_SECTIONS.map((spec) => listSection(spec, api));
  // A list redraws after any change (the positions of its items follow the latest version).
  listeners.push((origin) => lists.forEach((l) => { if (l !== origin) l.redraw(); }));
  listeners.push((origin) => { if (origin !== skills) skills.reset(); });
  drawHint();

  const e = state.expert;
  return h("section", { class: "page page-me" },
    h("div", { class: "page-header" },
      h("h1", {}, t("me.title")),
      h("a", { class: "btn", href: `#/experts/${encodeURIComponent(e.id)}` }, t("me.viewPublic"))),
    h("p", { class: "lead" }, t("me.intro")),
    h("div", { class: "two-col" },
      h("div", {}, basics.section, skills.section, availability.section, ...lists.map((l) => l.section)),
      h("div", { class: "me-side" }, hintHolder, visibility.section)));
}

function sectionShell(key, title) {
  const headingId = `h-${key}`;
  const status = h("div", { class: "section-status", "aria-live": "polite" });
  const section = h("section", { class: "card section-form", "aria-labelledby": headingId, id: `edit-${key}` }, h("h2", { id: headingId }, title));
  return { section, status };
}

function basicsSection(state, api) {
  const shell = sectionShell("basics", t("me.basics"));
  const e = state.expert;
  const c = {
    fullName: h("input", { type: "text", value: e.fullName, maxlength: 200, autocomplete: "name" }),
    honorific: h("select", {}, h("option", { value: "" }, t("form.none")), [...new Set([...HONORIFICS, ...(e.honorific ? [e.honorific] : [])])].map((v) => h("option", { value: v, selected: v === e.honorific }, v))),
    headline: h("input", { type: "text", value: e.headline || "", maxlength: 200 }),
    bio: h("textarea", { maxlength: 5000, rows: 5 }, e.bio || ""),
    email: h("input", { type: "email", value: (e.contact && e.contact.email) || "", autocomplete: "email" }),
    phone: h("input", { type: "tel", value: (e.contact && e.contact.phone) || "", autocomplete: "tel" }),
    homepage: h("input", { type: "url", value: e.homepage || "" }),
    residenceCountry: countrySelect(e.residenceCountry, { required: true }),
    city: h("input", { type: "text", value: e.city || "", maxlength: 100 }),
    diaspora: enumSelect("Diaspora", ["DOMESTIC", "OVERSEAS", "RETURNEE"], e.diaspora || ""),
    languages: h("input", { type: "text", value: e.languages.join(", "), "data-pattern": "^[a-zA-Z]{2}(\\s*[,;]\\s*[a-zA-Z]{2})*$", "data-pattern-msg": "form.languagesFormat" }),
    nationalities: h("input", { type: "text", value: e.nationalities.join(", "), "data-pattern": "^[a-zA-Z]{2}(\\s*[,;]\\s*[a-zA-Z]{2})*$", "data-pattern-msg": "form.countriesFormat" }),
    yearsExperience: h("input", { type: "number", min: 0, max: 70, value: e.yearsExperience, inputmode: "numeric" }),
    hIndex: h("input", { type: "number", min: 0, max: 500, value: e.hIndex, inputmode: "numeric" }),
    citations: h("input", { type: "number", min: 0, max: 10000000, value: e.citations, inputmode: "numeric" }),
    orcid: h("input", { type: "text", value: e.orcid || "", "data-pattern": "^\\d{4}-\\d{4}-\\d{4}-\\d{3}[\\dX]$", "data-pattern-msg": "form.orcidFormat" }),
    birthYear: h("input", { type: "number", min: 1900, max: 2015, value: e.birthYear ?? "", inputmode: "numeric" }),
    gender: enumSelect("Gender", ["FEMALE", "MALE", "OTHER"], e.gender || ""),
  };
  const f = (key, label, opts) => field(t(label), c[key], opts);
  const form = h("form", {
    novalidate: true, "aria-labelledby": "h-basics",
    onsubmit: async (event) => {
      event.preventDefault();
      if (!checkControls(Object.values(c))) return;
      await api.edit(shell, "updateProfile", "UpdateProfileInput", (version) => ({
        id: state.expert.id, version,
        fullName: valueOf(c.fullName), honorific: valueOf(c.honorific), headline: valueOf(c.headline), bio: valueOf(c.bio),
        email: valueOf(c.email), phone: valueOf(c.phone), homepage: valueOf(c.homepage),
        residenceCountry: valueOf(c.residenceCountry), city: valueOf(c.city), diaspora: valueOf(c.diaspora),
        languages: listOf(c.languages).map((s) => s.toLowerCase()), nationalities: listOf(c.nationalities).map((s) => s.toUpperCase()),
        yearsExperience: valueOf(c.yearsExperience) ?? null, hIndex: valueOf(c.hIndex) ?? 0, citations: valueOf(c.citations) ?? 0,
        orcid: valueOf(c.orcid), birthYear: valueOf(c.birthYear), gender: valueOf(c.gender),
      }), { controls: c });
    },
  },
  h("div", { class: "form-grid" },
    f("fullName", "form.fullName", { required: true }), f("honorific", "form.honorific"),
    f("headline", "form.headline", { hint: t("form.headlineHint"), className: "span-2" }),
    f("bio", "form.bio", { className: "span-2" }),
    f("residenceCountry", "form.residenceCountry", { required: true }), f("city", "form.city"),
    f("diaspora", "form.diaspora", { hint: t("form.diasporaHint") }), f("yearsExperience", "form.yearsExperience"),
    f("languages", "form.languages", { hint: t("form.languagesHint") }), f("nationalities", "form.nationalities", { hint: t("form.nationalitiesHint") }),
    f("email", "form.email"), f("phone", "form.phone"), f("homepage", "form.homepage"), f("orcid", "form.orcid", { hint: "0000-0002-1825-0097" }),
    f("hIndex", "form.hIndex"), f("citations", "form.citationsTotal")),
  h("fieldset", { class: "choices protected" },
    h("legend", {}, t("form.protected")),
    h("p", { class: "field-hint" }, t("form.protectedHint")),
    h("div", { class: "form-grid" }, f("birthYear", "form.birthYear"), f("gender", "form.gender"))),
  h("div", { class: "actions" }, h("button", { type: "submit", class: "btn btn-primary" }, t("me.saveBasics"))));
  shell.section.append(form, shell.status);
  return shell;
}

function availabilitySection(state, api) {
  const shell = sectionShell("availability", t("me.availability"));
  const e = state.expert;
  const c = {
    availability: enumSelect("Availability", ["FULL_TIME", "PART_TIME", "ADVISORY", "UNAVAILABLE"], e.availability || ""),
    availableFrom: h("input", { type: "date", value: e.availableFrom || "" }),
    willingToRelocate: h("input", { type: "checkbox", checked: e.willingToRelocate, id: nextId("relocate") }),
    remoteOk: h("input", { type: "checkbox", checked: e.remoteOk, id: nextId("remote") }),
  };
  const form = h("form", {
    novalidate: true, "aria-labelledby": "h-availability",
    onsubmit: async (event) => {
      event.preventDefault();
      await api.edit(shell, "setAvailability", "SetAvailabilityInput", (version) => ({
        id: state.expert.id, version, availability: valueOf(c.availability), availableFrom: valueOf(c.availableFrom),
        willingToRelocate: c.willingToRelocate.checked, remoteOk: c.remoteOk.checked,
      }), { controls: c });
    },
  },
  h("div", { class: "form-grid" }, field(t("expert.availability"), c.availability), field(t("expert.availableFrom"), c.availableFrom)),
  h("div", { class: "choice" }, c.willingToRelocate, h("label", { for: c.willingToRelocate.id }, t("expert.relocate"))),
  h("div", { class: "choice" }, c.remoteOk, h("label", { for: c.remoteOk.id }, t("expert.remote"))),
  h("div", { class: "actions" }, h("button", { type: "submit", class: "btn btn-primary" }, t("me.saveAvailability"))));
  shell.section.append(form, shell.status);
  return shell;
}

function visibilitySection(state, api) {
  const shell = sectionShell("visibility", t("me.visibility"));
  const name = nextId("visibility");
  const radios = ["PUBLIC", "REGISTERED", "PRIVATE"].map((v) => {
    const id = nextId("vis");
    const input = h("input", {
      type: "radio", name, id, value: v, checked: state.expert.visibility === v,
      onchange: () => api.edit(shell, "setVisibility", "SetVisibilityInput", (version) => ({ id: state.expert.id, version, visibility: v })),
    });
    return h("div", { class: "choice" }, input, h("label", { for: id }, h("strong", {}, enumLabel("Visibility", v)), h("br"), h("span", { class: "small muted" }, t(`me.visibility.${v}`))));
  });
  const consentId = nextId("consent");
  const consent = h("input", {
    type: "checkbox", id: consentId, role: "switch", checked: state.expert.contactConsent,
    onchange: (event) => api.edit(shell, "setContactConsent", "SetContactConsentInput", (version) => ({ id: state.expert.id, version, contactConsent: event.target.checked })),
  });
  shell.section.append(
    h("fieldset", { class: "choices" }, h("legend", {}, t("me.whoSees")), radios),
    h("div", { class: "choice" }, consent, h("label", { for: consentId }, h("strong", {}, t("me.consent")), h("br"), h("span", { class: "small muted" }, t("me.consentHint")))),
    shell.status);
  return shell;
}

function skillsSection(state, api) {
  const shell = sectionShell("skills", t("me.skills"));
  let rows = [];
  const body = h("div");
  const controls = {};

  function reset() {
    rows = state.expert.skills.map((s) => ({ skill: s.skill, level: s.level, years: s.years, source: s.source }));
    draw();
  }

  function draw() {
    Object.keys(controls).forEach((k) => delete controls[k]);
    clear(body);
    if (!rows.length) {
      body.append(h("p", { class: "muted" }, t("me.noSkills")));
      return;
    }
    body.append(h("div", { class: "table-wrap" }, h("table", { class: "table" },
      h("thead", {}, h("tr", {}, h("th", { scope: "col" }, t("expert.skill")), h("th", { scope: "col" }, t("expert.level")), h("th", { scope: "col" }, t("expert.skillYears")), h("th", { scope: "col" }, h("span", { class: "visually-hidden" }, t("common.remove"))))),
      h("tbody", {}, rows.map((row, i) => {
        const name = localName(row.skill);
        const level = h("select", { "aria-label": t("me.levelOf", { name }), onchange: (e) => { row.level = Number(e.target.value); } },
          [1, 2, 3, 4, 5].map((n) => h("option", { value: n, selected: n === row.level }, `${n} – ${t(`level.${n}`)}`)));
        const years = h("input", { type: "number", min: 0, max: 60, value: row.years, inputmode: "numeric", "aria-label": t("me.yearsOf", { name }), id: nextId("years"), onchange: (e) => { row.years = Number(e.target.value) || 0; } });
        level.id = nextId("level");
        controls[`skills.${i}.level`] = level;
        controls[`skills.${i}.years`] = years;
        return h("tr", {},
          h("th", { scope: "row" }, name, row.source === "VERIFIED" ? h("span", { class: "small muted" }, ` (${enumLabel("SkillSource", "VERIFIED")})`) : null),
          h("td", {}, level),
          h("td", {}, years, h("p", { class: "field-error", id: `${years.id}-error`, hidden: true })),
          h("td", {}, h("button", { type: "button", class: "btn btn-small btn-danger", "aria-label": t("skills.remove", { name }), onclick: () => { rows.splice(i, 1); draw(); } }, "×")));
      })))));
  }

  const picker = skillCombobox({
    label: t("me.addSkill"), hint: t("search.skillsHint"),
    exclude: () => rows.map((r) => r.skill.id),
    onPick: (skill) => { rows.push({ skill, level: 3, years: 0 }); draw(); },
  });
  const save = h("button", {
    type: "button", class: "btn btn-primary",
    onclick: async () => {
      if (!checkControls(Object.values(controls))) return;
      await api.edit(shell, "setSkills", "SetSkillsInput", (version) => ({
        id: state.expert.id, version, skills: rows.map((r) => ({ skill: r.skill.id, level: r.level, years: r.years })),
      }), { controls });
    },
  }, t("me.saveSkills"));
  shell.section.append(h("p", { class: "field-hint" }, t("me.skillsHint")), body, picker, h("div", { class: "actions" }, save), shell.status);
  shell.reset = reset;
  reset();
  return shell;
}
