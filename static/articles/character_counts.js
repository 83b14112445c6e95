// Story admin: the character count under the headline, subheadline and the search and social
// fields, kept current as one types. The server writes the first count (articles/admin/
// character_counts.py), so it reads without this script; the words here are the same.
"use strict";
document.addEventListener("DOMContentLoaded", () => {
  for (const count of document.querySelectorAll(".character-count[data-limits]")) {
    const input = document.getElementById(count.id.replace(/_count$/, ""));
    if (!input) {
      continue;
    }
    const limits = Object.entries(JSON.parse(count.dataset.limits));
    const update = () => {
      const length = input.value.length;
      const parts = limits.map(([where, limit], index) =>
        `${where} ${index ? "" : "show "}about ${limit}` + (length > limit ? ` (${length - limit} over)` : ""));
      count.textContent = `${length} character${length === 1 ? "" : "s"}: ${parts.join("; ")}.`;
      count.classList.toggle("character-count-over", limits.some(([, limit]) => length > limit));
    };
    input.addEventListener("input", update);
  }
});
