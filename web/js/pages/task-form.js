// Post or edit a task (programme leads and administrators): what must be built, the role
// sought, where and when, the strategic-technology groups, and the skills needed (picked from
// the bilingual taxonomy, each with a weight, a minimum level and whether it is a must).

import { clear, h, nextId, replace } from "../dom.js";
import { gql } from "../gql.js";
import { enumLabel, localName, t } from "../i18n.js";
import { navigate } from "../router.js";
import { errorMessage, field, message } from "../components/ui.js";
import { checkControls, clearErrors, countrySelect, enumSelect, fieldErrorList, listOf, mutate, showFieldErrors, valueOf } from "../components/forms.js";
import { resultText } from "../components/problems.js";
import { rememberSkills, skillCombobox } from "../components/skills.js";
import { currentTechList, techLists } from "../components/taxonomy.js";

export const TASK_FIELDS = `id code title description objectives products roleSought chiefEngineerKind
  minYears languages location { country city } onsite start durationMonths budgetUsd awardMode
  status techListId postedBy createdAt updatedAt closedAt version
  requirements { weight mustHave minLevel skill { id nameVi nameEn } }
  areas { id code nameVi nameEn } programme { id code title }`;

const LOAD = `query TaskForEdit($id: ID!) { task(id: $id) { ${TASK_FIELDS} } }`;
const ROLES = ["CHIEF_ENGINEER", "PRINCIPAL_INVESTIGATOR", "MEMBER", "ADVISOR"];
const KINDS = ["SYSTEM", "PROJECT", "ARCHITECT"];
const ONSITE = ["ONSITE", "HYBRID", "REMOTE"];
const AWARD = ["OPEN_SELECTION", "DIRECT_ASSIGNMENT"];
const WEIGHTS = [1, 0.8, 0.6, 0.4, 0.2];

export async function render(ctx) {
  const editing = Boolean(ctx.params.id);
  ctx.setTitle(editing ? t("taskForm.editTitle") : t("taskForm.newTitle"));
  const [lists, current, loaded] = await Promise.all([techLists(), currentTechList(), editing ? gql(LOAD, { id: ctx.params.id }) : null]);
  const task = loaded ? loaded.task : null;
  if (editing && !task) return h("section", { class: "page" }, h("h1", {}, t("taskForm.editTitle")), message("info", t("task.notFound")));
  if (task) rememberSkills(task.requirements.map((r) => r.skill).filter(Boolean));

  const c = {
    title: h("input", { type: "text", maxlength: 200, value: task ? task.title : "" }),
    description: h("textarea", { rows: 5, maxlength: 10000 }, task ? task.description : ""),
    objectives: h("textarea", { rows: 3, maxlength: 5000 }, task && task.objectives ? task.objectives : ""),
    products: h("textarea", { rows: 3 }, task ? task.products.join("\n") : ""),
    roleSought: enumSelect("TaskRole", ROLES, task ? task.roleSought : "", { required: true }),
    chiefEngineerKind: enumSelect("ChiefEngineerKind", KINDS, task ? task.chiefEngineerKind : ""),
    minYears: h("input", { type: "number", min: 0, max: 60, value: task ? task.minYears : 0, inputmode: "numeric" }),
    languages: h("input", { type: "text", value: task ? task.languages.join(", ") : "vi", "data-pattern": "^[a-zA-Z]{2}(\\s*[,;]\\s*[a-zA-Z]{2})*$", "data-pattern-msg": "form.languagesFormat" }),
    onsite: enumSelect("OnsiteMode", ONSITE, task ? task.onsite : "", { required: true }),
    "location.country": countrySelect(task && task.location ? task.location.country : "VN"),
    "location.city": h("input", { type: "text", maxlength: 100, value: task && task.location ? task.location.city || "" : "" }),
    start: h("input", { type: "date", value: task && task.start ? task.start : "" }),
    durationMonths: h("input", { type: "number", min: 1, max: 120, value: task && task.durationMonths ? task.durationMonths : "", inputmode: "numeric" }),
    budgetUsd: h("input", { type: "number", min: 0, step: "any", value: task && task.budgetUsd ? task.budgetUsd : "", inputmode: "decimal" }),
    awardMode: enumSelect("AwardMode", AWARD, task ? task.awardMode : "OPEN_SELECTION", {}, { empty: false }),
    techListId: h("select", { required: true }, lists.map((l) => h("option", { value: l.id, selected: task ? task.techListId === l.id : current && current.id === l.id }, `${localName(l)}${l.decision ? ` (${l.decision})` : ""}`))),
  };
  const ceField = field(t("taskForm.chiefEngineerKind"), c.chiefEngineerKind, { hint: t("taskForm.chiefEngineerKindHint") });
  const showKind = () => { ceField.hidden = c.roleSought.value !== "CHIEF_ENGINEER"; };
  c.roleSought.addEventListener("change", showKind);
  showKind();
  const locationFields = h("div", { class: "form-grid" }, field(t("taskForm.country"), c["location.country"]), field(t("taskForm.city"), c["location.city"]));
  const showLocation = () => { locationFields.hidden = c.onsite.value === "REMOTE"; };
  c.onsite.addEventListener("change", showLocation);
  showLocation();

  // Strategic-technology groups of the chosen list.
  const areasHolder = h("div");
  const chosenAreas = new Set(task ? task.areas.map((a) => a.id) : []);
  const areaError = h("p", { class: "field-error", id: "areas-error", hidden: true });
  function drawAreas() {
    const list = lists.find((l) => l.id === c.techListId.value);
    replace(areasHolder, h("fieldset", { class: "choices", "aria-describedby": "areas-error" },
      h("legend", {}, t("taskForm.areas"), h("span", { class: "required", "aria-hidden": "true" }, " *")),
      (list ? list.areas : []).map((a) => {
        const id = nextId("area");
        return h("div", { class: "choice" }, h("input", {
          type: "checkbox", id, value: a.id, checked: chosenAreas.has(a.id),
          onchange: (e) => { if (e.target.checked) chosenAreas.add(a.id); else chosenAreas.delete(a.id); },
        }), h("label", { for: id }, localName(a)));
      }), areaError));
  }
  c.techListId.addEventListener("change", () => { chosenAreas.clear(); drawAreas(); });
  drawAreas();

  // Requirements: skills with weight, minimum level and must-have.
  const reqs = task ? task.requirements.filter((r) => r.skill).map((r) => ({ ...r })) : [];
  const reqHolder = h("div");
  const reqControls = {};
  const reqError = h("p", { class: "field-error", id: "requirements-error", hidden: true });
  function drawReqs() {
    Object.keys(reqControls).forEach((k) => delete reqControls[k]);
    clear(reqHolder);
    if (!reqs.length) reqHolder.append(h("p", { class: "muted" }, t("taskForm.noRequirements")));
    reqs.forEach((r, i) => {
      const name = localName(r.skill);
      const weight = h("select", { id: nextId("w"), onchange: (e) => { r.weight = Number(e.target.value); } }, WEIGHTS.map((w) => h("option", { value: w, selected: Math.abs(w - r.weight) < 1e-9 }, t(`taskForm.weight.${w}`))));
      const level = h("select", { id: nextId("l"), onchange: (e) => { r.minLevel = Number(e.target.value); } }, [1, 2, 3, 4, 5].map((n) => h("option", { value: n, selected: n === r.minLevel }, `${n} – ${t(`level.${n}`)}`)));
      const must = h("input", { type: "checkbox", id: nextId("m"), checked: r.mustHave, onchange: (e) => { r.mustHave = e.target.checked; } });
      reqControls[`requirements.${i}.weight`] = weight;
      reqControls[`requirements.${i}.minLevel`] = level;
      reqHolder.append(h("div", { class: "requirement-row", role: "group", "aria-label": name },
        h("div", { class: "requirement-name" }, name),
        field(t("taskForm.weight"), weight), field(t("taskForm.minLevel"), level),
        h("div", { class: "choice" }, must, h("label", { for: must.id }, t("taskForm.mustHave"))),
        h("button", { type: "button", class: "btn btn-small btn-danger", "aria-label": t("skills.remove", { name }), onclick: () => { reqs.splice(i, 1); drawReqs(); } }, "×")));
    });
  }
  drawReqs();
  const picker = skillCombobox({
    label: t("taskForm.addSkill"), hint: t("search.skillsHint"),
    exclude: () => reqs.map((r) => r.skill.id),
    onPick: (skill) => { reqs.push({ skill, weight: 1, mustHave: false, minLevel: 3 }); drawReqs(); reqError.hidden = true; },
  });

  const statusName = nextId("status");
  const statusRadios = ["DRAFT", "OPEN"].map((s) => {
    const id = nextId("st");
    return h("div", { class: "choice" }, h("input", { type: "radio", name: statusName, id, value: s, checked: (task ? task.status : "DRAFT") === s }),
      h("label", { for: id }, h("strong", {}, enumLabel("TaskStatus", s)), " — ", t(`taskForm.status.${s}`)));
  });
  const status = h("div", { class: "section-status", "aria-live": "polite" });
  const f = (key, label, opts) => field(t(label), c[key], opts);

  function input(version) {
    const onsite = valueOf(c.onsite);
    const body = {
      title: valueOf(c.title), description: valueOf(c.description), objectives: valueOf(c.objectives),
      products: c.products.value.split("\n").map((s) => s.trim()).filter(Boolean),
      roleSought: valueOf(c.roleSought), chiefEngineerKind: c.roleSought.value === "CHIEF_ENGINEER" ? valueOf(c.chiefEngineerKind) : null,
      minYears: valueOf(c.minYears) ?? 0, languages: listOf(c.languages).map((s) => s.toLowerCase()), onsite,
      location: onsite === "REMOTE" || !c["location.country"].value ? null : { country: c["location.country"].value, city: valueOf(c["location.city"]) },
      start: valueOf(c.start), durationMonths: valueOf(c.durationMonths), budgetUsd: valueOf(c.budgetUsd),
      awardMode: valueOf(c.awardMode), techListId: c.techListId.value, areas: [...chosenAreas],
      requirements: reqs.map((r) => ({ skill: r.skill.id, weight: r.weight, mustHave: r.mustHave, minLevel: r.minLevel })),
      status: document.querySelector(`input[name="${statusName}"]:checked`).value,
    };
    return task ? { id: task.id, version, ...body } : body;
  }

  async function submit(event, version = task ? task.version : null) {
    if (event) event.preventDefault();
    clear(status);
    clearErrors({ ...c, ...reqControls });
    c.title.required = true;
    c.description.required = true;
    c["location.country"].required = c.onsite.value !== "REMOTE";
    let ok = checkControls(Object.values(c));
    areaError.hidden = chosenAreas.size > 0;
    areaError.textContent = t("taskForm.areasRequired");
    reqError.hidden = reqs.length > 0;
    reqError.textContent = t("taskForm.requirementsRequired");
    if (!chosenAreas.size || !reqs.length) ok = false;
    if (!ok) {
      status.append(message("error", t("me.invalid")));
      return;
    }
    let result;
    try {
      result = task
        ? await mutate("updateTask", "UpdateTaskInput", input(version), "... on TaskUpdated { task { id } }", { conflict: true })
        : await mutate("postTask", "PostTaskInput", input(version), "... on TaskPosted { task { id } }");
    } catch (err) {
      status.append(errorMessage(err));
      return;
    }
    if (result.__typename === "TaskPosted" || result.__typename === "TaskUpdated") {
      navigate(`/tasks/${result.task.id}`);
      return;
    }
    if (result.__typename === "ValidationFailed") {
      const rest = showFieldErrors({ ...c, ...reqControls }, result.fields);
      status.append(message("error", t("me.invalid"), fieldErrorList(rest)));
      return;
    }
    if (result.__typename === "VersionConflict") {
      status.append(h("div", { class: "message message-warn conflict", role: "alert" },
        h("p", {}, h("strong", {}, t("taskForm.conflictTitle"))),
        h("p", {}, t("me.conflictBody", { mine: result.expectedVersion, now: result.currentVersion })),
        h("div", { class: "actions" },
          h("button", { type: "button", class: "btn btn-primary", onclick: () => submit(null, result.currentVersion) }, t("me.conflictOverwrite")),
          h("button", { type: "button", class: "btn", onclick: () => window.dispatchEvent(new HashChangeEvent("hashchange")) }, t("me.conflictReload")))));
      return;
    }
    status.append(message("error", resultText(result)));
  }

  const form = h("form", { class: "task-form", novalidate: true, onsubmit: submit },
    h("section", { class: "card section-form", "aria-labelledby": "h-what" }, h("h2", { id: "h-what" }, t("taskForm.what")),
      f("title", "taskForm.title", { required: true }), f("description", "taskForm.description", { required: true }),
      f("objectives", "taskForm.objectives"), f("products", "taskForm.products", { hint: t("taskForm.productsHint") })),
    h("section", { class: "card section-form", "aria-labelledby": "h-who" }, h("h2", { id: "h-who" }, t("taskForm.who")),
      h("div", { class: "form-grid" }, f("roleSought", "taskForm.roleSought", { required: true }), ceField,
        f("minYears", "taskForm.minYears"), f("languages", "taskForm.languages", { hint: t("form.languagesHint") }))),
    h("section", { class: "card section-form", "aria-labelledby": "h-skills" }, h("h2", { id: "h-skills" }, t("taskForm.skills")),
      h("p", { class: "field-hint" }, t("taskForm.skillsHint")), reqHolder, picker, reqError),
    h("section", { class: "card section-form", "aria-labelledby": "h-areas" }, h("h2", { id: "h-areas" }, t("taskForm.areasTitle")),
      f("techListId", "taskForm.techList", { required: true }), areasHolder),
    h("section", { class: "card section-form", "aria-labelledby": "h-where" }, h("h2", { id: "h-where" }, t("taskForm.where")),
      h("div", { class: "form-grid" }, f("onsite", "taskForm.onsite", { required: true }), f("start", "taskForm.start")), locationFields,
      h("div", { class: "form-grid" }, f("durationMonths", "taskForm.duration"), f("budgetUsd", "taskForm.budget"), f("awardMode", "taskForm.awardMode"))),
    h("section", { class: "card section-form", "aria-labelledby": "h-status" }, h("h2", { id: "h-status" }, t("taskForm.statusTitle")),
      h("fieldset", { class: "choices" }, h("legend", {}, t("taskForm.statusLegend")), statusRadios)),
    h("div", { class: "sticky-actions" }, status,
      h("div", { class: "actions" },
        h("button", { type: "submit", class: "btn btn-primary" }, task ? t("taskForm.save") : t("taskForm.post")),
        h("a", { class: "btn", href: task ? `#/tasks/${encodeURIComponent(task.id)}` : "#/tasks" }, t("common.cancel")))));
  return h("section", { class: "page page-task-form" },
    h("h1", {}, task ? t("taskForm.editHeading", { code: task.code }) : t("taskForm.newTitle")),
    h("p", { class: "lead" }, t("taskForm.intro")),
    form);
}
