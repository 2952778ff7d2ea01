// Horizontal bar charts drawn as inline SVG, each with a text equivalent (a table) for screen
// readers and for anyone who wants the numbers.

import { h, svg } from "../dom.js";
import { formatNumber, t } from "../i18n.js";

const BAR = 26;
const GAP = 8;
const LABEL_WIDTH = 230;
const WIDTH = 640;

function shorten(label, max = 28) {
  return label.length > max ? `${label.slice(0, max - 1)}…` : label;
}

/** rows: [{label, value}] in display order; returns a <figure> with the chart and its table. */
// Drawn at its natural size (never scaled up), so its text stays the size of the page's;
// on a narrow screen it shrinks to fit.
export function barChart({ title, rows, id, colour = "var(--chart-1)", width = 440, labelWidth = 180 }) {
  const WIDTH = width;
  const LABEL_WIDTH = labelWidth;
  const maxChars = Math.floor(labelWidth / 8.5);
  const max = Math.max(1, ...rows.map((r) => r.value));
  const height = rows.length * (BAR + GAP) + GAP;
  const plot = WIDTH - LABEL_WIDTH - 50;
  const titleId = `${id}-title`;
  const chart = svg("svg", {
    viewBox: `0 0 ${WIDTH} ${height}`, width: WIDTH, style: `max-width: 100%; height: auto`, role: "img", "aria-labelledby": titleId, class: "chart",
    preserveAspectRatio: "xMinYMin meet",
  },
  svg("title", { id: titleId }, title),
  ...rows.map((r, i) => {
    const y = GAP + i * (BAR + GAP);
    const w = Math.max(2, Math.round((r.value / max) * plot));
    return svg("g", { class: "bar" },
      svg("text", { x: LABEL_WIDTH - 8, y: y + BAR / 2, "text-anchor": "end", "dominant-baseline": "middle", class: "chart-label" }, svg("title", {}, r.label), shorten(r.label, maxChars)),
      svg("rect", { x: LABEL_WIDTH, y, width: w, height: BAR, rx: 3, fill: r.colour || colour }),
      svg("text", { x: LABEL_WIDTH + w + 6, y: y + BAR / 2, "dominant-baseline": "middle", class: "chart-value" }, formatNumber(r.value)));
  }));
  const table = h("details", { class: "chart-data" },
    h("summary", {}, t("overview.showTable")),
    h("table", { class: "table" },
      h("thead", {}, h("tr", {}, h("th", { scope: "col" }, t("overview.category")), h("th", { scope: "col" }, t("overview.count")))),
      h("tbody", {}, rows.map((r) => h("tr", {}, h("th", { scope: "row" }, r.label), h("td", { class: "num" }, formatNumber(r.value)))))));
  return h("figure", { class: "card chart-card", id },
    h("figcaption", {}, h("h2", {}, title)),
    rows.length ? chart : h("p", { class: "muted" }, t("overview.noData")),
    rows.length ? table : null);
}
