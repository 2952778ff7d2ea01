// The server's expected failures in the page's language. A field error carries a stable
// `code` and its `params` beside an English `reason`: the code and params become a sentence
// (the reason is kept for a code these pages do not know yet), and the field's path becomes
// the labels of the form ("publications.2.title" → "Công bố khoa học (mục 3) › Tên, chức
// danh"). Typed results (NotFound, NotAllowed with its code, VersionConflict) and the codes of
// GraphQL errors get a message of their own.

import { enumLabel, formatNumber, has, known, t } from "../i18n.js";

// Where a path's segment finds its label: names only errors use, then the forms' own labels.
const LABEL_PREFIXES = ["field", "form", "taskForm", "me"];
// Path segments that only wrap the input ("item" of addPublication, "input" of a mutation).
const WRAPPERS = new Set(["item", "input"]);
// Values of these fields are enum values, shown with their labels.
const FIELD_ENUMS = { roleSought: "TaskRole", role: "Role" };

function segmentLabel(name) {
  const prefix = LABEL_PREFIXES.find((p) => has(`${p}.${name}`));
  return prefix ? t(`${prefix}.${name}`) : name;
}

/** The labels of the field a path names, outermost first, joined by " › ". */
export function fieldLabel(path) {
  const parts = [];
  for (const segment of String(path || "").replace(/\[(\d+)\]/g, ".$1").split(".")) {
    if (!segment || (WRAPPERS.has(segment) && !parts.length)) continue;
    if (/^\d+$/.test(segment) && parts.length) {
      parts[parts.length - 1] = t("field.item", { label: parts[parts.length - 1], n: Number(segment) + 1 });
    } else {
      parts.push(segmentLabel(segment));
    }
  }
  return parts.join(" › ");
}

function number(n) {
  // Years and other small numbers read better without grouping (2026, not 2.026).
  return Math.abs(n) >= 10000 ? formatNumber(n) : String(n);
}

/** The enum type whose labels show a param's values, if any. */
function enumOf(name, params) {
  if (name === "allowed" && params.code === "WRONG_ROLE") return "Role";
  if (name === "value") return FIELD_ENUMS[params.field] || null;
  return null;
}

/** A param as the page shows it: numbers formatted, kinds and fields named, enums labelled. */
function shown(name, value, params) {
  if (typeof value === "number") return number(value);
  if (name === "kind") return t(`fieldError.kind.${value}`);
  if (name === "field") return segmentLabel(value);
  const type = enumOf(name, params);
  const one = (v) => (type ? enumLabel(type, v) : String(v));
  return Array.isArray(value) ? value.map(one).join(", ") : one(value);
}

/** The problem of one field error as a sentence, without the field's name. */
export function fieldErrorText(error) {
  const key = `fieldError.${error.code}`;
  if (!error.code || !known(key)) return error.reason;
  const raw = error.params || {};
  const params = {};
  for (const [name, value] of Object.entries(raw)) params[name] = shown(name, value, { ...raw, code: error.code });
  const text = t(key, params);
  // A placeholder left unfilled means the server sent other params than this text expects.
  return /\{\w+\}/.test(text) ? error.reason : text;
}

/** "Label: problem" for a list of errors away from their controls; the problem alone for an
 * error about a whole import row (empty path). */
export function fieldErrorLine(error) {
  const label = fieldLabel(error.path);
  return label ? `${label}: ${fieldErrorText(error)}` : fieldErrorText(error);
}

/** The message of an expected failure returned as a typed result (a UserError). */
export function resultText(result) {
  switch (result && result.__typename) {
    case "ValidationFailed": return t("error.invalid");
    case "NotFound": return t("error.notFound");
    case "VersionConflict": return t("error.conflict");
    case "NotAllowed": return notAllowedText(result.code, result.reason);
    default: return (result && result.message) || t("error.generic");
  }
}

function notAllowedText(code, reason) {
  if (code && known(`notAllowed.${code}`)) return t(`notAllowed.${code}`);
  return reason || t("error.forbidden");
}

/** The message for a GraphQL error's `extensions.code`, or null for a code with none. */
export function codeText(code, error) {
  const extensions = (error && error.extensions) || {};
  switch (code) {
    case "FORBIDDEN": return extensions.notAllowedCode ? notAllowedText(extensions.notAllowedCode) : t("error.forbidden");
    case "UNAUTHENTICATED": return t("error.signInNeeded");
    case "SERVICE_UNAVAILABLE": return t("error.unavailable");
    case "RATE_LIMITED": return t("error.rateLimited");
    case "NOT_FOUND": return t("error.notFound");
    case "CONFLICT": return t("error.conflict");
    case "PAYLOAD_TOO_LARGE": return t("error.tooLarge");
    case "INTERNAL_SERVER_ERROR": return t("error.generic");
    case "BAD_USER_INPUT": {
      const fields = extensions.fields || [];
      return fields.length ? fields.map(fieldErrorLine).join(" ") : t("error.invalid");
    }
    case "BAD_REQUEST": return t("error.badRequest");
    default: return null;
  }
}
