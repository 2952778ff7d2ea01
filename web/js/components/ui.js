// Small building blocks shared by the pages: labelled fields, messages, badges, pager.

import { h, nextId } from "../dom.js";
import { t } from "../i18n.js";
import { codeText } from "./problems.js";

/**
 * A labelled form control. `control` is an input/select/textarea (an id is given if missing).
 * The hint and the error message are wired with aria-describedby; setError(msg) shows or
 * clears the error later.
 */
export function field(label, control, { hint, required = false, className = "" } = {}) {
  if (!control.id) control.id = nextId("field");
  const hintId = `${control.id}-hint`;
  const errorId = `${control.id}-error`;
  const described = [];
  if (hint) described.push(hintId);
  described.push(errorId);
  control.setAttribute("aria-describedby", described.join(" "));
  if (required) {
    control.required = true;
    control.setAttribute("aria-required", "true");
  }
  const error = h("p", { class: "field-error", id: errorId, hidden: true });
  const wrapper = h("div", { class: `field ${className}`.trim() },
    h("label", { for: control.id }, label, required ? h("span", { class: "required", "aria-hidden": "true" }, " *") : null),
    hint ? h("p", { class: "field-hint", id: hintId }, hint) : null,
    control,
    error);
  wrapper.control = control;
  wrapper.setError = (message) => setFieldError(control, message);
  return wrapper;
}

/** Show (or clear, with a falsy message) the inline error of a control made by field(). */
export function setFieldError(control, message) {
  const error = document.getElementById(`${control.id}-error`);
  if (message) {
    control.setAttribute("aria-invalid", "true");
    if (error) {
      error.textContent = message;
      error.hidden = false;
    }
  } else {
    control.removeAttribute("aria-invalid");
    if (error) {
      error.textContent = "";
      error.hidden = true;
    }
  }
}

export function input(attrs = {}) {
  return h("input", { type: "text", ...attrs });
}

export function select(options, attrs = {}) {
  const { value, ...rest } = attrs;
  const el = h("select", rest, options.map(([v, label]) => h("option", { value: v, selected: String(v) === String(value ?? "") }, label)));
  return el;
}

/** A group of checkboxes or radios in a fieldset with a legend. */
export function choiceGroup(legend, name, options, { type = "checkbox", selected = [], onChange } = {}) {
  const chosen = new Set(selected.map(String));
  return h("fieldset", { class: "choices" },
    h("legend", {}, legend),
    options.map(({ value, label, count }) => {
      const id = nextId(name);
      return h("div", { class: "choice" },
        h("input", { type, id, name, value, checked: chosen.has(String(value)), onchange: onChange }),
        h("label", { for: id }, label, count !== undefined && count !== null ? h("span", { class: "count" }, ` (${count})`) : null));
    }));
}

export function message(kind, ...children) {
  const role = kind === "error" ? "alert" : "status";
  return h("div", { class: `message message-${kind}`, role }, ...children);
}

export function loading() {
  return h("p", { class: "loading", role: "status" }, t("common.loading"));
}

export function badge(text, kind = "") {
  return h("span", { class: `badge ${kind ? `badge-${kind}` : ""}`.trim() }, text);
}

/**
 * Text of a GraphQLRequestError (or any error with `errors` as the server sent them) for the
 * user, from the first error code the pages know; the server's own (English) message when
 * none is known.
 */
export function errorText(err) {
  if (!err) return t("error.generic");
  if (err.unsupported) return t("error.unsupported");
  if (err.status === 0) return t("error.network");
  if (err.status === 401) return t("error.unauthenticated");
  if (err.status === 429) return t("error.rateLimited");
  for (const e of err.errors || []) {
    const text = codeText(e.extensions && e.extensions.code, e);
    if (text) return text;
  }
  // A refusal without a GraphQL body (a proxy's, or a body too large to read).
  if (!(err.errors || []).length && err.status === 413) return t("error.tooLarge");
  if (!(err.errors || []).length && err.status >= 500) return t("error.serverDown");
  return err.message || t("error.generic");
}

export function errorMessage(err) {
  return message("error", errorText(err));
}

export function button(label, attrs = {}) {
  return h("button", { type: "button", class: "btn", ...attrs }, label);
}

/** Previous / next page links for cursor paging. */
export function pager({ pageNumber, prevHref, nextHref }) {
  return h("nav", { class: "pager", "aria-label": t("common.pagination") },
    prevHref ? h("a", { class: "btn", href: prevHref, rel: "prev" }, t("common.previous")) : h("span", { class: "btn", "aria-disabled": "true" }, t("common.previous")),
    h("span", { class: "page-number", "aria-current": "page" }, t("common.page", { n: pageNumber })),
    nextHref ? h("a", { class: "btn", href: nextHref, rel: "next" }, t("common.next")) : h("span", { class: "btn", "aria-disabled": "true" }, t("common.next")));
}

/** The profile's display name: honorific and full name. */
export function displayName(expert) {
  return [expert.honorific, expert.fullName].filter(Boolean).join(" ");
}

/** A short-lived announcement in the polite live region. */
export function announce(text) {
  const region = document.getElementById("announcer");
  if (!region) return;
  region.textContent = "";
  window.setTimeout(() => { region.textContent = text; }, 50);
}
