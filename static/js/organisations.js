/* Type-ahead code picker for CPV/NACE fields.
 *
 * The field itself stays a plain text input holding codes separated by spaces, so the form
 * works without JavaScript; this adds a search box below it whose matches add a code on click.
 */
(function () {
  "use strict";

  function debounce(fn, ms) {
    let timer = null;
    return function (...args) {
      clearTimeout(timer);
      timer = setTimeout(() => fn.apply(this, args), ms);
    };
  }

  function codesOf(input) {
    return input.value.split(/[\s,;]+/).filter(Boolean);
  }

  function enhance(input) {
    const url = input.dataset.searchUrl;
    const kind = input.dataset.codePicker.toUpperCase();
    const wrapper = document.createElement("div");
    wrapper.className = "org-picker mt-2";
    const searchId = input.id + "_picker";
    const listId = input.id + "_picker_list";
    const label = document.createElement("label");
    label.className = "form-label small";
    label.htmlFor = searchId;
    label.textContent = "Find " + kind + " codes by words or digits";
    const search = document.createElement("input");
    search.type = "search";
    search.id = searchId;
    search.className = "form-control form-control-sm";
    search.setAttribute("role", "combobox");
    search.setAttribute("aria-controls", listId);
    search.setAttribute("aria-expanded", "false");
    search.setAttribute("aria-autocomplete", "list");
    search.autocomplete = "off";
    const list = document.createElement("ul");
    list.id = listId;
    list.className = "list-group org-picker-results";
    list.setAttribute("role", "listbox");
    const status = document.createElement("p");
    status.className = "small text-muted mb-0";
    status.setAttribute("aria-live", "polite");
    wrapper.append(label, search, list, status);
    const anchor = input.parentNode.querySelector("#" + CSS.escape(input.id + "_helptext"));
    (anchor || input).insertAdjacentElement("afterend", wrapper);

    function add(code, text) {
      const codes = codesOf(input);
      if (!codes.includes(code)) {
        codes.push(code);
        input.value = codes.join(" ");
        input.dispatchEvent(new Event("change", { bubbles: true }));
      }
      status.textContent = "Added " + code + " " + text;
      list.replaceChildren();
      search.setAttribute("aria-expanded", "false");
      search.value = "";
      search.focus();
    }

    const lookup = debounce(async function () {
      const q = search.value.trim();
      if (q.length < 2) {
        list.replaceChildren();
        search.setAttribute("aria-expanded", "false");
        return;
      }
      try {
        const response = await fetch(url + "?q=" + encodeURIComponent(q), {
          headers: { Accept: "application/json" },
        });
        if (!response.ok) return;
        const data = await response.json();
        list.replaceChildren();
        for (const item of data.results) {
          const li = document.createElement("li");
          li.className = "list-group-item list-group-item-action p-0";
          li.setAttribute("role", "option");
          const button = document.createElement("button");
          button.type = "button";
          button.className = "btn btn-link text-start w-100 org-picker-option";
          button.dataset.code = item.code;
          button.textContent = item.code + " " + item.label;
          button.addEventListener("click", () => add(item.code, item.label));
          li.append(button);
          list.append(li);
        }
        search.setAttribute("aria-expanded", data.results.length ? "true" : "false");
        status.textContent = data.results.length
          ? data.results.length + " matches"
          : "No codes match";
      } catch (err) {
        status.textContent = "Search is unavailable; type the codes directly.";
      }
    }, 200);

    search.addEventListener("input", lookup);
    search.addEventListener("keydown", (event) => {
      if (event.key === "Enter") {
        // Enter picks the first match instead of submitting the whole profile form.
        event.preventDefault();
        const first = list.querySelector("button");
        if (first) first.click();
      } else if (event.key === "ArrowDown") {
        const first = list.querySelector("button");
        if (first) {
          event.preventDefault();
          first.focus();
        }
      }
    });
  }

  /* Suggested CPV codes: a [data-cpv-suggest] box names the form fields whose text the codes
   * are suggested from (data-suggest-from) and the code fields they can be added to
   * (data-suggest-into). Without JavaScript its button posts the text to the suggestions page
   * in a new tab; here it asks the same URL for JSON and lists the codes in place, each with
   * why, and a button per code field that adds the code to it. The words come from the
   * template (data-text-*), translated there. */
  function enhanceSuggest(box) {
    const button = box.querySelector("button");
    const form = button && button.form;
    if (!form) return;
    const field = (name) => form.elements.namedItem(name);
    const sources = box.dataset.suggestFrom.split(/\s+/).map(field).filter(Boolean);
    const targets = box.dataset.suggestInto.split(/\s+/).map(field).filter(Boolean);
    const text = (key) => box.dataset["text" + key] || "";
    button.type = "button";
    button.textContent = button.dataset.jsLabel || button.textContent;
    const status = document.createElement("p");
    status.className = "small text-muted mb-1 mt-2";
    status.setAttribute("aria-live", "polite");
    const list = document.createElement("ul");
    list.className = "list-group org-suggestions";
    box.append(status, list);

    function targetLabel(input) {
      const label = form.querySelector('label[for="' + CSS.escape(input.id) + '"]');
      return label ? label.textContent.trim() : input.name;
    }

    function addTo(input, code, label) {
      const single = /^main/.test(input.name); // a call's main code holds one code
      const codes = single ? [] : codesOf(input);
      if (!codes.includes(code)) codes.push(code);
      input.value = codes.join(" ");
      input.dispatchEvent(new Event("change", { bubbles: true }));
      status.textContent = text("Added") + " " + code + " " + label + " → " + targetLabel(input);
    }

    function show(results) {
      list.replaceChildren();
      for (const item of results) {
        const li = document.createElement("li");
        li.className = "list-group-item py-2";
        const head = document.createElement("div");
        const code = document.createElement("code");
        code.textContent = item.code;
        head.append(code, " " + item.label);
        const why = document.createElement("div");
        why.className = "small text-muted";
        why.textContent = item.why;
        li.append(head, why);
        for (const input of targets) {
          const add = document.createElement("button");
          add.type = "button";
          add.className = "btn btn-sm btn-link px-0 me-3 org-suggest-add";
          add.dataset.code = item.code;
          add.textContent = text("Add") + " " + targetLabel(input);
          add.addEventListener("click", () => addTo(input, item.code, item.label));
          li.append(add);
        }
        list.append(li);
      }
    }

    button.addEventListener("click", async () => {
      const value = sources.map((s) => s.value).join("\n").trim();
      list.replaceChildren();
      if (!value) {
        status.textContent = text("Empty");
        return;
      }
      status.textContent = text("Busy");
      const token = form.querySelector("[name=csrfmiddlewaretoken]");
      const body = new URLSearchParams({ text: value });
      if (token) body.append("csrfmiddlewaretoken", token.value);
      try {
        const response = await fetch(box.dataset.suggestUrl, {
          method: "POST",
          headers: { Accept: "application/json" },
          body: body,
          credentials: "same-origin",
        });
        const data = await response.json();
        if (!response.ok) {
          status.textContent = data.error || text("Error");
          return;
        }
        status.textContent = data.results.length ? text("Found") : text("None");
        show(data.results);
      } catch (err) {
        status.textContent = text("Error");
      }
    });
  }

  document.addEventListener("DOMContentLoaded", () => {
    document.querySelectorAll("input[data-code-picker]").forEach(enhance);
    document.querySelectorAll("[data-cpv-suggest]").forEach(enhanceSuggest);
  });
})();
