// Import (HR agencies): upload a JSON Lines or CSV file, see what became of every row, and
// download the rejected rows (in the same format, ready to fix and upload again) or the report.

import { clear, h, replace } from "../dom.js";
import { formatNumber, enumLabel, t } from "../i18n.js";
import { badge, errorMessage, field, message } from "../components/ui.js";
import { fieldErrorList, mutate } from "../components/forms.js";
import { fieldErrorLine, resultText } from "../components/problems.js";

const REPORT = `... on ExpertsImported { created updated unchanged rejected
  rows { line status expertId reason errors { path code reason params } } }`;
const STATUS_KIND = { CREATED: "ok", UPDATED: "info", UNCHANGED: "", REJECTED: "no" };

/**
 * The records of CSV text with the line each starts on (1-based), quotes respected, so a
 * reported line can be matched to its record even when a quoted cell spans lines.
 */
export function csvRecords(text) {
  const records = [];
  let line = 1;
  let start = 0;
  let startLine = 1;
  let quoted = false;
  for (let i = 0; i < text.length; i += 1) {
    const ch = text[i];
    if (ch === "\"") quoted = !quoted;
    else if (ch === "\n") {
      if (!quoted) {
        records.push({ line: startLine, text: text.slice(start, i).replace(/\r$/, "") });
        start = i + 1;
        startLine = line + 1;
      }
      line += 1;
    }
  }
  if (start < text.length) records.push({ line: startLine, text: text.slice(start).replace(/\r$/, "") });
  return records;
}

/** The rejected rows as a file of the same format (CSV keeps its header). */
export function rejectedFile(text, format, rows) {
  const bad = new Set(rows.filter((r) => r.status === "REJECTED").map((r) => r.line));
  if (format === "CSV") {
    const records = csvRecords(text.replace(/^\uFEFF/, ""));
    return [records[0] ? records[0].text : "", ...records.filter((r) => bad.has(r.line) && r.line !== 1).map((r) => r.text)].join("\n") + "\n";
  }
  return text.split("\n").filter((_, i) => bad.has(i + 1)).map((l) => l.replace(/\r$/, "")).join("\n") + "\n";
}

function csvCell(value) {
  const s = value === null || value === undefined ? "" : String(value);
  return /[",\n]/.test(s) ? `"${s.replace(/"/g, "\"\"")}"` : s;
}

function download(name, content, type) {
  const url = URL.createObjectURL(new Blob([content], { type }));
  const a = h("a", { href: url, download: name, hidden: true });
  document.body.append(a);
  a.click();
  a.remove();
  window.setTimeout(() => URL.revokeObjectURL(url), 1000);
}

export async function render(ctx) {
  ctx.setTitle(t("import.title"));
  const fileInput = h("input", { type: "file", accept: ".jsonl,.ndjson,.csv,application/x-ndjson,text/csv", name: "file" });
  const formatName = "format";
  const formatRadios = [["AUTO", t("import.auto")], ["JSONL", "JSON Lines (.jsonl)"], ["CSV", "CSV (.csv)"]].map(([v, label], i) =>
    h("div", { class: "choice" }, h("input", { type: "radio", name: formatName, id: `format-${v}`, value: v, checked: i === 0 }), h("label", { for: `format-${v}` }, label)));
  const submit = h("button", { type: "submit", class: "btn btn-primary" }, t("import.submit"));
  const result = h("div", { class: "import-result", "aria-live": "polite" });
  const fileField = field(t("import.file"), fileInput, { hint: t("import.fileHint"), required: true });

  async function run(event) {
    event.preventDefault();
    clear(result);
    fileField.setError(null);
    const file = fileInput.files[0];
    if (!file) {
      fileField.setError(t("import.noFile"));
      fileInput.focus();
      return;
    }
    let format = document.querySelector(`input[name="${formatName}"]:checked`).value;
    if (format === "AUTO") format = /\.csv$/i.test(file.name) ? "CSV" : /\.(jsonl|ndjson)$/i.test(file.name) ? "JSONL" : null;
    if (!format) {
      fileField.setError(t("import.unknownFormat"));
      return;
    }
    const content = await file.text();
    submit.disabled = true;
    result.append(h("p", { class: "loading", role: "status" }, t("import.running", { name: file.name })));
    try {
      const r = await mutate("importExperts", "ImportExpertsInput", { format, content }, REPORT);
      clear(result);
      if (r.__typename === "ExpertsImported") result.append(report(file.name, format, content, r));
      else if (r.__typename === "ValidationFailed") result.append(message("error", t("import.invalid"), fieldErrorList(r.fields)));
      else result.append(message("error", resultText(r)));
    } catch (err) {
      replace(result, errorMessage(err));
    } finally {
      submit.disabled = false;
    }
  }

  return h("section", { class: "page page-import" },
    h("h1", {}, t("import.title")),
    h("p", { class: "lead" }, t("import.intro")),
    h("form", { class: "card form", novalidate: true, onsubmit: run },
      fileField,
      h("fieldset", { class: "choices" }, h("legend", {}, t("import.format")), formatRadios),
      h("details", {}, h("summary", {}, t("import.formatHelp")),
        h("p", { class: "small" }, t("import.jsonlHelp")),
        h("p", { class: "small" }, t("import.csvHelp")),
        h("pre", { class: "small sample" }, "fullName,email,residenceCountry,languages,skills,organization,title,since\nNguyễn Văn An,an@example.org,JP,vi;ja;en,machine-learning:4:6;robotics:3,Toyota Research,Researcher,2019")),
      h("div", { class: "actions" }, submit)),
    result);
}

function report(fileName, format, content, r) {
  const base = fileName.replace(/\.[^.]+$/, "");
  const ext = format === "CSV" ? "csv" : "jsonl";
  const reportCsv = ["line,status,expertId,reason", ...r.rows.map((row) => [row.line, row.status, row.expertId, rowProblems(row).join("; ")].map(csvCell).join(","))].join("\n") + "\n";
  return h("section", { class: "card", "aria-labelledby": "h-report" },
    h("h2", { id: "h-report" }, t("import.reportTitle", { name: fileName })),
    h("ul", { class: "import-summary", "aria-label": t("import.summary") },
      [["CREATED", r.created], ["UPDATED", r.updated], ["UNCHANGED", r.unchanged], ["REJECTED", r.rejected]].map(([k, n]) =>
        h("li", {}, badge(`${enumLabel("ImportRowStatus", k)}: ${formatNumber(n)}`, STATUS_KIND[k])))),
    h("div", { class: "actions" },
      r.rejected ? h("button", { type: "button", class: "btn btn-primary", onclick: () => download(`${base}-rejected.${ext}`, rejectedFile(content, format, r.rows), format === "CSV" ? "text/csv" : "application/x-ndjson") }, t("import.downloadRejected", { n: r.rejected })) : null,
      h("button", { type: "button", class: "btn", onclick: () => download(`${base}-report.csv`, reportCsv, "text/csv") }, t("import.downloadReport"))),
    h("div", { class: "table-wrap" }, h("table", { class: "table import-rows" },
      h("caption", { class: "visually-hidden" }, t("import.rows")),
      h("thead", {}, h("tr", {}, h("th", { scope: "col" }, t("import.line")), h("th", { scope: "col" }, t("import.status")), h("th", { scope: "col" }, t("import.detail")))),
      h("tbody", {}, r.rows.map((row) => h("tr", { class: row.status === "REJECTED" ? "row-rejected" : "" },
        h("td", { class: "num" }, String(row.line)),
        h("td", {}, badge(enumLabel("ImportRowStatus", row.status), STATUS_KIND[row.status])),
        h("td", {}, problemsCell(row) || (row.expertId ? h("a", { href: `#/experts/${encodeURIComponent(row.expertId)}` }, t("import.viewProfile")) : ""))))))));
}

/** Why a row was rejected, in the page's language (the server's reason if it sent no errors). */
function rowProblems(row) {
  if (row.errors && row.errors.length) return row.errors.map(fieldErrorLine);
  return row.reason ? [row.reason] : [];
}

function problemsCell(row) {
  const lines = rowProblems(row);
  if (lines.length < 2) return lines[0] || null;
  return h("ul", { class: "row-problems" }, lines.map((line) => h("li", {}, line)));
}
