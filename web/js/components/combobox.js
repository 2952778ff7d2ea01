// An ARIA 1.2 combobox with a list of suggestions fetched as the user types.
// Keyboard: Down/Up move through the suggestions, Enter picks, Escape closes.

import { h, nextId } from "../dom.js";

/**
 * combobox({label, hint, search: async (text) => items, main: item => text, sub, onPick,
 *           onInput, value, noneText, countText, required})
 * Returns the field element; `.input` is the text box.
 */
export function combobox({ label, hint, search, main, sub = () => "", subLang, onPick, onInput, value = "",
  placeholder = "", noneText = "—", countText = (n) => String(n), id = nextId("combo"), required = false, keepText = false }) {
  const listId = `${id}-list`;
  const input = h("input", {
    id, type: "text", role: "combobox", autocomplete: "off", "aria-autocomplete": "list",
    "aria-expanded": "false", "aria-controls": listId, class: "combo-input", placeholder, value,
    "aria-describedby": `${hint ? `${id}-hint ` : ""}${id}-error`, required,
  });
  const list = h("ul", { id: listId, role: "listbox", class: "combo-list", hidden: true, "aria-label": label });
  const status = h("p", { class: "visually-hidden", role: "status", "aria-live": "polite" });
  let options = [];
  let active = -1;
  let timer = null;
  let seq = 0;

  function close() {
    list.hidden = true;
    input.setAttribute("aria-expanded", "false");
    input.removeAttribute("aria-activedescendant");
    active = -1;
  }

  function highlight(index) {
    active = index;
    [...list.children].forEach((li, i) => li.setAttribute("aria-selected", String(i === index)));
    if (index >= 0 && list.children[index]) {
      input.setAttribute("aria-activedescendant", list.children[index].id);
      list.children[index].scrollIntoView({ block: "nearest" });
    } else {
      input.removeAttribute("aria-activedescendant");
    }
  }

  function pick(item) {
    input.value = keepText ? main(item) : "";
    close();
    onPick(item);
    input.focus();
  }

  function show(items) {
    options = items;
    list.replaceChildren(...options.map((item, i) => h("li", {
      id: `${id}-opt-${i}`, role: "option", "aria-selected": "false", class: "combo-option",
      onmousedown: (event) => { event.preventDefault(); pick(item); },
    }, h("span", { class: "combo-main" }, main(item)),
    sub(item) ? h("span", { class: "combo-other", lang: subLang || null }, sub(item)) : null)));
    if (!options.length) {
      list.replaceChildren(h("li", { class: "combo-empty", role: "option", "aria-disabled": "true", "aria-selected": "false", id: `${id}-none` }, noneText));
    }
    list.hidden = false;
    input.setAttribute("aria-expanded", "true");
    status.textContent = options.length ? countText(options.length) : noneText;
    highlight(-1);
  }

  async function run() {
    const q = input.value.trim();
    const mine = ++seq;
    if (!q) {
      close();
      return;
    }
    try {
      const items = await search(q);
      if (mine === seq && document.activeElement === input) show(items);
    } catch (err) {
      if (mine === seq) close();
    }
  }

  input.addEventListener("input", () => {
    if (onInput) onInput(input.value);
    window.clearTimeout(timer);
    timer = window.setTimeout(run, 180);
  });
  input.addEventListener("keydown", (event) => {
    if (event.key === "ArrowDown") {
      event.preventDefault();
      if (list.hidden) run();
      else if (options.length) highlight((active + 1) % options.length);
    } else if (event.key === "ArrowUp") {
      event.preventDefault();
      if (options.length) highlight(active <= 0 ? options.length - 1 : active - 1);
    } else if (event.key === "Enter") {
      if (!list.hidden && options.length) {
        event.preventDefault();
        pick(options[active >= 0 ? active : 0]);
      }
    } else if (event.key === "Escape" && !list.hidden) {
      event.preventDefault();
      close();
    }
  });
  input.addEventListener("blur", () => window.setTimeout(close, 150));

  const wrapper = h("div", { class: "field combo" },
    h("label", { for: id }, label, required ? h("span", { class: "required", "aria-hidden": "true" }, " *") : null),
    hint ? h("p", { class: "field-hint", id: `${id}-hint` }, hint) : null,
    input, list, status,
    h("p", { class: "field-error", id: `${id}-error`, hidden: true }));
  wrapper.input = input;
  return wrapper;
}
