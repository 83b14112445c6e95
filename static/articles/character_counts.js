// Story admin: the character count under the headline, subheadline and the search and social
// fields, kept current as one types. The server writes the first count (articles/admin/
// character_counts.py), so it reads without this script; the words here are the same, in the
// edition's language through the admin's catalog script (admin:jsi18n, loaded by the form).
"use strict";
document.addEventListener("DOMContentLoaded", () => {
  const gettext = window.gettext || ((text) => text);
  const ngettext = window.ngettext || ((one, many, n) => (n === 1 ? one : many));
  const interpolate = window.interpolate
    || ((text, values) => text.replace(/%\((\w+)\)s/g, (match, name) => values[name]));
  // Where the words show (the data-limits' keys): the first named says "show", the others not.
  const places = {
    "search results": [gettext("search results show about %(limit)s"), gettext("search results about %(limit)s")],
    "social cards": [gettext("social cards show about %(limit)s"), gettext("social cards about %(limit)s")],
  };
  for (const count of document.querySelectorAll(".character-count[data-limits]")) {
    const input = document.getElementById(count.id.replace(/_count$/, ""));
    if (!input) {
      continue;
    }
    const limits = Object.entries(JSON.parse(count.dataset.limits));
    const update = () => {
      const length = input.value.length;
      const parts = limits.map(([where, limit], index) => {
        const place = interpolate(places[where][Math.min(index, 1)], { limit }, true);
        return length > limit
          ? interpolate(gettext("%(place)s (%(over)s over)"), { place, over: length - limit }, true)
          : place;
      });
      const words = ngettext("%(length)s character: %(places)s.", "%(length)s characters: %(places)s.", length);
      count.textContent = interpolate(words, { length, places: parts.join(gettext("; ")) }, true);
      count.classList.toggle("character-count-over", limits.some(([, limit]) => length > limit));
    };
    input.addEventListener("input", update);
  }
});
