// The app shell: header (navigation, language, account), the routed page in <main>, and the
// rules for who may open which page (the API enforces them again; this only guides).

import { clear, focusHeading, h } from "./dom.js";
import { lang, setLang, t, enumLabel } from "./i18n.js";
import { href, match, parseHash } from "./router.js";
import { currentAccount, onSessionChange, restore, signOut } from "./session.js";
import { errorMessage, message } from "./components/ui.js";

const LEADS = ["PROGRAMME_LEAD", "ADMIN"];
const IMPORTERS = ["HR_AGENCY", "ADMIN"];

const ROUTES = [
  { path: "/", page: () => import("./pages/search.js"), nav: null },
  { path: "/search", page: () => import("./pages/search.js") },
  { path: "/experts/:id", page: () => import("./pages/expert.js") },
  { path: "/overview", page: () => import("./pages/overview.js") },
  { path: "/signin", page: () => import("./pages/signin.js") },
  { path: "/me", page: () => import("./pages/me.js"), roles: ["EXPERT"] },
  { path: "/tasks", page: () => import("./pages/tasks.js"), signedIn: true },
  { path: "/tasks/new", page: () => import("./pages/task-form.js"), roles: LEADS },
  { path: "/tasks/:id/edit", page: () => import("./pages/task-form.js"), roles: LEADS },
  { path: "/tasks/:id", page: () => import("./pages/task.js"), signedIn: true },
  { path: "/import", page: () => import("./pages/import.js"), roles: IMPORTERS },
];

/** Navigation entries: [path, label key, who sees it]. */
const NAV = [
  ["/search", "nav.search", () => true],
  ["/overview", "nav.overview", () => true],
  ["/tasks", "nav.tasks", (a) => a !== null],
  ["/me", "nav.me", (a) => a && a.role === "EXPERT"],
  ["/import", "nav.import", (a) => a && IMPORTERS.includes(a.role)],
];

let renderCount = 0;

function buildHeader() {
  const account = currentAccount();
  const { path } = parseHash();
  const header = document.getElementById("site-header");
  clear(header);
  const navList = h("ul", { id: "site-nav-list" },
    NAV.filter(([, , visible]) => visible(account)).map(([target, key]) => {
      const active = path === target || (target !== "/" && path.startsWith(`${target}/`)) || (target === "/search" && path === "/");
      return h("li", {}, h("a", { href: `#${target}`, "aria-current": active ? "page" : null }, t(key)));
    }));
  const toggle = h("button", {
    type: "button", class: "menu-toggle", "aria-expanded": "false", "aria-controls": "site-nav",
    onclick: () => {
      const open = toggle.getAttribute("aria-expanded") !== "true";
      toggle.setAttribute("aria-expanded", String(open));
      nav.classList.toggle("open", open);
    },
  }, t("nav.menu"));
  const other = lang() === "vi" ? "en" : "vi";
  const langButton = h("button", {
    type: "button", class: "lang-switch", lang: other,
    "aria-label": t("nav.switchLanguage"),
    onclick: () => { setLang(other); renderAll(); },
  }, other === "en" ? "English" : "Tiếng Việt");
  const accountBox = account
    ? h("div", { class: "account" },
      h("span", { class: "account-name" }, account.name, " · ", enumLabel("Role", account.role)),
      h("button", { type: "button", class: "btn btn-small", onclick: () => { signOut(); location.hash = "#/signin"; } }, t("nav.signOut")))
    : h("a", { class: "btn btn-small", href: href("/signin", { next: path === "/signin" ? null : path }) }, t("nav.signIn"));
  const nav = h("nav", { id: "site-nav", "aria-label": t("nav.label") }, navList);
  header.append(
    h("div", { class: "header-inner" },
      h("a", { class: "brand", href: "#/search" },
        h("span", { class: "brand-mark", "aria-hidden": "true" }, "CG"),
        h("span", {}, "Chuyên Gia")),
      toggle, nav,
      h("div", { class: "header-tools" }, langButton, accountBox)));
  const skip = document.getElementById("skip-link");
  skip.textContent = t("nav.skip");
}

function guard(route, account) {
  if (route.signedIn && !account) return "signedIn";
  if (route.roles && (!account || !route.roles.includes(account.role))) return account ? "role" : "signedIn";
  return null;
}

function refusal(reason, route) {
  const { path } = parseHash();
  if (reason === "signedIn") {
    return h("section", {}, h("h1", {}, t("guard.signInTitle")),
      message("info", t("guard.signIn"), " ", h("a", { href: href("/signin", { next: path }) }, t("nav.signIn"))));
  }
  return h("section", {}, h("h1", {}, t("guard.roleTitle")),
    message("info", t("guard.role", { roles: route.roles.map((r) => enumLabel("Role", r)).join(", ") })));
}

async function renderPage() {
  const ticket = ++renderCount;
  const main = document.getElementById("main");
  const { path, query } = parseHash();
  const found = match(ROUTES, path);
  main.setAttribute("aria-busy", "true");
  let node;
  let title = "";
  const setTitle = (text) => { title = text; };
  try {
    if (!found) {
      node = h("section", {}, h("h1", {}, t("notFound.title")), message("info", t("notFound.body"), " ", h("a", { href: "#/search" }, t("nav.search"))));
    } else {
      const refused = guard(found.route, currentAccount());
      if (refused) {
        node = refusal(refused, found.route);
      } else {
        const module = await found.route.page();
        node = await module.render({ params: found.params, query, path, account: currentAccount(), setTitle, isCurrent: () => ticket === renderCount });
      }
    }
  } catch (err) {
    console.error(err);
    node = h("section", {}, h("h1", {}, t("error.title")), errorMessage(err));
  }
  if (ticket !== renderCount) return; // a later navigation won
  clear(main).append(node);
  main.removeAttribute("aria-busy");
  const heading = main.querySelector("h1");
  document.title = `${title || (heading ? heading.textContent : "")} · Chuyên Gia`;
  // After a navigation inside the app, announce the new page by focusing its heading; on the
  // first load the browser's own focus order (skip link first) is left alone.
  if (ticket > 1) focusHeading(main);
}

function renderAll() {
  buildHeader();
  document.getElementById("site-footer").textContent = t("footer.text");
  return renderPage();
}

async function start() {
  document.getElementById("skip-link").addEventListener("click", (event) => {
    event.preventDefault();
    document.getElementById("main").focus();
  });
  window.addEventListener("hashchange", () => {
    buildHeader();
    renderPage();
  });
  onSessionChange(() => buildHeader());
  await restore();
  await renderAll();
  document.body.dataset.ready = "true";
}

start();
