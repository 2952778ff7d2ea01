// Tasks: a programme lead's own tasks (every status) and the open tasks everyone signed in
// may see; a lead can post a new one from here.

import { h } from "../dom.js";
import { gql } from "../gql.js";
import { enumLabel, formatDate, localName, t } from "../i18n.js";
import { href } from "../router.js";
import { badge, message, pager } from "../components/ui.js";
import { rememberSkills } from "../components/skills.js";

const QUERY = `query Tasks($filter: TaskFilter, $after: String) {
  tasks(filter: $filter, first: 20, after: $after) {
    pageInfo { hasNextPage endCursor }
    nodes { id code title roleSought status createdAt minYears onsite
      location { country city }
      requirements { mustHave skill { id nameVi nameEn } } }
  }
}`;

export const STATUS_KIND = { DRAFT: "warn", OPEN: "ok", CLOSED: "" };
const LEADS = ["PROGRAMME_LEAD", "ADMIN"];

export async function render(ctx) {
  ctx.setTitle(t("tasks.title"));
  const lead = LEADS.includes(ctx.account.role);
  const mine = lead && ctx.query.get("all") !== "1";
  const filter = mine ? { mine: true, status: null } : { status: "OPEN" };
  const data = await gql(QUERY, { filter, after: ctx.query.get("after") });
  const tasks = data.tasks.nodes;
  tasks.forEach((task) => rememberSkills(task.requirements.map((r) => r.skill).filter(Boolean)));
  return h("section", { class: "page page-tasks" },
    h("div", { class: "page-header" },
      h("h1", {}, mine ? t("tasks.mine") : t("tasks.open")),
      lead ? h("a", { class: "btn btn-primary", href: "#/tasks/new" }, t("tasks.new")) : null),
    lead ? h("p", {}, h("a", { href: mine ? href("/tasks", { all: "1" }) : "#/tasks" }, mine ? t("tasks.showOpen") : t("tasks.showMine"))) : null,
    tasks.length
      ? h("ul", { class: "task-list" }, tasks.map(taskCard))
      : message("info", mine ? t("tasks.noneMine") : t("tasks.none")),
    data.tasks.pageInfo.hasNextPage ? pager({ pageNumber: 1, nextHref: href("/tasks", { after: data.tasks.pageInfo.endCursor, all: mine ? null : "1" }) }) : null);
}

function taskCard(task) {
  return h("li", {}, h("article", { class: "card" },
    h("h2", { class: "result-name" }, h("a", { href: `#/tasks/${encodeURIComponent(task.id)}` }, `${task.code} · ${task.title}`),
      badge(enumLabel("TaskStatus", task.status), STATUS_KIND[task.status])),
    h("p", { class: "result-meta" },
      h("span", {}, enumLabel("TaskRole", task.roleSought)),
      task.minYears ? h("span", {}, t("tasks.minYears", { n: task.minYears })) : null,
      task.onsite ? h("span", {}, enumLabel("OnsiteMode", task.onsite)) : null,
      h("span", {}, t("tasks.posted", { date: formatDate(task.createdAt) }))),
    h("ul", { class: "tags", "aria-label": t("task.requirements") }, task.requirements.filter((r) => r.skill).map((r) => h("li", { class: r.mustHave ? "tag tag-area" : "tag" }, localName(r.skill), r.mustHave ? ` (${t("task.mustHaveShort")})` : "")))));
}
