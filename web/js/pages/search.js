// Search: free text (diacritics ignored by the server), skills with autocomplete, groups,
// country, diaspora status, availability, experience; facet counts beside the results;
// cursor paging; sort. The state lives in the URL, so a search can be bookmarked or shared.

import { clear, h, replace } from "../dom.js";
import { gql } from "../gql.js";
import { countryName, enumLabel, formatNumber, localName, t } from "../i18n.js";
import { href } from "../router.js";
import { announce, badge, choiceGroup, displayName, errorMessage, field, loading, message, pager, select } from "../components/ui.js";
import { rememberSkills, resolveSkills, skillChips, skillCombobox } from "../components/skills.js";

const PAGE_SIZE = 20;
const SORTS = ["RELEVANCE", "NAME", "H_INDEX", "EXPERIENCE", "UPDATED"];
const DIASPORA = ["DOMESTIC", "OVERSEAS", "RETURNEE"];
const AVAILABILITY = ["FULL_TIME", "PART_TIME", "ADVISORY", "UNAVAILABLE"];

const QUERY = `query Search($filter: ExpertFilter, $sort: ExpertSort!, $first: Int!, $after: String,
  $fAreas: ExpertFilter, $fCountries: ExpertFilter, $fDiaspora: ExpertFilter, $fAvailability: ExpertFilter) {
  experts(filter: $filter, sort: $sort, first: $first, after: $after) {
    totalCount
    pageInfo { hasNextPage endCursor }
    edges { node { id fullName honorific headline residenceCountry city diaspora availability
      yearsExperience hIndex verified skills { level skill { id nameVi nameEn } } } }
  }
  areas: facets(filter: $fAreas) { techAreas { count techArea { id code nameVi nameEn } } }
  countries: facets(filter: $fCountries) { countries { value count } }
  diaspora: facets(filter: $fDiaspora) { diaspora { value count } }
  availability: facets(filter: $fAvailability) { availability { value count } }
}`;

/** The search state, from the URL query. */
function readState(query) {
  const years = Number.parseInt(query.get("minYears") || "", 10);
  return {
    text: query.get("text") || "",
    skills: query.getAll("skill"),
    match: query.get("match") === "ALL" ? "ALL" : "ANY",
    areas: query.getAll("area"),
    countries: query.getAll("country"),
    diaspora: query.getAll("diaspora").filter((v) => DIASPORA.includes(v)),
    availability: query.getAll("availability").filter((v) => AVAILABILITY.includes(v)),
    minYears: Number.isFinite(years) && years > 0 ? years : null,
    sort: SORTS.includes(query.get("sort")) ? query.get("sort") : "RELEVANCE",
    after: query.get("after") || null,
    page: Math.max(1, Number.parseInt(query.get("page") || "1", 10) || 1),
  };
}

function stateQuery(state, { after = null, page = 1 } = {}) {
  return {
    text: state.text, skill: state.skills, match: state.skills.length > 1 && state.match === "ALL" ? "ALL" : null,
    area: state.areas, country: state.countries, diaspora: state.diaspora,
    availability: state.availability, minYears: state.minYears, sort: state.sort === "RELEVANCE" ? null : state.sort,
    after, page: page > 1 ? page : null,
  };
}

/** The API filter for the state, leaving out one facet dimension (for its own counts). */
function toFilter(state, without = null) {
  const f = {};
  if (state.text.trim()) f.text = state.text.trim();
  if (state.skills.length) {
    f.skills = state.skills;
    f.skillsMatch = state.match;
  }
  if (state.areas.length && without !== "areas") f.techAreas = state.areas;
  if (state.countries.length && without !== "countries") f.residenceCountries = state.countries;
  if (state.diaspora.length && without !== "diaspora") f.diaspora = state.diaspora;
  if (state.availability.length && without !== "availability") f.availability = state.availability;
  if (state.minYears) f.minYearsExperience = state.minYears;
  return f;
}

export async function render(ctx) {
  const state = readState(ctx.query);
  ctx.setTitle(t("search.title"));
  const skillList = await resolveSkills(state.skills);

  const results = h("div", { class: "results", id: "results" }, loading());
  const facetsBox = h("div", { class: "facets", id: "facets" });
  const summary = h("p", { class: "result-summary", role: "status", "aria-live": "polite" });

  // Every change re-runs the search from page one and records it in the URL (a history entry).
  function apply() {
    state.after = null;
    state.page = 1;
    history.pushState(null, "", href("/search", stateQuery(state)));
    refresh();
  }

  const textInput = h("input", { type: "search", name: "text", value: state.text, autocomplete: "off" });
  const sortSelect = select(SORTS.map((s) => [s, t(`search.sort.${s}`)]), { name: "sort", value: state.sort, onchange: (e) => { state.sort = e.target.value; apply(); } });
  const chipsHolder = h("div", { class: "chips-holder" });
  const matchHolder = h("div", { class: "match-holder" });

  function drawSkills() {
    replace(chipsHolder, skillChips(skillList, (s) => {
      skillList.splice(skillList.findIndex((x) => x.id === s.id), 1);
      state.skills = skillList.map((x) => x.id);
      drawSkills();
      apply();
    }));
    clear(matchHolder);
    if (skillList.length > 1) {
      matchHolder.append(choiceGroup(t("search.skillsMatch"), "match",
        [{ value: "ANY", label: t("search.match.ANY") }, { value: "ALL", label: t("search.match.ALL") }],
        { type: "radio", selected: [state.match], onChange: (e) => { state.match = e.target.value; apply(); } }));
    }
  }
  drawSkills();

  const picker = skillCombobox({
    label: t("search.skills"), hint: t("search.skillsHint"),
    exclude: () => state.skills,
    onPick: (skill) => {
      skillList.push(skill);
      state.skills = skillList.map((x) => x.id);
      drawSkills();
      apply();
    },
  });

  const yearsInput = h("input", { type: "number", name: "minYears", min: 0, max: 60, inputmode: "numeric", value: state.minYears ?? "" });
  yearsInput.addEventListener("change", () => {
    const v = Number.parseInt(yearsInput.value, 10);
    state.minYears = Number.isFinite(v) && v > 0 ? v : null;
    apply();
  });

  const form = h("form", {
    class: "search-form", role: "search", "aria-label": t("search.formLabel"),
    onsubmit: (event) => { event.preventDefault(); state.text = textInput.value; apply(); },
  },
  h("div", { class: "search-row" },
    field(t("search.text"), textInput, { hint: t("search.textHint"), className: "grow" }),
    h("button", { type: "submit", class: "btn btn-primary" }, t("search.submit"))),
  h("div", { class: "search-row" }, h("div", { class: "grow" }, picker, chipsHolder, matchHolder),
    field(t("search.sort"), sortSelect)));

  function drawFacets(data) {
    const toggle = (key) => (event) => {
      const values = new Set(state[key]);
      if (event.target.checked) values.add(event.target.value);
      else values.delete(event.target.value);
      state[key] = [...values];
      apply();
    };
    const areaBuckets = data.areas.techAreas.filter((b) => b.techArea);
    const areaOptions = areaBuckets.map((b) => ({ value: b.techArea.id, label: localName(b.techArea), count: b.count }));
    for (const id of state.areas) if (!areaOptions.some((o) => o.value === id)) areaOptions.push({ value: id, label: id, count: 0 });
    const countryOptions = data.countries.countries.map((b) => ({ value: b.value, label: countryName(b.value), count: b.count }));
    for (const c of state.countries) if (!countryOptions.some((o) => o.value === c)) countryOptions.push({ value: c, label: countryName(c), count: 0 });
    const counts = (buckets, value) => (buckets.find((b) => b.value === value) || { count: 0 }).count;
    replace(facetsBox, 
      h("h2", { class: "facets-title" }, t("search.filters")),
      choiceGroup(t("search.diaspora"), "diaspora", DIASPORA.map((v) => ({ value: v, label: enumLabel("Diaspora", v), count: counts(data.diaspora.diaspora, v) })),
        { selected: state.diaspora, onChange: toggle("diaspora") }),
      choiceGroup(t("search.availability"), "availability", AVAILABILITY.map((v) => ({ value: v, label: enumLabel("Availability", v), count: counts(data.availability.availability, v) })),
        { selected: state.availability, onChange: toggle("availability") }),
      field(t("search.minYears"), yearsInput),
      areaOptions.length ? choiceGroup(t("search.areas"), "area", areaOptions, { selected: state.areas, onChange: toggle("areas") }) : null,
      countryOptions.length ? choiceGroup(t("search.countries"), "country", countryOptions, { selected: state.countries, onChange: toggle("countries") }) : null);
  }

  function drawResults(connection) {
    const count = connection.totalCount;
    summary.textContent = t("search.found", { n: formatNumber(count) });
    announce(summary.textContent);
    if (!connection.edges.length) {
      replace(results, message("info", t("search.empty")));
      return;
    }
    const first = (state.page - 1) * PAGE_SIZE;
    const prevCursors = JSON.parse(sessionStorage.getItem("chuyengia.searchCursors") || "[]");
    prevCursors[state.page] = connection.pageInfo.endCursor;
    sessionStorage.setItem("chuyengia.searchCursors", JSON.stringify(prevCursors));
    const prevHref = state.page > 1 ? href("/search", stateQuery(state, { after: prevCursors[state.page - 2] || null, page: state.page - 1 })) : null;
    const nextHref = connection.pageInfo.hasNextPage ? href("/search", stateQuery(state, { after: connection.pageInfo.endCursor, page: state.page + 1 })) : null;
    replace(results, 
      h("ol", { class: "result-list", start: first + 1 }, connection.edges.map(({ node }) => resultCard(node))),
      prevHref || nextHref ? pager({ pageNumber: state.page, prevHref, nextHref }) : null);
  }

  async function refresh() {
    replace(results, loading());
    results.setAttribute("aria-busy", "true");
    try {
      const data = await gql(QUERY, {
        filter: toFilter(state), sort: state.sort, first: PAGE_SIZE, after: state.after,
        fAreas: toFilter(state, "areas"), fCountries: toFilter(state, "countries"),
        fDiaspora: toFilter(state, "diaspora"), fAvailability: toFilter(state, "availability"),
      });
      for (const e of data.experts.edges) rememberSkills(e.node.skills.map((s) => s.skill));
      drawFacets(data);
      drawResults(data.experts);
    } catch (err) {
      summary.textContent = "";
      replace(results, errorMessage(err));
    } finally {
      results.removeAttribute("aria-busy");
    }
  }

  refresh();
  const filtersPanel = h("details", { class: "filters-panel", open: window.matchMedia("(min-width: 900px)").matches },
    h("summary", {}, t("search.filters")), facetsBox);
  return h("section", { class: "page page-search" },
    h("h1", {}, t("search.title")),
    ctx.account ? null : h("p", { class: "lead" }, t("search.anonymousNote"), " ", h("a", { href: href("/signin", { next: "/search" }) }, t("nav.signIn"))),
    form,
    h("div", { class: "search-layout" }, h("aside", { "aria-label": t("search.filters") }, filtersPanel), h("div", { class: "search-main" }, summary, results)));
}

function resultCard(expert) {
  const skills = [...expert.skills].sort((a, b) => b.level - a.level).slice(0, 6);
  const place = [countryName(expert.residenceCountry), expert.city].filter(Boolean).join(" · ");
  return h("li", { class: "result" },
    h("article", { class: "card" },
      h("h2", { class: "result-name" }, h("a", { href: `#/experts/${encodeURIComponent(expert.id)}` }, displayName(expert)),
        expert.verified ? badge(t("expert.verified"), "ok") : null),
      expert.headline ? h("p", { class: "result-headline" }, expert.headline) : null,
      h("p", { class: "result-meta" },
        place ? h("span", {}, place) : null,
        expert.diaspora ? badge(enumLabel("Diaspora", expert.diaspora), expert.diaspora.toLowerCase()) : null,
        expert.availability ? h("span", {}, enumLabel("Availability", expert.availability)) : null,
        h("span", {}, t("expert.years", { n: expert.yearsExperience })),
        h("span", {}, t("expert.hIndex", { n: expert.hIndex }))),
      skills.length ? h("ul", { class: "tags", "aria-label": t("expert.skills") }, skills.map((s) => h("li", { class: "tag" }, localName(s.skill), h("span", { class: "level", "aria-label": t("expert.levelOf", { n: s.level }) }, ` ${s.level}/5`)))) : null));
}
