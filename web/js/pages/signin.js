// Sign in with an API token (checked by asking the API who it belongs to); sign out.

import { h } from "../dom.js";
import { enumLabel, t } from "../i18n.js";
import { navigate } from "../router.js";
import { signIn, signOut } from "../session.js";
import { errorText, field, message, setFieldError } from "../components/ui.js";

const HOME = { EXPERT: "/me", PROGRAMME_LEAD: "/tasks", HR_AGENCY: "/search", ADMIN: "/search" };

export async function render(ctx) {
  ctx.setTitle(t("signin.title"));
  if (ctx.account) {
    return h("section", { class: "page page-narrow" },
      h("h1", {}, t("signin.title")),
      message("info", t("signin.already", { name: ctx.account.name, role: enumLabel("Role", ctx.account.role) })),
      h("button", { type: "button", class: "btn", onclick: () => { signOut(); navigate("/signin"); } }, t("nav.signOut")));
  }
  const tokenInput = h("input", { type: "password", name: "token", autocomplete: "off", spellcheck: "false" });
  const tokenField = field(t("signin.token"), tokenInput, { hint: t("signin.tokenHint"), required: true });
  const show = h("input", { type: "checkbox", id: "show-token", onchange: (e) => { tokenInput.type = e.target.checked ? "text" : "password"; } });
  const submit = h("button", { type: "submit", class: "btn btn-primary" }, t("signin.submit"));
  const form = h("form", {
    class: "card form", novalidate: true,
    onsubmit: async (event) => {
      event.preventDefault();
      const token = tokenInput.value.trim();
      if (!token) {
        setFieldError(tokenInput, t("signin.tokenMissing"));
        tokenInput.focus();
        return;
      }
      submit.disabled = true;
      try {
        const account = await signIn(token);
        const next = ctx.query.get("next");
        navigate(next && next.startsWith("/") && next !== "/signin" ? next : HOME[account.role] || "/search");
      } catch (err) {
        setFieldError(tokenInput, err.status === 401 ? t("signin.refused") : errorText(err));
        tokenInput.focus();
      } finally {
        submit.disabled = false;
      }
    },
  },
  tokenField,
  h("div", { class: "choice" }, show, h("label", { for: "show-token" }, t("signin.show"))),
  h("div", { class: "actions" }, submit));
  return h("section", { class: "page page-narrow" },
    h("h1", {}, t("signin.title")),
    h("p", { class: "lead" }, t("signin.intro")),
    form,
    h("p", { class: "muted small" }, t("signin.anonymous"), " ", h("a", { href: "#/search" }, t("nav.search"))));
}
