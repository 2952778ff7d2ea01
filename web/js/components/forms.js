// Form helpers shared by the editing pages: country and enum selects, reading values,
// client-side checks with translated messages, and mutations whose expected failures come
// back as typed results (ValidationFailed, VersionConflict, NotFound, NotAllowed).

import { h } from "../dom.js";
import { gql } from "../gql.js";
import { countryName, enumLabel, t } from "../i18n.js";
import { COUNTRY_CODES } from "../countries.js";
import { setFieldError } from "./ui.js";
import { fieldErrorLine, fieldErrorText } from "./problems.js";

/**
 * Run `name(input: $input)` and return its result (with __typename). Every expected failure
 * implements UserError (its `message`); `validation` and `conflict` ask for the details of
 * ValidationFailed and VersionConflict, for results whose union has them.
 */
export async function mutate(name, inputType, input, selection, { validation = true, conflict = false } = {}) {
  const errors = ["... on UserError { message } ... on NotAllowed { code reason }",
    validation ? "... on ValidationFailed { fields { path code reason params } }" : "",
    conflict ? "... on VersionConflict { expectedVersion currentVersion }" : ""].join(" ");
  const query = `mutation ${name[0].toUpperCase()}${name.slice(1)}($input: ${inputType}!) {
    result: ${name}(input: $input) { __typename ${selection} ${errors} } }`;
  const data = await gql(query, { input });
  return data.result;
}

export function countrySelect(value, attrs = {}) {
  const codes = [...COUNTRY_CODES].sort((a, b) => (a === "VN" ? -1 : b === "VN" ? 1 : countryName(a).localeCompare(countryName(b))));
  return h("select", attrs,
    h("option", { value: "" }, t("form.choose")),
    codes.map((c) => h("option", { value: c, selected: (value || "").toUpperCase() === c }, countryName(c))));
}

export function enumSelect(type, values, value, attrs = {}, { empty = true } = {}) {
  return h("select", attrs,
    empty ? h("option", { value: "" }, t("form.choose")) : null,
    values.map((v) => h("option", { value: v, selected: v === value }, enumLabel(type, v))));
}

/** The value of a control: trimmed text or null; numbers as integers/floats; checkboxes as booleans. */
export function valueOf(control) {
  if (control.type === "checkbox") return control.checked;
  const raw = (control.value || "").trim();
  if (raw === "") return null;
  if (control.type === "number") {
    const n = Number(raw);
    return Number.isFinite(n) ? n : raw;
  }
  return raw;
}

/** A comma-separated list ("vi, en") as an array of trimmed, non-empty items. */
export function listOf(control) {
  return (control.value || "").split(/[,;]/).map((s) => s.trim()).filter(Boolean);
}

/**
 * Check controls in the browser first (required, numeric ranges, e-mail, URL, codes); shows
 * a message under each bad control; returns true when all are fine. Rules come from the
 * controls' own attributes (required, min, max, type, data-pattern with data-pattern-msg).
 */
export function checkControls(controls) {
  let firstBad = null;
  for (const control of controls) {
    const message = problem(control);
    setFieldError(control, message);
    if (message && !firstBad) firstBad = control;
  }
  if (firstBad) firstBad.focus();
  return !firstBad;
}

function problem(control) {
  const raw = (control.value || "").trim();
  if (control.required && control.type !== "checkbox" && !raw) return t("form.required");
  if (!raw) return null;
  if (control.type === "number") {
    const n = Number(raw);
    if (!Number.isFinite(n)) return t("form.number");
    if (control.step !== "any" && !Number.isInteger(n)) return t("form.integer");
    if (control.min !== "" && n < Number(control.min)) return t("form.min", { n: control.min });
    if (control.max !== "" && n > Number(control.max)) return t("form.max", { n: control.max });
  }
  if (control.type === "email" && !/^[^\s@]+@[^\s@]+\.[^\s@]+$/.test(raw)) return t("form.emailFormat");
  if (control.type === "url" && !/^https?:\/\/\S+$/i.test(raw)) return t("form.url");
  if (control.dataset.pattern && !new RegExp(control.dataset.pattern).test(raw)) return t(control.dataset.patternMsg || "form.format");
  if (control.maxLength > 0 && raw.length > control.maxLength) return t("form.tooLong", { n: control.maxLength });
  return null;
}

/**
 * Show the server's field errors, in the page's language, under the matching controls.
 * `controls` maps an input path ("fullName", "item.title", "skills.2.level") to its control;
 * returns the errors that have no control (see fieldErrorList).
 */
export function showFieldErrors(controls, fields, { prefix = "" } = {}) {
  const rest = [];
  let first = null;
  for (const f of fields || []) {
    const path = prefix && f.path.startsWith(prefix) ? f.path.slice(prefix.length) : f.path;
    const control = controls[path];
    if (control) {
      setFieldError(control, fieldErrorText(f));
      first ||= control;
    } else {
      rest.push(f);
    }
  }
  if (first) first.focus();
  return rest;
}

/** The errors no control shows, as a list of "Label: problem" (null when there are none). */
export function fieldErrorList(errors) {
  return errors && errors.length ? h("ul", { class: "field-errors" }, errors.map((f) => h("li", {}, fieldErrorLine(f)))) : null;
}

export function clearErrors(controls) {
  Object.values(controls).forEach((c) => setFieldError(c, null));
}
