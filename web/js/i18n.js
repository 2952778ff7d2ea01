// Vietnamese by default, English on request; the choice is kept in localStorage.
// Keys are dotted names; "{name}" in a message is replaced by params.name.

import { vi } from "./locales/vi.js";
import { en } from "./locales/en.js";
import { errorsVi } from "./locales/errors.vi.js";
import { errorsEn } from "./locales/errors.en.js";

const DICTIONARIES = { vi: { ...vi, ...errorsVi }, en: { ...en, ...errorsEn } };
const LANG_KEY = "chuyengia.lang";
let current = DICTIONARIES[localStorage.getItem(LANG_KEY)] ? localStorage.getItem(LANG_KEY) : "vi";

export function lang() {
  return current;
}

export function setLang(code) {
  if (!DICTIONARIES[code]) return;
  current = code;
  localStorage.setItem(LANG_KEY, code);
  document.documentElement.lang = code;
}

/** The message for `key` in the current language (English, then the key, as fall-backs). */
export function t(key, params = {}) {
  const message = DICTIONARIES[current][key] ?? DICTIONARIES.en[key] ?? key;
  return message.replace(/\{(\w+)\}/g, (whole, name) => (name in params ? String(params[name]) : whole));
}

/** Whether the dictionary has `key` (for optional labels such as enum values). */
export function has(key) {
  return key in DICTIONARIES[current];
}

/** Whether `key` has a message in the current language or in English (t's fall-back). */
export function known(key) {
  return key in DICTIONARIES[current] || key in DICTIONARIES.en;
}

/** The label of an enum value: "enum.Diaspora.OVERSEAS" etc., else the raw value. */
export function enumLabel(type, value) {
  if (value === null || value === undefined) return "";
  const key = `enum.${type}.${value}`;
  return has(key) ? t(key) : String(value);
}

const regionNames = {};
/** A country's name from its ISO 3166-1 alpha-2 code, in the current language. */
export function countryName(code) {
  if (!code) return "";
  try {
    regionNames[current] ||= new Intl.DisplayNames([current], { type: "region" });
    return regionNames[current].of(code.toUpperCase()) || code;
  } catch (err) {
    return code;
  }
}

const languageNames = {};
export function languageName(code) {
  if (!code) return "";
  try {
    languageNames[current] ||= new Intl.DisplayNames([current], { type: "language" });
    return languageNames[current].of(code) || code;
  } catch (err) {
    return code;
  }
}

export function formatNumber(n, options) {
  return new Intl.NumberFormat(current === "vi" ? "vi-VN" : "en-GB", options).format(n);
}

export function formatDate(iso) {
  if (!iso) return "";
  const d = new Date(iso);
  if (Number.isNaN(d.getTime())) return iso;
  return new Intl.DateTimeFormat(current === "vi" ? "vi-VN" : "en-GB", { dateStyle: "medium" }).format(d);
}

/** The name of a bilingual record (skill, technology group) in the current language. */
export function localName(record) {
  if (!record) return "";
  return current === "vi" ? record.nameVi || record.nameEn : record.nameEn || record.nameVi;
}

document.documentElement.lang = current;
