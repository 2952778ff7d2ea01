// The completeness hint of "My profile": which facts the matcher and the eligibility rules use
// are missing, each with what adding it would change, and a share of checks passed.

import { h } from "../dom.js";
import { t } from "../i18n.js";

/** [ok, message key, anchor of the section to fix it] for each check. */
function checks(e) {
  const led = e.projects.filter((p) => p.relation === "LED").length;
  return [
    [Boolean(e.headline), "hint.headline", "edit-basics"],
    [e.skills.length >= 3, "hint.skills", "edit-skills", { n: e.skills.length }],
    [e.skills.length === 0 || e.skills.every((s) => s.years > 0), "hint.skillYears", "edit-skills"],
    [e.yearsExperience > 0, "hint.experience", "edit-basics"],
    [e.languages.length > 0, "hint.languages", "edit-basics"],
    [Boolean(e.availability) && e.availability !== "UNAVAILABLE", "hint.availability", "edit-availability"],
    [e.employment.length > 0, "hint.employment", "edit-employment"],
    [e.education.length > 0, "hint.education", "edit-education"],
    [led > 0, "hint.projectsLed", "edit-projects"],
    [e.publications.length > 0 || e.patents.length > 0, "hint.works", "edit-publications"],
    [e.visibility !== "PRIVATE", "hint.visibility", "edit-visibility"],
  ];
}

export function completeness(expert) {
  const all = checks(expert);
  const done = all.filter(([ok]) => ok).length;
  const percent = Math.round((done / all.length) * 100);
  const todo = all.filter(([ok]) => !ok);
  return h("section", { class: "card completeness", "aria-labelledby": "h-completeness", id: "completeness" },
    h("h2", { id: "h-completeness" }, t("hint.title", { n: percent })),
    h("div", { class: "progress", role: "progressbar", "aria-valuemin": 0, "aria-valuemax": 100, "aria-valuenow": percent, "aria-labelledby": "h-completeness" },
      h("span", { style: `width: ${percent}%` })),
    todo.length
      ? [h("p", {}, t("hint.intro")), h("ul", { class: "hints" }, todo.map(([, key, anchor, params]) => h("li", {},
        t(key, params || {}), " ", h("a", { href: `#edit-anchor-${anchor}`, "data-target": anchor, onclick: (event) => {
          event.preventDefault();
          const target = document.getElementById(anchor);
          if (target) {
            target.scrollIntoView({ behavior: "smooth", block: "start" });
            const focusable = target.querySelector("input, select, textarea, button");
            if (focusable) focusable.focus({ preventScroll: true });
          }
        } }, t("hint.fix")))))]
      : h("p", {}, t("hint.complete")));
}
