// Back office: names for the widgets Django's admin leaves unnamed (select2 autocompletes and
// the rich-text editor), so that screen readers announce what each one is for. Widgets are
// built and rebuilt after the page loads (inline rows, a new choice), hence the observer.
"use strict";
(() => {
  const labelText = (field) => {
    if (!field) return "";
    const label = field.id && document.querySelector(`label[for="${field.id}"]`);
    if (label) return label.textContent.replace(/:\s*$/, "").trim();
    const cell = field.closest("td");
    if (cell) {
      // A tabular inline (bylines): the column heading names the field, "field-x" → "column-x".
      if (cell.classList.contains("delete")) return "Delete";
      const column = [...cell.classList].find((name) => name.startsWith("field-"));
      const heading = column && cell.closest("table").querySelector(`th.column-${column.slice(6)}`);
      if (heading) return heading.textContent.trim();
    }
    return field.name || "";
  };
  const name = (element, text) => {
    if (text && !element.hasAttribute("aria-label")) element.setAttribute("aria-label", text);
  };
  const fix = () => {
    for (const widget of document.querySelectorAll("span.select2")) {
      const text = labelText(widget.previousElementSibling); // the <select> that select2 replaced
      for (const part of widget.querySelectorAll('[role="combobox"], [role="textbox"], input')) {
        name(part, text);
      }
      // The clear button sits among the chosen items of a multiple choice.
      for (const stray of widget.querySelectorAll("ul.select2-selection__rendered > :not(li)")) {
        stray.setAttribute("role", "listitem");
      }
    }
    for (const search of document.querySelectorAll(".select2-dropdown input")) name(search, "Search");
    for (const field of document.querySelectorAll(".tabular td :is(input, select, textarea)")) {
      if (field.type !== "hidden" && !field.labels.length) name(field, labelText(field));
    }
    for (const editor of document.querySelectorAll('[contenteditable="true"]')) {
      name(editor, labelText(editor.closest(".form-row")?.querySelector("textarea")));
    }
  };
  document.addEventListener("DOMContentLoaded", () => {
    fix();
    new MutationObserver(fix).observe(document.body, { childList: true, subtree: true });
  });
})();
