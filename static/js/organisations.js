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

  document.addEventListener("DOMContentLoaded", () => {
    document.querySelectorAll("input[data-code-picker]").forEach(enhance);
  });
})();
