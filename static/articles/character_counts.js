// Story admin: a live character count under each search and social field (data-count: how many show).
"use strict";
document.addEventListener("DOMContentLoaded", () => {
  for (const input of document.querySelectorAll("input[data-count]")) {
    const shown = Number(input.dataset.count);
    const count = document.createElement("p");
    count.className = "help character-count";
    count.setAttribute("aria-live", "polite");
    const update = () => {
      const length = input.value.length;
      // In the edition's language through the admin's catalog script (admin:jsi18n), if loaded.
      count.textContent = window.interpolate
        ? interpolate(
            ngettext(
              "%(length)s character (about %(shown)s show)",
              "%(length)s characters (about %(shown)s show)",
              length
            ),
            { length, shown },
            true
          )
        : `${length} characters (about ${shown} show)`;
      count.classList.toggle("character-count-over", length > shown);
    };
    input.insertAdjacentElement("afterend", count);
    input.addEventListener("input", update);
    update();
  }
});
