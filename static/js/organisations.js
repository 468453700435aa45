/* The one CPV/NACE code picker (organisations.pickers.CodePickerInput).
 *
 * The field itself stays a plain text input holding codes separated by spaces, so the form
 * works without JavaScript; the server lists the codes it holds below it with their labels in
 * the reader's language ([data-code-chips-for]). This turns that list into chips with a remove
 * button each, kept in step with the input, and adds a search box whose matches add a code on
 * click. The words come from the widget's template (data-text-*), translated there.
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

  function isSingle(input) {
    return input.dataset.codeSingle === "true";
  }

  /* Put a code in a picker's input: the only code of a single-code field, else one more. */
  function putCode(input, code) {
    const codes = isSingle(input) ? [] : codesOf(input);
    if (!codes.includes(code)) codes.push(code);
    input.value = codes.join(" ");
    input.dispatchEvent(new Event("change", { bubbles: true }));
  }

  function enhance(input) {
    const url = input.dataset.searchUrl;
    let chips = input.parentNode.querySelector(
      '[data-code-chips-for="' + CSS.escape(input.id) + '"]'
    );
    if (!chips) {
      chips = document.createElement("ul");
      chips.className = "code-picker-chosen list-unstyled d-flex flex-wrap gap-1 mt-1 mb-0";
      input.insertAdjacentElement("afterend", chips);
    }
    const text = (key, fallback) => chips.dataset["text" + key] || fallback;
    // code -> label: what the server named, then what the search answered
    const labels = new Map();
    chips.querySelectorAll("li[data-code]").forEach((li) => {
      if (li.dataset.label) labels.set(li.dataset.code, li.dataset.label);
    });

    const wrapper = document.createElement("div");
    wrapper.className = "org-picker mt-2";
    const searchId = input.id + "_picker";
    const listId = input.id + "_picker_list";
    const label = document.createElement("label");
    label.className = "form-label small";
    label.htmlFor = searchId;
    label.textContent = text("Find", "Find codes by words or digits");
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
    (anchor || chips).insertAdjacentElement("afterend", wrapper);

    function remove(code) {
      input.value = codesOf(input)
        .filter((c) => c !== code)
        .join(" ");
      input.dispatchEvent(new Event("change", { bubbles: true }));
      status.textContent = text("Removed", "Removed") + " " + code;
      const next = chips.querySelector("button");
      (next || search).focus();
    }

    function render() {
      const items = codesOf(input).map((code) => {
        const li = document.createElement("li");
        li.className =
          "code-chip d-inline-flex align-items-center gap-1 border rounded bg-body-tertiary px-2 py-1 small";
        li.dataset.code = code;
        const named = document.createElement("span");
        const codeText = document.createElement("span");
        codeText.className = "font-monospace";
        codeText.textContent = code;
        named.append(codeText);
        if (labels.get(code)) named.append(" " + labels.get(code));
        li.append(named);
        const button = document.createElement("button");
        button.type = "button";
        button.className = "btn-close code-chip-remove ms-1";
        button.setAttribute("aria-label", text("Remove", "Remove") + " " + code);
        button.addEventListener("click", () => remove(code));
        li.append(button);
        return li;
      });
      chips.replaceChildren(...items);
    }

    // a code typed into the input by hand is named by the search too (its own digits find it)
    const nameTyped = debounce(async function () {
      for (const code of codesOf(input).filter((c) => !labels.has(c)).slice(0, 10)) {
        try {
          const response = await fetch(url + "?q=" + encodeURIComponent(code), {
            headers: { Accept: "application/json" },
          });
          if (!response.ok) continue;
          const data = await response.json();
          const hit = data.results.find((item) => item.code.toUpperCase() === code.toUpperCase());
          labels.set(code, hit ? hit.label : "");
        } catch (err) {
          return;
        }
      }
      render();
    }, 400);

    input.addEventListener("change", (event) => {
      // a code put by the picker or the suggestions shows at once; one typed by hand is named
      // (and shown) a moment later, not while a click on the next button moves the page
      if (!event.isTrusted) render();
      nameTyped();
    });
    input.addEventListener("input", nameTyped);

    function add(code, name) {
      labels.set(code, name);
      putCode(input, code);
      status.textContent = text("Added", "Added") + " " + code + " " + name;
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
          ? text("Found", "Codes found:") + " " + data.results.length
          : text("None", "No codes match");
      } catch (err) {
        status.textContent = text("Error", "Search is unavailable; type the codes directly.");
      }
    }, 200);

    search.addEventListener("input", lookup);
    search.addEventListener("keydown", (event) => {
      if (event.key === "Enter") {
        // Enter picks the first match instead of submitting the whole form.
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
    render();
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
      putCode(input, code);
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

/* The one country picker (organisations.country_picker.CountryPickerWidget).
 *
 * Without JavaScript the presets are a select that the server resolves when the form is saved;
 * here they become buttons that tick the countries at once (the select is hidden and left empty,
 * so the ticked boxes are what is saved), and a search box hides the countries whose name does
 * not contain what is typed.
 */
(function () {
  "use strict";

  function fold(text) {
    return text.normalize("NFD").replace(/[\u0300-\u036f]/g, "").toLowerCase();
  }

  function setUp(picker) {
    const boxes = Array.from(picker.querySelectorAll("input[type=checkbox]"));
    const status = picker.querySelector("[data-country-status]");
    const select = picker.querySelector("[data-country-preset-select]");
    const buttons = picker.querySelector("[data-country-preset-buttons]");
    const filterWrap = picker.querySelector("[data-country-filter]");
    const filter = filterWrap.querySelector("input");
    let buyerStates = {};
    try {
      buyerStates = JSON.parse(picker.dataset.buyerStates || "{}");
    } catch (e) {
      buyerStates = {};
    }

    function buyerCodes() {
      const field = picker.dataset.buyerField;
      const buyer = field ? document.querySelector(`[name="${field}"]`) : null;
      const key = buyer ? buyer.value : "";
      const keys = Object.keys(buyerStates);
      const only = keys.length === 1 ? buyerStates[keys[0]] : [];
      return buyerStates[key] || (key === "" ? only : []);
    }

    function tick(codes, label) {
      const wanted = new Set(codes);
      boxes.forEach((box) => {
        box.checked = wanted.has(box.value);
      });
      const n = boxes.filter((box) => box.checked).length;
      status.textContent = `${label}: ${n} ${picker.dataset.textTicked || ""}`;
    }

    select.hidden = true;
    select.querySelector("select").value = "";
    buttons.hidden = false;
    filterWrap.hidden = false;
    buttons.querySelectorAll("[data-preset]").forEach((button) => {
      button.addEventListener("click", () => {
        const codes = button.dataset.preset === "buyer"
          ? buyerCodes()
          : (button.dataset.codes || "").split(" ").filter(Boolean);
        tick(codes, button.textContent.trim());
      });
    });
    filter.addEventListener("input", () => {
      const needle = fold(filter.value.trim());
      picker.querySelectorAll("[data-country-option]").forEach((option) => {
        const name = fold(option.querySelector("label").textContent);
        option.hidden = needle !== "" && !name.includes(needle);
      });
    });
  }

  document.querySelectorAll("[data-country-picker]").forEach(setUp);
})();
