// A task: what it asks for, its ranked candidates (score, reasons, matched and missing skills,
// eligibility) with shortlist and decision buttons, the recommended team, and the shortlist.
// The matcher's fields are loaded on their own, so the page works while they are missing.

import { h, replace } from "../dom.js";
import { gql } from "../gql.js";
import { countryName, enumLabel, formatDate, formatNumber, lang, languageName, localName, t } from "../i18n.js";
import { badge, displayName, errorText, message } from "../components/ui.js";
import { mutate } from "../components/forms.js";
import { resultText } from "../components/problems.js";
import { decisionControls } from "../components/decisions.js";
import { rememberSkills } from "../components/skills.js";
import { TASK_FIELDS } from "./task-form.js";
import { STATUS_KIND } from "./tasks.js";

const LOAD = `query TaskPage($id: ID!) { task(id: $id) { ${TASK_FIELDS} } }`;
const PAGE = 10;
const EXCLUDED = 20;
const TEAM_SIZE = 5;

// The matcher's fields (api/matching): ranked candidates with why, the excluded ones with the
// rule each fails, the latest decision per candidate, and the recommended team.
const CANDIDATES = `query Candidates($id: ID!, $first: Int!, $after: String, $excluded: Int!) { task(id: $id) { id
  candidates(first: $first, after: $after, excludedFirst: $excluded) {
    totalCount excludedCount modelId
    pageInfo { hasNextPage endCursor }
    edges { cursor node {
      rank score
      expert { id fullName honorific headline residenceCountry diaspora availability }
      reasons { effect textVi textEn }
      matchedSkills { skillId nameVi nameEn level minLevel partial via { id nameVi nameEn } }
      missingSkills { skillId nameVi nameEn mustHave }
      evidence { kind id title year }
      eligibility { schemeId nameVi nameEn status }
    } }
    excluded { score expert { id fullName honorific } rules { rule textVi textEn } }
  } } }`;
const DECISIONS = `query Decisions($id: ID!) { task(id: $id) { id decisions { expertId kind reason at } } }`;
const TEAM = `query Team($id: ID!, $size: Int!) { recommendTeam(taskId: $id, size: $size) {
  coverage modelId
  lead { ...Member } members { ...Member }
  uncovered { skillId nameVi nameEn mustHave } } }
  fragment Member on TeamMember { role score
    expert { id fullName honorific headline }
    adds { skillId nameVi nameEn }
    workedWith { id fullName honorific } }`;
const SHORTLISTS = `query Shortlists($id: ID) { shortlists(taskId: $id) { id name
  entries { expertId addedAt note expert { id fullName honorific headline } } } }`;

const text = (r) => (lang() === "vi" ? r.textVi || r.textEn : r.textEn || r.textVi);
const STATUS_BADGE = { ELIGIBLE: "ok", POSSIBLY_ELIGIBLE: "warn", NOT_ELIGIBLE: "no" };

/** The API's rule (api/matching/permissions.py): the lead who posted the task and
 * administrators; HR agencies while the task is OPEN. */
function seesCandidates(account, task) {
  if (account.role === "ADMIN") return true;
  if (account.role === "PROGRAMME_LEAD") return task.postedBy === account.id;
  return account.role === "HR_AGENCY" && task.status === "OPEN";
}

export async function render(ctx) {
  const { task } = await gql(LOAD, { id: ctx.params.id });
  if (!task) {
    ctx.setTitle(t("task.notFoundTitle"));
    return h("section", { class: "page" }, h("h1", {}, t("task.notFoundTitle")), message("info", t("task.notFound")));
  }
  rememberSkills(task.requirements.map((r) => r.skill).filter(Boolean));
  ctx.setTitle(`${task.code} · ${task.title}`);
  const owner = ctx.account.role === "ADMIN" || (ctx.account.role === "PROGRAMME_LEAD" && task.postedBy === ctx.account.id);
  const sees = seesCandidates(ctx.account, task);
  const shortlistBox = h("div", { class: "shortlist-body" });
  const refreshShortlist = () => loadShortlist(shortlistBox, task, owner);
  refreshShortlist();
  return h("article", { class: "page page-task" },
    h("div", { class: "page-header" },
      h("h1", {}, `${task.code} · ${task.title}`),
      owner ? taskActions(task) : null),
    h("p", { class: "result-meta" }, badge(enumLabel("TaskStatus", task.status), STATUS_KIND[task.status]),
      h("span", {}, enumLabel("TaskRole", task.roleSought)), task.chiefEngineerKind ? h("span", {}, enumLabel("ChiefEngineerKind", task.chiefEngineerKind)) : null,
      task.programme ? h("span", {}, `${task.programme.code} · ${task.programme.title}`) : null),
    h("div", { class: "two-col" },
      h("div", { class: "profile-main" },
        sees ? candidatesSection(task, owner, refreshShortlist) : notYours("candidates", "h-candidates", t("task.candidates")),
        sees ? teamSection(task) : notYours("team", "h-team", t("task.team"))),
      h("div", { class: "profile-side" },
        detailsSection(task),
        h("section", { class: "card profile-section", "aria-labelledby": "h-shortlist" }, h("h2", { id: "h-shortlist" }, t("task.shortlist")), shortlistBox))));
}

function taskActions(task) {
  const status = h("span", { role: "status", class: "small" });
  const run = async (name, type, input, okType) => {
    try {
      const r = await mutate(name, type, input, `... on ${okType} { task { id } }`, { validation: name !== "closeTask", conflict: true });
      if (r.__typename === okType) window.dispatchEvent(new HashChangeEvent("hashchange"));
      else status.textContent = r.__typename === "VersionConflict" ? t("task.changedElsewhere") : resultText(r);
    } catch (err) {
      status.textContent = errorText(err);
    }
  };
  return h("div", { class: "actions" },
    task.status !== "CLOSED" ? h("a", { class: "btn", href: `#/tasks/${encodeURIComponent(task.id)}/edit` }, t("common.edit")) : null,
    task.status === "DRAFT" ? h("button", { type: "button", class: "btn btn-primary", onclick: () => run("updateTask", "UpdateTaskInput", { id: task.id, version: task.version, status: "OPEN" }, "TaskUpdated") }, t("task.open")) : null,
    task.status === "OPEN" ? h("button", { type: "button", class: "btn btn-danger", onclick: () => run("closeTask", "CloseTaskInput", { id: task.id, version: task.version }, "TaskClosed") }, t("task.close")) : null,
    status);
}

function detailsSection(task) {
  const rows = [
    [t("taskForm.minYears"), String(task.minYears)],
    task.languages.length ? [t("taskForm.languages"), task.languages.map(languageName).join(", ")] : null,
    task.onsite ? [t("taskForm.onsite"), enumLabel("OnsiteMode", task.onsite)] : null,
    task.location ? [t("taskForm.where"), [task.location.city, countryName(task.location.country)].filter(Boolean).join(", ")] : null,
    task.start ? [t("taskForm.start"), formatDate(task.start)] : null,
    task.durationMonths ? [t("taskForm.duration"), t("task.months", { n: task.durationMonths })] : null,
    task.budgetUsd ? [t("taskForm.budget"), `${formatNumber(task.budgetUsd)} USD`] : null,
    task.awardMode ? [t("taskForm.awardMode"), enumLabel("AwardMode", task.awardMode)] : null,
  ].filter(Boolean);
  return h("section", { class: "card profile-section", "aria-labelledby": "h-details" },
    h("h2", { id: "h-details" }, t("task.details")),
    h("p", { class: "bio" }, task.description),
    task.objectives ? [h("h3", {}, t("taskForm.objectives")), h("p", { class: "bio" }, task.objectives)] : null,
    task.products.length ? [h("h3", {}, t("taskForm.products")), h("ul", {}, task.products.map((p) => h("li", {}, p)))] : null,
    h("dl", { class: "facts" }, rows.map(([k, v]) => [h("dt", {}, k), h("dd", {}, v)])),
    h("h3", {}, t("task.requirements")),
    h("ul", { class: "works" }, task.requirements.filter((r) => r.skill).map((r) => h("li", {},
      h("strong", {}, localName(r.skill)), ` · ${t("task.reqLine", { level: r.minLevel, weight: formatNumber(r.weight) })}`,
      r.mustHave ? [" ", badge(t("task.mustHave"), "no")] : null))),
    task.areas.length ? [h("h3", {}, t("taskForm.areas")), h("ul", { class: "tags" }, task.areas.map((a) => h("li", { class: "tag tag-area" }, localName(a))))] : null);
}

function notYours(id, headingId, title) {
  return h("section", { class: "card profile-section", "aria-labelledby": headingId, id },
    h("h2", { id: headingId }, title), h("p", { class: "muted" }, t("task.candidatesNotYours")));
}

function candidatesSection(task, owner, onShortlisted) {
  const body = h("div", {}, h("p", { class: "loading" }, t("common.loading")));
  const sectionEl = h("section", { class: "card profile-section", "aria-labelledby": "h-candidates", id: "candidates" },
    h("h2", { id: "h-candidates" }, t("task.candidates")), body);
  const decided = owner
    ? gql(DECISIONS, { id: task.id }).then((d) => new Map(((d.task && d.task.decisions) || []).map((x) => [x.expertId, x]))).catch(() => new Map())
    : Promise.resolve(new Map());
  const list = h("ol", { class: "candidate-list" });
  const more = h("div", { class: "actions" });
  const loadPage = async (after) => {
    const [data, decisions] = await Promise.all([gql(CANDIDATES, { id: task.id, first: PAGE, after, excluded: EXCLUDED }), decided]);
    return { page: data.task && data.task.candidates, decisions };
  };
  const showMore = (pageInfo, decisions) => {
    more.replaceChildren();
    if (!pageInfo.hasNextPage) return;
    const next = h("button", {
      type: "button", class: "btn",
      onclick: async () => {
        next.disabled = true;
        try {
          const { page } = await loadPage(pageInfo.endCursor);
          list.append(...page.edges.map(({ node }) => candidateCard(task, node, owner, onShortlisted, decisions)));
          showMore(page.pageInfo, decisions);
        } catch (err) {
          more.replaceChildren(message("error", errorText(err)));
        }
      },
    }, t("task.moreCandidates"));
    more.append(next);
  };
  loadPage(null).then(({ page, decisions }) => {
    if (!page) {
      replace(body, message("info", t("task.noCandidates")));
      return;
    }
    list.replaceChildren(...page.edges.map(({ node }) => candidateCard(task, node, owner, onShortlisted, decisions)));
    showMore(page.pageInfo, decisions);
    replace(body,
      h("p", { class: "small muted ranking-meta" }, t("task.rankingMeta", { n: page.totalCount, model: page.modelId })),
      page.edges.length ? list : message("info", t("task.noCandidates")),
      more,
      page.excludedCount ? excludedList(page) : null);
  }).catch((err) => {
    replace(body, message("error", errorText(err)));
  });
  return sectionEl;
}

function excludedList(page) {
  return h("details", { class: "excluded" },
    h("summary", {}, t("task.excluded", { n: page.excludedCount })),
    h("ul", { class: "people" }, page.excluded.map((x) => h("li", {},
      h("a", { href: `#/experts/${encodeURIComponent(x.expert.id)}` }, displayName(x.expert)),
      h("span", { class: "muted small" }, ` · ${x.rules.map(text).join("; ")}`)))));
}

function skillTags(items, cls, label) {
  return h("span", { class: "tags", style: "display:inline-flex", role: "list", "aria-label": label },
    items.map((item) => h("span", { class: `tag ${cls}`, role: "listitem" }, item)));
}

function candidateCard(task, c, owner, onShortlisted, decisions) {
  const e = c.expert;
  const name = displayName(e);
  const current = h("p", { class: "small decision-current" });
  const showDecision = (d) => {
    current.textContent = d ? t("task.currentDecision", { kind: enumLabel("DecisionKind", d.kind) }) + (d.reason ? ` — ${d.reason}` : "") : "";
    current.hidden = !d;
  };
  showDecision(decisions && decisions.get(e.id));
  const score = formatNumber(c.score, { maximumFractionDigits: 2 });
  return h("li", {}, h("article", { class: "card candidate", "aria-label": name },
    h("div", { class: "candidate-head" },
      h("h3", { class: "result-name" }, h("span", { class: "muted" }, `${c.rank}. `), h("a", { href: `#/experts/${encodeURIComponent(e.id)}` }, name)),
      h("span", { class: "score", "aria-label": t("task.scoreOf", { n: score }) }, score)),
    e.headline ? h("p", { class: "result-headline" }, e.headline) : null,
    c.reasons.length ? h("ul", { class: "reasons", "aria-label": t("task.reasons") }, c.reasons.map((r) => h("li", { class: r.effect === "LOWERS" ? "reason-lowers" : "reason-raises" }, h("span", { "aria-hidden": "true" }, r.effect === "LOWERS" ? "▾ " : "▴ "), h("span", { class: "visually-hidden" }, `${t(r.effect === "LOWERS" ? "task.lowers" : "task.raises")}: `), text(r)))) : null,
    c.matchedSkills.length ? h("p", { class: "skill-line" }, h("span", { class: "muted" }, `${t("task.matched")}: `),
      skillTags(c.matchedSkills.map((m) => [localName(m), ` ${m.level}/5`, m.partial && m.via ? ` ${t("task.via", { skill: localName(m.via) })}` : ""]), "tag-matched", t("task.matched"))) : null,
    c.missingSkills.length ? h("p", { class: "skill-line" }, h("span", { class: "muted" }, `${t("task.missing")}: `),
      skillTags(c.missingSkills.map((m) => [localName(m), m.mustHave ? ` (${t("task.mustHaveShort")})` : ""]), "tag-missing", t("task.missing"))) : null,
    c.evidence.length ? h("p", { class: "skill-line evidence" }, h("span", { class: "muted" }, `${t("task.evidence")}: `),
      c.evidence.slice(0, 3).map((w, i) => [i ? "; " : "", h("cite", {}, w.title), w.year ? ` (${w.year})` : ""])) : null,
    c.eligibility.length ? h("p", { class: "skill-line eligibility-line" }, h("span", { class: "muted" }, `${t("eligibility.title")}: `),
      c.eligibility.map((s) => [badge(`${localName(s)}: ${enumLabel("EligibilityStatus", s.status)}`, STATUS_BADGE[s.status] || ""), " "])) : null,
    current,
    task.status !== "CLOSED" ? decisionControls({ taskId: task.id, expertId: e.id, expertName: name, canDecide: owner, onShortlisted, onDecided: showDecision }) : null));
}

function teamLine(m) {
  return h("li", {},
    h("a", { href: `#/experts/${encodeURIComponent(m.expert.id)}` }, displayName(m.expert)),
    h("span", { class: "muted" }, ` · ${enumLabel("TeamRole", m.role)}`),
    m.adds.length ? h("span", { class: "small" }, ` · ${t("task.adds")}: ${m.adds.map(localName).join(", ")}`) : null,
    m.workedWith.length ? h("span", { class: "small muted" }, ` · ${t("task.workedWith", { names: m.workedWith.map(displayName).join(", ") })}`) : null);
}

function teamSection(task) {
  const body = h("div", {}, h("p", { class: "loading" }, t("common.loading")));
  gql(TEAM, { id: task.id, size: TEAM_SIZE }).then((data) => {
    const team = data.recommendTeam;
    const people = team ? [team.lead, ...team.members].filter(Boolean) : [];
    replace(body, people.length
      ? [h("p", { class: "small muted team-coverage" }, t("task.coverage", { n: formatNumber(team.coverage * 100, { maximumFractionDigits: 0 }) })),
        h("ul", { class: "people" }, people.map(teamLine)),
        team.uncovered.length ? h("p", { class: "skill-line" }, h("span", { class: "muted" }, `${t("task.uncovered")}: `),
          skillTags(team.uncovered.map((u) => [localName(u), u.mustHave ? ` (${t("task.mustHaveShort")})` : ""]), "tag-missing", t("task.uncovered"))) : null]
      : h("p", { class: "muted" }, t("task.noTeam")));
  }).catch((err) => {
    replace(body, h("p", { class: "muted" }, errorText(err)));
  });
  return h("section", { class: "card profile-section", "aria-labelledby": "h-team", id: "team" }, h("h2", { id: "h-team" }, t("task.team")), body);
}

async function loadShortlist(box, task, owner) {
  try {
    const { shortlists } = await gql(SHORTLISTS, { id: task.id });
    const entries = shortlists.flatMap((s) => s.entries.map((e) => ({ ...e, shortlistId: s.id })));
    replace(box, entries.length
      ? h("ul", { class: "people shortlist" }, entries.map((e) => {
        const name = e.expert ? displayName(e.expert) : e.expertId;
        const remove = h("button", {
          type: "button", class: "btn btn-small", "aria-label": t("task.removeFromShortlist", { name }),
          onclick: async () => {
            await mutate("removeFromShortlist", "RemoveFromShortlistInput", { shortlistId: e.shortlistId, expertId: e.expertId }, "... on ShortlistChanged { shortlist { id } }", { validation: false });
            loadShortlist(box, task, owner);
          },
        }, t("common.remove"));
        return h("li", {}, e.expert ? h("a", { href: `#/experts/${encodeURIComponent(e.expertId)}` }, name) : name,
          h("span", { class: "muted small" }, ` · ${formatDate(e.addedAt)}`), " ", remove,
          task.status !== "CLOSED" && owner ? decisionControls({ taskId: task.id, expertId: e.expertId, expertName: name, canDecide: true, offerShortlist: false }) : null);
      }))
      : h("p", { class: "muted" }, t("task.shortlistEmpty")));
  } catch (err) {
    replace(box, h("p", { class: "muted" }, errorText(err)));
  }
}

