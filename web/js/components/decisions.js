// Shortlist and decision buttons for one (task, expert): "add to shortlist" (a working list,
// anyone signed in) and "record a decision" (the lead who posted the task, or an admin).

import { h, nextId } from "../dom.js";
import { enumLabel, t } from "../i18n.js";
import { announce, button, errorText } from "./ui.js";
import { resultText } from "./problems.js";
import { enumSelect, mutate } from "./forms.js";

const KINDS = ["SHORTLISTED", "CONTACTED", "INTERVIEWED", "SELECTED", "REJECTED"];

export function decisionControls({ taskId, expertId, expertName, canDecide, onShortlisted, onDecided, offerShortlist = true }) {
  const status = h("p", { class: "small decision-status", role: "status" });
  const shortlist = button(t("decision.shortlist"), {
    class: "btn btn-small", "aria-label": t("decision.shortlistOf", { name: expertName }),
    onclick: async () => {
      shortlist.disabled = true;
      try {
        const r = await mutate("addToShortlist", "AddToShortlistInput", { expertId, taskId }, "... on ShortlistChanged { shortlist { id } }");
        status.textContent = r.__typename === "ShortlistChanged" ? t("decision.shortlisted") : resultText(r);
        if (r.__typename === "ShortlistChanged" && onShortlisted) onShortlisted();
      } catch (err) {
        status.textContent = errorText(err);
      } finally {
        shortlist.disabled = false;
        announce(status.textContent);
      }
    },
  });
  if (!canDecide) return h("div", { class: "decision" }, h("div", { class: "actions" }, shortlist), status);
  const kind = enumSelect("DecisionKind", KINDS, "SHORTLISTED", { id: nextId("kind") }, { empty: false });
  const reason = h("input", { type: "text", id: nextId("reason"), maxlength: 2000 });
  const record = button(t("decision.record"), {
    class: "btn btn-small btn-primary", "aria-label": t("decision.recordFor", { name: expertName }),
    onclick: async () => {
      record.disabled = true;
      try {
        const r = await mutate("recordDecision", "RecordDecisionInput", { taskId, expertId, kind: kind.value, reason: reason.value.trim() || null },
          "... on DecisionRecorded { decision { id kind reason at } }");
        status.textContent = r.__typename === "DecisionRecorded" ? t("decision.recorded", { kind: enumLabel("DecisionKind", r.decision.kind) }) : resultText(r);
        if (r.__typename === "DecisionRecorded" && onDecided) onDecided(r.decision);
      } catch (err) {
        status.textContent = errorText(err);
      } finally {
        record.disabled = false;
        announce(status.textContent);
      }
    },
  });
  return h("div", { class: "decision" },
    h("div", { class: "decision-row" },
      h("div", { class: "field" }, h("label", { for: kind.id }, t("decision.kind"), h("span", { class: "visually-hidden" }, ` — ${expertName}`)), kind),
      h("div", { class: "field grow" }, h("label", { for: reason.id }, t("decision.reason")), reason)),
    h("div", { class: "actions" }, record, offerShortlist ? shortlist : null),
    status);
}
