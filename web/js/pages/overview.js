// Overview: how many experts there are by strategic-technology group, country of residence
// and diaspora status (counts over what the caller may see), as charts.

import { h } from "../dom.js";
import { gql } from "../gql.js";
import { countryName, enumLabel, formatNumber, localName, t } from "../i18n.js";
import { barChart } from "../components/charts.js";
import { href } from "../router.js";

const QUERY = `query Overview { facets { totalCount
  techAreas { count techArea { id code nameVi nameEn } }
  countries { value count } diaspora { value count } availability { value count } } }`;

const TOP_COUNTRIES = 12;

export async function render(ctx) {
  ctx.setTitle(t("overview.title"));
  const { facets } = await gql(QUERY);
  const areas = facets.techAreas.filter((b) => b.techArea).sort((a, b) => b.count - a.count)
    .map((b) => ({ label: localName(b.techArea), value: b.count }));
  const countries = [...facets.countries].sort((a, b) => b.count - a.count);
  const countryRows = countries.slice(0, TOP_COUNTRIES).map((b) => ({ label: countryName(b.value), value: b.count }));
  const rest = countries.slice(TOP_COUNTRIES).reduce((sum, b) => sum + b.count, 0);
  if (rest) countryRows.push({ label: t("overview.otherCountries"), value: rest });
  const diasporaColours = { DOMESTIC: "var(--chart-1)", OVERSEAS: "var(--chart-2)", RETURNEE: "var(--chart-3)" };
  const diaspora = ["DOMESTIC", "OVERSEAS", "RETURNEE"].map((v) => ({
    label: enumLabel("Diaspora", v), value: (facets.diaspora.find((b) => b.value === v) || { count: 0 }).count, colour: diasporaColours[v],
  }));
  return h("section", { class: "page page-overview" },
    h("h1", {}, t("overview.title")),
    h("p", { class: "lead" }, t("overview.total", { n: formatNumber(facets.totalCount) }), " ",
      ctx.account ? null : t("overview.anonymousNote")),
    h("div", { class: "stat-row" }, diaspora.map((d) => h("a", { class: "card stat", href: href("/search", { diaspora: ["DOMESTIC", "OVERSEAS", "RETURNEE"][diaspora.indexOf(d)] }) },
      h("span", { class: "stat-value" }, formatNumber(d.value)), h("span", { class: "stat-label" }, d.label)))),
    h("div", { class: "chart-grid" },
      barChart({ title: t("overview.byDiaspora"), rows: diaspora, id: "chart-diaspora" }),
      barChart({ title: t("overview.byCountry"), rows: countryRows, id: "chart-country", colour: "var(--chart-2)" }),
      barChart({ title: t("overview.byArea"), rows: areas, id: "chart-area", colour: "var(--chart-4)", width: 760, labelWidth: 400 })));
}
