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
export function barChart({ title, rows, id, colour = "var(--chart-1)" }) {
  const max = Math.max(1, ...rows.map((r) => r.value));
  const height = rows.length * (BAR + GAP) + GAP;
  const plot = WIDTH - LABEL_WIDTH - 60;
  const titleId = `${id}-title`;
  const chart = svg("svg", {
    viewBox: `0 0 ${WIDTH} ${height}`, width: "100%", role: "img", "aria-labelledby": titleId, class: "chart",
    preserveAspectRatio: "xMinYMin meet",
  },
  svg("title", { id: titleId }, title),
  ...rows.map((r, i) => {
    const y = GAP + i * (BAR + GAP);
    const w = Math.max(2, Math.round((r.value / max) * plot));
    return svg("g", { class: "bar" },
      svg("text", { x: LABEL_WIDTH - 8, y: y + BAR / 2, "text-anchor": "end", "dominant-baseline": "middle", class: "chart-label" }, svg("title", {}, r.label), shorten(r.label)),
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
